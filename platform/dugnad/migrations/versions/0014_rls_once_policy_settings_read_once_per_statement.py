"""rls once: the row-level security policies read their settings once per statement

Revision ID: 0014_rls_once
Revises: 0013_vote_statements
Create Date: 2026-12-05

Every tenant table's policies compared ``tenant_id`` with ``current_setting('app.tenant_id')``
and tested ``current_setting('app.region_scope')`` for every row a statement looked at:
on a scan of many rows (the region's benchmarking, a count over 80,000 volunteers, a
recompute) PostgreSQL called both functions once per row — a 2,000,000-row count took
226 ms in region scope and 355 ms for one municipality, against 124 ms and 87 ms with
each setting read once, as an uncorrelated sub-select (an InitPlan, evaluated once per
statement). The policies mean the same: the settings cannot change within a statement.

``tenancy.rls`` makes new tables' policies so; this alters the policies of every table
that has them, the plugins' included (whichever branch made them), found by name in
``pg_policies``. On Citus the policies are left as they were: a sub-select in a policy of
a distributed table has not been tried there.
"""
from alembic import op
from sqlalchemy import text

from dugnad.tenancy import rls

revision = '0014_rls_once'
down_revision = '0013_vote_statements'
branch_labels = None
depends_on = None


def _policies(bind, suffix: str) -> list[tuple[str, str]]:
    return [tuple(row) for row in bind.execute(text(
        "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() AND policyname = "
        "tablename || :suffix ORDER BY tablename"), {"suffix": suffix})]


def _alter(tenant_match: str, region_read: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or rls.on_citus(bind):
        return
    for table, policy in _policies(bind, "_tenant_isolation"):
        op.execute(f'ALTER POLICY "{policy}" ON "{table}" USING ({tenant_match}) WITH CHECK ({tenant_match})')
    for table, policy in _policies(bind, "_region_read"):
        op.execute(f'ALTER POLICY "{policy}" ON "{table}" USING ({region_read})')


def upgrade() -> None:
    _alter(rls.TENANT_MATCH, rls.REGION_READ)


def downgrade() -> None:
    _alter(rls.PER_ROW_TENANT_MATCH, rls.PER_ROW_REGION_READ)  # as 0001–0013 made them
