"""Regional benchmarking at the size of Norway: 357 municipalities × every metric (the core's
and every installed plugin's, topped up to at least 20) × 5 years (years, quarters and
months: 606,900 snapshots with 20 metrics), on PostgreSQL with row-level security.

Measures, against a bare Flask route in the same run: the region's dashboard (from
snapshots), the quarter view and a metric page under load (throughput, p50/p95/p99),
their SQL statement counts with 20 and with 357 municipalities (must be equal), and a
full recompute job (every municipality, metric and period, as ``dugnad benchmarks backfill``).

    .venv/bin/python ops/bench/run.py benchmarking.py
    DUGNAD_BENCH_PAGES_ONLY=1 .venv/bin/python ops/bench/run.py benchmarking.py   # without the recompute
    DUGNAD_BENCH_RECOMPUTE_ONLY=1 .venv/bin/python ops/bench/run.py benchmarking.py   # without the pages under load

The module is also the plugin (``DUGNAD_PLUGINS=ops.bench.benchmarking``) that registers
as many metrics as the core's fall short of 20 (``DUGNAD_BENCH_EXTRA_METRICS``, set by
``main``): each runs one query in the municipality.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dugnad.hookspecs import hookimpl  # noqa: E402

PLUGIN_NAME = "bench"
PLUGIN_LABEL = "Benchmark metrics"
MUNICIPALITIES, MIN_METRICS, YEARS, FIRST_YEAR = 357, 20, 5, 2021
PASSWORD = "bench-password-1"
# every optional plugin on everywhere: the recompute computes every metric
PLUGINS = ("bench", "volunteers", "workshops", "newcomers", "recruitment")
UNITS = ["count", "per_1000", "percent", "days", "ratio", "count", "count"]


def _compute(index: int, unit: str):
    def compute(tenant_id: int, start: date, end: date):
        from sqlalchemy import func, select

        from dugnad.accounts.models import Membership
        from dugnad.benchmarking.metrics import Figure
        from dugnad.extensions import db

        members = db.session.scalar(select(func.count()).select_from(Membership)) or 0
        base = (tenant_id * 7 + index * 13 + start.toordinal()) % 40
        if unit in ("count", "per_1000"):
            return base + members
        return Figure(round(base * 2.5, 1), base % 12)

    return compute


def _compute_all(index: int, unit: str):
    """The same figures for every municipality and period in one query (the recompute's form)."""
    def compute_all(periods):
        from sqlalchemy import func, select

        from dugnad.sdk import Figure, Membership, Tenant, db

        members = dict(db.session.execute(
            select(Tenant.id, func.count(Membership.id)).outerjoin(Membership, Membership.tenant_id == Tenant.id)
            .group_by(Tenant.id)).all())
        for tenant_id, count in members.items():
            for n, period in enumerate(periods):
                base = (tenant_id * 7 + index * 13 + period.start.toordinal()) % 40
                yield n, tenant_id, (base + count if unit in ("count", "per_1000")
                                     else Figure(round(base * 2.5, 1), base % 12))

    return compute_all


@hookimpl
def register_benchmark_metrics():
    from dugnad.benchmarking.metrics import Metric

    return [Metric(f"bench.m{i:02d}", f"Bench metric {i}", UNITS[i % len(UNITS)], _compute(i, UNITS[i % len(UNITS)]),
                   threshold=5 if i % 4 == 0 else 3, group="bench", compute_all=_compute_all(i, UNITS[i % len(UNITS)]))
            for i in range(int(os.environ.get("DUGNAD_BENCH_EXTRA_METRICS", "14")))]


# --- the benchmark ---------------------------------------------------------------------

GENERATE = """
INSERT INTO benchmark_snapshot (tenant_id, metric_key, period_kind, period_start, value, count, computed_at)
SELECT t.id, m.key, p.kind, p.start,
       CASE WHEN (t.id + p.n) % 29 = 0 THEN NULL ELSE ((t.id * 31 + p.n * 7 + m.n * 11) % 60) END,
       (t.id * 31 + p.n * 7 + m.n * 11) % 60, now()
  FROM tenant t
 CROSS JOIN (SELECT key, row_number() OVER () AS n FROM unnest(CAST(:keys AS text[])) AS key) m
 CROSS JOIN (
       SELECT 'year' AS kind, make_date(y, 1, 1) AS start, y AS n FROM generate_series(CAST(:first AS int), CAST(:last AS int)) y
       UNION ALL SELECT 'quarter', make_date(y, q * 3 - 2, 1), y * 4 + q FROM generate_series(CAST(:first AS int), CAST(:last AS int)) y, generate_series(1, 4) q
       UNION ALL SELECT 'month', make_date(y, mo, 1), y * 12 + mo FROM generate_series(CAST(:first AS int), CAST(:last AS int)) y, generate_series(1, 12) mo
 ) p
 WHERE t.id > :after
"""


def add_region(owner_url: str, metric_keys: list[str], first: int, upto: int) -> None:
    """Municipalities first+1 … upto with their plugins, consent, KOSTRA group, population and snapshots."""
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url)
    with engine.begin() as c:
        after = c.execute(text("SELECT coalesce(max(id), 0) FROM tenant")).scalar()
        for i in range(first + 1, upto + 1):
            number = f"{1000 + i:04d}"
            tenant_id = c.execute(text("INSERT INTO tenant (slug, name, number, status, settings, created_at) "
                                       "VALUES (:s, :n, :num, 'active', '{}', now()) RETURNING id"),
                                  {"s": f"kommune-{i}", "n": f"Kommune {i:03d}", "num": number}).scalar()
            for plugin in PLUGINS:
                c.execute(text("INSERT INTO tenant_plugin (tenant_id, plugin, enabled, changed_at) "
                               "VALUES (:t, :p, true, now())"), {"t": tenant_id, "p": plugin})
            for group in ("processes", "bench"):
                if (i + len(group)) % 9:  # about one in nine does not share a group
                    c.execute(text("INSERT INTO benchmark_sharing (tenant_id, metric_group, shared, changed_at) "
                                   "VALUES (:t, :g, true, now())"), {"t": tenant_id, "g": group})
            c.execute(text("INSERT INTO kostra_group (number, \"group\", changed_at) VALUES (:n, :g, now())"),
                      {"n": number, "g": f"KOSTRA-gruppe {i % 16 + 1}"})
            for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
                c.execute(text("INSERT INTO ssb_figure (table_id, contents_code, contents_label, region, year, value, imported_at) "
                               "VALUES ('07459', 'Personer1', 'Personer', :r, :y, :v, now())"),
                          {"r": number, "y": year, "v": 800 + (i * 977) % 60000})
        c.execute(text(GENERATE), {"keys": metric_keys, "first": FIRST_YEAR, "last": FIRST_YEAR + YEARS - 1, "after": after})
    engine.dispose()


