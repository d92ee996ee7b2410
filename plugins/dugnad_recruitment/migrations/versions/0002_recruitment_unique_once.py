"""recruitment: unique once, one index per tenant key

Revision ID: 0002_recruitment_unique_once
Revises: 0001_recruitment
Create Date: 2026-12-05

The unique ``(tenant_id, id)`` beside the primary key ``(tenant_id, id)`` is a second
identical index on PostgreSQL, written on every insert; the primary key does its work
(the foreign keys bound to it are made again on the key). SQLite keeps it: its primary
key is the rowid. See the core's 0011_unique_once and dugnad.tenancy.keys.
"""
from alembic import op

from dugnad.sdk import keys

TABLES = ('recruitment_funding_rule', 'recruitment_reminder', 'recruitment_target_group',
          'recruitment_persona', 'recruitment_track', 'recruitment_candidate', 'recruitment_opening',
          'recruitment_solution', 'recruitment_worksheet', 'recruitment_candidate_sensitive',
          'recruitment_mentor_meeting', 'recruitment_outcome', 'recruitment_placement',
          'recruitment_plan_item', 'recruitment_stage_change', 'recruitment_worksheet_task',
          'recruitment_funding')

revision = '0002_recruitment_unique_once'
down_revision = '0001_recruitment'
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys.drop_unique_beside_key(op, *TABLES)


def downgrade() -> None:
    keys.restore_unique_beside_key(op, *TABLES)
