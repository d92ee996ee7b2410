"""Handoffs through the sample plugin, which both asks for help on a note and receives
"a note written for you": the offer, the form, what crosses, the status flowing back,
the outbox, replays and refusals."""

import pytest
from sqlalchemy import func, select

from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.handoffs import service
from dugnad.handoffs.models import Handoff, HandoffEvent
from dugnad.notifications import OutboxMessage
from dugnad.tenancy import tenant_context
from tests.support import sample_plugin
from tests.support.sample_plugin.models import Note
from dugnad.clock import today as oslo_today

FORM = {"text": "Hosts for Thursday", "copies": "2", "due": "2031-03-01", "colour": "red",
        "purpose": "The café needs people to greet newcomers."}


@pytest.fixture
def client_as(client_as):
    """The people of these tests read English."""

    def make(key):
        client = client_as(key)
        with client.session_transaction() as session:
            session["lang"] = "en"
        return client

    return make


def english(app):
    return app.test_request_context(headers={"Accept-Language": "en"})


def _send(client, world, note_index=0, slug="alpha", **changes):
    note_id = world.notes[slug][note_index]
    return client.post(f"/{slug}/handoffs/ask/sample.note/{note_id}/sample.note", data={**FORM, **changes})


def _handoffs(app, world, slug="alpha"):
    with app.app_context(), tenant_context(world.tenants[slug]):
        return [(h.id, h.status, h.values, h.target_key) for h in db.session.scalars(select(Handoff).order_by(Handoff.id))]


def test_the_note_page_offers_the_kinds_of_help_with_their_form(client_as, world):
    client = client_as("alpha_coordinator")
    page = client.get(f"/alpha/notes/{world.notes['alpha'][0]}").text
    assert "Ask for help" in page
    link = f'/alpha/handoffs/ask/sample.note/{world.notes["alpha"][0]}/sample.note'
    assert link in page and "A note written for you" in page
    form = client.get(link)
    assert form.status_code == 200
    for label in ("What to write", "How many copies", "By when", "Colour", "What is the help for?"):
        assert label in form.text


def test_sending_creates_the_receivers_object_and_keeps_only_the_forms_fields(client_as, world, app):
    client = client_as("alpha_coordinator")
    sent = _send(client, world, secret="the person's diagnosis")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/alpha/notes/{world.notes['alpha'][0]}#handoffs-sample-note-{world.notes['alpha'][0]}")
    [(handoff_id, status, values, target)] = _handoffs(app, world)
    assert status == "received"
    assert values == {"text": "Hosts for Thursday", "copies": 2, "due": "2031-03-01", "colour": "red"}
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        note = db.session.scalar(select(Note).where(Note.text.like("Hosts for Thursday%")))
        assert note.text == "Hosts for Thursday (for alpha note 0)"
        assert target == f"sample.note:{note.id}"
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "handoffs.sent"))
        assert audit.object_id == str(handoff_id) and audit.detail["purpose"] == FORM["purpose"]
        assert "secret" not in str(audit.detail)
    # the receiver was handed parsed values, the purpose and nothing more
    [received] = [c for c in sample_plugin.calls if c[0] == "received"]
    assert received[3]["copies"] == 2 and str(received[3]["due"]) == "2031-03-01" and "secret" not in received[3]
    page = client.get(f"/alpha/notes/{world.notes['alpha'][0]}").text
    assert 'data-status="received"' in page and f'href="/alpha/notes/{note.id}"' in page
    # the receiving side says where it came from
    assert "Asked for by another service" in client.get(f"/alpha/notes/{note.id}").text


def test_status_flows_back_to_the_origin_and_its_coordinator_is_told_once(client_as, world, app):
    client = client_as("alpha_coordinator")
    _send(client, world)
    [(handoff_id, _, _, target)] = _handoffs(app, world)
    with english(app), tenant_context(world.tenants["alpha"]):
        assert service.update_status(target, "working") is not None
        service.update_status(target, "done", outcome="written: 2 copies")
        service.update_status(target, "done", outcome="written again")  # a replay changes nothing
        db.session.commit()
    changes = [c for c in sample_plugin.calls if c[0] == "handoff_changed"]
    assert [(c[3], c[4]) for c in changes] == [("sent", "received"), ("received", "working"), ("working", "done")]
    assert changes[-1][5] == "written: 2 copies"
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        events = db.session.scalars(select(HandoffEvent.status).where(HandoffEvent.handoff_id == handoff_id)
                                    .order_by(HandoffEvent.id)).all()
        assert events == ["sent", "received", "working", "done"]
        mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "handoff_done")).all()
        assert [m.recipient for m in mails] == ["coordinator@alpha.test"]
        assert "written: 2 copies" in mails[0].body
    page = client.get(f"/alpha/notes/{world.notes['alpha'][0]}").text
    assert 'data-status="done"' in page and "written: 2 copies" in page and "written again" not in page


@pytest.mark.parametrize("status, message", [
    ("received", "Out of order"),
    ("sent", "Unknown status"),
    ("declined", "Say why"),
])
def test_a_status_out_of_order_or_without_its_reason_is_refused(client_as, world, app, status, message):
    _send(client_as("alpha_coordinator"), world)
    [(_, _, _, target)] = _handoffs(app, world)
    with english(app), tenant_context(world.tenants["alpha"]):
        service.update_status(target, "working")
        with pytest.raises(service.HandoffError, match=message):
            service.update_status(target, status)
        assert service.received_for(target).status == "working"


