"""The municipality dashboard against a bare Flask route, on PostgreSQL with
row-level security, and the dashboard's query count with 10 vs 1,000 rows.

    .venv/bin/python ops/bench/dashboard.py
"""

from __future__ import annotations

import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ops.bench import harness  # noqa: E402

PASSWORD = "bench-password-1"


def seed(app, rows: int) -> None:
    from dugnad.accounts.models import Membership, User
    from dugnad.accounts.security import hash_password
    from dugnad.extensions import db
    from dugnad.tenancy import Tenant, tenant_context

    with app.app_context():
        tenant = db.session.query(Tenant).filter_by(slug="bench").one_or_none()
        if tenant is None:
            tenant = Tenant(slug="bench", name="Benchby", number="3403", settings={})
            db.session.add(tenant)
            db.session.flush()
            admin = User(email="admin@bench.no", name="Bench Admin", password_hash=hash_password(PASSWORD))
            db.session.add(admin)
            db.session.flush()
            with tenant_context(tenant):
                db.session.add(Membership(user_id=admin.id, role="admin"))
                db.session.flush()
        existing = db.session.query(User).count() - 1
        users = [User(email=f"p{i}@bench.no", name=f"Person {i}") for i in range(existing, rows)]
        db.session.add_all(users)
        db.session.flush()
        with tenant_context(tenant):
            db.session.add_all(Membership(user_id=u.id, role="member") for u in users)
            db.session.flush()
        db.session.commit()


def query_count(app, path: str, before=None) -> int:
    """The SQL statements of one request for ``path`` as the bench admin (other benches use it)."""
    return harness.query_count(app, path, "admin@bench.no", PASSWORD, before=before)


def data_moved(app):
    """A write in the municipality between two looks: a page kept under the data version is rendered afresh."""
    from dugnad import versions

    def move() -> None:
        with app.app_context():
            versions.data_changed(1)

    return move


def cpu_per_request(app, cookie: str, paths, batches: int = 15, batch: int = 200) -> dict:
    """Python CPU time per request (``time.process_time``) of each path served from the cache,
    called as gunicorn calls the app (one WSGI call, the environ built once), against the bare
    route the same way, batch by batch in turn: the median ratio moves least with the load of
    other processes on the machine."""
    import io
    import statistics
    import time

    from ops.bench.bare import app as bare

    def environ(path: str, extra: dict) -> dict:
        return {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
                "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
                "HTTP_HOST": "127.0.0.1:8000", "HTTP_USER_AGENT": harness.USER_AGENT, **extra}

    def call(target, env) -> None:
        b"".join(target(dict(env, **{"wsgi.input": io.BytesIO(b"")}), lambda *a: None))

    def through_flask(environ, start_response):
        """The page as Flask serves it from the page cache: a browser's first look at a page
        kept for it (its next looks are given again in front of Flask, ``dugnad.web.replay``)."""
        app.config["DUGNAD_REPLAY_KEPT_ANSWERS"] = False
        try:
            return app(environ, start_response)
        finally:
            app.config["DUGNAD_REPLAY_KEPT_ANSWERS"] = True

    targets = [("bare", bare, environ("/bare", {}))] + [
        (path, app, environ(path, {"HTTP_COOKIE": cookie, **({"HTTP_HX_REQUEST": "true"} if "widgets" in path else {})}))
        for path in paths] + [(paths[0] + " through Flask", through_flask, environ(paths[0], {"HTTP_COOKIE": cookie}))]
    for _name, target, env in targets:  # warm
        for _ in range(batch):
            call(target, env)
    spent = {name: [] for name, *_ in targets}
    for _ in range(batches):
        for name, target, env in targets:
            began = time.process_time()
            for _ in range(batch):
                call(target, env)
            spent[name].append((time.process_time() - began) / batch)
    ratios = {name: statistics.median(s / b for s, b in zip(spent[name], spent["bare"])) for name in spent}
    return {name: {"cpu_us": round(statistics.median(spent[name]) * 1e6), "vs_bare": round(ratios[name], 2)}
            for name in spent}


def in_process_cookie(app) -> str:
    """Log in through the test client (as the bench's browser) and open the dashboard once."""
    client = app.test_client()
    agent = {"User-Agent": harness.USER_AGENT}
    client.post("/login", data={"email": "admin@bench.no", "password": PASSWORD}, headers=agent)
    client.get("/bench/", headers=agent)
    return "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())


