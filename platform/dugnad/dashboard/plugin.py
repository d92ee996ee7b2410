"""The front door, dashboard and health check as a default plugin."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem
from dugnad.dashboard.views import public, web


@hookimpl
def register_blueprints():
    return [Mount(public, scope="global"), Mount(web, scope="tenant")]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Overview"), "web.dashboard", order=0, permission="dashboard.view")]
