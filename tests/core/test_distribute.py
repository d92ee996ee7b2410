"""``dugnad db distribute``: the plan it would run on Citus, checked on plain PostgreSQL
(CI has no Citus) — every table once, in the order Citus needs, foreign keys between
tenant tables dropped before and added back after."""

import pytest

from dugnad.extensions import db
from dugnad.tenancy import distribute, keys

pytestmark = pytest.mark.postgres


@pytest.fixture
def steps(app, database, owner_engine):
    if database.dialect != "postgresql":
        pytest.skip("Citus runs on PostgreSQL only; CI runs this with DUGNAD_TEST_DATABASE_URL")
    with owner_engine.connect() as connection:
        return distribute.plan(connection, db.metadata)


def _of(steps, kind):
    return [step.table for step in steps if step.kind == kind]


def test_every_table_is_distributed_or_reference_exactly_once(steps, owner_engine):
    distributed, reference = _of(steps, "distribute"), _of(steps, "reference")
    assert len(distributed) == len(set(distributed)) and len(reference) == len(set(reference))
    # every tenant model's table — core, both plugins and the tests' sample plugin — is distributed
    assert set(distributed) == keys.tenant_tables()
    with owner_engine.connect() as connection:
        existing = set(distribute._existing_tables(connection))
    assert set(reference) == existing - set(distributed) - {"alembic_version"}
    assert {"tenant", "user_account", "access_token", "audit_event", "outbox_message", "tenant_plugin"} <= set(reference)


def test_the_order_citus_needs(steps):
    kinds = [step.kind for step in steps]
    first_distribution = kinds.index("distribute")
    # the keys between tenant tables go first and come back last; reference tables before tenant tables
    assert set(kinds[:kinds.index("reference")]) == {"drop_fk"}
    assert "reference" not in kinds[first_distribution:]
    last_distribution = len(kinds) - 1 - kinds[::-1].index("distribute")
    assert set(kinds[last_distribution + 1:]) == {"add_fk"}
    # a referenced reference table comes before the ones referencing it
    reference = _of(steps, "reference")
    assert reference.index("tenant") < reference.index("tenant_plugin")
    assert reference.index("user_account") < reference.index("access_token")


def test_one_colocation_group_by_tenant_id(steps):
    distribution = [step for step in steps if step.kind == "distribute"]
    anchor = distribution[0].table
    assert "colocate_with => 'none'" in distribution[0].sql
    for step in distribution[1:]:
        assert step.sql == f"SELECT create_distributed_table('{step.table}', 'tenant_id', colocate_with => '{anchor}')"


def test_the_same_foreign_keys_come_back(steps):
    dropped = [(step.table, step.note) for step in steps if step.kind == "drop_fk"]
    added = [(step.table, step.note) for step in steps if step.kind == "add_fk"]
    assert dropped == added
    assert ("poll_mark", "fk_poll_mark_tenant_id_poll_id_ballot_id_poll_ballot") in added
    assert ("sample_note_comment", "fk_sample_note_comment_tenant_id_sample_note") in added
    for step in steps:
        if step.kind == "add_fk":
            assert f'ADD CONSTRAINT "{step.note}" FOREIGN KEY (tenant_id, ' in step.sql
    # keys to reference tables (tenant, user_account) are left in place
    assert not any("fk_membership_user_id_user_account" == note for _t, note in dropped)


def test_without_citus_it_says_so_and_changes_nothing(steps, owner_engine):
    with pytest.raises(distribute.CannotDistribute, match="Citus is not installed"):
        distribute.distribute(owner_engine, db.metadata)
    with owner_engine.connect() as connection:
        assert distribute.plan(connection, db.metadata) == steps


def test_the_command_prints_the_plan(steps, app, database):
    from dugnad.cli import db_distribute

    result = app.test_cli_runner().invoke(db_distribute, args=["--plan", "--url", database.owner_url])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{step.sql};" for step in steps]


def test_the_command_explains_why_it_cannot_run(steps, app, database):
    from dugnad.cli import db_distribute

    result = app.test_cli_runner().invoke(db_distribute, args=["--url", database.owner_url])
    assert result.exit_code == 1
    assert "Citus is not installed in this database" in result.output


def test_db_upgrade_without_citus_only_migrates(app, database):
    """``db upgrade`` distributes only where Citus is installed; elsewhere it migrates as before."""
    from dugnad.cli import db_upgrade

    result = app.test_cli_runner().invoke(db_upgrade, args=["--url", database.owner_url])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("database is up to date")
