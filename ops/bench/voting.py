"""A burst of 500 voters pressing "vote" in the same second, against the real server on
PostgreSQL with row-level security, each with a personal voting card and two dots. A
vote is timed until the voter sees the answer, as the card page sends it (htmx): the POST,
which answers with the confirmation in place of the ballot — and, were it a redirect, the
page it leads to as well.

Then the same 500 voters again, each sending two different ballots at once (two tabs,
a double tap): the database must still hold exactly one ballot per voter and 1,000 dots.
The same burst against the bare Flask route gives the baseline of the same run. Last, the
Python CPU time of one vote in-process against the bare route's (``cpu_per_vote``): the
figure that moves least when other work loads the machine.

    .venv/bin/python ops/bench/run.py voting.py
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
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ops.bench import harness  # noqa: E402

VOTERS = 500
WORKERS = 4
SECRET = "bench-voting"


def seed(app) -> tuple[int, list[int], list[str]]:
    from dugnad.extensions import db
    from dugnad.processes import service as processes
    from dugnad.tenancy import Tenant, tenant_context
    from dugnad.voting import service as voting

    with app.app_context():
        tenant = Tenant(slug="bench", name="Benchby", number="3403", settings={})
        db.session.add(tenant)
        db.session.commit()
        with tenant_context(tenant):
            process = processes.start_process("blt", "Workshop 1", None)
            poll = voting.create_poll(process, title="Which solutions go on?", method="dot",
                                      options=[f"Solution {i}" for i in range(1, 7)],
                                      settings={"dots_per_person": 2, "stacking": True})
            voting.open_poll(poll)
            codes = [code for _voter, code in voting.issue_links(poll, VOTERS)]
            db.session.commit()
            return poll.id, [o.id for o in voting.options_of(poll)], codes


class Card:
    """One phone: its cookie and CSRF token after opening its card."""

    def __init__(self, base: str, code: str):
        self.base, self.code = urlparse(base), code
        self.cookie, self.token = "", ""

    def _connection(self):
        return http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=120)

    def open(self) -> None:
        connection = self._connection()
        connection.request("GET", f"/bench/vote/{self.code}", headers={"Accept-Language": "en"})
        response = connection.getresponse()
        body = response.read().decode()
        assert response.status == 200, (response.status, body[:300])
        self.cookie = "; ".join(h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
        connection.close()

    def vote(self, dots: dict[int, int]) -> tuple[int, float]:
        fields = "&".join([f"csrf_token={self.token}"] + [f"dots-{o}={n}" for o, n in dots.items()])
        connection = self._connection()
        started = time.perf_counter()
        connection.request("POST", f"/bench/vote/{self.code}", body=fields, headers={
            "Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en",
            "HX-Request": "true", "HX-Target": "vote", "HX-Current-URL": f"{self.base.geturl()}/bench/vote/{self.code}"})
        response = connection.getresponse()
        response.read()
        status, location = response.status, response.getheader("Location")
        cookie = "; ".join(h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie")
        connection.close()
        if status in (302, 303) and location:  # what the voter sees next is part of voting: follow it
            connection = self._connection()
            connection.request("GET", urlparse(location).path or location,
                               headers={"Cookie": cookie or self.cookie, "Accept-Language": "en"})
            page = connection.getresponse()
            page.read()
            status = page.status if page.status >= 400 else status
            connection.close()
        elapsed = time.perf_counter() - started
        return status, elapsed


def burst(calls) -> dict:
    """Run every call at the same moment (a barrier); latency per call and the whole burst."""
    results: list[tuple[int, float]] = [None] * len(calls)  # type: ignore[list-item]
    barrier = threading.Barrier(len(calls) + 1)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies = sorted(r[1] * 1000 for r in results)
    return {
        "requests": len(calls),
        "wall_s": round(wall, 3),
        "rps": round(len(calls) / wall, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        "statuses": sorted({r[0] for r in results}),
        "failed": sum(1 for r in results if r[0] >= 400),
    }


def bare_call(base: str):
    target = urlparse(base)

    def call():
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", "/bare")
        status = connection.getresponse().status
        elapsed = time.perf_counter() - started
        connection.close()
        return status, elapsed

    return call


def stored(app, poll_id: int) -> dict:
    from sqlalchemy import func, select

    from dugnad.extensions import db
    from dugnad.tenancy import Tenant, tenant_context
    from dugnad.voting.models import Ballot, BallotMark

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "bench"))
        with tenant_context(tenant):
            ballots = db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id))
            dots = db.session.scalar(select(func.coalesce(func.sum(BallotMark.value), 0)).where(BallotMark.poll_id == poll_id))
            most = db.session.scalar(select(func.max(Ballot.weight)).where(Ballot.poll_id == poll_id))
            doubled = db.session.scalar(select(func.count()).select_from(
                select(Ballot.voter_id).where(Ballot.poll_id == poll_id).group_by(Ballot.voter_id)
                .having(func.count() > 1).subquery()))
            over = db.session.scalar(select(func.count()).select_from(
                select(BallotMark.ballot_id).where(BallotMark.poll_id == poll_id).group_by(BallotMark.ballot_id)
                .having(func.sum(BallotMark.value) > 2).subquery()))
        return {"ballots": ballots, "dots": dots, "most_dots_on_a_ballot": most, "voters_with_two_ballots": doubled,
                "ballots_over_budget": over}


def _call(app, environ) -> tuple[str, bytes]:
    status = []
    body = b"".join(app(environ, lambda s, headers, exc=None: status.append(s)))
    return status[0], body


def cpu_per_vote(settings, poll_id: int, options: list[int], cards: int = 300) -> dict:
    """Python CPU time of one card vote in-process (the WSGI app called directly, as gunicorn
    would: the htmx POST of a phone that has opened its card, two dots, a first ballot) and
    of the bare route the same way: moves least with the other load on the machine. The
    database's own time is not in it."""
    import logging
    import os

    from sqlalchemy import select
    from werkzeug.test import EnvironBuilder

    from dugnad.app import create_app
    from dugnad.extensions import db
    from dugnad.tenancy import Tenant, tenant_context
    from dugnad.voting import service as voting
    from dugnad.voting.models import Poll
    from ops.bench.bare import app as bare

    app = create_app(settings)
    handler = next(h for h in logging.getLogger("dugnad").handlers if getattr(h, "_dugnad", False))
    stream = handler.setStream(open(os.devnull, "w"))  # every request still writes its log line, not to the screen
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "bench"))
        with tenant_context(tenant):
            codes = [code for _voter, code in voting.issue_links(db.session.get(Poll, poll_id), cards)]
            db.session.commit()
    votes = []
    for i, code in enumerate(codes):
        phone = app.test_client()
        page = phone.get(f"/bench/vote/{code}", headers={"Accept-Language": "en"})
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        votes.append(EnvironBuilder(
            path=f"/bench/vote/{code}", method="POST", content_type="application/x-www-form-urlencoded",
            data=f"csrf_token={token}&dots-{options[i % 6]}=1&dots-{options[(i + 1) % 6]}=1",
            headers={"Cookie": f"session={phone.get_cookie('session').value}", "Accept-Language": "en",
                     "HX-Request": "true", "HX-Target": "vote"}).get_environ())
    plain = EnvironBuilder(path="/bare").get_environ()
    for _ in range(300):
        _call(bare, dict(plain))
    started = time.process_time()
    for _ in range(3000):
        _call(bare, dict(plain))
    bare_us = (time.process_time() - started) / 3000 * 1e6
    warm, measured = votes[:20], votes[20:]
    for environ in warm:
        assert _call(app, environ)[0].startswith("200")
    started = time.process_time()
    for environ in measured:
        status, body = _call(app, environ)
        assert status.startswith("200") and b"Your vote is recorded" in body, (status, body[:200])
    vote_us = (time.process_time() - started) / len(measured) * 1e6
    handler.setStream(stream).close()
    with app.app_context():
        db.engine.dispose()
    return {"bare_us": round(bare_us, 1), "vote_us": round(vote_us, 1), "vote_vs_bare": round(vote_us / bare_us, 1),
            "votes": len(measured)}


