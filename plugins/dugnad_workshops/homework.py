"""Homework between the workshops (seed 003, §4.1.4): each solution that went on gets an
owner, specific questions and a due date before workshop 2. The owner is told by e-mail
with a link to hand in what they found (no account needed — employers seldom have one),
reminded three days before the due date, and the homework is a task in the process plan
(whose own overdue reminders take over after the due date).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dugnad.sdk import (
    Activity,
    current_tenant_id,
    db,
    Participant,
    Phase,
    processes,
    queue_mail,
    record,
    Tenant,
    today,
    utcnow,
)
from dugnad_workshops import links
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.models import Homework, Solution, Workshop

ASSIGNED_KIND = "workshop-homework"
REMINDER_KIND = "workshop-homework-reminder"
REMIND_DAYS_BEFORE = 3
MAX_QUESTIONS = 10


def homework_of(process_id: int) -> list[Homework]:
    return list(db.session.scalars(
        select(Homework).join(Solution, (Solution.id == Homework.solution_id) & (Solution.tenant_id == Homework.tenant_id))
        .where(Solution.process_id == process_id).options(selectinload(Homework.owner))
        .order_by(Homework.due_date, Homework.id)))


def by_solution(process_id: int) -> dict[int, Homework]:
    return {h.solution_id: h for h in homework_of(process_id)}


def get_homework(homework_id: int) -> Homework | None:
    return db.session.scalar(select(Homework).where(Homework.id == homework_id))


def solution_of(homework: Homework) -> Solution:
    return db.session.scalar(select(Solution).where(Solution.id == homework.solution_id))


def _questions(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [" ".join(str(q).split()) for q in (value or []) if str(q).strip()]


def _check(solution: Solution, owner_id, questions, due_date: date | None, *, homework: Homework | None) -> tuple:
    from dugnad_workshops.series import activity_of

    if owner_id in (None, ""):
        raise WorkshopError(_("Homework needs an owner: choose who checks this solution out before workshop 2."), "owner_id")
    owner = db.session.scalar(select(Participant).where(Participant.id == owner_id, Participant.archived_at.is_(None)))
    if owner is None:
        raise WorkshopError(_("Choose the owner from this municipality's register."), "owner_id")
    questions = _questions(questions)
    if not questions:
        raise WorkshopError(_("Write at least one specific question for the owner to find out, one per line."), "questions")
    if len(questions) > MAX_QUESTIONS or any(len(q) > 500 for q in questions):
        raise WorkshopError(_("Keep to at most %(n)s questions of at most 500 characters each.", n=MAX_QUESTIONS),
                            "questions")
    if due_date is None:
        raise WorkshopError(_("Give the due date: before workshop 2, so there is time to prepare."), "due_date")
    if due_date < today() and (homework is None or due_date != homework.due_date):
        raise WorkshopError(_("The due date has passed. Choose a day from today."), "due_date")
    second = db.session.scalar(select(Workshop).where(Workshop.process_id == solution.process_id, Workshop.number == 2))
    meeting = activity_of(second) if second else None
    if meeting is not None and meeting.starts_at is not None and due_date >= meeting.starts_at.date():
        raise WorkshopError(_("Workshop 2 is on %(day)s: the homework must be done before that day.",
                              day=meeting.starts_at.date().strftime("%d.%m.%Y")), "due_date")
    return owner, questions


def assign(solution: Solution, owner_id, questions, due_date: date | None) -> Homework:
    """Give a chosen solution its homework; the owner is told after the commit."""
    if solution.chosen_at is None:
        raise WorkshopError(_("Only the solutions that went on from the plenary get homework."), "solution")
    if db.session.scalar(select(Homework.id).where(Homework.solution_id == solution.id)) is not None:
        raise WorkshopError(_("This solution has homework already: change it instead."), "solution")
    owner, questions = _check(solution, owner_id, questions, due_date, homework=None)
    homework = Homework(solution_id=solution.id, owner_id=owner.id, questions=questions, due_date=due_date)
    db.session.add(homework)
    db.session.flush()
    homework.activity_id = _task(solution, homework, owner).id
    record("workshops.homework_assigned", homework, solution_id=solution.id, owner_id=owner.id)
    _tell_owner(homework)
    return homework


def update(homework: Homework, owner_id, questions, due_date: date | None) -> None:
    solution = solution_of(homework)
    owner, questions = _check(solution, owner_id, questions, due_date, homework=homework)
    new_owner = owner.id != homework.owner_id
    if due_date != homework.due_date:
        homework.reminded_on = None
    homework.owner_id, homework.questions, homework.due_date = owner.id, questions, due_date
    task = _activity(homework)
    process = processes.get_process(solution.process_id)
    if task is not None:
        processes.update_activity(process, task, {"owner_id": owner.id, "due_date": due_date,
                                                  "description": "\n".join(questions)})
    else:
        homework.activity_id = _task(solution, homework, owner).id
    record("workshops.homework_changed", homework, owner_id=owner.id)
    if new_owner:
        db.session.flush()
        _tell_owner(homework)


def submit(homework: Homework, findings: str) -> None:
    findings = (findings or "").strip()
    if not findings:
        raise WorkshopError(_("Write what you found out: facts, who you talked to, what you would change."), "findings")
    if len(findings) > 20000:
        raise WorkshopError(_("Keep it to at most 20,000 characters."), "findings")
    homework.findings, homework.submitted_at = findings, utcnow()
    task = _activity(homework)
    if task is not None and task.status != "done":
        solution = solution_of(homework)
        processes.update_activity(processes.get_process(solution.process_id), task, {"status": "done"})
    record("workshops.homework_submitted", homework)


def mark_presented(homework: Homework, presented: bool) -> None:
    homework.presented_at = utcnow() if presented else None
    record("workshops.homework_presented", homework, presented=presented)


def _activity(homework: Homework) -> Activity | None:
    if homework.activity_id is None:
        return None
    return db.session.scalar(select(Activity).where(Activity.id == homework.activity_id))


def _task(solution: Solution, homework: Homework, owner: Participant) -> Activity:
    process = processes.get_process(solution.process_id)
    phase = db.session.scalar(select(Phase).where(Phase.process_id == process.id, Phase.key == "hjemmelekser"))
    phase = phase or processes.get_phase(process, process.current_phase_id)
    return processes.create_activity(process, {
        "kind": "task", "title": _("Homework: %(title)s", title=solution.title)[:200], "phase_id": phase.id,
        "owner_id": owner.id, "due_date": homework.due_date, "description": "\n".join(homework.questions)})


# --- mail -------------------------------------------------------------------------------------


def _mail(homework: Homework, kind: str, subject: str, subject_ref: str) -> bool:
    owner = db.session.scalar(select(Participant).where(Participant.id == homework.owner_id))
    if owner is None or not owner.email:
        return False
    tenant = db.session.get(Tenant, homework.tenant_id)
    solution = solution_of(homework)
    body = render_template("dugnad_workshops/mail/homework.txt", homework=homework, solution=solution, name=owner.name,
                           tenant=tenant, reminder=kind == REMINDER_KIND,
                           link=links.homework_link(homework))
    queue_mail(kind=kind, recipient=owner.email, subject_ref=subject_ref, subject=subject, body=body, tenant_id=tenant.id)
    return True


def _tell_owner(homework: Homework) -> None:
    solution = solution_of(homework)
    _mail(homework, ASSIGNED_KIND, _("Homework before workshop 2: %(title)s", title=solution.title),
          f"homework:{homework.id}:{homework.owner_id}")


def send_homework_reminders() -> int:
    """Remind owners of homework not handed in, three days before it is due (once per due date)."""
    if current_tenant_id() is None:
        return 0
    day = today()
    due = list(db.session.scalars(select(Homework).where(
        Homework.submitted_at.is_(None), Homework.due_date >= day,
        Homework.due_date <= day + timedelta(days=REMIND_DAYS_BEFORE),
        Homework.reminded_on.is_(None)).order_by(Homework.id)))
    sent = 0
    for homework in due:
        solution = solution_of(homework)
        if _mail(homework, REMINDER_KIND, _("Reminder: homework due %(day)s – %(title)s",
                                            day=homework.due_date.strftime("%d.%m.%Y"), title=solution.title),
                 f"homework:{homework.id}:{homework.due_date.isoformat()}"):
            sent += 1
        homework.reminded_on = day
    db.session.commit()
    return sent
