"""recruitment tracks

Revision ID: 0001_recruitment
Revises:
Create Date: 2026-12-04

The recruitment tracks of a municipality: target groups, personas, tracks with their
solutions and 3 days / 3 weeks / 3 months plans, the Enkla jobb worksheet; openings,
candidates (their special-category fields in a table apart), stage changes,
placements, funding rules and funding, reminders sent, outcomes and mentor meetings.
Every table is a tenant table with row-level security, born in the key shape Citus
needs: primary key (tenant_id, id), every unique constraint with tenant_id, every
reference between them composite (tenant_id, x_id).
"""
from alembic import op
import sqlalchemy as sa

from dugnad.sdk import rls

TENANT_TABLES = (
    "recruitment_funding_rule",
    "recruitment_reminder",
    "recruitment_target_group",
    "recruitment_persona",
    "recruitment_track",
    "recruitment_candidate",
    "recruitment_opening",
    "recruitment_solution",
    "recruitment_worksheet",
    "recruitment_candidate_sensitive",
    "recruitment_mentor_meeting",
    "recruitment_outcome",
    "recruitment_placement",
    "recruitment_plan_item",
    "recruitment_stage_change",
    "recruitment_worksheet_task",
    "recruitment_funding",
)

revision = '0001_recruitment'
down_revision = None
branch_labels = ('recruitment',)
depends_on = '0005_tenant_keys'


