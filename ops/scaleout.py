"""Scale-out on one machine: two app servers and two workers against the same PostgreSQL
and Redis, as two web nodes and two worker hosts would be.

    .venv/bin/python ops/scaleout.py

Checks, and exits non-zero if one fails:

1. a change made through one server is seen at once through the other (no stale cache):
   the region switches a plugin off and on again through server A, and server B answers
   404 and then 200 for its page at once; the region sets a KOSTRA group through A and
   B's benchmarking dashboard (a page kept per data version) shows it on the next request;
   an admin starts a process through A and B's processes widget (kept per role and data
   version in Redis) shows it on the next request;
2. a login made on one server is valid on the other (sessions are signed, not stored);
3. the schedule runs once: both workers run the cron, and the every-minute schedule
   (voting's ``close_due_polls``) runs exactly once per minute over two minutes.

It needs PostgreSQL (``DUGNAD_BENCH_DATABASE_URL``, as the benches) and Redis
(``DUGNAD_SCALEOUT_REDIS_URL``, default ``redis://127.0.0.1:6379/0``). Everything it
makes is its own: a scratch database and role, and a queue of its own name in Redis,
all removed afterwards. It takes about three minutes (it waits for two cron minutes).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ops.bench import harness  # noqa: E402

REDIS_URL = os.environ.get("DUGNAD_SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "scale-out-password-1"


class Browser:
    """One person's browser: a cookie jar used against either server."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str, headers: dict | None = None) -> tuple[int, str]:
        try:
            with self.opener.open(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, fields: dict, token_from: str) -> int:
        _status, page = self.get(token_from)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        try:
            with self.opener.open(url, data=data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def seed(app) -> int:
    from dugnad.accounts.models import Membership, User
    from dugnad.accounts.security import hash_password
    from dugnad.extensions import db
    from dugnad.tenancy import Tenant, TenantPlugin, tenant_context

    with app.app_context():
        tenant = Tenant(slug="scaleby", name="Scaleby", number="3403", settings={})
        db.session.add(tenant)
        db.session.flush()
        for plugin in app.extensions["dugnad.plugins"].optional:
            db.session.add(TenantPlugin(tenant_id=tenant.id, plugin=plugin, enabled=True))
        password = hash_password(PASSWORD)
        db.session.add(User(email="region@scale.no", name="Region", password_hash=password, is_region_admin=True))
        admin = User(email="admin@scale.no", name="Admin", password_hash=password)
        db.session.add(admin)
        db.session.flush()
        with tenant_context(tenant):
            db.session.add(Membership(user_id=admin.id, role="admin"))
            db.session.flush()
        db.session.commit()
        return tenant.id


def schedule_runs(queue_name: str, job: str) -> Counter:
    """How many times ``job`` ran, per minute it was enqueued in (finished or failed)."""
    from redis import Redis
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    connection = Redis.from_url(REDIS_URL)
    ids = set()
    for registry in (FinishedJobRegistry(queue_name, connection=connection),
                     FailedJobRegistry(queue_name, connection=connection)):
        ids.update(registry.get_job_ids())
    minutes = Counter()
    for found in Job.fetch_many(list(ids), connection=connection):
        if found is not None and found.func_name == job:
            minutes[found.enqueued_at.strftime("%H:%M")] += 1
    return minutes


def clean_redis(queue_name: str) -> None:
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    keys = set(connection.scan_iter(f"*{queue_name}*", count=1000))
    if keys:
        connection.delete(*keys)
    connection.srem("rq:queues", f"rq:queue:{queue_name}")


def main() -> None:
    from dugnad import migrations
    from dugnad.app import create_app
    from dugnad.config import Settings
    from dugnad.plugins import job_name
    from dugnad.scratch import grant_app_role, scratch_database
    from dugnad.voting.jobs import close_due_polls

    queue_name = f"dugnad-scaleout-{uuid.uuid4().hex[:8]}"
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    with scratch_database(harness.SERVER_URL, "dugnad_scaleout") as scratch, tempfile.TemporaryDirectory() as instance:
        settings = Settings(instance_path=Path(instance), database_url=scratch.app_url, secret_key="scale-out")
        app = create_app(settings)
        migrations.upgrade(app, scratch.owner_url)
        grant_app_role(scratch.owner_url, scratch.app_role)
        tenant_id = seed(app)
        env = {"DUGNAD_DATABASE_URL": scratch.app_url, "DUGNAD_SECRET_KEY": "scale-out", "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "DUGNAD_REDIS_URL": REDIS_URL, "DUGNAD_QUEUE": queue_name,
               "PYTHONPATH": str(harness.ROOT)}
        workers = [subprocess.Popen([str(harness.BIN / "dugnad"), "worker"], cwd=harness.ROOT,
                                    env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                    stderr=harness.LOG.open("ab")) for _ in range(2)]
        started = time.time()
        try:
            with harness.gunicorn("dugnad.wsgi:app", env) as a, harness.gunicorn("dugnad.wsgi:app", env) as b:
                region, admin = Browser(), Browser()
                for person, email, server in ((region, "region@scale.no", a), (admin, "admin@scale.no", a)):
                    status = person.post(server + "/login", {"email": email, "password": PASSWORD}, server + "/login")
                    check(status == 200, f"{email} logs in through server A")
                check(admin.get(b + "/scaleby/")[0] == 200, "the login made on A is valid on B")
                page = "/scaleby/volunteers/"
                check(admin.get(b + page)[0] == 200, "the volunteer bank is on, seen through B")
                toggle = f"/region/municipalities/{tenant_id}/plugins/volunteers"
                detail = f"/region/municipalities/{tenant_id}"
                region.post(a + toggle, {"enabled": "0"}, a + detail)
                check(admin.get(b + page)[0] == 404, "switched off through A: B answers 404 at once")
                region.post(a + toggle, {"enabled": "1"}, a + detail)
                check(admin.get(b + page)[0] == 200, "switched on again through A: B answers 200 at once")
                widget, fragment = "/scaleby/processes/widget", {"HX-Request": "true"}
                check("Scale-out plan" not in admin.get(b + widget, fragment)[1], "B's processes widget is kept")
                admin.get(b + widget, fragment)  # served from B's role-level cache now
                status = admin.post(a + "/scaleby/processes/new", {"template": "blt", "name": "Scale-out plan"},
                                    a + "/scaleby/processes/new")
                check(status == 200 and "Scale-out plan" in admin.get(b + widget, fragment)[1],
                      "a process started through A shows in B's kept widget at once")
                dashboard = "/region/benchmarks/"
                check("KOSTRA-gruppe 9" not in region.get(b + dashboard)[1], "B's benchmarking dashboard is kept")
                region.get(b + dashboard)  # served from B's cache now
                status = region.post(a + "/region/benchmarks/groups", {"group_3403": "KOSTRA-gruppe 9"},
                                     a + "/region/benchmarks/groups")
                check(status == 200 and "KOSTRA-gruppe 9" in region.get(b + dashboard)[1],
                      "a KOSTRA group set through A shows on B's dashboard at once")
                # the schedule: both workers' crons fire every minute; wait for two whole minutes
                wait = 60 - time.time() % 60 + 125
                print(f"     waiting {wait:.0f} s for two minutes of the every-minute schedule …")
                time.sleep(wait)
            runs = schedule_runs(queue_name, job_name(close_due_polls))
            whole = {minute: n for minute, n in runs.items()
                     if time.strftime("%H:%M", time.gmtime(started + 60)) <= minute}
            check(len(whole) >= 2 and set(whole.values()) == {1},
                  f"two workers, the every-minute schedule ran once a minute: {dict(sorted(runs.items()))}")
        finally:
            for process in workers:
                process.terminate()
            for process in workers:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            clean_redis(queue_name)
    if failures:
        raise SystemExit(f"{len(failures)} check(s) failed")
    print("scale-out: every check passed")


if __name__ == "__main__":
    main()