def main() -> None:
    from dugnad import migrations
    from dugnad.app import create_app
    from dugnad.config import Settings

    from dugnad.scratch import grant_app_role, scratch_database

    with scratch_database(harness.SERVER_URL, "dugnad_bench") as scratch, tempfile.TemporaryDirectory() as instance:
        owner_url, app_url = scratch.owner_url, scratch.app_url
        settings = Settings(instance_path=Path(instance), database_url=app_url, secret_key="bench", log_json=True)
        app = create_app(settings)
        migrations.upgrade(app, owner_url)
        grant_app_role(owner_url, scratch.app_role)
        app.config["WTF_CSRF_ENABLED"] = False
        seed(app, 10)
        paths = ("/bench/", "/bench/admin/members/")
        few = {path: query_count(app, path) for path in paths}
        few_afresh = {path: query_count(app, path, before=data_moved(app)) for path in paths}
        seed(app, 1000)
        many = {path: query_count(app, path) for path in paths}
        many_afresh = {path: query_count(app, path, before=data_moved(app)) for path in paths}
        import logging

        request_log = logging.getLogger("dugnad")  # as under gunicorn: the log line written, to a file
        for handler in request_log.handlers:
            if getattr(handler, "_dugnad", False):
                handler.setStream(Path(instance, "requests.log").open("a"))
        cpu = cpu_per_request(app, in_process_cookie(app), ("/bench/", "/bench/widgets/members"))
        env = {"DUGNAD_DATABASE_URL": app_url, "DUGNAD_SECRET_KEY": "bench", "DUGNAD_INSTANCE_PATH": instance,
               "DUGNAD_LOG_FORMAT": "json", "PYTHONPATH": str(harness.ROOT)}
        with harness.gunicorn("ops.bench.bare:app", env) as bare_base, harness.gunicorn("dugnad.wsgi:app", env) as base:
            cookie = harness.login_cookie(base, "admin@bench.no", PASSWORD)
            harness.wrk(bare_base + "/bare", seconds=2)  # warm up
            harness.wrk(base + "/bench/", seconds=2, headers={"Cookie": cookie})
            bare = harness.wrk(bare_base + "/bare")
            dashboard = harness.wrk(base + "/bench/", headers={"Cookie": cookie})
            widget = harness.wrk(base + "/bench/widgets/members", headers={"Cookie": cookie, "HX-Request": "true"})
            # what a visitor waits for: the page, and then each widget it still loads with htmx
            request = urllib.request.Request(base + "/bench/", headers={"Cookie": cookie})
            later = urllib.request.urlopen(request, timeout=60).read().decode().count('hx-trigger="load"')
            bare_again = harness.wrk(bare_base + "/bare")
    baseline = (bare["rps"] + bare_again["rps"]) / 2
    figures = {
        "bare_route": {"first": bare, "last": bare_again},
        "dashboard_1000_rows": dashboard,
        "members_widget_1000_rows": widget,
        "dashboard_throughput_vs_bare": round(dashboard["rps"] / baseline, 3),
        "widget_throughput_vs_bare": round(widget["rps"] / baseline, 3),
        "widgets_loaded_after_the_page": later,
        # the page and its later widget requests, each at the members widget's rate
        "dashboard_with_widgets_vs_bare": round(1 / (1 / dashboard["rps"] + later / widget["rps"]) / baseline, 3),
        "dashboard_p50_vs_bare": round(dashboard["p50_ms"] / ((bare["p50_ms"] + bare_again["p50_ms"]) / 2), 2),
        "in_process_cpu_per_request": cpu,
        "queries_10_rows": few,
        "queries_1000_rows": many,
        "queries_10_rows_rendered_afresh": few_afresh,
        "queries_1000_rows_rendered_afresh": many_afresh,
    }
    print(f"bare Flask route        {baseline:8.0f} req/s (drift between first and last run: "
          f"{abs(bare['rps'] - bare_again['rps']) / baseline:.0%})")
    print(f"dashboard (1,000 rows)  {dashboard['rps']:8.0f} req/s = {figures['dashboard_throughput_vs_bare']:.2f} × bare; "
          f"p50 {dashboard['p50_ms']:.1f} ms, p99 {dashboard['p99_ms']:.1f} ms; non-2xx {dashboard['non_2xx']}")
    print(f"members widget          {widget['rps']:8.0f} req/s = {figures['widget_throughput_vs_bare']:.2f} × bare")
    print(f"dashboard as a visitor gets it (the page + {later} widget requests after it) "
          f"= {figures['dashboard_with_widgets_vs_bare']:.3f} × bare")
    print(f"in-process CPU/request  bare {cpu['bare']['cpu_us']} µs; dashboard {cpu['/bench/']['cpu_us']} µs = "
          f"{cpu['/bench/']['vs_bare']} × bare; widget {cpu['/bench/widgets/members']['cpu_us']} µs = "
          f"{cpu['/bench/widgets/members']['vs_bare']} × bare (median of per-batch ratios)")
    print(f"  the dashboard through Flask (a browser's first look at a page kept for it) "
          f"{cpu['/bench/ through Flask']['cpu_us']} µs = {cpu['/bench/ through Flask']['vs_bare']} × bare")
    print(f"queries, 10 rows        {few}")
    print(f"queries, 1,000 rows     {many}")
    print(f"  rendered afresh       {few_afresh} (10 rows) / {many_afresh} (1,000 rows)")
    print(f"saved {harness.save('dashboard', figures)}")
    if few != many or few_afresh != many_afresh or dashboard["non_2xx"] or widget["non_2xx"]:
        raise SystemExit("query count grew with rows, or requests failed")


if __name__ == "__main__":
    main()
