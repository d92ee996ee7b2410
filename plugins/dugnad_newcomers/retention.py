"""Who stays: per arrival cohort (quarter or year), the share of households still living
here 12 and 24 months after arriving — the service's headline figure — and the job that
deletes a household's data a set time after its last follow-up, after warning them.

At ``months`` after arrival a household has *left* when it moved away on or before that
day, has *stayed* when a follow-up at that month or later found it still here, and is
*unknown* otherwise. Shares rest on those known; small numbers are suppressed as the
core's benchmarking does (a share on fewer than five households, a count below three),
and where one quarter of a year is suppressed, so are the other quarters of that year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import Integer, case, cast, extract, func, select

from dugnad.sdk import Tenant, current_tenant_id, db, queue_mail, record, today, utcnow
from dugnad_newcomers import households
from dugnad_newcomers.households import add_months
from dugnad_newcomers.models import FollowUp, Household

HORIZONS = (12, 24)
SHARE_THRESHOLD = 5
COUNT_THRESHOLD = 3
WARNING_DAYS = 30


@dataclass(frozen=True)
class Fact:
    """What the retention figure needs of one household."""

    arrival: date
    moved_on: date | None  # the day it was known to have moved away
    here_month: int | None  # the latest follow-up month that found it still here


def status_at(fact: Fact, months: int) -> str:
    if fact.moved_on is not None and fact.moved_on <= add_months(fact.arrival, months):
        return "left"
    if fact.here_month is not None and fact.here_month >= months:
        return "stayed"
    return "unknown"


def cohort_of(day: date, kind: str) -> str:
    return f"{day.year}" if kind == "year" else f"{day.year}K{(day.month - 1) // 3 + 1}"


def cohort_end(cohort: str) -> date:
    """The last day of a cohort ("2025" or "2025K3")."""
    if "K" in cohort:
        year, quarter = int(cohort[:4]), int(cohort[5])
        return add_months(date(year, 3 * quarter, 1), 1) - timedelta(days=1)
    return date(int(cohort), 12, 31)


def facts(start: date | None = None, end: date | None = None) -> list[Fact]:
    """One query: each household's arrival, when it moved away and its latest 'here'."""
    here = (select(FollowUp.household_id, func.max(FollowUp.month).label("month"))
            .where(FollowUp.outcome == "here").group_by(FollowUp.household_id).subquery())
    query = (select(Household.arrival_date,
                    case((Household.outcome == "moved", Household.outcome_on), else_=None),
                    here.c.month)
             .outerjoin(here, here.c.household_id == Household.id)
             .where(Household.status != "unconfirmed"))
    if start is not None:
        query = query.where(Household.arrival_date >= start)
    if end is not None:
        query = query.where(Household.arrival_date < end)
    return [Fact(arrival, moved_on, month) for arrival, moved_on, month in db.session.execute(query)]


@dataclass
class Cell:
    """The figure of one cohort at 12 or 24 months."""

    ready: bool  # the whole cohort has reached the horizon
    stayed: int = 0
    left: int = 0
    unknown: int = 0
    suppressed: bool = False

    @property
    def known(self) -> int:
        return self.stayed + self.left

    @property
    def share(self) -> float | None:
        if not self.ready or self.suppressed or not self.known:
            return None
        return self.stayed / self.known


@dataclass
class CohortRow:
    cohort: str
    households: int
    cells: dict[int, Cell] = field(default_factory=dict)
    households_suppressed: bool = False


def tally(all_facts: list[Fact], kind: str, as_of: date) -> dict[str, CohortRow]:
    """Count per cohort and horizon, before suppression."""
    rows: dict[str, CohortRow] = {}
    for fact in all_facts:
        cohort = cohort_of(fact.arrival, kind)
        row = rows.get(cohort)
        if row is None:
            ready = {months: add_months(cohort_end(cohort), months) <= as_of for months in HORIZONS}
            row = rows[cohort] = CohortRow(cohort, 0, {months: Cell(ready[months]) for months in HORIZONS})
        row.households += 1
        for months, cell in row.cells.items():
            if cell.ready:
                status = status_at(fact, months)
                setattr(cell, status, getattr(cell, status) + 1)
    return dict(sorted(rows.items()))


def suppress(rows: dict[str, CohortRow], kind: str) -> dict[str, CohortRow]:
    """A share on fewer than SHARE_THRESHOLD known households, and a household count below
    COUNT_THRESHOLD, are hidden; then, for quarters, a hidden quarter hides its year's."""
    for row in rows.values():
        row.households_suppressed = row.households < COUNT_THRESHOLD
        for cell in row.cells.values():
            cell.suppressed = cell.ready and cell.known < SHARE_THRESHOLD
    if kind == "quarter":
        for months in HORIZONS:
            hidden_years = {c[:4] for c, row in rows.items() if row.cells[months].suppressed}
            for cohort, row in rows.items():
                if cohort[:4] in hidden_years and row.cells[months].ready:
                    row.cells[months].suppressed = True
        hidden_years = {c[:4] for c, row in rows.items() if row.households_suppressed}
        for cohort, row in rows.items():
            if cohort[:4] in hidden_years:
                row.households_suppressed = True
    return rows


