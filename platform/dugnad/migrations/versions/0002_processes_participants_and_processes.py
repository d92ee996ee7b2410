"""participants and processes

Revision ID: 0002_processes
Revises: 0001_core
Create Date: 2026-11-22

The participant register and processes: phases, moves, checklists, activities,
decisions, who takes part and the stakeholder analysis. The process -> current
phase key closes a cycle, so it is added once both tables exist.
"""
from alembic import op
import sqlalchemy as sa

from dugnad.tenancy import rls

TENANT_TABLES = ("participant", "process", "phase", "phase_move", "process_participant", "stakeholder_entry",
                 "activity", "decision", "phase_checklist_item")


revision = '0002_processes'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=True),
    sa.Column('legal_basis', sa.String(length=32), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'organisation_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_participant_tenant_id_organisation_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_participant_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('tenant_id', 'email', name=op.f('uq_participant_tenant_id_email')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_participant_tenant_id_id'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('process',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_key', sa.String(length=63), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('current_phase_id', sa.Integer(), nullable=True),
    sa.Column('stakeholder_conclusion', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_process_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_process_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_process_tenant_id_id'))
    )
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=63), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('desired_result', sa.Text(), nullable=True),
    sa.Column('suggested_measures', sa.JSON(), nullable=False),
    sa.Column('key_questions', sa.JSON(), nullable=False),
    sa.Column('responsible_roles', sa.JSON(), nullable=False),
    sa.Column('ladder_level', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ladder_level BETWEEN 1 AND 5', name=op.f('ck_phase_ladder_level')),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_phase_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_phase_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_phase_tenant_id_id'))
    )
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_phase_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('phase_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('from_phase_id', sa.Integer(), nullable=True),
    sa.Column('to_phase_id', sa.Integer(), nullable=True),
    sa.Column('from_name', sa.String(length=200), nullable=True),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('moved_by_id', sa.Integer(), nullable=True),
    sa.Column('moved_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['moved_by_id'], ['user_account.id'], name=op.f('fk_phase_move_moved_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_phase_move_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_phase_move_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_move')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_phase_move_tenant_id_id'))
    )
    with op.batch_alter_table('phase_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_move_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_phase_move_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('process_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_process_participant_tenant_id_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_process_participant_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_process_participant_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_participant')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_process_participant_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'process_id', 'participant_id', name=op.f('uq_process_participant_tenant_id_process_id_participant_id'))
    )
    with op.batch_alter_table('process_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_participant_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_participant_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_participant_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('stakeholder_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('grouping', sa.String(length=16), nullable=False),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('need', sa.Text(), nullable=True),
    sa.Column('benefits', sa.Text(), nullable=True),
    sa.Column('costs', sa.Text(), nullable=True),
    sa.Column('overall_effect', sa.String(length=16), nullable=True),
    sa.Column('affected', sa.String(length=16), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_stakeholder_entry_tenant_id_participant_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_stakeholder_entry_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_stakeholder_entry_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder_entry')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_stakeholder_entry_tenant_id_id'))
    )
    with op.batch_alter_table('stakeholder_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholder_entry_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stakeholder_entry_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('ladder_level', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ladder_level IS NULL OR ladder_level BETWEEN 1 AND 5', name=op.f('ck_activity_ladder_level')),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_activity_tenant_id_owner_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'phase_id'], ['phase.tenant_id', 'phase.id'], name=op.f('fk_activity_tenant_id_phase_id_phase'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_activity_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_activity_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_activity_tenant_id_id'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_due', ['tenant_id', 'status', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_phase_id'), ['phase_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_decision_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'phase_id'], ['phase.tenant_id', 'phase.id'], name=op.f('fk_decision_tenant_id_phase_id_phase')),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_decision_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_decision_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_decision_tenant_id_id'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('phase_checklist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['user_account.id'], name=op.f('fk_phase_checklist_item_done_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'phase_id'], ['phase.tenant_id', 'phase.id'], name=op.f('fk_phase_checklist_item_tenant_id_phase_id_phase'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_phase_checklist_item_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_checklist_item')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_phase_checklist_item_tenant_id_id'))
    )
    with op.batch_alter_table('phase_checklist_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_checklist_item_phase_id'), ['phase_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_phase_checklist_item_tenant_id'), ['tenant_id'], unique=False)
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_process_tenant_id_current_phase_id_phase"), "phase",
            ["tenant_id", "current_phase_id"], ["tenant_id", "id"],
        )
    rls.enable(op, *TENANT_TABLES)


def downgrade() -> None:
    rls.disable(op, *TENANT_TABLES)
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_process_tenant_id_current_phase_id_phase"), type_="foreignkey")
    with op.batch_alter_table('phase_checklist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_checklist_item_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_phase_checklist_item_phase_id'))

    op.drop_table('phase_checklist_item')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_decision_process_id'))

    op.drop_table('decision')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_activity_process_id'))
        batch_op.drop_index(batch_op.f('ix_activity_phase_id'))
        batch_op.drop_index('ix_activity_due')

    op.drop_table('activity')
    with op.batch_alter_table('stakeholder_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholder_entry_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_stakeholder_entry_process_id'))

    op.drop_table('stakeholder_entry')
    with op.batch_alter_table('process_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_participant_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_process_participant_process_id'))
        batch_op.drop_index(batch_op.f('ix_process_participant_participant_id'))

    op.drop_table('process_participant')
    with op.batch_alter_table('phase_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_move_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_phase_move_process_id'))

    op.drop_table('phase_move')
    with op.batch_alter_table('phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_phase_process_id'))

    op.drop_table('phase')
    with op.batch_alter_table('process', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_tenant_id'))

    op.drop_table('process')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_tenant_id'))

    op.drop_table('participant')
