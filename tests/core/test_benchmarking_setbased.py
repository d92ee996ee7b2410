"""The set-based recompute: one query per metric for every municipality and period gives
exactly the figures the per-municipality form gives, and falls back to it when it fails."""

from datetime import date, datetime

from sqlalchemy import select

from dugnad.benchmarking import catalogue, compute
from dugnad.benchmarking.metrics import Metric
from dugnad.benchmarking.models import BenchmarkRun, Snapshot
from dugnad.benchmarking.periods import KINDS, between
from dugnad.extensions import db
from dugnad.tenancy import Tenant, region_scope, tenant_context
from dugnad.clock import today as oslo_today



def _periods():
    today = oslo_today()
    return [p for kind in KINDS for p in between(kind, date(today.year - 2, 1, 1), today)]


def _per_municipality(metric, tenant_ids, periods):
    out = {}
    for tenant_id in tenant_ids:
        with tenant_context(tenant_id):
            for period in periods:
                out[(tenant_id, period)] = compute.checked(metric, metric.compute(tenant_id, period.start, period.end))
    return out


def test_every_set_based_metric_gives_what_each_municipality_computes_alone(demo):
    """The demo region (every plugin's demo data), for three years of
    years, quarters and months: the same (value, count) for every municipality and period."""
    app = demo
    with app.app_context():
        tenant_ids = list(db.session.scalars(select(Tenant.id).where(Tenant.status == "active")))
        periods = _periods()
        set_based = [m for m in catalogue.all_metrics() if m.compute_all is not None]
        # the core's and every plugin's metrics have the set-based form
        assert {m.group for m in set_based} >= {"processes", "voting", "handoffs", "volunteers", "workshops",
                                                "newcomers", "recruitment"}
        with_figures = set()
        for metric in set_based:
            alone = _per_municipality(metric, tenant_ids, periods)
            known = compute.compute_all(metric, periods)
            assert known is not None, metric.key
            together = {(t, p): known.get(t, {}).get(p, (None, None)) for t in tenant_ids for p in periods}
            assert together == alone, metric.key
            if any(value for value, _count in alone.values()):
                with_figures.add(metric.key)
        # the comparison is not empty: most metrics have figures in the demo
        assert len(with_figures) >= len(set_based) * 2 // 3, sorted({m.key for m in set_based} - with_figures)


def test_the_recompute_stores_the_same_snapshots_either_way(demo, monkeypatch):
    app = demo
    first = date(oslo_today().year - 1, 1, 1)

    def stored():
        with region_scope("test"):
            return {(s.tenant_id, s.metric_key, s.period_kind, s.period_start): (s.value, s.count)
                    for s in db.session.scalars(select(Snapshot))}

    def wipe():  # the demo's own history of snapshots goes first (each municipality's own: row-level security)
        for tenant_id in db.session.scalars(select(Tenant.id)).all():
            with tenant_context(tenant_id):
                db.session.query(Snapshot).delete()
        db.session.commit()

    with app.app_context():
        wipe()
        set_based = compute.backfill(first)
        assert set_based.failures == []
        together = stored()
        registry = app.extensions["dugnad.plugins"].registry
        for key, metric in list(registry.metrics.items()):
            monkeypatch.setitem(registry.metrics, key, Metric(**{**metric.__dict__, "compute_all": None}))
        wipe()
        alone = compute.backfill(first)
        assert (alone.failures, alone.computed) == ([], set_based.computed)
        assert stored() == together
        assert len(together) == set_based.computed


def test_a_failing_set_based_form_falls_back_to_each_municipality(app, app_context, world, monkeypatch):
    """A plugin's set-based query that fails costs only speed: each municipality computes alone."""
    registry = app.extensions["dugnad.plugins"].registry

    def broken(periods):
        raise RuntimeError("no such column")

    metric = registry.metrics["sample.notes"]
    monkeypatch.setitem(registry.metrics, "sample.notes", Metric(**{**metric.__dict__, "compute_all": broken}))
    run = db.session.get(BenchmarkRun, compute.compute_snapshots())
    assert run.failures == []
    month = between("month", oslo_today(), oslo_today())[0]
    with tenant_context(world.tenants["alpha"]):
        stored = db.session.scalar(select(Snapshot).where(Snapshot.metric_key == "sample.notes",
                                                          Snapshot.period_kind == "month",
                                                          Snapshot.period_start == month.start))
        assert (stored.value, stored.count) == (2.0, 2)


def test_a_set_based_result_of_the_wrong_shape_is_reported_where_it_happens(app, app_context, world, monkeypatch):
    registry = app.extensions["dugnad.plugins"].registry
    metric = registry.metrics["sample.notes"]
    nonsense = Metric(**{**metric.__dict__, "compute_all": lambda periods: [(0, world.tenants["alpha"], "many")]})
    monkeypatch.setitem(registry.metrics, "sample.notes", nonsense)
    run = db.session.get(BenchmarkRun, compute.compute_snapshots())
    assert run.failures == []  # the per-municipality form is right, and is what is stored