def tally_sql(kind: str, as_of: date, start: date | None = None) -> dict[str, CohortRow]:
    """The same counts as ``tally(facts(), …)``, grouped by cohort in the database (one
    query, a row per cohort whatever the number of households)."""
    here = (select(FollowUp.household_id, func.max(FollowUp.month).label("month"))
            .where(FollowUp.outcome == "here").group_by(FollowUp.household_id).subquery())
    year = cast(extract("year", Household.arrival_date), Integer)
    quarter = (cast(extract("month", Household.arrival_date), Integer) - 1) // 3 + 1
    columns = [year.label("year"), quarter.label("quarter") if kind == "quarter" else None,
               func.count().label("households")]
    for months in HORIZONS:
        left = Household.moved_month <= months
        columns.append(func.sum(case((left, 1), else_=0)).label(f"left_{months}"))
        columns.append(func.sum(case((~left | Household.moved_month.is_(None), case((here.c.month >= months, 1),
                                                                                   else_=0)), else_=0))
                       .label(f"stayed_{months}"))
    query = (select(*[c for c in columns if c is not None]).outerjoin(here, here.c.household_id == Household.id)
             .where(Household.status != "unconfirmed"))
    if start is not None:
        query = query.where(Household.arrival_date >= start)
    groups = [year, quarter] if kind == "quarter" else [year]
    rows: dict[str, CohortRow] = {}
    for found in db.session.execute(query.group_by(*groups)).mappings():
        cohort = f"{found['year']}K{found['quarter']}" if kind == "quarter" else f"{found['year']}"
        row = rows[cohort] = CohortRow(cohort, found["households"])
        for months in HORIZONS:
            ready = add_months(cohort_end(cohort), months) <= as_of
            stayed, left = int(found[f"stayed_{months}"] or 0), int(found[f"left_{months}"] or 0)
            row.cells[months] = (Cell(True, stayed, left, row.households - stayed - left) if ready else Cell(False))
    return dict(sorted(rows.items()))


def report(kind: str = "year", as_of: date | None = None, years: int = 5) -> list[CohortRow]:
    """The retention report of the municipality: cohorts of the last ``years`` years."""
    as_of = as_of or today()
    start = date(as_of.year - years + 1, 1, 1)
    return list(suppress(tally_sql(kind, as_of, start), kind).values())


def figure(months: int, start: date, end: date, as_of: date | None = None) -> tuple[int, int]:
    """(stayed, known) at ``months`` for households arriving start ≤ day < end, counted only
    where the horizon has passed by ``as_of`` — for the benchmark metrics."""
    as_of = as_of or today()
    stayed = known = 0
    for fact in facts(start, end):
        if add_months(fact.arrival, months) > as_of:
            continue
        status = status_at(fact, months)
        if status != "unknown":
            known += 1
            stayed += status == "stayed"
    return stayed, known


# --- deleting data when it is no longer needed ---------------------------------------------------


def retention_months(tenant: Tenant) -> int:
    try:
        return max(1, int((tenant.settings or {}).get("newcomers_retention_months") or 12))
    except (TypeError, ValueError):
        return 12


def finished_households() -> list[tuple[Household, date]]:
    """Households with no follow-up left to do, with the day of their last one."""
    open_ = (select(FollowUp.household_id).where(FollowUp.recorded_at.is_(None), FollowUp.cancelled_at.is_(None))
             .distinct().subquery())
    last = (select(FollowUp.household_id,
                   func.max(func.coalesce(FollowUp.recorded_at, FollowUp.cancelled_at)).label("last"))
            .group_by(FollowUp.household_id).subquery())
    rows = db.session.execute(
        select(Household, last.c.last).join(last, last.c.household_id == Household.id)
        .outerjoin(open_, open_.c.household_id == Household.id)
        .where(open_.c.household_id.is_(None), Household.anonymised_at.is_(None))
    ).tuples().all()
    return [(household, (stamp.date() if hasattr(stamp, "date") else date.fromisoformat(str(stamp)[:10])))
            for household, stamp in rows if stamp is not None]


def enforce_retention() -> dict[str, int]:
    """Daily, per municipality: warn households whose last follow-up is the set months
    ago (by e-mail, with their link), and delete those warned WARNING_DAYS ago or more."""
    tenant = db.session.get(Tenant, current_tenant_id())
    months = retention_months(tenant)
    warned = deleted = 0
    now = utcnow()
    for household, last in finished_households():
        if add_months(last, months) > today():
            continue
        if household.retention_warned_at is None:
            household.retention_warned_at = now
            if household.email:
                from dugnad_newcomers import links

                body = render_template("dugnad_newcomers/mail/retention_warning.txt", household=household,
                                       tenant=tenant, days=WARNING_DAYS, me_link=links.me_link(household))
                queue_mail(kind="newcomers.retention", recipient=household.email,
                           subject_ref=f"retention:{household.id}:{household.link_version}",
                           subject=_("Your information with the newcomer service will be deleted"), body=body,
                           tenant_id=tenant.id)
            record("newcomers.retention_warned", household)
            warned += 1
        elif household.retention_warned_at <= now - timedelta(days=WARNING_DAYS):
            households.anonymise(household, "retention")
            deleted += 1
    db.session.commit()
    return {"warned": warned, "deleted": deleted}


