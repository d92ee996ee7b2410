"""What the workshops hold on a participant of the register, for their data export:
invitations and answers, where they sat, the tables they hosted, homework and pilots
they own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dugnad.sdk import Participant, Process, db, exported

from .models import Attendance, Homework, Pilot, Placement, Solution, Workshop, WorkshopTable


def _iso(value) -> str | None:
    """Stored UTC times (invited, answered, handed in) in Oslo time with the offset; dates as dates."""
    return exported(value)


def personal_data(participant: Participant) -> dict[str, Any]:
    pid = participant.id
    workshops = {w.id: (w, name) for w, name in db.session.execute(
        select(Workshop, Process.name).join(Process, (Process.id == Workshop.process_id)
                                            & (Process.tenant_id == Workshop.tenant_id)))}

    def which(workshop_id: int) -> str:
        workshop, name = workshops.get(workshop_id, (None, ""))
        return f"{name}, workshop {workshop.number}" if workshop else str(workshop_id)

    tables = {t.id: t.name for t in db.session.scalars(select(WorkshopTable))}
    attendance = [
        {"workshop": which(a.workshop_id), "invited": _iso(a.invited_at), "answer": a.response,
         "answered": _iso(a.responded_at), "came": a.presence, "arrived_late": a.arrived_late}
        for a in db.session.scalars(select(Attendance).where(Attendance.participant_id == pid))
    ]
    seats = [
        {"workshop": which(p.workshop_id), "round": p.round, "table": tables.get(p.table_id)}
        for p in db.session.scalars(select(Placement).where(Placement.participant_id == pid)
                                    .order_by(Placement.workshop_id, Placement.round))
    ]
    hosted = [{"workshop": which(t.workshop_id), "table": t.name}
              for t in db.session.scalars(select(WorkshopTable).where(WorkshopTable.facilitator_id == pid))]
    solutions = {s.id: s.title for s in db.session.scalars(select(Solution))}
    homework = [
        {"solution": solutions.get(h.solution_id), "questions": h.questions, "due": _iso(h.due_date),
         "findings": h.findings, "handed_in": _iso(h.submitted_at)}
        for h in db.session.scalars(select(Homework).where(Homework.owner_id == pid))
    ]
    pilots = [{"pilot": p.title, "starts": _iso(p.starts_on), "status": p.status}
              for p in db.session.scalars(select(Pilot).where(Pilot.owner_id == pid))]
    found = {"invitations_and_attendance": attendance, "seats": seats, "tables_hosted": hosted,
             "homework": homework, "pilots_owned": pilots}
    return {"workshops": found} if any(found.values()) else {}
