"""The newcomer service (tilflyttertjeneste): what the plugin adds, at a glance.

Establishing it: a process template with the six phases of seed 000, the insight
workshop (Statistics Norway's migration and population, the groups' measures and the
plenary's dot vote), the council decision and the phase-6 agreements. Running it (the
Åre model): newcomers register on a public page in five languages, the newcomer
coordinator gives each household a contact person and a checklist, follow-ups at 3, 6,
12 and 24 months record who stays, and retention per arrival cohort is the headline
figure. See README, "Newcomers".
"""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from dugnad.sdk import Mount, NavItem, Permission, Role, Schedule, SettingField, Widget, can, hookimpl

PLUGIN_NAME = "newcomers"
PLUGIN_LABEL = _l("Newcomer service")
PLUGIN_DESCRIPTION = _l("One contact person for every newcomer household, a checklist, follow-ups at 3, 6, 12 and "
                        "24 months, and how many still live here after one and two years.")
HERE = Path(__file__).parent
STAFF = ("admin", "coordinator", "newcomer_coordinator")


@hookimpl
def register_models():
    from dugnad_newcomers.models import MODELS

    return MODELS


@hookimpl
def register_migrations():
    return [HERE / "migrations" / "versions"]


@hookimpl
def register_blueprints():
    from dugnad_newcomers.api import API_BLUEPRINTS
    from dugnad_newcomers.web import newcomers, public

    return [Mount(newcomers), Mount(public, public=True), *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_template_dirs():
    return [HERE / "templates"]


@hookimpl
def register_permissions():
    return [
        Permission("newcomers.manage", _l("Run the newcomer service: every household, contact persons, the retention "
                                          "report"), ("admin", "newcomer_coordinator")),
        Permission("newcomers.contact", _l("Be a newcomer household's contact person: see and follow up one's own "
                                           "households"), STAFF),
        Permission("newcomers.establish", _l("Establish the newcomer service: insight workshop, decision, agreements"),
                   ("admin", "coordinator", "newcomer_coordinator")),
    ]


@hookimpl
def register_roles():
    return [Role("newcomer_coordinator", _l("Newcomer coordinator"),
                 _l("Tilflytterkoordinator: runs the newcomer service and is contact person for households."), rank=16)]


@hookimpl
def tenant_settings_schema():
    from dugnad_newcomers.checklist import DEFAULT_SETTING

    return [
        SettingField("newcomers_contact_email", _l("Newcomer coordinator's e-mail"), "email",
                     help=_l("Shown to newcomers, and gets a message when a household registers.")),
        SettingField("newcomers_checklist", _l("Newcomer checklist items"), "text", default=DEFAULT_SETTING,
                     help=_l("Separated by commas. Keep, remove or reorder the suggested items (partner_job, housing, "
                             "kindergarten, school, gp, norwegian, activities, welcome, local_contact), or write "
                             "an item of your own in plain words.")),
        SettingField("newcomers_retention_months", _l("Months after the last follow-up before a household is deleted"),
                     "int", default=12, help=_l("They are told first, and deleted 30 days later.")),
    ]


@hookimpl
def register_process_templates():
    from dugnad_newcomers.establishing import TEMPLATE

    return [TEMPLATE]


@hookimpl
def register_benchmark_metrics():
    from dugnad_newcomers.metrics import METRICS

    return METRICS


@hookimpl
def register_jobs():
    from dugnad_newcomers import followups, mail, retention

    return [mail.send_confirmation, mail.send_me_link, mail.notify_coordinator, followups.remind_follow_ups,
            retention.enforce_retention]


@hookimpl
def register_schedules():
    from dugnad_newcomers import followups, retention

    return [Schedule(followups.remind_follow_ups, cron="0 7 * * *", per_tenant=True),
            Schedule(retention.enforce_retention, cron="45 3 * * *", per_tenant=True)]


@hookimpl
def register_handoff_origins():
    from dugnad_newcomers.handoffs import ORIGINS

    return ORIGINS


@hookimpl
def handoff_changed(tenant, change):
    from dugnad_newcomers.handoffs import changed

    changed(change)


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Newcomers"), "newcomers.index", order=25, permission="newcomers.contact")]


@hookimpl
def dashboard_widgets(tenant, user):
    if not can("newcomers.contact"):
        return []
    return [Widget("newcomers", _l("Newcomer service"), "newcomers.widget", order=25)]


@hookimpl
def process_tabs(tenant, process):
    from dugnad.sdk import NavItem as Tab
    from dugnad_newcomers.establishing import TEMPLATE_KEY

    if process.template_key != TEMPLATE_KEY:
        return []
    return [Tab(_l("Insight workshop"), "newcomers.insight", order=60, permission="newcomers.establish"),
            Tab(_l("Decision and agreements"), "newcomers.agreements", order=61, permission="newcomers.establish")]


@hookimpl
def personal_data(tenant, participant):
    from dugnad_newcomers.households import personal_data as held

    return held(participant)


@hookimpl
def demo_data(tenant):
    from dugnad_newcomers.demo import load

    return load(tenant)


@hookimpl
def permission_allowed(tenant, user, permission):
    """The newcomer coordinator sees the dashboard (with the service's widget), where logging
    in lands them; everything else of the municipality stays as their role has it."""
    if permission == "dashboard.view":
        from flask import g

        membership = g.get("membership")
        if membership is not None and membership.role == "newcomer_coordinator":
            return True
    return None


@hookimpl
def register_audit_sentences():
    from dugnad_newcomers.audit_sentences import SENTENCES

    return SENTENCES
