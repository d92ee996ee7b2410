"""Handoffs: one module asks another for help, without importing it.

The origin (say, the workshops' pilot) offers "Ask for help" with the kinds of help that the
modules switched on here can receive (``offers``) and sends one (``send``): the core checks the
receiving form's values, keeps only them and the stated purpose, and hands them to the receiving
module's ``receive``, which creates its own object (say, a volunteer need) and returns a reference.
The receiver reports progress with ``update_status(target_key, status, …)``; the origin learns of
it through the ``handoff_changed`` hook, shows it on its object (``panel``), and its coordinator is
told by e-mail when the handoff is done or declined.

Statuses only move forward: sent → received → working → done, or declined from any open status.
The same status again (a replayed callback) changes nothing. Every refusal is a ``HandoffError``
raised before anything changes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from dugnad.audit import record
from dugnad.clock import utcnow
from dugnad.extensions import db
from dugnad.handoffs.models import FINAL, RANK, STATUSES, Handoff, HandoffEvent
from dugnad.refusals import Refusal
from dugnad.registry import HandoffChange, HandoffOrigin, HelpField, HelpKind, HelpRequest, Reference
from dugnad.tenancy.context import current_tenant_id

MAX_TEXT = 200
MAX_TEXTAREA = 2000
MAX_PURPOSE = 1000
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class HandoffError(Refusal):
    """A refused handoff or status change (nothing was changed)."""


# --- what is registered, and what is on here --------------------------------------------------------


def _registry():
    from dugnad.plugins import registry

    return registry()


def _enabled(plugin: str) -> bool:
    from dugnad.plugins import plugins

    tenant_id = current_tenant_id()
    return tenant_id is not None and plugins().is_enabled(plugin, tenant_id)


def kind(key: str) -> HelpKind | None:
    """The kind of help ``key``, if a module that is on here receives it."""
    registry = _registry()
    found = registry.help_kinds.get(key)
    if found is None or not _enabled(registry.help_kind_plugins[key]):
        return None
    return found


def origin_type(key: str) -> HandoffOrigin | None:
    registry = _registry()
    found = registry.handoff_origins.get(key)
    if found is None or not _enabled(registry.handoff_origin_plugins[key]):
        return None
    return found


def offers(origin: str) -> list[HelpKind]:
    """The kinds of help an object of type ``origin`` may ask for here: those whose receiving
    module is switched on in this municipality. Empty when none is on (or the origin's own
    module is off) — then the origin shows no "Ask for help" at all."""
    registry = _registry()
    own = registry.handoff_origin_plugins.get(origin)
    if own is None or not _enabled(own):
        return []
    return [k for key, k in registry.help_kinds.items() if _enabled(registry.help_kind_plugins[key])]


def receiver_on(handoff: Handoff) -> bool:
    """Whether the module that received the handoff is still switched on here."""
    return _enabled(handoff.receiver)


def can_send(origin: str) -> bool:
    from dugnad.accounts.permissions import can

    found = origin_type(origin)
    return found is not None and can("handoffs.send") and (found.permission is None or can(found.permission))


def resolve_origin(origin: str, origin_id: Any) -> tuple[HandoffOrigin, Reference]:
    """The origin object in this municipality, or a ``HandoffError`` (404): an unknown type,
    a module switched off, or no such object here (another municipality's, say)."""
    found = origin_type(origin)
    if found is None:
        raise HandoffError(_("Nothing here can ask for help of that kind."), "origin_type", status=404)
    try:
        number = int(origin_id)
    except (TypeError, ValueError):
        raise HandoffError(_("There is no such object in this municipality."), "origin_id", status=404) from None
    reference = found.resolve(number)
    if reference is None:
        raise HandoffError(_("There is no such object in this municipality."), "origin_id", status=404)
    return found, reference


# --- the receiving form's values ----------------------------------------------------------------------


def choices_of(field: HelpField) -> list[tuple[str, str]]:
    choices = field.choices() if callable(field.choices) else field.choices
    return [(str(value), str(label)) for value, label in choices]


def _parse(field: HelpField, raw: Any) -> Any:
    """One value, parsed for the receiver; raises HandoffError naming the field."""
    text = raw.strip() if isinstance(raw, str) else raw
    if text in (None, ""):
        if field.required:
            raise HandoffError(_("Fill in “%(label)s”.", label=field.label), field.key)
        return None
    if field.kind in ("text", "textarea"):
        limit = MAX_TEXT if field.kind == "text" else MAX_TEXTAREA
        text = str(text)
        if len(text) > limit:
            raise HandoffError(_("This can be at most %(n)s characters.", n=limit), field.key)
        return text
    if field.kind == "int":
        try:
            number = int(text)
        except (TypeError, ValueError):
            raise HandoffError(_("Write a whole number."), field.key) from None
        if not 0 <= number <= 10000:
            raise HandoffError(_("Write a number between 0 and 10,000."), field.key)
        return number
    if field.kind == "date":
        if isinstance(text, date) and not isinstance(text, datetime):
            return text
        try:
            return date.fromisoformat(str(text))
        except ValueError:
            raise HandoffError(_("Write the date as YYYY-MM-DD."), field.key) from None
    if field.kind == "datetime":
        if isinstance(text, datetime):
            return text.replace(tzinfo=None, second=0, microsecond=0)
        for pattern in DATETIME_FORMATS:
            try:
                return datetime.strptime(str(text), pattern)
            except ValueError:
                continue
        raise HandoffError(_("Write the day and time, e.g. 2026-12-10T17:00."), field.key)
    # choice
    allowed = dict(choices_of(field))
    if str(text) not in allowed:
        raise HandoffError(_("Choose from the list."), field.key)
    return str(text)


def check_values(help_kind: HelpKind, raw: dict[str, Any]) -> dict[str, Any]:
    """The receiving form's values, checked and parsed — and only those: anything else sent
    along is dropped, so no more than the receiver asks for ever crosses."""
    return {field.key: _parse(field, raw.get(field.key)) for field in help_kind.fields}


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, (date, datetime)) else value for key, value in values.items()}


