"""tenant keys for Citus

Revision ID: 0005_tenant_keys
Revises: 0004_benchmarking
Create Date: 2026-12-04

Every tenant table's primary key becomes (tenant_id, id) and the two secret-token
uniques become per municipality, so that the schema can be sharded by tenant_id on
Citus (which requires every primary key and unique constraint to include the
distribution column). In place: rows, ids and sequences stay. See tenancy.keys.
"""
from alembic import op

from dugnad.tenancy import keys

TENANT_TABLES = (
    "membership", "invitation",
    "participant", "process", "phase", "phase_move", "process_participant", "stakeholder_entry",
    "activity", "decision", "phase_checklist_item",
    "poll", "poll_option", "poll_voter", "poll_ballot", "poll_mark",
    "benchmark_sharing", "benchmark_snapshot",
)

revision = '0005_tenant_keys'
down_revision = '0004_benchmarking'
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys.to_tenant_key(op, *TENANT_TABLES)
    keys.token_unique_per_tenant(op, "invitation", "token_hash")
    keys.token_unique_per_tenant(op, "poll_voter", "token_hash")


def downgrade() -> None:
    keys.token_unique_globally(op, "poll_voter", "token_hash")
    keys.token_unique_globally(op, "invitation", "token_hash")
    keys.from_tenant_key(op, *TENANT_TABLES)
