"""The outbox as a default plugin."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.notifications.outbox import OutboxMessage, deliver, retry_stalled
from dugnad.notifications.views import outbox, region_outbox
from dugnad.registry import Mount, NavItem, Schedule


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
def register_blueprints():
    return [Mount(outbox, scope="tenant"), Mount(region_outbox, scope="region")]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Outbox"), "outbox.index", order=920, permission="outbox.read")]
