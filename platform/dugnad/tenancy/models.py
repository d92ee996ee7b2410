"""The tenant table and the mixin every tenant-owned table uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

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

    Gives ``tenant_id NOT NULL`` and a unique ``(tenant_id, id)`` so that other
    tenant tables can reference it with a composite key (``tenant_fk``): the
    database itself then refuses a link across municipalities. Extra table
    arguments go in ``tenant_table_args``.
    """

    tenant_table_args: tuple = ()

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True, nullable=False)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("tenant_id", "id"), *cls.tenant_table_args)


def tenant_fk(column: str, target_table: str, ondelete: str | None = "CASCADE", use_alter: bool = False) -> ForeignKeyConstraint:
    """A composite foreign key ``(tenant_id, column) -> target_table(tenant_id, id)``.
    ``use_alter`` for the second key of a cycle (created after both tables)."""
    return ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target_table}.tenant_id", f"{target_table}.id"],
        ondelete=ondelete,
        use_alter=use_alter,
    )
