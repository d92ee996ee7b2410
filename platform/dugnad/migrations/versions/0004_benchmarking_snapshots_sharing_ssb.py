"""benchmarking: snapshots, sharing, runs, Statistics Norway, KOSTRA groups

Revision ID: 0004_benchmarking
Revises: 0003_voting
Create Date: 2026-12-01

Snapshots and sharing are tenant data (row-level security). Runs, Statistics Norway's
figures and the KOSTRA groups are region data keyed by municipality number, with no
tenant_id.
"""
from alembic import op
import sqlalchemy as sa

from dugnad.tenancy import rls

TENANT_TABLES = ("benchmark_sharing", "benchmark_snapshot")


revision = '0004_benchmarking'
down_revision = '0003_voting'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('benchmark_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('computed', sa.Integer(), nullable=False),
    sa.Column('failures', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_run'))
    )
    op.create_table('kostra_group',
    sa.Column('number', sa.String(length=4), nullable=False),
    sa.Column('group', sa.String(length=120), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_kostra_group'))
    )
    op.create_table('ssb_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.String(length=8), nullable=False),
    sa.Column('contents_code', sa.String(length=40), nullable=False),
    sa.Column('contents_label', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=4), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ssb_figure')),
    sa.UniqueConstraint('table_id', 'contents_code', 'region', 'year', name=op.f('uq_ssb_figure_table_id_contents_code_region_year'))
    )
    with op.batch_alter_table('ssb_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ssb_figure_region'), ['region'], unique=False)

    op.create_table('benchmark_sharing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric_group', sa.String(length=63), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_benchmark_sharing_changed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_benchmark_sharing_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_sharing')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_benchmark_sharing_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'metric_group', name=op.f('uq_benchmark_sharing_tenant_id_metric_group'))
    )
    with op.batch_alter_table('benchmark_sharing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benchmark_sharing_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('benchmark_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric_key', sa.String(length=63), nullable=False),
    sa.Column('period_kind', sa.String(length=8), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_benchmark_snapshot_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_snapshot')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_benchmark_snapshot_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'metric_key', 'period_kind', 'period_start', name=op.f('uq_benchmark_snapshot_tenant_id_metric_key_period_kind_period_start'))
    )
    with op.batch_alter_table('benchmark_snapshot', schema=None) as batch_op:
        batch_op.create_index('ix_benchmark_snapshot_kind', ['period_kind', 'period_start'], unique=False)
        batch_op.create_index('ix_benchmark_snapshot_period', ['metric_key', 'period_kind', 'period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_benchmark_snapshot_tenant_id'), ['tenant_id'], unique=False)

    rls.enable(op, *TENANT_TABLES)


def downgrade() -> None:
    rls.disable(op, *TENANT_TABLES)
    with op.batch_alter_table('benchmark_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benchmark_snapshot_tenant_id'))
        batch_op.drop_index('ix_benchmark_snapshot_period')
        batch_op.drop_index('ix_benchmark_snapshot_kind')

    op.drop_table('benchmark_snapshot')
    with op.batch_alter_table('benchmark_sharing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benchmark_sharing_tenant_id'))

    op.drop_table('benchmark_sharing')
    with op.batch_alter_table('ssb_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ssb_figure_region'))

    op.drop_table('ssb_figure')
    op.drop_table('kostra_group')
    op.drop_table('benchmark_run')
