"""handoffs: requests for help between modules

Revision ID: 0006_handoffs
Revises: 0005_tenant_keys
Create Date: 2026-12-04

A handoff is tenant data (row-level security, keyed (tenant_id, id) for Citus): one
module's request for another's help, with the receiving form's values, the purpose,
and its status timeline.
"""
from alembic import op
import sqlalchemy as sa

from dugnad.tenancy import rls

TENANT_TABLES = ("handoff", "handoff_event")


revision = '0006_handoffs'
down_revision = '0005_tenant_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handoff',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('kind_label', sa.String(length=200), nullable=False),
    sa.Column('receiver', sa.String(length=63), nullable=False),
    sa.Column('origin_type', sa.String(length=80), nullable=False),
    sa.Column('origin_id', sa.Integer(), nullable=False),
    sa.Column('origin_label', sa.String(length=200), nullable=False),
    sa.Column('origin_endpoint', sa.String(length=120), nullable=False),
    sa.Column('origin_args', sa.JSON(), nullable=False),
    sa.Column('contact', sa.String(length=254), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=300), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('target_key', sa.String(length=120), nullable=True),
    sa.Column('target_label', sa.String(length=200), nullable=True),
    sa.Column('target_endpoint', sa.String(length=120), nullable=True),
    sa.Column('target_args', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_handoff_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_handoff_tenant_id_participant_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_handoff_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_handoff')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_handoff_tenant_id_id'))
    )
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index('ix_handoff_origin', ['tenant_id', 'origin_type', 'origin_id'], unique=False)
        batch_op.create_index('ix_handoff_target', ['tenant_id', 'target_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('handoff_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_handoff_event_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'handoff_id'], ['handoff.tenant_id', 'handoff.id'], name=op.f('fk_handoff_event_tenant_id_handoff_id_handoff'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_handoff_event_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_handoff_event')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_handoff_event_tenant_id_id'))
    )
    with op.batch_alter_table('handoff_event', schema=None) as batch_op:
        batch_op.create_index('ix_handoff_event_handoff', ['tenant_id', 'handoff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handoff_event_tenant_id'), ['tenant_id'], unique=False)

    rls.enable(op, *TENANT_TABLES)


def downgrade() -> None:
    rls.disable(op, *TENANT_TABLES)
    with op.batch_alter_table('handoff_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_event_tenant_id'))
        batch_op.drop_index('ix_handoff_event_handoff')

    op.drop_table('handoff_event')
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_tenant_id'))
        batch_op.drop_index('ix_handoff_target')
        batch_op.drop_index('ix_handoff_origin')
        batch_op.drop_index('ix_handoff_created')

    op.drop_table('handoff')
