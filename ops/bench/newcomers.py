"""The newcomer service at the size of a busy municipality, on PostgreSQL with row-level
security, against a bare Flask route measured in the same run: the coordinator's household
list with 5,000 households (five years of arrivals, with members, checklists and follow-ups)
and the retention report over those five years of cohorts (by year and by quarter). Each
page's SQL statement count is taken with 100 and with 5,000 households (they must be equal),
the report's own work and the list's in-process (p50; the list's wall and CPU time as
ratios to the bare route's test client in the same loop), and both pages under wrk.

    .venv/bin/python ops/bench/run.py newcomers.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, text  # noqa: E402

from ops.bench import harness  # noqa: E402

HOUSEHOLDS = int(os.environ.get("DUGNAD_BENCH_HOUSEHOLDS", "5000"))
FEW = 100
EMAIL, PASSWORD = "tilflytter@bench.no", "bench-password-1"
RUNS = 50


def set_up(app) -> dict:
    from dugnad.sdk import Membership, Tenant, TenantPlugin, User, db, hash_password, tenant_context
    from dugnad_newcomers import households

    with app.app_context():
        tenant = Tenant(slug="bench", name="Benchby", number="3403", settings={})
        db.session.add(tenant)
        db.session.flush()
        db.session.add(TenantPlugin(tenant_id=tenant.id, plugin="newcomers", enabled=True))
        user = User(email=EMAIL, name="Bench Tilflytterkoordinator", password_hash=hash_password(PASSWORD))
        db.session.add(user)
        db.session.flush()
        with tenant_context(tenant):
            db.session.add(Membership(user_id=user.id, role="newcomer_coordinator"))
            consent = households.current_consent(tenant.name)
            db.session.commit()
            return {"tenant": tenant.id, "user": user.id, "consent": consent.id}


def grow(owner_url: str, ids: dict, upto: int) -> None:
    """Households up to ``upto``, arriving evenly over the last five years, written in bulk by
    the owner: two to four members, nine checklist items, four follow-ups — recorded where
    due, one household in ten moved away after about seven months (later ones cancelled)."""
    engine = create_engine(owner_url)
    params = {"t": ids["tenant"], "c": ids["consent"], "u": ids["user"], "n": HOUSEHOLDS}
    with engine.begin() as connection:
        start = connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM newcomer_household")).scalar() + 1
        if start > upto:
            return
        params.update(a=start, b=upto)
        connection.execute(text("""
            INSERT INTO newcomer_household (id, tenant_id, status, name, email, phone, locale, moved_from, arrival_date,
                reason, help_wanted, registered_by_id, consent_text_id, consented_at, email_confirmed_at,
                contact_user_id, contact_assigned_at, outcome, outcome_on, moved_to, moved_month, registered_at, link_version)
            SELECT g, :t, CASE WHEN g % 10 = 0 AND (g * 1826 / :n) > 210 THEN 'moved_away' ELSE 'active' END,
                   'Husstand ' || g, 'husstand' || g || '@bench.no', '9' || lpad(g::text, 7, '0'), 'nb', 'Et sted',
                   CURRENT_DATE - (g * 1826 / :n), (ARRAY['work','family','study','refugee'])[1 + g % 4], '["housing"]',
                   :u, :c, now(), now(), CASE WHEN g % 8 = 0 THEN NULL ELSE :u END,
                   CASE WHEN g % 8 = 0 THEN NULL ELSE now() - (g * 1826 / :n) * interval '1 day' + interval '5 days' END,
                   CASE WHEN g % 10 = 0 AND (g * 1826 / :n) > 210 THEN 'moved' ELSE NULL END,
                   CASE WHEN g % 10 = 0 AND (g * 1826 / :n) > 210 THEN CURRENT_DATE - (g * 1826 / :n) + 200 END,
                   CASE WHEN g % 10 = 0 AND (g * 1826 / :n) > 210 THEN 'Oslo' END,
                   CASE WHEN g % 10 = 0 AND (g * 1826 / :n) > 210 THEN 7 END,
                   now() - (g * 1826 / :n) * interval '1 day', 1
            FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g"""), params)
        connection.execute(text("""
            INSERT INTO newcomer_member (tenant_id, household_id, kind, age)
            SELECT :t, g, CASE WHEN k <= 2 THEN 'adult' ELSE 'child' END, CASE WHEN k <= 2 THEN NULL ELSE (g * k) % 17 END
            FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g, generate_series(1, 2 + g % 3) k"""), params)
        connection.execute(text("""
            INSERT INTO newcomer_checklist_item (tenant_id, household_id, key, label, status, owner_user_id, updated_at,
                                                 done_at)
            SELECT :t, g, k, k, CASE WHEN (g + length(k)) % 3 = 0 THEN 'done' ELSE 'open' END, :u, now(),
                   CASE WHEN (g + length(k)) % 3 = 0 THEN now() END
            FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g,
                 unnest(ARRAY['partner_job','housing','kindergarten','school','gp','norwegian','activities','welcome',
                              'local_contact']) k"""), params)
        connection.execute(text("""
            INSERT INTO newcomer_follow_up (tenant_id, household_id, month, due_on, recorded_at, cancelled_at, outcome,
                                            recorded_by_id)
            SELECT :t, h.id, m, (h.arrival_date + m * interval '1 month')::date,
                   CASE WHEN h.status = 'moved_away' AND m > 6 THEN NULL
                        WHEN h.arrival_date + m * interval '1 month' < now() THEN h.arrival_date + m * interval '1 month' END,
                   CASE WHEN h.status = 'moved_away' AND m > 6 THEN h.outcome_on END,
                   CASE WHEN h.status = 'moved_away' AND m > 6 THEN NULL
                        WHEN h.arrival_date + m * interval '1 month' < now() THEN 'here' END, :u
            FROM newcomer_household h, unnest(ARRAY[3, 6, 12, 24]) m
            WHERE h.id BETWEEN :a AND :b"""), params)
        connection.execute(text("SELECT setval(pg_get_serial_sequence('newcomer_household', 'id'), "
                                "(SELECT MAX(id) FROM newcomer_household))"))
    with create_engine(owner_url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def list_in_process(app, path: str) -> dict:
    """One request for the household list through the test client, against the bare route's
    test client in the same loop: p50 wall and CPU time, and the ratios (the CPU time of
    this process is the rendering's cost, and the machine's load moves it least)."""
    from ops.bench.bare import app as bare

    client, bare_client = app.test_client(), bare.test_client()
    client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    wall, cpu, bare_wall, bare_cpu = [], [], [], []
    for run in range(RUNS + 5):
        for target, url, walls, cpus in ((client, path, wall, cpu), (bare_client, "/bare", bare_wall, bare_cpu)):
            began, began_cpu = time.perf_counter(), time.process_time()
            target.get(url)
            if run >= 5:  # the first few warm the caches
                walls.append((time.perf_counter() - began) * 1000)
                cpus.append((time.process_time() - began_cpu) * 1000)
    p50 = {name: statistics.median(values) for name, values in
           (("wall", wall), ("cpu", cpu), ("bare_wall", bare_wall), ("bare_cpu", bare_cpu))}
    return {"p50_ms": round(p50["wall"], 1), "cpu_p50_ms": round(p50["cpu"], 1),
            "bare_p50_ms": round(p50["bare_wall"], 2), "bare_cpu_p50_ms": round(p50["bare_cpu"], 2),
            "p50_vs_bare": round(p50["wall"] / p50["bare_wall"], 1), "cpu_vs_bare": round(p50["cpu"] / p50["bare_cpu"], 1)}


def report_in_process(app, ids: dict) -> dict:
    """The retention report's own work (both kinds), p50/p95 over RUNS runs."""
    from dugnad.sdk import db, tenant_context
    from dugnad_newcomers import retention

    timings = []
    with app.app_context(), tenant_context(ids["tenant"]):
        rows = retention.report("quarter")
        for _ in range(RUNS):
            began = time.perf_counter()
            retention.report("year")
            retention.report("quarter")
            timings.append((time.perf_counter() - began) * 1000)
        shown = [f"{r.cohort}: {r.cells[12].share:.0%}" for r in retention.report("year") if r.cells[12].share]
        db.session.remove()
    timings.sort()
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
            "quarters": len(rows), "retention_12_by_year": shown}


