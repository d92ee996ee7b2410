"""The audit log as a default plugin."""

from flask_babel import lazy_gettext as _l

from dugnad.audit.models import AuditEvent
from dugnad.audit.views import audit, region_audit
from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem


@hookimpl
def register_models():
    return [AuditEvent]


@hookimpl
def register_blueprints():
    return [Mount(audit, scope="tenant"), Mount(region_audit, scope="region")]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Audit log"), "audit.index", order=930, permission="audit.read")]


@hookimpl
def erase_person(tenant, person):
    """What was done stays in the log; who it was done to is blanked in its details."""
    from sqlalchemy import select

    from dugnad.extensions import db

    touched = 0
    for event in db.session.scalars(select(AuditEvent).execution_options(yield_per=500)).all():
        if event.detail and person.found_in(event.detail):
            event.detail = person.scrub(event.detail)
            touched += 1
    return touched
