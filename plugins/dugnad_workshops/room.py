"""The room of a workshop: tables (a theme and a facilitator who stays), who is in the
room, the placement for the first sitting and every rotation, checking people in at the
door, and running the rounds.

The placement itself is the pure ``placement.place``; this module feeds it the room and
keeps what it returns. Rounds already held are never re-placed, and a re-balance keeps
people's seats where it can, so printed schedules stay true for most of the room.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import String, and_, cast, delete, func, or_, select
from sqlalchemy.orm import selectinload

from dugnad.sdk import CATEGORIES, db, Participant, record, utcnow
from dugnad_workshops import placement
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.invitations import attendance_of
from dugnad_workshops.models import Attendance, Need, Placement, Solution, Theme, Workshop, WorkshopTable

MAX_TABLE_NAME = 80


# --- tables --------------------------------------------------------------------------------


def tables_of(workshop: Workshop) -> list[WorkshopTable]:
    return list(db.session.scalars(select(WorkshopTable).where(WorkshopTable.workshop_id == workshop.id)
                                   .options(selectinload(WorkshopTable.facilitator))
                                   .order_by(WorkshopTable.position, WorkshopTable.id)))


def get_table(workshop: Workshop, table_id: int) -> WorkshopTable | None:
    return db.session.scalar(select(WorkshopTable).where(WorkshopTable.id == table_id, WorkshopTable.workshop_id == workshop.id))


def themes_by_id(workshop: Workshop) -> dict[int, Theme]:
    return {t.id: t for t in db.session.scalars(select(Theme).where(Theme.process_id == workshop.process_id))}


def _check_table(workshop: Workshop, values: dict, table: WorkshopTable | None) -> dict:
    name = " ".join((values.get("name") or "").split())
    if not name:
        raise WorkshopError(_("Give the table a name, for example “Table 1” or “Housing”."), "name")
    if len(name) > MAX_TABLE_NAME:
        raise WorkshopError(_("The name can be at most %(n)s characters.", n=MAX_TABLE_NAME), "name")
    seats = values.get("seats")
    if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 40:
        raise WorkshopError(_("A table has between 1 and 40 seats."), "seats")
    theme_id = values.get("theme_id")
    if theme_id in ("", None):
        theme_id = None
    else:
        theme = db.session.scalar(select(Theme.id).where(Theme.id == theme_id, Theme.process_id == workshop.process_id))
        if theme is None:
            raise WorkshopError(_("Choose one of the series' themes."), "theme_id")
    facilitator_id = values.get("facilitator_id")
    if facilitator_id in ("", None):
        facilitator_id = None
    else:
        found = db.session.scalar(select(Participant.id).where(Participant.id == facilitator_id,
                                                                Participant.archived_at.is_(None)))
        if found is None:
            raise WorkshopError(_("Choose the facilitator from this municipality's register."), "facilitator_id")
        other = db.session.scalar(select(WorkshopTable.name).where(
            WorkshopTable.workshop_id == workshop.id, WorkshopTable.facilitator_id == facilitator_id,
            WorkshopTable.id != (table.id if table else 0)))
        if other is not None:
            raise WorkshopError(_("They already facilitate “%(table)s”. A facilitator stays at one table.", table=other),
                                "facilitator_id")
    return {"name": name, "seats": seats, "theme_id": theme_id, "facilitator_id": facilitator_id}


def add_table(workshop: Workshop, **values) -> WorkshopTable:
    checked = _check_table(workshop, values, None)
    last = db.session.scalar(select(func.max(WorkshopTable.position)).where(WorkshopTable.workshop_id == workshop.id))
    table = WorkshopTable(workshop_id=workshop.id, position=(last or 0) + 1, **checked)
    db.session.add(table)
    db.session.flush()
    record("workshops.table_added", table, workshop_id=workshop.id, name=table.name)
    return table


def update_table(workshop: Workshop, table: WorkshopTable, **values) -> None:
    checked = _check_table(workshop, values, table)
    for key, value in checked.items():
        setattr(table, key, value)
    record("workshops.table_changed", table, workshop_id=workshop.id)


def remove_table(workshop: Workshop, table: WorkshopTable) -> None:
    """Refused while the table holds recorded work or a round held there, so nothing is lost."""
    work = db.session.scalar(select(func.count()).select_from(Need).where(Need.table_id == table.id))
    work += db.session.scalar(select(func.count()).select_from(Solution).where(Solution.table_id == table.id))
    if work:
        raise WorkshopError(_("“%(table)s” has needs and ideas recorded. They would be lost, so the table stays.",
                              table=table.name), "table")
    if workshop.status != "planned":
        held = db.session.scalar(select(func.count()).select_from(Placement).where(
            Placement.table_id == table.id, Placement.round <= workshop.current_round))
        if held:
            raise WorkshopError(_("People have sat at “%(table)s” already. It stays for the record.", table=table.name),
                                "table")
    db.session.execute(delete(Placement).where(Placement.table_id == table.id, Placement.tenant_id == table.tenant_id))
    record("workshops.table_removed", table, workshop_id=workshop.id, name=table.name)
    db.session.delete(table)
    db.session.flush()


def copy_tables(source: Workshop, target: Workshop) -> int:
    """Workshop 2 splits into groups the same way as workshop 1 (seed 003, §4.1.5)."""
    if tables_of(target):
        raise WorkshopError(_("This workshop has tables already."), "tables")
    copied = 0
    for table in tables_of(source):
        db.session.add(WorkshopTable(workshop_id=target.id, name=table.name, theme_id=table.theme_id,
                                     facilitator_id=table.facilitator_id, seats=table.seats, position=table.position))
        copied += 1
    if not copied:
        raise WorkshopError(_("Workshop 1 has no tables to copy."), "tables")
    db.session.flush()
    record("workshops.tables_copied", target, source_id=source.id, count=copied)
    return copied


# --- who is in the room ---------------------------------------------------------------------


def in_room(workshop: Workshop, attending: list[Attendance] | None = None,
            tables: list[WorkshopTable] | None = None) -> list[Attendance]:
    """Here, or coming and not yet checked in — excluding the facilitators, who have their own chair."""
    attending = attendance_of(workshop) if attending is None else attending
    hosts = {t.facilitator_id for t in (tables_of(workshop) if tables is None else tables)}
    return [a for a in attending if a.in_room and a.participant_id not in hosts]


def check_in(attendance: Attendance, presence: str | None) -> None:
    if presence not in ("present", "absent", None):
        raise WorkshopError(_("Choose here or did not come."), "presence")
    attendance.presence = presence
    record("workshops.checked_in", attendance, presence=presence)


def arrive_late(workshop: Workshop, participant_id: int) -> Attendance:
    """Someone came who was not on the list, or not expected: they are here now."""
    participant = db.session.scalar(select(Participant).where(Participant.id == participant_id,
                                                             Participant.archived_at.is_(None)))
    if participant is None:
        raise WorkshopError(_("Choose the person from the register, or add them to the register first."), "participant_id")
    attendance = db.session.scalar(select(Attendance).where(Attendance.workshop_id == workshop.id,
                                                           Attendance.participant_id == participant.id))
    if attendance is None:
        attendance = Attendance(workshop_id=workshop.id, participant_id=participant.id)
        db.session.add(attendance)
    attendance.presence, attendance.arrived_late = "present", True
    db.session.flush()
    record("workshops.arrived_late", attendance, participant_id=participant.id)
    return attendance


# --- the placement --------------------------------------------------------------------------


def stored_rounds(workshop: Workshop) -> list[dict[int, int]]:
    rows = db.session.execute(select(Placement.round, Placement.participant_id, Placement.table_id)
                              .where(Placement.workshop_id == workshop.id)).all()
    rounds: dict[int, dict[int, int]] = defaultdict(dict)
    for round_, participant_id, table_id in rows:
        rounds[round_][participant_id] = table_id
    return [rounds.get(r, {}) for r in range(max(rounds, default=-1) + 1)]


def _placement_error(error: placement.PlacementError) -> WorkshopError:
    messages = {
        "no_tables": (_("Add the tables first: each with a theme and a facilitator."), "tables"),
        "no_facilitator": (_("“%(table)s” has no facilitator. Every table needs one who stays there all evening.",
                             table=error.table.name if error.table else ""), "facilitator_id"),
        "facilitator_twice": (_("The same person facilitates two tables. A facilitator stays at one table."),
                              "facilitator_id"),
        "bad_seats": (_("Every table needs at least one seat."), "seats"),
        "too_many_people": (_("There are %(people)s people in the room and only %(seats)s seats. Add a table or seats; "
                              "nobody has been placed yet.", people=error.people, seats=error.seats), "seats"),
        "bad_rotations": (_("There are fewer rotations than rounds already held."), "rotations"),
        "duplicate_person": (_("Someone is on the list twice."), "attendance"),
    }
    message, field_name = messages[error.code]
    return WorkshopError(message, field_name)


@dataclass
class Placed:
    plan: placement.Plan
    held: int  # rounds kept as they were
    moved: int = 0  # people whose planned seat changed in a round to come


def place_people(workshop: Workshop) -> Placed:
    """Place (or re-balance) the room: the rounds held stay, the rest is planned around
    who is in the room now, keeping people's seats where it can."""
    tables = tables_of(workshop)
    people = in_room(workshop)
    held = workshop.current_round if workshop.status == "running" else 0
    if workshop.status == "held":
        raise WorkshopError(_("The workshop has been held: its placement is kept as it was."), "placement")
    stored = stored_rounds(workshop)
    room = [placement.Table(id=t.id, seats=t.seats, facilitator=t.facilitator_id, name=t.name) for t in tables]
    crowd = [placement.Person(id=a.participant_id, category=a.participant.category) for a in people]
    try:
        plan = placement.place(room, crowd, workshop.rotations, held=stored[:held], planned=stored[held:])
    except placement.PlacementError as error:
        raise _placement_error(error) from error
    planned = stored[held:]
    moved = sum(1 for step, r in enumerate(plan.rounds[held:]) if step < len(planned)
                for p, t in r.items() if planned[step].get(p, t) != t)
    db.session.execute(delete(Placement).where(Placement.workshop_id == workshop.id, Placement.round >= held,
                                               Placement.tenant_id == workshop.tenant_id))
    for round_, assignment in enumerate(plan.rounds):
        if round_ < held:
            continue
        for participant_id, table_id in sorted(assignment.items()):
            db.session.add(Placement(workshop_id=workshop.id, round=round_, participant_id=participant_id, table_id=table_id))
    db.session.flush()
    record("workshops.placed", workshop, people=len(crowd), tables=len(room), rounds=workshop.rotations + 1,
           held=held, moved=moved, repeats=len(plan.repeats))
    return Placed(plan, held, moved)


