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

TENANT_KEY = ("tenant_id", "id")


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


def drop_unique_beside_key(op, *tables: str) -> None:
    """Drop the unique ``(tenant_id, id)`` that a table keeps next to its primary key ``(tenant_id, id)``
    on PostgreSQL: two identical indexes, both written on every insert. A composite foreign key that
    PostgreSQL bound to the unique's index (``tenant_fk``) is dropped and made again as it was, and
    then uses the primary key's. SQLite keeps the unique: its primary key is ``(id)`` (the rowid)."""
    if not _postgresql(op):
        return
    from sqlalchemy import text

    bind = op.get_bind()
    for table in tables:
        unique = f"uq_{table}_tenant_id_id"
        found = bind.execute(text(
            "SELECT c.conindid FROM pg_constraint c WHERE c.conname = :name AND c.conrelid = to_regclass(:table)"),
            {"name": unique, "table": table}).first()
        if found is None:  # a table born after the change, or already done
            continue
        links = bind.execute(text(
            "SELECT f.conrelid::regclass::text, f.conname, pg_get_constraintdef(f.oid) FROM pg_constraint f "
            "WHERE f.contype = 'f' AND f.conindid = :index ORDER BY 1, 2"), {"index": found[0]}).all()
        for source, name, _definition in links:
            op.execute(f'ALTER TABLE {source} DROP CONSTRAINT "{name}"')
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {unique}")
        for source, name, definition in links:
            op.execute(f'ALTER TABLE {source} ADD CONSTRAINT "{name}" {definition}')


def restore_unique_beside_key(op, *tables: str) -> None:
    """Back to the unique ``(tenant_id, id)`` beside the primary key, for downgrade()."""
    if not _postgresql(op):
        return
    for table in tables:
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT uq_{table}_tenant_id_id UNIQUE (tenant_id, id)")


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


def autogenerate_filter(dialect: str):
    """``include_object`` for Alembic's comparison of models and database.

    A tenant table's model has both the primary key ``(tenant_id, id)`` and a unique
    ``(tenant_id, id)`` (SQLite needs the unique: there the key is its rowid ``(id)``).
    On PostgreSQL the unique would be a second identical index, so the migrations drop it
    (``drop_unique_beside_key``; core 0011 and each plugin's branch): its absence there is
    no difference. ``test_migrations`` checks that no two unique indexes cover the same columns."""

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        if dialect == "postgresql" and type_ == "unique_constraint" and not reflected and compare_to is None:
            columns = tuple(c.name for c in obj.columns)
            return not (columns == TENANT_KEY and tuple(c.name for c in obj.table.primary_key.columns) == TENANT_KEY)
        return True

    return include_object
