"""Outcomes at 6, 12 and 24 months after the start: scheduled when a candidate is first placed
(``placements._started``), reminded by a daily job (``reminders``), recorded here."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import Refusal, record as audit, today, utcnow
from dugnad_recruitment.models import OUTCOME_STATUSES, Outcome


def record(outcome: Outcome, data: dict) -> Outcome:
    """Record where the candidate is at 6, 12 or 24 months (once it is due)."""
    if data.get("status") not in OUTCOME_STATUSES:
        raise Refusal(_("Choose whether the candidate is in work, in education, or neither."), "status")
    if outcome.due_on > today():
        raise Refusal(_("This outcome is due on %(day)s; record it then.", day=outcome.due_on.strftime("%d.%m.%Y")),
                      "status")
    employer = (data.get("employer") or "").strip() or None
    if data["status"] in ("in_work", "in_education") and employer is None:
        raise Refusal(_("Say where: the employer or the school."), "employer")
    outcome.status, outcome.employer = data["status"], employer
    outcome.permanent = bool(data.get("permanent")) if data["status"] == "in_work" else None
    outcome.note = (data.get("note") or "").strip() or None
    outcome.recorded_at = utcnow()
    outcome.recorded_by_id = current_user.id if current_user and current_user.is_authenticated else None
    audit("recruitment.outcome.recorded", outcome, months=outcome.months, status=outcome.status)
    return outcome
