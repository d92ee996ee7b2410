"""The audit log as a default plugin: its table (its pages are ``dugnad.admin``)."""

from dugnad.audit.models import AuditEvent
from dugnad.hookspecs import hookimpl


@hookimpl
def register_models():
    return [AuditEvent]


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
