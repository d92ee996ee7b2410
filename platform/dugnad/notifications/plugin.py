"""The outbox as a default plugin: its table and jobs (its pages are ``dugnad.admin``)."""

from dugnad.hookspecs import hookimpl
from dugnad.notifications.outbox import OutboxMessage, deliver, retry_stalled
from dugnad.registry import Schedule


@hookimpl
def register_models():
    return [OutboxMessage]


@hookimpl
def register_jobs():
    return [deliver, retry_stalled]


@hookimpl
def register_schedules():
    return [Schedule(retry_stalled, cron="*/5 * * * *")]


@hookimpl
def erase_person(tenant, person):
    """Messages to the person go (with the links in them); messages about them keep their
    shape with the person blanked. The outbox is the platform's, so every row is looked at:
    a message about someone may sit in another municipality's or the region's outbox."""
    from sqlalchemy import select

    from dugnad.extensions import db

    touched = 0
    for message in db.session.scalars(select(OutboxMessage).execution_options(yield_per=200)).all():
        if message.recipient.lower() in person.emails:
            db.session.delete(message)
            touched += 1
            continue
        fields = ("subject", "body", "attachments", "dedupe_key", "last_error")
        if any(person.found_in(getattr(message, f)) for f in fields):
            for field in fields:
                setattr(message, field, person.scrub(getattr(message, field)))
            touched += 1
    return touched
