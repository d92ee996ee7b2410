"""Computing snapshots: every metric, for each municipality and period.

A metric that offers ``compute_all`` is computed for every municipality and period in
one query (in the region's read scope); the others run per municipality, in its
context. A metric that raises (or returns something of the wrong shape) is reported and
leaves that municipality's earlier snapshot as it was, and the other metrics and
municipalities still compute: a set-based metric that fails is computed again per
municipality, so the failure is found and reported where it happens. Each
municipality's snapshots are written in one statement (on PostgreSQL: arrays, changed
figures updated, new ones inserted, unchanged ones left alone) and committed per
municipality, so the job may run twice (RQ retries) with the same result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, NamedTuple

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects import sqlite

from dugnad.benchmarking import catalogue
from dugnad.benchmarking.metrics import Figure, Metric
from dugnad.benchmarking.models import BenchmarkRun, Snapshot
from dugnad.benchmarking.periods import KINDS, Period, between, containing, refuse_future
from dugnad.extensions import db
from dugnad.tenancy.context import region_scope, tenant_context
from dugnad.tenancy.models import Tenant
from dugnad.clock import utcnow

log = logging.getLogger("dugnad.benchmarking")


class MetricResultError(TypeError):
    """A metric returned something its unit does not allow."""


@dataclass
class Outcome:
    computed: int = 0
    failures: list[dict] = field(default_factory=list)


def checked(metric: Metric, result) -> tuple[float | None, int | None]:
    """(value, count) to store, or MetricResultError for a result the unit does not allow."""
    if result is None:
        return None, None
    if metric.unit in ("count", "per_1000"):
        if isinstance(result, bool) or not isinstance(result, int) or result < 0:
            raise MetricResultError(f"returned {result!r}; a {metric.unit} metric returns a whole number, 0 or more")
        return float(result), result
    if not isinstance(result, Figure) or isinstance(result.count, bool) or not isinstance(result.count, int) \
            or result.count < 0 or not isinstance(result.value, (int, float)):
        raise MetricResultError(f"returned {result!r}; a {metric.unit} metric returns Figure(value, count)")
    return float(result.value), result.count


def enabled_plugins(tenant_ids: Iterable[int]) -> dict[int, set[str]]:
    from dugnad.region.service import plugin_states

    return plugin_states(list(tenant_ids))


@dataclass(frozen=True)
class Municipality:
    id: int
    name: str


# results of a set-based metric: tenant id -> period -> (value, count)
Known = dict[int, dict[Period, tuple[float | None, int | None]]]


def compute_tenant(tenant: Tenant | Municipality, metrics: list[Metric], periods: list[Period], outcome: Outcome,
                   enabled: set[str], known: dict[str, Known] | None = None, run_id: int | None = None) -> None:
    """Compute and store ``metrics`` × ``periods`` for one municipality (in its context).
    ``known`` holds what set-based metrics already computed for every municipality. The
    run's count moves in the same commit as the snapshots, so the region's pages (kept
    per data version, see ``published``) see every municipality's new figures at once."""
    known = known or {}
    with tenant_context(tenant.id):
        rows = []
        for metric in metrics:
            if not catalogue.in_use(metric, enabled):
                continue
            if metric.key in known:
                mine = known[metric.key].get(tenant.id, {})
                results = [(period, mine.get(period, (None, None))) for period in periods]
            else:
                results = _results(tenant, metric, periods, outcome)
            rows.extend(Row(tenant.id, metric.key, period.kind, period.start, value, count)
                        for period, (value, count) in results)
        _store(_changed(rows))
        outcome.computed += len(rows)
        if run_id is not None:
            db.session.execute(update(BenchmarkRun).where(BenchmarkRun.id == run_id).values(computed=outcome.computed))
        db.session.commit()


def compute_all(metric: Metric, periods: list[Period]) -> Known | None:
    """``metric`` for every municipality and period in one query, checked against its unit;
    None when it has no set-based form or that failed (then each municipality computes alone)."""
    if metric.compute_all is None or not periods:
        return None
    known: Known = {}
    try:
        with db.session.begin_nested(), region_scope(f"benchmarks: compute {metric.key}"):
            for n, tenant_id, result in metric.compute_all(periods):
                known.setdefault(tenant_id, {})[periods[n]] = checked(metric, result)
    except Exception as error:  # a plugin's metric may fail in any way: the per-municipality form finds where
        log.warning("set-based benchmark metric failed; computing it per municipality",
                    extra={"metric": metric.key, "error": str(error)})
        return None
    return known


