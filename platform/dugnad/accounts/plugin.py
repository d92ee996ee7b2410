"""Accounts as a default plugin: roles, permissions, login and members pages."""

from flask_babel import lazy_gettext as _l

from dugnad.accounts.logins import LoginSession
from dugnad.accounts.models import AccessToken, Invitation, LoginFailure, Membership, User
from dugnad.accounts.views import auth, members
from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem, Permission, Role, Widget


@hookimpl
def register_models():
    return [User, Membership, Invitation, AccessToken, LoginFailure, LoginSession]


@hookimpl
def register_blueprints():
    return [Mount(auth, scope="global"), Mount(members, scope="tenant")]


@hookimpl
def register_roles():
    return [
        Role("admin", _l("Admin"), _l("Manages people, roles and settings of the municipality."), rank=40),
        Role("coordinator", _l("Coordinator"), _l("Runs processes, workshops and registers."), rank=30),
        Role("facilitator", _l("Facilitator"), _l("Runs a workshop table: records needs, ideas and votes."), rank=20),
        Role("member", _l("Member"), _l("Takes part and sees what is shared with members."), rank=10),
    ]


@hookimpl
def register_permissions():
    return [
        Permission("members.manage", _l("Invite people, change roles and remove people"), ("admin",)),
        Permission("settings.manage", _l("Change the municipality's settings"), ("admin",)),
        Permission("outbox.read", _l("Read e-mail waiting in the outbox"), ("admin", "coordinator")),
        Permission("audit.read", _l("Read the audit log"), ("admin",)),
        Permission("dashboard.view", _l("See the dashboard"), ("admin", "coordinator", "facilitator", "member")),
    ]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("People"), "members.index", order=900, permission="members.manage")]


@hookimpl
def dashboard_widgets(tenant, user):
    return [Widget("members", _l("People"), "web.widget_members", order=900)]
