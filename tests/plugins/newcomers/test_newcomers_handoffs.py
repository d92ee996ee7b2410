"""A household's checklist item asks the volunteer bank for a local buddy through the core's
handoffs (never importing the bank): the household page offers "Ask for help" on the buddy
item, the request carries no name, and its status comes back to the item."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dugnad.handoffs.models import Handoff
from dugnad.sdk import db, handoffs
from dugnad_newcomers.models import ChecklistItem
from tests.plugins.newcomers.newcomers_support import in_tenant, make_household
from tests.plugins.volunteers.volunteers_support import bank, next_weekday  # noqa: F401


def _buddy_item(app, world, household_id) -> int:
    with in_tenant(app, world.tenants["alpha"]):
        return db.session.scalar(select(ChecklistItem.id).where(ChecklistItem.household_id == household_id,
                                                                ChecklistItem.key == "local_contact"))


def test_the_buddy_item_asks_the_volunteer_bank_and_its_status_comes_back(app, world, bank, client_as):
    household_id = make_household(app, world.tenants["alpha"], "Ahmed Hassan")
    item_id = _buddy_item(app, world, household_id)
    admin = client_as("alpha_admin")
    with admin.session_transaction() as session:
        session["lang"] = "en"
    page = admin.get(f"/alpha/newcomers/{household_id}").text
    ask = f"/alpha/handoffs/ask/newcomers.checklist_item/{item_id}/volunteers.task"
    assert "Help from other services" in page and ask in page
    starts = next_weekday(3, 18)
    sent = admin.post(ask, data={
        "title": "Local buddy for a newly arrived family", "role_id": str(bank.roles["family"]),
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "volunteers_needed": "1",
        "purpose": "A family with two children who arrived last month would like a local contact."})
    assert sent.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        handoff = db.session.scalar(select(Handoff))
        assert handoff.origin_type == "newcomers.checklist_item" and handoff.status == "received"
        assert "Ahmed" not in (handoff.origin_label or "")  # the bank never sees the household's name
        item = db.session.get(ChecklistItem, item_id)
        assert item.status == "in_progress"
        handoffs.update_status(handoff.target_key, "done", outcome="fant 1 frivillig")
        db.session.commit()
        item = db.session.get(ChecklistItem, item_id)
        assert item.status == "done" and item.note == "fant 1 frivillig"
    page = admin.get(f"/alpha/newcomers/{household_id}").text
    assert "fant 1 frivillig" in page
