"""Recruitment's figures for regional benchmarking (group ``recruitment``).

Counts are whole numbers; shares and medians are ``Figure(value, count)`` with the number
of people they rest on, so the region suppresses small numbers (fewer than 3) and no
figure reaches a single person. Anonymised candidates still count for what happened.

Each metric also has its set-based form (``compute_all``) for the recompute: the same
figures for every municipality and period in one query, the same arithmetic after it."""

from __future__ import annotations

from datetime import date
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from dugnad.sdk import Figure, Metric, db, period_table
from dugnad_recruitment.models import TRACK_SHORT, Candidate, Opening, Outcome, Placement, StageChange, Track

GROUP = "recruitment"


def started(tenant_id: int, start: date, end: date) -> int | None:
    """Candidates whose first placement started in the period."""
    count = db.session.scalar(select(func.count()).select_from(Candidate).where(
        Candidate.started_on >= start, Candidate.started_on < end)) or 0
    return count or None


def in_work(months: int):
    def compute(tenant_id: int, start: date, end: date) -> Figure | None:
        statuses = db.session.scalars(select(Outcome.status).where(
            Outcome.months == months, Outcome.recorded_at.is_not(None), Outcome.due_on >= start,
            Outcome.due_on < end)).all()
        if not statuses:
            return None
        return _share_in_work(len(statuses), sum(1 for s in statuses if s == "in_work"))

    compute.__doc__ = f"Share in work {months} months after the start, of the outcomes due in the period."
    return compute


def _share_in_work(total: int, in_work: int) -> Figure:
    return Figure(round(100 * in_work / total, 1), total)


def placements(kind: str):
    def compute(tenant_id: int, start: date, end: date) -> int | None:
        count = db.session.scalar(
            select(func.count()).select_from(Placement).join(Opening, Opening.id == Placement.opening_id)
            .join(Track, Track.id == Opening.track_id)
            .where(Track.kind == kind, Placement.starts_on >= start, Placement.starts_on < end)) or 0
        return count or None

    return compute


def days_to_permanent(tenant_id: int, start: date, end: date) -> Figure | None:
    """Median days from the first start to a permanent job, for those who got one in the period."""
    rows = db.session.execute(select(Candidate.started_on, func.min(StageChange.changed_on))
                              .join(StageChange, StageChange.candidate_id == Candidate.id)
                              .where(StageChange.to_stage == "permanent", Candidate.started_on.is_not(None))
                              .group_by(Candidate.id, Candidate.started_on)).all()
    days = [(reached - began).days for began, reached in rows if start <= reached < end]
    return _median_days(days)


def _median_days(days: list[int]) -> Figure | None:
    return Figure(float(median(days)), len(days)) if days else None


# --- set-based: every municipality and period in one query each -----------------------


def started_all(periods):
    p = period_table(periods)
    rows = db.session.execute(
        select(p.c.n, Candidate.tenant_id, func.count())
        .join(Candidate, and_(Candidate.started_on >= p.c.start, Candidate.started_on < p.c.end))
        .group_by(p.c.n, Candidate.tenant_id))
    return [(n, t, int(count)) for n, t, count in rows if count]


def in_work_all(months: int):
    def compute_all(periods):
        p = period_table(periods)
        rows = db.session.execute(
            select(p.c.n, Outcome.tenant_id, func.count(), func.sum(case((Outcome.status == "in_work", 1), else_=0)))
            .join(Outcome, and_(Outcome.months == months, Outcome.recorded_at.is_not(None),
                                Outcome.due_on >= p.c.start, Outcome.due_on < p.c.end))
            .group_by(p.c.n, Outcome.tenant_id))
        return [(n, t, _share_in_work(int(total), int(in_work))) for n, t, total, in_work in rows if total]

    return compute_all


def placements_all(kind: str):
    def compute_all(periods):
        p = period_table(periods)
        rows = db.session.execute(
            select(p.c.n, Placement.tenant_id, func.count())
            .join(Placement, and_(Placement.starts_on >= p.c.start, Placement.starts_on < p.c.end))
            .join(Opening, and_(Opening.tenant_id == Placement.tenant_id, Opening.id == Placement.opening_id))
            .join(Track, and_(Track.tenant_id == Opening.tenant_id, Track.id == Opening.track_id, Track.kind == kind))
            .group_by(p.c.n, Placement.tenant_id))
        return [(n, t, int(count)) for n, t, count in rows if count]

    return compute_all


def days_to_permanent_all(periods):
    p = period_table(periods)
    reached = (select(Candidate.tenant_id, Candidate.started_on, func.min(StageChange.changed_on).label("on"))
               .join(StageChange, and_(StageChange.tenant_id == Candidate.tenant_id,
                                       StageChange.candidate_id == Candidate.id))
               .where(StageChange.to_stage == "permanent", Candidate.started_on.is_not(None))
               .group_by(Candidate.tenant_id, Candidate.id, Candidate.started_on).subquery())
    days: dict[tuple[int, int], list[int]] = {}
    for n, tenant_id, began, on in db.session.execute(
            select(p.c.n, reached.c.tenant_id, reached.c.started_on, reached.c.on)
            .join(reached, and_(reached.c.on >= p.c.start, reached.c.on < p.c.end))):
        days.setdefault((n, tenant_id), []).append((on - began).days)
    return [(n, t, _median_days(d)) for (n, t), d in days.items()]


METRICS = [
    Metric("recruitment.started", _l("Candidates started"), "count", started, group=GROUP, compute_all=started_all,
           description=_l("Candidates whose first placement started in the period.")),
    *(Metric(f"recruitment.in_work_{m}", _l("Share in work after %(months)s months", months=m), "percent", in_work(m),
             group=GROUP, compute_all=in_work_all(m), description=_l("Of the outcomes recorded for the period, the share in work."))
      for m in (6, 12, 24)),
    *(Metric(f"recruitment.placements_{kind}", _l("Placements: %(track)s", track=label), "count", placements(kind),
             group=GROUP, compute_all=placements_all(kind), description=_l("Placements started in the period on this kind of track."))
      for kind, label in TRACK_SHORT.items()),
    Metric("recruitment.days_to_permanent", _l("Days from start to a permanent job"), "days", days_to_permanent,
           better="lower", group=GROUP, compute_all=days_to_permanent_all, description=_l("Median, for those who got a permanent job in the period.")),
]
