"""The JSON API: households, checklist items, follow-ups and outcomes, in the OpenAPI
document; a contact person's token sees only their households; refusals answer 4xx with
a message and save nothing; reading a household is logged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.sdk import AuditEvent, db, today
from dugnad_newcomers.models import Household
from tests.plugins.newcomers.newcomers_support import in_tenant, make_household

ADMIN = "dgn_alpha-admin-newcomer-api"
CONTACT = "dgn_alpha-contact-newcomer-api"


def _tokens(app, world):
    with app.app_context():
        for secret, key in ((ADMIN, "alpha_admin"), (CONTACT, "alpha_coordinator")):
            db.session.add(AccessToken(user_id=world.users[key], tenant_id=world.tenants["alpha"], name="t",
                                       token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()


def _h(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_is_in_the_openapi_document(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/newcomer-households/", "/api/v1/newcomer-households/{household_id}",
                 "/api/v1/newcomer-households/{household_id}/checklist/{item_id}",
                 "/api/v1/newcomer-households/{household_id}/follow-ups/{follow_up_id}", "/api/v1/newcomer-outcomes/"):
        assert path in paths, path


def test_register_list_tick_record_and_outcomes(app, world):
    _tokens(app, world)
    client = app.test_client()
    arrival = (today() - timedelta(days=95)).isoformat()
    created = client.post("/api/v1/newcomer-households/", headers=_h(ADMIN), json={
        "name": "Ahmed Hassan", "phone": "+47 912 34 567", "adults": 2, "children": [3, 7], "arrival_date": arrival,
        "reason": "refugee", "consent": True, "help_wanted": ["school"]})
    assert created.status_code == 201, created.json
    household_id = created.json["id"]
    assert created.json["members"] == [{"kind": "adult", "age": None}] * 2 + [{"kind": "child", "age": 7},
                                                                             {"kind": "child", "age": 3}]
    bad = client.post("/api/v1/newcomer-households/", headers=_h(ADMIN), json={
        "name": "Nobody", "arrival_date": arrival, "reason": "work", "consent": True})
    assert bad.status_code == 422 and "phone" in bad.json["message"]
    dup = client.post("/api/v1/newcomer-households/", headers=_h(ADMIN), json={
        "name": "Ahmed again", "phone": "91234567", "arrival_date": arrival, "reason": "work", "consent": True})
    assert dup.status_code == 409
    items = client.get(f"/api/v1/newcomer-households/{household_id}/checklist", headers=_h(ADMIN)).json
    school = next(i for i in items if i["key"] == "school")
    ticked = client.patch(f"/api/v1/newcomer-households/{household_id}/checklist/{school['id']}", headers=_h(ADMIN),
                          json={"status": "done"})
    assert ticked.status_code == 200 and ticked.json["status"] == "done"
    follow_ups = client.get(f"/api/v1/newcomer-households/{household_id}/follow-ups", headers=_h(ADMIN)).json
    three = follow_ups[0]
    assert three["month"] == 3
    recorded = client.post(f"/api/v1/newcomer-households/{household_id}/follow-ups/{three['id']}", headers=_h(ADMIN),
                           json={"outcome": "here", "how_going": "Good", "plans": "stay"})
    assert recorded.status_code == 200 and recorded.json["recorded_at"]
    twice = client.post(f"/api/v1/newcomer-households/{household_id}/follow-ups/{three['id']}", headers=_h(ADMIN),
                        json={"outcome": "unknown"})
    assert twice.status_code == 409 and "allerede registrert" in twice.json["message"]
    outcomes = client.get("/api/v1/newcomer-outcomes/", headers=_h(ADMIN)).json
    assert outcomes == [{"household_id": household_id, "arrival_date": arrival, "outcome": "here",
                         "outcome_on": today().isoformat(), "moved_to": None}]
    assert client.get(f"/api/v1/newcomer-households/{household_id}", headers=_h(ADMIN)).status_code == 200
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "newcomers.record_read", AuditEvent.object_id == str(household_id))) == 1


def test_a_contact_persons_token_sees_only_their_households(app, world):
    _tokens(app, world)
    mine = make_household(app, world.tenants["alpha"], "Ahmed Hassan")
    other = make_household(app, world.tenants["alpha"], "Maria Nowak")
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Household, mine).contact_user_id = world.users["alpha_coordinator"]
        db.session.commit()
    client = app.test_client()
    listed = client.get("/api/v1/newcomer-households/", headers=_h(CONTACT)).json
    assert [h["id"] for h in listed] == [mine]
    assert client.get(f"/api/v1/newcomer-households/{other}", headers=_h(CONTACT)).status_code == 403
    assert client.get("/api/v1/newcomer-outcomes/", headers=_h(CONTACT)).status_code == 403
    assert client.post("/api/v1/newcomer-households/", headers=_h(CONTACT), json={
        "name": "X", "phone": "99999999", "arrival_date": today().isoformat(), "reason": "work",
        "consent": True}).status_code == 403


def test_a_checklist_item_of_another_household_is_404(app, world):
    _tokens(app, world)
    first = make_household(app, world.tenants["alpha"], "Ahmed Hassan")
    second = make_household(app, world.tenants["alpha"], "Maria Nowak")
    client = app.test_client()
    item = client.get(f"/api/v1/newcomer-households/{second}/checklist", headers=_h(ADMIN)).json[0]
    answer = client.patch(f"/api/v1/newcomer-households/{first}/checklist/{item['id']}", headers=_h(ADMIN),
                          json={"status": "done"})
    assert answer.status_code == 404
