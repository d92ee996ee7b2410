"""volunteer resource bank

Revision ID: 0001_volunteers
Revises:
Create Date: 2026-12-01

The volunteer bank of a municipality: consent text versions, roles and areas,
volunteers with their languages, areas, wishes, qualifications and police
certificate records (never the certificate), needs and assignments, events with
invitations, the volunteer organisations' profiles, and registration attempts
for throttling. Every table is a tenant table with row-level security.
"""
from alembic import op
import sqlalchemy as sa

from dugnad.sdk import rls

TENANT_TABLES = (
    "volunteer_area",
    "volunteer_consent_text",
    "volunteer_event",
    "volunteer_role",
    "volunteer_signup_attempt",
    "volunteer",
    "volunteer_need",
    "volunteer_organisation",
    "volunteer_area_choice",
    "volunteer_assignment",
    "volunteer_event_invitation",
    "volunteer_interest",
    "volunteer_language",
    "volunteer_qualification",
    "volunteer_vetting",
)

revision = '0001_volunteers'
down_revision = None
branch_labels = ('volunteers',)
depends_on = '0002_processes'


def upgrade() -> None:
    op.create_table('volunteer_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_area_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_area')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_area_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_volunteer_area_tenant_id_name'))
    )
    with op.batch_alter_table('volunteer_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_area_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_consent_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_volunteer_consent_text_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_consent_text_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_consent_text')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_consent_text_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'version', name=op.f('uq_volunteer_consent_text_tenant_id_version'))
    )
    with op.batch_alter_table('volunteer_consent_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_consent_text_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_volunteer_event_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_event_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_event')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_event_tenant_id_id'))
    )
    with op.batch_alter_table('volunteer_event', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_event_starts', ['tenant_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_event_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('requires_certificate', sa.Boolean(), nullable=False),
    sa.Column('works_with', sa.String(length=16), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revised_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_role_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_role')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_role_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_volunteer_role_tenant_id_name'))
    )
    with op.batch_alter_table('volunteer_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_role_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_signup_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_signup_attempt_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_signup_attempt')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_signup_attempt_tenant_id_id'))
    )
    with op.batch_alter_table('volunteer_signup_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_signup_attempt_key', ['tenant_id', 'key', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_signup_attempt_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('guardian_name', sa.String(length=200), nullable=True),
    sa.Column('guardian_email', sa.String(length=254), nullable=True),
    sa.Column('guardian_confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('formal_competence', sa.Text(), nullable=True),
    sa.Column('informal_competence', sa.Text(), nullable=True),
    sa.Column('availability', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=True),
    sa.Column('anywhere', sa.Boolean(), nullable=False),
    sa.Column('consent_text_id', sa.Integer(), nullable=True),
    sa.Column('consented_at', sa.DateTime(), nullable=True),
    sa.Column('regional_consent_at', sa.DateTime(), nullable=True),
    sa.Column('email_confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_message', sa.Text(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('paused_at', sa.DateTime(), nullable=True),
    sa.Column('paused_until', sa.Date(), nullable=True),
    sa.Column('last_task_on', sa.Date(), nullable=True),
    sa.Column('last_active_at', sa.DateTime(), nullable=False),
    sa.Column('idle_since', sa.Date(), nullable=True),
    sa.Column('retention_warned_at', sa.DateTime(), nullable=True),
    sa.Column('link_version', sa.Integer(), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('availability >= 0', name=op.f('ck_volunteer_availability')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_volunteer_reviewed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'consent_text_id'], ['volunteer_consent_text.tenant_id', 'volunteer_consent_text.id'], name=op.f('fk_volunteer_tenant_id_consent_text_id_volunteer_consent_text')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer')),
    sa.UniqueConstraint('tenant_id', 'email', name=op.f('uq_volunteer_tenant_id_email')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_tenant_id_id'))
    )
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_regional', ['regional_consent_at'], unique=False)
        batch_op.create_index('ix_volunteer_status', ['tenant_id', 'status', 'anonymised_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('language_level', sa.Integer(), nullable=True),
    sa.Column('qualification', sa.String(length=32), nullable=True),
    sa.Column('volunteers_needed', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('filled_at', sa.DateTime(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('volunteers_needed BETWEEN 1 AND 50', name=op.f('ck_volunteer_need_volunteers_needed')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_volunteer_need_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'area_id'], ['volunteer_area.tenant_id', 'volunteer_area.id'], name=op.f('fk_volunteer_need_tenant_id_area_id_volunteer_area')),
    sa.ForeignKeyConstraint(['tenant_id', 'role_id'], ['volunteer_role.tenant_id', 'volunteer_role.id'], name=op.f('fk_volunteer_need_tenant_id_role_id_volunteer_role')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_need_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_need')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_need_tenant_id_id'))
    )
    with op.batch_alter_table('volunteer_need', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_need_starts', ['tenant_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_need_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_volunteer_need_time', ['tenant_id', 'status', 'starts_at'], unique=False)

    op.create_table('volunteer_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('activities', sa.Text(), nullable=True),
    sa.Column('target_groups', sa.JSON(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_volunteer_organisation_tenant_id_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_organisation_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_organisation')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_organisation_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'participant_id', name=op.f('uq_volunteer_organisation_tenant_id_participant_id'))
    )
    with op.batch_alter_table('volunteer_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_organisation_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_area_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'area_id'], ['volunteer_area.tenant_id', 'volunteer_area.id'], name=op.f('fk_volunteer_area_choice_tenant_id_area_id_volunteer_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'volunteer_id'], ['volunteer.tenant_id', 'volunteer.id'], name=op.f('fk_volunteer_area_choice_tenant_id_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_area_choice_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_area_choice')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_area_choice_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'volunteer_id', 'area_id', name=op.f('uq_volunteer_area_choice_tenant_id_volunteer_id_area_id'))
    )
    with op.batch_alter_table('volunteer_area_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_area_choice_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes IS NULL OR minutes BETWEEN 0 AND 1440', name=op.f('ck_volunteer_assignment_minutes')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['user_account.id'], name=op.f('fk_volunteer_assignment_asked_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'need_id'], ['volunteer_need.tenant_id', 'volunteer_need.id'], name=op.f('fk_volunteer_assignment_tenant_id_need_id_volunteer_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'volunteer_id'], ['volunteer.tenant_id', 'volunteer.id'], name=op.f('fk_volunteer_assignment_tenant_id_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_assignment_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_assignment')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_assignment_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'need_id', 'volunteer_id', name=op.f('uq_volunteer_assignment_tenant_id_need_id_volunteer_id'))
    )
    with op.batch_alter_table('volunteer_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_assignment_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_volunteer_assignment_volunteer', ['tenant_id', 'volunteer_id', 'status'], unique=False)

    op.create_table('volunteer_event_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['volunteer_event.tenant_id', 'volunteer_event.id'], name=op.f('fk_volunteer_event_invitation_tenant_id_event_id_volunteer_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'volunteer_id'], ['volunteer.tenant_id', 'volunteer.id'], name=op.f('fk_volunteer_event_invitation_tenant_id_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_event_invitation_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_event_invitation')),
    sa.UniqueConstraint('tenant_id', 'event_id', 'volunteer_id', name=op.f('uq_volunteer_event_invitation_tenant_id_event_id_volunteer_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_event_invitation_tenant_id_id'))
    )
    with op.batch_alter_table('volunteer_event_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_event_invitation_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_volunteer_event_invitation_volunteer', ['tenant_id', 'volunteer_id'], unique=False)

    op.create_table('volunteer_interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'role_id'], ['volunteer_role.tenant_id', 'volunteer_role.id'], name=op.f('fk_volunteer_interest_tenant_id_role_id_volunteer_role'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'volunteer_id'], ['volunteer.tenant_id', 'volunteer.id'], name=op.f('fk_volunteer_interest_tenant_id_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_interest_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_interest')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_interest_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'volunteer_id', 'role_id', name=op.f('uq_volunteer_interest_tenant_id_volunteer_id_role_id'))
    )
    with op.batch_alter_table('volunteer_interest', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_interest_role', ['tenant_id', 'role_id', 'volunteer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_interest_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_language',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 4', name=op.f('ck_volunteer_language_level')),
    sa.ForeignKeyConstraint(['tenant_id', 'volunteer_id'], ['volunteer.tenant_id', 'volunteer.id'], name=op.f('fk_volunteer_language_tenant_id_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_language_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_language')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_language_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'volunteer_id', 'language', name=op.f('uq_volunteer_language_tenant_id_volunteer_id_language'))
    )
    with op.batch_alter_table('volunteer_language', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_language_match', ['tenant_id', 'language', 'level', 'volunteer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_language_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_qualification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_volunteer_qualification_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'volunteer_id'], ['volunteer.tenant_id', 'volunteer.id'], name=op.f('fk_volunteer_qualification_tenant_id_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_qualification_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_qualification')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_qualification_tenant_id_id'))
    )
    with op.batch_alter_table('volunteer_qualification', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_qualification_match', ['tenant_id', 'kind', 'volunteer_id', 'valid_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_qualification_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('volunteer_vetting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('role_revision', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('shown_on', sa.Date(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_by_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user_account.id'], name=op.f('fk_volunteer_vetting_checked_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'role_id'], ['volunteer_role.tenant_id', 'volunteer_role.id'], name=op.f('fk_volunteer_vetting_tenant_id_role_id_volunteer_role'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'volunteer_id'], ['volunteer.tenant_id', 'volunteer.id'], name=op.f('fk_volunteer_vetting_tenant_id_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_volunteer_vetting_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_vetting')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_volunteer_vetting_tenant_id_id'))
    )
    with op.batch_alter_table('volunteer_vetting', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_vetting_match', ['tenant_id', 'role_id', 'role_revision', 'revoked_at', 'volunteer_id', 'shown_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_vetting_tenant_id'), ['tenant_id'], unique=False)

    rls.enable(op, *TENANT_TABLES)


def downgrade() -> None:
    rls.disable(op, *TENANT_TABLES)
    with op.batch_alter_table('volunteer_vetting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_vetting_tenant_id'))
        batch_op.drop_index('ix_volunteer_vetting_match')

    op.drop_table('volunteer_vetting')
    with op.batch_alter_table('volunteer_qualification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_qualification_tenant_id'))
        batch_op.drop_index('ix_volunteer_qualification_match')

    op.drop_table('volunteer_qualification')
    with op.batch_alter_table('volunteer_language', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_language_tenant_id'))
        batch_op.drop_index('ix_volunteer_language_match')

    op.drop_table('volunteer_language')
    with op.batch_alter_table('volunteer_interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_interest_tenant_id'))
        batch_op.drop_index('ix_volunteer_interest_role')

    op.drop_table('volunteer_interest')
    with op.batch_alter_table('volunteer_event_invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_event_invitation_volunteer')
        batch_op.drop_index(batch_op.f('ix_volunteer_event_invitation_tenant_id'))

    op.drop_table('volunteer_event_invitation')
    with op.batch_alter_table('volunteer_assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_assignment_volunteer')
        batch_op.drop_index(batch_op.f('ix_volunteer_assignment_tenant_id'))

    op.drop_table('volunteer_assignment')
    with op.batch_alter_table('volunteer_area_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_area_choice_tenant_id'))

    op.drop_table('volunteer_area_choice')
    with op.batch_alter_table('volunteer_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_organisation_tenant_id'))

    op.drop_table('volunteer_organisation')
    with op.batch_alter_table('volunteer_need', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_need_time')
        batch_op.drop_index(batch_op.f('ix_volunteer_need_tenant_id'))
        batch_op.drop_index('ix_volunteer_need_starts')

    op.drop_table('volunteer_need')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_tenant_id'))
        batch_op.drop_index('ix_volunteer_status')
        batch_op.drop_index('ix_volunteer_regional')

    op.drop_table('volunteer')
    with op.batch_alter_table('volunteer_signup_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_signup_attempt_tenant_id'))
        batch_op.drop_index('ix_volunteer_signup_attempt_key')

    op.drop_table('volunteer_signup_attempt')
    with op.batch_alter_table('volunteer_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_role_tenant_id'))

    op.drop_table('volunteer_role')
    with op.batch_alter_table('volunteer_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_event_tenant_id'))
        batch_op.drop_index('ix_volunteer_event_starts')

    op.drop_table('volunteer_event')
    with op.batch_alter_table('volunteer_consent_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_consent_text_tenant_id'))

    op.drop_table('volunteer_consent_text')
    with op.batch_alter_table('volunteer_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_area_tenant_id'))

    op.drop_table('volunteer_area')
