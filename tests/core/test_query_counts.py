"""A page's SQL count does not grow with its rows."""

import re

import pytest
from sqlalchemy import delete, event, update

from dugnad import cache
from dugnad.accounts.models import Membership, User
from dugnad.extensions import db
from dugnad.tenancy import TenantPlugin, tenant_context
from tests.support.sample_plugin.models import Note


def _grow(app, world, password_hash, n: int) -> None:
    with app.app_context():
        users = [User(email=f"person{i}@alpha.test", name=f"Person {i}", password_hash=password_hash) for i in range(n)]
        db.session.add_all(users)
        db.session.flush()
        with tenant_context(world.tenants["alpha"]):
            db.session.add_all(Membership(user_id=u.id, role="member") for u in users)
            db.session.add_all(Note(text=f"note {i}") for i in range(n))
            db.session.commit()


PAGES = ["/alpha/", "/alpha/widgets/members", "/alpha/admin/members/", "/alpha/notes/", "/alpha/notes/widget",
         "/alpha/admin/audit/", "/alpha/admin/outbox/", "/me"]


@pytest.mark.parametrize("path", PAGES)
def test_query_count_is_the_same_with_few_and_many_rows(app, world, client_as, queries, password_hash, path):
    client = client_as("alpha_admin")
    client.get(path)  # warm: first-request work such as loading the user
    cache.clear_local()  # measure the page rendered afresh (as after a write), not served from a cache
    queries.statements.clear()
    assert client.get(path).status_code == 200
    few = queries.count
    _grow(app, world, password_hash, 200)
    cache.clear_local()
    queries.statements.clear()
    assert client.get(path).status_code == 200
    assert queries.count == few, queries.statements


# What a page costs, pinned: a change that adds a round trip to a path shows here.
# A member's login and person are kept under the ``logins`` stamp (anything that may end or
# change a login moves it, so revocation counts at once) and asked for no more on a warm
# request; their membership here is kept per data version (a removal moves it). The
# municipality and its plugins come from the cache while the ``tenants`` stamp stands.
# The dashboard is its widgets too (rendered in the first response, not one request each):
# eight with the newcomer and recruitment plugins; the whole page, with the reader's name
# and menu, is kept for that person per data version (``same_for_person``), so a warm
# dashboard asks the database nothing. Other pages ask once whether the reader leads or
# mentors a recruitment candidate (the plugin's menu item shows only then).
# (Statements of the page itself: PostgreSQL's per-transaction tenant setting (SET LOCAL) for
# row-level security is not counted here, so the pins hold on SQLite and PostgreSQL alike.)
PINNED = {"/alpha/": 0, "/alpha/widgets/members": 3, "/alpha/admin/members/": 3, "/region/benchmarks/?period=2025": 2,
          "/region/benchmarks/metric?key=sample.notes&period=2025": 1}
# The same pages rendered afresh, with every cache empty (as after a write under them): the
# login's one statement comes back, the municipality's, the membership's, and every widget's own.
PINNED_COLD = {"/alpha/": 26, "/alpha/widgets/members": 6, "/alpha/admin/members/": 6}


@pytest.mark.parametrize("path", list(PINNED))
def test_the_statement_count_of_a_path_is_pinned(app, world, client_as, queries, path):
    client = client_as("region" if path.startswith("/region") else "alpha_admin")
    client.get(path)  # warm: first-request work such as loading the user, a page kept in the cache
    queries.statements.clear()
    assert client.get(path).status_code == 200
    mine = [s for s in queries.statements if not _tenant_setting(s)]
    assert len(mine) == PINNED[path], mine


def _rendered_afresh(client, queries, path) -> list[str]:
    """The statements of ``path`` asked again with every cache emptied, but the settings."""
    client.get(path)
    cache.clear_local()
    queries.statements.clear()
    assert client.get(path).status_code == 200
    return [s for s in queries.statements if not _tenant_setting(s)]