def main() -> None:
    from dugnad import migrations
    from dugnad.app import create_app
    from dugnad.config import Settings
    from dugnad.scratch import grant_app_role, scratch_database

    with scratch_database(harness.SERVER_URL, "dugnad_bench") as scratch, tempfile.TemporaryDirectory() as instance:
        settings = Settings(instance_path=Path(instance), database_url=scratch.app_url, secret_key=SECRET, log_json=True)
        app = create_app(settings)
        migrations.upgrade(app, scratch.owner_url)
        grant_app_role(scratch.owner_url, scratch.app_role)
        poll_id, options, codes = seed(app)
        env = {"DUGNAD_DATABASE_URL": scratch.app_url, "DUGNAD_SECRET_KEY": SECRET, "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "PYTHONPATH": str(harness.ROOT)}
        # four sync workers for both: a vote waits on PostgreSQL, so two per core keep the cores busy
        with harness.gunicorn("ops.bench.bare:app", env, workers=WORKERS) as bare_base, \
                harness.gunicorn("dugnad.wsgi:app", env, workers=WORKERS) as base:
            cards = [Card(base, code) for code in codes]
            for card in cards:  # each phone opens its card first (not measured)
                card.open()
            bare = burst([bare_call(bare_base) for _ in range(VOTERS)])
            first = burst([lambda c=c, i=i: c.vote({options[i % 6]: 1, options[(i + 1) % 6]: 1})
                           for i, c in enumerate(cards)])
            after_first = stored(app, poll_id)
            # the same voters change their minds, each with two different ballots at once
            race = burst([lambda c=c, i=i, k=k: c.vote({options[(i + k) % 6]: 2})
                          for i, c in enumerate(cards) for k in (2, 3)])
            after_race = stored(app, poll_id)
            bare_again = burst([bare_call(bare_base) for _ in range(VOTERS)])
            wrk_bare = harness.wrk(bare_base + "/bare", seconds=4)
        in_process = cpu_per_vote(Settings(instance_path=Path(instance), database_url=scratch.app_url, secret_key=SECRET,
                                           log_json=True), poll_id, options)
    baseline_rps = (bare["rps"] + bare_again["rps"]) / 2
    baseline_p50 = (bare["p50_ms"] + bare_again["p50_ms"]) / 2
    figures = {
        "bare_burst": {"first": bare, "last": bare_again},
        "bare_wrk": wrk_bare,
        "gunicorn_workers": WORKERS,
        "vote_burst": first,
        "double_ballot_burst": race,
        "stored_after_burst": after_first,
        "stored_after_double_burst": after_race,
        "vote_throughput_vs_bare": round(first["rps"] / baseline_rps, 3),
        "vote_p50_vs_bare": round(first["p50_ms"] / baseline_p50, 2),
        "vote_p99_vs_bare_p99": round(first["p99_ms"] / ((bare["p99_ms"] + bare_again["p99_ms"]) / 2), 2),
        "double_throughput_vs_bare": round(race["rps"] / baseline_rps, 3),
        "cpu_per_vote_in_process": in_process,
    }
    print(f"bare route, {VOTERS} at once     {baseline_rps:7.0f} req/s, p50 {baseline_p50:.0f} ms "
          f"(drift first/last {abs(bare['rps'] - bare_again['rps']) / baseline_rps:.0%}); wrk {wrk_bare['rps']:.0f} req/s")
    print(f"{VOTERS} voters, 2 dots each    {first['rps']:7.0f} req/s = {figures['vote_throughput_vs_bare']:.2f} × bare; "
          f"p50 {first['p50_ms']:.0f} ms, p99 {first['p99_ms']:.0f} ms ({figures['vote_p99_vs_bare_p99']} × bare's p99); "
          f"statuses {first['statuses']} (the vote's answer, and any page it redirects to)")
    print(f"  stored: {after_first}")
    print(f"{VOTERS} voters × 2 ballots at once {race['rps']:7.0f} req/s = {figures['double_throughput_vs_bare']:.2f} × bare; "
          f"p50 {race['p50_ms']:.0f} ms, p99 {race['p99_ms']:.0f} ms; statuses {race['statuses']}")
    print(f"  stored: {after_race}")
    print(f"in-process Python CPU per vote {in_process['vote_us']:.0f} µs = {in_process['vote_vs_bare']} × the bare "
          f"route's {in_process['bare_us']:.0f} µs ({in_process['votes']} first votes; the database's time not in it)")
    print(f"saved {harness.save('voting', figures)}")
    expected = {"ballots": VOTERS, "dots": 2 * VOTERS, "most_dots_on_a_ballot": 2, "voters_with_two_ballots": 0,
                "ballots_over_budget": 0}
    if after_first != expected or after_race != expected or first["failed"] or race["failed"]:
        raise SystemExit(f"the votes stored are not exactly what was cast: {after_first} / {after_race}")


if __name__ == "__main__":
    main()
