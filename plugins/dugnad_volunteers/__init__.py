"""The volunteer resource bank (ressursbank av frivillige): what the plugin adds, at a glance.

Volunteers register on a public page and are reviewed and approved in advance by the
volunteer coordinator, with languages, qualifications and — per role — a record that a
police certificate was shown. Needs are matched to them (hard rules, then an explained
ranking); they answer by link. Events and reminders keep them warm; the regional pool
lets neighbouring municipalities find those who said yes to it. See README, "Volunteers".
"""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from dugnad.sdk import hookimpl, Mount, NavItem, Permission, Role, Schedule, SettingField, Widget

PLUGIN_NAME = "volunteers"
PLUGIN_LABEL = _l("Volunteer resource bank")
PLUGIN_DESCRIPTION = _l("Volunteers mapped and approved in advance, matched to needs within minutes, with police "
                        "certificates by role and a regional pool.")
HERE = Path(__file__).parent
STAFF = ("admin", "coordinator", "volunteer_coordinator")


@hookimpl
def register_models():
    from dugnad_volunteers.models import MODELS

    return MODELS


@hookimpl
def register_migrations():
    return [HERE / "migrations" / "versions"]


@hookimpl
def register_blueprints():
    from dugnad_volunteers.api import API_BLUEPRINTS
    from dugnad_volunteers.web import assets, public, region, volunteers

    return [Mount(volunteers), Mount(public, public=True), Mount(region, scope="region"), Mount(assets, scope="global"),
            *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_template_dirs():
    return [HERE / "templates"]


@hookimpl
def register_permissions():
    return [
        Permission("volunteers.manage", _l("Run the volunteer bank: review, match, ask, events, organisations"), STAFF),
        Permission("volunteers.setup", _l("Set up the volunteer bank: roles, areas, the consent text"), STAFF),
        Permission("volunteers.pool", _l("Find volunteers of neighbouring municipalities in the regional pool"), STAFF),
    ]


@hookimpl
def register_help_kinds():
    from dugnad_volunteers.handoffs import HELP_KINDS

    return HELP_KINDS


@hookimpl
def register_roles():
    return [Role("volunteer_coordinator", _l("Volunteer coordinator"),
                 _l("Frivillighetskoordinator: runs the volunteer bank, and sees nothing else."), rank=15)]


@hookimpl
def tenant_settings_schema():
    return [
        SettingField("volunteers_contact_email", _l("Volunteer coordinator's e-mail"), "email",
                     help=_l("Shown to volunteers, and gets a message when someone registers or answers.")),
        SettingField("volunteers_idle_days", _l("Days before a volunteer counts as idle"), "int", default=90,
                     help=_l("Approved volunteers with no task for this long are flagged and get a friendly e-mail.")),
        SettingField("volunteers_reminder_hours", _l("Hours before a task the volunteer is reminded"), "int", default=24),
        SettingField("volunteers_retention_months", _l("Months of inactivity before a volunteer is deleted"), "int",
                     default=24, help=_l("They are asked first, and deleted 30 days later if they do not answer.")),
    ]


@hookimpl
def register_benchmark_metrics():
    from dugnad_volunteers.metrics import METRICS

    return METRICS


def _jobs():
    from dugnad_volunteers import mail, retention, warmth

    return [mail.send_confirmation, mail.send_guardian_request, mail.notify_coordinator_new, mail.send_me_link,
            mail.send_decision, mail.send_request, mail.send_not_needed, mail.send_need_changed,
            mail.notify_coordinator_answer,
            warmth.send_event_invitations, warmth.send_event_cancellation, warmth.flag_idle_volunteers,
            warmth.send_assignment_reminders, retention.enforce_retention]


@hookimpl
def register_jobs():
    return _jobs()


@hookimpl
def register_schedules():
    from dugnad_volunteers import retention, warmth

    return [
        Schedule(warmth.send_assignment_reminders, cron="5 * * * *", per_tenant=True),
        Schedule(warmth.flag_idle_volunteers, cron="30 6 * * *", per_tenant=True),
        Schedule(retention.enforce_retention, cron="15 3 * * *", per_tenant=True),
    ]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Volunteers"), "volunteers.index", order=30, permission="volunteers.manage")]


@hookimpl
def dashboard_widgets(tenant, user):
    from dugnad.sdk import can

    if not can("volunteers.manage"):
        return []
    return [Widget("volunteers", _l("Volunteer bank"), "volunteers.widget", order=30)]


@hookimpl
def on_plugin_enabled(tenant, plugin_name):
    """A municipality switched on starts with the suggested roles (from Tønsberg's bank)."""
    if plugin_name == PLUGIN_NAME:
        from dugnad_volunteers.configuration import add_default_roles, roles

        if not roles(active_only=False):
            add_default_roles()


@hookimpl
def erase_person(tenant, person):
    """The person's own row is anonymised by ``retention.anonymise`` (by id, so a namesake
    keeps theirs); here the free text of needs, events, organisations and other records
    that mention them is blanked."""
    from dugnad.sdk import scrub_models
    from dugnad_volunteers.models import MODELS, Volunteer

    return scrub_models(person, [m for m in MODELS if m is not Volunteer])


@hookimpl
def demo_data(tenant):
    from dugnad_volunteers.demo import load

    return load(tenant)


@hookimpl
def register_audit_sentences():
    from dugnad_volunteers.audit_sentences import SENTENCES

    return SENTENCES
