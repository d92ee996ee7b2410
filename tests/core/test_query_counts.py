"""A page's SQL count does not grow with its rows."""

import pytest

from dugnad.accounts.models import Membership, User
from dugnad.extensions import db
from dugnad.tenancy import tenant_context
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
    queries.statements.clear()
    assert client.get(path).status_code == 200
    few = queries.count
    _grow(app, world, password_hash, 200)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    assert queries.count == few, queries.statements


# What a page costs, pinned: a change that adds a round trip to a path shows here.
# The dashboard is its widgets too (rendered in the first response, not one request each):
# eight with the newcomer and recruitment plugins. Every page asks once whether the reader
# leads or mentors a recruitment candidate (the plugin's menu item shows only then).
# (Statements of the page itself: PostgreSQL's per-transaction tenant setting (SET LOCAL) for
# row-level security is not counted here, so the pins hold on SQLite and PostgreSQL alike.)
PINNED = {"/alpha/": 26, "/alpha/widgets/members": 6, "/alpha/admin/members/": 6, "/region/benchmarks/?period=2025": 3,
          "/region/benchmarks/metric?key=sample.notes&period=2025": 2}


@pytest.mark.parametrize("path", list(PINNED))
def test_the_statement_count_of_a_path_is_pinned(app, world, client_as, queries, path):
    client = client_as("region" if path.startswith("/region") else "alpha_admin")
    client.get(path)  # warm: first-request work such as loading the user, a page kept in the cache
    queries.statements.clear()
    assert client.get(path).status_code == 200
    mine = [s for s in queries.statements if not _tenant_setting(s)]
    assert len(mine) == PINNED[path], mine


def test_a_municipality_and_its_plugins_are_one_statement(app, world, client_as, queries):
    client = client_as("alpha_admin")
    client.get("/alpha/")
    queries.statements.clear()
    client.get("/alpha/")
    assert not any(s.lstrip().startswith("SELECT tenant_plugin.plugin") for s in queries.statements)
    assert sum("FROM tenant \n" in s or "FROM tenant\n" in s for s in queries.statements) == 1, queries.statements


def _tenant_setting(statement: str) -> bool:
    """PostgreSQL's per-transaction tenant setting for row-level security (not the page's own work)."""
    return "set_config(" in statement or statement.lstrip().upper().startswith("SET LOCAL")


# A voting card's vote (htmx, the answer is the confirmation): one call of the database
# function dugnad_cast_card on PostgreSQL; on SQLite (the embedded demo) its steps, one
# statement each. Finding the municipality is the request path's and is left out here.
VOTE_PINNED = {"postgresql": 1, "sqlite": 7}


def test_the_statement_count_of_a_card_vote_is_pinned(app, world, queries):
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
    phone.get(f"/alpha/vote/{code}")  # the phone opens its card (and so holds it)
    phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "2"}, headers={"HX-Request": "true"})  # warm
    queries.statements.clear()
    answer = phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1", f"dots-{b}": "1"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    mine = [s for s in queries.statements if not _tenant_setting(s) and "FROM tenant" not in s]
    assert len(mine) == VOTE_PINNED[dialect], mine
