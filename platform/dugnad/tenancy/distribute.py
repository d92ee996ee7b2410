"""Sharding the schema by municipality on Citus (``dugnad db distribute``).

Every tenant table (every ``TenantScoped`` model's table, core and plugins, found in
the models' metadata, plus any table that has the tenant row-level security policy)
becomes a distributed table by ``tenant_id``, all in one colocation group, so a
municipality's rows of every table live on the same node and every join and foreign
key between tenant tables stays on one shard. Every other table (municipalities,
accounts, tokens, the audit log, the outbox, region data) becomes a reference table:
one copy on every node, so the tenant tables' foreign keys to it hold on every node.
``alembic_version`` stays a plain table on the coordinator, where migrations run.

Citus cannot distribute a table that another not-yet-distributed table references, so
the plan drops the foreign keys between tenant tables first, distributes, and adds
the same keys back (their definitions read from the database). Tables already
distributed or reference are left alone, so running it again does nothing;
``dugnad db upgrade`` runs it after migrating when the database has Citus.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from dugnad.tenancy.keys import problems, tenant_tables

LOCAL_TABLES = {"alembic_version"}


class CannotDistribute(RuntimeError):
    """The database cannot be distributed as it is (no Citus, or a table in the wrong shape)."""


@dataclass(frozen=True)
class Step:
    kind: str  # drop_fk | reference | distribute | add_fk
    table: str
    sql: str
    note: str = ""

    def describe(self) -> str:
        return {
            "drop_fk": f"dropped foreign key {self.note} on {self.table} (added back below)",
            "reference": f"reference table {self.table}",
            "distribute": f"distributed {self.table} by tenant_id{self.note}",
            "add_fk": f"added back foreign key {self.note} on {self.table}",
        }[self.kind]


def has_citus(connection) -> bool:
    return bool(connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).scalar())


def _existing_tables(connection) -> list[str]:
    return list(connection.execute(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )).scalars())


def _rls_tenant_tables(connection) -> set[str]:
    return set(connection.execute(text(
        "SELECT tablename FROM pg_policies WHERE schemaname = current_schema() "
        "AND policyname = tablename || '_tenant_isolation'"
    )).scalars())


def _citus_kinds(connection) -> dict[str, str]:
    """Table → Citus kind: 'h' distributed, 'n' reference (none when Citus is absent)."""
    if not has_citus(connection):
        return {}
    return dict(connection.execute(text(
        "SELECT logicalrelid::regclass::text, partmethod FROM pg_dist_partition"
    )).all())


def _tenant_foreign_keys(connection, tenant: set[str]) -> list[tuple[str, str, str, str]]:
    """(table, constraint, referenced table, definition) of every foreign key between tenant tables."""
    rows = connection.execute(text(
        "SELECT c.conrelid::regclass::text, c.conname, c.confrelid::regclass::text, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, 2"
    )).all()
    return [tuple(row) for row in rows if row[0] in tenant and row[2] in tenant]


def _dependency_order(names: list[str], metadata) -> list[str]:
    """Referenced tables first (the models' order), then any table the models do not know."""
    ordered = [t.name for t in metadata.sorted_tables if t.name in names]
    return ordered + sorted(set(names) - set(ordered))


def plan(connection, metadata) -> list[Step]:
    """What ``distribute`` would run on this database, in order. Needs PostgreSQL, not Citus."""
    tenant = tenant_tables(metadata) | _rls_tenant_tables(connection)
    existing = _existing_tables(connection)
    tenant &= set(existing)
    found = problems(metadata, tenant_tables(metadata))
    if found:
        raise CannotDistribute("the schema cannot be sharded by tenant_id: " + "; ".join(found))
    kinds = _citus_kinds(connection)
    reference = [t for t in _dependency_order([t for t in existing if t not in tenant and t not in LOCAL_TABLES],
                                              metadata) if kinds.get(t) != "n"]
    tenant_order = _dependency_order(sorted(tenant), metadata)
    pending = [t for t in tenant_order if kinds.get(t) != "h"]
    done = [t for t in tenant_order if kinds.get(t) == "h"]
    anchor = done[0] if done else (pending[0] if pending else None)

    steps: list[Step] = []
    foreign_keys = [fk for fk in _tenant_foreign_keys(connection, tenant) if fk[0] in pending or fk[2] in pending]
    for table, name, _target, _definition in foreign_keys:
        steps.append(Step("drop_fk", table, f'ALTER TABLE {table} DROP CONSTRAINT "{name}"', name))
    for table in reference:
        steps.append(Step("reference", table, f"SELECT create_reference_table('{table}')"))
    for table in pending:
        if table == anchor:
            sql = f"SELECT create_distributed_table('{table}', 'tenant_id', colocate_with => 'none')"
            note = " (first of the colocation group)"
        else:
            sql = f"SELECT create_distributed_table('{table}', 'tenant_id', colocate_with => '{anchor}')"
            note = f" (colocated with {anchor})"
        steps.append(Step("distribute", table, sql, note))
    for table, name, _target, definition in foreign_keys:
        steps.append(Step("add_fk", table, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}', name))
    return steps


def distribute(engine, metadata) -> list[str]:
    """Run the plan in one transaction as the tables' owner; returns what was done."""
    with engine.begin() as connection:
        if not has_citus(connection):
            raise CannotDistribute("Citus is not installed in this database (CREATE EXTENSION citus) — nothing to do")
        steps = plan(connection, metadata)
        # Reference-table and distribution DDL must not mix with parallel shard access in
        # one transaction; sequential mode lets it all commit (or roll back) together.
        connection.exec_driver_sql("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")
        for step in steps:
            connection.exec_driver_sql(step.sql)
    return [step.describe() for step in steps] or ["nothing to do: every table is already distributed or reference"]


def table_kinds(engine) -> dict[str, str]:
    """Table → 'distributed' / 'reference' / 'local', for reports."""
    with engine.connect() as connection:
        kinds = _citus_kinds(connection)
        return {t: {"h": "distributed", "n": "reference"}.get(kinds.get(t, ""), "local")
                for t in _existing_tables(connection)}
