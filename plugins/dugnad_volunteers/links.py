"""Signed links for people without an account: confirming an e-mail address, a
guardian's consent, the volunteer's own page, answering a request and signing up
for an event.

Each link names its municipality and purpose (a link of one purpose or municipality
never works as another) and carries what makes it single-purpose: the e-mail being
confirmed, the volunteer's ``link_version`` (raised to retire every page link sent),
the assignment or invitation it answers. Replaying a link is harmless: the page
says what was already done.
"""

from __future__ import annotations

from typing import Any

from dugnad.sdk import DAY, external_url, read_signed, sign

MAX_AGE = {
    "confirm": 14 * DAY,
    "guardian": 14 * DAY,
    "me": 90 * DAY,
    "answer": 120 * DAY,
    "event": 120 * DAY,
}


def make(purpose: str, **data: Any) -> str:
    # "volunteers-<purpose>" signs as links sent before the core had signed links did, so
    # those stay readable.
    return sign(f"volunteers-{purpose}", **data)


def read(purpose: str, token: str) -> dict[str, Any]:
    """The link's data, when it is for this purpose and this municipality and not older than
    the purpose's ``MAX_AGE``; otherwise ``LinkProblem``."""
    return read_signed(f"volunteers-{purpose}", token, MAX_AGE[purpose])


# --- the links ----------------------------------------------------------------------------------


def confirm_link(volunteer) -> str:
    return external_url("volunteer_public.confirm", token=make("confirm", v=volunteer.id, e=volunteer.email))


def guardian_link(volunteer) -> str:
    return external_url("volunteer_public.guardian", token=make("guardian", v=volunteer.id, g=volunteer.guardian_email))


def me_token(volunteer) -> str:
    return make("me", v=volunteer.id, n=volunteer.link_version)


def me_link(volunteer) -> str:
    return external_url("volunteer_public.me", token=me_token(volunteer))


def answer_link(assignment) -> str:
    return external_url("volunteer_public.answer", token=make("answer", a=assignment.id, v=assignment.volunteer_id))


def event_link(invitation) -> str:
    return external_url("volunteer_public.event", token=make("event", i=invitation.id, v=invitation.volunteer_id))
