"""snapshot indexes: one index less for every snapshot write, room for in-page updates

Revision ID: 0009_snapshot_indexes
Revises: 0008_vote
Create Date: 2026-12-04

``benchmark_snapshot`` was re-keyed in place (0005): its primary key became
``(tenant_id, id)`` next to the unique ``(tenant_id, id)`` it already had, so
PostgreSQL keeps two identical indexes and the recompute maintains both for every row
it writes. Nothing references the unique (no foreign key points at snapshots), and the
primary key enforces the same; tables born with the key never had it (PostgreSQL folds
it into the primary key, see ``tenancy.keys.autogenerate_filter``). SQLite needs the
unique (its primary key is the rowid): nothing changes there.

The recompute rewrites a snapshot's value and count, never an indexed column, so
PostgreSQL can update it in place (a HOT update: no index entries at all) when the
row's page has room for the new version. Fill factor 50 leaves that room on every page
written from now on (existing pages get it when the table is rewritten, e.g. VACUUM FULL).
"""
from alembic import op


revision = '0009_snapshot_indexes'
down_revision = '0008_vote'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE benchmark_snapshot DROP CONSTRAINT IF EXISTS uq_benchmark_snapshot_tenant_id_id")
    op.execute("ALTER TABLE benchmark_snapshot SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE benchmark_snapshot RESET (fillfactor)")
    op.execute("ALTER TABLE benchmark_snapshot ADD CONSTRAINT uq_benchmark_snapshot_tenant_id_id UNIQUE (tenant_id, id)")
