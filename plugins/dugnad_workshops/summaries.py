"""The summary of a workshop, sent to everyone who took part within a day or two
(seed 003, §4.1.3): after workshop 1 the needs, the solutions, the votes and the
homework with its questions; after workshop 2 the homework's findings, the sharpened
solutions with their reality check, and the action plan.

It is composed from what the tables recorded, shown to the organiser first (and
printable), and sent by a job — exactly once: the summary row remembers that it was
sent, and the outbox would refuse a second copy to anyone anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from dugnad.sdk import Activity, Participant, Process, Tenant, User, db, queue_mail, record, to_oslo, utcnow
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.models import Homework, Need, Pilot, Solution, Summary, Theme, Workshop, WorkshopTable

KIND = "workshop-summary"
DUE_AFTER = timedelta(days=1)
RETRY_AFTER = timedelta(minutes=10)  # a request whose job never finished may be made again


@dataclass
class TableDigest:
    table: WorkshopTable
    theme: Theme | None
    facilitator: Participant | None
    needs: list[Need] = field(default_factory=list)
    solutions: list[Solution] = field(default_factory=list)


@dataclass
class Digest:
    """Everything a summary says, loaded in a fixed number of queries."""

    workshop: Workshop
    process: Process
    activity: Activity | None
    tables: list[TableDigest]
    needs: dict[int, Need]
    votes: list[tuple[Solution, int]]  # the plenary's proposals with their dots, most first (empty: no vote)
    voters: int
    picked: list[Solution]
    chosen: list[Solution]
    homework: list[tuple[Homework, Solution, Participant]]
    pilots: list[tuple[Pilot, Solution, Participant]]
    people: int  # in the room

    @property
    def title(self) -> str:
        from dugnad_workshops.series import title_of

        return title_of(self.workshop, self.process)


def digest(workshop: Workshop) -> Digest:
    from dugnad_workshops.polls import dot_results
    from dugnad_workshops.room import in_room, tables_of
    from dugnad_workshops.series import activity_of, process_of
    from dugnad_workshops.tablework import needs_of, solutions_of

    process = process_of(workshop)
    tables = tables_of(workshop)
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.process_id == process.id))}
    per_table = {t.id: TableDigest(t, themes.get(t.theme_id), t.facilitator) for t in tables}
    needs = needs_of(workshop)
    for need in needs:
        per_table[need.table_id].needs.append(need)
    if workshop.number == 1:
        solutions = solutions_of(process.id, workshop=workshop)
    else:
        solutions = solutions_of(process.id, chosen=True)
    for solution in solutions:
        if solution.table_id in per_table:
            per_table[solution.table_id].solutions.append(solution)
    by_id = {s.id: s for s in solutions}
    votes, voters = dot_results(workshop, by_id)
    homework = db.session.execute(
        select(Homework, Solution, Participant)
        .join(Solution, (Solution.id == Homework.solution_id) & (Solution.tenant_id == Homework.tenant_id))
        .join(Participant, (Participant.id == Homework.owner_id) & (Participant.tenant_id == Homework.tenant_id))
        .where(Solution.process_id == process.id).order_by(Homework.due_date, Homework.id)).tuples().all()
    pilots = db.session.execute(
        select(Pilot, Solution, Participant)
        .join(Solution, (Solution.id == Pilot.solution_id) & (Solution.tenant_id == Pilot.tenant_id))
        .join(Participant, (Participant.id == Pilot.owner_id) & (Participant.tenant_id == Pilot.tenant_id))
        .where(Pilot.process_id == process.id).order_by(Pilot.starts_on, Pilot.id)).tuples().all()
    chosen = [s for s in solutions if s.chosen_at is not None]
    return Digest(workshop=workshop, process=process, activity=activity_of(workshop), tables=list(per_table.values()),
                  needs={n.id: n for n in needs}, votes=votes, voters=voters,
                  picked=[s for s in solutions if s.picked_at is not None], chosen=chosen,
                  homework=list(homework), pilots=list(pilots), people=len(in_room(workshop)))


def get_summary(workshop: Workshop) -> Summary | None:
    return db.session.scalar(select(Summary).where(Summary.workshop_id == workshop.id))


def due(workshop: Workshop) -> datetime | None:
    """When the summary should be out: a day after the workshop."""
    return workshop.held_at + DUE_AFTER if workshop.held_at else None


def recipients(workshop: Workshop) -> list[tuple[str, str]]:
    """(e-mail, name) of everyone who took part: those in the room and the facilitators."""
    from dugnad_workshops.room import in_room, tables_of

    people = {a.participant.email.lower(): a.participant.name for a in in_room(workshop) if a.participant.email}
    for table in tables_of(workshop):
        if table.facilitator is not None and table.facilitator.email:
            people.setdefault(table.facilitator.email.lower(), table.facilitator.name)
    return sorted(people.items())


def request_sending(workshop: Workshop, note: str | None, user: User | None) -> int:
    """Check the summary can go, and send it after the commit (once). Returns how many it goes to."""
    from dugnad.sdk import enqueue_after_commit

    if workshop.status == "planned":
        raise WorkshopError(_("The workshop has not been held yet: there is nothing to sum up."), "summary")
    summary = get_summary(workshop)
    if summary is not None and summary.sent_at is not None:
        raise WorkshopError(ngettext("The summary was sent on %(day)s to %(num)s person. It is not sent twice.",
                                     "The summary was sent on %(day)s to %(num)s people. It is not sent twice.",
                                     summary.recipients, day=to_oslo(summary.sent_at).strftime("%d.%m.%Y %H:%M")), "summary", 409)
    if summary is not None and summary.requested_at is not None and summary.requested_at > utcnow() - RETRY_AFTER:
        raise WorkshopError(_("The summary is being sent. Reload the page in a minute."), "summary", 409)
    people = recipients(workshop)
    if not people:
        raise WorkshopError(_("Nobody who took part has an e-mail address. Print the summary instead."), "summary")
    note = (note or "").strip()
    if len(note) > 5000:
        raise WorkshopError(_("Keep the greeting to at most 5,000 characters."), "note")
    if summary is None:
        summary = Summary(workshop_id=workshop.id)
        db.session.add(summary)
    summary.note, summary.requested_at, summary.requested_by_id = note or None, utcnow(), user.id if user else None
    db.session.flush()
    enqueue_after_commit(send_summary, workshop.id, job_id=f"workshop-summary-{workshop.tenant_id}-{workshop.id}")
    record("workshops.summary_requested", workshop, recipients=len(people))
    return len(people)


def render_text(workshop: Workshop, note: str | None) -> str:
    tenant = db.session.get(Tenant, workshop.tenant_id)
    from dugnad_workshops.models import CHECKS

    return render_template("dugnad_workshops/mail/summary.txt", d=digest(workshop), note=note, tenant=tenant, CHECKS=CHECKS)


def send_summary(workshop_id: int) -> int:
    """Send the summary to everyone who took part. Idempotent: once sent, never again."""
    workshop = db.session.scalar(select(Workshop).where(Workshop.id == workshop_id))
    summary = get_summary(workshop) if workshop else None
    if summary is None or summary.sent_at is not None:
        return 0
    people = recipients(workshop)
    body = render_text(workshop, summary.note)
    process = db.session.scalar(select(Process).where(Process.id == workshop.process_id))
    subject = _("Summary of workshop %(n)s: %(name)s", n=workshop.number, name=process.name)
    for email, _name in people:
        queue_mail(kind=KIND, recipient=email, subject_ref=f"workshop:{workshop.id}", subject=subject[:250], body=body,
                   tenant_id=workshop.tenant_id)
    summary.body, summary.sent_at, summary.recipients = body, utcnow(), len(people)
    record("workshops.summary_sent", workshop, recipients=len(people))
    db.session.commit()
    return len(people)
