"""The core's API resources as a default plugin."""

from dugnad.api.resources import invitations, members, municipalities
from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount


@hookimpl
def register_blueprints():
    return [Mount(municipalities, scope="api"), Mount(members, scope="api"), Mount(invitations, scope="api")]
