"""How the municipality reaches PostgreSQL (and, on Citus, every worker node): ``SET LOCAL``
per transaction, with ``citus.propagate_set_commands = 'local'`` — never a session setting
that a pooled connection could carry into somebody else's transaction."""

import pytest
from sqlalchemy import text

from dugnad.extensions import db
from dugnad.tenancy import region_scope, tenant_context
from dugnad.tenancy.scoping import set_tenant_sql

pytestmark = pytest.mark.postgres

SETTINGS = text("SELECT current_setting('app.tenant_id', true), current_setting('app.region_scope', true), "
                "current_setting('citus.propagate_set_commands', true)")


def test_the_statement_is_set_local_and_made_in_one_place(app, world):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        statement = set_tenant_sql()
    assert statement == ("SET LOCAL citus.propagate_set_commands = 'local'; "
                         f"SET LOCAL app.tenant_id = '{world.tenants['alpha']}'; SET LOCAL app.region_scope = ''")
    with app.app_context(), region_scope("test"):
        assert set_tenant_sql().endswith("SET LOCAL app.tenant_id = ''; SET LOCAL app.region_scope = 'on'")


def test_each_transaction_gets_the_tenant_and_none_carries_it_over(app, database, world):
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL only; CI runs this with DUGNAD_TEST_DATABASE_URL")
    alpha, beta = world.tenants["alpha"], world.tenants["beta"]
    with app.app_context():
        db.engine.dispose()  # an empty pool: the connection checked out next is this test's, again
        with tenant_context(alpha):
            assert tuple(db.session.execute(SETTINGS).one()) == (str(alpha), "", "local")
            connection = db.session.connection().connection.dbapi_connection
            # switching municipality inside an open transaction follows at once
            with tenant_context(beta):
                assert db.session.execute(SETTINGS).one()[0] == str(beta)
            assert db.session.execute(SETTINGS).one()[0] == str(alpha)
            db.session.commit()
        # the connection, back in the pool: its next transaction starts with nothing set
        with connection.cursor() as cursor:
            cursor.execute(str(SETTINGS))
            assert tuple(cursor.fetchone())[:2] in {("", ""), (None, None)}
        connection.rollback()
        assert tuple(db.session.execute(SETTINGS).one())[:2] == ("", "")
        db.session.rollback()
        with region_scope("test"):
            assert tuple(db.session.execute(SETTINGS).one())[:2] == ("", "on")
        db.session.rollback()
        db.session.remove()


def test_a_region_scope_inside_another_sends_no_setting_and_leaves_the_right_one(app, database, world, queries):
    """Inside a region scope PostgreSQL's settings are already those of another: the inner one
    sends nothing on entering or leaving; a municipality inside it still gets its own, and
    leaving the outer scope ends it."""
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL only; CI runs this with DUGNAD_TEST_DATABASE_URL")
    alpha = world.tenants["alpha"]
    with app.app_context():
        with region_scope("outer"):
            assert tuple(db.session.execute(SETTINGS).one())[:2] == ("", "on")
            queries.statements.clear()
            with region_scope("inner"):
                assert tuple(db.session.execute(SETTINGS).one())[:2] == ("", "on")
                with tenant_context(alpha):
                    assert tuple(db.session.execute(SETTINGS).one())[:2] == (str(alpha), "")
                assert tuple(db.session.execute(SETTINGS).one())[:2] == ("", "on")
            assert tuple(db.session.execute(SETTINGS).one())[:2] == ("", "on")
            assert sum("SET LOCAL" in s for s in queries.statements) == 2, queries.statements  # alpha's, and back
        assert tuple(db.session.execute(SETTINGS).one())[:2] == ("", "")
        db.session.rollback()
        db.session.remove()