def check_purpose(purpose: Any) -> str:
    text = (purpose or "").strip() if isinstance(purpose, str) else ""
    if len(text) < 10:
        raise HandoffError(_("Say what the help is for, in a sentence: the receiver sees only what the form asks "
                             "and this purpose."), "purpose")
    if len(text) > MAX_PURPOSE:
        raise HandoffError(_("This can be at most %(n)s characters.", n=MAX_PURPOSE), "purpose")
    return text


# --- sending ------------------------------------------------------------------------------------------


def _user_id(user=None) -> int | None:
    if user is not None:
        return getattr(user, "id", None)
    if has_request_context() and current_user and current_user.is_authenticated:
        return int(current_user.get_id())
    return None


def _user_name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    from dugnad.accounts.models import User

    return db.session.scalar(select(User.name).where(User.id == user_id))


def send(kind_key: str, origin: str, origin_id: Any, purpose: Any, values: dict[str, Any], user=None) -> Handoff:
    """Send a handoff from the object ``origin``/``origin_id`` to the module receiving ``kind_key``.

    Checks everything first (the kind is received by a module on here, the object is this
    municipality's, the purpose is stated, the form's values are valid), then creates the
    handoff, lets the receiving module create its object (it may still refuse a value) and
    records it as received. Raises ``HandoffError``; the caller rolls back."""
    registry = _registry()
    help_kind = registry.help_kinds.get(kind_key)
    if help_kind is None:
        raise HandoffError(_("That kind of help is not offered (any longer)."), "kind")
    if not _enabled(registry.help_kind_plugins[kind_key]):
        raise HandoffError(_("The module that gives this help is not switched on in this municipality."), "kind",
                           status=409)
    reference = resolve_origin(origin, origin_id)[1]
    text = check_purpose(purpose)
    checked = check_values(help_kind, values or {})
    by_id = _user_id(user)
    handoff = Handoff(
        kind=kind_key, kind_label=str(help_kind.label)[:200], receiver=registry.help_kind_plugins[kind_key],
        origin_type=origin, origin_id=int(origin_id), origin_label=reference.label[:200],
        origin_endpoint=reference.endpoint, origin_args=dict(reference.args),
        contact=reference.contact, participant_id=reference.participant_id, purpose=text,
        values=_json_ready(checked), status="sent", created_by_id=by_id,
    )
    db.session.add(handoff)
    db.session.flush()
    _event(handoff, "sent", None, by_id)
    try:
        target = help_kind.receive(HelpRequest(handoff_id=handoff.id, kind=kind_key, values=checked, purpose=text,
                                               origin_label=reference.label, sent_by=_user_name(by_id)))
    except HandoffError:
        raise
    except Refusal as error:  # the receiving module refused a value: the same refusal, nothing kept
        raise HandoffError(str(error), error.field, error.status) from error
    if not isinstance(target, Reference):
        raise TypeError(f"{kind_key}: receive must return a Reference")
    handoff.target_key, handoff.target_label = target.key, target.label[:200]
    handoff.target_endpoint, handoff.target_args = target.endpoint, dict(target.args)
    record("handoffs.sent", handoff, kind=kind_key, origin=f"{origin}:{origin_id}", receiver=handoff.receiver,
           target=target.key, fields=sorted(k for k, v in checked.items() if v is not None), purpose=text,
           participant_id=reference.participant_id)
    _move(handoff, "received", None, None, by_id)
    return handoff


