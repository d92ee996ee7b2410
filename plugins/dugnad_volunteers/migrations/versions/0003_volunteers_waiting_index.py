"""volunteers: an index for matching, those who can be asked, longest waiting first

Revision ID: 0003_volunteers_waiting_index
Revises: 0002_volunteers_tenant_keys
Create Date: 2026-12-04

Matching a broad need walks the approved volunteers in the ranking's tie order (never had
a task, then the longest since their last) and stops at the first dozen with the best score,
and counts everyone who passes the hard rules from the index alone (issue 17).
"""
from alembic import op
import sqlalchemy as sa

revision = '0003_volunteers_waiting_index'
down_revision = '0002_volunteers_tenant_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":  # SQLite has no NULLS FIRST in an index (and sorts NULL first anyway)
        return
    op.create_index('ix_volunteer_waiting', 'volunteer', ['tenant_id', sa.text('last_task_on NULLS FIRST'), 'id'],
                    postgresql_include=['availability', 'anywhere', 'paused_at', 'paused_until'],
                    postgresql_where=sa.text("status = 'approved' AND anonymised_at IS NULL"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_volunteer_waiting', table_name='volunteer')
