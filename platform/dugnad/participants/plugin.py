"""Participants as a default plugin: the register, import/export, API."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.participants.models import Participant
from dugnad.registry import Mount, NavItem, Permission


@hookimpl
def register_models():
    return [Participant]


@hookimpl
def register_blueprints():
    from dugnad.participants.api import API_BLUEPRINTS
    from dugnad.participants.views import participants

    return [Mount(participants), *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_permissions():
    return [
        Permission("participants.view", _l("See the participant register"), ("admin", "coordinator", "facilitator")),
        Permission("participants.manage", _l("Add, change, import and export participants"), ("admin", "coordinator")),
        Permission("participants.export_personal_data",
                   _l("Export everything held on one person, when they ask for it"), ("admin",)),
    ]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Participants"), "participants.index", order=20, permission="participants.view")]
