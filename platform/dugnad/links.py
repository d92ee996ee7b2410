"""Links that leave the app: absolute URLs for e-mail, the sender's address, and signed,
tenant-bound links for people without an account.

A signed link names its purpose and its municipality (a link of one purpose or
municipality never opens another) and expires after the purpose's ``max_age``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

DAY = 24 * 3600


class LinkProblem(Exception):
    """The link cannot be used: ``reason`` is "expired" or "invalid"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"dugnad-{purpose}")


def sign(purpose: str, **data: Any) -> str:
    """A token for ``purpose`` in the current municipality carrying ``data`` (small, JSON)."""
    from dugnad.tenancy.context import current_tenant_id

    return _serializer(purpose).dumps({"t": current_tenant_id(), **data})


def read_signed(purpose: str, token: str, max_age: int) -> dict[str, Any]:
    """The token's data, when it is for ``purpose`` and the current municipality and at
    most ``max_age`` seconds old; otherwise ``LinkProblem``."""
    from dugnad.tenancy.context import current_tenant_id

    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkProblem("expired") from error
    except BadSignature as error:
        raise LinkProblem("invalid") from error
    if not isinstance(data, dict) or data.get("t") != current_tenant_id():
        raise LinkProblem("invalid")
    return data


def base_url() -> str:
    return current_app.extensions["dugnad.settings"].base_url.rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for an e-mail or an iCal file. Works in jobs too (no request): the
    path is built in a request context of its own. Tenant routes get the current
    municipality's slug unless ``tenant`` is given."""
    if "tenant" not in values:
        from dugnad.tenancy.context import current_tenant_id

        tenant_id = current_tenant_id()
        if tenant_id is not None and _takes_tenant(endpoint):
            values["tenant"] = _slug(tenant_id)
    if has_request_context():
        return base_url() + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base_url() + url_for(endpoint, **values)


def _takes_tenant(endpoint: str) -> bool:
    rules = current_app.url_map._rules_by_endpoint.get(endpoint, [])
    return any("tenant" in rule.arguments for rule in rules)


def _slug(tenant_id: int) -> str:
    from flask import g

    tenant = g.get("tenant") if has_request_context() else None
    if tenant is not None and tenant.id == tenant_id:
        return tenant.slug
    from dugnad.extensions import db
    from dugnad.tenancy.models import Tenant

    return db.session.get(Tenant, tenant_id).slug


def sender_address() -> str:
    """The bare e-mail address mail is sent from (for iCal's ORGANIZER, for example)."""
    sender = current_app.extensions["dugnad.settings"].mail_sender
    return sender.split("<", 1)[1].rstrip("> ") if "<" in sender else sender.strip()
