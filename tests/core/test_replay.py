"""Kept answers given again to the same browser without Flask (``dugnad.web.replay``): only
what the general path would answer the same, and never once anything under it changed."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import delete, update

from dugnad import clock, versions
from dugnad.accounts.logins import LoginSession
from dugnad.accounts.models import Membership, User
from dugnad.extensions import db
from dugnad.tenancy import Tenant, tenant_context
from dugnad.tenancy.models import TenantPlugin
from dugnad.web import replay
from tests.conftest import REDIS_URL, login

DASHBOARD = "/alpha/"


@pytest.fixture
def flask_calls(app, monkeypatch):
    """How many requests reached Flask (behind the kept answers)."""
    kept = app.extensions["dugnad.kept_answers"]
    inner, calls = kept.inner, []

    def counted(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    monkeypatch.setattr(kept, "inner", counted)
    return calls


def _kept_for(app, path):
    kept = [answer for key, answer in app.extensions["dugnad.kept_answers"]._kept.items() if key[1] == path]
    assert len(kept) <= 1
    return kept[0] if kept else None


def _warm(client, path=DASHBOARD, **kwargs):
    """The first request renders and keeps the page; the second is served from the page
    cache by Flask and recorded; from the third on it is given again."""
    first = client.get(path, **kwargs)
    second = client.get(path, **kwargs)
    assert first.status_code == second.status_code == 200
    return second


def test_the_dashboard_asked_again_is_answered_without_flask(app, world, client_as, flask_calls, queries):
    cora = client_as("alpha_coordinator")
    kept = _warm(cora)
    flask_calls.clear()
    queries.statements.clear()
    again = cora.get(DASHBOARD)
    assert flask_calls == [] and queries.statements == []
    assert again.status_code == 200 and again.data == kept.data and b"Cora Coordinator" in again.data
    assert again.headers["Content-Security-Policy"] == kept.headers["Content-Security-Policy"]
    assert again.headers["Cache-Control"] == "no-store" and again.headers["X-Request-Id"] != kept.headers["X-Request-Id"]
    assert "Set-Cookie" not in again.headers


def test_another_person_of_the_same_role_never_gets_it(app, world, client_as, flask_calls):
    cora, rita = client_as("alpha_coordinator"), client_as("alpha_readonly")  # both coordinators
    _warm(cora)
    flask_calls.clear()
    theirs = rita.get(DASHBOARD).data
    assert flask_calls == [DASHBOARD]
    assert b"Rita Readonly" in theirs and b"Cora Coordinator" not in theirs


def test_another_language_or_address_is_asked_afresh(app, world, client_as, flask_calls):
    cora = client_as("alpha_coordinator")
    _warm(cora)
    flask_calls.clear()
    cora.get(DASHBOARD, headers={"Accept-Language": "en"})
    cora.get(DASHBOARD, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    cora.get(DASHBOARD, headers={"User-Agent": "Another browser"})
    assert flask_calls == [DASHBOARD] * 3


def _as_member_renamed(app, world):
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.users["alpha_coordinator"]).values(name="Cora Renamed"))
        db.session.commit()


def _role_taken(app, world):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        db.session.execute(update(Membership).where(Membership.user_id == world.users["alpha_coordinator"])
                           .values(role="member"))
        db.session.commit()


def _removed(app, world):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        db.session.execute(delete(Membership).where(Membership.user_id == world.users["alpha_coordinator"]))
        db.session.commit()


def _login_ended(app, world):
    with app.app_context():
        db.session.execute(update(LoginSession).values(ended_at=clock.utcnow()))
        db.session.commit()


def _suspended(app, world):
    with app.app_context():
        db.session.execute(update(Tenant).where(Tenant.id == world.tenants["alpha"])
                           .values(status="suspended", suspended_reason="Stengt for vedlikehald"))
        db.session.commit()


def _plugin_off(app, world):
    with app.app_context():
        db.session.execute(update(TenantPlugin).where(TenantPlugin.tenant_id == world.tenants["alpha"],
                                                      TenantPlugin.plugin == "sample").values(enabled=False))
        db.session.commit()


def _data_moved(app, world):
    with app.app_context():
        versions.data_changed(world.tenants["alpha"])


@pytest.mark.parametrize("change, then", [
    (_as_member_renamed, lambda r: r.status_code == 200 and b"Cora Renamed" in r.data),
    (_role_taken, lambda r: b"Cora Coordinator" in r.data and r.status_code in (200, 302, 403)),
    (_removed, lambda r: r.status_code == 404),
    (_login_ended, lambda r: r.status_code == 302),
    (_suspended, lambda r: b"Stengt for vedlikehald" in r.data),
    (_plugin_off, lambda r: r.status_code == 200),
    (_data_moved, lambda r: r.status_code == 200),
], ids=["renamed", "role-taken", "removed", "login-ended", "suspended", "plugin-switched", "data-moved"])
def test_a_change_under_it_is_answered_by_flask_at_the_next_request(app, world, client_as, flask_calls, change, then):
    cora = client_as("alpha_coordinator")
    _warm(cora)
    flask_calls.clear()
    change(app, world)
    answer = cora.get(DASHBOARD)
    assert flask_calls == [DASHBOARD], "a change under the page must reach Flask"
    assert then(answer), (answer.status_code, answer.data[:300])


def test_what_changed_with_the_role_is_what_flask_says(app, world, client_as, flask_calls):
    """Not just "asked afresh": the answer is the one a first request now gets."""
    cora = client_as("alpha_coordinator")
    _warm(cora)
    _role_taken(app, world)
    after = cora.get(DASHBOARD)
    fresh = client_as("alpha_coordinator").get(DASHBOARD)
    assert after.status_code == fresh.status_code
    assert (after.headers.get("Location"), b"Cora Coordinator" in after.data) == \
        (fresh.headers.get("Location"), b"Cora Coordinator" in fresh.data)


def test_time_ends_it_the_next_day_and_when_the_login_is_due(app, world, client_as, flask_calls, monkeypatch):
    cora = client_as("alpha_coordinator")
    _warm(cora)
    kept = _kept_for(app, DASHBOARD)
    # the page's ttl, the login's "last seen" touch (five minutes) and its expiry bound it
    assert kept.until <= replay.time.time() + 300
    flask_calls.clear()
    later = kept.until + 1
    with monkeypatch.context() as patched:
        patched.setattr(replay.time, "time", lambda: later)
        cora.get(DASHBOARD)
    assert flask_calls == [DASHBOARD]
    _warm(cora)
    flask_calls.clear()
    tomorrow = clock.today().toordinal() + 1
    with monkeypatch.context() as patched:
        patched.setattr(clock, "today", lambda: type(kept.day).fromordinal(tomorrow))
        cora.get(DASHBOARD)
    assert flask_calls == [DASHBOARD]


def test_a_page_the_cache_did_not_answer_is_never_given_again(app, world, client_as, flask_calls):
    admin = client_as("alpha_admin")
    for _ in range(3):
        assert admin.get("/alpha/admin/members/").status_code == 200
    assert flask_calls == ["/alpha/admin/members/"] * 3
    assert _kept_for(app, "/alpha/admin/members/") is None


def test_an_unknown_request_hook_keeps_every_request_in_flask(app, world, client_as, flask_calls):
    seen = []
    app.before_request_funcs.setdefault(None, []).append(lambda: seen.append(1))
    try:
        cora = client_as("alpha_coordinator")
        for _ in range(3):
            cora.get(DASHBOARD)
        assert len(seen) == 3 and flask_calls == [DASHBOARD] * 3
    finally:
        app.before_request_funcs[None].pop()


def test_a_request_with_a_body_or_another_method_goes_to_flask(app, world, client_as, flask_calls):
    cora = client_as("alpha_coordinator")
    _warm(cora)
    flask_calls.clear()
    cora.head(DASHBOARD)
    cora.get(DASHBOARD, data="x", content_type="text/plain")
    assert flask_calls == [DASHBOARD, DASHBOARD]


def test_it_writes_the_request_line_flask_would(app, world, client_as, caplog):
    cora = client_as("alpha_coordinator")
    _warm(cora)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="dugnad.request"):
        answer = cora.get(DASHBOARD, headers={"X-Request-Id": "abc123"})
    lines = [r for r in caplog.records if r.name == "dugnad.request"]
    assert len(lines) == 1 and answer.headers["X-Request-Id"] == "abc123"
    line = lines[0]
    assert (line.method, line.path, line.status, line.user_id, line.tenant_id, line.page_cache, line.request_id) == (
        "GET", DASHBOARD, 200, world.users["alpha_coordinator"], world.tenants["alpha"], ["hit"], "abc123")
    json.dumps({"ms": line.ms})


def test_switched_off_it_leaves_every_request_to_flask(app, world, client_as, flask_calls):
    app.config["DUGNAD_REPLAY_KEPT_ANSWERS"] = False
    try:
        cora = client_as("alpha_coordinator")
        for _ in range(3):
            cora.get(DASHBOARD)
        assert flask_calls == [DASHBOARD] * 3
    finally:
        app.config["DUGNAD_REPLAY_KEPT_ANSWERS"] = True


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis; CI runs this with DUGNAD_TEST_REDIS_URL")
def test_with_redis_a_change_through_another_server_ends_it_at_once(two_servers, world):
    """Two servers, one Redis: the stamps a kept answer rests on are read from Redis, so a
    write through server A ends what server B keeps for a browser, at B's next request."""
    b = two_servers[1].test_client()
    login(b, world.users["alpha_coordinator"])
    _warm(b)
    assert two_servers[1].extensions["dugnad.kept_answers"]._kept
    with two_servers[0].app_context():
        db.session.execute(update(User).where(User.id == world.users["alpha_coordinator"]).values(name="Cora Ny"))
        db.session.commit()
    assert b"Cora Ny" in b.get(DASHBOARD).data



def test_when_the_stamps_cannot_be_read_flask_answers(app, world, client_as, flask_calls, monkeypatch):
    from dugnad import cache

    cora = client_as("alpha_coordinator")
    _warm(cora)
    flask_calls.clear()

    def unreachable(*_args):
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(cache, "stamps_of_app", unreachable)
    assert cora.get(DASHBOARD).status_code == 200
    assert flask_calls == [DASHBOARD]
