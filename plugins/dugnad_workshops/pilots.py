"""Pilots (seed 003, §4.1.6): the solutions to test, each with an owner, a time and a first
activity — together the action plan of workshop 2 — then tested in rounds with findings,
each round ending in a decision: adjust and test again, scale up, or drop. Success is
measured by the results for the target group.

The first activity is a task in the process plan; scaling or dropping a pilot goes into
the process's decision log.
"""

from __future__ import annotations

from functools import partial

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from dugnad.sdk import db, Participant, Phase, Process, processes, record, today, User, utcnow
from dugnad_workshops.errors import WorkshopError, text
from dugnad_workshops.models import DECISIONS, Pilot, PilotRound, Solution

MAX_TEXT = 10000


def pilots_of(process_id: int) -> list[Pilot]:
    return list(db.session.scalars(select(Pilot).where(Pilot.process_id == process_id)
                                   .options(selectinload(Pilot.owner)).order_by(Pilot.starts_on, Pilot.id)))


def get_pilot(pilot_id: int) -> Pilot | None:
    return db.session.scalar(select(Pilot).where(Pilot.id == pilot_id).options(selectinload(Pilot.owner)))


def rounds_of(pilot: Pilot) -> list[PilotRound]:
    return list(db.session.scalars(select(PilotRound).where(PilotRound.pilot_id == pilot.id).order_by(PilotRound.number)))


def get_round(pilot: Pilot, round_id: int) -> PilotRound | None:
    return db.session.scalar(select(PilotRound).where(PilotRound.id == round_id, PilotRound.pilot_id == pilot.id))


_text = partial(text, limit=MAX_TEXT)  # typed text, stripped and checked


def _owner(owner_id) -> Participant:
    if owner_id in (None, ""):
        raise WorkshopError(_("Every pilot needs an owner: who makes sure it happens?"), "owner_id")
    owner = db.session.scalar(select(Participant).where(Participant.id == owner_id, Participant.archived_at.is_(None)))
    if owner is None:
        raise WorkshopError(_("Choose the owner from this municipality's register."), "owner_id")
    return owner


def _plan_values(data: dict) -> dict:
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise WorkshopError(_("Give the pilot a name."), "title")
    if len(title) > 200:
        raise WorkshopError(_("The name can be at most 200 characters."), "title")
    owner = _owner(data.get("owner_id"))
    starts_on = data.get("starts_on")
    if not isinstance(starts_on, date):
        raise WorkshopError(_("When does it start? Give a date."), "starts_on")
    first = " ".join((data.get("first_activity") or "").split())
    if not first:
        raise WorkshopError(_("What is the first thing to do? For example “Meet the housing office about the host families”."),
                            "first_activity")
    if len(first) > 200:
        raise WorkshopError(_("Keep the first activity to at most 200 characters."), "first_activity")
    return {"title": title, "owner_id": owner.id, "starts_on": starts_on, "first_activity": first,
            "target_result": _text(data.get("target_result"), "target_result")}


def create(solution: Solution, data: dict) -> Pilot:
    """A pilot for a solution: owner, time and first activity (a task in the process plan)."""
    if db.session.scalar(select(Pilot.id).where(Pilot.solution_id == solution.id)) is not None:
        raise WorkshopError(_("This solution is a pilot already."), "solution")
    values = _plan_values(data)
    if values["starts_on"] < today():
        raise WorkshopError(_("The start date has passed. Choose a day from today."), "starts_on")
    pilot = Pilot(process_id=solution.process_id, solution_id=solution.id, **values)
    db.session.add(pilot)
    db.session.flush()
    pilot.activity_id = _task(pilot).id
    record("workshops.pilot_planned", pilot, solution_id=solution.id)
    return pilot


def update(pilot: Pilot, data: dict) -> None:
    values = _plan_values(data)
    for key, value in values.items():
        setattr(pilot, key, value)
    task = _activity(pilot)
    if task is not None:
        processes.update_activity(processes.get_process(pilot.process_id), task, {
            "title": values["first_activity"], "owner_id": values["owner_id"], "due_date": values["starts_on"]})
    record("workshops.pilot_changed", pilot)


def _activity(pilot: Pilot):
    from dugnad.sdk import Activity

    if pilot.activity_id is None:
        return None
    return db.session.scalar(select(Activity).where(Activity.id == pilot.activity_id))


