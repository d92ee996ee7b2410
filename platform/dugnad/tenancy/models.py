"""The tenant table and the mixin every tenant-owned table uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, PrimaryKeyConstraint, String, UniqueConstraint
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.schema import CreateColumn

from dugnad.clock import utcnow
from dugnad.extensions import db




class Tenant(db.Model):
    """A municipality (kommune). Global: not itself tenant-scoped."""

    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    number: Mapped[str] = mapped_column(String(4), unique=True)  # kommunenummer
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | suspended
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_suspended(self) -> bool:
        return self.status == "suspended"

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantPlugin(db.Model):
    """Whether an installed optional plugin is switched on for a municipality.

    Set by the region, so this is region configuration rather than tenant data.
    """

    __tablename__ = "tenant_plugin"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    plugin: Mapped[str] = mapped_column(String(63), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TenantScoped:
    """Mixin for every tenant-owned table.

    Gives ``tenant_id NOT NULL`` and the key shape Citus needs to shard by
    municipality (distribution column ``tenant_id``):

    * the database's primary key is ``(tenant_id, id)``; the ORM's identity stays
      ``id`` alone (``__mapper_args__``), so ``db.session.get(Model, id)`` and every
      relationship keep working, and ``id`` still comes from one sequence;
    * a unique ``(tenant_id, id)`` that other tenant tables reference with a composite
      key (``tenant_fk``): the database itself refuses a link across municipalities;
    * every other unique constraint must name ``tenant_id`` too (put them in
      ``tenant_table_args``); ``tests/core/test_key_shape.py`` enforces all of this.

    SQLite autoincrements only an ``INTEGER PRIMARY KEY`` column, so there the
    primary key is rendered as ``(id)`` (see ``_sqlite_primary_key``): with the
    unique ``(tenant_id, id)`` beside it that is equivalent for isolation, and Citus
    runs on PostgreSQL only.
    """

    tenant_table_args: tuple = ()

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True, index=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (
            PrimaryKeyConstraint("tenant_id", "id"),
            UniqueConstraint("tenant_id", "id"),
            *cls.tenant_table_args,
        )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        table = cls.__table__
        # In a composite key SQLAlchemy autoincrements only a column it is told to
        # (PostgreSQL: SERIAL; SQLite: the rowid, see _sqlite_tenant_id_column).
        table.c.id.autoincrement = True
        return {"primary_key": [table.c.id]}


TENANT_KEY = ("tenant_id", "id")


def _has_tenant_key(table) -> bool:
    return tuple(c.name for c in table.primary_key.columns) == TENANT_KEY


@compiles(PrimaryKeyConstraint, "sqlite")
def _sqlite_primary_key(constraint, compiler, **kw):
    """``PRIMARY KEY (id)`` on SQLite for a tenant table, so ``id`` stays its rowid and
    autoincrements; the unique ``(tenant_id, id)`` next to it keeps the composite
    foreign keys (and thus isolation) the same as on PostgreSQL."""
    if tuple(c.name for c in constraint.columns) == TENANT_KEY:
        return f"CONSTRAINT {compiler.preparer.format_constraint(constraint)} PRIMARY KEY (id)" if constraint.name else "PRIMARY KEY (id)"
    return compiler.visit_primary_key_constraint(constraint, **kw)


@compiles(CreateColumn, "sqlite")
def _sqlite_tenant_id_column(element, compiler, **kw):
    """SQLite refuses ``autoincrement`` in a composite key; for a tenant table's ``id``
    it is not one there (see ``_sqlite_primary_key``), so render it as the plain
    ``INTEGER NOT NULL`` that becomes the rowid."""
    column = element.element
    if column.name == "id" and column.table is not None and _has_tenant_key(column.table):
        return f"{compiler.preparer.format_column(column)} INTEGER NOT NULL"
    return compiler.visit_create_column(element, **kw)


def tenant_fk(column: str, target_table: str, ondelete: str | None = "CASCADE", use_alter: bool = False) -> ForeignKeyConstraint:
    """A composite foreign key ``(tenant_id, column) -> target_table(tenant_id, id)``.
    ``use_alter`` for the second key of a cycle (created after both tables)."""
    return ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target_table}.tenant_id", f"{target_table}.id"],
        ondelete=ondelete,
        use_alter=use_alter,
    )