def test_done_before_received_is_refused(app, world):
    with english(app), tenant_context(world.tenants["alpha"]):
        handoff = Handoff(kind="sample.note", kind_label="x", receiver="sample", origin_type="sample.note",
                          origin_id=world.notes["alpha"][0], origin_label="n", origin_endpoint="sample_notes.index",
                          purpose="p", values={}, status="sent", target_key="sample.note:999")
        db.session.add(handoff)
        db.session.flush()
        with pytest.raises(service.HandoffError, match="not been received yet"):
            service.update_status("sample.note:999", "done", outcome="too early")
        assert handoff.status == "sent"


def test_bad_values_keep_what_was_typed_and_save_nothing(client_as, world, app):
    client = client_as("alpha_coordinator")
    for changes, shown in (({"copies": "many"}, "Write a whole number."), ({"text": ""}, "Fill in"),
                           ({"due": "1 March"}, "YYYY-MM-DD"), ({"colour": "green"}, "Choose from the list."),
                           ({"purpose": "help"}, "Say what the help is for"),
                           ({"text": "refuse me"}, "The sample plugin refuses this note.")):
        answer = _send(client, world, **changes)
        assert answer.status_code == 422, changes
        assert shown in answer.text and 'aria-invalid="true"' in answer.text
        assert "The café needs people to greet newcomers." in answer.text or "purpose" in changes
    assert _handoffs(app, world) == []
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        assert db.session.scalar(select(func.count()).select_from(HandoffEvent)) == 0
        assert db.session.scalar(select(func.count()).select_from(Note)) == 2


def test_an_object_of_another_municipality_or_an_unknown_kind_answers_404(client_as, world, app):
    client = client_as("both")  # coordinator in alpha
    beta_note = world.notes["beta"][0]
    assert client.post(f"/alpha/handoffs/ask/sample.note/{beta_note}/sample.note", data=FORM).status_code == 404
    assert client.get(f"/alpha/handoffs/ask/sample.note/{world.notes['alpha'][0]}/nobody.kind").status_code == 404
    assert client.get("/alpha/handoffs/ask/nobody.thing/1/sample.note").status_code == 404
    with english(app), tenant_context(world.tenants["alpha"]):
        with pytest.raises(service.HandoffError, match="not offered"):
            service.send("nobody.kind", "sample.note", world.notes["alpha"][0], FORM["purpose"], {})
        with pytest.raises(service.HandoffError, match="no such object"):
            service.send("sample.note", "sample.note", beta_note, FORM["purpose"], {"text": "x"})
    assert _handoffs(app, world) == [] and _handoffs(app, world, "beta") == []


def test_a_member_without_the_permissions_sees_no_offer_and_may_not_send(client_as, world):
    member = client_as("alpha_member")
    assert "Ask for help" not in member.get(f"/alpha/notes/{world.notes['alpha'][0]}").text
    assert _send(member, world).status_code == 403


def test_the_persons_data_export_includes_handoffs_about_them(app, world):
    from dugnad.participants.models import Participant
    from dugnad.participants.service import personal_data

    with english(app), tenant_context(world.tenants["alpha"]):
        person = Participant(name="Amina", category="target_group", legal_basis="consent")
        db.session.add(person)
        db.session.flush()
        handoff = Handoff(kind="sample.note", kind_label="A note", receiver="sample", origin_type="sample.note",
                          origin_id=1, origin_label="Family follow-up", origin_endpoint="sample_notes.index",
                          purpose="Follow up the family", values={"text": "buddy"}, participant_id=person.id)
        db.session.add(handoff)
        db.session.flush()
        found = personal_data(person)["handoffs"]
        assert found[0]["purpose"] == "Follow up the family" and found[0]["values"] == {"text": "buddy"}


def test_the_benchmark_group_counts_sent_and_done_and_the_median_days(client_as, world, app):
    from datetime import timedelta

    from dugnad.benchmarking.metrics import Figure
    from dugnad.clock import utcnow
    from dugnad.handoffs import metrics

    client = client_as("alpha_coordinator")
    for text in ("One", "Two", "Three"):
        _send(client, world, text=text)
    with english(app), tenant_context(world.tenants["alpha"]):
        handoffs = db.session.scalars(select(Handoff).order_by(Handoff.id)).all()
        for handoff, days in zip(handoffs[:2], (2, 4)):
            service.update_status(handoff.target_key, "done", outcome="written")
            handoff.created_at = utcnow() - timedelta(days=days)
        db.session.commit()
        start, end = oslo_today() - timedelta(days=30), oslo_today() + timedelta(days=1)
        tenant_id = world.tenants["alpha"]
        assert metrics.sent(tenant_id, start, end) == 3
        assert metrics.done(tenant_id, start, end) == 2
        assert metrics.days_to_done(tenant_id, start, end) == Figure(3.0, 2)
        assert metrics.sent(tenant_id, end, end + timedelta(days=30)) is None
    registered = app.extensions["dugnad.plugins"].registry.metrics
    assert {registered[k].group for k in ("handoffs.sent", "handoffs.done", "handoffs.days_to_done")} == {"handoffs"}


def test_the_list_is_in_the_navigation_where_a_receiving_module_is_on(client_as, world):
    client = client_as("alpha_coordinator")
    assert 'href="/alpha/handoffs/"' in client.get("/alpha/").text
    page = client.get("/alpha/handoffs/")
    assert page.status_code == 200 and "Requests for help" in page.text
    assert client_as("alpha_member").get("/alpha/handoffs/").status_code == 403
