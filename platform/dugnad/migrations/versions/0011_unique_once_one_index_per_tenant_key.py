"""unique once: one index per tenant key, not two

Revision ID: 0011_unique_once
Revises: 0010_vote_lock
Create Date: 2026-12-05

Tables re-keyed in place to ``(tenant_id, id)`` (0005) kept the unique ``(tenant_id, id)``
they had, and tables created since with both got both (PostgreSQL does not fold a unique
into an identical primary key): two identical indexes, both written on every insert and
both in the cache. 0009 dropped the snapshots'; this drops the rest of the core's. The
composite foreign keys PostgreSQL had bound to the unique's index are made again as they
were and use the primary key's. SQLite keeps the unique (its primary key is the rowid).
The plugins drop their own tables' in their own branches.

(0010 is another change's number: when both are in, this one follows it.)
"""
from alembic import op

from dugnad.tenancy import keys


revision = '0011_unique_once'
down_revision = '0010_vote_lock'
branch_labels = None
depends_on = None

TABLES = ("membership", "invitation", "participant", "process", "phase", "phase_move", "process_participant",
          "stakeholder_entry", "activity", "decision", "phase_checklist_item", "poll", "poll_option", "poll_voter",
          "poll_ballot", "poll_mark", "benchmark_sharing", "handoff", "handoff_event")


def upgrade() -> None:
    keys.drop_unique_beside_key(op, *TABLES)


def downgrade() -> None:
    keys.restore_unique_beside_key(op, *TABLES)
