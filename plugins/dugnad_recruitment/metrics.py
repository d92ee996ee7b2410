"""Recruitment's figures for regional benchmarking (group ``recruitment``).

Counts are whole numbers; shares and medians are ``Figure(value, count)`` with the number
of people they rest on, so the region suppresses small numbers (fewer than 3) and no
figure reaches a single person. Anonymised candidates still count for what happened."""

from __future__ import annotations

from datetime import date
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dugnad.sdk import Figure, Metric, db
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
        return Figure(round(100 * sum(1 for s in statuses if s == "in_work") / len(statuses), 1), len(statuses))

    compute.__doc__ = f"Share in work {months} months after the start, of the outcomes due in the period."
    return compute


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
    if not days:
        return None
    return Figure(float(median(days)), len(days))


METRICS = [
    Metric("recruitment.started", _l("Candidates started"), "count", started, group=GROUP,
           description=_l("Candidates whose first placement started in the period.")),
    *(Metric(f"recruitment.in_work_{m}", _l("Share in work after %(months)s months", months=m), "percent", in_work(m),
             group=GROUP, description=_l("Of the outcomes recorded for the period, the share in work."))
      for m in (6, 12, 24)),
    *(Metric(f"recruitment.placements_{kind}", _l("Placements: %(track)s", track=label), "count", placements(kind),
             group=GROUP, description=_l("Placements started in the period on this kind of track."))
      for kind, label in TRACK_SHORT.items()),
    Metric("recruitment.days_to_permanent", _l("Days from start to a permanent job"), "days", days_to_permanent,
           better="lower", group=GROUP, description=_l("Median, for those who got a permanent job in the period.")),
]
