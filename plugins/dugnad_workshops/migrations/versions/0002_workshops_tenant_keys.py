"""workshops: tenant keys for Citus

Revision ID: 0002_workshops_tenant_keys
Revises: 0001_workshops
Create Date: 2026-12-04

Primary keys (id) -> (tenant_id, id), in place, so that the tables can be sharded
by tenant_id on Citus. See dugnad.tenancy.keys.
"""
from alembic import op

from dugnad.sdk import keys

TENANT_TABLES = ('workshop', 'workshop_series', 'workshop_theme', 'workshop_attendance', 'workshop_summary', 'workshop_table', 'workshop_need', 'workshop_placement', 'workshop_solution', 'workshop_homework', 'workshop_pilot', 'workshop_pilot_round')

revision = '0002_workshops_tenant_keys'
down_revision = '0001_workshops'
branch_labels = None
depends_on = '0005_tenant_keys'


def upgrade() -> None:
    keys.to_tenant_key(op, *TENANT_TABLES)


def downgrade() -> None:
    keys.from_tenant_key(op, *TENANT_TABLES)
