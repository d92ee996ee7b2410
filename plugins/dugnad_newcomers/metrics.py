"""The service's figures for regional benchmarking (group ``newcomers``). Shares are
``Figure(value, count)`` with the households they rest on, so the region suppresses
small numbers (retention on fewer than five households is never shown).

Each metric also has its set-based form (``compute_all``) for the recompute: the same
figures for every municipality and period in one query, the same arithmetic after it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from dugnad.sdk import Figure, Metric, db, period_table, today
from dugnad_newcomers import retention
from dugnad_newcomers.households import add_months
from dugnad_newcomers.models import ChecklistItem, FollowUp, Household

GROUP = "newcomers"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time())


def _share_within_14_days(rows) -> Figure | None:
    """Of (registered_at, contact_assigned_at) rows, the share given a contact within 14 days."""
    if not rows:
        return None
    within = sum(1 for registered, assigned in rows if assigned is not None and assigned <= registered + timedelta(days=14))
    return Figure(round(100 * within / len(rows), 1), len(rows))


def _retention_figure(months: int, found: list[retention.Fact], as_of: date) -> Figure | None:
    """What ``retention.figure`` counts, over facts already read (for the set-based form)."""
    stayed = known = 0
    for fact in found:
        if add_months(fact.arrival, months) > as_of:
            continue
        status = retention.status_at(fact, months)
        if status != "unknown":
            known += 1
            stayed += status == "stayed"
    return Figure(round(100 * stayed / known, 1), known) if known else None


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
    return _share_within_14_days(rows)


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


# --- set-based: every municipality and period in one query each -----------------------


def followed_up_all(periods):
    p = period_table(periods)
    rows = db.session.execute(
        select(p.c.n, FollowUp.tenant_id, func.count(func.distinct(FollowUp.household_id)))
        .join(FollowUp, and_(FollowUp.recorded_at >= p.c.start_at, FollowUp.recorded_at < p.c.end_at))
        .group_by(p.c.n, FollowUp.tenant_id))
    return [(n, t, int(count)) for n, t, count in rows if count]


def contact_within_14_days_all(periods):
    p = period_table(periods)
    found: dict[tuple[int, int], list] = {}
    for n, tenant_id, registered, assigned in db.session.execute(
            select(p.c.n, Household.tenant_id, Household.registered_at, Household.contact_assigned_at)
            .join(Household, and_(Household.registered_at >= p.c.start_at, Household.registered_at < p.c.end_at,
                                  Household.status != "unconfirmed"))):
        found.setdefault((n, tenant_id), []).append((registered, assigned))
    return [(n, t, _share_within_14_days(rows)) for (n, t), rows in found.items()]


def _retention_all(months: int):
    def compute_all(periods):
        """The facts ``retention.facts`` reads, for every municipality's arrivals in each period."""
        p = period_table(periods)
        here = (select(FollowUp.tenant_id, FollowUp.household_id, func.max(FollowUp.month).label("month"))
                .where(FollowUp.outcome == "here").group_by(FollowUp.tenant_id, FollowUp.household_id).subquery())
        moved_on = case((Household.outcome == "moved", Household.outcome_on), else_=None)
        found: dict[tuple[int, int], list[retention.Fact]] = {}
        for n, tenant_id, arrival, moved, month in db.session.execute(
                select(p.c.n, Household.tenant_id, Household.arrival_date, moved_on, here.c.month)
                .join(Household, and_(Household.arrival_date >= p.c.start, Household.arrival_date < p.c.end,
                                      Household.status != "unconfirmed"))
                .outerjoin(here, and_(here.c.tenant_id == Household.tenant_id, here.c.household_id == Household.id))):
            found.setdefault((n, tenant_id), []).append(retention.Fact(arrival, moved, month))
        as_of = today()
        figures = ((n, t, _retention_figure(months, facts, as_of)) for (n, t), facts in found.items())
        return [(n, t, figure) for n, t, figure in figures if figure is not None]

    return compute_all


def items_done_all(periods):
    p = period_table(periods)
    rows = db.session.execute(
        select(p.c.n, ChecklistItem.tenant_id, func.count())
        .join(ChecklistItem, and_(ChecklistItem.status == "done", ChecklistItem.done_at >= p.c.start_at,
                                  ChecklistItem.done_at < p.c.end_at))
        .group_by(p.c.n, ChecklistItem.tenant_id))
    return [(n, t, int(count)) for n, t, count in rows if count]


METRICS = [
    Metric("newcomers.followed_up", _l("Newcomer households followed up"), "count", followed_up, group=GROUP,
           compute_all=followed_up_all,
           description=_l("Households with a follow-up conversation recorded in the period.")),
    Metric("newcomers.contact_14_days", _l("Newcomers with a contact person within 14 days"), "percent",
           contact_within_14_days, group=GROUP, threshold=5, compute_all=contact_within_14_days_all,
           description=_l("Of households registered in the period, the share that had a contact person within 14 days.")),
    Metric("newcomers.retention_12", _l("Newcomers still living here after 12 months"), "percent", _retention(12),
           group=GROUP, threshold=5, compute_all=_retention_all(12),
           description=_l("Of households that arrived in the period, the share still living here 12 months later.")),
    Metric("newcomers.retention_24", _l("Newcomers still living here after 24 months"), "percent", _retention(24),
           group=GROUP, threshold=5, compute_all=_retention_all(24),
           description=_l("Of households that arrived in the period, the share still living here 24 months later.")),
    Metric("newcomers.items_done", _l("Newcomer checklist items done"), "count", items_done, group=GROUP,
           compute_all=items_done_all,
           description=_l("Checklist items (housing, kindergarten, GP …) done in the period.")),
]
