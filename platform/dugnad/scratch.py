"""Scratch PostgreSQL databases for the tests and benchmarks: a new database that
its owner migrates, and a separate non-owner login role the app connects as, so
row-level security applies exactly as in production (ops/postgres/roles.sql)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class ScratchDatabase:
    owner_url: str
    app_url: str
    app_role: str


@contextmanager
def scratch_database(server_url: str, prefix: str = "dugnad_scratch") -> Iterator[ScratchDatabase]:
    """Create a database and an app role on the server at ``server_url`` (a role that
    may create both); drop them again afterwards."""
    suffix = uuid.uuid4().hex[:10]
    name, role = f"{prefix}_{suffix}", f"{prefix}_app_{suffix}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'app' NOSUPERUSER NOBYPASSRLS NOCREATEDB"))
    owner = make_url(server_url).set(database=name)
    try:
        yield ScratchDatabase(
            owner_url=owner.render_as_string(hide_password=False),
            app_url=owner.set(username=role, password="app").render_as_string(hide_password=False),
            app_role=role,
        )
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        server.dispose()


def grant_app_role(owner_url: str, role: str) -> None:
    """After migrating: what ops/postgres/roles.sql grants the app role."""
    engine = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
        connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    engine.dispose()


@contextmanager
def citus_nodes(owner_url: str, app_role: str, workers: list[str]) -> Iterator[None]:
    """Make the scratch database at ``owner_url`` (on a Citus coordinator) a Citus
    database with ``workers`` (``host:port``, same superuser) as its worker nodes: the
    database, the app role and the extension on each worker, the nodes registered.
    Drops the workers' copies afterwards. Distribute after migrating."""
    url = make_url(owner_url)
    name = url.database
    worker_servers = []
    for worker in workers:
        host, _, port = worker.partition(":")
        worker_servers.append(create_engine(url.set(host=host, port=int(port), database="postgres"),
                                            isolation_level="AUTOCOMMIT"))
    try:
        for server in worker_servers:
            with server.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
                connection.execute(text(f"CREATE ROLE {app_role} LOGIN PASSWORD 'app' NOSUPERUSER NOBYPASSRLS NOCREATEDB"))
            database = create_engine(server.url.set(database=name), isolation_level="AUTOCOMMIT")
            with database.connect() as connection:
                connection.execute(text("CREATE EXTENSION citus"))
            database.dispose()
        coordinator = create_engine(url, isolation_level="AUTOCOMMIT")
        with coordinator.connect() as connection:
            # a few shards per table are plenty for tests, and quick to create
            connection.execute(text(f'ALTER DATABASE "{name}" SET citus.shard_count = 4'))
            connection.execute(text("CREATE EXTENSION citus"))
            connection.execute(text("SELECT citus_set_coordinator_host(:host, :port)"),
                               {"host": url.host or "127.0.0.1", "port": url.port or 5432})
            for server in worker_servers:
                connection.execute(text("SELECT citus_add_node(:host, :port)"),
                                   {"host": server.url.host, "port": server.url.port})
        coordinator.dispose()
        yield
    finally:
        for server in worker_servers:
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f"DROP ROLE IF EXISTS {app_role}"))
            server.dispose()
