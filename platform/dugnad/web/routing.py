"""Mount plugin blueprints and resolve ``/<tenant>/…`` into the tenant context.

A request to a tenant page finds the municipality by slug (404 if unknown), enters
its context, answers 404 when the blueprint's plugin is off there, shows a notice
when the municipality is suspended, and lets in only its members (public mounts
excepted). Everything after that runs inside ``current_tenant_id()``.
"""

from __future__ import annotations

from flask import Flask, abort, g, request
from flask_login import current_user
from datetime import datetime

from sqlalchemy import func, select

from dugnad import cache, versions

from dugnad.extensions import attach_loaded, db, login_manager
from dugnad.plugins import Plugins
from dugnad.registry import Mount
from dugnad.tenancy.context import reset_request_tenant, set_request_tenant
from dugnad.tenancy.models import Tenant, TenantPlugin
from dugnad.tenancy.scoping import sync_open_session

# the optional plugins switched on for the tenant row beside it, as "a,b,c"
_ENABLED_PLUGINS = (
    select(func.aggregate_strings(TenantPlugin.plugin, ","))
    .where(TenantPlugin.tenant_id == Tenant.id, TenantPlugin.enabled)
    .correlate(Tenant).scalar_subquery()
)

_tenant_ids: dict[str, int] = {}  # slug -> id as last found: which stamps to read ahead

RESERVED_SLUGS = frozenset({"region", "api", "static", "login", "logout", "password", "invitations", "me",
                            "healthz", "language", "admin", "favicon.ico", "robots.txt"})


_TENANT_COLUMNS = ("id", "slug", "name", "number", "status", "suspended_reason", "settings")


def find_tenant(slug: str) -> tuple[Tenant, list[str]] | None:
    """The municipality of ``slug`` and its plugins switched on: kept in this process while
    the ``tenants`` stamp stands (no database round trip), else in one statement.

    The Tenant is put into the session as if loaded (no SQL), so changing it saves as before."""
    key = "tenant:" + slug
    kept, stamps = cache.get_local_fresh(key, (versions.TENANTS,))
    if kept is None:
        row = db.session.execute(select(Tenant, _ENABLED_PLUGINS).where(Tenant.slug == slug)).first()
        if row is None:
            return None
        tenant, enabled = row
        kept = {"columns": {c: getattr(tenant, c) for c in _TENANT_COLUMNS},
                "created_at": tenant.created_at.isoformat(), "enabled": [p for p in (enabled or "").split(",") if p]}
        cache.put_local_fresh(key, kept, stamps)
        return tenant, kept["enabled"]
    tenant = attach_loaded(Tenant, {**kept["columns"], "created_at": datetime.fromisoformat(kept["created_at"])})
    return tenant, kept["enabled"]


def tenant_columns(slug: str) -> tuple[dict, list[str]] | None:
    """What ``find_tenant`` finds, as plain columns (no Tenant made, nothing put into the
    session): for a path that needs only the id, slug and status (``voting.lean``)."""
    kept, _stamps = cache.get_local_fresh("tenant:" + slug, (versions.TENANTS,))  # where find_tenant keeps it
    if kept is not None:
        return kept["columns"], kept["enabled"]
    found = find_tenant(slug)  # reads it, and keeps it for the next time
    if found is None:
        return None
    tenant, enabled = found
    return {c: getattr(tenant, c) for c in _TENANT_COLUMNS}, enabled


def init_app(app: Flask, loaded: Plugins) -> None:
    mounts: dict[str, tuple[str, Mount]] = {}
    for plugin_name, mount in loaded.registry.mounts:
        if mount.scope == "api":
            continue  # registered by dugnad.api, into the OpenAPI document
        blueprint = mount.blueprint
        prefix = blueprint.url_prefix or ""
        url_prefix = {"tenant": "/<tenant>" + prefix, "region": "/region" + prefix, "global": prefix or None}[mount.scope]
        app.register_blueprint(blueprint, url_prefix=url_prefix)
        mounts[blueprint.name] = (plugin_name, mount)
    app.extensions["dugnad.mounts"] = mounts

    @app.url_value_preprocessor
    def _pull_tenant(endpoint, values):
        if values and "tenant" in values:
            g.tenant_slug = values.pop("tenant")

    @app.url_defaults
    def _add_tenant(endpoint, values):
        if "tenant" not in values and g.get("tenant") is not None and app.url_map.is_endpoint_expecting(endpoint, "tenant"):
            values["tenant"] = g.get("current_slug") or g.tenant.slug  # no reload after a commit

    @app.before_request
    def _enter_tenant():
        here = g._get_current_object()  # g once: each look through Flask's proxy walks the context stack
        slug = here.pop("tenant_slug", None)
        if slug is None:
            return None
        # with Redis, every stamp this request reads, in one round trip (the municipality's
        # own as it was last found here; a municipality found anew reads its own after)
        hint = _tenant_ids.get(slug)
        cache.read_stamps_ahead((versions.TENANTS, versions.PEOPLE, versions.LOGINS) + (
            (versions.data_stamp(hint), versions.members_stamp(hint)) if hint is not None else ()))
        found = find_tenant(slug)
        if found is None:
            abort(404)
        tenant, enabled = found
        _tenant_ids[slug] = tenant.id
        loaded.remember_enabled(tenant.id, enabled)
        here.tenant, here.current_slug = tenant, tenant.slug
        here.tenant_token = set_request_tenant(tenant.id)
        sync_open_session()
        plugin_name, mount = mounts[request.blueprints[-1]]
        if not loaded.is_enabled(plugin_name, tenant.id):
            abort(404)
        if tenant.is_suspended:
            from dugnad.web.errors import suspended_page

            return suspended_page(tenant)
        user = current_user._get_current_object()  # once: each look through the proxy costs
        if user.is_authenticated:
            from dugnad.accounts.permissions import membership_here

            here.membership = membership_here(tenant.id, user)
        if mount.public:
            return None
        if not user.is_authenticated:
            return login_manager.unauthorized()
        if here.get("membership") is None:
            abort(404)
        return None

    @app.teardown_request
    def _leave_tenant(_exc):
        token = g.pop("tenant_token", None)
        if token is not None:
            reset_request_tenant(token)
