"""The workshops in the JSON API and the OpenAPI document."""

from __future__ import annotations


import pytest

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.extensions import db
from tests.plugins.workshops.workshops_support import GUESTS, build_room
from dugnad.clock import today as oslo_today


@pytest.fixture
def token(app, world):
    def make(user: str = "alpha_coordinator", slug: str = "alpha") -> dict:
        secret = f"dgn_{user}-{slug}-workshops"
        with app.app_context():
            db.session.add(AccessToken(user_id=world.users[user], tenant_id=world.tenants[slug], name="t",
                                       token_hash=hash_token(secret), prefix=secret[:10]))
            db.session.commit()
        return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}

    return make


def test_the_api_is_in_the_openapi_document(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/workshop-series/", "/api/v1/workshops/{workshop_id}/placement", "/api/v1/workshops/{workshop_id}/needs",
                 "/api/v1/workshop-pilots/{pilot_id}/rounds"):
        assert path in spec["paths"], path


def test_series_placement_needs_and_ideas_through_the_api(app, world, token):
    made = build_room(app, world)
    headers = token()
    client = app.test_client()
    (series,) = client.get("/api/v1/workshop-series/", headers=headers).get_json()
    assert series["name"] == "Integrering 2026" and len(series["themes"]) == 3
    assert [w["number"] for w in series["workshops"]] == [1, 2]
    placed = client.post(f"/api/v1/workshops/{made.first}/placement", headers=headers)
    assert placed.status_code == 200
    seats = placed.get_json()["seats"]
    assert len(seats) == len(GUESTS) * 3 and placed.get_json()["repeats"] == []
    need = client.post(f"/api/v1/workshops/{made.first}/needs", headers=headers,
                       json={"table_id": made.tables[0], "text": "Utleiere er skeptiske", "prioritised": True})
    assert need.status_code == 201 and need.get_json()["prioritised"] is True
    idea = client.post(f"/api/v1/workshops/{made.first}/solutions", headers=headers,
                       json={"table_id": made.tables[0], "need_id": need.get_json()["id"], "title": "CV for boevne"})
    assert idea.status_code == 201 and idea.get_json()["picked"] is False
    assert [s["title"] for s in client.get(f"/api/v1/workshops/{made.first}/solutions", headers=headers).get_json()] == ["CV for boevne"]


def test_bad_input_is_refused_with_a_message_and_nothing_saved(app, world, token):
    made = build_room(app, world, tables=1)
    headers = token()
    client = app.test_client()
    response = client.post(f"/api/v1/workshops/{made.first}/placement", headers=headers)
    assert response.status_code == 422 and "only 8 seats" in response.get_json()["message"]
    assert client.get(f"/api/v1/workshops/{made.first}/placement", headers=headers).get_json()["seats"] == []
    response = client.post(f"/api/v1/workshops/{made.first}/solutions", headers=headers,
                           json={"table_id": made.tables[0], "need_id": 999999, "title": "Uten behov"})
    assert response.status_code == 422 and "need_id" in response.get_json()["message"]
    response = client.post(f"/api/v1/workshops/{made.first}/needs", headers=headers, json={"table_id": 999999, "text": "x"})
    assert response.status_code == 422


def test_a_member_reads_but_does_not_write(app, world, token):
    made = build_room(app, world)
    headers = token("alpha_member")
    client = app.test_client()
    assert client.get(f"/api/v1/workshops/{made.first}", headers=headers).status_code == 200
    assert client.post(f"/api/v1/workshops/{made.first}/placement", headers=headers).status_code == 403
    assert client.get(f"/api/v1/workshops/{made.first}/placement", headers=headers).status_code == 403


def test_pilot_rounds_through_the_api(app, world, token):
    from tests.plugins.workshops.isolation import beta_series
    from dugnad.tenancy import tenant_context

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        made = beta_series()
        db.session.commit()
    headers = token()
    client = app.test_client()
    pilot = client.get(f"/api/v1/workshop-pilots/{made['pilot_id']}", headers=headers).get_json()
    assert pilot["title"] == "Beta pilot" and len(pilot["rounds"]) == 1
    response = client.post(f"/api/v1/workshop-pilots/{made['pilot_id']}/rounds", headers=headers,
                           json={"started_on": oslo_today().isoformat(), "tested": "Two trips"})
    assert response.status_code == 422 and "Round 1 has no decision yet" in response.get_json()["message"]
    listed = client.get(f"/api/v1/workshop-pilots/?process_id={made['process_id']}", headers=headers).get_json()
    assert [p["id"] for p in listed] == [made["pilot_id"]]


def test_another_municipalitys_series_is_404(app, world, token):
    from tests.plugins.workshops.isolation import beta_series
    from dugnad.tenancy import tenant_context

    with app.app_context(), tenant_context(world.tenants["beta"]):
        made = beta_series()
        db.session.commit()
    headers = token()
    client = app.test_client()
    assert client.get(f"/api/v1/workshop-series/{made['process_id']}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/workshops/{made['workshop_id']}/needs", headers=headers, json={"bad": 1}).status_code == 404
    assert client.get("/api/v1/workshop-pilots/", headers=headers).get_json() == []