@dataclass(frozen=True)
class Seated:
    """Who sits at a table, as the pages show them (no ORM object: a room has hundreds)."""

    id: int
    name: str
    category: str
    category_label: str


@dataclass
class Grid:
    """The placement as the pages show it: round -> table id -> people (by name)."""

    rounds: list[dict[int, list[Seated]]] = field(default_factory=list)
    unplaced: list[Attendance] = field(default_factory=list)  # in the room, but not in the plan yet
    stale: list[Seated] = field(default_factory=list)  # placed, but no longer in the room
    repeats: dict[int, set[int]] = field(default_factory=dict)  # participant -> tables seen more than once

    @property
    def placed(self) -> bool:
        return any(people for r in self.rounds for people in r.values())

    def table_of(self, round_: int, participant_id: int) -> int | None:
        for table_id, people in self.rounds[round_].items():
            if any(p.id == participant_id for p in people):
                return table_id
        return None


def _seats_and_names(workshop: Workshop) -> tuple[list[tuple], list[tuple]]:
    """The seats (round, participant, table) and the seated people's (id, name, category) by name."""
    # the seats, then the people by their keys: joining the two in SQL let PostgreSQL choose a
    # nested loop over every seat × every participant whenever the tables had no statistics
    # yet (as right after placing a room), 60 ms for 840 seats instead of 1
    seats = [tuple(seat) for seat in db.session.execute(
        select(Placement.round, Placement.participant_id, Placement.table_id).where(Placement.workshop_id == workshop.id))]
    by_name = [tuple(row) for row in db.session.execute(
        select(Participant.id, Participant.name, Participant.category)
        .where(Participant.id.in_({seat[1] for seat in seats}))
        .order_by(func.lower(Participant.name)))] if seats else []
    return seats, by_name


