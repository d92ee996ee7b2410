"""The key shape of tenant tables, for migrations that bring an existing database to it.

Citus shards tenant tables by ``tenant_id``; it requires every primary key and unique
constraint to include that column. ``TenantScoped`` declares the primary key
``(tenant_id, id)``; a database made before that has ``(id)``. ``to_tenant_key``
changes it in place (PostgreSQL: one ``ALTER TABLE`` per table, the rows and the
``id`` sequence stay). SQLite keeps ``PRIMARY KEY (id)`` — its rowid, the only column
it autoincrements — next to the unique ``(tenant_id, id)`` it already has, which is
the same for isolation (see ``tenancy.models._sqlite_primary_key``), so there is
nothing to do there.

``token_unique_per_tenant`` turns a global ``UNIQUE (column)`` into
``UNIQUE (tenant_id, column)`` on both dialects.
"""

from __future__ import annotations


def _postgresql(op) -> bool:
    return op.get_bind().dialect.name == "postgresql"


def to_tenant_key(op, *tables: str) -> None:
    """Primary key ``(id)`` → ``(tenant_id, id)``. Call from a migration's upgrade()."""
    if not _postgresql(op):
        return
    for table in tables:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT pk_{table}, ADD CONSTRAINT pk_{table} PRIMARY KEY (tenant_id, id)")


def from_tenant_key(op, *tables: str) -> None:
    """Back to primary key ``(id)``, for downgrade()."""
    if not _postgresql(op):
        return
    for table in tables:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT pk_{table}, ADD CONSTRAINT pk_{table} PRIMARY KEY (id)")


def token_unique_per_tenant(op, table: str, column: str) -> None:
    """``UNIQUE (column)`` → ``UNIQUE (tenant_id, column)``."""
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(f"uq_{table}_{column}", type_="unique")
        batch.create_unique_constraint(f"uq_{table}_tenant_id_{column}", ["tenant_id", column])


def token_unique_globally(op, table: str, column: str) -> None:
    """Back to ``UNIQUE (column)``, for downgrade()."""
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(f"uq_{table}_tenant_id_{column}", type_="unique")
        batch.create_unique_constraint(f"uq_{table}_{column}", [column])


# --- The rule, checked over the models' metadata -------------------------------------

TENANT_COLUMN = "tenant_id"


def tenant_tables(metadata=None) -> set[str]:
    """Names of the tables of every ``TenantScoped`` model (core and plugins), from the
    mapper registry, so tables added later are covered without a list to keep."""
    from dugnad.extensions import db
    from dugnad.tenancy.models import TenantScoped

    return {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
        and (metadata is None or mapper.local_table.name in metadata.tables)
    }


def problems(metadata, tenant: set[str]) -> list[str]:
    """What keeps ``metadata`` from being sharded by ``tenant_id`` (Citus's rule):

    * a tenant table's primary key, or one of its unique constraints or unique indexes,
      without ``tenant_id``;
    * a foreign key between tenant tables that does not pair ``tenant_id`` with
      ``tenant_id`` (so it could point into another municipality, and Citus cannot
      keep it on one shard);
    * a foreign key from a non-tenant table (a reference table, copied to every node)
      to a tenant table, which Citus does not allow.
    """
    found = []
    for table in metadata.sorted_tables:
        is_tenant = table.name in tenant
        if is_tenant:
            if TENANT_COLUMN not in table.primary_key.columns:
                found.append(f"{table.name}: primary key ({', '.join(table.primary_key.columns.keys())}) lacks tenant_id")
            for constraint in table.constraints:
                if constraint.__class__.__name__ == "UniqueConstraint" and TENANT_COLUMN not in constraint.columns:
                    found.append(f"{table.name}: unique ({', '.join(constraint.columns.keys())}) lacks tenant_id")
            for index in table.indexes:
                if index.unique and TENANT_COLUMN not in {c.name for c in index.columns}:
                    found.append(f"{table.name}: unique index {index.name} lacks tenant_id")
        for fk in table.foreign_key_constraints:
            target = fk.referred_table.name
            if target not in tenant:
                continue
            if not is_tenant:
                found.append(f"{table.name}: a non-tenant table references tenant table {target}")
                continue
            pairs = {(element.parent.name, element.column.name) for element in fk.elements}
            if (TENANT_COLUMN, TENANT_COLUMN) not in pairs:
                found.append(f"{table.name}: foreign key ({', '.join(c.name for c in fk.columns)}) -> {target} "
                             "does not include tenant_id")
    return found
