"""Integration workshops: placing a 120-person room with 6 rotations, and the projector's
live count while 100 people vote — against the real server on PostgreSQL with row-level
security, with the bare Flask route measured in the same run.

1. The placement algorithm itself (pure, in-process): 120 people in seven categories at 15
   tables of 8, the first sitting and 6 rotations; then a re-balance after two rounds with
   5 no-shows and 3 late arrivals. Median of repeated runs, and how well it mixes.
2. The same through the app: ``POST /<tenant>/workshops/<id>/place`` (read the room, place,
   store 840 seats) one after another, its p50 against the bare route's; the room page (the
   grid of 7 rounds) under load, and its SQL statement count with 12 and 120 people.
3. The projector: the plenary's dot vote with 100 voting cards; while 100 phones keep
   voting (each card votes, then changes its mind, again and again), 100 connections ask
   for the projector's live count (``/polls/<id>/live?screen=1``, a full render every time).

    .venv/bin/python ops/bench/run.py workshops.py
"""

from __future__ import annotations

import http.client
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ops.bench import harness  # noqa: E402
from ops.bench.dashboard import PASSWORD  # noqa: E402  (the same admin: its query counter is reused)

SECRET = "bench-workshops"
WORKERS = 4
CATEGORIES = (["municipality"] * 30 + ["business"] * 24 + ["volunteer"] * 24 + ["target_group"] * 18
              + ["public_agency"] * 12 + ["politics"] * 6 + ["immigrant_council"] * 6)
TABLES, SEATS, ROTATIONS, VOTERS = 15, 8, 6, 100
VOTE_EVERY = 5.0  # seconds between one phone's votes: people change their minds, again and again


# --- 1. the algorithm ------------------------------------------------------------------------


def algorithm() -> dict:
    from dugnad_workshops.placement import Person, Table, place

    tables = [Table(i, SEATS, 10_000 + i, f"Bord {i + 1}") for i in range(TABLES)]
    people = [Person(i, c) for i, c in enumerate(CATEGORIES)]
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        plan = place(tables, people, ROTATIONS)
        runs.append((time.perf_counter() - started) * 1000)
    gone = {3, 40, 77, 90, 111}
    present = [p for p in people if p.id not in gone] + [Person(500 + i, c) for i, c in enumerate(("business", "target_group", "volunteer"))]
    rebalance = []
    for _ in range(7):
        started = time.perf_counter()
        again = place(tables, present, ROTATIONS, held=plan.rounds[:2], planned=plan.rounds[2:])
        rebalance.append((time.perf_counter() - started) * 1000)
    moved = sum(1 for r in range(2, ROTATIONS + 1) for p, t in again.rounds[r].items() if plan.rounds[r].get(p, t) != t)
    return {"place_ms_median": round(statistics.median(runs), 1), "place_ms_max": round(max(runs), 1),
            "rebalance_ms_median": round(statistics.median(rebalance), 1), "repeats": len(plan.repeats),
            "met_again": plan.met_again, "met_again_if_tables_moved_whole": len(people) * (ROTATIONS + 1) * (SEATS - 1),
            "rebalance_repeats": len(again.repeats), "rebalance_seats_changed": moved}


# --- the scratch municipality ------------------------------------------------------------------


