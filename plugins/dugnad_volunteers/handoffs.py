"""The bank receives requests for help from other modules (``dugnad.handoffs``): "a volunteer
for a task" becomes a need, matched as any need, and its progress flows back — being worked on
once volunteers are asked, done when enough have said yes ("matched: 2 volunteers"), declined
with the reason when the coordinator cancels it."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import lazy_gettext as _l

from dugnad.sdk import HelpField, HelpKind, Reference, Refusal, handoffs
from dugnad_volunteers import configuration
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.models import LANGUAGES

KIND = "volunteers.task"


def key_of(need_id: int) -> str:
    return f"volunteers.need:{need_id}"


def reference(need) -> Reference:
    return Reference(key_of(need.id), need.title, "volunteers.need", {"need_id": need.id})


def _roles():
    return [(str(role.id), role.name) for role in configuration.roles()]


def _languages():
    return [(key, str(label)) for key, label in LANGUAGES.items()]


def receive(request) -> Reference:
    """Make the need, with the same rules as the coordinator's own form (a time in the
    past, a role that is gone … are refused at the field they concern)."""
    from dugnad_volunteers import needs

    values = dict(request.values)
    values["volunteers_needed"] = values.get("volunteers_needed") or 1
    try:
        need = needs.create(values, None)
    except BankError as error:
        raise Refusal(str(error), error.field, error.status) from error
    return reference(need)


HELP_KINDS = [
    HelpKind(KIND, _l("Volunteers for a task"), (
        HelpField("title", _l("What the volunteers will do"), required=True,
                  help=_l("For example “Hosts at the international café”.")),
        HelpField("role_id", _l("Kind of task"), "choice", required=True, choices=_roles),
        HelpField("starts_at", _l("Starts"), "datetime", required=True),
        HelpField("ends_at", _l("Ends"), "datetime", required=True),
        HelpField("location", _l("Where")),
        HelpField("language", _l("Language they must speak"), "choice", choices=_languages),
        HelpField("volunteers_needed", _l("How many volunteers"), "int", required=True),
        HelpField("description", _l("About the task"), "textarea",
                  help=_l("What the volunteers should know. No names or details of the people they will meet.")),
    ), receive=receive, description=_l("The volunteer bank finds approved volunteers who match."),
        permission="volunteers.manage"),
]


def _report(need, status: str, **note) -> None:
    """Tell the handoff the need came from (if any, and still open) how it goes."""
    handoff = handoffs.received_for(key_of(need.id))
    if handoff is not None and handoff.is_open and handoff.status != status:
        handoffs.update_status(key_of(need.id), status, **note)


def asked(need) -> None:
    _report(need, "working")


def filled(need, accepted: int) -> None:
    # kept as text for everyone, so in the municipality's language — not that of the volunteer who said yes
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "nb")):
        outcome = ngettext("matched: %(num)s volunteer", "matched: %(num)s volunteers", accepted)
    _report(need, "done", outcome=outcome)


def cancelled(need) -> None:
    _report(need, "declined", reason=need.cancel_reason)


def origin_note(need):
    return handoffs.origin_note(key_of(need.id), level=2)