@pytest.mark.parametrize("path", list(PINNED_COLD))
def test_the_statement_count_of_a_path_rendered_afresh_is_pinned(app, world, client_as, queries, path):
    mine = _rendered_afresh(client_as("alpha_admin"), queries, path)
    assert len(mine) == PINNED_COLD[path], mine


# The region's dashboard computed afresh, every cache empty: the login, the data version, the
# municipalities with their KOSTRA groups, sharing, the snapshots, the population, Statistics
# Norway's columns, the periods with figures (read once, also to choose the newest period when
# none is asked for) and the last run. On PostgreSQL the region scope is set once for all of them
# (a scope inside it sends nothing), not once per read: 2 settings, not 7.
PINNED_REGION_COLD = {"/region/benchmarks/?period=2025": 9, "/region/benchmarks/": 9}


@pytest.mark.parametrize("path", list(PINNED_REGION_COLD))
def test_the_statement_count_of_the_region_dashboard_computed_afresh_is_pinned(app, world, client_as, queries,
                                                                               database, path):
    mine = _rendered_afresh(client_as("region"), queries, path)
    assert len(mine) == PINNED_REGION_COLD[path], mine
    if database.dialect == "postgresql":
        assert len(queries.statements) - len(mine) == 2, queries.statements


def _tenant_statements(queries) -> int:
    return sum("FROM tenant \n" in s or "FROM tenant\n" in s for s in queries.statements)


def test_a_municipality_and_its_plugins_are_one_statement_then_kept_until_they_change(app, world, client_as, queries):
    client = client_as("alpha_admin")
    client.get("/alpha/")
    cache.clear_local()
    queries.statements.clear()
    client.get("/alpha/")
    assert not any(s.lstrip().startswith("SELECT tenant_plugin.plugin") for s in queries.statements)
    assert _tenant_statements(queries) == 1, queries.statements
    queries.statements.clear()
    assert client.get("/alpha/notes/").status_code == 200
    assert _tenant_statements(queries) == 0, queries.statements  # kept: no round trip
    with app.app_context():  # the region switches the sample plugin off for alpha (another request, a job)
        db.session.execute(update(TenantPlugin).where(TenantPlugin.tenant_id == world.tenants["alpha"],
                                                      TenantPlugin.plugin == "sample").values(enabled=False))
        db.session.commit()
    queries.statements.clear()
    assert client.get("/alpha/notes/").status_code == 404  # seen at the next request
    assert _tenant_statements(queries) == 1, queries.statements


def test_the_card_votes_municipality_is_read_from_where_find_tenant_keeps_it(app, world, client_as, monkeypatch):
    """``tenant_columns`` (the lean card vote) finds the municipality that ``find_tenant`` kept
    in this process, without making a Tenant (they once looked in two different stores, so
    every card vote missed and made one), and sees a change at the next call."""
    from dugnad.web import routing

    client_as("alpha_admin").get("/alpha/")  # find_tenant keeps it
    with app.test_request_context("/"):
        monkeypatch.setattr(routing, "find_tenant", lambda slug: pytest.fail("tenant_columns missed the kept tenant"))
        columns, enabled = routing.tenant_columns("alpha")
        assert columns["id"] == world.tenants["alpha"] and columns["slug"] == "alpha" and "sample" in enabled
        monkeypatch.undo()
    with app.app_context():
        db.session.execute(update(TenantPlugin).where(TenantPlugin.tenant_id == world.tenants["alpha"],
                                                      TenantPlugin.plugin == "sample").values(enabled=False))
        db.session.commit()
    with app.test_request_context("/"):
        assert "sample" not in routing.tenant_columns("alpha")[1]