def _results(tenant: Tenant | Municipality, metric: Metric, periods: list[Period], outcome: Outcome):
    """(period, (value, count)) for every period that computed. All periods in one savepoint
    first (fast); if any fails, again one savepoint each, so only the failing ones are lost."""
    try:
        with db.session.begin_nested():
            return [(period, checked(metric, metric.compute(tenant.id, period.start, period.end))) for period in periods]
    except Exception:  # a plugin's metric may fail in any way: find which periods, report them, go on
        pass
    results = []
    for period in periods:
        try:
            with db.session.begin_nested():
                results.append((period, checked(metric, metric.compute(tenant.id, period.start, period.end))))
        except Exception as error:
            outcome.failures.append({"tenant": tenant.name, "metric": metric.key, "period": period.code,
                                     "error": f"{type(error).__name__}: {error}"[:500]})
            log.warning("benchmark metric failed", extra={"metric": metric.key, "job_tenant": tenant.id,
                                                           "period": period.code, "error": str(error)})
    return results


class Row(NamedTuple):
    """One snapshot to store: a metric's figure for one municipality and period."""

    tenant_id: int
    metric_key: str
    period_kind: str
    period_start: date
    value: float | None
    count: int | None


# PostgreSQL: all of a municipality's rows in one statement, as arrays (no per-row
# statement, no per-row ORM). A changed figure is updated, a new one inserted; unchanged
# ones are left out before (``_changed``), and the WHERE keeps one that another run
# wrote meanwhile from being written again.
# ON CONFLICT finds each row through the unique key by definition; a join (UPDATE … FROM)
# was planned over (metric_key, period_kind, period_start) on a table not yet analysed,
# reading every municipality's row of each metric and period for each row written.
_UPSERT_POSTGRESQL = text("""
INSERT INTO benchmark_snapshot AS s (tenant_id, metric_key, period_kind, period_start, value, count, computed_at)
SELECT new.*, :now
  FROM unnest(CAST(:tenant_ids AS integer[]), CAST(:metric_keys AS varchar[]), CAST(:period_kinds AS varchar[]),
              CAST(:period_starts AS date[]), CAST(:vals AS double precision[]), CAST(:counts AS integer[])) AS new
ON CONFLICT (tenant_id, metric_key, period_kind, period_start) DO UPDATE
   SET value = excluded.value, count = excluded.count, computed_at = excluded.computed_at
 WHERE s.value IS DISTINCT FROM excluded.value OR s.count IS DISTINCT FROM excluded.count
""")


def _changed(rows: list[Row]) -> list[Row]:
    """The rows whose figure is not stored yet or differs from the stored one, read in one
    query (in the municipality's context). Most nights most figures are the same: they
    are then not sent at all, and an upsert that finds its row unchanged still locks it."""
    if not rows:
        return rows
    stored = {(key, kind, start): (value, count) for key, kind, start, value, count in db.session.execute(
        select(Snapshot.metric_key, Snapshot.period_kind, Snapshot.period_start, Snapshot.value, Snapshot.count)
        .where(Snapshot.period_start >= min(row.period_start for row in rows),
               Snapshot.period_start <= max(row.period_start for row in rows)))}
    return [row for row in rows
            if stored.get((row.metric_key, row.period_kind, row.period_start), _MISSING) != (row.value, row.count)]


_MISSING = object()


