"""The outbox as a default plugin."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.notifications.outbox import OutboxMessage, deliver
from dugnad.notifications.views import outbox, region_outbox
from dugnad.registry import Mount, NavItem


@hookimpl
def register_models():
    return [OutboxMessage]


@hookimpl
def register_jobs():
    return [deliver]


@hookimpl
def register_blueprints():
    return [Mount(outbox, scope="tenant"), Mount(region_outbox, scope="region")]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Outbox"), "outbox.index", order=920, permission="outbox.read")]
