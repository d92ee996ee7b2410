"""snapshot indexes: one index less for every snapshot write

Revision ID: 0008_snapshot_indexes
Revises: 0007_login_sessions
Create Date: 2026-12-04

``benchmark_snapshot`` was re-keyed in place (0005): its primary key became
``(tenant_id, id)`` next to the unique ``(tenant_id, id)`` it already had, so
PostgreSQL keeps two identical indexes and the recompute maintains both for every row
it writes. Nothing references the unique (no foreign key points at snapshots), and the
primary key enforces the same; tables born with the key never had it (PostgreSQL folds
it into the primary key, see ``tenancy.keys.autogenerate_filter``). SQLite needs the
unique (its primary key is the rowid): nothing changes there.
"""
from alembic import op


revision = '0008_snapshot_indexes'
down_revision = '0007_login_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE benchmark_snapshot DROP CONSTRAINT IF EXISTS uq_benchmark_snapshot_tenant_id_id")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE benchmark_snapshot ADD CONSTRAINT uq_benchmark_snapshot_tenant_id_id UNIQUE (tenant_id, id)")
