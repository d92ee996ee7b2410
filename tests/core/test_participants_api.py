"""/api/v1/participants: list with filters, get, create, patch, archive — municipality
tokens only, changes need participants.manage, bad input is a 4xx with nothing saved."""

from __future__ import annotations

from tests.core.test_api import API, Api, api, assert_json_error  # noqa: F401
from tests.support.participants import add, stored

NEW = {"name": "Kari Nordmann", "category": "business", "email": "Kari@Example.no", "legal_basis": "public_task"}


def test_the_participants_resource_is_in_the_openapi_document(app, world):
    spec = app.test_client().get(f"{API}/openapi.json").get_json()
    assert "/api/v1/participants/" in spec["paths"] and "/api/v1/participants/{participant_id}" in spec["paths"]
    assert "Participant" in spec["components"]["schemas"]


def test_a_coordinator_creates_lists_filters_changes_and_archives(api, app, world):
    token = api.token("alpha_coordinator")
    created = api.call("POST", "/participants/", token, json=NEW)
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert body["email"] == "kari@example.no" and body["archived"] is False
    add(app, world.tenants["alpha"], name="Nora Nabo", category="residents")
    listed = api.call("GET", "/participants/?category=business", token).get_json()
    assert [p["name"] for p in listed] == ["Kari Nordmann"]
    assert [p["name"] for p in api.call("GET", "/participants/?q=nora", token).get_json()] == ["Nora Nabo"]
    changed = api.call("PATCH", f"/participants/{body['id']}", token, json={"title": "Daglig leder"})
    assert changed.status_code == 200 and changed.get_json()["title"] == "Daglig leder"
    assert api.call("DELETE", f"/participants/{body['id']}", token).status_code == 204
    assert api.call("GET", f"/participants/{body['id']}", token).get_json()["archived"] is True
    assert [p["name"] for p in api.call("GET", "/participants/", token).get_json()] == ["Nora Nabo"]
    assert api.call("POST", f"/participants/{body['id']}/restore", token).get_json()["archived"] is False


def test_bad_input_is_a_json_error_and_nothing_is_saved(api, app, world):
    token = api.token("alpha_coordinator")
    assert_json_error(api.call("POST", "/participants/", token, json={**NEW, "category": "aliens"}), 422)
    assert_json_error(api.call("POST", "/participants/", token, json={k: v for k, v in NEW.items() if k != "legal_basis"}), 422)
    assert_json_error(api.call("POST", "/participants/", token, json={**NEW, "legal_basis": "consent"}), 422, "consent")
    beta_org = add(app, world.tenants["beta"], kind="organisation", name="Beta AS", category="business")
    assert_json_error(api.call("POST", "/participants/", token, json={**NEW, "organisation_id": beta_org}), 422, "organisation")
    assert stored(app, world.tenants["alpha"]) == []
    add(app, world.tenants["alpha"], name="First", email="kari@example.no")
    assert_json_error(api.call("POST", "/participants/", token, json=NEW), 422, "e-mail")
    assert len(stored(app, world.tenants["alpha"])) == 1


def test_members_may_not_read_and_facilitators_may_not_change(api, app, world):
    assert_json_error(api.call("GET", "/participants/", api.token("alpha_member")), 403)
    region = api.token("region", tenant=None)
    assert_json_error(api.call("GET", "/participants/", region), 403)


def test_another_municipalitys_participant_is_404(api, app, world):
    beta = add(app, world.tenants["beta"], name="Beta Hemmelig", category="business")
    token = api.token("alpha_admin")
    for method in ("GET", "PATCH", "DELETE"):
        response = api.call(method, f"/participants/{beta}", token, json={"name": "Stolen"})
        assert_json_error(response, 404)
    assert_json_error(api.call("POST", f"/participants/{beta}/restore", token), 404)
    [row] = stored(app, world.tenants["beta"])
    assert row.name == "Beta Hemmelig" and row.archived_at is None
