"""polls and ballots

Revision ID: 0003_voting
Revises: 0002_processes
Create Date: 2026-12-01

Voting: polls on processes (optionally a phase or activity), their options, who may
vote (members, personal links, paper ballots), ballots and their marks. The composite
keys tie a ballot's voter and a mark's option to the ballot's own poll.
"""
from alembic import op
import sqlalchemy as sa

from dugnad.tenancy import rls

TENANT_TABLES = ("poll", "poll_option", "poll_voter", "poll_ballot", "poll_mark")


revision = '0003_voting'
down_revision = '0002_processes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('option_mode', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('results_visibility', sa.String(length=16), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('allow_change', sa.Boolean(), nullable=False),
    sa.Column('member_voting', sa.Boolean(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=True),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('source_ref', sa.String(length=120), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("NOT anonymous OR (NOT allow_change AND results_visibility = 'after_close')", name=op.f('ck_poll_anonymous')),
    sa.CheckConstraint("results_visibility IN ('live', 'after_vote', 'after_close')", name=op.f('ck_poll_visibility')),
    sa.CheckConstraint("status IN ('draft', 'proposals', 'open', 'closed')", name=op.f('ck_poll_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_poll_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'activity_id'], ['activity.tenant_id', 'activity.id'], name=op.f('fk_poll_tenant_id_activity_id_activity')),
    sa.ForeignKeyConstraint(['tenant_id', 'phase_id'], ['phase.tenant_id', 'phase.id'], name=op.f('fk_poll_tenant_id_phase_id_phase')),
    sa.ForeignKeyConstraint(['tenant_id', 'process_id'], ['process.tenant_id', 'process.id'], name=op.f('fk_poll_tenant_id_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_poll_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_poll_tenant_id_id'))
    )
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.create_index('ix_poll_due', ['status', 'closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_source_ref'), ['source_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('poll_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_ref', sa.String(length=120), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_voter_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_poll_option_proposed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'poll_id'], ['poll.tenant_id', 'poll.id'], name=op.f('fk_poll_option_tenant_id_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_poll_option_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_option')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_poll_option_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'poll_id', 'id', name=op.f('uq_poll_option_tenant_id_poll_id_id'))
    )
    with op.batch_alter_table('poll_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_option_poll_id'), ['poll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_option_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('poll_voter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=120), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('nonce', sa.String(length=32), nullable=True),
    sa.Column('device_hash', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('has_voted', sa.Boolean(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('member', 'link', 'paper')", name=op.f('ck_poll_voter_kind')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_poll_voter_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'participant_id'], ['participant.tenant_id', 'participant.id'], name=op.f('fk_poll_voter_tenant_id_participant_id_participant')),
    sa.ForeignKeyConstraint(['tenant_id', 'poll_id'], ['poll.tenant_id', 'poll.id'], name=op.f('fk_poll_voter_tenant_id_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_poll_voter_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_poll_voter_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_voter')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_poll_voter_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'poll_id', 'id', name=op.f('uq_poll_voter_tenant_id_poll_id_id')),
    sa.UniqueConstraint('tenant_id', 'poll_id', 'participant_id', name=op.f('uq_poll_voter_tenant_id_poll_id_participant_id')),
    sa.UniqueConstraint('tenant_id', 'poll_id', 'user_id', name=op.f('uq_poll_voter_tenant_id_poll_id_user_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_poll_voter_token_hash'))
    )
    with op.batch_alter_table('poll_voter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_voter_poll_id'), ['poll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_voter_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('poll_ballot',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('on_paper', sa.Boolean(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('cast_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_poll_ballot_weight')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_poll_ballot_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'poll_id', 'voter_id'], ['poll_voter.tenant_id', 'poll_voter.poll_id', 'poll_voter.id'], name=op.f('fk_poll_ballot_tenant_id_poll_id_voter_id_poll_voter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'poll_id'], ['poll.tenant_id', 'poll.id'], name=op.f('fk_poll_ballot_tenant_id_poll_id_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_poll_ballot_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_ballot')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_poll_ballot_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'poll_id', 'id', name=op.f('uq_poll_ballot_tenant_id_poll_id_id')),
    sa.UniqueConstraint('tenant_id', 'poll_id', 'voter_id', name=op.f('uq_poll_ballot_tenant_id_poll_id_voter_id'))
    )
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_ballot_poll_id'), ['poll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_ballot_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('poll_mark',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=63), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_poll_mark_value')),
    sa.ForeignKeyConstraint(['tenant_id', 'poll_id', 'ballot_id'], ['poll_ballot.tenant_id', 'poll_ballot.poll_id', 'poll_ballot.id'], name=op.f('fk_poll_mark_tenant_id_poll_id_ballot_id_poll_ballot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'poll_id', 'option_id'], ['poll_option.tenant_id', 'poll_option.poll_id', 'poll_option.id'], name=op.f('fk_poll_mark_tenant_id_poll_id_option_id_poll_option'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_poll_mark_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_mark')),
    sa.UniqueConstraint('tenant_id', 'ballot_id', 'option_id', 'criterion', name=op.f('uq_poll_mark_tenant_id_ballot_id_option_id_criterion')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_poll_mark_tenant_id_id'))
    )
    with op.batch_alter_table('poll_mark', schema=None) as batch_op:
        batch_op.create_index('ix_poll_mark_option', ['tenant_id', 'poll_id', 'option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_mark_tenant_id'), ['tenant_id'], unique=False)

    rls.enable(op, *TENANT_TABLES)


def downgrade() -> None:
    rls.disable(op, *TENANT_TABLES)
    with op.batch_alter_table('poll_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_mark_tenant_id'))
        batch_op.drop_index('ix_poll_mark_option')

    op.drop_table('poll_mark')
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_ballot_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_poll_ballot_poll_id'))

    op.drop_table('poll_ballot')
    with op.batch_alter_table('poll_voter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_voter_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_poll_voter_poll_id'))

    op.drop_table('poll_voter')
    with op.batch_alter_table('poll_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_option_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_poll_option_poll_id'))

    op.drop_table('poll_option')
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_poll_source_ref'))
        batch_op.drop_index(batch_op.f('ix_poll_process_id'))
        batch_op.drop_index('ix_poll_due')

    op.drop_table('poll')