def _task(pilot: Pilot):
    process = processes.get_process(pilot.process_id)
    phase = db.session.scalar(select(Phase).where(Phase.process_id == process.id, Phase.key == "pilotering"))
    phase = phase or processes.get_phase(process, process.current_phase_id)
    return processes.create_activity(process, {
        "kind": "task", "title": pilot.first_activity, "phase_id": phase.id, "owner_id": pilot.owner_id,
        "due_date": pilot.starts_on,
        "description": _("First activity of the pilot “%(title)s”.", title=pilot.title)})


# --- rounds of testing ------------------------------------------------------------------------


def add_round(pilot: Pilot, data: dict) -> PilotRound:
    if pilot.status in ("scaled", "dropped"):
        raise WorkshopError(_("The pilot has been decided on. Its rounds are closed."), "pilot")
    rounds = rounds_of(pilot)
    if rounds and rounds[-1].decision is None:
        raise WorkshopError(_("Round %(n)s has no decision yet. Decide on it before starting the next.",
                              n=rounds[-1].number), "round")
    started_on = data.get("started_on")
    if not isinstance(started_on, date):
        raise WorkshopError(_("When did the round start? Give a date."), "started_on")
    tested = _text(data.get("tested"), "tested", _("Say what is tested in this round, and with whom."))
    number = (db.session.scalar(select(func.max(PilotRound.number)).where(PilotRound.pilot_id == pilot.id)) or 0) + 1
    round_ = PilotRound(pilot_id=pilot.id, number=number, started_on=started_on, tested=tested)
    db.session.add(round_)
    if pilot.status == "planned":
        pilot.status = "testing"
    db.session.flush()
    record("workshops.pilot_round_started", round_, pilot_id=pilot.id, number=number)
    return round_


def record_findings(round_: PilotRound, data: dict) -> None:
    if round_.decision is not None:
        raise WorkshopError(_("The round has been decided on. Start a new round to record more."), "round")
    ended_on = data.get("ended_on")
    if ended_on is not None and ended_on < round_.started_on:
        raise WorkshopError(_("A round ends after it starts."), "ended_on")
    reached = data.get("reached")
    if reached is not None and (not isinstance(reached, int) or reached < 0):
        raise WorkshopError(_("Write how many in the target group took part, as a whole number."), "reached")
    round_.tested = _text(data.get("tested"), "tested", _("Say what is tested in this round, and with whom.")) \
        if "tested" in data else round_.tested
    round_.findings = _text(data.get("findings"), "findings")
    round_.ended_on, round_.reached = ended_on, reached
    record("workshops.pilot_findings", round_)


def decide(pilot: Pilot, round_: PilotRound, decision: str, reason: str | None, user: User | None) -> None:
    """After analysing the round: adjust and test again, scale up, or drop. Scaling and
    dropping close the pilot and go into the process's decision log."""
    if round_.decision is not None:
        raise WorkshopError(_("This round has been decided on already."), "decision")
    if decision not in DECISIONS:
        raise WorkshopError(_("Choose adjust, scale up or drop."), "decision")
    if not round_.findings:
        raise WorkshopError(_("Record what the round found before deciding: the decision rests on it."), "findings")
    reason = _text(reason, "reason", _("Say why, so others can follow the decision."))
    round_.decision, round_.reason, round_.decided_on = decision, reason, today()
    round_.ended_on = round_.ended_on or round_.decided_on
    if decision == "adjust":
        pilot.status = "testing"
    else:
        pilot.status = "scaled" if decision == "scale" else "dropped"
        pilot.decided_at = utcnow()
        process = db.session.scalar(select(Process).where(Process.id == pilot.process_id))
        phase = db.session.scalar(select(Phase).where(Phase.process_id == process.id, Phase.key == "pilotering"))
        title = (_("Scale up the pilot “%(title)s”", title=pilot.title) if decision == "scale"
                 else _("Drop the pilot “%(title)s”", title=pilot.title))
        processes.record_decision(process, user, today(), title[:200], reason, None, phase.id if phase else None)
    record("workshops.pilot_decided", pilot, round=round_.number, decision=decision)


def evaluate(pilot: Pilot, evaluation: str | None, reached) -> None:
    """The results for the target group: what changed for the refugees, and how many it reached."""
    if reached not in (None, "") and (not isinstance(reached, int) or reached < 0):
        raise WorkshopError(_("Write how many in the target group it reached, as a whole number."), "reached")
    pilot.evaluation = _text(evaluation, "evaluation", _("Describe the results for the target group."))
    pilot.reached = reached if reached not in ("",) else None
    record("workshops.pilot_evaluated", pilot)
