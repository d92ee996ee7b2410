"""Tenant isolation below the web layer: context, ORM, database."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from dugnad.accounts.models import Membership
from dugnad.extensions import db
from dugnad.tenancy import CrossTenantWrite, TenantContextMissing, region_scope, tenant_context
from tests.support.sample_plugin.models import Note, NoteComment


def test_a_tenant_query_without_a_tenant_raises(app_context, world):
    with pytest.raises(TenantContextMissing):
        db.session.scalars(select(Note)).all()
    with pytest.raises(TenantContextMissing):
        db.session.get(Note, world.notes["alpha"][0])


def test_queries_see_only_the_tenant_in_context(app_context, world):
    with tenant_context(world.tenants["alpha"]):
        texts = db.session.scalars(select(Note.text).order_by(Note.id)).all()
        assert texts == ["alpha note 0", "alpha note 1"]
        assert db.session.get(Note, world.notes["beta"][0]) is None
        assert db.session.scalar(select(Note).where(Note.id == world.notes["beta"][1])) is None


def test_counts_and_joins_are_scoped_too(app_context, world):
    from sqlalchemy import func

    with tenant_context(world.tenants["beta"]):
        assert db.session.scalar(select(func.count()).select_from(Note)) == 2
        members = db.session.scalars(select(Membership.user_id)).all()
        assert sorted(members) == sorted([world.users["beta_admin"], world.users["both"]])


def test_bulk_update_and_delete_touch_only_the_tenant_in_context(app_context, world):
    from sqlalchemy import delete, update

    with tenant_context(world.tenants["alpha"]):
        db.session.execute(update(Note).values(text="changed"))
        db.session.execute(delete(Note).where(Note.id == world.notes["beta"][0]))
        db.session.commit()
    with tenant_context(world.tenants["beta"]):
        assert db.session.scalars(select(Note.text).order_by(Note.id)).all() == ["beta note 0", "beta note 1"]


def test_new_rows_are_stamped_with_the_tenant_in_context(app_context, world):
    with tenant_context(world.tenants["beta"]):
        note = Note(text="stamped")
        db.session.add(note)
        db.session.commit()
        assert note.tenant_id == world.tenants["beta"]


def test_a_row_of_another_tenant_is_refused(app_context, world):
    with tenant_context(world.tenants["alpha"]):
        db.session.add(Note(text="smuggled", tenant_id=world.tenants["beta"]))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
    db.session.rollback()


def test_saving_with_no_tenant_is_refused(app_context, world):
    db.session.add(Note(text="orphan"))
    with pytest.raises(TenantContextMissing):
        db.session.flush()
    db.session.rollback()


def test_moving_a_row_to_another_tenant_is_refused(app_context, world):
    with tenant_context(world.tenants["alpha"]):
        note = db.session.get(Note, world.notes["alpha"][0])
        note.tenant_id = world.tenants["beta"]
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
    db.session.rollback()


def test_changing_a_row_loaded_in_another_context_is_refused(app_context, world):
    with tenant_context(world.tenants["alpha"]):
        note = db.session.get(Note, world.notes["alpha"][0])
    with tenant_context(world.tenants["beta"]):
        note.text = "edited from beta"
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
    db.session.rollback()


def test_the_database_refuses_a_link_across_tenants(app_context, world):
    """The composite key (tenant_id, note_id) -> note(tenant_id, id) holds even when
    the ORM is bypassed."""
    with tenant_context(world.tenants["alpha"]):
        with pytest.raises(IntegrityError):
            db.session.execute(
                text("INSERT INTO sample_note_comment (tenant_id, note_id, text) VALUES (:t, :n, 'x')"),
                {"t": world.tenants["alpha"], "n": world.notes["beta"][0]},
            )
            db.session.flush()
    db.session.rollback()
    with tenant_context(world.tenants["alpha"]):
        db.session.add(NoteComment(note_id=world.notes["alpha"][0], text="fine"))
        db.session.commit()
        comment = db.session.scalar(select(NoteComment))
        assert comment.note.text == "alpha note 0"


def test_region_scope_reads_across_tenants_but_cannot_write(app_context, world):
    with region_scope("test: count every note"):
        assert len(db.session.scalars(select(Note)).all()) == 4
        db.session.add(Note(text="from the region"))
        with pytest.raises(TenantContextMissing):
            db.session.flush()
    db.session.rollback()
    with pytest.raises(ValueError):
        with region_scope(""):
            pass


def test_contexts_nest_and_restore(app_context, world):
    from dugnad.tenancy import current_tenant_id

    with tenant_context(world.tenants["alpha"]):
        with tenant_context(world.tenants["beta"]):
            assert current_tenant_id() == world.tenants["beta"]
            assert len(db.session.scalars(select(Note)).all()) == 2
        assert current_tenant_id() == world.tenants["alpha"]
        assert {n.text for n in db.session.scalars(select(Note))} == {"alpha note 0", "alpha note 1"}
    assert current_tenant_id() is None


@pytest.mark.postgres
def test_postgres_row_level_security_hides_other_tenants_from_raw_sql(app, database, world):
    """Raw SQL as the application role sees only its tenant, whatever the ORM does."""
    if database.dialect != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL; CI runs this with DUGNAD_TEST_DATABASE_URL")
    with app.app_context():
        with tenant_context(world.tenants["alpha"]):
            rows = db.session.execute(text("SELECT text FROM sample_note ORDER BY id")).scalars().all()
            assert rows == ["alpha note 0", "alpha note 1"]
            members = db.session.execute(text("SELECT count(*) FROM membership")).scalar()
            assert members == 5  # alpha's five, none of beta's
            with pytest.raises(Exception, match="row-level security"):
                db.session.execute(
                    text("INSERT INTO sample_note (tenant_id, text) VALUES (:t, 'smuggled')"), {"t": world.tenants["beta"]}
                )
            db.session.rollback()
        db.session.remove()
        # no tenant in context: nothing at all, not everything
        assert db.session.execute(text("SELECT count(*) FROM sample_note")).scalar() == 0
        assert db.session.execute(text("UPDATE sample_note SET text = 'x'")).rowcount == 0
        db.session.rollback()
        db.session.remove()


def test_postgres_row_level_security_reads_the_tenant_once_per_statement(app, database, world):
    """The policy's settings are an InitPlan of the statement, not a function call per row."""
    if database.dialect != "postgresql":
        pytest.skip("row-level security exists only on PostgreSQL; CI runs this with DUGNAD_TEST_DATABASE_URL")
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        plan = "\n".join(db.session.execute(text("EXPLAIN SELECT count(*) FROM sample_note WHERE text <> ''")).scalars())
        db.session.rollback()
    assert "InitPlan" in plan and "(tenant_id = $" in plan, plan


@pytest.mark.postgres
def test_postgres_app_role_is_not_owner_nor_superuser(app, database):
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    with app.app_context():
        row = db.session.execute(text(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        assert row == (False, False)
        unprotected = db.session.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE a.attname = 'tenant_id' AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
            "AND NOT c.relrowsecurity AND c.relname NOT IN ('tenant_plugin', 'access_token', 'audit_event', 'outbox_message')"
        )).scalars().all()
        assert unprotected == []
        db.session.rollback()
