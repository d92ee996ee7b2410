"""PostgreSQL row-level security for tenant tables, used by migrations.

The policy compares ``tenant_id`` with the per-transaction setting the app makes in
``scoping._after_begin``. ``app.region_scope`` lets the audited ``region_scope()``
read across municipalities through a SELECT-only policy: no write.
The app must connect as a role that does not own the tables (ops/postgres/roles.sql).
"""

from __future__ import annotations

# each setting in a sub-select: read once per statement (an InitPlan), not once per row
TENANT_MATCH = "tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::int)"
REGION_READ = "(SELECT current_setting('app.region_scope', true) = 'on')"
# the same, read for every row: on Citus, where a sub-select in a distributed table's policy is untried
PER_ROW_TENANT_MATCH = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int"
PER_ROW_REGION_READ = "current_setting('app.region_scope', true) = 'on'"


def enable_statements(table: str, per_row: bool = False) -> list[str]:
    tenant_match, region_read = (PER_ROW_TENANT_MATCH, PER_ROW_REGION_READ) if per_row else (TENANT_MATCH, REGION_READ)
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_tenant_isolation ON {table} USING ({tenant_match}) WITH CHECK ({tenant_match})",
        f"CREATE POLICY {table}_region_read ON {table} FOR SELECT USING ({region_read})",
    ]


def on_citus(bind) -> bool:
    from sqlalchemy import text

    return bind.execute(text("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")).scalar() > 0


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
    per_row = on_citus(op.get_bind())
    for table in tables:
        for statement in enable_statements(table, per_row):
            op.execute(statement)


def disable(op, *tables: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        for statement in disable_statements(table):
            op.execute(statement)
