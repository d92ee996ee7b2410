"""Follow-ups at 3, 6, 12 and 24 months after arrival: a daily job reminds the contact
person of those coming due, who records a short structured conversation and the
outcome. A household that moved away has its later follow-ups cancelled and is not
contacted again; a follow-up is recorded once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.sdk import Refusal, Tenant, User, current_tenant_id, db, external_url, queue_mail, record, today, utcnow
from dugnad_newcomers import households
from dugnad_newcomers.models import OUTCOMES, PLANS, FollowUp, Household

REMIND_DAYS_BEFORE = 7
EARLY_DAYS = 45  # a follow-up may be recorded this many days before it is due


def get(household: Household, follow_up_id: Any) -> FollowUp | None:
    if not isinstance(follow_up_id, int):
        return None
    return db.session.scalar(select(FollowUp).where(FollowUp.id == follow_up_id,
                                                    FollowUp.household_id == household.id))


def is_open(follow_up: FollowUp) -> bool:
    return follow_up.recorded_at is None and follow_up.cancelled_at is None


def record_conversation(household: Household, follow_up: FollowUp, data: dict[str, Any], user: User | None) -> None:
    """The contact person records the conversation and its outcome."""
    if household.anonymised_at is not None:
        raise Refusal(_("This household is deleted."), status=409)
    if follow_up.recorded_at is not None:
        raise Refusal(_("The %(n)s-month follow-up was already recorded on %(day)s. Correct it there instead of "
                        "recording it again.", n=follow_up.month, day=follow_up.recorded_at.date().isoformat()),
                      "outcome", status=409)
    if follow_up.cancelled_at is not None:
        raise Refusal(_("This household has moved away, so it is not followed up any more."), "outcome", status=409)
    if follow_up.due_on > today() + timedelta(days=EARLY_DAYS):
        raise Refusal(_("The %(n)s-month follow-up is due on %(day)s; record it closer to that day.",
                        n=follow_up.month, day=follow_up.due_on.isoformat()), "outcome")
    outcome = data.get("outcome")
    if outcome not in OUTCOMES:
        raise Refusal(_("Choose the outcome: still living here, moved away or unknown."), "outcome")
    plans = data.get("plans") or None
    if plans is not None and plans not in PLANS:
        raise Refusal(_("Choose one of the plans."), "plans")
    moved_to = households.clean(data.get("moved_to"))
    if outcome == "moved" and not moved_to:
        raise Refusal(_("Write where they moved to (a municipality or a country), or “unknown”."), "moved_to")
    follow_up.how_going = households.clean(data.get("how_going"))
    follow_up.missing = households.clean(data.get("missing"))
    follow_up.plans = plans
    follow_up.outcome = outcome
    follow_up.moved_to = moved_to if outcome == "moved" else None
    follow_up.recorded_at = utcnow()
    follow_up.recorded_by_id = user.id if user else None
    record("newcomers.follow_up", follow_up, household_id=household.id, month=follow_up.month, outcome=outcome)
    if outcome == "moved":
        households.mark_moved(household, moved_to, today())
    else:
        household.outcome, household.outcome_on = outcome, today()
    db.session.flush()


def due_for_reminder(day=None) -> list[tuple[FollowUp, Household]]:
    day = day or today()
    return db.session.execute(
        select(FollowUp, Household).join(Household, (Household.id == FollowUp.household_id)
                                         & (Household.tenant_id == FollowUp.tenant_id))
        .where(FollowUp.recorded_at.is_(None), FollowUp.cancelled_at.is_(None), FollowUp.reminded_at.is_(None),
               FollowUp.due_on <= day + timedelta(days=REMIND_DAYS_BEFORE),
               Household.status == "active", Household.anonymised_at.is_(None))
        .order_by(FollowUp.due_on)
    ).tuples().all()


def remind_follow_ups() -> int:
    """Daily, per municipality: tell each contact person (or, with none, the coordinator's
    address in Settings) of follow-ups due within a week. Runs twice harmlessly: a reminded
    follow-up is marked, and the outbox sends one message per follow-up."""
    tenant = db.session.get(Tenant, current_tenant_id())
    fallback = (tenant.settings or {}).get("newcomers_contact_email")
    sent = 0
    for follow_up, household in due_for_reminder():
        contact = db.session.get(User, household.contact_user_id) if household.contact_user_id else None
        address = contact.email if contact is not None else fallback
        if not address:
            continue
        body = render_template("dugnad_newcomers/mail/follow_up_reminder.txt", follow_up=follow_up,
                               household=household, tenant=tenant, contact=contact,
                               link=external_url("newcomers.show", household_id=household.id))
        queue_mail(kind="newcomers.follow_up", recipient=address, subject_ref=f"follow-up:{follow_up.id}",
                   subject=_("Follow-up due: %(name)s, %(n)s months", name=household.name, n=follow_up.month),
                   body=body, tenant_id=tenant.id)
        follow_up.reminded_at = utcnow()
        sent += 1
    db.session.commit()
    return sent
