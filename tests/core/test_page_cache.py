"""Role-level page caches (``dugnad.web.pagecache``) and the data versions under them
(``dugnad.versions``): rendered once per municipality, role, language and version, served
without the database or Jinja, and never to anyone the page was not the same for."""

from __future__ import annotations

import pytest
from flask import g
from flask_wtf.csrf import generate_csrf
from sqlalchemy import delete, text, update

from dugnad import cache, versions
from dugnad.accounts.models import Invitation, Membership, User
from dugnad.extensions import db
from dugnad.tenancy import Tenant, tenant_context
from dugnad.web import pagecache
from tests.conftest import REDIS_URL, login

FRAGMENT = {"HX-Request": "true"}
MEMBERS = "/alpha/widgets/members"


def _own(queries) -> list[str]:
    return [s for s in queries.statements if not s.lstrip().upper().startswith("SET LOCAL")]


def test_a_fragment_is_rendered_once_then_served_with_no_statement(app, world, client_as, queries):
    client = client_as("alpha_admin")
    first = client.get(MEMBERS, headers=FRAGMENT)
    assert first.status_code == 200 and b"figure-list" in first.data
    queries.statements.clear()
    again = client.get(MEMBERS, headers=FRAGMENT)
    assert again.data == first.data
    # the login and the membership are kept too: no widget query, no navigation, no Jinja, no login check
    assert _own(queries) == [], queries.statements


def test_a_write_in_the_municipality_is_seen_at_the_next_request(app, world, client_as):
    client = client_as("alpha_admin")
    client.get(MEMBERS, headers=FRAGMENT)
    assert '<span class="figure">0</span> Fasilitator' in client.get(MEMBERS, headers=FRAGMENT).data.decode()
    with app.app_context(), tenant_context(world.tenants["alpha"]):  # another request, a job or a command
        db.session.execute(update(Membership).where(Membership.user_id == world.users["alpha_member"])
                           .values(role="facilitator"))
        db.session.commit()
    assert '<span class="figure">1</span> Fasilitator' in client.get(MEMBERS, headers=FRAGMENT).data.decode()


def test_a_rolled_back_write_moves_nothing_and_a_committed_one_moves_only_its_municipality(app, world):
    alpha, beta = world.tenants["alpha"], world.tenants["beta"]
    with app.app_context():
        before = cache.get_fresh("nothing", versions.stamps_of(alpha))[1], cache.get_fresh("nothing", versions.stamps_of(beta))[1]
        with tenant_context(alpha):
            db.session.add(Invitation(email="new@alpha.test", role="member", token_hash="x" * 64))
            db.session.flush()
            db.session.rollback()
        assert (cache.get_fresh("nothing", versions.stamps_of(alpha))[1],
                cache.get_fresh("nothing", versions.stamps_of(beta))[1]) == before
        with tenant_context(alpha):
            db.session.add(Invitation(email="new@alpha.test", role="member", token_hash="x" * 64))
            db.session.commit()
        after = cache.get_fresh("nothing", versions.stamps_of(alpha))[1], cache.get_fresh("nothing", versions.stamps_of(beta))[1]
    assert after[0] != before[0] and after[1] == before[1]


def test_plain_sql_writes_move_the_version_too(app, world):
    alpha = world.tenants["alpha"]
    with app.app_context():
        before = cache.get_fresh("nothing", versions.stamps_of(alpha))[1]
        with tenant_context(alpha):
            db.session.execute(text("UPDATE membership SET role = 'member' WHERE user_id = :u"),
                               {"u": world.users["alpha_member"]})
            db.session.commit()
        assert cache.get_fresh("nothing", versions.stamps_of(alpha))[1] != before


def test_each_role_gets_its_own_fragment(app, world, client_as):
    admin, member = client_as("alpha_admin"), client_as("alpha_member")
    assert b"/alpha/admin/members/" in admin.get(MEMBERS, headers=FRAGMENT).data  # kept for admins
    assert b"/alpha/admin/members/" not in member.get(MEMBERS, headers=FRAGMENT).data
    assert b"/alpha/admin/members/" in admin.get(MEMBERS, headers=FRAGMENT).data


def test_each_language_gets_its_own_fragment(app, world, client_as):
    client = client_as("alpha_admin")
    client.get(MEMBERS, headers={**FRAGMENT, "Accept-Language": "en"})
    with client.session_transaction() as session:
        session["lang"] = "nb"
    nb = client.get(MEMBERS, headers=FRAGMENT).data
    with client.session_transaction() as session:
        session["lang"] = "en"
    en = client.get(MEMBERS, headers=FRAGMENT).data
    assert b"Administrator" in nb and b"Admin" in en and en != nb


