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
    print(f"queries, 10 rows        {few}")
    print(f"queries, 1,000 rows     {many}")
    print(f"  rendered afresh       {few_afresh} (10 rows) / {many_afresh} (1,000 rows)")
    print(f"saved {harness.save('dashboard', figures)}")
    if few != many or few_afresh != many_afresh or dashboard["non_2xx"] or widget["non_2xx"]:
        raise SystemExit("query count grew with rows, or requests failed")


if __name__ == "__main__":
    main()
