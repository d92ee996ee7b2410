"""What one does with a process: start it from a template, shape its phases, move
through it (forward and back), plan activities, record decisions, tick the checklist.

Every function works in the current municipality (the ORM scopes every query) and
raises ``ProcessError`` — with the form field it concerns — before it changes
anything, so a refused request leaves nothing half-saved. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from dugnad.accounts.models import User
from dugnad.audit import record
from dugnad.clock import local_now, today
from dugnad.extensions import db
from dugnad.refusals import Refusal
from dugnad.participants.models import Participant
from dugnad.processes.models import (
    ACTIVITY_KINDS,
    ACTIVITY_STATUSES,
    DEFAULT_CHECKLIST,
    LADDER,
    Activity,
    ChecklistItem,
    Decision,
    Phase,
    PhaseMove,
    Process,
)
from dugnad.processes.templates import ProcessTemplate

TIMED_KINDS = ("meeting", "workshop")
OPEN_STATUSES = ("planned", "in_progress")

# Short explanations of the participation ladder's steps (seed 000, medvirkningstrappa).
LADDER_HELP = {
    1: _l("The municipality tells residents that the work has started: newsletters, the local paper, notice boards, streamed council meetings."),
    2: _l("Leaders and staff meet smaller groups where they are: a business breakfast, local events, workplaces, schools, an open office day."),
    3: _l("Those involved help develop the work with the municipality, for example on a joint study trip or at shared events."),
    4: _l("Business, volunteers and residents take ownership through a shared agreement with the municipality."),
    5: _l("A meeting place where the parties' knowledge and views feed straight into the municipality's decisions."),
}
DIRECTIONS = {"start": _l("Started in"), "forward": _l("Moved forward to"), "back": _l("Moved back to")}


class ProcessError(Refusal):
    """A refused change to a process, with a message for the person and the field it concerns."""


# --- templates -----------------------------------------------------------------


def templates() -> dict[str, ProcessTemplate]:
    """The templates the municipality in context can start from: the core's, and those of
    the plugins switched on there (all of them outside a municipality)."""
    from dugnad.tenancy.context import current_tenant_id

    loaded = current_app.extensions["dugnad.plugins"]
    everything = loaded.registry.process_templates
    tenant_id = current_tenant_id()
    if tenant_id is None:
        return everything
    owners = loaded.registry.template_plugins
    return {key: t for key, t in everything.items() if loaded.is_enabled(owners.get(key, ""), tenant_id)}


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [str(line).strip() for line in value if str(line).strip()]


# --- lookups (scoped to the municipality by the ORM) -----------------------------


def get_process(process_id: int) -> Process | None:
    return db.session.scalar(select(Process).where(Process.id == process_id))


def get_phase(process: Process, phase_id: Any) -> Phase | None:
    try:
        phase_id = int(phase_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Phase).where(Phase.id == phase_id, Phase.process_id == process.id))


def phases_of(process: Process) -> list[Phase]:
    return list(db.session.scalars(select(Phase).where(Phase.process_id == process.id).order_by(Phase.position, Phase.id)))


def participant_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Participant.id, Participant.name).where(Participant.archived_at.is_(None)).order_by(Participant.name)
    ).all()
    return [(row.id, row.name) for row in rows]


# --- start and shape -------------------------------------------------------------


def start_process(template_key: str, name: str | None, user: User | None, description: str | None = None) -> Process:
    template = templates().get(template_key)
    if template is None:
        raise ProcessError(_("There is no process template called “%(key)s”.", key=template_key), "template")
    name = (name or "").strip() or template.name
    if len(name) > 200:
        raise ProcessError(_("The name can be at most 200 characters."), "name")
    process = Process(template_key=template.key, name=name, description=description if description is not None else template.description,
                      created_by_id=user.id if user else None)
    db.session.add(process)
    db.session.flush()
    first = None
    for position, source in enumerate(template.phases):
        phase = Phase(
            process_id=process.id, position=position, key=source.key, name=source.name,
            desired_result=source.desired_result or None, suggested_measures=list(source.suggested_measures),
            key_questions=list(source.key_questions), responsible_roles=list(source.responsible_roles),
            ladder_level=source.ladder_level,
        )
        db.session.add(phase)
        db.session.flush()
        _add_checklist(phase, [(kind, str(text)) for kind, text in DEFAULT_CHECKLIST] + [("phase", t) for t in source.checklist])
        first = first or phase
    process.current_phase_id = first.id
    db.session.add(PhaseMove(process_id=process.id, from_phase_id=None, to_phase_id=first.id, from_name=None,
                             to_name=first.name, direction="start",
                             reason=_("Started from the template “%(name)s”.", name=template.name),
                             moved_by_id=user.id if user else None))
    record("process.started", process, template=template.key, name=process.name)
    return process


def _add_checklist(phase: Phase, items: list[tuple[str, str]]) -> None:
    for position, (kind, text) in enumerate(items):
        db.session.add(ChecklistItem(phase_id=phase.id, kind=kind, text=text[:300], position=position))


def update_process(process: Process, name: str, description: str | None, status: str | None = None) -> None:
    name = (name or "").strip()
    if not name:
        raise ProcessError(_("Give the process a name."), "name")
    if status is not None and status not in ("active", "paused", "closed"):
        raise ProcessError(_("Choose active, paused or closed."), "status")
    process.name = name[:200]
    process.description = (description or "").strip() or None
    if status is not None and status != process.status:
        record("process.status_changed", process, status=status)
        process.status = status


def add_phase(process: Process, name: str, **fields: Any) -> Phase:
    name = (name or "").strip()
    if not name:
        raise ProcessError(_("Give the phase a name."), "name")
    last = db.session.scalar(select(func.max(Phase.position)).where(Phase.process_id == process.id))
    phase = Phase(process_id=process.id, position=(last or 0) + 1 if last is not None else 0, name=name[:200],
                  suggested_measures=[], key_questions=[], responsible_roles=[], ladder_level=1)
    db.session.add(phase)
    db.session.flush()
    if fields:
        update_phase(phase, **fields)
    _add_checklist(phase, [(kind, str(text)) for kind, text in DEFAULT_CHECKLIST])
    record("process.phase_added", phase, process_id=process.id, name=phase.name)
    return phase


def update_phase(phase: Phase, **fields: Any) -> None:
    """Change what is given: name, desired_result, suggested_measures, key_questions,
    responsible_roles (lists or one item per line), ladder_level 1–5, position."""
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise ProcessError(_("Give the phase a name."), "name")
        if len(name) > 200:
            raise ProcessError(_("The name can be at most 200 characters."), "name")
    if "ladder_level" in fields and fields["ladder_level"] not in LADDER:
        raise ProcessError(_("Choose a step on the participation ladder from 1 to 5."), "ladder_level")
    if "position" in fields:
        position = fields["position"]
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise ProcessError(_("The position is a whole number from 0."), "position")
    if "name" in fields:
        phase.name = fields["name"].strip()
    if "desired_result" in fields:
        phase.desired_result = (fields["desired_result"] or "").strip() or None
    for key in ("suggested_measures", "key_questions", "responsible_roles"):
        if key in fields:
            setattr(phase, key, _lines(fields[key]))
    if "ladder_level" in fields:
        phase.ladder_level = fields["ladder_level"]
    if "position" in fields:
        place_phase(phase, fields["position"])


def _renumber(phases: list[Phase]) -> None:
    for position, phase in enumerate(phases):
        phase.position = position


def place_phase(phase: Phase, position: int) -> None:
    process = db.session.get(Process, phase.process_id)
    others = [p for p in phases_of(process) if p.id != phase.id]
    position = max(0, min(position, len(others)))
    others.insert(position, phase)
    _renumber(others)


def shift_phase(phase: Phase, delta: int) -> None:
    """Move a phase one step up (-1) or down (+1) in the order."""
    process = db.session.get(Process, phase.process_id)
    phases = phases_of(process)
    index = next(i for i, p in enumerate(phases) if p.id == phase.id)
    target = index + delta
    if 0 <= target < len(phases):
        phases[index], phases[target] = phases[target], phases[index]
    _renumber(phases)


def remove_phase(process: Process, phase: Phase) -> None:
    """Refused while the phase is current or holds activities, so nothing is lost.
    Decisions made in it keep their text; they are no longer tied to a phase."""
    if process.current_phase_id == phase.id:
        raise ProcessError(_("“%(name)s” is the current phase. Move the process to another phase first.", name=phase.name), "phase")
    count = db.session.scalar(select(func.count()).select_from(Activity).where(Activity.phase_id == phase.id))
    if count:
        raise ProcessError(
            _("“%(name)s” has %(n)s activities. Move them to another phase or delete them first.", name=phase.name, n=count),
            "phase",
        )
    if len(phases_of(process)) <= 1:
        raise ProcessError(_("A process needs at least one phase."), "phase")
    for decision in db.session.scalars(select(Decision).where(Decision.phase_id == phase.id)):
        decision.phase_id = None
    for item in db.session.scalars(select(ChecklistItem).where(ChecklistItem.phase_id == phase.id)):
        db.session.delete(item)
    db.session.flush()
    record("process.phase_removed", phase, process_id=process.id, name=phase.name)
    db.session.delete(phase)
    db.session.flush()
    _renumber(phases_of(process))


# --- moving through the process ------------------------------------------------------


def move_to(process: Process, phase_id: Any, reason: str | None, user: User | None) -> PhaseMove:
    reason = (reason or "").strip()
    target = get_phase(process, phase_id)
    if target is None:
        raise ProcessError(_("That phase no longer exists – it may have been removed in another window. Choose another phase."), "phase_id")
    if not reason:
        raise ProcessError(_("Say why the process moves, so others can follow the history."), "reason")
    if target.id == process.current_phase_id:
        raise ProcessError(_("The process is already in “%(name)s”.", name=target.name), "phase_id")
    current = get_phase(process, process.current_phase_id) if process.current_phase_id else None
    if current is None:
        direction = "start"
    else:
        direction = "forward" if (target.position, target.id) > (current.position, current.id) else "back"
    move = PhaseMove(process_id=process.id, from_phase_id=current.id if current else None,
                     to_phase_id=target.id, from_name=current.name if current else None, to_name=target.name,
                     direction=direction, reason=reason, moved_by_id=user.id if user else None)
    db.session.add(move)
    process.current_phase_id = target.id
    db.session.flush()
    record("process.moved", process, direction=direction, to=target.name, reason=reason,
           **({"from": current.name} if current else {}))
    return move


def history(process: Process) -> list[tuple[PhaseMove, str | None]]:
    """Moves, newest first, with the name of who moved."""
    return list(db.session.execute(
        select(PhaseMove, User.name).outerjoin(User, User.id == PhaseMove.moved_by_id)
        .where(PhaseMove.process_id == process.id).order_by(PhaseMove.moved_at.desc(), PhaseMove.id.desc())
    ).tuples())


# --- activities -----------------------------------------------------------------------


ACTIVITY_FIELDS = ("phase_id", "kind", "title", "description", "owner_id", "due_date", "starts_at", "ends_at",
                   "location", "status", "ladder_level")
INVITATION_FIELDS = ("title", "starts_at", "ends_at", "location", "description", "status")


def _check_activity(process: Process, data: dict[str, Any], activity: Activity | None) -> dict[str, Any]:
    merged = {key: getattr(activity, key) if activity else None for key in ACTIVITY_FIELDS}
    merged.update({k: v for k, v in data.items() if k in ACTIVITY_FIELDS})
    merged["kind"] = merged["kind"] or "task"
    merged["status"] = merged["status"] or "planned"
    if merged["kind"] not in ACTIVITY_KINDS:
        raise ProcessError(_("Choose a meeting, a workshop or a task."), "kind")
    if merged["status"] not in ACTIVITY_STATUSES:
        raise ProcessError(_("Choose a status from the list."), "status")
    title = (merged["title"] or "").strip()
    if not title:
        raise ProcessError(_("Give the activity a title."), "title")
    if len(title) > 200:
        raise ProcessError(_("The title can be at most 200 characters."), "title")
    merged["title"] = title
    phase = get_phase(process, merged["phase_id"])
    if phase is None:
        raise ProcessError(_("Choose a phase of this process. The one chosen no longer exists."), "phase_id")
    merged["phase_id"] = phase.id
    owner_id = merged["owner_id"]
    if owner_id in ("", None):
        merged["owner_id"] = None
    else:
        try:
            owner_id = int(owner_id)
        except (TypeError, ValueError):
            owner_id = None
        owner = db.session.scalar(select(Participant.id).where(Participant.id == owner_id)) if owner_id else None
        if owner is None:
            raise ProcessError(_("Choose the owner from this municipality's participants."), "owner_id")
        merged["owner_id"] = owner
    if merged["ladder_level"] in ("", None):
        merged["ladder_level"] = None
    elif merged["ladder_level"] not in LADDER:
        raise ProcessError(_("Choose a step on the participation ladder from 1 to 5."), "ladder_level")
    if merged["kind"] in TIMED_KINDS:
        starts, ends = merged["starts_at"], merged["ends_at"]
        if starts is None:
            raise ProcessError(_("Give the start time of the meeting."), "starts_at")
        if ends is None:
            raise ProcessError(_("Give the end time of the meeting."), "ends_at")
        if ends <= starts:
            raise ProcessError(_("The meeting must end after it starts."), "ends_at")
        changed_time = activity is None or starts != activity.starts_at
        if changed_time and starts < local_now():
            raise ProcessError(_("The start time has passed. A new meeting must be in the future."), "starts_at")
        if merged["due_date"] is None:
            merged["due_date"] = starts.date()
    else:
        merged["starts_at"] = merged["ends_at"] = None
    merged["description"] = (merged["description"] or "").strip() or None
    merged["location"] = (merged["location"] or "").strip()[:200] or None
    return merged


def create_activity(process: Process, data: dict[str, Any]) -> Activity:
    values = _check_activity(process, data, None)
    activity = Activity(process_id=process.id, sequence=0, **values)
    db.session.add(activity)
    db.session.flush()
    record("activity.created", activity, process_id=process.id, title=activity.title, kind=activity.kind)
    if activity.kind in TIMED_KINDS:
        _invite(activity)
    return activity


def update_activity(process: Process, activity: Activity, data: dict[str, Any]) -> Activity:
    values = _check_activity(process, data, activity)
    changed = {key: value for key, value in values.items() if getattr(activity, key) != value}
    if not changed:
        return activity
    invite = activity.kind in TIMED_KINDS or values["kind"] in TIMED_KINDS
    # people are told of a new time, place or text, and of a cancellation (or its undoing) —
    # not of a meeting marked in progress or done
    told = set(changed) & (set(INVITATION_FIELDS) - {"status"}) or (
        "status" in changed and "cancelled" in (activity.status, values["status"]))
    for key, value in changed.items():
        setattr(activity, key, value)
    if "due_date" in changed:
        activity.reminded_on = None  # a new deadline earns a new reminder when it passes
    record("activity.changed", activity, process_id=process.id,
           changed=sorted(changed), **({"status": activity.status} if "status" in changed else {}))
    if invite and activity.kind in TIMED_KINDS and told:
        activity.sequence += 1
        db.session.flush()
        _invite(activity)
    return activity


def delete_activity(process: Process, activity: Activity) -> None:
    record("activity.deleted", activity, process_id=process.id, title=activity.title)
    if activity.kind in TIMED_KINDS and activity.status != "cancelled":
        activity.status = "cancelled"
        activity.sequence += 1
        db.session.flush()
        from dugnad.processes.reminders import invitation_messages

        invitation_messages(activity)  # the cancellation goes out now: the row is about to go
    db.session.delete(activity)
    db.session.flush()


def _invite(activity: Activity) -> None:
    from dugnad.jobs import enqueue_after_commit
    from dugnad.processes.reminders import send_meeting_invitations

    enqueue_after_commit(send_meeting_invitations, activity.id, job_id=f"invite-{activity.tenant_id}-{activity.id}-{activity.sequence}")


def overdue_clause():
    return and_(Activity.status.in_(OPEN_STATUSES), Activity.due_date.is_not(None), Activity.due_date < today())


def is_overdue(activity: Activity) -> bool:
    return activity.status in OPEN_STATUSES and activity.due_date is not None and activity.due_date < today()


def activities_of(process: Process, phase_id: int | None = None, status: str | None = None,
                  owner_id: int | None = None, overdue: bool | None = None, kind: str | None = None) -> list[Activity]:
    query = (select(Activity).where(Activity.process_id == process.id).options(selectinload(Activity.owner))
             .order_by(Activity.due_date.is_(None), Activity.due_date, Activity.starts_at, Activity.id))
    if phase_id is not None:
        query = query.where(Activity.phase_id == phase_id)
    if status:
        query = query.where(Activity.status == status)
    if kind:
        query = query.where(Activity.kind == kind)
    if owner_id is not None:
        query = query.where(Activity.owner_id == owner_id)
    if overdue:
        query = query.where(overdue_clause())
    return list(db.session.scalars(query))


def overdue_counts(process_ids: list[int] | None = None) -> dict[int, int]:
    query = select(Activity.process_id, func.count()).where(overdue_clause()).group_by(Activity.process_id)
    if process_ids is not None:
        query = query.where(Activity.process_id.in_(process_ids))
    return dict(db.session.execute(query).all())


# --- decisions and checklists -------------------------------------------------------------


def record_decision(process: Process, user: User | None, decided_on: date | None, title: str, text: str | None,
                    decided_by: str | None, phase_id: Any = None) -> Decision:
    title = (title or "").strip()
    if not title:
        raise ProcessError(_("Give the decision a title."), "title")
    if decided_on is None:
        raise ProcessError(_("Give the date of the decision."), "decided_on")
    phase = None
    if phase_id not in (None, "", 0):
        phase = get_phase(process, phase_id)
        if phase is None:
            raise ProcessError(_("That phase no longer exists. Choose another, or none."), "phase_id")
    decision = Decision(process_id=process.id, phase_id=phase.id if phase else None, decided_on=decided_on,
                        title=title[:200], text=(text or "").strip() or None,
                        decided_by=(decided_by or "").strip()[:200] or None, recorded_by_id=user.id if user else None)
    db.session.add(decision)
    db.session.flush()
    record("process.decision_recorded", decision, process_id=process.id, title=decision.title)
    return decision


def decisions_of(process: Process) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(Decision.process_id == process.id)
                                   .order_by(Decision.decided_on.desc(), Decision.id.desc())))


def checklists(process: Process) -> dict[int, list[tuple[ChecklistItem, str | None]]]:
    """phase id -> its checklist items with who ticked them, in one query."""
    rows = db.session.execute(
        select(ChecklistItem, User.name)
        .join(Phase, and_(Phase.id == ChecklistItem.phase_id, Phase.tenant_id == ChecklistItem.tenant_id))
        .outerjoin(User, User.id == ChecklistItem.done_by_id)
        .where(Phase.process_id == process.id)
        .order_by(ChecklistItem.position, ChecklistItem.id)
    ).tuples()
    out: dict[int, list] = {}
    for item, name in rows:
        out.setdefault(item.phase_id, []).append((item, name))
    return out


def get_checklist_item(process: Process, item_id: int) -> ChecklistItem | None:
    return db.session.scalar(
        select(ChecklistItem).join(Phase, and_(Phase.id == ChecklistItem.phase_id, Phase.tenant_id == ChecklistItem.tenant_id))
        .where(ChecklistItem.id == item_id, Phase.process_id == process.id)
    )


def tick(item: ChecklistItem, done: bool, user: User | None) -> None:
    if done and item.done_at is None:
        item.done_at = datetime.utcnow().replace(microsecond=0)
        item.done_by_id = user.id if user else None
    elif not done:
        item.done_at = None
        item.done_by_id = None


def add_checklist_item(phase: Phase, text: str) -> ChecklistItem:
    text = (text or "").strip()
    if not text:
        raise ProcessError(_("Write what is to be done."), "text")
    last = db.session.scalar(select(func.max(ChecklistItem.position)).where(ChecklistItem.phase_id == phase.id))
    item = ChecklistItem(phase_id=phase.id, kind="own", text=text[:300], position=(last or 0) + 1)
    db.session.add(item)
    db.session.flush()
    return item


# --- the list of processes ----------------------------------------------------------------


@dataclass
class ProcessRow:
    process: Process
    phase_name: str | None
    ladder_level: int | None
    overdue: int = 0
    activities: int = 0


def process_rows(status: str | None = None) -> list[ProcessRow]:
    """Every process with its current phase and overdue count: three queries, however many."""
    query = (select(Process, Phase.name, Phase.ladder_level)
             .outerjoin(Phase, and_(Phase.id == Process.current_phase_id, Phase.tenant_id == Process.tenant_id))
             .order_by(Process.status, Process.name, Process.id))
    if status:
        query = query.where(Process.status == status)
    rows = [ProcessRow(p, name, level) for p, name, level in db.session.execute(query).tuples()]
    overdue = overdue_counts()
    totals = dict(db.session.execute(select(Activity.process_id, func.count()).group_by(Activity.process_id)).all())
    for row in rows:
        row.overdue = overdue.get(row.process.id, 0)
        row.activities = totals.get(row.process.id, 0)
    return rows


@dataclass
class Board:
    """What the overview (the *bordduk*) and the plan show, loaded in a fixed number of queries."""

    process: Process
    phases: list[Phase]
    activities: dict[int, list[Activity]] = field(default_factory=dict)
    checklists: dict[int, list] = field(default_factory=dict)
    current: Phase | None = None

    @property
    def overdue(self) -> int:
        return sum(1 for group in self.activities.values() for a in group if is_overdue(a))


def board(process: Process, with_checklists: bool = False) -> Board:
    phases = phases_of(process)
    result = Board(process, phases, current=next((p for p in phases if p.id == process.current_phase_id), None))
    for phase in phases:
        result.activities[phase.id] = []
    for activity in activities_of(process):
        result.activities.setdefault(activity.phase_id, []).append(activity)
    if with_checklists:
        result.checklists = checklists(process)
    return result
