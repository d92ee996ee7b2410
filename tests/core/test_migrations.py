"""The Alembic branches build exactly the tables the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from dugnad.extensions import db
from dugnad.migrations import alembic_config
from dugnad.tenancy import keys


def test_models_and_migrations_agree(app, database):
    engine = create_engine(database.owner_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": keys.autogenerate_filter(connection.dialect.name)})
        differences = compare_metadata(context, db.metadata)
    engine.dispose()
    assert differences == []


def test_core_and_each_plugin_have_their_own_branch(app):
    script = ScriptDirectory.from_config(alembic_config(app))
    heads = {script.get_revision(head).branch_labels.copy().pop() for head in script.get_heads()}
    loaded = app.extensions["dugnad.plugins"]
    with_migrations = {impl.plugin_name for impl in loaded.pm.hook.register_migrations.get_hookimpls()}
    # one branch per optional plugin with tables, labelled with the plugin's name
    assert heads == {"core"} | (with_migrations & set(loaded.optional))
    assert "sample" in heads
    sample = script.get_revision("0001_sample")
    assert sample.dependencies == "0001_core"


def test_upgrade_is_idempotent_and_downgrade_works(app, tmp_path):
    """On a scratch SQLite database: up, down to nothing, up again."""
    from dugnad import migrations

    url = f"sqlite:///{tmp_path / 'scratch.sqlite'}"
    migrations.upgrade(app, url)
    migrations.upgrade(app, url)
    migrations.downgrade(app, "base", url)
    engine = create_engine(url)
    from sqlalchemy import inspect

    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    migrations.upgrade(app, url)
    assert "membership" in inspect(engine).get_table_names()
    engine.dispose()


def test_every_snapshot_write_maintains_no_index_twice(app, database):
    """The recompute writes every snapshot: on PostgreSQL the table keeps no two indexes
    on the same columns (the in-place re-key had left a unique identical to the key), and
    leaves room on its pages for updates in place.
    SQLite keeps the unique (tenant_id, id): its primary key is the rowid."""
    engine = create_engine(database.owner_url)
    with engine.connect() as connection:
        if database.dialect == "postgresql":
            columns = connection.execute(text(
                "SELECT indexrelid::regclass::text, indkey::text FROM pg_index "
                "WHERE indrelid = 'benchmark_snapshot'::regclass")).all()
            # room on each page for a changed figure's new version: updated in place, no index entries
            assert "fillfactor=50" in connection.scalar(text(
                "SELECT reloptions FROM pg_class WHERE oid = 'benchmark_snapshot'::regclass"))
        else:
            columns = [(index["name"], tuple(index["column_names"]))
                       for index in inspect(connection).get_indexes("benchmark_snapshot")]
            uniques = [tuple(u["column_names"]) for u in inspect(connection).get_unique_constraints("benchmark_snapshot")]
            assert ("tenant_id", "id") in uniques
    engine.dispose()
    assert len({key for _name, key in columns}) == len(columns), columns


def test_no_two_unique_indexes_cover_the_same_columns(app, database):
    """Tables re-keyed in place to (tenant_id, id) kept the unique (tenant_id, id) they had next
    to the new primary key: two identical indexes, both written on every insert (0009 dropped the
    snapshots', 0011 and the plugins' own migrations the rest). On SQLite the unique stays where
    a composite foreign key needs it (the primary key there is the rowid, see 0009)."""
    engine = create_engine(database.owner_url)
    with engine.connect() as connection:
        if database.dialect == "postgresql":
            rows = connection.execute(text(
                "SELECT c.relname, i.indexrelid::regclass::text, i.indkey::text FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE i.indisunique AND n.nspname = current_schema()")).all()
        else:
            rows = []
            for table in inspect(connection).get_table_names():
                uniques = [(table, u["name"], " ".join(u["column_names"]))
                           for u in inspect(connection).get_unique_constraints(table)]
                uniques += [(table, i["name"], " ".join(i["column_names"]))
                            for i in inspect(connection).get_indexes(table) if i["unique"]]
                key = inspect(connection).get_pk_constraint(table)["constrained_columns"]
                if len(key) > 1:  # a composite primary key has an index of its own on SQLite
                    rows.append((table, "pk", " ".join(key)))
                rows += uniques
    engine.dispose()
    seen: dict[tuple[str, str], str] = {}
    twice = []
    for table, name, columns in rows:
        if (table, columns) in seen:
            twice.append(f"{table}: {seen[table, columns]} and {name} on ({columns})")
        seen.setdefault((table, columns), name)
    assert twice == [], "\n".join(twice)


def test_the_unique_beside_the_key_goes_and_comes_back_with_its_foreign_keys(app, database, tmp_path):
    """0011 on a scratch database: the membership's second unique goes, and the foreign keys that
    PostgreSQL had bound to it are there again (on the key); downgrade brings the unique back.
    SQLite keeps it throughout (its primary key is the rowid)."""
    from dugnad import migrations
    from dugnad.scratch import scratch_database

    def state(url):
        engine = create_engine(url)
        with engine.connect() as connection:
            uniques = {u["name"] for u in inspect(connection).get_unique_constraints("participant")}
            links = sorted(f["name"] for table in ("process_participant", "stakeholder_entry")
                           for f in inspect(connection).get_foreign_keys(table) if f["referred_table"] == "participant")
        engine.dispose()
        return "uq_participant_tenant_id_id" in uniques, links

    def check(url, postgresql):
        migrations.upgrade(app, url)
        kept, links = state(url)
        assert kept is not postgresql and links
        migrations.downgrade(app, "0010_vote_lock", url)
        assert state(url) == (True, links)
        migrations.upgrade(app, url)
        assert state(url) == (not postgresql, links)

    if database.dialect == "postgresql":
        from tests.conftest import PG_URL

        with scratch_database(PG_URL, prefix="dugnad_unique") as scratch:
            check(scratch.owner_url, True)
    else:
        check(f"sqlite:///{tmp_path / 'unique.sqlite'}", False)


def test_row_level_security_reads_its_settings_once_per_statement_and_0014_goes_both_ways(app, database):
    """0014 on a scratch database: every tenant table's two policies (plugins' included) read
    ``app.tenant_id`` and ``app.region_scope`` in a sub-select, evaluated once per statement (an
    InitPlan), not per row; downgrade makes them per row again, as 0001–0013 had them."""
    if database.dialect != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL; CI runs this with DUGNAD_TEST_DATABASE_URL")
    from dugnad import migrations
    from dugnad.scratch import scratch_database
    from tests.conftest import PG_URL

    def policies(url) -> dict[str, int]:
        engine = create_engine(url)
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT policyname, qual FROM pg_policies WHERE schemaname = 'public' "
                "AND policyname IN (tablename || '_tenant_isolation', tablename || '_region_read')")).all()
        engine.dispose()
        return {"policies": len(rows), "once": sum("SELECT" in qual and "current_setting" in qual for _name, qual in rows)}

    with scratch_database(PG_URL, prefix="dugnad_rls") as scratch:
        migrations.upgrade(app, scratch.owner_url)
        now = policies(scratch.owner_url)
        assert now["policies"] > 100 and now["once"] == now["policies"]
        migrations.downgrade(app, "0013_vote_statements", scratch.owner_url)
        assert policies(scratch.owner_url)["once"] == 0
        migrations.upgrade(app, scratch.owner_url)
        assert policies(scratch.owner_url)["once"] == now["policies"]
