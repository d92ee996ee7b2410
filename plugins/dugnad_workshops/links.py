"""Signed links for people without an account: answering an invitation (and seeing one's
own schedule), and handing in homework. Signed with the core's signed links
(``dugnad.sdk.sign``): bound to the municipality, so a link never opens anything in
another one, and expiring after its purpose's ``MAX_AGE``.

Links sent before links expired (untimed, signed with ``LEGACY_SALT``) carry no date; they
are read until ``LEGACY_SINCE`` plus the purpose's ``MAX_AGE`` — as long as a link sent on
the day of the change — and then stop working like any expired link."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from dugnad.sdk import DAY, LinkProblem, current_tenant_id, external_url, read_signed, sign, today

ANSWER = "workshops-answer"
HOMEWORK = "workshops-homework"
MAX_AGE = {ANSWER: 365 * DAY, HOMEWORK: 180 * DAY}

LEGACY_SALT = {ANSWER: "dugnad-workshop-answer", HOMEWORK: "dugnad-workshop-homework"}
LEGACY_SINCE = date(2026, 12, 4)


def make(purpose: str, object_id: int) -> str:
    """A link token for ``purpose`` and the object with ``object_id`` in the current municipality."""
    return sign(purpose, i=object_id)


def read(purpose: str, token: str) -> int | None:
    """The id the link is for, or None when it is not a link of ours for this municipality,
    or has expired."""
    try:
        data = read_signed(purpose, token, MAX_AGE[purpose])
    except LinkProblem as problem:
        data = _legacy(purpose, token) if problem.reason == "invalid" else None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    return data["i"]


def _legacy(purpose: str, token: str) -> dict | None:
    if today() > LEGACY_SINCE + timedelta(seconds=MAX_AGE[purpose]):
        return None
    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LEGACY_SALT[purpose]).loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) and data.get("t") == current_tenant_id() else None


def answer_link(attendance) -> str:
    """The absolute link (for e-mail and calendars) to answer an invitation."""
    return external_url("workshops_public.answer", rsvp_token=make(ANSWER, attendance.id))


def homework_link(homework) -> str:
    """The absolute link (for e-mail) to hand in homework."""
    return external_url("workshops_public.hand_in", homework_token=make(HOMEWORK, homework.id))
