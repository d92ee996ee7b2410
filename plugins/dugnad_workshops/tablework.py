"""Work at a table, from its tablet: needs recorded and prioritised, ideas tied to needs and
developed into solutions (challenge, measure, effect), and the table's picks sent to the
plenary; in workshop 2, solutions sharpened and checked against rules and budget.

The rotated groups build on what the table found before them (seed 003, §4.1.3): a table's
needs and ideas stay at the table, whoever sits there.
"""

from __future__ import annotations

from functools import partial

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from dugnad.sdk import db, record, User, utcnow
from dugnad_workshops.errors import WorkshopError, text
from dugnad_workshops.models import CHECKS, Need, Solution, Workshop, WorkshopTable

MAX_TEXT = 2000
MAX_TITLE = 200


_text = partial(text, limit=MAX_TEXT)  # typed text, stripped and checked


# --- needs -------------------------------------------------------------------------------------


def needs_of(workshop: Workshop, table: WorkshopTable | None = None) -> list[Need]:
    query = select(Need).where(Need.workshop_id == workshop.id)
    if table is not None:
        query = query.where(Need.table_id == table.id)
    return list(db.session.scalars(query.order_by(Need.table_id, Need.prioritised.desc(), Need.position, Need.id)))


def get_need(workshop: Workshop, need_id) -> Need | None:
    try:
        need_id = int(need_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Need).where(Need.id == need_id, Need.workshop_id == workshop.id))


def add_need(workshop: Workshop, table: WorkshopTable, text: str, user: User | None) -> Need:
    text = _text(text, "text", _("Write the need, in the table's own words."))
    last = db.session.scalar(select(func.max(Need.position)).where(Need.table_id == table.id))
    need = Need(workshop_id=workshop.id, table_id=table.id, text=text, position=(last or 0) + 1,
                created_by_id=user.id if user else None)
    db.session.add(need)
    db.session.flush()
    record("workshops.need_added", need, table_id=table.id)
    return need


def update_need(need: Need, text: str) -> None:
    need.text = _text(text, "text", _("Write the need, in the table's own words."))
    record("workshops.need_changed", need)


def prioritise(need: Need, prioritised: bool) -> None:
    need.prioritised = bool(prioritised)
    record("workshops.need_prioritised", need, prioritised=need.prioritised)


def shift_need(need: Need, delta: int) -> None:
    """Move a need up or down among its table's needs of the same priority."""
    siblings = [n for n in db.session.scalars(select(Need).where(Need.table_id == need.table_id)
                                             .order_by(Need.position, Need.id)) if n.prioritised == need.prioritised]
    index = next(i for i, n in enumerate(siblings) if n.id == need.id)
    target = index + delta
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, item in enumerate(siblings):
        item.position = position


def remove_need(need: Need) -> None:
    tied = db.session.scalar(select(func.count()).select_from(Solution).where(Solution.need_id == need.id))
    if tied:
        raise WorkshopError(ngettext("%(num)s idea answers this need. Tie it to another need, or remove it, first.",
                                     "%(num)s ideas answer this need. Tie them to another need, or remove them, first.",
                                     tied), "need")
    record("workshops.need_removed", need)
    db.session.delete(need)
    db.session.flush()


# --- ideas and solutions ----------------------------------------------------------------------


SOLUTION_FIELDS = ("title", "description", "measure", "effect", "key_resources")


def solutions_of(process_id: int, *, table: WorkshopTable | None = None, workshop: Workshop | None = None,
                 picked: bool | None = None, chosen: bool | None = None) -> list[Solution]:
    query = select(Solution).where(Solution.process_id == process_id)
    if table is not None:
        query = query.where(Solution.table_id == table.id)
    if workshop is not None:
        query = query.where(Solution.table_id.in_(select(WorkshopTable.id).where(WorkshopTable.workshop_id == workshop.id)))
    if picked is not None:
        query = query.where(Solution.picked_at.is_not(None) if picked else Solution.picked_at.is_(None))
    if chosen is not None:
        query = query.where(Solution.chosen_at.is_not(None) if chosen else Solution.chosen_at.is_(None))
    return list(db.session.scalars(query.order_by(Solution.table_id, Solution.id)))


def get_solution(process_id: int, solution_id) -> Solution | None:
    try:
        solution_id = int(solution_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Solution).where(Solution.id == solution_id, Solution.process_id == process_id))


def _solution_values(workshop: Workshop, data: dict) -> dict:
    values = {"title": " ".join((data.get("title") or "").split())}
    if not values["title"]:
        raise WorkshopError(_("Give the idea a short title."), "title")
    if len(values["title"]) > MAX_TITLE:
        raise WorkshopError(_("The title can be at most %(n)s characters.", n=MAX_TITLE), "title")
    for key in ("description", "measure", "effect", "key_resources"):
        values[key] = _text(data.get(key), key)
    need = get_need(workshop, data.get("need_id"))
    if need is None:
        raise WorkshopError(_("Choose the need the idea answers. Every idea starts from a need."), "need_id")
    values["need_id"] = need.id
    return values


