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
