"""The newcomer coordinator gives a household a contact person and works its checklist;
need to know: a contact person sees only their households, other members none; every
staff read is logged and shown on the record."""

from __future__ import annotations

import re

from sqlalchemy import select

from dugnad.sdk import AuditEvent, Membership, db
from dugnad_newcomers.models import ChecklistItem, Household
from tests.plugins.newcomers.newcomers_support import form_data, in_tenant, make_household


def _make_newcomer_coordinator(app, world, key="alpha_member"):
    with in_tenant(app, world.tenants["alpha"]):
        membership = db.session.scalar(select(Membership).where(Membership.user_id == world.users[key]))
        membership.role = "newcomer_coordinator"
        db.session.commit()


def test_the_newcomer_coordinator_lands_on_the_dashboard_and_sees_nothing_else(app, world, client_as):
    _make_newcomer_coordinator(app, world)
    coordinator = client_as("alpha_member")
    dashboard = coordinator.get("/alpha/")
    assert dashboard.status_code == 200 and "/alpha/newcomers/widget" in dashboard.text
    assert coordinator.get("/alpha/newcomers/widget").status_code == 200
    assert coordinator.get("/alpha/participants/").status_code == 403


def test_the_coordinator_registers_assigns_a_contact_and_ticks_items(app, world, client_as):
    _make_newcomer_coordinator(app, world)
    coordinator = client_as("alpha_member")
    page = coordinator.get("/alpha/newcomers/new")
    assert page.status_code == 200
    answer = coordinator.post("/alpha/newcomers/new", data=form_data(name="Ahmed Hassan", email="", locale="ar"))
    assert answer.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        household = db.session.scalar(select(Household))
        assert household.status == "active" and household.registered_by_id == world.users["alpha_member"]
        item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.key == "kindergarten"))
        household_id, item_id = household.id, item.id
    contact = coordinator.post(f"/alpha/newcomers/{household_id}/contact",
                               data={"contact_user_id": world.users["alpha_coordinator"]})
    assert contact.status_code == 302
    ticked = coordinator.post(f"/alpha/newcomers/{household_id}/items/{item_id}",
                              data={"status": "done", "owner_user_id": world.users["alpha_coordinator"],
                                    "due_on": "2026-09-01"})
    assert ticked.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        household = db.session.get(Household, household_id)
        item = db.session.get(ChecklistItem, item_id)
        assert household.contact_user_id == world.users["alpha_coordinator"]
        assert item.status == "done" and item.done_at is not None and item.due_on.isoformat() == "2026-09-01"
    bad = coordinator.post(f"/alpha/newcomers/{household_id}/items/{item_id}",
                           data={"status": "done", "owner_user_id": "", "due_on": "first of May"})
    assert bad.status_code == 422 and "2026-09-01" in bad.text
    nobody = coordinator.post(f"/alpha/newcomers/{household_id}/contact",
                              data={"contact_user_id": world.users["beta_admin"]})
    assert nobody.status_code == 422
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.get(Household, household_id).contact_user_id == world.users["alpha_coordinator"]


def test_need_to_know_and_every_read_is_logged_and_shown(app, world, client_as):
    mine = make_household(app, world.tenants["alpha"], "Ahmed Hassan")
    other = make_household(app, world.tenants["alpha"], "Maria Nowak")
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Household, mine).contact_user_id = world.users["alpha_coordinator"]
        db.session.commit()
    contact = client_as("alpha_coordinator")
    listing = contact.get("/alpha/newcomers/")
    assert "Ahmed Hassan" in listing.text and "Maria Nowak" not in listing.text
    assert contact.get(f"/alpha/newcomers/{mine}").status_code == 200
    assert contact.get(f"/alpha/newcomers/{other}").status_code == 403
    assert contact.get("/alpha/newcomers/retention").status_code == 403
    assert client_as("alpha_member").get("/alpha/newcomers/").status_code == 403
    assert client_as("alpha_member").get(f"/alpha/newcomers/{mine}").status_code == 403
    admin = client_as("alpha_admin")
    page = admin.get(f"/alpha/newcomers/{mine}")
    assert page.status_code == 200
    assert "Who has read this record" in page.text or "Kven" in page.text or "Hvem" in page.text
    assert "Cora Coordinator" in page.text and "Alma Admin" in page.text  # both reads, shown on the record
    with in_tenant(app, world.tenants["alpha"]):
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "newcomers.record_read",
                                                            AuditEvent.object_id == str(mine))).all()
        assert {r.user_id for r in reads} == {world.users["alpha_coordinator"], world.users["alpha_admin"]}