def add_solution(workshop: Workshop, table: WorkshopTable, data: dict, user: User | None) -> Solution:
    values = _solution_values(workshop, data)
    solution = Solution(process_id=workshop.process_id, table_id=table.id, created_by_id=user.id if user else None, **values)
    db.session.add(solution)
    db.session.flush()
    record("workshops.idea_added", solution, table_id=table.id)
    return solution


def update_solution(workshop: Workshop, solution: Solution, data: dict) -> None:
    values = _solution_values(workshop, {**{k: getattr(solution, k) for k in SOLUTION_FIELDS},
                                         "need_id": solution.need_id, **data})
    for key, value in values.items():
        setattr(solution, key, value)
    record("workshops.idea_changed", solution)


def remove_solution(solution: Solution) -> None:
    from dugnad_workshops.models import Homework, Pilot

    if solution.picked_at is not None:
        raise WorkshopError(_("The idea has gone to the plenary. Take it back from the plenary first."), "solution")
    if db.session.scalar(select(Homework.id).where(Homework.solution_id == solution.id)) is not None or \
            db.session.scalar(select(Pilot.id).where(Pilot.solution_id == solution.id)) is not None:
        raise WorkshopError(_("The idea has homework or a pilot. It stays."), "solution")
    record("workshops.idea_removed", solution, title=solution.title)
    db.session.delete(solution)
    db.session.flush()


# --- to the plenary ------------------------------------------------------------------------------


def plenary_vote_open(workshop: Workshop) -> bool:
    """Whether the plenary vote has opened (then the picks are fixed)."""
    from dugnad_workshops.polls import vote_is_open

    return vote_is_open(workshop)


def send_to_plenary(workshop: Workshop, solution: Solution) -> None:
    if solution.picked_at is not None:
        return
    if plenary_vote_open(workshop):
        raise WorkshopError(_("The plenary vote has opened: no more proposals can join it."), "solution")
    if not (solution.measure or solution.description):
        raise WorkshopError(_("Say what the idea is before it goes to the plenary, so everyone votes on the same "
                              "thing."), "measure")
    solution.picked_at = utcnow()
    record("workshops.sent_to_plenary", solution)


def take_back(workshop: Workshop, solution: Solution) -> None:
    if solution.picked_at is None:
        return
    if plenary_vote_open(workshop):
        raise WorkshopError(_("The plenary vote has opened: the proposals stay as they are until it closes."), "solution")
    solution.picked_at = None
    record("workshops.taken_back_from_plenary", solution)


def choose(solutions: list[Solution], chosen_ids: set[int]) -> int:
    """Which proposals go on to homework: the ones that got the most votes, as the organiser confirms."""
    changed = 0
    now = utcnow()
    for solution in solutions:
        wanted = solution.id in chosen_ids
        if wanted and solution.chosen_at is None:
            solution.chosen_at = now
            changed += 1
        elif not wanted and solution.chosen_at is not None:
            from dugnad_workshops.models import Homework

            if db.session.scalar(select(Homework.id).where(Homework.solution_id == solution.id)) is not None:
                raise WorkshopError(_("“%(title)s” has homework already: it stays chosen.", title=solution.title), "chosen")
            solution.chosen_at = None
            changed += 1
    if changed:
        record("workshops.chosen", None, solutions=sorted(chosen_ids))
    return changed


# --- workshop 2: sharpened and checked ----------------------------------------------------------


def sharpen(solution: Solution, data: dict) -> None:
    """The solution made concrete, and tested against today's rules and budgets."""
    sharpened = _text(data.get("sharpened"), "sharpened", limit=5000)
    checks = {}
    for key in ("rules_check", "budget_check"):
        value = data.get(key) or None
        if value is not None and value not in CHECKS:
            raise WorkshopError(_("Choose one of the answers."), key)
        checks[key] = value
    notes = {key: _text(data.get(key), key) for key in ("rules_note", "budget_note")}
    if checks["rules_check"] in ("partly", "not") and not notes["rules_note"]:
        raise WorkshopError(_("Say which rule stands in the way, so someone can look into it."), "rules_note")
    if checks["budget_check"] in ("partly", "not") and not notes["budget_note"]:
        raise WorkshopError(_("Say what is missing in the budget, and who might pay."), "budget_note")
    solution.sharpened = sharpened
    solution.rules_check, solution.budget_check = checks["rules_check"], checks["budget_check"]
    solution.rules_note, solution.budget_note = notes["rules_note"], notes["budget_note"]
    record("workshops.sharpened", solution, rules=solution.rules_check, budget=solution.budget_check)