def test_whole_pages_of_a_logged_in_person_are_not_kept(app, world, client_as):
    """A page has the reader's name and menu in it: only its fragments are kept."""
    alma, cora = client_as("alpha_admin"), client_as("alpha_coordinator")
    page = "/alpha/processes/widget"
    assert b"Alma Admin" in alma.get(page).data
    assert b"Alma Admin" not in cora.get(page).data


def test_the_dashboard_is_kept_for_each_person_alone(app, world, client_as, queries):
    """The whole dashboard (name and menu in it) is kept per person: served warm with the
    database asked nothing, never to another person of the same role, and renamed at once."""
    cora, rita = client_as("alpha_coordinator"), client_as("alpha_readonly")  # both coordinators
    first = cora.get("/alpha/")
    assert b"Cora Coordinator" in first.data
    queries.statements.clear()
    again = cora.get("/alpha/")
    assert _own(queries) == [], queries.statements
    assert again.data.replace(generate_token_of(again), b"") == first.data.replace(generate_token_of(first), b"")
    theirs = rita.get("/alpha/").data
    assert b"Rita Readonly" in theirs and b"Cora Coordinator" not in theirs
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.users["alpha_coordinator"]).values(name="Cora Renamed"))
        db.session.commit()
    renamed = cora.get("/alpha/").data
    assert b"Cora Renamed" in renamed and b"Cora Coordinator" not in renamed


def generate_token_of(response) -> bytes:
    """The CSRF token in a page (each answer carries the reader's own)."""
    import re

    return re.search(rb'name="csrf-token" content="([^"]+)"', response.data).group(1)


def test_a_removed_member_loses_a_kept_fragment_at_the_next_request(app, world, client_as):
    client = client_as("alpha_member")
    assert client.get(MEMBERS, headers=FRAGMENT).status_code == 200
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        db.session.execute(delete(Membership).where(Membership.user_id == world.users["alpha_member"]))
        db.session.commit()
    assert client.get(MEMBERS, headers=FRAGMENT).status_code == 404


def test_a_suspended_municipality_is_seen_at_the_next_request(app, world, client_as):
    client = client_as("alpha_admin")
    assert client.get("/alpha/").status_code == 200  # the municipality is kept now
    with app.app_context():
        db.session.execute(update(Tenant).where(Tenant.id == world.tenants["alpha"])
                           .values(status="suspended", suspended_reason="Kept no more"))
        db.session.commit()
    assert b"Kept no more" in client.get("/alpha/").data


def test_the_readers_own_csrf_token_is_put_in(app):
    with app.test_request_context("/"):
        token = generate_csrf()
        kept = pagecache._without_token(f'<input name="csrf_token" value="{token}"><p>{token}</p>')
        assert token not in kept and kept.count(pagecache.CSRF_MARK) == 2
    with app.test_request_context("/"):  # another reader, another session
        g.pop("csrf_token", None)
        served = pagecache._with_token(kept)
        theirs = generate_csrf()
        assert theirs != token and served == f'<input name="csrf_token" value="{theirs}"><p>{theirs}</p>'


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis; CI runs this with DUGNAD_TEST_REDIS_URL")
def test_two_app_servers_share_kept_fragments_and_stamps_through_redis(two_servers, world):
    """Two servers of one database: a fragment kept by one is served by the other, and a
    write through one is seen through the other at its next request (``ops/scaleout.py``
    checks the same with two gunicorns)."""
    from redis import Redis

    with two_servers[0].app_context():
        prefix = cache._prefix()
    a, b = (server.test_client() for server in two_servers)
    for client in (a, b):
        login(client, world.users["alpha_admin"])
    kept = a.get(MEMBERS, headers=FRAGMENT).data
    assert '<span class="figure">0</span> Fasilitator' in kept.decode()
    assert any(Redis.from_url(REDIS_URL).scan_iter(prefix + "page:*"))
    assert b.get(MEMBERS, headers=FRAGMENT).data == kept
    with two_servers[0].app_context(), tenant_context(world.tenants["alpha"]):
        db.session.execute(update(Membership).where(Membership.user_id == world.users["alpha_member"])
                           .values(role="facilitator"))
        db.session.commit()
    assert '<span class="figure">1</span> Fasilitator' in b.get(MEMBERS, headers=FRAGMENT).data.decode()