def test_the_recompute_reads_with_one_query_per_metric_however_many_municipalities(app, world, queries):
    """The metrics' reads do not grow with municipalities: one per metric (plus the
    per-municipality forms of metrics without a set-based one); each municipality reads
    its stored figures once (to write only the changed ones: pinned below) and writes in
    one upsert."""

    def reads_for(count):
        with app.app_context():
            for i in range(count):
                tenant = Tenant(slug=f"extra-{count}-{i}", name=f"Extra {i}", number=f"9{count}{i:02d}", settings={})
                db.session.add(tenant)
            db.session.commit()
            before = len(queries.statements)
            compute.backfill(date(oslo_today().year, 1, 1))
            mine = queries.statements[before:]
            return [s for s in mine if s.lstrip().upper().startswith("SELECT") and "set_config" not in s
                    and not any(table in s for table in PER_MUNICIPALITY_TABLES)], \
                [s for s in mine if "INSERT INTO benchmark_snapshot" in s]

    reads_few, writes_few = reads_for(0)
    reads_many, writes_many = reads_for(5)
    per_municipality = {m.key for m in catalogue_metrics(app) if m.compute_all is None}
    # only the test plugin's metric keeps the per-municipality form (on purpose)
    assert {key.split(".")[0] for key in per_municipality} == {"sample"}
    assert len(reads_many) == len(reads_few)
    # one upsert per municipality with figures to write: each new one; the others only if a figure changed
    assert writes_few and 5 <= len(writes_many) <= len(writes_few) + 5


PER_MUNICIPALITY_TABLES = ("sample_note", "FROM benchmark_snapshot")


def catalogue_metrics(app):
    with app.app_context():
        return catalogue.all_metrics()


def test_a_municipality_s_upsert_of_many_rows_replaces_and_never_doubles(app_context, world):
    months = [p.start for p in between("month", date(1900, 1, 1), date(2026, 12, 1))][:1200]

    def rows(value):
        return [compute.Row(world.tenants["alpha"], f"sample.m{i % 3}", "month", start, value, 5)
                for i in range(3) for start in months[i * 400:(i + 1) * 400 + 400]]

    first = rows(1.0)
    assert len(first) == 2000
    with tenant_context(world.tenants["alpha"]):
        compute._store(first)
        compute._store(rows(2.0))  # the same keys again: replaced, not doubled
        db.session.commit()
        stored = db.session.scalars(select(Snapshot).where(Snapshot.metric_key.like("sample.m%"))).all()
    assert len(stored) == len(first) and {s.value for s in stored} == {2.0}


def test_only_changed_figures_are_written_again(app_context, world, monkeypatch):
    """A recompute that finds the same figure leaves its row alone (no new row version to
    write and index); a changed value or count, or one that became 'no data', is written."""
    months = [p.start for p in between("month", date(2020, 1, 1), date(2020, 4, 1))]
    alpha = world.tenants["alpha"]

    def store(moment, figures):
        monkeypatch.setattr(compute, "utcnow", lambda: moment)
        with tenant_context(alpha):
            compute._store([compute.Row(alpha, "sample.same", "month", start, value, count)
                            for start, (value, count) in zip(months, figures)])
            db.session.commit()

    def stored():
        with tenant_context(alpha):
            return [(s.value, s.count, s.computed_at) for s in db.session.scalars(
                select(Snapshot).where(Snapshot.metric_key == "sample.same").order_by(Snapshot.period_start))]

    first, second = datetime(2026, 1, 1), datetime(2026, 2, 1)
    store(first, [(1.0, 4), (None, None), (3.0, 3), (7.0, 7)])
    store(second, [(1.0, 4), (None, None), (3.0, 2), (None, None)])
    assert stored() == [(1.0, 4, first), (None, None, first), (3.0, 2, second), (None, None, second)]


# The recompute's statements: a fixed number (about one query per metric, with the
# tenant settings around each), plus a few per municipality (PostgreSQL: set its tenant, read
# its stored figures, write the changed ones in one statement, move the run's count) — whatever the number of
# periods. The test plugin's metric is per municipality on purpose and not counted.
RECOMPUTE_STATEMENTS = {"postgresql": (230, 4), "sqlite": (121, 3)}  # (fixed, per municipality)


def test_the_recompute_s_statements_grow_only_by_a_few_per_municipality(app, world, queries):
    def statements(extra, first):
        with app.app_context():
            for i in range(extra):
                db.session.add(Tenant(slug=f"pin-{first.year}-{i}", name=f"Pin {i}",
                                      number=f"8{first.year % 10}{i:02d}", settings={}))
            db.session.commit()
            municipalities = len(db.session.scalars(select(Tenant.id).where(Tenant.status == "active")).all())
            before = len(queries.statements)
            compute.backfill(first)
            return municipalities, len([s for s in queries.statements[before:] if "sample_note" not in s])

    with app.app_context():
        fixed, per_municipality = RECOMPUTE_STATEMENTS[db.engine.dialect.name]
    this_year = date(oslo_today().year, 1, 1)
    few, one_year = statements(0, this_year)  # years, quarters and months of this year so far
    many, five_years = statements(3, date(this_year.year - 4, 1, 1))  # of five years
    assert (few, one_year) == (few, fixed + per_municipality * few)
    assert (many, five_years) == (many, fixed + per_municipality * many)
