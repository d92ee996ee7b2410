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
