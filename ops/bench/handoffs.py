"""Handoffs: a workshop pilot asking the volunteer bank for help — against the real server on
PostgreSQL with row-level security, with the bare Flask route measured in the same run.

1. Sending in-process: ``handoffs.send`` (check the form, keep the handoff, let the bank make
   its need, audit, timeline) and a status change reported back (``update_status`` with the
   origin told through ``handoff_changed``), median and p95 over 200 each.
2. The pilot's page, whose panel shows the newest five handoffs with their timelines and the
   offer: its throughput and p50 under wrk against the bare route and against the same page with
   the bank switched off (no panel), and its SQL statement count with 2 and 50 handoffs on the
   pilot (must be equal).
3. The API list (``GET /api/v1/handoffs/``, the newest 200 of 1,000) under wrk, and a replayed
   status callback (``POST /api/v1/handoffs/<id>/status``, the same status again: nothing
   changes) one at a time, p50 against a bare request.

    .venv/bin/python ops/bench/run.py handoffs.py
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ops.bench import harness  # noqa: E402
from dugnad.clock import today as oslo_today  # noqa: E402  (Norway's day, as the pilots check it: not the UTC date)
from ops.bench.dashboard import PASSWORD  # noqa: E402  (the same admin: its query counter is reused)

SECRET = "bench-handoffs"
TOKEN = "dgn_bench-handoffs-token"
RUNS = 200


def _values(role_id: int, i: int) -> dict:
    starts = datetime.combine(oslo_today() + timedelta(days=3 + i % 20), datetime.min.time()).replace(hour=17)
    return {"title": f"Verter til kafeen {i}", "role_id": str(role_id), "starts_at": starts,
            "ends_at": starts + timedelta(hours=2), "location": "Biblioteket", "volunteers_needed": 2,
            "description": "Ta imot folk i døra."}


def seed(app) -> dict:
    """A municipality with the bank and the workshops on, a series with one pilot, an admin with a token."""
    from dugnad.accounts.models import AccessToken, Membership, User, hash_token
    from dugnad.accounts.security import hash_password
    from dugnad.extensions import db
    from dugnad.participants.models import Participant
    from dugnad.tenancy import Tenant, TenantPlugin, tenant_context
    from dugnad_volunteers import configuration
    from dugnad_workshops import pilots, room, series, tablework

    with app.test_request_context():
        tenant = Tenant(slug="bench", name="Benchby", number="3403", settings={})
        db.session.add(tenant)
        db.session.flush()
        db.session.add_all(TenantPlugin(tenant_id=tenant.id, plugin=p, enabled=True) for p in ("volunteers", "workshops"))
        admin = User(email="admin@bench.no", name="Bench Admin", password_hash=hash_password(PASSWORD))
        db.session.add(admin)
        db.session.flush()
        db.session.add(AccessToken(user_id=admin.id, tenant_id=tenant.id, name="bench", token_hash=hash_token(TOKEN),
                                   prefix=TOKEN[:10]))
        with tenant_context(tenant):
            db.session.add(Membership(user_id=admin.id, role="admin"))
            configuration.add_default_roles()
            process = series.start("Verksted for benken", None)
            first = series.workshops_of(process)[0]
            theme = series.add_theme(process, "participation", "Hvordan skape møteplasser?")
            host = Participant(name="Vert", category="municipality", legal_basis="public_task")
            db.session.add(host)
            db.session.flush()
            table = room.add_table(first, name="Bord 1", theme_id=theme.id, facilitator_id=host.id, seats=8)
            need = tablework.add_need(first, table, "Møteplasser", None)
            solution = tablework.add_solution(first, table, {"need_id": need.id, "title": "Internasjonal kafé",
                                                             "measure": "Kafé hver torsdag"}, None)
            tablework.send_to_plenary(first, solution)
            tablework.choose([solution], {solution.id})
            pilot = pilots.create(solution, {"title": "Internasjonal kafé", "owner_id": host.id,
                                             "starts_on": oslo_today(), "first_activity": "Finne lokale"})
            role_id = configuration.roles()[-1].id  # help at events and the international café
            db.session.commit()
            return {"tenant": tenant.id, "process": process.id, "pilot": pilot.id, "role": role_id}


def send_many(app, made: dict, count: int, origin_id: int | None = None) -> tuple[list[float], list[float], list[int]]:
    """``count`` handoffs sent and each reported working: the milliseconds of each, and the ids."""
    from dugnad.extensions import db
    from dugnad.handoffs import service as handoffs
    from dugnad.tenancy import tenant_context

    sends, changes, ids = [], [], []
    with app.test_request_context(), tenant_context(made["tenant"]):
        for i in range(count):
            started = time.perf_counter()
            handoff = handoffs.send("volunteers.task", "workshops.pilot", origin_id or made["pilot"],
                                    "Kafeen trenger verter hver torsdag.", _values(made["role"], i))
            db.session.commit()
            sends.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            handoffs.update_status(handoff.target_key, "working")
            db.session.commit()
            changes.append((time.perf_counter() - started) * 1000)
            ids.append(handoff.id)
    return sends, changes, ids


def other_pilot(app, made: dict) -> int:
    """A second pilot, so most of the 1,000 handoffs are not on the measured page."""
    from dugnad.extensions import db
    from dugnad.tenancy import tenant_context
    from dugnad_workshops import pilots, tablework

    from sqlalchemy import select

    from dugnad.participants.models import Participant
    from dugnad_workshops.models import Workshop, WorkshopTable

    with app.test_request_context(), tenant_context(made["tenant"]):
        first = db.session.scalar(select(Workshop).where(Workshop.number == 1))
        table = db.session.scalar(select(WorkshopTable))
        need = tablework.add_need(first, table, "Språk", None)
        solution = tablework.add_solution(first, table, {"need_id": need.id, "title": "Språkkafé", "measure": "Prat"}, None)
        tablework.send_to_plenary(first, solution)
        tablework.choose([solution], {solution.id})
        pilot = pilots.create(solution, {"title": "Språkkafé", "owner_id": db.session.scalar(select(Participant.id)),
                                         "starts_on": oslo_today(), "first_activity": "Start"})
        db.session.commit()
        return pilot.id


def switch_bank(owner_url: str, tenant_id: int, on: bool) -> None:
    """Switch the volunteer bank on or off for the municipality (as the region's switch does)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE tenant_plugin SET enabled = :on WHERE tenant_id = :t AND plugin = 'volunteers'"),
                           {"on": on, "t": tenant_id})
    engine.dispose()


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def one_at_a_time(base: str, method: str, path: str, body: dict | None = None, count: int = 50,
                  headers: dict | None = None) -> float:
    """p50 milliseconds of ``count`` requests, one after another on one connection."""
    host = base.split("//", 1)[1]
    connection = http.client.HTTPConnection(host)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request(method, path, body=json.dumps(body) if body is not None else None,
                           headers={**(headers or {}), "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status < 400, (path, response.status)
    connection.close()
    return statistics.median(times)


def main() -> None:
    from dugnad import migrations
    from dugnad.app import create_app
    from dugnad.config import Settings
    from dugnad.scratch import grant_app_role, scratch_database
    from ops.bench.dashboard import query_count

    with scratch_database(harness.SERVER_URL, "dugnad_bench") as scratch, tempfile.TemporaryDirectory() as instance:
        settings = Settings(instance_path=Path(instance), database_url=scratch.app_url, secret_key=SECRET, log_json=True)
        app = create_app(settings)
        migrations.upgrade(app, scratch.owner_url)
        grant_app_role(scratch.owner_url, scratch.app_role)
        app.config["WTF_CSRF_ENABLED"] = False
        made = seed(app)
        page = f"/bench/workshops/series/{made['process']}/pilots/{made['pilot']}"

        _s, _c, ids = send_many(app, made, 2)
        few = query_count(app, page)
        sends, changes, _more = send_many(app, made, 48)
        many = query_count(app, page)
        elsewhere = other_pilot(app, made)
        extra_sends, extra_changes, _ids = send_many(app, made, RUNS - 48, origin_id=elsewhere)
        sends, changes = sends + extra_sends, changes + extra_changes
        send_many(app, made, 1000 - RUNS - 2, origin_id=elsewhere)

        env = {"DUGNAD_DATABASE_URL": scratch.app_url, "DUGNAD_SECRET_KEY": SECRET, "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "PYTHONPATH": str(harness.ROOT)}
        auth = {"Authorization": f"Bearer {TOKEN}"}
        with harness.gunicorn("ops.bench.bare:app", env) as bare_base, harness.gunicorn("dugnad.wsgi:app", env) as base:
            cookie = harness.login_cookie(base, "admin@bench.no", PASSWORD)
            harness.wrk(bare_base + "/bare", seconds=2)  # warm up
            harness.wrk(base + page, seconds=2, headers={"Cookie": cookie})
            bare_first = harness.wrk(bare_base + "/bare", seconds=6)
            bare_p50 = one_at_a_time(bare_base, "GET", "/bare")
            pilot_page = harness.wrk(base + page, seconds=6, headers={"Cookie": cookie})
            switch_bank(scratch.owner_url, made["tenant"], on=False)  # the same page without the panel
            without_panel = harness.wrk(base + page, seconds=6, headers={"Cookie": cookie})
            switch_bank(scratch.owner_url, made["tenant"], on=True)
            api_list = harness.wrk(base + "/api/v1/handoffs/", seconds=6, headers=auth)
            replay_p50 = one_at_a_time(base, "POST", f"/api/v1/handoffs/{ids[0]}/status", {"status": "working"},
                                       headers=auth)
            bare_last = harness.wrk(bare_base + "/bare", seconds=6)
    baseline = (bare_first["rps"] + bare_last["rps"]) / 2
    figures = {
        "bare_route": {"first": bare_first, "last": bare_last, "p50_ms_one_at_a_time": round(bare_p50, 2)},
        "send_ms": {"p50": round(statistics.median(sends), 1), "p95": round(_pct(sends, 0.95), 1), "runs": len(sends)},
        "status_change_ms": {"p50": round(statistics.median(changes), 1), "p95": round(_pct(changes, 0.95), 1)},
        "pilot_page": pilot_page, "pilot_page_throughput_vs_bare": round(pilot_page["rps"] / baseline, 3),
        "pilot_page_p50_vs_bare": round(pilot_page["p50_ms"] / bare_first["p50_ms"], 1),
        "pilot_page_statements": {"2_handoffs": few, "50_handoffs": many},
        "pilot_page_without_panel": without_panel,
        "pilot_page_throughput_vs_without_panel": round(pilot_page["rps"] / without_panel["rps"], 3),
        "api_list": api_list, "api_list_throughput_vs_bare": round(api_list["rps"] / baseline, 3),
        "replayed_status_p50_vs_bare": round(replay_p50 / bare_p50, 1),
    }
    path = harness.save("handoffs", figures)
    print(f"bare Flask route      {baseline:8.0f} req/s (drift {abs(bare_first['rps'] - bare_last['rps']) / baseline:.0%}); "
          f"one request p50 {bare_p50:.2f} ms")
    print(f"send (in-process)     p50 {figures['send_ms']['p50']} ms, p95 {figures['send_ms']['p95']} ms over {len(sends)}")
    print(f"status change         p50 {figures['status_change_ms']['p50']} ms, p95 {figures['status_change_ms']['p95']} ms")
    print(f"pilot page, 50 asked  {pilot_page['rps']:8.0f} req/s = {figures['pilot_page_throughput_vs_bare']} × bare; "
          f"p50 {pilot_page['p50_ms']:.1f} ms")
    print(f"same, bank off        {without_panel['rps']:8.0f} req/s (no panel): with the panel "
          f"{figures['pilot_page_throughput_vs_without_panel']} × that")
    print(f"pilot page SQL        {few} statements with 2 handoffs, {many} with 50" + ("" if few == many else "  <-- GROWS"))
    print(f"API list (1,000)      {api_list['rps']:8.0f} req/s = {figures['api_list_throughput_vs_bare']} × bare")
    print(f"replayed status       p50 {replay_p50:.1f} ms = {figures['replayed_status_p50_vs_bare']} × a bare request")
    print(f"written to {path}")
    if few != many:
        raise SystemExit("the pilot page's SQL count grows with its handoffs")


if __name__ == "__main__":
    main()