def seed(app, people: int) -> dict:
    """A series with ``people`` guests at 15 tables, placed; the plenary vote with 100 cards."""
    from sqlalchemy import select

    from dugnad.accounts.models import Membership, User
    from dugnad.accounts.security import hash_password
    from dugnad.extensions import db
    from dugnad.participants.models import Participant
    from dugnad.tenancy import Tenant, TenantPlugin, tenant_context
    from dugnad.voting import service as voting
    from dugnad_workshops import room, series, tablework
    from dugnad_workshops.models import Attendance, Workshop

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "bench"))
        if tenant is None:
            tenant = Tenant(slug="bench", name="Benchby", number="3403", settings={})
            db.session.add(tenant)
            db.session.flush()
            db.session.add(TenantPlugin(tenant_id=tenant.id, plugin="workshops", enabled=True))
            admin = User(email="admin@bench.no", name="Bench Admin", password_hash=hash_password(PASSWORD))
            db.session.add(admin)
            db.session.flush()
            with tenant_context(tenant):
                db.session.add(Membership(user_id=admin.id, role="admin"))
                process = series.start("Verksted for benken", None)
                first = series.workshops_of(process)[0]
                first.rotations = ROTATIONS
                theme = series.add_theme(process, "participation", "Hvordan skape møteplasser?")
                for i in range(TABLES):
                    host = Participant(name=f"Vert {i}", category="municipality", legal_basis="public_task")
                    db.session.add(host)
                    db.session.flush()
                    room.add_table(first, name=f"Bord {i + 1}", theme_id=theme.id, facilitator_id=host.id, seats=SEATS)
            db.session.commit()
        with tenant_context(tenant):
            first = db.session.scalar(select(Workshop).where(Workshop.number == 1))
            have = len([a for a in db.session.scalars(select(Attendance))])
            for i in range(have, people):
                guest = Participant(name=f"Gjest {i}", category=CATEGORIES[i % len(CATEGORIES)], legal_basis="public_task")
                db.session.add(guest)
                db.session.flush()
                db.session.add(Attendance(workshop_id=first.id, participant_id=guest.id, response="yes"))
            db.session.flush()
            room.place_people(first)
            poll_id, codes = None, []
            if people == len(CATEGORIES):
                tables = room.tables_of(first)
                for i, table in enumerate(tables):
                    need = tablework.add_need(first, table, f"Behov {i}", None)
                    solution = tablework.add_solution(first, table, {"need_id": need.id, "title": f"Forslag {i + 1}",
                                                                     "measure": "Slik"}, None)
                    tablework.send_to_plenary(first, solution)
                from dugnad_workshops import polls

                poll = polls.open_vote(first, None, anyway=True)
                poll_id = poll.id
                codes = [code for _v, code in voting.cards(poll)][:VOTERS]
            db.session.commit()
            return {"workshop": first.id, "poll": poll_id, "codes": codes}


def statements(app, path: str, before=None) -> int:
    """The SQL statements of one request for ``path``, as the dashboard bench counts them."""
    from ops.bench.dashboard import query_count

    return query_count(app, path, before=before)


# --- through the server ----------------------------------------------------------------------------


class Browser:
    """A logged-in person: a cookie jar and the CSRF token of the last page."""

    def __init__(self, base: str):
        self.base = urlparse(base)
        self.cookies: dict[str, str] = {}
        self.token = ""

    def _send(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, float]:
        connection = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=120)
        headers = {"Accept-Language": "en", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode({"csrf_token": self.token, **body})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        elapsed = time.perf_counter() - started
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        found = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', text)
        if found:
            self.token = found.group(1)
        connection.close()
        return response.status, text, elapsed

    def get(self, path: str):
        return self._send("GET", path)

    def post(self, path: str, body: dict):
        return self._send("POST", path, body)

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def login(base: str) -> Browser:
    person = Browser(base)
    person.get("/login")
    status, _text, _t = person.post("/login", {"email": "admin@bench.no", "password": PASSWORD})
    assert status == 302, status
    return person


def bare_latency(base: str, count: int = 30) -> float:
    target = urlparse(base)
    times = []
    for _ in range(count):
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        started = time.perf_counter()
        connection.request("GET", "/bare")
        connection.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
        connection.close()
    return statistics.median(times)


def page_latency(base: str, path: str, cookie: str, count: int = 100, before=None) -> dict:
    """One request after another (no queueing): p50/p95 of ``path`` as a coordinator sees it
    (``before`` runs ahead of each request, untimed)."""
    target = urlparse(base)
    times = []
    for _ in range(count):
        if before is not None:
            before()
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "en"})
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        connection.close()
        assert response.status == 200, response.status
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * len(times)) - 1], 2)}


def data_moved(app):
    """What happens between two looks at the room during a live workshop (a check-in, a vote):
    the municipality's data version moves, so a kept page is rendered afresh."""
    from dugnad import versions

    def move() -> None:
        with app.app_context():
            versions.data_changed(1)

    return move


def python_cpu(app, path: str, count: int = 50, before=None) -> float:
    """The Python CPU time of one request for ``path`` in-process (median): a figure the other
    helpers' load on the machine hardly moves, unlike wall time. ``before``: as in ``page_latency``."""
    client = app.test_client()
    client.post("/login", data={"email": "admin@bench.no", "password": PASSWORD})
    client.get(path)
    spent = []
    for _ in range(count):
        if before is not None:
            before()
        began = time.process_time()
        assert client.get(path).status_code == 200
        spent.append((time.process_time() - began) * 1000)
    return round(statistics.median(spent), 2)


