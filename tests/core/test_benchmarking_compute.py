"""Computing snapshots: the scheduled job, backfill, failures and bad periods."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from dugnad.benchmarking import compute
from dugnad.benchmarking.metrics import Figure, Metric
from dugnad.benchmarking.models import BenchmarkRun, Snapshot
from dugnad.benchmarking.periods import Period, PeriodError, between, containing, parse
from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.tenancy import region_scope, tenant_context
from dugnad.clock import today as oslo_today


def _snapshots(tenant_id, key):
    with tenant_context(tenant_id):
        return {(s.period_kind, s.period_start): (s.value, s.count)
                for s in db.session.scalars(select(Snapshot).where(Snapshot.metric_key == key))}


def test_the_job_computes_the_core_and_plugin_metrics_for_every_municipality(app_context, world):
    with tenant_context(world.tenants["alpha"]):
        processes.start_process("blt", "Alpha process", None)
        db.session.commit()
    run_id = compute.compute_snapshots()
    run = db.session.get(BenchmarkRun, run_id)
    assert run.failures == [] and run.finished_at is not None
    today = oslo_today()
    year = containing("year", today).start
    assert _snapshots(world.tenants["alpha"], "processes.active")[("year", year)] == (1.0, 1)
    assert _snapshots(world.tenants["beta"], "processes.active")[("year", year)] == (0.0, 0)
    # the sample plugin's metric: alpha has two notes in the test world
    assert _snapshots(world.tenants["alpha"], "sample.notes")[("month", containing("month", today).start)] == (2.0, 2)
    # the progress of alpha's process: first of its phases
    value, count = _snapshots(world.tenants["alpha"], "processes.progress")[("year", year)]
    assert count == 1 and 0 < value <= 100
    assert _snapshots(world.tenants["beta"], "processes.progress")[("year", year)] == (None, None)


def test_the_job_is_incremental_and_may_run_twice(app_context, world):
    compute.compute_snapshots()
    first = _snapshots(world.tenants["alpha"], "sample.notes")
    compute.compute_snapshots()
    assert _snapshots(world.tenants["alpha"], "sample.notes") == first
    today = oslo_today()
    expected = {(p.kind, p.start) for kind in ("year", "quarter", "month")
                for p in (containing(kind, today).previous(), containing(kind, today))}
    assert set(first) == expected
    with region_scope("test"):
        assert db.session.query(Snapshot).count() == 2 * len(expected) * len(app_context_metrics())


def app_context_metrics():
    from dugnad.benchmarking.catalogue import all_metrics

    return all_metrics()


def test_incremental_periods_reach_back_to_the_latest_stored(app_context, world):
    from tests.support.benchmarking import snapshot

    snapshot(world.tenants["alpha"], "sample.notes", "month", date(2026, 1, 1), 1)
    db.session.commit()
    periods = compute.due_periods(world.tenants["alpha"], today=date(2026, 5, 10))
    months = [p.code for p in periods if p.kind == "month"]
    assert months == ["2026M01", "2026M02", "2026M03", "2026M04", "2026M05"]
    assert [p.code for p in periods if p.kind == "year"] == ["2025", "2026"]


FAILS_IN: set[int] = set()


@pytest.fixture
def failing_metric(app):
    """A plugin metric that fails in the municipalities of FAILS_IN, and one that returns nonsense."""
    registry = app.extensions["dugnad.plugins"].registry

    def notes_or_fail(tenant_id, start, end):
        from tests.support.sample_plugin import count_notes

        if tenant_id in FAILS_IN:
            raise RuntimeError("the notes table is locked")
        return count_notes()

    failing = Metric("sample.fragile", "Fragile", "count", compute=notes_or_fail)
    nonsense = Metric("sample.nonsense", "Nonsense", "percent", compute=lambda t, s, e: 42)
    registry.metrics[failing.key], registry.metrics[nonsense.key] = failing, nonsense
    app.extensions.get("dugnad.metric_owners", {}).update({failing.key: "sample", nonsense.key: "sample"})
    yield failing
    FAILS_IN.clear()
    del registry.metrics[failing.key], registry.metrics[nonsense.key]


def test_a_metric_that_fails_for_one_municipality_leaves_the_others_and_is_reported(app_context, world, failing_metric):
    from tests.support.benchmarking import snapshot

    FAILS_IN.add(world.tenants["beta"])

    month = containing("month", oslo_today())
    snapshot(world.tenants["beta"], "sample.fragile", "month", month.start, 7)
    db.session.commit()
    run = db.session.get(BenchmarkRun, compute.compute_snapshots())
    failures = {(f["tenant"], f["metric"]) for f in run.failures}
    assert ("Beta", "sample.fragile") in failures and ("Alfa", "sample.fragile") not in failures
    assert ("Alfa", "sample.nonsense") in failures  # a percent metric must return Figure(value, count)
    assert any("Figure(value, count)" in f["error"] for f in run.failures)
    assert _snapshots(world.tenants["alpha"], "sample.fragile")[("month", month.start)] == (2.0, 2)
    # beta's earlier figure is kept as it was: nothing half-written
    assert _snapshots(world.tenants["beta"], "sample.fragile")[("month", month.start)] == (7.0, 7)
    assert _snapshots(world.tenants["beta"], "sample.notes")[("month", month.start)] == (2.0, 2)


def test_a_plugin_switched_off_is_not_computed_there(app, world, client_as):
    client_as("region").post(f"/region/municipalities/{world.tenants['beta']}/plugins/sample", data={"enabled": "0"})
    with app.app_context():
        compute.compute_snapshots()
        assert _snapshots(world.tenants["beta"], "sample.notes") == {}
        assert _snapshots(world.tenants["alpha"], "sample.notes")


def test_periods_in_the_future_are_refused():
    today = date(2026, 5, 10)
    with pytest.raises(PeriodError, match="future"):
        parse("2026K3", today=today)
    with pytest.raises(PeriodError, match="not a period"):
        parse("2026-05", today=today)
    assert parse("2026k2", today=today) == Period("quarter", date(2026, 4, 1))
    assert [p.code for p in between("quarter", date(2025, 11, 1), date(2026, 2, 1))] == ["2025K4", "2026K1"]
    assert Period("month", date(2025, 12, 1)).end == date(2026, 1, 1)


def test_backfill_refuses_the_future_and_writes_nothing(app_context, world):
    with pytest.raises(PeriodError):
        compute.backfill(oslo_today() - timedelta(days=40), oslo_today() + timedelta(days=400))
    with region_scope("test"):
        assert db.session.query(Snapshot).count() == 0


def test_backfill_command_rebuilds_history_with_a_progress_bar(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["benchmarks", "backfill", "--from", "2024", "--to", "2024", "--kind", "quarter",
                                 "--municipality", "alpha"])
    assert result.exit_code == 0, result.output
    assert "Computing" in result.output and "snapshots computed for 1 municipalities" in result.output
    with app.app_context():
        quarters = {start for kind, start in _snapshots(world.tenants["alpha"], "processes.active") if kind == "quarter"}
        assert quarters == {date(2024, m, 1) for m in (1, 4, 7, 10)}
        assert _snapshots(world.tenants["beta"], "processes.active") == {}
    future = runner.invoke(args=["benchmarks", "backfill", "--from", str(oslo_today().year + 1)])
    assert future.exit_code != 0 and "future" in future.output
    unknown = runner.invoke(args=["benchmarks", "backfill", "--municipality", "nowhere"])
    assert unknown.exit_code != 0 and "nowhere" in unknown.output


def test_metric_results_are_checked_against_their_unit():
    count = Metric("t.c", "C", "count", compute=lambda *a: 0)
    share = Metric("t.s", "S", "percent", compute=lambda *a: None)
    assert compute.checked(count, 3) == (3.0, 3)
    assert compute.checked(share, Figure(12.5, 8)) == (12.5, 8)
    assert compute.checked(share, None) == (None, None)
    for bad_metric, bad in ((count, 2.5), (count, -1), (count, True), (share, 0.5), (share, Figure(1.0, -2))):
        with pytest.raises(compute.MetricResultError):
            compute.checked(bad_metric, bad)
