"""The pipeline board of a recruitment track with 2,000 candidates, on PostgreSQL with
row-level security, against a bare Flask route measured in the same run.

It reports the board page under wrk as the recruitment coordinator sees it (throughput and
p50/p95/p99 as ratios to the bare route; 8 connections, and one at a time), and the page's
SQL count with 200 and with 2,000 candidates, which must be equal.

    .venv/bin/python ops/bench/run.py recruitment.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, text  # noqa: E402

from ops.bench import harness  # noqa: E402

CANDIDATES = int(os.environ.get("DUGNAD_BENCH_CANDIDATES", "2000"))
FEW = 200
EMAIL, PASSWORD = "rekruttering@bench.no", "bench-password-1"


def set_up(app) -> dict:
    """The municipality, its recruitment coordinator, a track with four openings and their leaders."""
    from datetime import timedelta

    from dugnad.sdk import Membership, Tenant, TenantPlugin, User, db, hash_password, tenant_context, today
    from dugnad_recruitment import design, placements
    from dugnad_recruitment.setup import seed_defaults

    with app.app_context():
        tenant = Tenant(slug="bench", name="Benchby", number="3201", settings={})
        db.session.add(tenant)
        db.session.flush()
        db.session.add(TenantPlugin(tenant_id=tenant.id, plugin="recruitment", enabled=True))
        user = User(email=EMAIL, name="Bench Rekruttering", password_hash=hash_password(PASSWORD))
        leader = User(email="leder@bench.no", name="Bench Leder", password_hash="x")
        db.session.add_all([user, leader])
        db.session.flush()
        with tenant_context(tenant.id):
            db.session.add_all([Membership(user_id=user.id, role="recruitment_coordinator"),
                                Membership(user_id=leader.id, role="member")])
            seed_defaults()
            track = design.create_track({"name": "Bench track", "kind": "qualification"}, None)
            openings = [placements.create_opening(track, {
                "unit": f"Enhet {i}", "title": "Assistent", "kind": "temporary", "starts_on": today() - timedelta(days=60),
                "months": 12, "leader_id": leader.id, "monthly_wage": 40000}).id for i in range(4)]
            rule = placements.rules()[0].id
            db.session.commit()
            return {"tenant": tenant.id, "track": track.id, "openings": openings, "leader": leader.id, "rule": rule}


def grow(owner_url: str, ids: dict, upto: int) -> None:
    """Candidates up to ``upto`` in bulk: spread over the stages, each with its timeline start, and
    half of them placed (a quarter funded, some of those stepping down soon, so the board warns)."""
    engine = create_engine(owner_url)
    openings = "ARRAY[" + ",".join(map(str, ids["openings"])) + "]"
    with engine.begin() as connection:
        start = connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM recruitment_candidate")).scalar() + 1
        if start > upto:
            return
        params = {"t": ids["tenant"], "tr": ids["track"], "a": start, "b": upto}
        connection.execute(text("""
            INSERT INTO recruitment_candidate (id, tenant_id, track_id, name, stage, stage_since, legal_basis, consent_on,
                                               started_on, created_at)
            SELECT g, :t, :tr, 'Kandidat ' || g, (ARRAY['mapping','practice','temporary','permanent','ended'])[1 + g % 5],
                   CURRENT_DATE - (g % 200), 'consent', CURRENT_DATE - 300,
                   CASE WHEN g % 2 = 0 THEN CURRENT_DATE - 60 END, now()
            FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g"""), params)
        connection.execute(text("""
            INSERT INTO recruitment_stage_change (tenant_id, candidate_id, to_stage, direction, changed_on, created_at)
            SELECT :t, g, 'mapping', 'start', CURRENT_DATE - 300, now()
            FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g"""), params)
        connection.execute(text(f"""
            INSERT INTO recruitment_placement (id, tenant_id, candidate_id, opening_id, starts_on, ends_on, leader_id,
                                               monthly_wage, created_at)
            SELECT g, :t, g, ({openings})[1 + g % 4], CURRENT_DATE - 60, CURRENT_DATE + 300, :l, 40000, now()
            FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g WHERE g % 2 = 0"""),
                           {**params, "l": ids["leader"]})
        connection.execute(text("""
            INSERT INTO recruitment_funding (tenant_id, placement_id, rule_id, kind, rate, starts_on, ends_on,
                                             step_down_on, stepped_rate, created_at)
            SELECT :t, g, :r, 'wage_subsidy', 40, CURRENT_DATE - 60, CURRENT_DATE + 300,
                   CURRENT_DATE + (g % 90), 30, now()
            FROM generate_series(CAST(:a AS integer), CAST(:b AS integer)) g WHERE g % 4 = 0"""),
                           {**params, "r": ids["rule"]})
        for table in ("recruitment_candidate", "recruitment_placement"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))
    with create_engine(owner_url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def wrk(url: str, connections: int = 8, seconds: int = 8, headers: dict | None = None) -> dict:
    """``harness.wrk``, which also takes a single connection (wrk needs no more threads than connections)."""
    import re
    import subprocess

    args = ["wrk", "--latency", "--timeout", "20s", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True, timeout=seconds + 30).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": ms("50"),
            "p99_ms": ms("99"), "non_2xx": int(non2xx.group(1)) if non2xx else 0}


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
        path = f"/bench/recruitment/tracks/{ids['track']}"
        grow(scratch.owner_url, ids, FEW)
        few = harness.query_count(app, path, EMAIL, PASSWORD)
        grow(scratch.owner_url, ids, CANDIDATES)
        many = harness.query_count(app, path, EMAIL, PASSWORD)
        env = {"DUGNAD_DATABASE_URL": scratch.app_url, "DUGNAD_SECRET_KEY": "bench", "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "PYTHONPATH": str(harness.ROOT)}
        with harness.gunicorn("ops.bench.bare:app", env) as bare_base, harness.gunicorn("dugnad.wsgi:app", env) as base:
            cookie = {"Cookie": harness.login_cookie(base, EMAIL, PASSWORD)}
            wrk(bare_base + "/bare", seconds=2)  # warm up
            wrk(base + path, seconds=2, headers=cookie)
            bare = wrk(bare_base + "/bare")
            board = wrk(base + path, headers=cookie)
            board_alone = wrk(base + path, connections=1, headers=cookie)
            bare_alone = wrk(bare_base + "/bare", connections=1)
            bare_again = wrk(bare_base + "/bare")
    baseline = (bare["rps"] + bare_again["rps"]) / 2
    figures = {
        "candidates": CANDIDATES, "bare_route": {"first": bare, "last": bare_again, "one_at_a_time": bare_alone},
        "board_8_connections": board, "board_one_at_a_time": board_alone,
        "throughput_vs_bare": round(board["rps"] / baseline, 3),
        "p50_alone_vs_bare": round(board_alone["p50_ms"] / max(0.001, bare_alone["p50_ms"]), 1),
        f"queries_with_{FEW}": few, f"queries_with_{CANDIDATES}": many,
    }
    print(f"bare Flask route          {baseline:8.0f} req/s, p50 {bare['p50_ms']:.2f} ms (drift first/last: "
          f"{abs(bare['rps'] - bare_again['rps']) / baseline:.0%})")
    print(f"board, 8 connections      {board['rps']:8.1f} req/s = {figures['throughput_vs_bare']:.3f} × bare; "
          f"p50 {board['p50_ms']:.1f} ms, p99 {board['p99_ms']:.1f} ms; non-2xx {board['non_2xx']}")
    print(f"board, one at a time      p50 {board_alone['p50_ms']:.1f} ms, p99 {board_alone['p99_ms']:.1f} ms "
          f"= {figures['p50_alone_vs_bare']} × the bare route's p50 ({bare_alone['p50_ms']:.2f} ms)")
    print(f"page SQL statements       {few} with {FEW:,} candidates, {many} with {CANDIDATES:,}")
    print(f"saved {harness.save('recruitment', figures)}")
    if few != many or board["non_2xx"] or board_alone["non_2xx"]:
        raise SystemExit("query count grew with the number of candidates, or requests failed")


if __name__ == "__main__":
    main()
