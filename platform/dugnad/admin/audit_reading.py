"""Audit events as sentences in the reader's language: "opened the poll «Budsjett 2027»".

The things an event names (its object, a participant in its details) are looked up when the
page is read, never written into the log: a person erased since reads as erased, and a
renamed poll under its new name. A municipality's page names only that municipality's things
(each lookup is limited to it); the region's page names municipalities only. A name links to
its page where the reader may open it. The raw details stay, folded, for the admin."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from dugnad.extensions import db


@dataclass(frozen=True)
class Kind:
    model: str  # "module:Class"
    label: str  # the attribute that names it
    endpoint: str | None = None  # its page, and the permission to open it
    argument: str = ""
    permission: str = ""
    tenant_owned: bool = True


KINDS = {
    "Poll": Kind("dugnad.voting.models:Poll", "title", "voting.show", "poll_id", "voting.vote"),
    "Process": Kind("dugnad.processes.models:Process", "name", "processes.show", "process_id", "processes.view"),
    "Participant": Kind("dugnad.participants.models:Participant", "name", "participants.show", "participant_id",
                        "participants.view"),
    "Activity": Kind("dugnad.processes.models:Activity", "title"),
    "Phase": Kind("dugnad.processes.models:Phase", "name"),
    "Decision": Kind("dugnad.processes.models:Decision", "title"),
    "Handoff": Kind("dugnad.handoffs.models:Handoff", "origin_label", "handoffs.show", "handoff_id", "handoffs.view"),
    "Tenant": Kind("dugnad.tenancy.models:Tenant", "name", tenant_owned=False),
}
# ids in an event's details that name something the sentence can name too
DETAIL_KINDS = {"participant_id": "Participant", "process_id": "Process", "poll_id": "Poll"}

# what was done, said of its object (%(object)s); the person doing it is in the "Who" column
SENTENCES = {
    "account.login_ended": _l("ended one of their logins"),
    "account.logins_ended": _l("ended their other logins"),
    "account.password_changed": _l("changed their password"),
    "account.password_reset": _l("set a new password with a reset link"),
    "account.password_set_by_command": _l("had a password set from the command line"),
    "activity.changed": _l("changed the activity %(object)s"),
    "activity.created": _l("added the activity %(object)s"),
    "activity.deleted": _l("deleted the activity %(object)s"),
    "benchmarks.kostra_groups_changed": _l("changed the municipalities' KOSTRA groups"),
    "benchmarks.sharing_changed": _l("changed which figures the municipality shares"),
    "handoffs.sent": _l("sent the request for help %(object)s"),
    "handoffs.status": _l("moved the request for help %(object)s on"),
    "member.invitation_resent": _l("sent an invitation again"),
    "member.invitation_revoked": _l("withdrew an invitation"),
    "member.invited": _l("invited someone to the municipality"),
    "member.joined": _l("joined the municipality"),
    "member.removed": _l("removed a member from the municipality"),
    "member.role_changed": _l("changed a member's role"),
    "participant.archived": _l("archived the participant %(object)s"),
    "participant.changed": _l("changed the participant %(object)s"),
    "participant.created": _l("added the participant %(object)s"),
    "participant.exported": _l("downloaded what the register holds on %(object)s"),
    "participant.register_exported": _l("downloaded the participant register"),
    "participant.restored": _l("restored the participant %(object)s"),
    "poll.changed": _l("changed the poll %(object)s"),
    "poll.closed": _l("closed the poll %(object)s"),
    "poll.created": _l("created the poll %(object)s"),
    "poll.links_issued": _l("sent voting links for the poll %(object)s"),
    "poll.links_revoked": _l("withdrew the voting links of the poll %(object)s"),
    "poll.opened": _l("opened the poll %(object)s"),
    "poll.option_withdrawn": _l("withdrew an option from the poll %(object)s"),
    "poll.paper_ballot": _l("registered a paper ballot in the poll %(object)s"),
    "poll.proposals_started": _l("opened the poll %(object)s for proposals"),
    "process.decision_changed": _l("changed the decision %(object)s"),
    "process.decision_recorded": _l("recorded the decision %(object)s"),
    "process.invitation_list_exported": _l("downloaded the invitation list of the process %(object)s"),
    "process.moved": _l("moved the process %(object)s to another phase"),
    "process.participant_added": _l("added someone to the process %(object)s"),
    "process.participant_removed": _l("removed someone from the process %(object)s"),
    "process.participant_role_changed": _l("changed someone's role in the process %(object)s"),
    "process.phase_added": _l("added the phase %(object)s"),
    "process.phase_changed": _l("changed the phase %(object)s"),
    "process.phase_removed": _l("removed the phase %(object)s"),
    "process.stakeholder_added": _l("added a stakeholder to the process %(object)s"),
    "process.stakeholder_changed": _l("changed a stakeholder of the process %(object)s"),
    "process.stakeholder_conclusion_changed": _l("changed the stakeholder analysis' conclusion in %(object)s"),
    "process.stakeholder_removed": _l("removed a stakeholder from the process %(object)s"),
    "process.started": _l("started the process %(object)s"),
    "process.status_changed": _l("changed the status of the process %(object)s"),
    "tenant.created": _l("created the municipality %(object)s"),
    "tenant.plugin_disabled": _l("switched a module off for %(object)s"),
    "tenant.plugin_enabled": _l("switched a module on for %(object)s"),
    "tenant.renamed": _l("renamed the municipality %(object)s"),
    "tenant.resumed": _l("opened the municipality %(object)s again"),
    "tenant.settings_changed": _l("changed the settings of %(object)s"),
    "tenant.suspended": _l("suspended the municipality %(object)s"),
    "token.created": _l("created an access token for the API"),
    "token.revoked": _l("revoked an access token for the API"),
}


@dataclass
class Entry:
    event: Any
    who: str | None
    where: str | None
    sentence: Markup
    details: list[tuple[str, str]]


def _model(kind: Kind):
    module, name = kind.model.split(":")
    return getattr(importlib.import_module(module), name)


def _names(wanted: dict[str, set[int]], tenant_id: int | None) -> dict[tuple[str, int], str]:
    """(type, id) -> its name now, one query per type; on a municipality's page only its own things,
    on the region's only municipalities."""
    found: dict[tuple[str, int], str] = {}
    for type_name, ids in wanted.items():
        kind = KINDS[type_name]
        if kind.tenant_owned and tenant_id is None:
            continue
        model = _model(kind)
        query = select(model.id, getattr(model, kind.label)).where(model.id.in_(ids))
        if kind.tenant_owned:
            query = query.where(model.tenant_id == tenant_id)
        elif tenant_id is not None:  # a municipality itself: on a municipality's page, only that one
            query = query.where(model.id == tenant_id)
        found.update({(type_name, row_id): name for row_id, name in db.session.execute(query)})
    return found


