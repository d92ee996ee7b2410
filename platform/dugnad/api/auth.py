"""Token authentication for API blueprints."""

from __future__ import annotations

from flask import abort, g, request
from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.accounts.permissions import load_membership
from dugnad.extensions import db
from dugnad.tenancy.context import set_request_tenant
from dugnad.tenancy.models import Tenant
from dugnad.clock import utcnow
from dugnad.tenancy.scoping import sync_open_session


def _token() -> AccessToken:
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(401, _("Send a personal access token as 'Authorization: Bearer <token>'."))
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == hash_token(secret.strip())))
    if token is None or not token.usable or not token.user.active:
        abort(401, _("The token is not valid: it may be mistyped, expired or revoked."))
    return token


def authenticate(scope: str) -> None:
    """Check the token for a ``scope`` ("tenant" or "region") endpoint and enter its context.
    ``"any"``: either, as the token is (a region token for a region admin, else its municipality)."""
    token = _token()
    if scope == "any":
        scope = "region" if token.tenant_id is None else "tenant"
    g._login_user = token.user  # Flask-Login's current_user, for this request only (no session cookie)
    g.api_token = token
    if scope == "region":
        if token.tenant_id is not None or not token.user.is_region_admin:
            abort(403, _("This needs a region token from a region admin."))
    else:
        if token.tenant_id is None:
            abort(403, _("This needs a token for a municipality, not the region."))
        tenant = db.session.get(Tenant, token.tenant_id)
        if tenant.is_suspended:
            abort(403, _("%(name)s is suspended: %(reason)s", name=tenant.name, reason=tenant.suspended_reason or "").strip())
        g.tenant = tenant
        g.tenant_token = set_request_tenant(tenant.id)
        sync_open_session()
        g.membership = load_membership(token.user)
        if g.membership is None:
            abort(403, _("The token's owner is no longer a member of this municipality."))
    token.last_used_at = utcnow()
    db.session.commit()