# --- status -------------------------------------------------------------------------------------------


def get(handoff_id: int) -> Handoff | None:
    return db.session.scalar(select(Handoff).where(Handoff.id == handoff_id))


def received_for(target_key: str) -> Handoff | None:
    """The handoff that the receiving module's object ``target_key`` came from, if any."""
    return db.session.scalar(select(Handoff).where(Handoff.target_key == target_key).order_by(Handoff.id.desc()))


def update_status(target_key: str, status: str, *, outcome: str | None = None, reason: str | None = None,
                  user=None) -> Handoff | None:
    """The receiving module reports on its object ``target_key``: ``working``, ``done`` (with an
    ``outcome``, e.g. "matched: 2 volunteers") or ``declined`` (with a ``reason``). Returns the
    handoff, or None when the object did not come from a handoff. The same status again changes
    nothing; a status out of order raises ``HandoffError``."""
    handoff = db.session.scalar(select(Handoff).where(Handoff.target_key == target_key)
                                .order_by(Handoff.id.desc()).with_for_update())
    if handoff is None:
        return None
    change_status(handoff, status, outcome=outcome, reason=reason, user=user)
    return handoff


def change_status(handoff: Handoff, status: str, *, outcome: str | None = None, reason: str | None = None,
                  user=None) -> bool:
    """Move ``handoff`` to ``status``. Returns False when it already has that status (a replay:
    nothing changes, nobody is told twice); raises ``HandoffError`` for an unknown status, a
    status out of order, a closed handoff, or a receiving module switched off since."""
    if status not in STATUSES or status == "sent":
        raise HandoffError(_("Unknown status. Use received, working, done or declined."), "status")
    if status == handoff.status:
        return False
    if not receiver_on(handoff):
        raise HandoffError(_("The module that received this is switched off here; its status stays as it was."),
                           "status", status=409)
    if handoff.status in FINAL:
        raise HandoffError(_("This handoff is already %(status)s and cannot change.",
                             status=handoff.status_label.lower()), "status", status=409)
    if RANK[status] <= RANK[handoff.status]:
        raise HandoffError(_("Out of order: the handoff is already %(status)s.", status=handoff.status_label.lower()),
                           "status", status=409)
    if handoff.status == "sent" and status in ("working", "done"):
        raise HandoffError(_("Out of order: the handoff has not been received yet."), "status", status=409)
    outcome = (outcome or "").strip()[:300] or None
    reason = (reason or "").strip() or None
    if status == "declined" and not reason:
        raise HandoffError(_("Say why it is declined, so the sender understands."), "reason")
    if reason and len(reason) > MAX_TEXTAREA:
        raise HandoffError(_("This can be at most %(n)s characters.", n=MAX_TEXTAREA), "reason")
    _move(handoff, status, outcome, reason, _user_id(user))
    return True


def _event(handoff: Handoff, status: str, note: str | None, by_id: int | None) -> None:
    db.session.add(HandoffEvent(handoff_id=handoff.id, status=status, note=(note or None) and note[:500], by_id=by_id))


