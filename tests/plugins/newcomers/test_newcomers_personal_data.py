"""A person's data export (GDPR art. 15) from the participant register includes what the
newcomer service holds on them, and reading it for the export is logged on the household."""

from __future__ import annotations

from sqlalchemy import select

from dugnad.sdk import AuditEvent, Participant, db
from tests.plugins.newcomers.newcomers_support import in_tenant, make_household


def test_the_export_of_a_participant_includes_their_household(app, world, client_as):
    household_id = make_household(app, world.tenants["alpha"], "Olena Kovalenko", email="olena@example.no",
                                  children=[4, 9])
    with in_tenant(app, world.tenants["alpha"]):
        person = Participant(name="Olena Kovalenko", category="target_group", email="olena@example.no",
                             legal_basis="public_task")
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    data = client_as("alpha_admin").get(f"/alpha/participants/{person_id}/export.json").get_json()
    section = data["newcomer_households"]
    assert section[0]["name"] == "Olena Kovalenko" and [m["age"] for m in section[0]["members"] if m["kind"] == "child"] == [9, 4]
    assert section[0]["consent"]["version"] == 1
    with in_tenant(app, world.tenants["alpha"]):
        read = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "newcomers.record_read",
                                                          AuditEvent.object_id == str(household_id)))
        assert read is not None and read.detail["purpose"] == "personal data export"


def test_a_person_without_a_household_gets_no_newcomer_section(app, world):
    from dugnad_newcomers.households import personal_data

    with in_tenant(app, world.tenants["alpha"]):
        assert personal_data(Participant(name="Nobody", category="business", email="nobody@example.no")) == {}
