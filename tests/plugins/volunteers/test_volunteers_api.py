"""The bank in the JSON API: volunteers (reads logged), organisations, needs with their
matches, requests and assignments; bad input answers 4xx with a message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.clock import local_now
from tests.plugins.volunteers.volunteers_support import bank, in_tenant, make_volunteer, need_values  # noqa: F401

SECRET = "dgn_alpha-volunteer-api"


@pytest.fixture
def api(app, world, bank):
    with app.app_context():
        db.session.add(AccessToken(user_id=world.users["alpha_coordinator"], tenant_id=world.tenants["alpha"], name="api",
                                   token_hash=hash_token(SECRET), prefix=SECRET[:10]))
        db.session.commit()
    client = app.test_client()

    def call(method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {SECRET}", "Accept-Language": "en"}
        return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    return call


def _need_json(bank, **changes) -> dict:
    values = need_values(bank, **changes)
    values["starts_at"] = values["starts_at"].isoformat()
    values["ends_at"] = values["ends_at"].isoformat()
    return values


def test_volunteers_list_without_contact_and_one_read_is_logged(app, world, bank, api):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    listed = api("GET", "/volunteers/?status=approved")
    assert listed.status_code == 200
    (row,) = listed.json
    assert row["name"] == "Yonas Tesfay" and "email" not in row and {"language": "ti", "level": 4} in row["languages"]
    one = api("GET", f"/volunteers/{volunteer_id}")
    assert one.status_code == 200 and one.json["email"] == "yonas.tesfay@example.no"
    assert one.json["certificates"][0]["state"] == "valid"
    with in_tenant(app, world.tenants["alpha"]):
        read = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "volunteers.record_read"))
        assert read.detail == {"purpose": "API"} and read.user_id == world.users["alpha_coordinator"]
    assert api("GET", "/volunteers/999999").status_code == 404
    assert api("GET", "/volunteers/?status=nonsense").status_code == 422


def test_a_decision_by_api_needs_a_reason_to_reject(app, world, bank, api):
    volunteer_id = make_volunteer(bank, "Dawit Kidane", status="pending")
    refused = api("POST", f"/volunteers/{volunteer_id}/decision", json={"decision": "reject"})
    assert refused.status_code == 422 and "message" in refused.json["message"]
    assert api("POST", f"/volunteers/{volunteer_id}/decision", json={"decision": "approve"}).json["status"] == "approved"
    assert api("POST", f"/volunteers/{volunteer_id}/decision", json={"decision": "approve"}).status_code == 409


def test_a_need_is_created_matched_and_asked_through_the_api(app, world, bank, api):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    make_volunteer(bank, "No Certificate")
    created = api("POST", "/volunteer-needs/", json=_need_json(bank))
    assert created.status_code == 201 and created.json["status"] == "open"
    need_id = created.json["id"]
    matches = api("GET", f"/volunteer-needs/{need_id}/matches").json
    assert [s["volunteer_id"] for s in matches["suggestions"]] == [volunteer_id]
    assert "Usually free on Thursday morning" in matches["suggestions"][0]["matches"]
    assert matches["near_misses"][0]["name"] == "No Certificate"
    asked = api("POST", f"/volunteer-needs/{need_id}/requests", json={"volunteer_ids": [volunteer_id]})
    assert asked.status_code == 201 and asked.json[0]["status"] == "asked"
    assert api("GET", f"/volunteer-assignments/?need_id={need_id}").json[0]["volunteer_id"] == volunteer_id
    again = api("POST", f"/volunteer-needs/{need_id}/requests", json={"volunteer_ids": [volunteer_id]})
    assert again.status_code == 422
    changed = api("PATCH", f"/volunteer-needs/{need_id}", json={"title": "Escort to the dentist"})
    assert changed.status_code == 200 and changed.json["title"] == "Escort to the dentist"
    assert api("POST", f"/volunteer-needs/{need_id}/cancel", json={"reason": "Moved"}).json["status"] == "cancelled"
    assert api("GET", f"/volunteer-needs/{need_id}/matches").status_code == 409


def test_a_need_in_the_past_is_refused_with_a_message(app, world, bank, api):
    answer = api("POST", "/volunteer-needs/", json=_need_json(bank, starts_at=local_now() - timedelta(days=1)))
    assert answer.status_code == 422 and "starts_at" in answer.json["message"] and "past" in answer.json["message"]


def test_organisations_are_listed_created_and_changed(app, world, bank, api):
    created = api("POST", "/volunteer-organisations/", json={"name": "Røde Kors", "activities": "Flyktningguide",
                                                             "target_groups": ["refugees"], "website": "rodekors.no"})
    assert created.status_code == 201 and created.json["website"] == "https://rodekors.no"
    organisation_id = created.json["id"]
    assert api("GET", "/volunteer-organisations/").json[0]["name"] == "Røde Kors"
    changed = api("PATCH", f"/volunteer-organisations/{organisation_id}", json={"contact_name": "Ola"})
    assert changed.json["contact_name"] == "Ola" and changed.json["activities"] == "Flyktningguide"
    bad = api("POST", "/volunteer-organisations/", json={"name": "X", "target_groups": ["aliens"]})
    assert bad.status_code == 422


def test_the_api_is_in_the_openapi_document(app, world, api):
    document = app.test_client().get("/api/v1/openapi.json").json
    for path in ("/api/v1/volunteers/", "/api/v1/volunteer-needs/{need_id}/matches", "/api/v1/volunteer-organisations/",
                 "/api/v1/volunteer-assignments/{assignment_id}"):
        assert path in document["paths"], path


def test_a_member_token_cannot_use_the_bank(app, world, bank):
    secret = "dgn_alpha-member-volunteers"
    with app.app_context():
        db.session.add(AccessToken(user_id=world.users["alpha_member"], tenant_id=world.tenants["alpha"], name="m",
                                   token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()
    answer = app.test_client().get("/api/v1/volunteers/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 403