def _store(rows: list[Row]) -> None:
    """Write a municipality's snapshots (a row per metric and period) in one statement;
    a figure that did not change is not written (its ``computed_at`` stays: when it last changed)."""
    if not rows:
        return
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        tenant_ids, metric_keys, period_kinds, period_starts, values, counts = map(list, zip(*rows))
        db.session.execute(_UPSERT_POSTGRESQL, {
            "tenant_ids": tenant_ids, "metric_keys": metric_keys, "period_kinds": period_kinds,
            "period_starts": period_starts, "vals": values, "counts": counts, "now": now})
        return
    records = [{**row._asdict(), "computed_at": now} for row in rows]
    if dialect == "sqlite":  # one executemany (of the table: the ORM's bulk insert splits rows by their Nones)
        statement = sqlite.insert(Snapshot.__table__)
        statement = statement.on_conflict_do_update(
            index_elements=["tenant_id", "metric_key", "period_kind", "period_start"],
            set_={"value": statement.excluded.value, "count": statement.excluded.count,
                  "computed_at": statement.excluded.computed_at},
            where=statement.table.c.value.is_distinct_from(statement.excluded.value)
            | statement.table.c.count.is_distinct_from(statement.excluded.count))
        db.session.execute(statement, records)
        return
    for key in {row.metric_key for row in rows}:  # other databases: replace, then insert
        mine = [row for row in rows if row.metric_key == key]
        for kind in {row.period_kind for row in mine}:
            db.session.execute(delete(Snapshot).where(
                Snapshot.metric_key == key, Snapshot.period_kind == kind,
                Snapshot.period_start.in_([row.period_start for row in mine if row.period_kind == kind])))
    db.session.execute(insert(Snapshot), records)


def due_periods(tenant_id: int, today: date | None = None) -> list[Period]:
    """Incremental: per kind, from the latest stored period (or the previous one, whichever
    is earlier) to the current one, so late data in a just-ended period is counted too."""
    today = today or date.today()
    with tenant_context(tenant_id):
        latest = dict(db.session.execute(
            select(Snapshot.period_kind, func.max(Snapshot.period_start)).group_by(Snapshot.period_kind)
        ).all())
    periods = []
    for kind in KINDS:
        current = containing(kind, today)
        first = current.previous().start
        if latest.get(kind) is not None:
            first = min(first, latest[kind])
        periods.extend(between(kind, first, today))
    return periods


def run(kind: str, periods_for: Callable[[Tenant], list[Period]], tenant_ids: list[int] | None = None,
        metric_keys: list[str] | None = None, progress: Callable[[Tenant], None] | None = None) -> BenchmarkRun:
    """Compute for every active municipality (or ``tenant_ids``); records and returns the run."""
    query = select(Tenant).where(Tenant.status == "active").order_by(Tenant.name)
    if tenant_ids is not None:
        query = query.where(Tenant.id.in_(tenant_ids))
    # plain (id, name): the ORM objects would expire at every municipality's commit and be loaded again
    tenants = [Municipality(t.id, t.name) for t in db.session.scalars(query)]
    metrics = [m for m in catalogue.all_metrics() if metric_keys is None or m.key in metric_keys]
    record = BenchmarkRun(kind=kind)
    db.session.add(record)
    db.session.commit()
    outcome, run_id = Outcome(), record.id
    states = enabled_plugins([t.id for t in tenants])
    plan = {tenant.id: periods_for(tenant) for tenant in tenants}
    for periods in plan.values():
        for period in periods:
            refuse_future(period)
    every_period = sorted({period for periods in plan.values() for period in periods})
    known = {}
    for metric in metrics:  # set-based metrics: one query each for every municipality and period
        if any(catalogue.in_use(metric, states.get(t.id, set())) for t in tenants):
            results = compute_all(metric, every_period)
            if results is not None:
                known[metric.key] = results
    for tenant in tenants:
        compute_tenant(tenant, metrics, plan[tenant.id], outcome, states.get(tenant.id, set()), known, run_id)
        if progress is not None:
            progress(tenant)
    record.computed, record.failures, record.finished_at = outcome.computed, outcome.failures, utcnow()
    db.session.commit()
    return record


def compute_snapshots() -> int:
    """The scheduled job: bring every municipality's snapshots up to date. Returns the run's id."""
    return run("scheduled", lambda tenant: due_periods(tenant.id)).id


def backfill(first: date, last: date | None = None, kinds: Iterable[str] = KINDS, tenant_ids: list[int] | None = None,
             progress: Callable[[Tenant], None] | None = None) -> BenchmarkRun:
    """Rebuild the history from ``first`` to ``last`` (today by default)."""
    last = last or date.today()
    periods = [p for kind in kinds for p in between(kind, first, last)]
    for period in periods:
        refuse_future(period)
    return run("backfill", lambda tenant: periods, tenant_ids=tenant_ids, progress=progress)
