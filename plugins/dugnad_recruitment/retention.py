"""Retention: a candidate's record is anonymised the set number of months after their track
ended (or after their last placement ended, whichever is later). The stages, placements,
funding and outcomes stay for the figures; nothing about the person does."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from dugnad.sdk import Tenant, current_tenant_id, db, record, today, utcnow
from dugnad_recruitment.models import Candidate, CandidateSensitive, MentorMeeting, Placement, StageChange

DEFAULT_MONTHS = 36


def retention_months() -> int:
    tenant = db.session.get(Tenant, current_tenant_id())
    value = (tenant.settings or {}).get("recruitment_retention_months")
    return int(value) if value not in (None, "") else DEFAULT_MONTHS


def anonymise(candidate: Candidate, reason: str) -> None:
    candidate.name = f"#{candidate.id}"
    candidate.email = candidate.phone = candidate.background = None
    candidate.participant_id = None
    candidate.anonymised_at = utcnow()
    db.session.execute(delete(CandidateSensitive).where(CandidateSensitive.candidate_id == candidate.id))
    for meeting in db.session.scalars(select(MentorMeeting).where(MentorMeeting.candidate_id == candidate.id)):
        meeting.summary = "—"
    for change in db.session.scalars(select(StageChange).where(StageChange.candidate_id == candidate.id)):
        change.reason = None
    record("recruitment.candidate.anonymised", candidate, reason=reason)


def enforce_retention() -> dict[str, int]:
    """Daily: anonymise candidates whose track ended more than the retention period ago."""
    cutoff = today() - timedelta(days=30 * retention_months())
    last_placement = (select(func.max(Placement.ends_on)).where(Placement.candidate_id == Candidate.id)
                      .scalar_subquery())
    due = db.session.scalars(select(Candidate).where(
        Candidate.anonymised_at.is_(None), Candidate.stage == "ended", Candidate.ended_on < cutoff,
        func.coalesce(last_placement, Candidate.ended_on) < cutoff).order_by(Candidate.id)).all()
    for candidate in due:
        anonymise(candidate, "retention")
    db.session.commit()
    return {"anonymised": len(due)}