def test_the_login_and_the_membership_are_kept_until_they_change(app, world, client_as, queries):
    """The person and their login arrive in one statement, then are kept under the ``logins``
    stamp; their role here is kept per data version, and a member removed is refused at the
    very next request."""
    client = client_as("alpha_member")
    client.get("/alpha/notes/")
    cache.clear_local()
    queries.statements.clear()
    assert client.get("/alpha/notes/").status_code == 200
    [check] = [s for s in queries.statements if "FROM login_session" in s]
    assert "JOIN user_account" in check, check
    queries.statements.clear()
    assert client.get("/alpha/notes/").status_code == 200
    assert not any("FROM membership" in s or "FROM login_session" in s for s in queries.statements), queries.statements
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        db.session.execute(delete(Membership).where(Membership.user_id == world.users["alpha_member"]))
        db.session.commit()
    assert client.get("/alpha/notes/").status_code == 404
    assert client.get("/alpha/").status_code == 404


def _tenant_setting(statement: str) -> bool:
    """PostgreSQL's per-transaction tenant setting for row-level security (not the page's own work)."""
    return "set_config(" in statement or statement.lstrip().upper().startswith("SET LOCAL")


# A voting card's vote (htmx, the answer is the confirmation), a change of mind, through
# the lean path in front of Flask (``voting.lean``): on PostgreSQL one statement, the
# tenant's setting for row-level security included, sent as its own transaction (no BEGIN
# or COMMIT round trip); on SQLite (the embedded demo) the function's steps, one statement
# each (the card's has_voted, already true, is left alone). Finding the municipality is
# kept under the tenants stamp (warm: no statement) and is left out here.
VOTE_PINNED = {"postgresql": 1, "sqlite": 6}


def test_the_statement_count_of_a_card_vote_is_pinned(app, world, queries, caplog):
    from dugnad.processes import service as processes
    from dugnad.voting import service as voting

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "P", None)
        poll = voting.create_poll(process, title="Q", method="dot", options=["A", "B", "C"])
        voting.open_poll(poll)
        [(_voter, code)] = voting.issue_links(poll, 1)
        a, b, _c = [o.id for o in voting.options_of(poll)]
        db.session.commit()
        dialect = db.engine.dialect.name
    phone = app.test_client()
    page = phone.get(f"/alpha/vote/{code}")  # the phone opens its card (and so holds it)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the lean path takes only a vote with a valid token
    try:
        _pinned_card_vote(app, phone, code, token, a, b, dialect, queries)
        assert [r.pathname.endswith("lean.py") for r in caplog.records if r.name == "dugnad.request"][-2:] == [
            True, True]  # both votes took the lean path
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _pinned_card_vote(app, phone, code, token, a, b, dialect, queries):
    phone.post(f"/alpha/vote/{code}", data={"csrf_token": token, f"dots-{a}": "2"}, headers={"HX-Request": "true"})  # warm
    in_transaction_block = []
    sent = []  # on PostgreSQL, every statement the driver sends (the vote's goes past SQLAlchemy)

    def note(conn, cursor, statement, parameters, context, executemany):
        if "dugnad_cast_card" in statement:
            in_transaction_block.append(not conn.connection.dbapi_connection.autocommit)

    patch = pytest.MonkeyPatch()
    if dialect == "postgresql":
        import psycopg

        execute = psycopg.Cursor.execute

        def driver_execute(cursor, query, params=None, **kwargs):
            sent.append(str(query))
            if "dugnad_cast_card" in str(query):
                in_transaction_block.append(not cursor.connection.autocommit)
            return execute(cursor, query, params, **kwargs)

        patch.setattr(psycopg.Cursor, "execute", driver_execute)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
    queries.statements.clear()
    try:
        answer = phone.post(f"/alpha/vote/{code}", data={"csrf_token": token, f"dots-{a}": "1", f"dots-{b}": "1"},
                            headers={"HX-Request": "true"})
    finally:
        patch.undo()
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", note)
    assert answer.status_code == 200
    mine = [s for s in queries.statements if "FROM tenant" not in s]
    if dialect == "sqlite":
        mine = [s for s in mine if not _tenant_setting(s)]
    assert len(mine) == VOTE_PINNED[dialect], mine
    if dialect == "postgresql":  # and the driver sends no more than that
        assert [s for s in sent if "FROM tenant" not in s] == mine, sent
        assert in_transaction_block == [False], "the vote's statement is its own transaction"