def test_an_item_of_another_household_is_404(app, world, client_as):
    first = make_household(app, world.tenants["alpha"], "Ahmed Hassan")
    second = make_household(app, world.tenants["alpha"], "Maria Nowak")
    with in_tenant(app, world.tenants["alpha"]):
        item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.household_id == second))
        item_id = item.id
    answer = client_as("alpha_admin").post(f"/alpha/newcomers/{first}/items/{item_id}", data={"status": "done"})
    assert answer.status_code == 404


def test_the_checklist_follows_the_municipalitys_settings(app, world):
    from dugnad.sdk import Tenant

    with in_tenant(app, world.tenants["alpha"]):
        tenant = db.session.get(Tenant, world.tenants["alpha"])
        tenant.settings = {**(tenant.settings or {}), "newcomers_checklist": "housing, school, Fiskekort"}
        db.session.commit()
    household_id = make_household(app, world.tenants["alpha"])
    with in_tenant(app, world.tenants["alpha"]):
        keys = [i.key for i in db.session.scalars(select(ChecklistItem).where(ChecklistItem.household_id == household_id)
                                                  .order_by(ChecklistItem.id))]
        labels = [i.label for i in db.session.scalars(select(ChecklistItem).order_by(ChecklistItem.id))]
    assert keys == ["housing", "school", "own-fiskekort"] and labels[-1] == "Fiskekort"


def test_default_checklist_items_read_in_the_reader_s_language_and_own_items_as_written(app, world, client_as):
    """A default item is stored by its key and shown in each reader's language — even when the
    household confirmed in Arabic, which starts the checklist; an item the municipality wrote
    itself stays as written. Old rows (a default item stored in another language) read the same."""
    from flask_babel import force_locale

    from dugnad.sdk import Tenant

    with in_tenant(app, world.tenants["alpha"]):
        tenant = db.session.get(Tenant, world.tenants["alpha"])
        tenant.settings = {**(tenant.settings or {}), "newcomers_checklist": "kindergarten, gp, Fiskekort"}
        db.session.commit()
    with app.test_request_context(), force_locale("ar"):
        household_id = make_household(app, world.tenants["alpha"])
    with in_tenant(app, world.tenants["alpha"]):
        items = list(db.session.scalars(select(ChecklistItem).where(ChecklistItem.household_id == household_id)
                                        .order_by(ChecklistItem.id)))
        assert [(i.key, i.label) for i in items] == [("kindergarten", "Barnehageplass"), ("gp", "Fastlege"),
                                                     ("own-fiskekort", "Fiskekort")]
        items[1].label = "GP (fastlege)"  # as an older release stored it, in the confirming person's language
        db.session.commit()
    admin = client_as("alpha_admin")
    expected = {"nb": ("Barnehageplass", "Fastlege"), "nn": ("Barnehageplass", "Fastlege"),
                "en": ("Kindergarten place", "GP (fastlege)")}
    for lang, (kindergarten, gp) in expected.items():
        with admin.session_transaction() as session:
            session["lang"] = lang
        page = admin.get(f"/alpha/newcomers/{household_id}").text
        labels = re.findall(r'<strong id="item-\d+-label">([^<]+)', page)
        assert [label.strip() for label in labels] == [kindergarten, gp, "Fiskekort"], lang
    from dugnad_newcomers import checklist

    with app.test_request_context(), force_locale("ar"):  # a newcomer confirming in Arabic starts the checklist
        assert checklist.stored_label("gp", str(checklist.DEFAULT_ITEMS["gp"])) == "Fastlege"
        assert checklist.stored_label("own-fiskekort", "Fiskekort") == "Fiskekort"
