"""Who takes part in a process, the stakeholder analysis (five steps, rows edited in
place), the invitation list with the groups still missing, and isolation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.processes.models import Process, ProcessParticipant, StakeholderEntry
from dugnad.tenancy import tenant_context
from tests.support.participants import add, client_as  # noqa: F401  (English clients)


def make_process(app, tenant_id: int, name: str = "Bosetting 2025") -> int:
    with app.app_context():
        with tenant_context(tenant_id):
            process = Process(name=name)
            db.session.add(process)
            db.session.commit()
            return process.id


def rows(app, tenant_id: int, model):
    with app.app_context():
        with tenant_context(tenant_id):
            found = db.session.scalars(select(model).order_by(model.id)).all()
            db.session.expunge_all()
            return found


@pytest.fixture
def alpha(app, world):
    t = world.tenants["alpha"]
    return {
        "process": make_process(app, t),
        "kari": add(app, t, name="Kari Kommune", category="municipality", email="kari@alfa.kommune.no"),
        "bjorn": add(app, t, name="Bjørn Bedrift", category="business", email="bjorn@firma.no"),
    }


def test_people_are_added_to_a_process_in_a_role_changed_and_removed(app, world, client_as, alpha):
    client = client_as("alpha_coordinator")
    url = f"/alpha/processes/{alpha['process']}/people"
    assert client.post(url, data={"participant_id": alpha["kari"], "role": "owner"}).status_code == 302
    [link] = rows(app, world.tenants["alpha"], ProcessParticipant)
    assert (link.participant_id, link.role) == (alpha["kari"], "owner")
    page = client.get(url).text
    assert "Kari Kommune" in page and "<h1" in page
    assert client.post(f"{url}/{link.id}/role", data={f"r{link.id}-role": "steering_group"}).status_code == 302
    assert rows(app, world.tenants["alpha"], ProcessParticipant)[0].role == "steering_group"
    # the same person twice is a field error
    again = client.post(url, data={"participant_id": alpha["kari"], "role": "participant"})
    assert again.status_code == 422
    assert client.post(f"{url}/{link.id}/remove").status_code == 302
    assert rows(app, world.tenants["alpha"], ProcessParticipant) == []


def test_a_participant_of_another_municipality_cannot_be_added(app, world, client_as, alpha):
    beta_person = add(app, world.tenants["beta"], name="Beta Person", category="business")
    response = client_as("alpha_coordinator").post(f"/alpha/processes/{alpha['process']}/people",
                                                   data={"participant_id": beta_person, "role": "owner"})
    assert response.status_code in (404, 422)
    assert rows(app, world.tenants["alpha"], ProcessParticipant) == []
    response = client_as("alpha_coordinator").post(f"/alpha/processes/{alpha['process']}/stakeholders",
                                                   data={"add-participant_id": beta_person, "add-grouping": "primary"})
    assert response.status_code in (404, 422)
    assert rows(app, world.tenants["alpha"], StakeholderEntry) == []


def test_the_analysis_adds_stakeholders_from_the_register_or_by_name(app, world, client_as, alpha):
    client = client_as("alpha_coordinator")
    url = f"/alpha/processes/{alpha['process']}/stakeholders"
    assert client.post(url, data={"add-participant_id": alpha["bjorn"], "add-grouping": "secondary"}).status_code == 302
    assert client.post(url, data={"add-name": "Nyankomne flyktninger", "add-category": "target_group", "add-grouping": "primary"}).status_code == 302
    missing = client.post(url, data={"add-grouping": "primary"})
    assert missing.status_code == 422 and "Write who the stakeholder is" in missing.text
    entries = rows(app, world.tenants["alpha"], StakeholderEntry)
    assert [(e.name, e.category, e.grouping, e.participant_id) for e in entries] == [
        ("Bjørn Bedrift", "business", "secondary", alpha["bjorn"]),
        ("Nyankomne flyktninger", "target_group", "primary", None),
    ]
    page = client.get(url).text
    for step in ("Step 1: Identify", "Steps 2–4", "Step 5"):
        assert step in page
    assert "Primary stakeholders (1)" in page and "Secondary stakeholders (1)" in page


def test_a_row_is_edited_in_place_with_htmx_and_on_its_own_page_without(app, world, client_as, alpha):
    client = client_as("alpha_coordinator")
    base = f"/alpha/processes/{alpha['process']}/stakeholders"
    client.post(base, data={"add-name": "Innbyggere i sentrum", "add-category": "residents", "add-grouping": "primary"})
    [entry] = rows(app, world.tenants["alpha"], StakeholderEntry)
    edit = f"{base}/{entry.id}/edit"
    htmx = {"HX-Request": "true", "HX-Target": f"stakeholder-{entry.id}"}
    form_row = client.get(edit, headers=htmx).text
    assert form_row.lstrip().startswith("<tr") and "<form" in form_row and "<html" not in form_row
    p = f"s{entry.id}-"
    data = {p + "name": "Innbyggere i sentrum", p + "category": "residents", p + "grouping": "primary",
            p + "role": "Brukere av tjenesten", p + "need": "Trygghet", p + "benefits": "Flere tilbud",
            p + "costs": "Byggestøy", p + "overall_effect": "positive", p + "affected": "much"}
    saved = client.post(edit, data=data, headers=htmx)
    assert saved.status_code == 200 and "Trygghet" in saved.text and "<form" not in saved.text and saved.text.lstrip().startswith("<tr")
    # an error stays in the row, tied to its field
    bad = client.post(edit, data={**data, p + "overall_effect": "fantastic"}, headers=htmx)
    assert bad.status_code == 422 and "<form" in bad.text and f'id="{p}overall_effect-error"' in bad.text
    # without JavaScript: a page of its own, and a redirect back
    page = client.get(edit)
    assert page.status_code == 200 and "<h1" in page.text
    assert client.post(edit, data={**data, p + "need": "Ro"}).status_code == 302
    [entry] = rows(app, world.tenants["alpha"], StakeholderEntry)
    assert (entry.need, entry.overall_effect, entry.affected, entry.role) == ("Ro", "positive", "much", "Brukere av tjenesten")


def test_the_conclusion_is_step_five(app, world, client_as, alpha):
    client = client_as("alpha_coordinator")
    url = f"/alpha/processes/{alpha['process']}/stakeholders/conclusion"
    assert client.post(url, data={"stakeholder_conclusion": "Inviter næringslivet tidlig."}).status_code == 302
    assert rows(app, world.tenants["alpha"], Process)[0].stakeholder_conclusion == "Inviter næringslivet tidlig."


def test_the_invitation_list_names_whom_to_invite_and_the_groups_still_missing(app, world, client_as, alpha):
    client = client_as("alpha_coordinator")
    base = f"/alpha/processes/{alpha['process']}"
    client.post(f"{base}/people", data={"participant_id": alpha["kari"], "role": "owner"})
    client.post(f"{base}/stakeholders", data={"add-participant_id": alpha["bjorn"], "add-grouping": "primary"})
    client.post(f"{base}/stakeholders", data={"add-name": "Nyankomne", "add-category": "target_group", "add-grouping": "primary"})
    page = client.get(f"{base}/stakeholders").text
    invited = page.split('id="invitations-heading"')[1]
    assert "Kari Kommune" in invited and "bjorn@firma.no" in invited
    warning = invited.split("Groups with no one to invite")[1].split("</div>")[0]
    assert "Target group" in warning and "Politics" in warning and "Business" not in warning.split("No one from:")[1].split("</p>")[0]
    assert "the analysis names Nyankomne" in warning
    csv = client.get(f"{base}/stakeholders/invitations.csv")
    assert csv.status_code == 200 and csv.data.startswith(b"\xef\xbb\xbf")
    text = csv.data.decode("utf-8-sig")
    assert "Kari Kommune,kari@alfa.kommune.no" in text and "Bjørn Bedrift,bjorn@firma.no" in text  # English


def test_members_cannot_change_the_analysis(app, world, client_as, alpha):
    client = client_as("alpha_member")
    assert client.post(f"/alpha/processes/{alpha['process']}/stakeholders", data={"add-name": "X", "add-category": "residents", "add-grouping": "primary"}).status_code == 403
    assert rows(app, world.tenants["alpha"], StakeholderEntry) == []


def test_another_municipalitys_process_and_rows_are_404_through_ones_own_urls(app, world, client_as, alpha):
    t = world.tenants["beta"]
    process = make_process(app, t, "Beta hemmelig prosess")
    person = add(app, t, name="Beta Person", category="business")
    with app.app_context():
        with tenant_context(t):
            link = ProcessParticipant(process_id=process, participant_id=person, role="owner")
            entry = StakeholderEntry(process_id=process, name="Beta interessent", category="business")
            db.session.add_all([link, entry])
            db.session.commit()
            link_id, entry_id = link.id, entry.id
    client = client_as("alpha_admin")
    own = alpha["process"]
    urls = [
        ("GET", f"/alpha/processes/{process}/people"), ("POST", f"/alpha/processes/{process}/people"),
        ("GET", f"/alpha/processes/{process}/stakeholders"), ("POST", f"/alpha/processes/{process}/stakeholders"),
        ("POST", f"/alpha/processes/{process}/stakeholders/conclusion"),
        ("GET", f"/alpha/processes/{process}/stakeholders/invitations.csv"),
        ("POST", f"/alpha/processes/{own}/people/{link_id}/role"), ("POST", f"/alpha/processes/{own}/people/{link_id}/remove"),
        ("GET", f"/alpha/processes/{own}/stakeholders/{entry_id}"), ("GET", f"/alpha/processes/{own}/stakeholders/{entry_id}/edit"),
        ("POST", f"/alpha/processes/{own}/stakeholders/{entry_id}/edit"), ("POST", f"/alpha/processes/{own}/stakeholders/{entry_id}/remove"),
    ]
    for method, url in urls:
        response = client.open(url, method=method, data={})
        assert response.status_code == 404, (method, url, response.status_code)
        assert b"Beta" not in response.data
    assert len(rows(app, t, ProcessParticipant)) == 1 and len(rows(app, t, StakeholderEntry)) == 1


@pytest.mark.parametrize("page", ["people", "stakeholders"])
def test_process_pages_query_count_does_not_grow(app, world, client_as, queries, alpha, page):
    t = world.tenants["alpha"]

    def grow(n, tag):
        with app.app_context():
            with tenant_context(t):
                from dugnad.participants.models import Participant

                people = [Participant(name=f"P{tag}{i}", category="residents", legal_basis="public_task") for i in range(n)]
                db.session.add_all(people)
                db.session.flush()
                db.session.add_all(ProcessParticipant(process_id=alpha["process"], participant_id=p.id) for p in people)
                db.session.add_all(StakeholderEntry(process_id=alpha["process"], participant_id=p.id, name=p.name, category="residents") for p in people)
                db.session.commit()

    client = client_as("alpha_coordinator")
    path = f"/alpha/processes/{alpha['process']}/{page}"
    grow(5, "a")
    client.get(path)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    few = queries.count
    grow(100, "b")
    queries.statements.clear()
    assert client.get(path).status_code == 200
    assert queries.count == few, queries.statements
    print(f"{path}: {few} queries")
