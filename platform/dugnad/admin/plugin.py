"""The audit log and outbox pages as a default plugin."""

from flask_babel import lazy_gettext as _l

from dugnad.admin.audit_log import audit, region_audit
from dugnad.admin.outbox import outbox, region_outbox
from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem


@hookimpl
def register_blueprints():
    return [Mount(audit, scope="tenant"), Mount(region_audit, scope="region"),
            Mount(outbox, scope="tenant"), Mount(region_outbox, scope="region")]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Outbox"), "outbox.index", order=920, permission="outbox.read"),
            NavItem(_l("Audit log"), "audit.index", order=930, permission="audit.read")]
