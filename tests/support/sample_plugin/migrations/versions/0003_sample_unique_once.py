"""sample: unique once, one index per tenant key

Revision ID: 0003_sample_unique_once
Revises: 0002_sample_tenant_keys
Create Date: 2026-12-05

The unique ``(tenant_id, id)`` beside the primary key ``(tenant_id, id)`` is a second
identical index on PostgreSQL, written on every insert; the primary key does its work
(the foreign keys bound to it are made again on the key). SQLite keeps it: its primary
key is the rowid. See the core's 0011_unique_once and dugnad.tenancy.keys.
"""
from alembic import op

from dugnad.sdk import keys

TABLES = ('sample_note', 'sample_note_comment')

revision = '0003_sample_unique_once'
down_revision = '0002_sample_tenant_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys.drop_unique_beside_key(op, *TABLES)


def downgrade() -> None:
    keys.restore_unique_beside_key(op, *TABLES)
