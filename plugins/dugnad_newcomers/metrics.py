"""The service's figures for regional benchmarking (group ``newcomers``). Shares are
``Figure(value, count)`` with the households they rest on, so the region suppresses
small numbers (retention on fewer than five households is never shown)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dugnad.sdk import Figure, Metric, db
from dugnad_newcomers import retention
from dugnad_newcomers.models import ChecklistItem, FollowUp, Household

GROUP = "newcomers"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time())


def followed_up(tenant_id: int, start: date, end: date) -> int | None:
    """Households with a follow-up conversation recorded in the period."""
    count = db.session.scalar(select(func.count(func.distinct(FollowUp.household_id))).where(
        FollowUp.recorded_at >= _moment(start), FollowUp.recorded_at < _moment(end)))
    return count or None


def contact_within_14_days(tenant_id: int, start: date, end: date) -> Figure | None:
    """Of households registered in the period, the share given a contact person within 14 days."""
    rows = db.session.execute(select(Household.registered_at, Household.contact_assigned_at).where(
        Household.registered_at >= _moment(start), Household.registered_at < _moment(end),
        Household.status != "unconfirmed")).all()
    if not rows:
        return None
    within = sum(1 for registered, assigned in rows if assigned is not None and assigned <= registered + timedelta(days=14))
    return Figure(round(100 * within / len(rows), 1), len(rows))


def _retention(months: int):
    def compute(tenant_id: int, start: date, end: date) -> Figure | None:
        """Of households that arrived in the period, the share still living here ``months`` later."""
        stayed, known = retention.figure(months, start, end)
        return Figure(round(100 * stayed / known, 1), known) if known else None

    compute.__name__ = f"retention_{months}"
    return compute


def items_done(tenant_id: int, start: date, end: date) -> int | None:
    """Checklist items done in the period."""
    count = db.session.scalar(select(func.count()).select_from(ChecklistItem).where(
        ChecklistItem.status == "done", ChecklistItem.done_at >= _moment(start), ChecklistItem.done_at < _moment(end)))
    return count or None


METRICS = [
    Metric("newcomers.followed_up", _l("Newcomer households followed up"), "count", followed_up, group=GROUP,
           description=_l("Households with a follow-up conversation recorded in the period.")),
    Metric("newcomers.contact_14_days", _l("Newcomers with a contact person within 14 days"), "percent",
           contact_within_14_days, group=GROUP, threshold=5,
           description=_l("Of households registered in the period, the share that had a contact person within 14 days.")),
    Metric("newcomers.retention_12", _l("Newcomers still living here after 12 months"), "percent", _retention(12),
           group=GROUP, threshold=5,
           description=_l("Of households that arrived in the period, the share still living here 12 months later.")),
    Metric("newcomers.retention_24", _l("Newcomers still living here after 24 months"), "percent", _retention(24),
           group=GROUP, threshold=5,
           description=_l("Of households that arrived in the period, the share still living here 24 months later.")),
    Metric("newcomers.items_done", _l("Newcomer checklist items done"), "count", items_done, group=GROUP,
           description=_l("Checklist items (housing, kindergarten, GP …) done in the period.")),
]
