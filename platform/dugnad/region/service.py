"""Creating, suspending and configuring municipalities (the region's work)."""

from __future__ import annotations

import re
import unicodedata

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.audit import record
from dugnad.extensions import db
from dugnad.tenancy.context import tenant_context
from dugnad.tenancy.models import Tenant, TenantPlugin

# County (fylke) numbers in force since 2024; a kommunenummer starts with one.
COUNTY_NUMBERS = {"03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"}
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class TenantError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def slugify(name: str) -> str:
    """'Bærum' -> 'baerum', 'Tønsberg' -> 'tonsberg', 'Nord-Odal' -> 'nord-odal'."""
    text = name.strip().lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:63]


def number_problem(number: str) -> str | None:
    if not re.fullmatch(r"\d{4}", number or ""):
        return _("A municipality number has exactly four digits, for example 3403.")
    if number[:2] not in COUNTY_NUMBERS:
        return _("%(number)s does not start with a county number in use (such as 34 for Innlandet).", number=number)
    return None


def slug_problem(slug: str) -> str | None:
    from dugnad.web.routing import RESERVED_SLUGS

    if not SLUG_PATTERN.fullmatch(slug or ""):
        return _("Use lower-case letters a–z, digits and hyphens, for example nord-odal.")
    if slug in RESERVED_SLUGS:
        return _("%(slug)s is reserved by the platform. Choose another.", slug=slug)
    return None


def validate_new(name: str, number: str, slug: str, exclude_id: int | None = None) -> dict[str, str]:
    """Problems per field; empty when the municipality can be saved."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = _("Write the municipality's name.")
    if msg := number_problem(number):
        problems["number"] = msg
    if msg := slug_problem(slug):
        problems["slug"] = msg
    for field, column, value in (("number", Tenant.number, number), ("slug", Tenant.slug, slug)):
        if field in problems:
            continue
        other = db.session.scalar(select(Tenant).where(column == value))
        if other is not None and other.id != exclude_id:
            problems[field] = _("%(value)s is already used by %(name)s.", value=value, name=other.name)
    return problems


def create_tenant(name: str, number: str, slug: str | None = None, plugins: list[str] = ()) -> Tenant:
    slug = slug or slugify(name)
    problems = validate_new(name, number, slug)
    if problems:
        field, message = next(iter(problems.items()))
        raise TenantError(message, field)
    tenant = Tenant(name=name.strip(), number=number, slug=slug, settings={})
    db.session.add(tenant)
    db.session.flush()
    record("tenant.created", tenant, tenant_id=tenant.id, name=tenant.name, number=number)
    for plugin in plugins:
        set_plugin(tenant, plugin, True)
    return tenant


def suspend(tenant: Tenant, reason: str) -> None:
    if not reason.strip():
        raise TenantError(_("Say why, so that people who try to log in understand."), "reason")
    tenant.status, tenant.suspended_reason = "suspended", reason.strip()
    record("tenant.suspended", tenant, tenant_id=tenant.id, reason=reason.strip())


def resume(tenant: Tenant) -> None:
    tenant.status, tenant.suspended_reason = "active", None
    record("tenant.resumed", tenant, tenant_id=tenant.id)


def plugin_states(tenant_ids: list[int] | None = None) -> dict[int, set[str]]:
    """Enabled optional plugins per municipality, in one query."""
    query = select(TenantPlugin.tenant_id, TenantPlugin.plugin).where(TenantPlugin.enabled)
    if tenant_ids is not None:
        query = query.where(TenantPlugin.tenant_id.in_(tenant_ids))
    states: dict[int, set[str]] = {}
    for tenant_id, plugin in db.session.execute(query):
        states.setdefault(tenant_id, set()).add(plugin)
    return states


def set_plugin(tenant: Tenant, plugin: str, enabled: bool) -> bool:
    """Switch an optional plugin on or off for a municipality. Returns whether it changed."""
    loaded = current_app.extensions["dugnad.plugins"]
    if plugin not in loaded.optional:
        raise TenantError(_("%(plugin)s is not an installed plugin.", plugin=plugin), "plugin")
    row = db.session.get(TenantPlugin, (tenant.id, plugin))
    was = bool(row and row.enabled)
    if was == enabled:
        return False
    if row is None:
        row = TenantPlugin(tenant_id=tenant.id, plugin=plugin, enabled=enabled)
        db.session.add(row)
    row.enabled = enabled
    db.session.flush()
    from flask import g

    g.pop("_enabled_plugins", None)
    record("tenant.plugin_enabled" if enabled else "tenant.plugin_disabled", tenant, tenant_id=tenant.id, plugin=plugin)
    if enabled:
        # Called for the core and the plugins on there, the new one included.
        with tenant_context(tenant):
            loaded.hook("on_plugin_enabled", tenant.id)(tenant=tenant, plugin_name=plugin)
            db.session.flush()  # what the hooks added belongs to this municipality
    return True