def latencies(url: str, cookie: str, requests: int = 60, before=None) -> dict:
    """p50/p95 of one visitor at a time, bounded in count (``before`` runs, untimed, before each)."""
    times = []
    for _ in range(requests):
        if before is not None:
            before()
        started = time.perf_counter()
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(times, n=20)
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(quantiles[18], 1)}


def load_pages(env: dict, pages: dict, owner_url: str) -> tuple:
    """The region's pages under load and one visitor at a time, with the bare route before and
    after; and the dashboard cold: a KOSTRA group's change moves its data version before each look."""
    from sqlalchemy import create_engine, text

    from ops.bench import harness

    owner = create_engine(owner_url)

    def change_the_figures() -> None:
        with owner.begin() as connection:
            connection.execute(text("UPDATE kostra_group SET changed_at = clock_timestamp()"
                                    " WHERE number = (SELECT min(number) FROM kostra_group)"))

    with harness.gunicorn("ops.bench.bare:app", env) as bare_base, harness.gunicorn("dugnad.wsgi:app", env) as base:
        cookie = harness.login_cookie(base, "region@bench.no", PASSWORD)
        harness.wrk(bare_base + "/bare", seconds=2)
        harness.wrk(base + pages["dashboard"], seconds=2, headers={"Cookie": cookie})
        bare = harness.wrk(bare_base + "/bare")
        bare_latency = latencies(bare_base + "/bare", "", requests=200)
        loaded = {name: harness.wrk(base + path, headers={"Cookie": cookie}) for name, path in pages.items()}
        single = {name: latencies(base + path, cookie) for name, path in pages.items()}
        cold = latencies(base + pages["dashboard"], cookie, requests=20, before=change_the_figures)
        bare_again = harness.wrk(bare_base + "/bare")
    owner.dispose()
    return loaded, single, cold, bare, bare_again, bare_latency


