"""Figures the region compares municipalities on (group ``workshops``): workshops held,
who took part, solutions that became pilots, and pilots scaled up.

Each ``compute(tenant_id, start, end)`` runs in the municipality's context and counts the
days ``start`` ≤ day < ``end``; shares come with the number of people or solutions they
rest on, so small numbers are suppressed.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dugnad.sdk import db, Figure, Metric, Participant
from dugnad_workshops.models import Attendance, Pilot, Solution, Workshop, WorkshopTable

GROUP = "workshops"


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time()), datetime.combine(end, time())


def _held(start: date, end: date):
    low, high = _span(start, end)
    return select(Workshop.id).where(Workshop.status == "held", Workshop.held_at >= low, Workshop.held_at < high)


def workshops_held(tenant_id: int, start: date, end: date) -> int | None:
    count = db.session.scalar(select(func.count()).select_from(_held(start, end).subquery()))
    return count or None


def _took_part():
    """Who took part: checked in as here, or — where nobody was checked in — said they would come."""
    return (Attendance.presence == "present") | (Attendance.presence.is_(None) & (Attendance.response == "yes"))


def _share(category: str):
    def compute(tenant_id: int, start: date, end: date) -> Figure | None:
        rows = db.session.execute(
            select(Participant.category, func.count())
            .join(Attendance, (Attendance.participant_id == Participant.id) & (Attendance.tenant_id == Participant.tenant_id))
            .where(Attendance.workshop_id.in_(_held(start, end)), _took_part())
            .group_by(Participant.category)).all()
        total = sum(n for _c, n in rows)
        if not total:
            return None
        part = sum(n for c, n in rows if c == category)
        return Figure(round(100 * part / total, 1), total)

    return compute


def solutions_to_pilots(tenant_id: int, start: date, end: date) -> Figure | None:
    """Of the proposals that went to a plenary in a workshop held in the period, the share now a pilot."""
    proposals = select(Solution.id).where(
        Solution.picked_at.is_not(None),
        Solution.table_id.in_(select(WorkshopTable.id).where(WorkshopTable.workshop_id.in_(_held(start, end)))))
    total = db.session.scalar(select(func.count()).select_from(proposals.subquery()))
    if not total:
        return None
    piloted = db.session.scalar(select(func.count()).select_from(Pilot).where(Pilot.solution_id.in_(proposals)))
    return Figure(round(100 * piloted / total, 1), total)


def pilots_scaled(tenant_id: int, start: date, end: date) -> int | None:
    low, high = _span(start, end)
    count = db.session.scalar(select(func.count()).select_from(Pilot).where(
        Pilot.status == "scaled", Pilot.decided_at >= low, Pilot.decided_at < high))
    return count or None


METRICS = [
    Metric("workshops.held", _l("Integration workshops held"), "count", workshops_held, group=GROUP,
           description=_l("Local development workshops (workshop 1 or 2) closed as held in the period.")),
    Metric("workshops.business_share", _l("Share of workshop participants from business"), "percent",
           _share("business"), group=GROUP,
           description=_l("Of the people who took part in workshops held in the period, the share from business.")),
    Metric("workshops.target_group_share", _l("Share of workshop participants from the target group"), "percent",
           _share("target_group"), group=GROUP,
           description=_l("Of the people who took part in workshops held in the period, the share from the target "
                          "group (refugees, former refugees).")),
    Metric("workshops.solutions_to_pilots", _l("Workshop proposals that became pilots"), "percent",
           solutions_to_pilots, group=GROUP,
           description=_l("Of the proposals tables sent to the plenary in workshops held in the period, the share "
                          "tested as a pilot.")),
    Metric("workshops.pilots_scaled", _l("Pilots scaled up"), "count", pilots_scaled, group=GROUP,
           description=_l("Pilots decided to be scaled up in the period.")),
]