def _move(handoff: Handoff, status: str, outcome: str | None, reason: str | None, by_id: int | None) -> None:
    previous = handoff.status
    handoff.status, handoff.changed_at = status, utcnow()
    if status == "done":
        handoff.outcome = outcome
    if status == "declined":
        handoff.reason = reason
    if status in FINAL:
        handoff.closed_at = handoff.changed_at
    _event(handoff, status, outcome if status == "done" else reason, by_id)
    if status != "received":
        record("handoffs.status", handoff, status=status, previous=previous, outcome=outcome, reason=reason)
    db.session.flush()
    if status in FINAL:
        _tell_origin(handoff)
    _announce(handoff, previous)


def _announce(handoff: Handoff, previous: str | None) -> None:
    from dugnad.plugins import plugins
    from dugnad.tenancy.models import Tenant

    tenant = db.session.get(Tenant, handoff.tenant_id)
    change = HandoffChange(handoff_id=handoff.id, kind=handoff.kind, origin_type=handoff.origin_type,
                           origin_id=handoff.origin_id, status=handoff.status, previous=previous,
                           outcome=handoff.outcome, reason=handoff.reason, target_label=handoff.target_label)
    plugins().hook("handoff_changed", tenant.id)(tenant=tenant, change=change)


def _recipient(handoff: Handoff) -> str | None:
    if handoff.contact:
        return handoff.contact
    if handoff.created_by_id is None:
        return None
    from dugnad.accounts.models import User

    return db.session.scalar(select(User.email).where(User.id == handoff.created_by_id))


def _tell_origin(handoff: Handoff) -> None:
    """The origin's coordinator hears through the outbox that it is done or declined (once)."""
    from dugnad.links import external_url
    from dugnad.notifications import queue_mail

    recipient = _recipient(handoff)
    if not recipient:
        return
    link = external_url("handoffs.show", handoff_id=handoff.id)
    if handoff.status == "done":
        subject = _("Done: %(kind)s for %(origin)s", kind=handoff.kind_label, origin=handoff.origin_label)
        body = _("Your request “%(kind)s” for %(origin)s is done.\n\nWhat came of it: %(outcome)s\n\nSee it here: %(link)s",
                 kind=handoff.kind_label, origin=handoff.origin_label, outcome=handoff.outcome or "–", link=link)
    else:
        subject = _("Declined: %(kind)s for %(origin)s", kind=handoff.kind_label, origin=handoff.origin_label)
        body = _("Your request “%(kind)s” for %(origin)s was declined.\n\nWhy: %(reason)s\n\nSee it here: %(link)s",
                 kind=handoff.kind_label, origin=handoff.origin_label, reason=handoff.reason, link=link)
    queue_mail(f"handoff_{handoff.status}", recipient, f"handoff:{handoff.id}", subject[:250], body)


# --- reading ------------------------------------------------------------------------------------------


def for_origin(origin: str, origin_id: int, limit: int | None = None) -> list[Handoff]:
    query = (select(Handoff).where(Handoff.origin_type == origin, Handoff.origin_id == origin_id)
             .order_by(Handoff.created_at.desc(), Handoff.id.desc()))
    return list(db.session.scalars(query.limit(limit) if limit else query))


def timelines(handoffs: Iterable[Handoff]) -> dict[int, list[HandoffEvent]]:
    """The events of several handoffs in one query, oldest first."""
    ids = [h.id for h in handoffs]
    out: dict[int, list[HandoffEvent]] = {i: [] for i in ids}
    if ids:
        for event in db.session.scalars(select(HandoffEvent).where(HandoffEvent.handoff_id.in_(ids))
                                        .order_by(HandoffEvent.at, HandoffEvent.id)):
            out[event.handoff_id].append(event)
    return out


PAGE_SIZE = 50
PANEL_SIZE = 5  # handoffs shown on the origin's page; the rest are in the list