def main() -> None:
    from dugnad import migrations
    from dugnad.app import create_app
    from dugnad.config import Settings
    from dugnad.scratch import grant_app_role, scratch_database

    with scratch_database(harness.SERVER_URL, "dugnad_bench") as scratch, tempfile.TemporaryDirectory() as instance:
        settings = Settings(instance_path=Path(instance), database_url=scratch.app_url, secret_key="bench", log_json=True)
        app = create_app(settings)
        migrations.upgrade(app, scratch.owner_url)
        grant_app_role(scratch.owner_url, scratch.app_role)
        app.config["WTF_CSRF_ENABLED"] = False
        ids = set_up(app)
        paths = {"list": "/bench/newcomers/", "report": "/bench/newcomers/retention?kind=quarter"}
        grow(scratch.owner_url, ids, FEW)
        few = {key: harness.query_count(app, path, EMAIL, PASSWORD) for key, path in paths.items()}
        began = time.perf_counter()
        grow(scratch.owner_url, ids, HOUSEHOLDS)
        generated_s = round(time.perf_counter() - began, 1)
        many = {key: harness.query_count(app, path, EMAIL, PASSWORD) for key, path in paths.items()}
        report = report_in_process(app, ids)
        list_local = list_in_process(app, paths["list"])
        env = {"DUGNAD_DATABASE_URL": scratch.app_url, "DUGNAD_SECRET_KEY": "bench", "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "PYTHONPATH": str(harness.ROOT)}
        with harness.gunicorn("ops.bench.bare:app", env) as bare_base, harness.gunicorn("dugnad.wsgi:app", env) as base:
            cookie = {"Cookie": harness.login_cookie(base, EMAIL, PASSWORD)}
            harness.wrk(bare_base + "/bare", seconds=2)  # warm up
            harness.wrk(base + paths["list"], seconds=2, headers=cookie)
            bare = harness.wrk(bare_base + "/bare")
            listing = harness.wrk(base + paths["list"], headers=cookie)
            retention_page = harness.wrk(base + paths["report"], headers=cookie)
            bare_again = harness.wrk(bare_base + "/bare")
    baseline = (bare["rps"] + bare_again["rps"]) / 2
    bare_p50 = (bare["p50_ms"] + bare_again["p50_ms"]) / 2
    figures = {
        "households": HOUSEHOLDS, "generated_in_s": generated_s, "bare_route": {"first": bare, "last": bare_again},
        "household_list": listing, "retention_report": retention_page,
        "list_throughput_vs_bare": round(listing["rps"] / baseline, 3),
        "report_throughput_vs_bare": round(retention_page["rps"] / baseline, 3),
        "list_p50_vs_bare": round(listing["p50_ms"] / bare_p50, 1),
        "report_p50_vs_bare": round(retention_page["p50_ms"] / bare_p50, 1),
        f"queries_{FEW}": few, f"queries_{HOUSEHOLDS}": many, "report_in_process": report,
        "list_in_process": list_local, "load_average": os.getloadavg(),
    }
    print(f"bare Flask route           {baseline:8.0f} req/s, p50 {bare_p50:.2f} ms (drift first/last: "
          f"{abs(bare['rps'] - bare_again['rps']) / baseline:.0%})")
    print(f"{HOUSEHOLDS:,} households generated in {generated_s} s")
    print(f"household list (50 a page) {listing['rps']:8.0f} req/s = {figures['list_throughput_vs_bare']:.3f} × bare; "
          f"p50 {listing['p50_ms']:.1f} ms, p99 {listing['p99_ms']:.1f} ms; non-2xx {listing['non_2xx']}")
    print(f"retention report, quarters {retention_page['rps']:8.0f} req/s = {figures['report_throughput_vs_bare']:.3f} × "
          f"bare; p50 {retention_page['p50_ms']:.1f} ms, p99 {retention_page['p99_ms']:.1f} ms; "
          f"non-2xx {retention_page['non_2xx']}")
    print(f"household list in-process  p50 {list_local['p50_ms']} ms = {list_local['p50_vs_bare']} × bare; CPU p50 "
          f"{list_local['cpu_p50_ms']} ms = {list_local['cpu_vs_bare']} × bare (load average {os.getloadavg()[0]:.1f})")
    print(f"report in-process (year + quarter) p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms over "
          f"{report['quarters']} quarter cohorts; 12-month retention by year: {', '.join(report['retention_12_by_year'])}")
    print(f"SQL statements             {few} with {FEW} households, {many} with {HOUSEHOLDS:,}")
    print(f"saved {harness.save('newcomers', figures)}")
    if few != many or listing["non_2xx"] or retention_page["non_2xx"]:
        raise SystemExit("query count grew with the number of households, or requests failed")


if __name__ == "__main__":
    main()