def main() -> None:
    from ops.bench import harness

    from dugnad import migrations
    from dugnad.accounts.models import User
    from dugnad.accounts.security import hash_password
    from dugnad.app import create_app
    from dugnad.benchmarking import catalogue
    from dugnad.benchmarking.compute import backfill
    from dugnad.config import Settings
    from dugnad.extensions import db
    from dugnad.scratch import grant_app_role, scratch_database

    year = FIRST_YEAR + YEARS - 1
    pages = {"dashboard": f"/region/benchmarks/?period={year}",
             "quarters": f"/region/benchmarks/?kind=quarter&period={year}K4",
             "metric": f"/region/benchmarks/metric?key=processes.active&period={year}"}
    with tempfile.TemporaryDirectory() as probe:  # how many metrics the core and installed plugins bring
        core = create_app(Settings(instance_path=Path(probe), database_url=f"sqlite:///{probe}/p.sqlite", secret_key="x"))
        installed = len(core.extensions["dugnad.plugins"].registry.metrics)
        os.environ["DUGNAD_BENCH_EXTRA_METRICS"] = str(max(0, MIN_METRICS - installed))
    metrics = installed + int(os.environ["DUGNAD_BENCH_EXTRA_METRICS"])
    with scratch_database(harness.SERVER_URL, "dugnad_bench") as scratch, tempfile.TemporaryDirectory() as instance:
        settings = Settings(instance_path=Path(instance), database_url=scratch.app_url, secret_key="bench", log_json=True,
                            extra_plugins=["ops.bench.benchmarking"])
        app = create_app(settings)
        migrations.upgrade(app, scratch.owner_url)
        grant_app_role(scratch.owner_url, scratch.app_role)
        app.config["WTF_CSRF_ENABLED"] = False
        with app.app_context():
            keys = [m.key for m in catalogue.all_metrics()]
            assert len(keys) == metrics, keys
            db.session.add(User(email="region@bench.no", name="Region", password_hash=hash_password(PASSWORD),
                                is_region_admin=True))
            db.session.commit()
        add_region(scratch.owner_url, keys, 0, 20)
        few = {name: harness.query_count(app, path, "region@bench.no", PASSWORD) for name, path in pages.items()}
        add_region(scratch.owner_url, keys, 20, MUNICIPALITIES)
        many = {name: harness.query_count(app, path, "region@bench.no", PASSWORD) for name, path in pages.items()}
        with app.app_context():
            from sqlalchemy import func, select

            from dugnad.benchmarking.models import Snapshot
            from dugnad.tenancy import region_scope

            with region_scope("bench: count"):
                snapshots = db.session.scalar(select(func.count()).select_from(Snapshot))
        env = {"DUGNAD_DATABASE_URL": scratch.app_url, "DUGNAD_SECRET_KEY": "bench", "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "DUGNAD_PLUGINS": "ops.bench.benchmarking", "PYTHONPATH": str(harness.ROOT),
               "DUGNAD_BENCH_EXTRA_METRICS": os.environ["DUGNAD_BENCH_EXTRA_METRICS"]}
        recompute_only = os.environ.get("DUGNAD_BENCH_RECOMPUTE_ONLY") == "1"
        if not recompute_only:
            loaded, single, cold, bare, bare_again, bare_latency = load_pages(env, pages, scratch.owner_url)
        pages_only = os.environ.get("DUGNAD_BENCH_PAGES_ONLY") == "1"  # the recompute takes minutes
        with app.app_context():
            started, cpu = time.perf_counter(), time.process_time()
            run = None if pages_only else backfill(date(FIRST_YEAR, 1, 1), date(FIRST_YEAR + YEARS - 1, 12, 31))
            recompute_s, recompute_cpu = time.perf_counter() - started, time.process_time() - cpu
            computed, failures = (run.computed, len(run.failures)) if run else (snapshots, 0)
            started = time.perf_counter()  # again, as most nights: nothing changed, nothing written
            again = None if pages_only else backfill(date(FIRST_YEAR, 1, 1), date(FIRST_YEAR + YEARS - 1, 12, 31))
            unchanged_s = time.perf_counter() - started
            again_ok = again is None or (not again.failures and again.computed == snapshots)
    figures = {
        "municipalities": MUNICIPALITIES, "metrics": metrics, "years": YEARS, "snapshots": snapshots,
        "queries_20_municipalities": few, "queries_357_municipalities": many,
        "full_recompute": {"seconds": round(recompute_s, 1), "python_cpu_seconds": round(recompute_cpu, 1),
                           "snapshots": computed, "failures": failures,
                           "snapshots_per_second": round(computed / max(recompute_s, 1e-6)),
                           "again_unchanged_seconds": round(unchanged_s, 1)},
    }
    print(f"snapshots                {snapshots:,} ({MUNICIPALITIES} municipalities × {metrics} metrics × {YEARS} years, "
          "years, quarters and months)")
    if recompute_only:
        loaded = {}
        print("pages under load         skipped (DUGNAD_BENCH_RECOMPUTE_ONLY=1)")
    else:
        baseline = (bare["rps"] + bare_again["rps"]) / 2
        figures.update({
            "bare_route": {"first": bare, "last": bare_again, "single_visitor": bare_latency},
            "pages_under_load": loaded, "pages_single_visitor": single, "dashboard_cold": cold,
            "throughput_vs_bare": {name: round(r["rps"] / baseline, 4) for name, r in loaded.items()},
            "p95_vs_bare_p95": {name: round(s["p95_ms"] / bare_latency["p95_ms"], 1) for name, s in single.items()},
        })
        print(f"bare Flask route         {baseline:8.0f} req/s, single visitor p95 {bare_latency['p95_ms']} ms "
              f"(drift {abs(bare['rps'] - bare_again['rps']) / baseline:.0%})")
        for name in pages:
            print(f"{name:<24} {loaded[name]['rps']:8.1f} req/s = {figures['throughput_vs_bare'][name]:.4f} × bare; "
                  f"single visitor p50 {single[name]['p50_ms']} ms, p95 {single[name]['p95_ms']} ms "
                  f"({figures['p95_vs_bare_p95'][name]} × bare p95); under load p99 {loaded[name]['p99_ms']:.0f} ms; "
                  f"non-2xx {loaded[name]['non_2xx']}")
        print(f"dashboard, cold          the figures changed before each look: p50 {cold['p50_ms']} ms, "
              f"p95 {cold['p95_ms']} ms (the single visitor above: nothing changed)")
    print(f"queries, 20 municipalities  {few}")
    print(f"queries, 357 municipalities {many}")
    if pages_only:
        print("full recompute           skipped (DUGNAD_BENCH_PAGES_ONLY=1)")
    else:
        print(f"full recompute           {recompute_s:.1f} s ({recompute_cpu:.1f} s of it Python CPU) for {computed:,} "
              f"snapshots ({figures['full_recompute']['snapshots_per_second']:,}/s), {failures} failures; "
              f"again with nothing changed {unchanged_s:.1f} s")
    print(f"saved {harness.save('benchmarking', figures)}")
    if not again_ok:
        raise SystemExit("the second recompute had failures or did not compute every snapshot")
    if few != many or any(r["non_2xx"] for r in loaded.values()) or failures or computed != snapshots:
        raise SystemExit("query count grew with municipalities, requests failed, metrics failed "
                         "or the recompute did not compute every snapshot")


if __name__ == "__main__":
    main()
