"""A workshop pilot asks the volunteer bank for help through the core's handoffs: the whole
loop (pilot → need → matched → done, shown on the pilot), nothing offered or answered where
the bank is off, a handoff kept as "module off" when the bank is switched off later, and the
API (list, show, create, status with replays and statuses out of order)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.extensions import db
from dugnad.handoffs.models import Handoff, HandoffEvent
from dugnad_volunteers.models import Need
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401  (fixtures)
    bank,
    in_tenant,
    link_in,
    make_volunteer,
    messages,
    next_weekday,
)


@pytest.fixture
def client_as(client_as):
    """The people of these tests read English."""

    def make(key):
        client = client_as(key)
        with client.session_transaction() as session:
            session["lang"] = "en"
        return client

    return make


@pytest.fixture
def pilot(app, world, bank):
    """A pilot in alpha (a whole workshop series behind it) — ids of the process and the pilot."""
    from tests.plugins.workshops.isolation import beta_series

    with in_tenant(app, world.tenants["alpha"]):
        made = beta_series()
        db.session.commit()
        return made["process_id"], made["pilot_id"]


def _pilot_url(pilot) -> str:
    return f"/alpha/workshops/series/{pilot[0]}/pilots/{pilot[1]}"


def _ask_url(pilot) -> str:
    return f"/alpha/handoffs/ask/workshops.pilot/{pilot[1]}/volunteers.task"


def _form(bank, **changes) -> dict:
    starts = next_weekday(3, 18)
    data = {"title": "Hosts at the international café", "role_id": str(bank.roles["family"]),
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "location": "The library", "language": "ti", "volunteers_needed": "1",
            "description": "Greet people at the door and make coffee.",
            "purpose": "The pilot's café every Thursday needs hosts who speak Tigrinya."}
    data.update(changes)
    return data


def _handoff(app, world) -> Handoff:
    with in_tenant(app, world.tenants["alpha"]):
        found = db.session.scalar(select(Handoff).order_by(Handoff.id.desc()))
        if found is not None:
            db.session.expunge(found)
        return found


def test_the_whole_loop_from_pilot_to_matched_volunteers_shown_on_the_pilot(app, world, bank, pilot, client_as):
    yonas = make_volunteer(bank, "Yonas Tesfay", wants=("family",))
    coordinator = client_as("alpha_coordinator")
    page = coordinator.get(_pilot_url(pilot)).text
    assert "Help from other services" in page and _ask_url(pilot) in page and "Volunteers for a task" in page

    sent = coordinator.post(_ask_url(pilot), data=_form(bank, secret_health_note="diabetes"))
    assert sent.status_code == 302 and sent.location.endswith(f"{_pilot_url(pilot)}#handoffs-workshops-pilot-{pilot[1]}")
    handoff = _handoff(app, world)
    assert handoff.status == "received" and handoff.receiver == "volunteers"
    assert "secret_health_note" not in handoff.values and handoff.values["language"] == "ti"
    need_id = int(handoff.target_key.split(":")[1])
    with in_tenant(app, world.tenants["alpha"]):
        need = db.session.get(Need, need_id)
        assert (need.title, need.language, need.volunteers_needed, need.status) == (
            "Hosts at the international café", "ti", 1, "open")

    # the receiving side: a need as any other, which says where it came from
    need_page = coordinator.get(f"/alpha/volunteers/needs/{need_id}").text
    assert "Asked for by another service" in need_page and "Beta pilot" in need_page
    assert f'href="{_pilot_url(pilot)}"' in need_page and "needs hosts who speak Tigrinya" in need_page
    assert "Yonas Tesfay" in need_page  # matched as any need

    assert coordinator.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(yonas)]}).status_code == 302
    assert _handoff(app, world).status == "working"
    volunteer = app.test_client()
    link = link_in(messages(app, "volunteer-request", "yonas.tesfay@example.no")[0], "/frivillig/svar/")
    volunteer.post(link, data={"answer": "yes"})
    handoff = _handoff(app, world)
    assert (handoff.status, handoff.outcome) == ("done", "fant 1 frivillig")  # in the municipality's language (Bokmål)
    volunteer.post(link, data={"answer": "yes"})  # a replayed link changes nothing on either side
    with in_tenant(app, world.tenants["alpha"]):
        timeline = db.session.scalars(select(HandoffEvent.status).where(HandoffEvent.handoff_id == handoff.id)
                                      .order_by(HandoffEvent.id)).all()
    assert timeline == ["sent", "received", "working", "done"]

    page = coordinator.get(_pilot_url(pilot)).text
    assert 'data-status="done"' in page and "fant 1 frivillig" in page
    assert f'href="/alpha/volunteers/needs/{need_id}"' in page
    [told] = messages(app, "handoff_done")
    assert told.recipient == "coordinator@alpha.test" and "fant 1 frivillig" in told.body


def test_a_cancelled_need_declines_the_handoff_with_the_reason(app, world, bank, pilot, client_as):
    coordinator = client_as("alpha_coordinator")
    coordinator.post(_ask_url(pilot), data=_form(bank))
    need_id = int(_handoff(app, world).target_key.split(":")[1])
    coordinator.post(f"/alpha/volunteers/needs/{need_id}/cancel", data={"reason": "No volunteer speaks Tigrinya yet."})
    handoff = _handoff(app, world)
    assert (handoff.status, handoff.reason) == ("declined", "No volunteer speaks Tigrinya yet.")
    assert "No volunteer speaks Tigrinya yet." in coordinator.get(_pilot_url(pilot)).text
    assert [m.recipient for m in messages(app, "handoff_declined")] == ["coordinator@alpha.test"]


def test_the_receivers_rules_refuse_at_the_field_and_nothing_is_half_saved(app, world, bank, pilot, client_as):
    coordinator = client_as("alpha_coordinator")
    past = next_weekday(3, 18) - timedelta(days=30)
    answer = coordinator.post(_ask_url(pilot), data=_form(bank, starts_at=past.strftime("%Y-%m-%dT%H:%M"),
                                                          title="Too late"))
    assert answer.status_code == 422 and "The time is in the past." in answer.text and 'value="Too late"' in answer.text
    assert coordinator.post(_ask_url(pilot), data=_form(bank, role_id="")).status_code == 422
    assert _handoff(app, world) is None
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.scalar(select(Need.id)) is None


def _switch(client_as, world, plugin: str, on: bool) -> None:
    answer = client_as("region").post(f"/region/municipalities/{world.tenants['alpha']}/plugins/{plugin}",
                                      data={"enabled": "1" if on else "0"})
    assert answer.status_code == 302


def test_nothing_shows_or_answers_where_the_bank_is_off(app, world, bank, pilot, client_as):
    _switch(client_as, world, "sample", False)  # the tests' other receiver
    _switch(client_as, world, "volunteers", False)
    coordinator = client_as("alpha_coordinator")
    page = coordinator.get(_pilot_url(pilot)).text
    assert "Help from other services" not in page and "/handoffs/ask/" not in page
    assert coordinator.get(_ask_url(pilot)).status_code == 404
    assert coordinator.post(_ask_url(pilot), data=_form(bank)).status_code == 404
    token = _token(app, world)
    answer = app.test_client().post("/api/v1/handoffs/", headers=token, json={
        "kind": "volunteers.task", "origin_type": "workshops.pilot", "origin_id": pilot[1], "purpose": "Hosts for the café",
        "values": {"title": "Hosts"}})
    assert answer.status_code == 409 and "not switched on" in answer.json["message"]
    assert _handoff(app, world) is None


def test_a_handoff_stays_as_module_off_when_the_bank_is_switched_off_later(app, world, bank, pilot, client_as):
    coordinator = client_as("alpha_coordinator")
    coordinator.post(_ask_url(pilot), data=_form(bank))
    handoff = _handoff(app, world)
    _switch(client_as, world, "sample", False)  # the tests' other receiver
    _switch(client_as, world, "volunteers", False)
    page = coordinator.get(_pilot_url(pilot)).text
    assert "Module off" in page and "Hosts at the international café" in page
    assert "/handoffs/ask/" not in page  # nothing more to ask for
    shown = coordinator.get(f"/alpha/handoffs/{handoff.id}").text
    assert "switched off in this municipality" in shown and "Hosts at the international café" in shown
    answer = app.test_client().post(f"/api/v1/handoffs/{handoff.id}/status", headers=_token(app, world),
                                    json={"status": "done", "outcome": "matched"})
    assert answer.status_code == 409 and "switched off" in answer.json["message"]
    assert _handoff(app, world).status == "received"
    _switch(client_as, world, "volunteers", True)  # switched on again: nothing was lost
    assert 'data-status="received"' in coordinator.get(_pilot_url(pilot)).text


def _token(app, world, key: str = "alpha_coordinator") -> dict:
    secret = f"dgn_{key}-handoffs"
    with app.app_context():
        db.session.add(AccessToken(user_id=world.users[key], tenant_id=world.tenants["alpha"], name="test",
                                   token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


def test_the_api_lists_shows_creates_and_takes_status_with_replays_and_order(app, world, bank, pilot, client_as):
    api, headers = app.test_client(), _token(app, world)
    form = _form(bank)
    body = {"kind": "volunteers.task", "origin_type": "workshops.pilot", "origin_id": pilot[1], "purpose": form.pop("purpose"),
            "values": form}
    created = api.post("/api/v1/handoffs/", headers=headers, json=body)
    assert created.status_code == 201, created.json
    handoff = created.json
    assert handoff["status"] == "received" and handoff["receiver_on"] is True
    assert [e["status"] for e in handoff["timeline"]] == ["sent", "received"]
    assert [h["id"] for h in api.get("/api/v1/handoffs/", headers=headers).json] == [handoff["id"]]
    assert api.get(f"/api/v1/handoffs/{handoff['id']}", headers=headers).json["kind"] == "volunteers.task"

    url = f"/api/v1/handoffs/{handoff['id']}/status"
    assert api.post(url, headers=headers, json={"status": "declined"}).status_code == 422  # a reason is needed
    done = api.post(url, headers=headers, json={"status": "done", "outcome": "matched: 2 volunteers"})
    assert done.status_code == 200 and done.json["changed"] is True and done.json["status"] == "done"
    replay = api.post(url, headers=headers, json={"status": "done", "outcome": "matched: 3 volunteers"})
    assert replay.status_code == 200 and replay.json["changed"] is False and replay.json["outcome"] == "matched: 2 volunteers"
    late = api.post(url, headers=headers, json={"status": "working"})
    assert late.status_code == 409 and "already done" in late.json["message"]
    assert len(messages(app, "handoff_done")) == 1

    unknown = api.post("/api/v1/handoffs/", headers=headers, json={**body, "kind": "nobody.kind"})
    assert unknown.status_code == 422 and "not offered" in unknown.json["message"]
    elsewhere = api.post("/api/v1/handoffs/", headers=headers, json={**body, "origin_id": pilot[1] + 1000})
    assert elsewhere.status_code == 404
    assert len(api.get("/api/v1/handoffs/", headers=headers).json) == 1
    doc = api.get("/api/v1/openapi.json").json
    assert {"/handoffs/", "/handoffs/{handoff_id}", "/handoffs/{handoff_id}/status"} <= {
        path.removeprefix("/api/v1") for path in doc["paths"]}


def test_a_member_of_the_volunteer_bank_only_may_report_but_not_list(app, world, bank, pilot, client_as):
    from dugnad.accounts.models import Membership
    from dugnad.tenancy import tenant_context

    coordinator = client_as("alpha_coordinator")
    coordinator.post(_ask_url(pilot), data=_form(bank))
    handoff = _handoff(app, world)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        membership = db.session.get(Membership, world.memberships["alpha_member@alpha"])
        membership.role = "volunteer_coordinator"
        db.session.commit()
    headers, api = _token(app, world, "alpha_member"), app.test_client()
    assert api.get("/api/v1/handoffs/", headers=headers).status_code == 403
    assert api.get(f"/api/v1/handoffs/{handoff.id}", headers=headers).status_code == 200
    assert api.post(f"/api/v1/handoffs/{handoff.id}/status", headers=headers, json={"status": "working"}).status_code == 200
    # and sees the handoff's page through the receiving kind's permission, without handoffs.view,
    # where the pilot is named but not linked: the workshops are not theirs to open
    desk = client_as("alpha_member")
    shown = desk.get(f"/alpha/handoffs/{handoff.id}")
    assert shown.status_code == 200 and "Beta pilot" in shown.text and _pilot_url(pilot) not in shown.text
    need_page = desk.get(f"/alpha/volunteers/needs/{handoff.target_key.split(':')[1]}").text
    assert "Beta pilot" in need_page and _pilot_url(pilot) not in need_page


def test_the_pilot_page_and_the_list_cost_the_same_with_2_and_12_handoffs(app, world, bank, pilot, client_as, queries):
    from dugnad.handoffs import service
    from dugnad.tenancy import tenant_context

    coordinator = client_as("alpha_coordinator")
    counts = {}
    for total in (2, 12):
        with app.test_request_context(), tenant_context(world.tenants["alpha"]):
            have = db.session.query(Handoff).count()
            for i in range(have, total):
                form = _form(bank, title=f"Hosts {i}")
                handoff = service.send("volunteers.task", "workshops.pilot", pilot[1], form.pop("purpose"), form)
                service.update_status(handoff.target_key, "working")
            db.session.commit()
        for path in (_pilot_url(pilot), "/alpha/handoffs/"):
            coordinator.get(path)
            queries.statements.clear()
            assert coordinator.get(path).status_code == 200
            counts[(path, total)] = queries.count
    assert counts[(_pilot_url(pilot), 2)] == counts[(_pilot_url(pilot), 12)]
    page = coordinator.get(_pilot_url(pilot)).text  # the newest five, and the rest a link away
    assert page.count('class="ds-card stack stack--sm handoff"') == 5 and "Hosts 11" in page and "Hosts 6" not in page
    listed = coordinator.get(f"/alpha/handoffs/?origin=workshops.pilot:{pilot[1]}").text
    assert f'href="/alpha/handoffs/?origin=workshops.pilot:{pilot[1]}"' in page or "origin=workshops.pilot" in page
    assert all(f"Hosts {i}<" in listed or f"Hosts {i}" in listed for i in range(12))
    assert counts[("/alpha/handoffs/", 2)] == counts[("/alpha/handoffs/", 12)]
