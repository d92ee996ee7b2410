"""Figures the region compares municipalities on (group ``workshops``): workshops held,
who took part, solutions that became pilots, and pilots scaled up.

Each ``compute(tenant_id, start, end)`` runs in the municipality's context and counts the
days ``start`` ≤ day < ``end``; shares come with the number of people or solutions they
rest on, so small numbers are suppressed. Each also has a set-based form
(``compute_all``): the same figures for every municipality and period in one query,
for the recompute.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from dugnad.sdk import db, Figure, Metric, Participant, period_table
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


def _held_in(p):
    """Workshops held in the period-table row ``p``."""
    return and_(Workshop.status == "held", Workshop.held_at >= p.c.start_at, Workshop.held_at < p.c.end_at)


def workshops_held_all(periods):
    p = period_table(periods)
    rows = db.session.execute(select(p.c.n, Workshop.tenant_id, func.count()).join(Workshop, _held_in(p))
                              .group_by(p.c.n, Workshop.tenant_id))
    return [(n, t, int(count)) for n, t, count in rows if count]


def _share_all(category: str):
    def compute_all(periods):
        p = period_table(periods)
        rows = db.session.execute(
            select(p.c.n, Workshop.tenant_id, func.count(), func.sum(case((Participant.category == category, 1), else_=0)))
            .join(Workshop, _held_in(p))
            .join(Attendance, (Attendance.workshop_id == Workshop.id) & (Attendance.tenant_id == Workshop.tenant_id)
                  & _took_part())
            .join(Participant, (Attendance.participant_id == Participant.id)
                  & (Attendance.tenant_id == Participant.tenant_id))
            .group_by(p.c.n, Workshop.tenant_id))
        return [(n, t, Figure(round(100 * part / total, 1), total)) for n, t, total, part in rows if total]

    return compute_all


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


def solutions_to_pilots_all(periods):
    p = period_table(periods)
    pilots = (select(Pilot.tenant_id, Pilot.solution_id, func.count().label("pilots"))
              .group_by(Pilot.tenant_id, Pilot.solution_id).subquery())
    rows = db.session.execute(
        select(p.c.n, Solution.tenant_id, func.count(), func.coalesce(func.sum(pilots.c.pilots), 0))
        .join(Workshop, _held_in(p))
        .join(WorkshopTable, (WorkshopTable.workshop_id == Workshop.id) & (WorkshopTable.tenant_id == Workshop.tenant_id))
        .join(Solution, (Solution.table_id == WorkshopTable.id) & (Solution.tenant_id == WorkshopTable.tenant_id)
              & Solution.picked_at.is_not(None))
        .outerjoin(pilots, (pilots.c.solution_id == Solution.id) & (pilots.c.tenant_id == Solution.tenant_id))
        .group_by(p.c.n, Solution.tenant_id))
    return [(n, t, Figure(round(100 * int(piloted) / total, 1), total)) for n, t, total, piloted in rows if total]


def pilots_scaled_all(periods):
    p = period_table(periods)
    rows = db.session.execute(
        select(p.c.n, Pilot.tenant_id, func.count())
        .join(Pilot, and_(Pilot.status == "scaled", Pilot.decided_at >= p.c.start_at, Pilot.decided_at < p.c.end_at))
        .group_by(p.c.n, Pilot.tenant_id))
    return [(n, t, int(count)) for n, t, count in rows if count]


METRICS = [
    Metric("workshops.held", _l("Integration workshops held"), "count", workshops_held, group=GROUP,
           compute_all=workshops_held_all,
           description=_l("Local development workshops (workshop 1 or 2) closed as held in the period.")),
    Metric("workshops.business_share", _l("Share of workshop participants from business"), "percent",
           _share("business"), group=GROUP, compute_all=_share_all("business"),
           description=_l("Of the people who took part in workshops held in the period, the share from business.")),
    Metric("workshops.target_group_share", _l("Share of workshop participants from the target group"), "percent",
           _share("target_group"), group=GROUP, compute_all=_share_all("target_group"),
           description=_l("Of the people who took part in workshops held in the period, the share from the target "
                          "group (refugees, former refugees).")),
    Metric("workshops.solutions_to_pilots", _l("Workshop proposals that became pilots"), "percent",
           solutions_to_pilots, group=GROUP, compute_all=solutions_to_pilots_all,
           description=_l("Of the proposals tables sent to the plenary in workshops held in the period, the share "
                          "tested as a pilot.")),
    Metric("workshops.pilots_scaled", _l("Pilots scaled up"), "count", pilots_scaled, group=GROUP,
           compute_all=pilots_scaled_all,
           description=_l("Pilots decided to be scaled up in the period.")),
]