class Voters:
    """100 phones that keep voting (and changing their minds) until stopped."""

    def __init__(self, base: str, codes: list[str], options: list[int]):
        self.phones = [Browser(base) for _ in codes]
        self.codes, self.options = codes, options
        self.stop = threading.Event()
        self.cast, self.failed = 0, 0
        self.lock = threading.Lock()

    def open(self) -> None:
        for phone, code in zip(self.phones, self.codes):
            status, _t, _e = phone.get(f"/bench/vote/{code}")
            assert status == 200, status

    def _run(self, i: int) -> None:
        phone, code, turn = self.phones[i], self.codes[i], 0
        while not self.stop.is_set():
            a, b = self.options[(i + turn) % len(self.options)], self.options[(i + turn + 1) % len(self.options)]
            status, _t, _e = phone.post(f"/bench/vote/{code}", {f"dots-{a}": 1, f"dots-{b}": 1})
            with self.lock:
                self.cast += 1
                self.failed += status >= 400
            turn += 1
            self.stop.wait(VOTE_EVERY)

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(len(self.phones))]
        for thread in threads:
            thread.start()
        return threads


def main() -> None:
    from dugnad import migrations
    from dugnad.app import create_app
    from dugnad.config import Settings
    from dugnad.scratch import grant_app_role, scratch_database

    pure = algorithm()
    with scratch_database(harness.SERVER_URL, "dugnad_bench") as scratch, tempfile.TemporaryDirectory() as instance:
        settings = Settings(instance_path=Path(instance), database_url=scratch.app_url, secret_key=SECRET, log_json=True)
        app = create_app(settings)
        migrations.upgrade(app, scratch.owner_url)
        grant_app_role(scratch.owner_url, scratch.app_role)
        app.config["WTF_CSRF_ENABLED"] = False
        small = seed(app, 12)
        room_path = f"/bench/workshops/{small['workshop']}/room"
        queries_12 = statements(app, room_path, before=data_moved(app))  # rendered, not kept
        made = seed(app, len(CATEGORIES))
        queries_120 = statements(app, room_path, before=data_moved(app))
        queries_kept = statements(app, room_path)
        room_cpu_ms = python_cpu(app, room_path)
        room_cpu_afresh_ms = python_cpu(app, room_path, before=data_moved(app))
        live_path = f"/bench/polls/{made['poll']}/live?screen=1"
        queries_live = statements(app, live_path)
        with app.app_context():
            from dugnad.tenancy import tenant_context
            from dugnad.voting import service as voting

            with tenant_context(1):
                options = [o.id for o in voting.options_of(voting.get_poll(made["poll"]))]
        env = {"DUGNAD_DATABASE_URL": scratch.app_url, "DUGNAD_SECRET_KEY": SECRET, "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "PYTHONPATH": str(harness.ROOT)}
        with harness.gunicorn("ops.bench.bare:app", env, workers=WORKERS) as bare_base, \
                harness.gunicorn("dugnad.wsgi:app", env, workers=WORKERS) as base:
            coordinator = login(base)
            bare_first = harness.wrk(bare_base + "/bare", seconds=6)
            bare_p50 = bare_latency(bare_base)

            # placing the room through the app, one click after another
            coordinator.get(room_path)
            place_times = []
            for _ in range(10):
                status, _text, elapsed = coordinator.post(f"/bench/workshops/{made['workshop']}/place", {})
                assert status == 302, status
                place_times.append(elapsed * 1000)
                coordinator.get(room_path)
            harness.wrk(base + room_path, seconds=2, headers={"Cookie": coordinator.cookie()})  # warm up
            room_page = harness.wrk(base + room_path, seconds=6, headers={"Cookie": coordinator.cookie()})
            room_alone = page_latency(base, room_path, coordinator.cookie())
            room_alone_afresh = page_latency(base, room_path, coordinator.cookie(), before=data_moved(app))
            bare_alone = page_latency(bare_base, "/bare", "")

            # the projector while 100 phones keep voting
            voters = Voters(base, made["codes"], options)
            voters.open()
            threads = voters.start()
            bare_100 = harness.wrk(bare_base + "/bare", seconds=6, connections=VOTERS)
            projector = harness.wrk(base + live_path, seconds=8, connections=VOTERS,
                                    headers={"Cookie": coordinator.cookie(), "HX-Request": "true"})
            voters.stop.set()
            for thread in threads:
                thread.join()
            # between votes the projector asks with the version it has: nothing changed, 204
            _status, fragment, _t = coordinator.get(live_path)
            version = re.search(r'"v": "([^"]+)"', fragment).group(1)
            unchanged = harness.wrk(base + live_path + f"&v={version}", seconds=6, connections=VOTERS,
                                    headers={"Cookie": coordinator.cookie(), "HX-Request": "true"})
            bare_last = harness.wrk(bare_base + "/bare", seconds=6)
    baseline = (bare_first["rps"] + bare_last["rps"]) / 2
    place_p50 = statistics.median(place_times)
    figures = {
        "algorithm": pure,
        "bare_route": {"first": bare_first, "last": bare_last, "p50_ms_one_at_a_time": round(bare_p50, 2),
                       "with_100_connections": bare_100},
        "place_120_people_6_rotations_through_the_app": {"p50_ms": round(place_p50, 1), "max_ms": round(max(place_times), 1)},
        "place_p50_vs_bare": round(place_p50 / bare_p50, 1),
        "room_page_120_people": room_page,
        "room_page_throughput_vs_bare": round(room_page["rps"] / baseline, 3),
        "queries_room_page": {"12_people": queries_12, "120_people": queries_120, "kept": queries_kept},
        "room_page_one_at_a_time": room_alone, "bare_one_at_a_time": bare_alone,
        "room_page_p95_vs_bare": round(room_alone["p95_ms"] / max(0.001, bare_alone["p95_ms"]), 1),
        "room_page_python_cpu_ms": room_cpu_ms,
        "room_page_one_at_a_time_rendered_afresh": room_alone_afresh,
        "room_page_python_cpu_ms_rendered_afresh": room_cpu_afresh_ms,
        "projector_under_100_voters": projector,
        "projector_throughput_vs_bare_100": round(projector["rps"] / bare_100["rps"], 3),
        "projector_p50_vs_bare_100": round(projector["p50_ms"] / bare_100["p50_ms"], 2),
        "projector_nothing_changed_204": unchanged,
        "projector_204_throughput_vs_bare_100": round(unchanged["rps"] / bare_100["rps"], 3),
        "queries_projector_live": queries_live,
        "ballots_cast_meanwhile": voters.cast,
        "ballots_refused_meanwhile": voters.failed,
    }
    print(f"placement, pure       120 people, 15 tables, 7 rounds: {pure['place_ms_median']} ms median; "
          f"re-balance (2 held, 5 gone, 3 late) {pure['rebalance_ms_median']} ms, {pure['rebalance_seats_changed']} seats changed")
    print(f"  mixing              tables seen twice: {pure['repeats']}; meeting again: {pure['met_again']} "
          f"(whole tables moving: {pure['met_again_if_tables_moved_whole']})")
    print(f"bare Flask route      {baseline:8.0f} req/s (drift {abs(bare_first['rps'] - bare_last['rps']) / baseline:.0%}); "
          f"one request p50 {bare_p50:.2f} ms")
    print(f"place, through app    p50 {place_p50:.0f} ms = {figures['place_p50_vs_bare']} × a bare request")
    print(f"room page (120)       {room_page['rps']:8.0f} req/s = {figures['room_page_throughput_vs_bare']:.2f} × bare; "
          f"p50 {room_page['p50_ms']:.1f} ms; statements {queries_12} (12 people) / {queries_120} (120), "
          f"{queries_kept} kept")
    print(f"room page, one at a time p50 {room_alone['p50_ms']:.1f} ms, p95 {room_alone['p95_ms']:.1f} ms "
          f"= {figures['room_page_p95_vs_bare']} × the bare route's p95 ({bare_alone['p95_ms']:.2f} ms); "
          f"Python CPU {room_cpu_ms:.1f} ms a request (in-process, median)")
    print(f"  rendered afresh (the data moved before each look) p50 {room_alone_afresh['p50_ms']:.1f} ms, "
          f"p95 {room_alone_afresh['p95_ms']:.1f} ms; Python CPU {room_cpu_afresh_ms:.1f} ms a request")
    print(f"projector, 100 voting {projector['rps']:8.0f} req/s = {figures['projector_throughput_vs_bare_100']:.2f} × bare "
          f"at 100 connections; p50 {projector['p50_ms']:.1f} ms, p99 {projector['p99_ms']:.1f} ms; "
          f"{queries_live} statements; {voters.cast} ballots cast meanwhile ({voters.failed} refused)")
    print(f"projector, unchanged  {unchanged['rps']:8.0f} req/s = {figures['projector_204_throughput_vs_bare_100']:.2f} × bare "
          f"at 100 connections (204, nothing to swap); p50 {unchanged['p50_ms']:.1f} ms")
    print(f"saved {harness.save('workshops', figures)}")
    if queries_12 != queries_120 or room_page["non_2xx"] or projector["non_2xx"] or voters.failed or unchanged["non_2xx"]:
        raise SystemExit("the room page's statements grew with the room, or requests failed")


if __name__ == "__main__":
    main()
