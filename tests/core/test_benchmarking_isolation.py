"""The two tenant tables of benchmarking (snapshots, sharing) keep municipalities apart:
in the ORM, at flush, and on PostgreSQL in row-level security."""

from datetime import date

import pytest
from sqlalchemy import select, text

from dugnad.benchmarking.models import Sharing, Snapshot
from dugnad.extensions import db
from dugnad.tenancy import CrossTenantWrite, TenantContextMissing, region_scope, tenant_context
from tests.support.benchmarking import share, snapshot

TABLES = [(Snapshot, "benchmark_snapshot"), (Sharing, "benchmark_sharing")]


@pytest.fixture
def rows(app_context, world):
    for tenant, value in ((world.tenants["alpha"], 11), (world.tenants["beta"], 22)):
        snapshot(tenant, "sample.notes", "year", date(2025, 1, 1), value)
        share(tenant, "core")
    db.session.commit()
    return world


@pytest.mark.parametrize("model, table", TABLES)
def test_each_municipality_reads_only_its_own_rows(rows, model, table):
    for slug in ("alpha", "beta"):
        with tenant_context(rows.tenants[slug]):
            assert {r.tenant_id for r in db.session.scalars(select(model))} == {rows.tenants[slug]}
    with pytest.raises(TenantContextMissing):
        db.session.scalars(select(model)).all()
    with region_scope("test: benchmarking reads across municipalities"):
        assert len(db.session.scalars(select(model)).all()) == 2


@pytest.mark.parametrize("model, table", TABLES)
def test_a_row_cannot_be_written_for_another_municipality(rows, model, table):
    with tenant_context(rows.tenants["alpha"]):
        fields = ({"metric_key": "x.y", "period_kind": "year", "period_start": date(2025, 1, 1)} if model is Snapshot
                  else {"metric_group": "other"})
        db.session.add(model(tenant_id=rows.tenants["beta"], **fields))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
    db.session.rollback()
    with tenant_context(rows.tenants["beta"]):
        theirs = db.session.scalars(select(model)).first()
    with tenant_context(rows.tenants["alpha"]):
        db.session.add(theirs)
        if model is Snapshot:
            theirs.value = 0
        else:
            theirs.shared = False
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
    db.session.rollback()


@pytest.mark.postgres
@pytest.mark.parametrize("model, table", TABLES)
def test_postgres_row_level_security_covers_the_benchmarking_tables(app, database, rows, model, table):
    if database.dialect != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL; CI runs this with DUGNAD_TEST_DATABASE_URL")
    with tenant_context(rows.tenants["alpha"]):
        assert db.session.execute(text(f"SELECT DISTINCT tenant_id FROM {table}")).scalars().all() == [rows.tenants["alpha"]]
        with pytest.raises(Exception, match="row-level security"):
            db.session.execute(text(f"UPDATE {table} SET tenant_id = :b"), {"b": rows.tenants["beta"]})
        db.session.rollback()
    db.session.remove()
    assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    with region_scope("test"):
        assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 2
        assert db.session.execute(text(f"DELETE FROM {table}")).rowcount == 0  # the region reads, never writes
    db.session.rollback()