def _first_future(workshop: Workshop) -> int:
    return workshop.current_round if workshop.status == "running" else 0


def grid(workshop: Workshop, tables: list[WorkshopTable] | None = None, room: list[Attendance] | None = None) -> Grid:
    """``room``: who is in the room (``in_room``), when the caller has it already."""
    tables = tables_of(workshop) if tables is None else tables
    seats, by_name = _seats_and_names(workshop)
    room = in_room(workshop, tables=tables) if room is None else room
    return _grid_of(workshop.rotations + 1, _first_future(workshop), [t.id for t in tables], seats, by_name, room)


def _grid_of(count: int, first_future: int, table_ids: list[int], seats: list[tuple], by_name: list[tuple],
             room: list) -> Grid:
    """The grid from plain rows (pure): ``count`` rounds, ``room`` anything with a ``participant_id``."""
    order = {row[0]: position for position, row in enumerate(by_name)}
    named = {row[0]: (row[1], row[2]) for row in by_name}
    # (round, place in the alphabet, …): sorting plain tuples, no key function
    seats = sorted((round_, order[participant_id], participant_id, table_id)
                   for round_, participant_id, table_id in seats if participant_id in order)
    rows = [(round_, table_id, participant_id, *named[participant_id]) for round_, _o, participant_id, table_id in seats]
    result = Grid()
    result.rounds = [{table_id: [] for table_id in table_ids} for _ in range(count)]
    visits: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[int, Seated] = {}
    labels: dict[str, str] = {}
    for round_, table_id, participant_id, name, category in rows:
        person = people.get(participant_id)
        if person is None:
            label = labels.get(category)
            if label is None:
                label = labels[category] = str(CATEGORIES.get(category, category))
            person = people[participant_id] = Seated(participant_id, name, category, label)
        if round_ < count and table_id in result.rounds[round_]:
            result.rounds[round_][table_id].append(person)
            visits[participant_id][table_id] += 1
    placed = set(visits)
    limit = 1 if count <= len(table_ids) else -(-count // max(1, len(table_ids)))
    result.repeats = {p: {t for t, n in v.items() if n > limit} for p, v in visits.items() if any(n > limit for n in v.values())}
    present = {a.participant_id for a in room}
    result.unplaced = [a for a in room if a.participant_id not in placed] if rows else list(room)
    stale = {}
    for round_ in range(first_future, count):
        for people_at_table in result.rounds[round_].values():
            for person in people_at_table:
                if person.id not in present:
                    stale[person.id] = person
    result.stale = sorted(stale.values(), key=lambda p: p.name.lower())
    return result


# --- the room page: plain rows, and the seating built once per room ---------------------------


class RoomTable(NamedTuple):
    """A table as the room page shows it (a plain row, its facilitator's name joined in)."""

    id: int
    name: str
    theme_id: int | None
    facilitator_id: int | None
    seats: int
    facilitator_name: str | None


class InRoom(NamedTuple):
    """Someone in the room (here, or coming and not yet checked in), as the room page shows them."""

    participant_id: int
    name: str


def room_tables(workshop: Workshop) -> list[RoomTable]:
    """The tables with their facilitators' names, in one statement (``tables_of`` loads the
    facilitators with a second one, and ORM objects the room page does not need)."""
    return [RoomTable(*row) for row in db.session.execute(
        select(WorkshopTable.id, WorkshopTable.name, WorkshopTable.theme_id, WorkshopTable.facilitator_id,
               WorkshopTable.seats, Participant.name)
        .outerjoin(WorkshopTable.facilitator)
        .where(WorkshopTable.workshop_id == workshop.id)
        .order_by(WorkshopTable.position, WorkshopTable.id))]


def in_room_rows(workshop: Workshop, tables: list[RoomTable]) -> list[InRoom]:
    """``in_room`` as plain rows (by name): who is here or coming, without the facilitators."""
    hosts = {t.facilitator_id for t in tables}
    rows = db.session.execute(
        select(Attendance.participant_id, Participant.name).join(Attendance.participant)
        .where(Attendance.workshop_id == workshop.id,
               or_(Attendance.presence == "present", and_(Attendance.presence.is_(None), Attendance.response == "yes")))
        .order_by(func.lower(Participant.name), Attendance.id))
    return [InRoom(*row) for row in rows if row[0] not in hosts]


_PLANS: dict[tuple, tuple[Grid, list[Markup]]] = {}
PLANS_KEPT = 32  # rooms (and languages) kept per process


def room_plan(workshop: Workshop, tables: list[RoomTable], present: list[InRoom]) -> tuple[Grid, list[Markup]]:
    """The grid and its seating as the room page shows them. Both follow from the rows read
    here alone (and the language), so they are built once per version of the room and kept
    in this process under those very rows: a vote or a check-in elsewhere in the municipality
    renders the page afresh, but a room that did not change is not built again. The key is
    the rows themselves, not a digest of them, so a kept plan is never a different room's."""
    # the seats as one row per table and round (105 rows for 840 seats), who sits there in a string
    groups = [tuple(row) for row in db.session.execute(
        select(Placement.round, Placement.table_id, func.aggregate_strings(cast(Placement.participant_id, String), ","))
        .where(Placement.workshop_id == workshop.id).group_by(Placement.round, Placement.table_id))]
    seated = {int(p) for _r, _t, people in groups for p in people.split(",")}
    by_name = [tuple(row) for row in db.session.execute(
        select(Participant.id, Participant.name, Participant.category)
        .where(Participant.id.in_(seated)).order_by(func.lower(Participant.name)))] if seated else []
    count, first_future = workshop.rotations + 1, _first_future(workshop)
    key = (str(get_locale()), workshop.id, count, first_future, tuple(tables), frozenset(groups), tuple(by_name),
           tuple(present))
    plan = _PLANS.get(key)
    if plan is None:
        seats = [(round_, int(p), table_id) for round_, table_id, people in groups for p in people.split(",")]
        made = _grid_of(count, first_future, [t.id for t in tables], seats, by_name, present)
        plan = (made, seating(made, tables) if made.placed else [])
        while len(_PLANS) >= PLANS_KEPT:
            _PLANS.pop(next(iter(_PLANS)), None)
        _PLANS[key] = plan
    return plan


def seating(grid: Grid, tables: list[RoomTable]) -> list[Markup]:
    """Each round's tables as the room page shows them, built here rather than in the
    template: a room of 120 over 7 rounds is 840 list items, and per-item template work and
    translation calls were most of the page's time. Each person's item is escaped once and
    reused each round; each round is one piece of HTML."""
    here_before = Markup(' <span class="ds-tag" data-color="warning">{}</span>').format(_("here before"))
    items: dict[int, Markup] = {}
    repeated: dict[tuple[int, int], Markup] = {}
    filled: dict[tuple[int, int], str] = {}
    names = {t.id: Markup("<strong>{}</strong>{}").format(
        t.name, Markup(" · {}").format(_("facilitator %(name)s", name=t.facilitator_name)) if t.facilitator_name else "")
        for t in tables}
    table_html = Markup('<div class="seating__table"><p class="seating__name">{}</p><ul class="seating__people">{}</ul>'
                        '<p class="ds-paragraph muted" data-size="sm">{}</p></div>')
    out = []
    for round_ in grid.rounds:
        row = []
        for table in tables:
            people = round_.get(table.id, [])
            html = []
            for person in people:
                if person.id in grid.repeats and table.id in grid.repeats[person.id]:
                    item = repeated.get((person.id, table.id))
                    if item is None:
                        item = repeated[person.id, table.id] = Markup('<li>{} <span class="muted">({})</span>{}</li>').format(
                            person.name, person.category_label, here_before)
                else:
                    item = items.get(person.id)
                    if item is None:
                        item = items[person.id] = Markup('<li>{} <span class="muted">({})</span></li>').format(
                            person.name, person.category_label)
                html.append(item)
            key = (len(people), table.seats)
            if key not in filled:
                filled[key] = _("%(n)s of %(seats)s seats", n=key[0], seats=key[1])
            row.append(table_html.format(names[table.id], Markup("").join(html), filled[key]))
        out.append(Markup("").join(row))
    return out


# --- running the rounds -----------------------------------------------------------------------


def start_workshop(workshop: Workshop) -> None:
    if workshop.status != "planned":
        raise WorkshopError(_("The workshop has started already."), "status")
    if not db.session.scalar(select(func.count()).select_from(Placement).where(Placement.workshop_id == workshop.id)):
        raise WorkshopError(_("Place people at the tables first."), "placement")
    workshop.status, workshop.current_round = "running", 0
    record("workshops.started", workshop)


def next_round(workshop: Workshop) -> None:
    if workshop.status != "running":
        raise WorkshopError(_("Start the workshop first."), "status")
    if workshop.current_round >= workshop.rotations:
        raise WorkshopError(_("This is the last round. Add a rotation, or close the workshop."), "rotations")
    workshop.current_round += 1
    record("workshops.rotated", workshop, round=workshop.current_round)


def finish_workshop(workshop: Workshop) -> None:
    """The workshop is held: its activity in the process plan is done."""
    from dugnad.sdk import processes
    from dugnad_workshops.series import activity_of, process_of

    if workshop.status == "held":
        raise WorkshopError(_("The workshop is closed already."), "status")
    workshop.status, workshop.held_at = "held", utcnow()
    activity = activity_of(workshop)
    if activity is not None and activity.status != "done":
        processes.update_activity(process_of(workshop), activity, {"status": "done"})
    record("workshops.held", workshop)
