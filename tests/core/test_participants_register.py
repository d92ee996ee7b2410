"""The participant register: create, edit, archive, search, the audit trail, a person's
data on request, and isolation between municipalities."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.participants.models import Participant
from dugnad.tenancy import tenant_context
from tests.support.participants import VALID, add, client_as, stored  # noqa: F401  (English clients)


def test_a_coordinator_adds_a_participant_with_the_email_lower_cased_and_an_audit_event(app, world, client_as):
    client = client_as("alpha_coordinator")
    response = client.post("/alpha/participants/new", data=VALID)
    assert response.status_code == 302, response.text
    [person] = stored(app, world.tenants["alpha"])
    assert person.email == "kari@example.no" and person.name == "Kari Nordmann"
    page = client.get(response.location).text
    assert "Public task (the municipality&#39;s duty)" in page or "Public task (the municipality's duty)" in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Participant")).all()
    assert actions == ["participant.created"]


@pytest.mark.parametrize("change, field, message", [
    ({"name": ""}, "name", "Write the name."),
    ({"legal_basis": ""}, "legal_basis", "Choose the legal basis"),
    ({"legal_basis": "consent"}, "consent_at", "Write the date the person gave consent."),
    ({"category": "aliens"}, "category", "Not a valid choice"),
    ({"email": "not-an-address"}, "email", "valid e-mail"),
])
def test_the_form_refuses_bad_input_with_a_field_error_and_keeps_what_was_typed(app, world, client_as, change, field, message):
    response = client_as("alpha_coordinator").post("/alpha/participants/new", data={**VALID, **change})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert 'value="Daglig leder"' in response.text
    assert stored(app, world.tenants["alpha"]) == []


def test_consent_needs_its_date_and_keeps_it(app, world, client_as):
    response = client_as("alpha_coordinator").post("/alpha/participants/new", data={**VALID, "legal_basis": "consent", "consent_at": "2024-03-01"})
    assert response.status_code == 302
    [person] = stored(app, world.tenants["alpha"])
    assert person.consent_at.date().isoformat() == "2024-03-01"


def test_the_same_email_twice_in_a_municipality_is_a_field_error_but_fine_in_another(app, world, client_as):
    add(app, world.tenants["alpha"], name="First", email="kari@example.no")
    response = client_as("alpha_coordinator").post("/alpha/participants/new", data=VALID)
    assert response.status_code == 422
    assert "already has this e-mail" in response.text and 'id="email-error"' in response.text
    assert client_as("beta_admin").post("/beta/participants/new", data=VALID).status_code == 302
    assert [p.email for p in stored(app, world.tenants["beta"])] == ["kari@example.no"]


def test_an_organisation_of_another_municipality_is_refused_with_a_form_error(app, world, client_as):
    beta_org = add(app, world.tenants["beta"], kind="organisation", name="Beta AS", category="business")
    response = client_as("alpha_coordinator").post("/alpha/participants/new", data={**VALID, "organisation_id": str(beta_org)})
    assert response.status_code == 422
    assert "Choose an organisation from this municipality" in response.text
    assert stored(app, world.tenants["alpha"]) == []


def test_a_person_speaks_for_an_organisation_of_the_same_municipality(app, world, client_as):
    org = add(app, world.tenants["alpha"], kind="organisation", name="Alfa Frivilligsentral", category="volunteer")
    client = client_as("alpha_coordinator")
    response = client.post("/alpha/participants/new", data={**VALID, "organisation_id": str(org)})
    assert response.status_code == 302
    person = stored(app, world.tenants["alpha"])[-1]
    assert person.organisation_id == org
    assert "Alfa Frivilligsentral" in client.get("/alpha/participants/").text


def test_edit_archive_and_restore_are_audited_and_archived_people_are_hidden(app, world, client_as):
    pid = add(app, world.tenants["alpha"], name="Ola Hansen", email="ola@example.no")
    client = client_as("alpha_coordinator")
    assert client.post(f"/alpha/participants/{pid}/edit", data={**VALID, "name": "Ola Hansen", "email": "ola@example.no", "title": "Ordfører"}).status_code == 302
    assert client.post(f"/alpha/participants/{pid}/archive", follow_redirects=True).status_code == 200
    assert "Ola Hansen" not in client.get("/alpha/participants/").text
    assert "Ola Hansen" in client.get("/alpha/participants/?archived=1").text
    assert client.post(f"/alpha/participants/{pid}/restore", follow_redirects=True).status_code == 200
    assert "Ola Hansen" in client.get("/alpha/participants/").text
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == str(pid)).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["participant.changed", "participant.archived", "participant.restored"]
    assert "title" in events[0].detail["fields"] and "Ordfører" not in json.dumps(events[0].detail)


def test_list_filters_by_category_and_kind_and_searches(app, world, client_as):
    t = world.tenants["alpha"]
    add(app, t, name="Anne Bedrift", category="business", email="anne@firma.no")
    add(app, t, name="Nora Nabo", category="residents")
    add(app, t, name="Firma AS", category="business", kind="organisation")
    client = client_as("alpha_coordinator")
    page = client.get("/alpha/participants/?category=business").text
    assert "Anne Bedrift" in page and "Firma AS" in page and "Nora Nabo" not in page
    page = client.get("/alpha/participants/?category=business&kind=person").text
    assert "Anne Bedrift" in page and "Firma AS" not in page
    page = client.get("/alpha/participants/?q=FIRMA.no").text
    assert "Anne Bedrift" in page and "Nora Nabo" not in page
    # search as you type: htmx gets only the results
    fragment = client.get("/alpha/participants/?q=nora", headers={"HX-Request": "true", "HX-Target": "participant-results"}).text
    assert "Nora Nabo" in fragment and "<html" not in fragment and "Anne Bedrift" not in fragment


@pytest.mark.parametrize("typed, found", [("åse", "Åse Lie"), ("ÅSE", "Åse Lie"), ("østerbø", "Kari Østerbø"),
                                           ("ærlig", "Ærlig Handel AS"), ("ØSTERBØ", "Kari Østerbø")])
def test_search_ignores_case_for_norwegian_letters_too(app, world, client_as, typed, found):
    t = world.tenants["alpha"]
    for name in ("Åse Lie", "Kari Østerbø", "Ærlig Handel AS", "Ola Nordmann"):
        add(app, t, name=name, category="residents")
    page = client_as("alpha_coordinator").get(f"/alpha/participants/?q={typed}").text
    assert found in page and "Ola Nordmann" not in page


def test_members_cannot_see_the_register_and_facilitators_cannot_change_it(app, world, client_as):
    assert client_as("alpha_member").get("/alpha/participants/").status_code == 403
    assert client_as("alpha_member").post("/alpha/participants/new", data=VALID).status_code == 403


def test_an_admin_exports_one_persons_data_and_the_export_is_audited(app, world, client_as):
    pid = add(app, world.tenants["alpha"], name="Per Person", email="per@example.no", legal_basis="consent")
    response = client_as("alpha_admin").get(f"/alpha/participants/{pid}/export.json")
    assert response.status_code == 200
    data = response.get_json()
    assert data["participant"]["email"] == "per@example.no" and data["participant"]["legal_basis"] == "consent"
    assert client_as("alpha_coordinator").get(f"/alpha/participants/{pid}/export.json").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "participant.exported"))


def test_another_municipalitys_participant_is_404_through_ones_own_urls(app, world, client_as):
    beta = add(app, world.tenants["beta"], name="Beta Hemmelig", email="secret@beta.test")
    client = client_as("alpha_admin")
    for method, path in [("GET", f"/alpha/participants/{beta}"), ("GET", f"/alpha/participants/{beta}/edit"),
                         ("POST", f"/alpha/participants/{beta}/edit"), ("POST", f"/alpha/participants/{beta}/archive"),
                         ("POST", f"/alpha/participants/{beta}/restore"), ("GET", f"/alpha/participants/{beta}/export.json")]:
        response = client.open(path, method=method, data=VALID)
        assert response.status_code == 404, (method, path)
        assert b"Hemmelig" not in response.data
    [row] = stored(app, world.tenants["beta"])
    assert row.archived_at is None and row.name == "Beta Hemmelig"


def _grow(app, tenant_id: int, n: int, tag: str) -> None:
    with app.app_context():
        with tenant_context(tenant_id):
            orgs = [Participant(kind="organisation", name=f"Org {tag}{i}", category="volunteer", legal_basis="public_task") for i in range(max(1, n // 10))]
            db.session.add_all(orgs)
            db.session.flush()
            db.session.add_all(Participant(name=f"Person {i}", email=f"p{tag}{i}@example.no", category="residents", legal_basis="consent",
                                           organisation_id=orgs[i % len(orgs)].id) for i in range(n))
            db.session.commit()


@pytest.mark.parametrize("path", ["/alpha/participants/", "/alpha/participants/?category=residents&q=person"])
def test_the_list_page_query_count_does_not_grow_with_rows(app, world, client_as, queries, path):
    client = client_as("alpha_coordinator")
    _grow(app, world.tenants["alpha"], 5, "a")
    client.get(path)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    few = queries.count
    _grow(app, world.tenants["alpha"], 300, "b")
    queries.statements.clear()
    assert client.get(path).status_code == 200
    assert queries.count == few, queries.statements
    print(f"{path}: {few} queries")
