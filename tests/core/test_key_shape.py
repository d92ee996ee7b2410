"""Every tenant table can be sharded by ``tenant_id`` (Citus's rule), checked over the
models' metadata — core and every installed plugin, including tables added later."""

from sqlalchemy import (Column, ForeignKey, ForeignKeyConstraint, Index, Integer, MetaData, String, Table,
                        UniqueConstraint, create_engine, inspect)

from dugnad.extensions import db
from dugnad.tenancy import keys


def test_every_tenant_table_has_tenant_id_in_every_key(app):
    tenant = keys.tenant_tables()
    # core, both shipped plugins and the tests' sample plugin are all covered
    assert {"membership", "invitation", "poll_voter", "poll_mark", "workshop", "volunteer", "sample_note"} <= tenant
    assert keys.problems(db.metadata, tenant) == []


def _with_planted(tables) -> tuple[MetaData, set[str]]:
    metadata = MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(metadata)
    tenant = keys.tenant_tables() | {name for name, _ in tables}
    for name, items in tables:
        Table(name, metadata, *items)
    return metadata, tenant


def test_the_check_fails_on_planted_tables_without_tenant_id_in_a_key(app):
    metadata, tenant = _with_planted([
        ("planted_pk", [Column("id", Integer, primary_key=True),
                        Column("tenant_id", Integer, ForeignKey("tenant.id"), nullable=False)]),
        ("planted_unique", [Column("tenant_id", Integer, ForeignKey("tenant.id"), primary_key=True),
                            Column("id", Integer, primary_key=True), Column("token", String(64), unique=True)]),
        ("planted_index", [Column("tenant_id", Integer, primary_key=True), Column("id", Integer, primary_key=True),
                           Column("code", String(8)), Index("ix_planted_code", "code", unique=True)]),
        ("planted_constraint", [Column("tenant_id", Integer, primary_key=True), Column("id", Integer, primary_key=True),
                                Column("code", String(8)), UniqueConstraint("code")]),
        ("planted_fk", [Column("tenant_id", Integer, primary_key=True), Column("id", Integer, primary_key=True),
                        Column("participant_id", Integer, ForeignKey("participant.id"))]),
    ])
    Table("planted_global", metadata, Column("id", Integer, primary_key=True), Column("tenant_id", Integer),
          Column("participant_id", Integer), ForeignKeyConstraint(["tenant_id", "participant_id"],
                                                                   ["participant.tenant_id", "participant.id"]))
    assert sorted(keys.problems(metadata, tenant)) == [
        "planted_constraint: unique (code) lacks tenant_id",
        "planted_fk: foreign key (participant_id) -> participant does not include tenant_id",
        "planted_global: a non-tenant table references tenant table participant",
        "planted_index: unique index ix_planted_code lacks tenant_id",
        "planted_pk: primary key (id) lacks tenant_id",
        "planted_unique: unique (token) lacks tenant_id",
    ]


def test_the_migrated_database_has_the_tenant_key(app, database):
    """The migrations (not only the models) give every tenant table its key: on
    PostgreSQL the primary key is (tenant_id, id); SQLite keeps its rowid key (id) and
    the unique (tenant_id, id) beside it."""
    engine = create_engine(database.owner_url)
    inspector = inspect(engine)
    try:
        for table in sorted(keys.tenant_tables()):
            primary = inspector.get_pk_constraint(table)["constrained_columns"]
            uniques = [u["column_names"] for u in inspector.get_unique_constraints(table)]
            if database.dialect == "postgresql":
                assert primary == ["tenant_id", "id"], table
            else:
                assert primary == ["id"] and ["tenant_id", "id"] in uniques, table
            assert all("tenant_id" in columns for columns in uniques), (table, uniques)
    finally:
        engine.dispose()


def test_new_rows_still_get_ids_and_are_found_by_id(app, world):
    """The ORM keeps ``id`` as identity: ids come from the sequence (or rowid), and
    ``session.get(Model, id)`` works with the composite key in the database."""
    from tests.support.sample_plugin.models import Note

    from dugnad.tenancy import tenant_context

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        first, second = Note(text="first"), Note(text="second")
        db.session.add_all([first, second])
        db.session.commit()
        assert first.id and second.id and first.id != second.id
        db.session.expunge_all()
        assert db.session.get(Note, second.id).text == "second"
