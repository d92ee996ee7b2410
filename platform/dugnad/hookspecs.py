"""Every hook a Dugnad plugin can implement.

Boot-time hooks are called once in ``create_app()`` for every installed plugin.
Request-time hooks are called only for plugins switched on for the current
municipality (``Plugins.hook(name)``). Each hook returns small frozen dataclasses
from ``dugnad.registry`` rather than dicts. The README's plugin guide documents
each one; ``tests/core/test_hookspecs.py`` checks guide and specs agree.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("dugnad")
hookimpl = pluggy.HookimplMarker("dugnad")

# --- boot-time -----------------------------------------------------------------


@hookspec
def register_models():
    """Return a list of SQLAlchemy model classes the plugin defines (importing them registers their tables)."""


@hookspec
def register_migrations():
    """Return a list of directories holding the plugin's Alembic versions (one branch per plugin)."""


@hookspec
def register_blueprints():
    """Return a list of ``Mount(blueprint, scope)``; scope "tenant" mounts under ``/<tenant>/``."""


@hookspec
def register_template_dirs():
    """Return a list of directories searched for templates after the platform's own."""


@hookspec
def register_permissions():
    """Return a list of ``Permission(key, label, roles)``: what the permission allows and which roles have it by default."""


@hookspec
def register_roles():
    """Return a list of ``Role(key, label, description, rank)`` a municipal admin can give people."""


@hookspec
def tenant_settings_schema():
    """Return a list of ``SettingField`` a municipal admin can set for the municipality."""


@hookspec
def register_process_templates():
    """Return a list of ``ProcessTemplate`` a municipality can start a process from."""


@hookspec
def register_poll_methods():
    """Return a list of ``PollMethod``: whole ways of voting (the ballot form, storage, validation,
    tally, data export and results; ``dugnad.voting.methods`` documents each member)."""


@hookspec
def register_benchmark_metrics():
    """Return a list of ``Metric`` the region compares municipalities on."""


@hookspec
def register_jobs():
    """Return a list of job functions that may be enqueued by name (``jobs.enqueue``)."""


@hookspec
def register_schedules():
    """Return a list of ``Schedule(job, cron, per_tenant)`` run periodically by ``dugnad worker``."""


@hookspec
def register_commands():
    """Return a list of click commands added to the ``dugnad`` command line."""


@hookspec
def register_help_kinds():
    """Return a list of ``HelpKind(key, label, fields, receive, description, permission)``: the kinds
    of help the module can receive from another module through a handoff (``dugnad.handoffs``).
    ``fields`` are ``HelpField``s, the receiving module's short form; ``receive(HelpRequest)``
    creates the module's own object and returns its ``Reference``. A kind is offered only where
    its module is switched on."""


@hookspec
def register_handoff_origins():
    """Return a list of ``HandoffOrigin(type, label, resolve, permission)``: the kinds of object the
    module may ask another module's help for. ``resolve(object_id)`` returns the object's
    ``Reference`` in the current municipality, or None."""


# --- request-time (only plugins enabled for the current municipality) -----------


@hookspec
def navigation_items(tenant, user):
    """Return a list of ``NavItem(label, endpoint, order)`` for the municipality's main navigation."""


@hookspec
def dashboard_widgets(tenant, user):
    """Return a list of ``Widget(key, title, endpoint, order)``; the dashboard loads each endpoint with htmx."""


@hookspec
def process_tabs(tenant, process):
    """Return a list of ``NavItem(label, endpoint, order, permission)``: pages added to a process
    (each endpoint takes ``process_id``), shown as tabs after the process's own."""


@hookspec
def personal_data(tenant, participant):
    """Return a dict of sections (name -> JSON-ready data) of what the plugin holds on ``participant``:
    added to the person's data export (GDPR art. 15)."""


@hookspec
def erase_person(tenant, person):
    """Remove or blank every copy the plugin holds of ``person`` (a ``dugnad.erasure.Person``:
    names, e-mails, phones, references) in ``tenant``, in its context and the caller's
    transaction, whether the plugin is switched on there or not. Return how many rows it touched."""


@hookspec
def register_audit_sentences():
    """Return a dict of the plugin's audit actions (what it passes to ``record``) to what was done,
    said as a lazily translated predicate ("approved a volunteer"): the audit log shows it after
    the person who did it. Name no one in it: the log names people only by id."""


@hookspec
def extra_template_vars(tenant, user):
    """Return a dict of extra variables for every template rendered in the municipality."""


@hookspec
def on_plugin_enabled(tenant, plugin_name):
    """Called (in the tenant's context) when the region switches ``plugin_name`` on for ``tenant``."""


@hookspec
def demo_data(tenant):
    """Add the plugin's demo data to ``tenant`` (``dugnad seed-demo``, in its context, only where the
    plugin is on). Return a list of lines saying what was added; add nothing when it is already there."""


@hookspec
def handoff_changed(tenant, change):
    """Called after a handoff's status changed (received, working, done, declined) with a
    ``HandoffChange``; a module reacts to changes of handoffs its objects sent (compare
    ``change.origin_type``) — it learns the status and outcome, never the receiver's objects."""


@hookspec(firstresult=True)
def permission_allowed(tenant, user, permission):
    """Return True or False to decide ``permission`` for ``user``; None leaves it to the role defaults."""
