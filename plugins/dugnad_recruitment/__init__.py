"""Recruitment tracks (rekrutteringsspor): what the plugin adds, at a glance.

From outside working life into a permanent municipal job (seed 004). A municipality
designs a track in a process from the plugin's template (target groups, personas,
solutions with a 3 days / 3 weeks / 3 months plan, the Enkla jobb worksheet), then
runs it: openings in units, candidates through the stages mapping → practice →
temporary job → permanent job, funding by NAV with its step-downs as data, mentors,
and outcomes at 6, 12 and 24 months.

Access is on need to know (``dugnad_recruitment.access``): the recruitment
coordinator sees every candidate; a unit leader and a mentor see only the candidates
placed with them, while the placement lasts; nobody else — not an admin, not another
coordinator. Every read of a candidate is logged with who and why and shown on the
record. The plugin imports only ``dugnad.sdk``. See README, "Recruitment tracks".
"""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from dugnad.sdk import Mount, NavItem, Permission, Role, Schedule, SettingField, Widget, can, hookimpl

PLUGIN_NAME = "recruitment"
PLUGIN_LABEL = _l("Recruitment tracks")
PLUGIN_DESCRIPTION = _l("From outside working life into a permanent municipal job: design a track, open places, follow "
                        "candidates, funding and outcomes — with need-to-know access and every read logged.")
HERE = Path(__file__).parent
COORDINATOR = ("recruitment_coordinator",)
DESIGNERS = ("admin", "coordinator", "recruitment_coordinator")


@hookimpl
def register_models():
    from dugnad_recruitment.models import MODELS

    return MODELS


@hookimpl
def register_migrations():
    return [HERE / "migrations" / "versions"]


@hookimpl
def register_blueprints():
    from dugnad_recruitment.api import API_BLUEPRINTS
    from dugnad_recruitment.web import assets, recruitment

    return [Mount(recruitment), Mount(assets, scope="global"), *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_template_dirs():
    return [HERE / "templates"]


@hookimpl
def register_permissions():
    return [
        Permission("recruitment.manage", _l("Run recruitment tracks: every candidate, openings, funding and outcomes"),
                   COORDINATOR),
        Permission("recruitment.design", _l("Design recruitment tracks: target groups, personas, solutions, Enkla jobb"),
                   DESIGNERS),
        Permission("recruitment.follow", _l("Follow one's own candidates as their leader or mentor"), ()),
    ]


@hookimpl
def register_roles():
    return [Role("recruitment_coordinator", _l("Recruitment coordinator"),
                 _l("Runs the recruitment tracks and is the only one who sees every candidate."), rank=15)]


# The recruitment coordinator works like a coordinator outside the candidates: the dashboard, the
# design processes, the participant register (persons to own a plan), polls and the figures.
AS_COORDINATOR = {"dashboard.view", "processes.view", "processes.manage", "participants.view",
                  "participants.manage", "voting.vote", "voting.manage", "benchmarks.view", "handoffs.send",
                  "handoffs.view"}


@hookimpl
def permission_allowed(tenant, user, permission):
    """A unit leader or mentor follows the candidates placed with them (and sees only those)."""
    if permission in AS_COORDINATOR:
        from dugnad_recruitment.access import role_of

        return True if role_of(user.id) == "recruitment_coordinator" else None
    if permission != "recruitment.follow":
        return None
    from dugnad_recruitment.access import follows_anyone

    return can("recruitment.manage") or follows_anyone(user.id)


@hookimpl
def tenant_settings_schema():
    return [
        SettingField("recruitment_contact_email", _l("Recruitment coordinator's e-mail"), "email",
                     help=_l("Gets the warnings before funding steps down or ends, and the outcome reminders.")),
        SettingField("recruitment_retention_months", _l("Months a candidate's record is kept after the track ends"),
                     "int", default=36,
                     help=_l("Then the record is anonymised by a nightly job; the figures stay.")),
    ]


@hookimpl
def register_process_templates():
    from dugnad_recruitment.design import TEMPLATE

    return [TEMPLATE]


@hookimpl
def register_benchmark_metrics():
    from dugnad_recruitment.metrics import METRICS

    return METRICS


@hookimpl
def register_jobs():
    from dugnad_recruitment import reminders, retention

    return [reminders.send_funding_warnings, reminders.send_outcome_reminders, retention.enforce_retention]


@hookimpl
def register_schedules():
    from dugnad_recruitment import reminders, retention

    return [
        Schedule(reminders.send_funding_warnings, cron="10 6 * * *", per_tenant=True),
        Schedule(reminders.send_outcome_reminders, cron="20 6 * * *", per_tenant=True),
        Schedule(retention.enforce_retention, cron="40 3 * * *", per_tenant=True),
    ]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Recruitment"), "recruitment.index", order=35, permission="recruitment.follow"),
            NavItem(_l("Track design"), "recruitment.designs", order=36, permission="recruitment.design")]


@hookimpl
def dashboard_widgets(tenant, user):
    if not can("recruitment.follow"):
        return []
    return [Widget("recruitment", _l("Recruitment tracks"), "recruitment.widget", order=35)]


@hookimpl
def on_plugin_enabled(tenant, plugin_name):
    """A municipality switched on starts with the seed's target groups and NAV's funding rules."""
    if plugin_name == PLUGIN_NAME:
        from dugnad_recruitment.setup import seed_defaults

        seed_defaults()


@hookimpl
def register_handoff_origins():
    """A candidate may ask other modules for help — a mentor from the volunteer bank (seed 004)."""
    from dugnad_recruitment.handoffs import ORIGINS

    return ORIGINS


@hookimpl
def handoff_changed(tenant, change):
    from dugnad_recruitment.handoffs import changed

    changed(change)


@hookimpl
def personal_data(tenant, participant):
    from dugnad_recruitment.privacy import export_for_participant

    return export_for_participant(participant)


@hookimpl
def demo_data(tenant):
    from dugnad_recruitment.demo import load

    return load(tenant)


@hookimpl
def register_audit_sentences():
    from dugnad_recruitment.audit_sentences import SENTENCES

    return SENTENCES
