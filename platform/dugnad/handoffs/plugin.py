"""Handoffs as a default plugin: the table, the pages, the API, permissions, metrics, and what
the handoffs hold on a person."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem, Permission


@hookimpl
def register_models():
    from dugnad.handoffs.models import Handoff, HandoffEvent

    return [Handoff, HandoffEvent]


@hookimpl
def register_blueprints():
    from dugnad.handoffs.api import API_BLUEPRINTS
    from dugnad.handoffs.views import handoffs

    return [Mount(handoffs), *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_permissions():
    return [
        Permission("handoffs.view", _l("See every request for help between modules in the municipality"),
                   ("admin", "coordinator")),
        Permission("handoffs.send", _l("Ask another module for help on an object one may manage"),
                   ("admin", "coordinator")),
    ]


@hookimpl
def navigation_items(tenant, user):
    """Only where a module that receives help is switched on: elsewhere there is nothing to ask."""
    from dugnad.plugins import plugins

    loaded = plugins()
    if not any(loaded.is_enabled(owner, tenant.id) for owner in loaded.registry.help_kind_plugins.values()):
        return []
    return [NavItem(_l("Requests for help"), "handoffs.index", order=880, permission="handoffs.view")]


@hookimpl
def register_benchmark_metrics():
    from dugnad.handoffs.metrics import METRICS

    return METRICS


@hookimpl
def personal_data(tenant, participant):
    from dugnad.handoffs.service import personal_data as handoffs_about

    found = handoffs_about(participant)
    return {"handoffs": found} if found else {}


@hookimpl
def erase_person(tenant, person):
    """A request about the person keeps its shape (what was asked, by whom, how it went) with
    the person blanked wherever their name, address or number was written: the purpose, the
    labels, the receiving form's values, the timeline's notes."""
    from sqlalchemy import JSON, String, Text, select

    from dugnad.extensions import db
    from dugnad.handoffs.models import Handoff, HandoffEvent

    touched = 0
    for model in (Handoff, HandoffEvent):
        columns = [c for c in model.__table__.columns
                   if isinstance(c.type, (String, Text, JSON)) and not c.primary_key and not c.foreign_keys]
        for row in db.session.scalars(select(model).execution_options(yield_per=200)).all():
            found = [c for c in columns if person.found_in(getattr(row, c.key))]
            for column in found:
                value = person.scrub(getattr(row, column.key))
                if isinstance(value, str) and getattr(column.type, "length", None):
                    value = value[: column.type.length]  # a short name blanked may grow past the column
                setattr(row, column.key, value)
            touched += bool(found)
    return touched
