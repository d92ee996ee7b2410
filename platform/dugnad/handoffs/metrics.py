"""Handoffs for regional benchmarking (group ``handoffs``): how many were sent, how many
were done, and the median days from sent to done — in the period ``start`` ≤ day < ``end``."""

from __future__ import annotations

from datetime import date, datetime, time
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dugnad.benchmarking.metrics import Figure, Metric
from dugnad.extensions import db
from dugnad.handoffs.models import Handoff

GROUP = "handoffs"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time())


def sent(tenant_id: int, start: date, end: date) -> int | None:
    """Handoffs sent in the period, whatever came of them."""
    return db.session.scalar(select(func.count()).select_from(Handoff).where(
        Handoff.created_at >= _moment(start), Handoff.created_at < _moment(end))) or None


def done(tenant_id: int, start: date, end: date) -> int | None:
    """Handoffs done in the period (the receiver did what was asked)."""
    return db.session.scalar(select(func.count()).select_from(Handoff).where(
        Handoff.status == "done", Handoff.closed_at >= _moment(start), Handoff.closed_at < _moment(end))) or None


def days_to_done(tenant_id: int, start: date, end: date) -> Figure | None:
    """Median days from sent to done, for handoffs done in the period."""
    rows = db.session.execute(select(Handoff.created_at, Handoff.closed_at).where(
        Handoff.status == "done", Handoff.closed_at >= _moment(start), Handoff.closed_at < _moment(end))).all()
    if not rows:
        return None
    days = [max(0.0, (closed - created).total_seconds() / 86400) for created, closed in rows]
    return Figure(round(median(days), 1), len(days))


METRICS = [
    Metric("handoffs.sent", _l("Requests for help between modules"), "count", sent, group=GROUP,
           description=_l("Handoffs sent from one module to another (e.g. a pilot asking the volunteer bank).")),
    Metric("handoffs.done", _l("Requests for help done"), "count", done, group=GROUP,
           description=_l("Handoffs the receiving module reported done.")),
    Metric("handoffs.days_to_done", _l("Days from request to help"), "days", days_to_done, better="lower",
           group=GROUP, description=_l("Median days from a handoff being sent to it being done.")),
]