def _id(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _thing(type_name: str, row_id: int | None, names: dict, tenant_id: int | None) -> Markup:
    """«name», linked where the reader may open it; what no longer exists (or is not ours to name) says so."""
    from dugnad.accounts.permissions import can

    name = names.get((type_name, row_id))
    if name is None:
        return escape(_("(deleted or not shown)"))
    kind = KINDS[type_name]
    text = escape(f"«{name}»")
    if kind.endpoint and tenant_id is not None and can(kind.permission):
        return Markup('<a class="ds-link" href="{}">{}</a>').format(url_for(kind.endpoint, **{kind.argument: row_id}),
                                                                    text)
    return text


def _sentences() -> dict[str, Any]:
    """The core's sentences and every installed plugin's (``register_audit_sentences``)."""
    from dugnad.plugins import plugins

    found = dict(SENTENCES)
    for _plugin, more in plugins().per_plugin("register_audit_sentences"):
        found.update({action: sentence for action, sentence in more.items() if action not in SENTENCES})
    return found


def actions() -> frozenset[str]:
    """Every action that has a sentence: the only ones ``dugnad.audit.record`` accepts in tests."""
    return frozenset(_sentences())


def describe(rows, tenant_id: int | None) -> list[Entry]:
    """``rows`` of (event, who, where) as entries to show; ``tenant_id`` None for the region's page."""
    wanted: dict[str, set[int]] = {}
    for event, _who, _where in rows:
        if event.object_type in KINDS and _id(event.object_id):
            wanted.setdefault(event.object_type, set()).add(_id(event.object_id))
        for key, type_name in DETAIL_KINDS.items():
            if _id((event.detail or {}).get(key)):
                wanted.setdefault(type_name, set()).add(_id(event.detail[key]))
    names = _names(wanted, tenant_id)
    sentences = _sentences()
    entries = []
    for event, who, where in rows:
        detail = event.detail or {}
        template = sentences.get(event.action)
        if template is None:  # an action with no sentence yet: its name, as before
            sentence = Markup("<code>{}</code>").format(event.action)
        else:
            sentence = escape(str(template))
            if "%(object)s" in sentence:  # the core's own sentences name their object
                thing = (_thing(event.object_type, _id(event.object_id), names, tenant_id)
                         if event.object_type in KINDS else escape(_("(not named)")))
                sentence = Markup(sentence.replace("%(object)s", thing))
        person = _id(detail.get("participant_id"))
        if person and event.object_type != "Participant":
            sentence += Markup(" ") + escape(_("(about %(person)s)")) % {
                "person": _thing("Participant", person, names, tenant_id)}
        details = [("action", event.action)] + [(str(k), "" if v is None else str(v)) for k, v in detail.items()]
        entries.append(Entry(event, who, where, sentence, details))
    return entries
