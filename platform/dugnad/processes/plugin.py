"""Processes as a default plugin: the BLT template, pages, API, reminders."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.processes import models
from dugnad.registry import Mount, NavItem, Permission, Schedule, Widget


@hookimpl
def register_models():
    return [models.Process, models.Phase, models.PhaseMove, models.ChecklistItem, models.Activity,
            models.Decision, models.ProcessParticipant, models.StakeholderEntry]


@hookimpl
def register_blueprints():
    from dugnad.processes.api import API_BLUEPRINTS
    from dugnad.processes.stakeholders import stakeholders
    from dugnad.processes.views import processes

    return [Mount(processes), Mount(stakeholders), *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_process_templates():
    from dugnad.processes.blt import BLT

    return [BLT]


@hookimpl
def register_permissions():
    return [
        Permission("processes.view", _l("See the municipality's processes"), ("admin", "coordinator", "facilitator", "member")),
        Permission("processes.manage", _l("Start, shape and move processes; plan activities"), ("admin", "coordinator")),
    ]


@hookimpl
def register_jobs():
    from dugnad.processes.reminders import send_meeting_invitations, send_overdue_reminders

    return [send_overdue_reminders, send_meeting_invitations]


@hookimpl
def register_schedules():
    from dugnad.processes.reminders import send_overdue_reminders

    return [Schedule(send_overdue_reminders, cron="0 7 * * *", per_tenant=True)]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Processes"), "processes.index", order=10, permission="processes.view")]


@hookimpl
def dashboard_widgets(tenant, user):
    return [Widget("processes", _l("Processes"), "processes.widget", order=10)]


@hookimpl
def process_tabs(tenant, process):
    return [NavItem(_l("People"), "stakeholders.people", order=10, permission="participants.view"),
            NavItem(_l("Stakeholder analysis"), "stakeholders.analysis", order=20, permission="participants.view")]


@hookimpl
def register_benchmark_metrics():
    from dugnad.processes.metrics import METRICS

    return METRICS
