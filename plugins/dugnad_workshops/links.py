"""Signed links for people without an account: answering an invitation (and seeing one's
own schedule), and handing in homework. Signed with the app's secret and bound to the
municipality, so a link never opens anything in another one."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

ANSWER = "dugnad-workshop-answer"
HOMEWORK = "dugnad-workshop-homework"


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make(salt: str, object_id: int, tenant_id: int) -> str:
    return _serializer(salt).dumps({"i": object_id, "t": tenant_id})


def read(salt: str, token: str, tenant_id: int) -> int | None:
    """The id the link is for, or None when it is not a link of ours for this municipality."""
    try:
        data = _serializer(salt).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") != tenant_id or not isinstance(data.get("i"), int):
        return None
    return data["i"]


def absolute(path: str) -> str:
    return current_app.extensions["dugnad.settings"].base_url + path
