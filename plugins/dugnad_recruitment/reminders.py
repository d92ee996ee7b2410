"""Scheduled warnings: ahead of every step-down and end of funding, and when an outcome is due.

Each warning is a ``Reminder`` row with a unique ``(tenant_id, kind, subject_id, due_on)``
and an outbox message with its own key, both written in one transaction: a replayed or
retried job finds them and does nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.sdk import Tenant, current_tenant_id, db, queue_mail, today
from dugnad_recruitment.models import (
    Candidate,
    Funding,
    FundingRule,
    Opening,
    Outcome,
    Placement,
    Reminder,
)
from dugnad_recruitment.placements import warnings


def _contact() -> str | None:
    tenant = db.session.get(Tenant, current_tenant_id())
    return (tenant.settings or {}).get("recruitment_contact_email") or None


def _once(kind: str, subject_id: int, due_on) -> bool:
    """Mark the reminder as sent; False when it already was (a replay)."""
    exists = db.session.scalar(select(Reminder.id).where(Reminder.kind == kind, Reminder.subject_id == subject_id,
                                                         Reminder.due_on == due_on))
    if exists is not None:
        return False
    db.session.add(Reminder(kind=kind, subject_id=subject_id, due_on=due_on))
    db.session.flush()
    return True


def send_funding_warnings() -> dict[str, int]:
    """Daily: warn the coordinator ahead of each step-down and each end of funding (once each)."""
    day = today()
    horizon = day + timedelta(days=180)
    rows = db.session.execute(
        select(Funding, FundingRule, Candidate.name, Opening.unit)
        .join(FundingRule, FundingRule.id == Funding.rule_id)
        .join(Placement, Placement.id == Funding.placement_id)
        .join(Candidate, Candidate.id == Placement.candidate_id)
        .join(Opening, Opening.id == Placement.opening_id)
        .where(Candidate.anonymised_at.is_(None), Funding.ends_on >= day, Funding.starts_on <= horizon)
        .order_by(Funding.id)).tuples().all()
    contact, sent = _contact(), {"step_down": 0, "funding_end": 0}
    for funding, rule, name, unit in rows:
        for warning in warnings([(funding, rule)], day):
            if not _once(warning.kind, funding.id, warning.due_on):
                continue
            sent[warning.kind] += 1
            if contact:
                queue_mail(f"recruitment-{warning.kind}", contact, f"funding:{funding.id}:{warning.due_on.isoformat()}",
                           _("Recruitment: %(name)s in %(unit)s", name=name, unit=unit),
                           "\n\n".join([warning.text, _("Funding rule: %(rule)s.", rule=rule.name)]))
    db.session.commit()
    return sent


def send_outcome_reminders() -> dict[str, int]:
    """Daily: remind the coordinator of outcomes due (6, 12, 24 months after the start), once each."""
    day = today()
    rows = db.session.execute(
        select(Outcome, Candidate.name).join(Candidate, Candidate.id == Outcome.candidate_id)
        .where(Outcome.recorded_at.is_(None), Outcome.due_on <= day, Candidate.anonymised_at.is_(None))
        .order_by(Outcome.due_on, Outcome.id)).tuples().all()
    contact, sent = _contact(), 0
    for outcome, name in rows:
        if not _once("outcome", outcome.id, outcome.due_on):
            continue
        sent += 1
        if contact:
            queue_mail("recruitment-outcome", contact, f"outcome:{outcome.id}:{outcome.due_on.isoformat()}",
                       _("Recruitment: record where %(name)s is after %(months)s months", name=name, months=outcome.months),
                       _("It is %(months)s months since %(name)s started. Record whether they are in work (where, and "
                         "whether it is permanent), in education, or neither.", months=outcome.months, name=name))
    db.session.commit()
    return {"outcome": sent}


def due_outcomes(candidate_ids: list[int] | None = None) -> list[tuple[Outcome, str]]:
    query = (select(Outcome, Candidate.name).join(Candidate, Candidate.id == Outcome.candidate_id)
             .where(Outcome.recorded_at.is_(None), Outcome.due_on <= today(), Candidate.anonymised_at.is_(None))
             .order_by(Outcome.due_on))
    if candidate_ids is not None:
        query = query.where(Outcome.candidate_id.in_(candidate_ids))
    return list(db.session.execute(query).tuples())
