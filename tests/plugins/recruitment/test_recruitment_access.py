"""Need to know: the recruitment coordinator sees every candidate; a unit leader and a mentor see
only the candidates placed with them, on every candidate route of the web and the API; admins and
other coordinators see none; every read is logged with who and why and shown on the record."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from dugnad.sdk import AuditEvent, db, today
from dugnad.accounts.models import AccessToken, hash_token
from tests.plugins.recruitment.recruitment_support import add_candidate, in_tenant, pilot  # noqa: F401

ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def _candidate_routes(app):
    """Every web and API route that names a candidate, with its methods."""
    out = []
    for rule in app.url_map.iter_rules():
        if "candidate_id" not in rule.arguments:
            continue
        if not (rule.endpoint.startswith("recruitment.") or rule.endpoint.startswith("api_recruitment.")):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule.rule, method))
    return out


def _fill(rule: str, values: dict) -> str:
    return ARGUMENT.sub(lambda m: str(values.get(m.group(2), 999999)), rule)


def _token(app, pilot, key: str) -> str:
    secret = f"dgn_{key}-recruitment-token"
    with in_tenant(app, pilot.tenant_id):
        db.session.add(AccessToken(user_id=pilot.users[key], tenant_id=pilot.tenant_id, name="t",
                                   token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()
    return secret


def _ids(app, pilot, candidate_id):
    from dugnad_recruitment.models import Outcome, Placement

    with in_tenant(app, pilot.tenant_id):
        placement = db.session.scalar(select(Placement.id).where(Placement.candidate_id == candidate_id))
        outcome = db.session.scalar(select(Outcome.id).where(Outcome.candidate_id == candidate_id))
    return {"tenant": "alpha", "candidate_id": candidate_id, "placement_id": placement, "outcome_id": outcome}


@pytest.fixture
def two(app, pilot):
    """Amina in the kitchen (leader Leif, mentor Mona), Bilal at the school (leader Olga)."""
    mine = add_candidate(pilot, "Amina Hassan", opening="kitchen",
                         sensitive={"health": "Amina's diabetes", "criminal_record": "none"})
    other = add_candidate(pilot, "Bilal Yusuf", opening="school", sensitive={"substance_use": "Bilal's history"})
    return mine, other


def test_every_candidate_route_refuses_a_leader_another_units_candidate(app, world, pilot, two, client_as):
    """Parametrised over the URL map, so a new candidate route cannot slip past."""
    mine, other = two
    routes = _candidate_routes(app)
    assert len(routes) >= 15
    leader = client_as("leader")
    token = _token(app, pilot, "leader")
    values = _ids(app, pilot, other)
    for rule, method in routes:
        url = _fill(rule, values)
        if url.startswith("/api/"):
            answer = app.test_client().open(url, method=method, json={}, headers={"Authorization": f"Bearer {token}"})
        else:
            answer = leader.open(url, method=method, data={})
        assert answer.status_code == 403, f"{method} {url} answered {answer.status_code}"
        assert b"Bilal" not in answer.data and b"history" not in answer.data
    with in_tenant(app, pilot.tenant_id):
        refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "recruitment.candidate.refused",
                                                              AuditEvent.object_id == str(other))).all()
    # every attempt to read the record itself is logged (routes that change it are refused by role first)
    assert len(refused) >= 5 and {event.user_id for event in refused} == {pilot.users["leader"]}


def test_the_leader_and_the_mentor_see_their_own_candidate(app, world, pilot, two, client_as):
    mine, other = two
    for key in ("leader", "mentor"):
        page = client_as(key).get(f"/alpha/recruitment/candidates/{mine}")
        assert page.status_code == 200 and "Amina Hassan" in page.text
        listing = client_as(key).get("/alpha/recruitment/").text
        assert "Amina Hassan" in listing and "Bilal Yusuf" not in listing
        board = client_as(key).get(f"/alpha/recruitment/tracks/{pilot.track_id}").text
        assert "Amina Hassan" in board and "Bilal Yusuf" not in board
        token = _token(app, pilot, key)
        names = [c["name"] for c in app.test_client().get(
            "/api/v1/recruitment/candidates/", headers={"Authorization": f"Bearer {token}"}).json]
        assert names == ["Amina Hassan"]


def test_a_leader_loses_sight_when_the_placement_is_over(app, world, pilot, client_as):
    ended = add_candidate(pilot, "Chen Li", opening="kitchen", starts_on=today() - timedelta(days=400))
    with in_tenant(app, pilot.tenant_id):
        from dugnad_recruitment.models import Placement

        placement = db.session.scalar(select(Placement).where(Placement.candidate_id == ended))
        assert placement.ends_on < today()
    assert client_as("leader").get(f"/alpha/recruitment/candidates/{ended}").status_code == 403
    assert client_as("recruiter").get(f"/alpha/recruitment/candidates/{ended}").status_code == 200


@pytest.mark.parametrize("key", ["alpha_admin", "alpha_coordinator", "alpha_member"])
def test_admins_and_other_coordinators_see_no_candidate(app, world, pilot, two, client_as, key):
    mine, _other = two
    client = client_as(key)
    assert client.get(f"/alpha/recruitment/candidates/{mine}").status_code == 403
    assert client.get("/alpha/recruitment/").status_code == 403
    assert "/alpha/recruitment/\"" not in client.get("/alpha/").text


def test_every_read_is_logged_with_who_and_why_and_shown_on_the_record(app, world, pilot, two, client_as):
    mine, _other = two
    leader = client_as("leader")
    leader.get(f"/alpha/recruitment/candidates/{mine}")
    token = _token(app, pilot, "mentor")
    app.test_client().get(f"/api/v1/recruitment/candidates/{mine}", headers={"Authorization": f"Bearer {token}"})
    page = client_as("recruiter").get(f"/alpha/recruitment/candidates/{mine}").text
    with in_tenant(app, pilot.tenant_id):
        reads = db.session.execute(select(AuditEvent.user_id, AuditEvent.detail).where(
            AuditEvent.action == "recruitment.candidate.read", AuditEvent.object_id == str(mine))
            .order_by(AuditEvent.id)).all()
    assert [(user, detail["purpose"]) for user, detail in reads] == [
        (pilot.users["leader"], "record page"), (pilot.users["mentor"], "API"), (pilot.users["recruiter"], "record page")]
    section = page[page.index("reads-heading"):]
    assert "Leif Leder" in section and "Mona Mentor" in section and "Rakel Rekrutterer" in section


def test_sensitive_fields_only_on_purpose_and_the_purpose_is_logged(app, world, pilot, two, client_as):
    mine, _other = two
    leader = client_as("leader")
    record = leader.get(f"/alpha/recruitment/candidates/{mine}").text
    assert "diabetes" not in record  # not on the record page
    asked = leader.get(f"/alpha/recruitment/candidates/{mine}/sensitive?purpose=")
    assert asked.status_code == 422 and "diabetes" not in asked.text and "Say why" in asked.text
    shown = leader.get(f"/alpha/recruitment/candidates/{mine}/sensitive", query_string={"purpose": "Planning the shifts"})
    assert shown.status_code == 200 and "Amina&#39;s diabetes" in shown.text
    with in_tenant(app, pilot.tenant_id):
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recruitment.candidate.read_sensitive"))
    assert event.user_id == pilot.users["leader"] and event.detail["purpose"] == "Planning the shifts"
    assert "Planning the shifts" in client_as("recruiter").get(f"/alpha/recruitment/candidates/{mine}").text


def test_sensitive_fields_are_stored_apart_from_the_record(app, world, pilot, two):
    from dugnad_recruitment.models import Candidate, CandidateSensitive

    mine, _other = two
    with in_tenant(app, pilot.tenant_id):
        row = db.session.scalar(select(CandidateSensitive).where(CandidateSensitive.candidate_id == mine))
        candidate = db.session.get(Candidate, mine)
    assert row.health == "Amina's diabetes"
    assert not any("diabetes" in str(getattr(candidate, c.key)) for c in Candidate.__table__.columns)


def test_a_mentor_must_be_someone_in_the_municipality(app, world, pilot, client_as):
    mine = add_candidate(pilot, "Dina Ali", opening="kitchen")
    from dugnad_recruitment.models import Placement

    with in_tenant(app, pilot.tenant_id):
        placement = db.session.scalar(select(Placement.id).where(Placement.candidate_id == mine))
    outsider = world.users["beta_admin"]
    answer = client_as("recruiter").post(f"/alpha/recruitment/candidates/{mine}/placements/{placement}/mentor",
                                         data={f"mentor-{placement}-mentor_id": outsider})
    assert answer.status_code == 422
    assert "must be someone in this municipality" in answer.text
    with in_tenant(app, pilot.tenant_id):
        assert db.session.get(Placement, placement).mentor_id == pilot.users["mentor"]


def test_the_dashboard_widget_counts_only_what_the_reader_may_see(app, world, pilot, two, client_as):
    recruiter = client_as("recruiter").get("/alpha/recruitment/widget").text
    leader = client_as("leader").get("/alpha/recruitment/widget").text
    assert "2 in mapping" in recruiter and "1 in mapping" in leader
    assert "/alpha/recruitment/widget" in client_as("leader").get("/alpha/").text
    assert client_as("alpha_admin").get("/alpha/recruitment/widget").status_code == 403
