"""Fixtures shared by the whole suite.

The suite runs on SQLite + inline jobs by default. With DUGNAD_TEST_DATABASE_URL
(a PostgreSQL URL of a role that may create databases and roles) it creates its own
database, migrates it as the owner and connects the app as a separate non-owner role,
so row-level security is on. DUGNAD_TEST_REDIS_URL gives the job tests a real Redis.
With DUGNAD_TEST_CITUS_WORKERS (``host:port,…``) as well, the database URL is a Citus
coordinator's: the scratch database gets those worker nodes and, once migrated, is
distributed by municipality (``dugnad db distribute``), so the tests run across nodes.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import email_validator
import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from dugnad.accounts.models import Membership, User
from dugnad.accounts.security import hash_password
from dugnad.app import create_app
from dugnad.config import Settings
from dugnad.extensions import db
from dugnad.scratch import citus_nodes, grant_app_role, scratch_database
from dugnad.tenancy import Tenant, TenantPlugin, tenant_context

# The people of the tests have .test addresses, which e-mail-validator refuses outside its test mode.
email_validator.TEST_ENVIRONMENT = True

PG_URL = os.environ.get("DUGNAD_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("DUGNAD_TEST_REDIS_URL")
CITUS_WORKERS = [w for w in os.environ.get("DUGNAD_TEST_CITUS_WORKERS", "").split(",") if w]
SAMPLE_PLUGIN = "tests.support.sample_plugin"
PASSWORD = "correct horse battery staple"


@dataclass
class Database:
    app_url: str
    owner_url: str
    dialect: str
    app_role: str | None = None


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    if not PG_URL:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'dugnad-test.sqlite'}"
        yield Database(url, url, "sqlite")
        return
    with scratch_database(PG_URL, prefix="dugnad_test") as scratch:
        if CITUS_WORKERS:
            with citus_nodes(scratch.owner_url, scratch.app_role, CITUS_WORKERS):
                yield Database(scratch.app_url, scratch.owner_url, "postgresql", scratch.app_role)
            return
        yield Database(scratch.app_url, scratch.owner_url, "postgresql", scratch.app_role)


def make_settings(database: Database, instance: Path, **overrides) -> Settings:
    values = dict(
        instance_path=instance,
        database_url=database.app_url,
        redis_url=None,
        secret_key="test-secret-key",
        base_url="http://dugnad.test",
        extra_plugins=[SAMPLE_PLUGIN],
        log_json=False,
        queue_name=f"dugnad-test-{uuid.uuid4().hex[:8]}",
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def app(database, tmp_path_factory):
    from dugnad import migrations

    app = create_app(make_settings(database, tmp_path_factory.mktemp("instance")), testing=True)
    app.config["WTF_CSRF_ENABLED"] = False
    migrations.upgrade(app, url=database.owner_url)
    if CITUS_WORKERS:
        from dugnad.tenancy.distribute import distribute

        owner = create_engine(database.owner_url)
        distribute(owner, db.metadata)
        owner.dispose()
    if database.dialect == "postgresql":
        grant_app_role(database.owner_url, database.app_role)
    yield app


@pytest.fixture(scope="session")
def owner_engine(database):
    engine = create_engine(database.owner_url)
    yield engine
    engine.dispose()


def _wipe(owner_engine, dialect: str) -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    for attempt in range(10):
        try:
            with owner_engine.begin() as connection:
                if dialect == "postgresql" and CITUS_WORKERS:
                    connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
                elif dialect == "postgresql":
                    # DELETE, not TRUNCATE: a TRUNCATE of 85 tables makes new files for each table
                    # and index (≈1.3 s a test on a busy machine); deleting the few rows a test wrote
                    # takes milliseconds. Triggers (and so foreign keys) are off while it runs; the
                    # sequences start again at 1, as RESTART IDENTITY did.
                    connection.execute(text("SET LOCAL session_replication_role = replica"))
                    connection.exec_driver_sql("; ".join(f'DELETE FROM "{t}"' for t in tables))
                    connection.execute(text(
                        "SELECT setval(c.oid, 1, false) FROM pg_class c"
                        " WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"))
                else:
                    connection.execute(text("PRAGMA foreign_keys=OFF"))
                    for table in tables:
                        connection.execute(text(f'DELETE FROM "{table}"'))
            return
        except OperationalError:
            # a browser test's last request (a widget, a live count) may still be running in
            # the live server and hold a row the wipe needs: wait for it and try again
            if attempt == 9:
                raise
            time.sleep(0.3)


@pytest.fixture(autouse=True)
def _clean_database(request):
    if "app" not in request.fixturenames:
        yield
        return
    app, engine = request.getfixturevalue("app"), request.getfixturevalue("owner_engine")
    dialect = request.getfixturevalue("database").dialect
    yield
    with app.app_context():
        db.session.remove()
    _wipe(engine, dialect)
    from dugnad.voting import live

    live.clear()  # ids start again at 1 in the next test: no rendering may outlive its poll
    from dugnad import cache

    cache.clear_local()  # the same: a page kept for one test's data must not be served in the next
    app.extensions["dugnad.kept_answers"].clear()  # and no answer kept for one test's browser
    from tests.support import sample_plugin

    sample_plugin.calls.clear()


TENANTS = Path(__file__).resolve().parents[1] / "tenants"


@pytest.fixture(scope="session")
def _demo_seeded(app, owner_engine):
    """The demo seeded once per test process (it takes minutes on a busy machine): what the
    seeder printed, and the rows it made, which ``demo`` copies back into the cleaned
    database for every test that asks for it."""
    from dugnad.cli import seed_demo

    runner = app.test_cli_runner()
    assert runner.invoke(args=["tenants", "sync", str(TENANTS)]).exit_code == 0
    seeded = runner.invoke(seed_demo)
    assert seeded.exit_code == 0, seeded.output
    with app.app_context():
        db.session.remove()
    with owner_engine.connect() as connection:
        rows = [(table, [dict(row._mapping) for row in connection.execute(table.select())])
                for table in db.metadata.sorted_tables]
    return seeded, rows


@pytest.fixture(scope="session")
def _demo_rows(_demo_seeded):
    return _demo_seeded[1]


def _restore(owner_engine, dialect: str, rows) -> None:
    with owner_engine.begin() as connection:
        if dialect == "postgresql":  # rows that point at each other (a process and its current phase)
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table, table_rows in rows:
            if table_rows:
                connection.execute(table.insert(), table_rows)
        if dialect == "postgresql":  # the ids the seeding used are taken: sequences go on after them
            owned = connection.execute(text(
                "SELECT s.relname, t.relname, a.attname FROM pg_class s"
                " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass"
                " JOIN pg_class t ON t.oid = d.refobjid"
                " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
                " WHERE s.relkind = 'S' AND t.relnamespace = 'public'::regnamespace")).all()
            for sequence, table, column in owned:
                following = f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1'
                connection.execute(text(f"SELECT setval('\"{sequence}\"', {following}, false)"))


@pytest.fixture
def demo(app, owner_engine, database, _demo_rows):
    """The app with the demo region and people in it (``make demo``'s data), fresh for each test."""
    _wipe(owner_engine, database.dialect)  # the first test's database holds the seeding itself
    _restore(owner_engine, database.dialect, _demo_rows)
    return app


@pytest.fixture
def demo_seeding(demo, _demo_seeded):
    """What seeding the demo into an empty database printed (a click ``Result``: ``output``,
    ``exit_code``); ``demo`` holds the rows it made. A test of the seeder asserts on these
    instead of seeding once more."""
    return _demo_seeded[0]


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture(scope="session")
def password_hash():
    return hash_password(PASSWORD)


@dataclass
class World:
    """Two municipalities with people and notes; every test gets a fresh one."""

    tenants: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    notes: dict[str, list[int]] = field(default_factory=dict)
    memberships: dict[str, int] = field(default_factory=dict)
    extra: dict[str, int] = field(default_factory=dict)


PEOPLE = {
    # key: (email, name, region admin, {tenant: role})
    "region": ("region@dugnad.test", "Regina Region", True, {}),
    "alpha_admin": ("admin@alpha.test", "Alma Admin", False, {"alpha": "admin"}),
    "alpha_coordinator": ("coordinator@alpha.test", "Cora Coordinator", False, {"alpha": "coordinator"}),
    "alpha_member": ("member@alpha.test", "Mats Member", False, {"alpha": "member"}),
    "alpha_readonly": ("readonly@alpha.test", "Rita Readonly", False, {"alpha": "coordinator"}),
    "beta_admin": ("admin@beta.test", "Bjørn Beta", False, {"beta": "admin"}),
    "both": ("both@dugnad.test", "Bo Both", False, {"alpha": "coordinator", "beta": "member"}),
}


@pytest.fixture
def world(app, password_hash) -> World:
    out = World()
    with app.app_context():
        for slug, name, number in (("alpha", "Alfa", "3403"), ("beta", "Beta", "3905")):
            tenant = Tenant(slug=slug, name=name, number=number, settings={})
            db.session.add(tenant)
            db.session.flush()
            # every installed plugin is on in both, so isolation is tested for all of them;
            # a test about a plugin being off switches it off itself
            for plugin in app.extensions["dugnad.plugins"].optional:
                db.session.add(TenantPlugin(tenant_id=tenant.id, plugin=plugin, enabled=True))
            out.tenants[slug] = tenant.id
        for key, (email, name, region_admin, roles) in PEOPLE.items():
            user = User(email=email, name=name, password_hash=password_hash, is_region_admin=region_admin)
            db.session.add(user)
            db.session.flush()
            out.users[key] = user.id
            for slug, role in roles.items():
                with tenant_context(out.tenants[slug]):
                    membership = Membership(user_id=user.id, role=role)
                    db.session.add(membership)
                    db.session.flush()
                    out.memberships[f"{key}@{slug}"] = membership.id
        from tests.support.sample_plugin.models import Note

        for slug in ("alpha", "beta"):
            with tenant_context(out.tenants[slug]):
                notes = [Note(text=f"{slug} note {i}") for i in range(2)]
                db.session.add_all(notes)
                db.session.flush()
                out.notes[slug] = [n.id for n in notes]
        db.session.commit()
        db.session.remove()
    return out


def login(client, user_id: int) -> None:
    """Log ``client`` in as a login would: a recorded login (dugnad.accounts.logins) named by the session."""
    from dugnad.accounts.logins import LoginSession, SESSION_FOR
    from dugnad.tenancy.models import utcnow

    with client.application.app_context():
        row = LoginSession(user_id=user_id, expires_at=utcnow() + SESSION_FOR, user_agent="test client")
        db.session.add(row)
        db.session.commit()
        login_id = row.id
        db.session.remove()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:{login_id}"
        session["_fresh"] = True


@pytest.fixture
def client_as(app, world):
    """``client_as("alpha_admin")``: a test client logged in as that person."""

    def make(key: str):
        client = app.test_client()
        login(client, world.users[key])
        return client

    return make


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def queries(app):
    """Counts SQL statements the app sends while the test runs."""
    from dugnad.voting import fastcast

    counter = QueryCounter()
    with app.app_context():
        engine = db.engine
    autocommit = fastcast._autocommit  # the card vote's statement goes to the driver past SQLAlchemy

    def counted(statement, parameters):
        counter(None, None, statement, parameters, None, False)
        return autocommit(statement, parameters)

    fastcast._autocommit = counted
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)
    fastcast._autocommit = autocommit


@pytest.fixture
def two_servers(database, tmp_path):
    """Two app servers of one database sharing Redis, with this database's entries cleared."""
    from redis import Redis

    from dugnad import cache

    servers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        servers.append(create_app(make_settings(database, tmp_path / name, redis_url=REDIS_URL), testing=True))
    with servers[0].app_context():
        prefix = cache._prefix()
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(prefix + "*"):
        redis.delete(key)
    yield servers
    for key in redis.scan_iter(prefix + "*"):
        redis.delete(key)
    for server in servers:
        with server.app_context():
            db.session.remove()
            db.engine.dispose()