def listing(page: int = 1, status: str | None = None, kind_key: str | None = None,
            origin: tuple[str, int] | None = None, page_size: int = PAGE_SIZE) -> list[Handoff]:
    """A page of the municipality's handoffs, newest first, filtered by status, kind or origin."""
    query = (select(Handoff).order_by(Handoff.created_at.desc(), Handoff.id.desc())
             .limit(page_size).offset((max(1, page) - 1) * page_size))
    if status:
        query = query.where(Handoff.status == status)
    if kind_key:
        query = query.where(Handoff.kind == kind_key)
    if origin:
        query = query.where(Handoff.origin_type == origin[0], Handoff.origin_id == origin[1])
    return list(db.session.scalars(query))


def shown_status(handoff: Handoff) -> str:
    """The status as people read it: "module off" while the receiver is switched off and it is open."""
    if handoff.is_open and not receiver_on(handoff):
        return _("Module off")
    return handoff.status_label


def panel(origin: str, origin_id: int, level: int = 3) -> Markup:
    """The origin's "Ask for help" and its newest handoffs with status, timeline and link across —
    to put on the object's page (``{{ handoffs_panel }}``); older ones are a link away. Shows
    nothing when no receiving module is on here and nothing has been sent."""
    from flask import render_template

    sent = for_origin(origin, origin_id, limit=PANEL_SIZE + 1)
    kinds = offers(origin) if can_send(origin) else []
    if not sent and not kinds:
        return Markup("")
    shown = sent[:PANEL_SIZE]
    return Markup(render_template("handoffs/_panel.html", origin_type=origin, origin_id=origin_id, kinds=kinds,
                                  handoffs=shown, more=len(sent) > PANEL_SIZE, events=timelines(shown),
                                  shown_status=shown_status, target_link=target_link, level=level))


def origin_on(handoff: Handoff) -> bool:
    """Whether the module the handoff came from is still switched on here."""
    owner = _registry().handoff_origin_plugins.get(handoff.origin_type)
    return owner is not None and _enabled(owner)


def target_link(handoff: Handoff) -> str | None:
    """The receiving object's page, for someone who may open it (its module on, its permission held)."""
    from flask import url_for

    from dugnad.accounts.permissions import can

    found = _registry().help_kinds.get(handoff.kind)
    if (found is None or not handoff.target_endpoint or not receiver_on(handoff)
            or (found.permission and not can(found.permission))):
        return None
    return url_for(handoff.target_endpoint, **handoff.target_args)


def origin_link(handoff: Handoff) -> str | None:
    """The origin object's page, for someone who may open it (its module on, its permission held)."""
    from flask import url_for

    from dugnad.accounts.permissions import can

    origin = _registry().handoff_origins.get(handoff.origin_type)
    if origin is None or not origin_on(handoff) or (origin.permission and not can(origin.permission)):
        return None
    return url_for(handoff.origin_endpoint, **handoff.origin_args)


def sent_values(handoff: Handoff) -> list[tuple[str, Any]]:
    """What crossed, as (label, value): labels from the kind's form where it still exists."""
    found = _registry().help_kinds.get(handoff.kind)
    labels = {f.key: str(f.label) for f in found.fields} if found else {}
    choices = {f.key: dict(choices_of(f)) for f in found.fields if f.kind == "choice"} if found else {}
    return [(labels.get(key, key), choices.get(key, {}).get(str(value), value)) for key, value in handoff.values.items()]


def origin_note(target_key: str, level: int = 3) -> Markup:
    """For the receiving object's page: where the request came from, its purpose and timeline."""
    from flask import render_template

    handoff = received_for(target_key)
    if handoff is None:
        return Markup("")
    return Markup(render_template("handoffs/_origin_note.html", handoff=handoff, level=level,
                                  origin_link=origin_link(handoff),
                                  events=timelines([handoff])[handoff.id]))


def personal_data(participant) -> list[dict[str, Any]]:
    """Handoffs about the person, for their data export."""
    rows = db.session.scalars(select(Handoff).where(Handoff.participant_id == participant.id).order_by(Handoff.id))
    return [{"id": h.id, "kind": h.kind_label, "from": h.origin_label, "to": h.target_label, "purpose": h.purpose,
             "values": h.values, "status": h.status, "outcome": h.outcome, "reason": h.reason,
             "sent": h.created_at.isoformat(timespec="seconds")} for h in rows]
