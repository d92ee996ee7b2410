"""newcomers: unique once, one index per tenant key

Revision ID: 0002_newcomers_unique_once
Revises: 0001_newcomers
Create Date: 2026-12-05

The unique ``(tenant_id, id)`` beside the primary key ``(tenant_id, id)`` is a second
identical index on PostgreSQL, written on every insert; the primary key does its work
(the foreign keys bound to it are made again on the key). SQLite keeps it: its primary
key is the rowid. See the core's 0011_unique_once and dugnad.tenancy.keys.
"""
from alembic import op

from dugnad.sdk import keys

TABLES = ('newcomer_consent_text', 'newcomer_agreement', 'newcomer_council_decision', 'newcomer_household',
          'newcomer_workshop_measure', 'newcomer_checklist_item', 'newcomer_follow_up', 'newcomer_member')

revision = '0002_newcomers_unique_once'
down_revision = '0001_newcomers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys.drop_unique_beside_key(op, *TABLES)


def downgrade() -> None:
    keys.restore_unique_beside_key(op, *TABLES)
