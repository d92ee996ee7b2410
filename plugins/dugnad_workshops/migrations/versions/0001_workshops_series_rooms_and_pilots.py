"""workshop series, rooms, tables, needs, solutions, homework, summaries, pilots

Revision ID: 0001_workshops
Revises:
Create Date: 2026-12-01

The integration workshops plugin: a series per process, its themes and two workshops,
the room (tables, who is invited and came, the placement per round), the tables' needs
and solutions, homework, summaries, and pilots with their rounds of testing.
"""
from alembic import op
import sqlalchemy as sa

from dugnad.sdk import rls

TENANT_TABLES = ("workshop", "workshop_series", "workshop_theme", "workshop_attendance", "workshop_summary",
                 "workshop_table", "workshop_need", "workshop_placement", "workshop_solution", "workshop_homework",
                 "workshop_pilot", "workshop_pilot_round")


revision = '0001_workshops'
down_revision = None
branch_labels = ('workshops',)
depends_on = '0002_processes'


def upgrade() -> None:
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('rotations', sa.Integer(), nullable=False),
    sa.Column('current_round', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=True),
    sa.Column('invited_sequence', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('number IN (1, 2)', name=op.f('ck_workshop_number')),
    sa.CheckConstraint('rotations BETWEEN 0 AND 12', name=op.f('ck_workshop_rotations')),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_workshop_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'process_id', 'number', name=op.f('uq_workshop_tenant_id_process_id_number'))
    )
    op.create_index(op.f('ix_workshop_process_id'), 'workshop', ['process_id'], unique=False)
    op.create_index(op.f('ix_workshop_tenant_id'), 'workshop', ['tenant_id'], unique=False)
    op.create_table('workshop_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('preparation', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_workshop_series_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_series_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_series')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_series_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'process_id', name=op.f('uq_workshop_series_tenant_id_process_id'))
    )
    op.create_index(op.f('ix_workshop_series_tenant_id'), 'workshop_series', ['tenant_id'], unique=False)
    op.create_table('workshop_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_workshop_theme_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_theme_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_theme')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_theme_tenant_id_id'))
    )
    op.create_index(op.f('ix_workshop_theme_process_id'), 'workshop_theme', ['process_id'], unique=False)
    op.create_index(op.f('ix_workshop_theme_tenant_id'), 'workshop_theme', ['tenant_id'], unique=False)
    op.create_table('workshop_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=True),
    sa.Column('response', sa.String(length=8), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('presence', sa.String(length=8), nullable=True),
    sa.Column('arrived_late', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_workshop_attendance_tenant_id_participant_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'workshop_id'], ['workshop.tenant_id', 'workshop.id'], name=op.f('fk_workshop_attendance_tenant_id_workshop_id_workshop'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_attendance_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_attendance')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_attendance_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'workshop_id', 'participant_id', name=op.f('uq_workshop_attendance_tenant_id_workshop_id_participant_id'))
    )
    op.create_index(op.f('ix_workshop_attendance_participant_id'), 'workshop_attendance', ['participant_id'], unique=False)
    op.create_index(op.f('ix_workshop_attendance_tenant_id'), 'workshop_attendance', ['tenant_id'], unique=False)
    op.create_index(op.f('ix_workshop_attendance_workshop_id'), 'workshop_attendance', ['workshop_id'], unique=False)
    op.create_table('workshop_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_workshop_summary_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'workshop_id'], ['workshop.tenant_id', 'workshop.id'], name=op.f('fk_workshop_summary_tenant_id_workshop_id_workshop'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_summary_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_summary')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_summary_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'workshop_id', name=op.f('uq_workshop_summary_tenant_id_workshop_id'))
    )
    op.create_index(op.f('ix_workshop_summary_tenant_id'), 'workshop_summary', ['tenant_id'], unique=False)
    op.create_table('workshop_table',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('seats BETWEEN 1 AND 40', name=op.f('ck_workshop_table_seats')),
    sa.ForeignKeyConstraint(['tenant_id', 'facilitator_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_workshop_table_tenant_id_facilitator_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'theme_id'], ['workshop_theme.tenant_id', 'workshop_theme.id'], name=op.f('fk_workshop_table_tenant_id_theme_id_workshop_theme')),
    sa.ForeignKeyConstraint(['tenant_id', 'workshop_id'], ['workshop.tenant_id', 'workshop.id'], name=op.f('fk_workshop_table_tenant_id_workshop_id_workshop'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_table_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_table')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_table_tenant_id_id'))
    )
    op.create_index(op.f('ix_workshop_table_tenant_id'), 'workshop_table', ['tenant_id'], unique=False)
    op.create_index(op.f('ix_workshop_table_workshop_id'), 'workshop_table', ['workshop_id'], unique=False)
    op.create_table('workshop_need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('prioritised', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_workshop_need_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'table_id'], ['workshop_table.tenant_id', 'workshop_table.id'], name=op.f('fk_workshop_need_tenant_id_table_id_workshop_table'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'workshop_id'], ['workshop.tenant_id', 'workshop.id'], name=op.f('fk_workshop_need_tenant_id_workshop_id_workshop'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_need_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_need')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_need_tenant_id_id'))
    )
    op.create_index(op.f('ix_workshop_need_table_id'), 'workshop_need', ['table_id'], unique=False)
    op.create_index(op.f('ix_workshop_need_tenant_id'), 'workshop_need', ['tenant_id'], unique=False)
    op.create_index(op.f('ix_workshop_need_workshop_id'), 'workshop_need', ['workshop_id'], unique=False)
    op.create_table('workshop_placement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_workshop_placement_tenant_id_participant_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'table_id'], ['workshop_table.tenant_id', 'workshop_table.id'], name=op.f('fk_workshop_placement_tenant_id_table_id_workshop_table'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'workshop_id'], ['workshop.tenant_id', 'workshop.id'], name=op.f('fk_workshop_placement_tenant_id_workshop_id_workshop'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_placement_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_placement')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_placement_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'workshop_id', 'round', 'participant_id', name=op.f('uq_workshop_placement_tenant_id_workshop_id_round_participant_id'))
    )
    op.create_index(op.f('ix_workshop_placement_table_id'), 'workshop_placement', ['table_id'], unique=False)
    op.create_index(op.f('ix_workshop_placement_tenant_id'), 'workshop_placement', ['tenant_id'], unique=False)
    op.create_index(op.f('ix_workshop_placement_workshop_id'), 'workshop_placement', ['workshop_id'], unique=False)
    op.create_table('workshop_solution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('measure', sa.Text(), nullable=True),
    sa.Column('effect', sa.Text(), nullable=True),
    sa.Column('key_resources', sa.Text(), nullable=True),
    sa.Column('picked_at', sa.DateTime(), nullable=True),
    sa.Column('chosen_at', sa.DateTime(), nullable=True),
    sa.Column('sharpened', sa.Text(), nullable=True),
    sa.Column('rules_check', sa.String(length=8), nullable=True),
    sa.Column('rules_note', sa.Text(), nullable=True),
    sa.Column('budget_check', sa.String(length=8), nullable=True),
    sa.Column('budget_note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_workshop_solution_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'need_id'], ['workshop_need.tenant_id', 'workshop_need.id'], name=op.f('fk_workshop_solution_tenant_id_need_id_workshop_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_workshop_solution_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'table_id'], ['workshop_table.tenant_id', 'workshop_table.id'], name=op.f('fk_workshop_solution_tenant_id_table_id_workshop_table'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_solution_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_solution')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_solution_tenant_id_id'))
    )
    op.create_index(op.f('ix_workshop_solution_need_id'), 'workshop_solution', ['need_id'], unique=False)
    op.create_index(op.f('ix_workshop_solution_process_id'), 'workshop_solution', ['process_id'], unique=False)
    op.create_index(op.f('ix_workshop_solution_table_id'), 'workshop_solution', ['table_id'], unique=False)
    op.create_index(op.f('ix_workshop_solution_tenant_id'), 'workshop_solution', ['tenant_id'], unique=False)
    op.create_table('workshop_homework',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('presented_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_workshop_homework_tenant_id_owner_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'solution_id'], ['workshop_solution.tenant_id', 'workshop_solution.id'], name=op.f('fk_workshop_homework_tenant_id_solution_id_workshop_solution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_homework_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_homework')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_homework_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'solution_id', name=op.f('uq_workshop_homework_tenant_id_solution_id'))
    )
    op.create_index(op.f('ix_workshop_homework_owner_id'), 'workshop_homework', ['owner_id'], unique=False)
    op.create_index(op.f('ix_workshop_homework_tenant_id'), 'workshop_homework', ['tenant_id'], unique=False)
    op.create_table('workshop_pilot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('first_activity', sa.String(length=200), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('target_result', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('evaluation', sa.Text(), nullable=True),
    sa.Column('reached', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'owner_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_workshop_pilot_tenant_id_owner_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_workshop_pilot_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'solution_id'], ['workshop_solution.tenant_id', 'workshop_solution.id'], name=op.f('fk_workshop_pilot_tenant_id_solution_id_workshop_solution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_pilot_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_pilot')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_pilot_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'solution_id', name=op.f('uq_workshop_pilot_tenant_id_solution_id'))
    )
    op.create_index(op.f('ix_workshop_pilot_process_id'), 'workshop_pilot', ['process_id'], unique=False)
    op.create_index(op.f('ix_workshop_pilot_tenant_id'), 'workshop_pilot', ['tenant_id'], unique=False)
    op.create_table('workshop_pilot_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('tested', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.Column('reached', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=8), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'pilot_id'], ['workshop_pilot.tenant_id', 'workshop_pilot.id'], name=op.f('fk_workshop_pilot_round_tenant_id_pilot_id_workshop_pilot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_pilot_round_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_pilot_round')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_workshop_pilot_round_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'pilot_id', 'number', name=op.f('uq_workshop_pilot_round_tenant_id_pilot_id_number'))
    )
    op.create_index(op.f('ix_workshop_pilot_round_pilot_id'), 'workshop_pilot_round', ['pilot_id'], unique=False)
    op.create_index(op.f('ix_workshop_pilot_round_tenant_id'), 'workshop_pilot_round', ['tenant_id'], unique=False)
    rls.enable(op, *TENANT_TABLES)


def downgrade() -> None:
    rls.disable(op, *TENANT_TABLES)
    op.drop_index(op.f('ix_workshop_pilot_round_tenant_id'), table_name='workshop_pilot_round')
    op.drop_index(op.f('ix_workshop_pilot_round_pilot_id'), table_name='workshop_pilot_round')
    op.drop_table('workshop_pilot_round')
    op.drop_index(op.f('ix_workshop_pilot_tenant_id'), table_name='workshop_pilot')
    op.drop_index(op.f('ix_workshop_pilot_process_id'), table_name='workshop_pilot')
    op.drop_table('workshop_pilot')
    op.drop_index(op.f('ix_workshop_homework_tenant_id'), table_name='workshop_homework')
    op.drop_index(op.f('ix_workshop_homework_owner_id'), table_name='workshop_homework')
    op.drop_table('workshop_homework')
    op.drop_index(op.f('ix_workshop_solution_tenant_id'), table_name='workshop_solution')
    op.drop_index(op.f('ix_workshop_solution_table_id'), table_name='workshop_solution')
    op.drop_index(op.f('ix_workshop_solution_process_id'), table_name='workshop_solution')
    op.drop_index(op.f('ix_workshop_solution_need_id'), table_name='workshop_solution')
    op.drop_table('workshop_solution')
    op.drop_index(op.f('ix_workshop_placement_workshop_id'), table_name='workshop_placement')
    op.drop_index(op.f('ix_workshop_placement_tenant_id'), table_name='workshop_placement')
    op.drop_index(op.f('ix_workshop_placement_table_id'), table_name='workshop_placement')
    op.drop_table('workshop_placement')
    op.drop_index(op.f('ix_workshop_need_workshop_id'), table_name='workshop_need')
    op.drop_index(op.f('ix_workshop_need_tenant_id'), table_name='workshop_need')
    op.drop_index(op.f('ix_workshop_need_table_id'), table_name='workshop_need')
    op.drop_table('workshop_need')
    op.drop_index(op.f('ix_workshop_table_workshop_id'), table_name='workshop_table')
    op.drop_index(op.f('ix_workshop_table_tenant_id'), table_name='workshop_table')
    op.drop_table('workshop_table')
    op.drop_index(op.f('ix_workshop_summary_tenant_id'), table_name='workshop_summary')
    op.drop_table('workshop_summary')
    op.drop_index(op.f('ix_workshop_attendance_workshop_id'), table_name='workshop_attendance')
    op.drop_index(op.f('ix_workshop_attendance_tenant_id'), table_name='workshop_attendance')
    op.drop_index(op.f('ix_workshop_attendance_participant_id'), table_name='workshop_attendance')
    op.drop_table('workshop_attendance')
    op.drop_index(op.f('ix_workshop_theme_tenant_id'), table_name='workshop_theme')
    op.drop_index(op.f('ix_workshop_theme_process_id'), table_name='workshop_theme')
    op.drop_table('workshop_theme')
    op.drop_index(op.f('ix_workshop_series_tenant_id'), table_name='workshop_series')
    op.drop_table('workshop_series')
    op.drop_index(op.f('ix_workshop_tenant_id'), table_name='workshop')
    op.drop_index(op.f('ix_workshop_process_id'), table_name='workshop')
    op.drop_table('workshop')
