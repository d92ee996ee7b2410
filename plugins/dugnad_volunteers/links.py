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

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from dugnad.tenancy.context import current_tenant_id

DAY = 24 * 3600
MAX_AGE = {
    "confirm": 14 * DAY,
    "guardian": 14 * DAY,
    "me": 90 * DAY,
    "answer": 120 * DAY,
    "event": 120 * DAY,
}


class LinkProblem(Exception):
    """The link cannot be used: ``reason`` is "expired" or "invalid"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"dugnad-volunteers-{purpose}")


def make(purpose: str, **data: Any) -> str:
    return _serializer(purpose).dumps({"t": current_tenant_id(), **data})


def read(purpose: str, token: str) -> dict[str, Any]:
    """The link's data, when it is for this purpose and this municipality."""
    try:
        data = _serializer(purpose).loads(token, max_age=MAX_AGE[purpose])
    except SignatureExpired as error:
        raise LinkProblem("expired") from error
    except BadSignature as error:
        raise LinkProblem("invalid") from error
    if not isinstance(data, dict) or data.get("t") != current_tenant_id():
        raise LinkProblem("invalid")
    return data


def external(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail: the configured base URL and the page's path
    (jobs run without a request, so the path is built in one of its own)."""
    from dugnad.extensions import db
    from dugnad.tenancy.models import Tenant

    base = current_app.extensions["dugnad.settings"].base_url.rstrip("/")
    slug = db.session.get(Tenant, current_tenant_id()).slug
    if has_request_context():
        return base + url_for(endpoint, tenant=slug, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, tenant=slug, **values)


# --- the links ----------------------------------------------------------------------------------


def confirm_link(volunteer) -> str:
    return external("volunteer_public.confirm", token=make("confirm", v=volunteer.id, e=volunteer.email))


def guardian_link(volunteer) -> str:
    return external("volunteer_public.guardian", token=make("guardian", v=volunteer.id, g=volunteer.guardian_email))


def me_token(volunteer) -> str:
    return make("me", v=volunteer.id, n=volunteer.link_version)


def me_link(volunteer) -> str:
    return external("volunteer_public.me", token=me_token(volunteer))


def answer_link(assignment) -> str:
    return external("volunteer_public.answer", token=make("answer", a=assignment.id, v=assignment.volunteer_id))


def event_link(invitation) -> str:
    return external("volunteer_public.event", token=make("event", i=invitation.id, v=invitation.volunteer_id))
