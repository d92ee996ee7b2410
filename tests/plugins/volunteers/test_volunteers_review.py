"""The coordinator's review queue (approve, ask for more, reject with a reason), reading a
record (logged), corrections, qualifications with expiry, and deleting."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.clock import today
from dugnad_volunteers.models import Qualification, Volunteer
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    in_tenant,
    make_volunteer,
    messages,
    registration_form,
)


def _coordinator(client_as):
    client = client_as("alpha_coordinator")
    client.post("/language", data={"lang": "en", "next": "/"})
    return client


def _status(app, world, volunteer_id) -> str:
    with in_tenant(app, world.tenants["alpha"]):
        return db.session.get(Volunteer, volunteer_id).status


def test_the_queue_lists_those_waiting_oldest_first_with_minors_marked(app, world, bank, client_as):
    first = make_volunteer(bank, "First Waiting", status="pending")
    make_volunteer(bank, "Second Waiting", status="pending", birth_date=today() - timedelta(days=16 * 366),
                   guardian_name="A Parent", guardian_email="parent@example.no")
    make_volunteer(bank, "Not Confirmed", status="unconfirmed")
    page = _coordinator(client_as).get("/alpha/volunteers/review")
    assert page.status_code == 200
    assert page.text.index("First Waiting") < page.text.index("Second Waiting")
    assert "Under 18: waiting for a parent or guardian" in page.text
    assert "Not Confirmed" not in page.text and "1 more has registered but not confirmed" in page.text
    assert f"/alpha/volunteers/{first}" in page.text


def test_approving_tells_the_volunteer_and_needs_a_guardian_under_18(app, world, bank, client_as):
    adult = make_volunteer(bank, "Adult Person", status="pending", email="adult@example.no")
    minor = make_volunteer(bank, "Young Person", status="pending", email="young@example.no",
                           birth_date=today() - timedelta(days=16 * 366), guardian_name="Parent",
                           guardian_email="parent@example.no")
    client = _coordinator(client_as)
    answer = client.post(f"/alpha/volunteers/{adult}/decision", data={"decision-decision": "approve"})
    assert answer.status_code == 302
    assert _status(app, world, adult) == "approved"
    (mail,) = messages(app, "volunteer-approved")
    assert mail.recipient == "adult@example.no" and "police certificate" in mail.body  # wants the escort role
    refused = client.post(f"/alpha/volunteers/{minor}/decision", data={"decision-decision": "approve"})
    assert refused.status_code == 422 and "has not confirmed yet" in refused.text
    assert _status(app, world, minor) == "pending"


def test_asking_for_more_and_rejecting_need_a_message_which_is_sent(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Dawit Kidane", status="pending", email="dawit@example.no")
    client = _coordinator(client_as)
    empty = client.post(f"/alpha/volunteers/{volunteer_id}/decision", data={"decision-decision": "more_info"})
    assert empty.status_code == 422 and "Write what you need to know." in empty.text
    client.post(f"/alpha/volunteers/{volunteer_id}/decision",
                data={"decision-decision": "more_info", "decision-message": "Can we meet at the café on Thursday?"})
    assert _status(app, world, volunteer_id) == "more_info"
    assert "Can we meet at the café on Thursday?" in messages(app, "volunteer-more_info")[0].body
    no_reason = client.post(f"/alpha/volunteers/{volunteer_id}/decision", data={"decision-decision": "reject"})
    assert no_reason.status_code == 422 and "Write the reason" in no_reason.text
    client.post(f"/alpha/volunteers/{volunteer_id}/decision",
                data={"decision-decision": "reject", "decision-message": "We need volunteers who speak Norwegian."})
    assert _status(app, world, volunteer_id) == "rejected"
    assert "We need volunteers who speak Norwegian." in messages(app, "volunteer-rejected")[0].body


def test_an_unconfirmed_registration_cannot_be_decided(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Not Confirmed", status="unconfirmed")
    answer = _coordinator(client_as).post(f"/alpha/volunteers/{volunteer_id}/decision", data={"decision-decision": "approve"})
    assert answer.status_code == 422 and "not confirmed their e-mail" in answer.text


def test_every_read_of_a_record_is_logged_with_who_and_why(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    client = _coordinator(client_as)
    page = client.get(f"/alpha/volunteers/{volunteer_id}")
    assert page.status_code == 200 and "Who has read this record" in page.text
    client.get(f"/alpha/volunteers/{volunteer_id}/export")
    with in_tenant(app, world.tenants["alpha"]):
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "volunteers.record_read",
                                                            AuditEvent.object_id == str(volunteer_id))
                                   .order_by(AuditEvent.id)).all()
        assert [r.detail["purpose"] for r in reads] == ["record page", "export of personal data"]
        assert {r.user_id for r in reads} == {world.users["alpha_coordinator"]}
        assert all(r.tenant_id == world.tenants["alpha"] for r in reads)
    assert "Cora Coordinator (the record page)" in client.get(f"/alpha/volunteers/{volunteer_id}").text
    client.post("/language", data={"lang": "nb", "next": "/"})
    norwegian = client.get(f"/alpha/volunteers/{volunteer_id}").text  # why it was read, in Norwegian too
    assert "Cora Coordinator (opplysningssiden)" in norwegian and "(record page)" not in norwegian


def test_members_without_the_role_see_nothing_of_the_bank(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    member = client_as("alpha_member")
    assert member.get("/alpha/volunteers/").status_code == 403
    assert member.get(f"/alpha/volunteers/{volunteer_id}").status_code == 403
    assert "/alpha/volunteers/" not in member.get("/alpha/").text


def test_a_volunteer_coordinator_runs_the_bank_and_nothing_else(app, world, bank, client_as):
    admin = client_as("alpha_admin")
    membership = world.memberships["alpha_member@alpha"]
    admin.post(f"/alpha/admin/members/{membership}/role", data={f"m{membership}-role": "volunteer_coordinator"})
    member = client_as("alpha_member")
    assert member.get("/alpha/volunteers/").status_code == 200
    assert member.get("/alpha/volunteers/setup").status_code == 200
    assert member.get("/alpha/participants/").status_code == 403


def test_qualifications_have_an_expiry_and_an_expired_one_is_refused(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Kari Nilsen")
    client = _coordinator(client_as)
    past = client.post(f"/alpha/volunteers/{volunteer_id}/qualifications",
                       data={"qualification-kind": "first_aid", "qualification-valid_until": (today() - timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and "already expired" in past.text
    other = client.post(f"/alpha/volunteers/{volunteer_id}/qualifications", data={"qualification-kind": "other"})
    assert other.status_code == 422 and "Say what the qualification is." in other.text
    until = today() + timedelta(days=200)
    ok = client.post(f"/alpha/volunteers/{volunteer_id}/qualifications",
                     data={"qualification-kind": "first_aid", "qualification-note": "Red Cross",
                           "qualification-valid_until": until.isoformat()})
    assert ok.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        (qualification,) = db.session.scalars(select(Qualification)).all()
        assert (qualification.kind, qualification.valid_until, qualification.recorded_by_id) == (
            "first_aid", until, world.users["alpha_coordinator"])
        qualification_id = qualification.id
    assert "valid until" in client.get(f"/alpha/volunteers/{volunteer_id}").text
    client.post(f"/alpha/volunteers/{volunteer_id}/qualifications/{qualification_id}/delete")
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.scalars(select(Qualification)).all() == []


def test_the_coordinator_corrects_details_and_the_change_is_logged(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Olena Kovalenko")
    client = _coordinator(client_as)
    form = client.get(f"/alpha/volunteers/{volunteer_id}/edit")
    assert form.status_code == 200 and 'value="Olena Kovalenko"' in form.text
    answer = client.post(f"/alpha/volunteers/{volunteer_id}/edit", data=registration_form(
        bank, name="Olena Kovalenko", email="olena.kovalenko@example.no", phone="+47 40 00 00 00"))
    assert answer.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.get(Volunteer, volunteer_id).phone == "+47 40 00 00 00"
        change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "volunteers.changed"))
        assert "phone" in change.detail["fields"] and change.detail["by"] == "staff"
        assert "+47 40" not in str(change.detail)  # names of fields, not their values


def test_the_coordinator_deletes_a_volunteer_who_then_disappears(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Per Olav Berg")
    client = _coordinator(client_as)
    assert client.post(f"/alpha/volunteers/{volunteer_id}/delete").status_code == 302
    assert client.get(f"/alpha/volunteers/{volunteer_id}").status_code == 404
    assert "Per Olav Berg" not in client.get("/alpha/volunteers/").text
