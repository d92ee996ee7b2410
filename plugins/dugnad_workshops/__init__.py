"""Local development workshops for refugee integration (*lokale utviklingsverksteder*,
IMDi / Agenda Kaupang, seed 003): the municipality, volunteers and employers meet in two
workshops with homework in between, and test the best solutions as pilots.

A workshop series is a core process started from this plugin's template; its people
come from the participant register, its plenary dot vote and its pilot matrix are core
polls. What the plugin adds, at a glance, is below.
"""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from dugnad.sdk import hookimpl, Mount, NavItem, Permission, Schedule, Widget

PLUGIN_LABEL = _l("Integration workshops")
PLUGIN_DESCRIPTION = _l("Local development workshops where the municipality, volunteers and employers find and "
                        "test new ways to integrate refugees faster and better.")
HERE = Path(__file__).parent


@hookimpl
def register_models():
    from dugnad_workshops.models import MODELS

    return MODELS


@hookimpl
def register_migrations():
    return [HERE / "migrations" / "versions"]


@hookimpl
def register_blueprints():
    from dugnad_workshops.api import API_BLUEPRINTS
    from dugnad_workshops.views import assets, public, workshops

    return [Mount(workshops), Mount(public, public=True), Mount(assets, scope="global"),
            *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_template_dirs():
    return [HERE / "templates"]


@hookimpl
def register_permissions():
    return [
        Permission("workshops.view", _l("See the workshop series, their summaries and pilots"),
                   ("admin", "coordinator", "facilitator", "member")),
        Permission("workshops.facilitate", _l("Run a workshop table: record needs and ideas, check people in"),
                   ("admin", "coordinator", "facilitator")),
        Permission("workshops.manage", _l("Plan workshop series: themes, invitations, the room, homework, "
                                          "summaries and pilots"), ("admin", "coordinator")),
    ]


@hookimpl
def register_process_templates():
    from dugnad_workshops.template import WORKSHOPS

    return [WORKSHOPS]


@hookimpl
def register_handoff_origins():
    from dugnad_workshops.handoffs import ORIGINS

    return ORIGINS


@hookimpl
def register_benchmark_metrics():
    from dugnad_workshops.metrics import METRICS

    return METRICS


@hookimpl
def register_jobs():
    from dugnad_workshops import homework, invitations, summaries

    return [invitations.send_invitations, invitations.sync_invitations, summaries.send_summary,
            homework.send_homework_reminders]


@hookimpl
def register_schedules():
    from dugnad_workshops import homework, invitations

    return [Schedule(homework.send_homework_reminders, cron="0 8 * * *", per_tenant=True),
            Schedule(invitations.sync_invitations, cron="*/15 * * * *", per_tenant=True)]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Workshops"), "workshops.index", order=20, permission="workshops.view")]


@hookimpl
def process_tabs(tenant, process):
    from dugnad_workshops.template import KEY

    if process.template_key != KEY:
        return []
    return [NavItem(_l("Workshops"), "workshops.series", order=50, permission="workshops.view"),
            NavItem(_l("Pilots"), "workshops.pilots", order=60, permission="workshops.view")]


@hookimpl
def dashboard_widgets(tenant, user):
    return [Widget("workshops", _l("Integration workshops"), "workshops.widget", order=20)]


@hookimpl
def personal_data(tenant, participant):
    from .privacy import personal_data as workshop_data

    return workshop_data(participant)


@hookimpl
def erase_person(tenant, person):
    """Workshop people are the core's participants; what is written about them in needs,
    solutions, homework, summaries and pilots is blanked."""
    from dugnad.sdk import scrub_models
    from dugnad_workshops.models import MODELS

    return scrub_models(person, MODELS)


@hookimpl(trylast=True)
def demo_data(tenant):
    """Last, so the modules the demo asks for help (handoffs) have made their own demo data."""
    from dugnad_workshops import handoffs
    from dugnad_workshops.demo import load

    return load(tenant) + handoffs.demo(tenant)


@hookimpl
def register_audit_sentences():
    from dugnad_workshops.audit_sentences import SENTENCES

    return SENTENCES
