"""PostgreSQL row-level security for tenant tables, used by migrations.

The policy compares ``tenant_id`` with the per-transaction setting the app makes in
``scoping._after_begin``. ``app.region_scope`` lets the audited ``region_scope()``
read across municipalities through a SELECT-only policy: no write.
The app must connect as a role that does not own the tables (ops/postgres/roles.sql).
"""

from __future__ import annotations

TENANT_MATCH = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int"
REGION_READ = "current_setting('app.region_scope', true) = 'on'"


def enable_statements(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_tenant_isolation ON {table} USING ({TENANT_MATCH}) WITH CHECK ({TENANT_MATCH})",
        f"CREATE POLICY {table}_region_read ON {table} FOR SELECT USING ({REGION_READ})",
    ]


def disable_statements(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS {table}_region_read ON {table}",
        f"DROP POLICY IF EXISTS {table}_tenant_isolation ON {table}",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def enable(op, *tables: str) -> None:
    """Call from a migration's upgrade() for every new tenant table."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        for statement in enable_statements(table):
            op.execute(statement)


def disable(op, *tables: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        for statement in disable_statements(table):
            op.execute(statement)