def upgrade() -> None:
    op.create_table('recruitment_funding_rule',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('rate', sa.Integer(), nullable=False),
    sa.Column('step_after_months', sa.Integer(), nullable=True),
    sa.Column('stepped_rate', sa.Integer(), nullable=True),
    sa.Column('max_months', sa.Integer(), nullable=False),
    sa.Column('warn_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_months > 0', name=op.f('ck_recruitment_funding_rule_max_months')),
    sa.CheckConstraint('rate >= 0 AND rate <= 100', name=op.f('ck_recruitment_funding_rule_rate')),
    sa.CheckConstraint('stepped_rate IS NULL OR (stepped_rate >= 0 AND stepped_rate <= rate)', name=op.f('ck_recruitment_funding_rule_stepped_rate')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_funding_rule_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_funding_rule')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_funding_rule_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_recruitment_funding_rule_tenant_id_name'))
    )
    with op.batch_alter_table('recruitment_funding_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_funding_rule_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_reminder',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_reminder_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_reminder')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_reminder_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'kind', 'subject_id', 'due_on', name=op.f('uq_recruitment_reminder_tenant_id_kind_subject_id_due_on'))
    )
    with op.batch_alter_table('recruitment_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_reminder_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_target_group',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=8), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('needs', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_target_group_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_target_group')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_target_group_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_recruitment_target_group_tenant_id_name'))
    )
    with op.batch_alter_table('recruitment_target_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_target_group_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_persona',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('target_group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('story', sa.Text(), nullable=False),
    sa.Column('resources', sa.Text(), nullable=True),
    sa.Column('needs', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'target_group_id'], ['recruitment_target_group.tenant_id', 'recruitment_target_group.id'], name=op.f('fk_recruitment_persona_tenant_id_target_group_id_recruitment_target_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_persona_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_persona')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_persona_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_persona', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_persona_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_track',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('target_group_id', sa.Integer(), nullable=True),
    sa.Column('process_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_recruitment_track_tenant_id_process_id_process')),
    sa.ForeignKeyConstraint(['tenant_id', 'target_group_id'], ['recruitment_target_group.tenant_id', 'recruitment_target_group.id'], name=op.f('fk_recruitment_track_tenant_id_target_group_id_recruitment_target_group')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_track_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_track')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_track_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_recruitment_track_tenant_id_name'))
    )
    with op.batch_alter_table('recruitment_track', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_track_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_candidate',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('background', sa.Text(), nullable=True),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('stage_since', sa.Date(), nullable=False),
    sa.Column('legal_basis', sa.String(length=16), nullable=False),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_recruitment_candidate_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_recruitment_candidate_tenant_id_participant_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'track_id'], ['recruitment_track.tenant_id', 'recruitment_track.id'], name=op.f('fk_recruitment_candidate_tenant_id_track_id_recruitment_track'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_candidate_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_candidate')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_candidate_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_candidate_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_recruitment_candidate_track_stage', ['tenant_id', 'track_id', 'stage'], unique=False)

    op.create_table('recruitment_opening',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('monthly_wage', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('months > 0 AND months <= 60', name=op.f('ck_recruitment_opening_months')),
    sa.ForeignKeyConstraint(['leader_id'], ['user_account.id'], name=op.f('fk_recruitment_opening_leader_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'], name=op.f('fk_recruitment_opening_mentor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'track_id'], ['recruitment_track.tenant_id', 'recruitment_track.id'], name=op.f('fk_recruitment_opening_tenant_id_track_id_recruitment_track'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_opening_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_opening')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_opening_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_opening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_opening_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_recruitment_opening_track', ['tenant_id', 'track_id'], unique=False)

    op.create_table('recruitment_solution',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('target_group_id', sa.Integer(), nullable=True),
    sa.Column('who_does_what', sa.Text(), nullable=True),
    sa.Column('road_in', sa.Text(), nullable=True),
    sa.Column('plan_starts_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'target_group_id'], ['recruitment_target_group.tenant_id', 'recruitment_target_group.id'], name=op.f('fk_recruitment_solution_tenant_id_target_group_id_recruitment_target_group')),
    sa.ForeignKeyConstraint(['tenant_id', 'track_id'], ['recruitment_track.tenant_id', 'recruitment_track.id'], name=op.f('fk_recruitment_solution_tenant_id_track_id_recruitment_track'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_solution_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_solution')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_solution_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_solution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_solution_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_worksheet',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('job_summary', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'track_id'], ['recruitment_track.tenant_id', 'recruitment_track.id'], name=op.f('fk_recruitment_worksheet_tenant_id_track_id_recruitment_track')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_worksheet_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_worksheet')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_worksheet_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_worksheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_worksheet_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_candidate_sensitive',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('health', sa.Text(), nullable=True),
    sa.Column('substance_use', sa.Text(), nullable=True),
    sa.Column('criminal_record', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'candidate_id'], ['recruitment_candidate.tenant_id', 'recruitment_candidate.id'], name=op.f('fk_recruitment_candidate_sensitive_tenant_id_candidate_id_recruitment_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_candidate_sensitive_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_recruitment_candidate_sensitive_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_candidate_sensitive')),
    sa.UniqueConstraint('tenant_id', 'candidate_id', name=op.f('uq_recruitment_candidate_sensitive_tenant_id_candidate_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_candidate_sensitive_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_candidate_sensitive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_candidate_sensitive_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_mentor_meeting',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('met_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['logged_by_id'], ['user_account.id'], name=op.f('fk_recruitment_mentor_meeting_logged_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'candidate_id'], ['recruitment_candidate.tenant_id', 'recruitment_candidate.id'], name=op.f('fk_recruitment_mentor_meeting_tenant_id_candidate_id_recruitment_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_mentor_meeting_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_mentor_meeting')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_mentor_meeting_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_mentor_meeting', schema=None) as batch_op:
        batch_op.create_index('ix_recruitment_mentor_meeting_candidate', ['tenant_id', 'candidate_id', 'met_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruitment_mentor_meeting_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_outcome',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('permanent', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_recruitment_outcome_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'candidate_id'], ['recruitment_candidate.tenant_id', 'recruitment_candidate.id'], name=op.f('fk_recruitment_outcome_tenant_id_candidate_id_recruitment_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_outcome_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_outcome')),
    sa.UniqueConstraint('tenant_id', 'candidate_id', 'months', name=op.f('uq_recruitment_outcome_tenant_id_candidate_id_months')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_outcome_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_outcome', schema=None) as batch_op:
        batch_op.create_index('ix_recruitment_outcome_due', ['tenant_id', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruitment_outcome_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_placement',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('opening_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('mentor_name', sa.String(length=200), nullable=True),
    sa.Column('monthly_wage', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_recruitment_placement_dates')),
    sa.ForeignKeyConstraint(['leader_id'], ['user_account.id'], name=op.f('fk_recruitment_placement_leader_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'], name=op.f('fk_recruitment_placement_mentor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'candidate_id'], ['recruitment_candidate.tenant_id', 'recruitment_candidate.id'], name=op.f('fk_recruitment_placement_tenant_id_candidate_id_recruitment_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'opening_id'], ['recruitment_opening.tenant_id', 'recruitment_opening.id'], name=op.f('fk_recruitment_placement_tenant_id_opening_id_recruitment_opening'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_placement_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_placement')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_placement_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_placement', schema=None) as batch_op:
        batch_op.create_index('ix_recruitment_placement_candidate', ['tenant_id', 'candidate_id', 'starts_on'], unique=False)
        batch_op.create_index('ix_recruitment_placement_leader', ['tenant_id', 'leader_id'], unique=False)
        batch_op.create_index('ix_recruitment_placement_mentor', ['tenant_id', 'mentor_id'], unique=False)
        batch_op.create_index('ix_recruitment_placement_opening', ['tenant_id', 'opening_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruitment_placement_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_plan_item',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('horizon', sa.String(length=4), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'activity_id'], ['activity.tenant_id', 'activity.id'], name=op.f('fk_recruitment_plan_item_tenant_id_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'solution_id'], ['recruitment_solution.tenant_id', 'recruitment_solution.id'], name=op.f('fk_recruitment_plan_item_tenant_id_solution_id_recruitment_solution'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_plan_item_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_plan_item')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_plan_item_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_plan_item', schema=None) as batch_op:
        batch_op.create_index('ix_recruitment_plan_item_solution', ['tenant_id', 'solution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruitment_plan_item_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_stage_change',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.String(length=16), nullable=True),
    sa.Column('to_stage', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=12), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_recruitment_stage_change_changed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'candidate_id'], ['recruitment_candidate.tenant_id', 'recruitment_candidate.id'], name=op.f('fk_recruitment_stage_change_tenant_id_candidate_id_recruitment_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_stage_change_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_stage_change')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_stage_change_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_stage_change', schema=None) as batch_op:
        batch_op.create_index('ix_recruitment_stage_change_candidate', ['tenant_id', 'candidate_id', 'changed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruitment_stage_change_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_worksheet_task',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('worksheet_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('simple', sa.Boolean(), nullable=False),
    sa.Column('repeatable', sa.Boolean(), nullable=False),
    sa.Column('hours_per_week', sa.Float(), nullable=False),
    sa.Column('bundled', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('hours_per_week >= 0 AND hours_per_week <= 40', name=op.f('ck_recruitment_worksheet_task_hours')),
    sa.ForeignKeyConstraint(['tenant_id', 'worksheet_id'], ['recruitment_worksheet.tenant_id', 'recruitment_worksheet.id'], name=op.f('fk_recruitment_worksheet_task_tenant_id_worksheet_id_recruitment_worksheet'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_worksheet_task_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_worksheet_task')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_worksheet_task_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_worksheet_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruitment_worksheet_task_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('recruitment_funding',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('rate', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('step_down_on', sa.Date(), nullable=True),
    sa.Column('stepped_rate', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_recruitment_funding_dates')),
    sa.ForeignKeyConstraint(['tenant_id', 'placement_id'], ['recruitment_placement.tenant_id', 'recruitment_placement.id'], name=op.f('fk_recruitment_funding_tenant_id_placement_id_recruitment_placement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'rule_id'], ['recruitment_funding_rule.tenant_id', 'recruitment_funding_rule.id'], name=op.f('fk_recruitment_funding_tenant_id_rule_id_recruitment_funding_rule')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_recruitment_funding_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_recruitment_funding')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_recruitment_funding_tenant_id_id'))
    )
    with op.batch_alter_table('recruitment_funding', schema=None) as batch_op:
        batch_op.create_index('ix_recruitment_funding_ends', ['tenant_id', 'ends_on'], unique=False)
        batch_op.create_index('ix_recruitment_funding_placement', ['tenant_id', 'placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recruitment_funding_tenant_id'), ['tenant_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL drops a UNIQUE that repeats the primary key within one CREATE TABLE; the
        # model declares both (tenant_id, id), so add the unique constraint once the table exists
        for table in TENANT_TABLES:
            op.create_unique_constraint(f"uq_{table}_tenant_id_id", table, ["tenant_id", "id"])
    rls.enable(op, *TENANT_TABLES)


def downgrade() -> None:
    rls.disable(op, *TENANT_TABLES)
    with op.batch_alter_table('recruitment_funding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_funding_tenant_id'))
        batch_op.drop_index('ix_recruitment_funding_placement')
        batch_op.drop_index('ix_recruitment_funding_ends')

    op.drop_table('recruitment_funding')
    with op.batch_alter_table('recruitment_worksheet_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_worksheet_task_tenant_id'))

    op.drop_table('recruitment_worksheet_task')
    with op.batch_alter_table('recruitment_stage_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_stage_change_tenant_id'))
        batch_op.drop_index('ix_recruitment_stage_change_candidate')

    op.drop_table('recruitment_stage_change')
    with op.batch_alter_table('recruitment_plan_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_plan_item_tenant_id'))
        batch_op.drop_index('ix_recruitment_plan_item_solution')

    op.drop_table('recruitment_plan_item')
    with op.batch_alter_table('recruitment_placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_placement_tenant_id'))
        batch_op.drop_index('ix_recruitment_placement_opening')
        batch_op.drop_index('ix_recruitment_placement_mentor')
        batch_op.drop_index('ix_recruitment_placement_leader')
        batch_op.drop_index('ix_recruitment_placement_candidate')

    op.drop_table('recruitment_placement')
    with op.batch_alter_table('recruitment_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_outcome_tenant_id'))
        batch_op.drop_index('ix_recruitment_outcome_due')

    op.drop_table('recruitment_outcome')
    with op.batch_alter_table('recruitment_mentor_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_mentor_meeting_tenant_id'))
        batch_op.drop_index('ix_recruitment_mentor_meeting_candidate')

    op.drop_table('recruitment_mentor_meeting')
    with op.batch_alter_table('recruitment_candidate_sensitive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_candidate_sensitive_tenant_id'))

    op.drop_table('recruitment_candidate_sensitive')
    with op.batch_alter_table('recruitment_worksheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_worksheet_tenant_id'))

    op.drop_table('recruitment_worksheet')
    with op.batch_alter_table('recruitment_solution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_solution_tenant_id'))

    op.drop_table('recruitment_solution')
    with op.batch_alter_table('recruitment_opening', schema=None) as batch_op:
        batch_op.drop_index('ix_recruitment_opening_track')
        batch_op.drop_index(batch_op.f('ix_recruitment_opening_tenant_id'))

    op.drop_table('recruitment_opening')
    with op.batch_alter_table('recruitment_candidate', schema=None) as batch_op:
        batch_op.drop_index('ix_recruitment_candidate_track_stage')
        batch_op.drop_index(batch_op.f('ix_recruitment_candidate_tenant_id'))

    op.drop_table('recruitment_candidate')
    with op.batch_alter_table('recruitment_track', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_track_tenant_id'))

    op.drop_table('recruitment_track')
    with op.batch_alter_table('recruitment_persona', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_persona_tenant_id'))

    op.drop_table('recruitment_persona')
    with op.batch_alter_table('recruitment_target_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_target_group_tenant_id'))

    op.drop_table('recruitment_target_group')
    with op.batch_alter_table('recruitment_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_reminder_tenant_id'))

    op.drop_table('recruitment_reminder')
    with op.batch_alter_table('recruitment_funding_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruitment_funding_rule_tenant_id'))

    op.drop_table('recruitment_funding_rule')