class _Counted:
    """A Redis connection that counts the round trips made through it."""

    def __init__(self, connection):
        self.connection, self.calls = connection, []

    def __getattr__(self, name):
        attribute = getattr(self.connection, name)
        if name in ("get", "mget", "set", "incr", "pipeline"):
            def counted(*args, **kwargs):
                self.calls.append(name)
                return attribute(*args, **kwargs)

            return counted
        return attribute


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis; CI runs this with DUGNAD_TEST_REDIS_URL")
def test_with_redis_a_kept_dashboard_is_one_read_of_the_stamps_and_at_most_one_of_the_page(two_servers, world, queries):
    server = two_servers[0]
    client = server.test_client()
    login(client, world.users["alpha_admin"])
    client.get("/alpha/")
    client.get("/alpha/")
    with server.app_context():
        counted = server.extensions["dugnad.redis"] = _Counted(cache._redis())
    assert b"Alma Admin" in client.get("/alpha/").data
    assert counted.calls == ["mget"], counted.calls  # given again to this browser (dugnad.web.replay)
    server.config["DUGNAD_REPLAY_KEPT_ANSWERS"] = False
    counted.calls.clear()
    assert b"Alma Admin" in client.get("/alpha/").data
    assert counted.calls == ["mget", "get"], counted.calls  # through Flask: the stamps, then the page


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis; CI runs this with DUGNAD_TEST_REDIS_URL")
def test_with_redis_a_login_ended_through_one_server_is_refused_by_the_other_at_once(two_servers, world):
    """Each server keeps the login check in its own process; the ``logins`` stamp they are kept
    under lives in Redis, so ending the login through one counts at the other's next request."""
    from dugnad.accounts.logins import LoginSession
    from dugnad.clock import utcnow

    a, b = (server.test_client() for server in two_servers)
    login(a, world.users["alpha_admin"])
    b.set_cookie("session", a.get_cookie("session").value)  # the same browser, sent to either server
    for client in (a, b, a, b):  # warm in both
        assert client.get("/alpha/").status_code == 200
    with two_servers[0].app_context():  # through server a (its stamp files are not b's)
        db.session.execute(update(LoginSession).values(ended_at=utcnow()))
        db.session.commit()
    assert b.get("/alpha/").status_code == 302
    assert a.get("/alpha/").status_code == 302


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis; CI runs this with DUGNAD_TEST_REDIS_URL")
def test_with_redis_a_lost_stamp_never_brings_back_what_was_kept_before(two_servers, world):
    """Redis keeps nothing on disk: after a restart a stamp is gone. It comes back as a new
    random value, never as one an entry kept in a process could still match."""
    from redis import Redis

    server = two_servers[0]
    with server.app_context():
        before = cache.stamps_now((versions.LOGINS,))
        Redis.from_url(REDIS_URL).delete(cache._stamp_key(versions.LOGINS))
        after = cache.stamps_now((versions.LOGINS,))
        assert after != before and after == cache.stamps_now((versions.LOGINS,))
        cache.bump(versions.LOGINS)
        assert cache.stamps_now((versions.LOGINS,)) not in (before, after)


def test_a_person_renamed_inside_one_municipality_is_renamed_on_the_pages_the_others_keep(app, world):
    """``user_account`` belongs to no municipality: a write to it made with one municipality in
    context (an admin there correcting a name) moves the stamp every municipality's pages rest on."""
    alpha, beta = world.tenants["alpha"], world.tenants["beta"]
    with app.app_context():
        before = cache.get_fresh("nothing", versions.stamps_of(beta))[1]
        with tenant_context(alpha):
            db.session.execute(update(User).where(User.id == world.users["alpha_member"]).values(name="Ny Namn"))
            db.session.commit()
        assert cache.get_fresh("nothing", versions.stamps_of(beta))[1] != before


def test_every_table_of_no_municipality_says_which_stamp_its_writes_move(app):
    for table in db.metadata.sorted_tables:
        if "tenant_id" not in table.c:
            assert table.name in versions.GLOBAL_TABLES | versions.CONFIG_TABLES | versions.UNSHOWN_TABLES, table.name


def test_data_changed_moves_the_version_for_a_write_no_statement_shows(app, world):
    """A database function that writes inside a SELECT is invisible to the statement watch:
    its caller says so with ``data_changed``."""
    alpha = world.tenants["alpha"]
    with app.app_context():
        before = cache.get_fresh("nothing", versions.stamps_of(alpha))[1]
        with tenant_context(alpha):
            db.session.execute(text("SELECT 1"))
            db.session.commit()
        assert cache.get_fresh("nothing", versions.stamps_of(alpha))[1] == before
        with tenant_context(alpha):
            versions.data_changed()
        assert cache.get_fresh("nothing", versions.stamps_of(alpha))[1] != before


def test_which_write_moves_which_stamp():
    assert versions.stamp_for("tenant_plugin", 3) == versions.TENANTS
    assert versions.stamp_for("poll_ballot", 3) == "data:3"
    assert versions.stamp_for("user_account", None) == versions.PEOPLE
    assert versions.stamp_for("login_session", None) is None
