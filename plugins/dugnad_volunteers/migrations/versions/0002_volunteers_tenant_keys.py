"""volunteers: tenant keys for Citus

Revision ID: 0002_volunteers_tenant_keys
Revises: 0001_volunteers
Create Date: 2026-12-04

Primary keys (id) -> (tenant_id, id), in place, so that the tables can be sharded
by tenant_id on Citus. See dugnad.tenancy.keys.
"""
from alembic import op

from dugnad.sdk import keys

TENANT_TABLES = ('volunteer_area', 'volunteer_consent_text', 'volunteer_event', 'volunteer_role', 'volunteer_signup_attempt', 'volunteer', 'volunteer_need', 'volunteer_organisation', 'volunteer_area_choice', 'volunteer_assignment', 'volunteer_event_invitation', 'volunteer_interest', 'volunteer_language', 'volunteer_qualification', 'volunteer_vetting')

revision = '0002_volunteers_tenant_keys'
down_revision = '0001_volunteers'
branch_labels = None
depends_on = '0005_tenant_keys'


def upgrade() -> None:
    keys.to_tenant_key(op, *TENANT_TABLES)


def downgrade() -> None:
    keys.from_tenant_key(op, *TENANT_TABLES)
