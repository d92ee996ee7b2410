"""Computing snapshots: every metric, for each municipality and period.

A metric runs in the municipality's context inside a savepoint: one that raises (or
returns something of the wrong shape) is reported and leaves that municipality's
earlier snapshot as it was, and the other metrics and municipalities still compute.
Each municipality's snapshots are replaced in one statement per metric, committed
per municipality, so the job may run twice (RQ retries) with the same result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from sqlalchemy import delete, func, insert, select

from dugnad.benchmarking import catalogue
from dugnad.benchmarking.metrics import Figure, Metric
from dugnad.benchmarking.models import BenchmarkRun, Snapshot
from dugnad.benchmarking.periods import KINDS, Period, between, containing, refuse_future
from dugnad.extensions import db
from dugnad.tenancy.context import tenant_context
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


def compute_tenant(tenant: Tenant, metrics: list[Metric], periods: list[Period], outcome: Outcome,
                   enabled: set[str]) -> None:
    """Compute and store ``metrics`` × ``periods`` for one municipality (in its context)."""
    with tenant_context(tenant.id):
        for metric in metrics:
            if not catalogue.in_use(metric, enabled):
                continue
            rows = [_row(tenant.id, metric, period, value, count)
                    for period, (value, count) in _results(tenant, metric, periods, outcome)]
            _replace(metric.key, rows)
            outcome.computed += len(rows)
        db.session.commit()


def _results(tenant: Tenant, metric: Metric, periods: list[Period], outcome: Outcome):
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


def _row(tenant_id: int, metric: Metric, period: Period, value, count) -> dict:
    return {"tenant_id": tenant_id, "metric_key": metric.key, "period_kind": period.kind,
            "period_start": period.start, "value": value, "count": count, "computed_at": utcnow()}


def _replace(metric_key: str, rows: list[dict]) -> None:
    by_kind: dict[str, list[date]] = {}
    for row in rows:
        by_kind.setdefault(row["period_kind"], []).append(row["period_start"])
    for kind, starts in by_kind.items():
        db.session.execute(delete(Snapshot).where(Snapshot.metric_key == metric_key, Snapshot.period_kind == kind,
                                                  Snapshot.period_start.in_(starts)))
    if rows:
        db.session.execute(insert(Snapshot), rows)


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
    tenants = db.session.scalars(query).all()
    metrics = [m for m in catalogue.all_metrics() if metric_keys is None or m.key in metric_keys]
    record = BenchmarkRun(kind=kind)
    db.session.add(record)
    db.session.commit()
    outcome = Outcome()
    states = enabled_plugins([t.id for t in tenants])
    for tenant in tenants:
        periods = periods_for(tenant)
        for period in periods:
            refuse_future(period)
        compute_tenant(tenant, metrics, periods, outcome, states.get(tenant.id, set()))
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
