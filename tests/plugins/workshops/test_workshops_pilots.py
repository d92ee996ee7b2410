"""Workshop 2 and the pilots: homework presented, solutions sharpened and checked against rules
and budget, an owner, time and activity per pilot (the action plan), rounds of testing with
findings, each decided — adjust, scale or drop — and evaluated by results for the target group."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad_workshops import room, series
from dugnad.processes.models import Activity, Decision
from dugnad_workshops.models import Homework, Pilot, PilotRound, Solution
from tests.plugins.workshops.test_workshops_followup import assign, chosen_solution
from tests.plugins.workshops.workshops_support import build_room, english, in_tenant, text  # noqa: F401
from dugnad.clock import today as oslo_today


def workshop_two(app, world, client):
    made = build_room(app, world)
    solution = chosen_solution(app, made, client)
    assign(client, made, solution, owner=made.people["Bodil Bedrift"], questions="Finnes det tilskudd?",
           due=(oslo_today() + timedelta(days=4)).isoformat())
    item = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Homework.id)))
    client.post(f"/alpha/workshops/series/{made.process}/homework/{item}/findings",
                data={"f-findings": "NAV gir mentortilskudd; to bedrifter vil være med."})
    client.post(f"/alpha/workshops/{made.second}/tables/copy")
    return made, solution, item


def test_workshop_2_presents_the_homework_and_sharpens_and_checks_the_solutions(app, english, world):
    client = english("alpha_coordinator")
    made, solution, item = workshop_two(app, world, client)
    plan = text(client.get(f"/alpha/workshops/{made.second}/plenary"))
    assert "NAV gir mentortilskudd" in plan and "Mark as presented" in plan
    client.post(f"/alpha/workshops/series/{made.process}/homework/{item}/presented", data={"presented": "1"})
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Homework, item).presented_at) is not None
    second_table = in_tenant(app, made.tenant_id, lambda: room.tables_of(
        series.get_workshop(made.second))[1].id)
    tablet = text(client.get(f"/alpha/workshops/{made.second}/tables/{second_table}"))
    assert "This table's solutions" in tablet and "Mentorordning" in tablet
    url = f"/alpha/workshops/{made.second}/tables/{second_table}/ideas/{solution}/sharpen"
    response = client.post(url, data={f"s{solution}-sharpened": "Ti mentorer fra Norsk Tipping",
                                      f"s{solution}-rules_check": "partly", f"s{solution}-budget_check": "ok"})
    assert response.status_code == 422 and "Say which rule stands in the way" in text(response)
    assert "Ti mentorer fra Norsk Tipping" in text(response)
    assert client.post(url, data={f"s{solution}-sharpened": "Ti mentorer fra Norsk Tipping",
                                  f"s{solution}-rules_check": "partly", f"s{solution}-rules_note": "Tilskuddet krever avtale",
                                  f"s{solution}-budget_check": "ok"}).status_code == 302
    saved = in_tenant(app, made.tenant_id, lambda: db.session.get(Solution, solution))
    assert (saved.rules_check, saved.budget_check, saved.rules_note) == ("partly", "ok", "Tilskuddet krever avtale")


def test_a_pilot_needs_an_owner_a_time_and_an_activity(app, english, world):
    client = english("alpha_coordinator")
    made, solution, _item = workshop_two(app, world, client)
    url = f"/alpha/workshops/series/{made.process}/solutions/{solution}/pilot"
    response = client.post(url, data={f"p{solution}-title": "Mentorer i arbeid", f"p{solution}-owner_id": "",
                                      f"p{solution}-starts_on": oslo_today().isoformat(), f"p{solution}-first_activity": ""})
    assert response.status_code == 422 and "Every pilot needs an owner" in text(response)
    response = client.post(url, data={f"p{solution}-title": "Mentorer i arbeid", f"p{solution}-owner_id": made.people["Nina NAV"],
                                      f"p{solution}-starts_on": oslo_today().isoformat(), f"p{solution}-first_activity": ""})
    assert response.status_code == 422 and "What is the first thing to do" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Pilot.id))) is None
    assert client.post(url, data={f"p{solution}-title": "Mentorer i arbeid", f"p{solution}-owner_id": made.people["Nina NAV"],
                                  f"p{solution}-starts_on": (oslo_today() + timedelta(days=7)).isoformat(),
                                  f"p{solution}-first_activity": "Møte med NAV om mentortilskudd",
                                  f"p{solution}-target_result": "Flere i varig jobb etter ett år"}).status_code == 302
    task = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Activity).where(
        Activity.title == "Møte med NAV om mentortilskudd")))
    assert task.owner_id == made.people["Nina NAV"] and task.due_date == oslo_today() + timedelta(days=7)
    plan = text(client.get(f"/alpha/workshops/{made.second}/plenary"))
    assert "Mentorer i arbeid" in plan and "Møte med NAV om mentortilskudd" in plan
    # workshop 2's summary: what the homework found, the reality check, the action plan
    summary = text(client.get(f"/alpha/workshops/{made.second}/summary"))
    for line in ("NAV gir mentortilskudd", "The action plan", "Møte med NAV om mentortilskudd", "Nina NAV"):
        assert line in summary


def test_pilots_are_tested_in_rounds_decided_and_evaluated(app, english, world):
    client = english("alpha_coordinator")
    made, solution, _item = workshop_two(app, world, client)
    client.post(f"/alpha/workshops/series/{made.process}/solutions/{solution}/pilot", data={
        f"p{solution}-title": "Mentorer i arbeid", f"p{solution}-owner_id": made.people["Nina NAV"],
        f"p{solution}-starts_on": oslo_today().isoformat(), f"p{solution}-first_activity": "Møte med NAV"})
    pilot = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Pilot.id)))
    base = f"/alpha/workshops/series/{made.process}/pilots/{pilot}"
    assert client.post(base + "/rounds", data={"r-started_on": oslo_today().isoformat(), "r-tested": "Tre mentorer, fem flyktninger"}).status_code == 302
    first = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(PilotRound.id)))
    # deciding before findings is refused; a second round before a decision too
    response = client.post(base + f"/rounds/{first}/decide", data={"d-decision": "adjust", "d-reason": "Trenger mer"})
    assert response.status_code == 422 and "Record what the round found before deciding" in text(response)
    response = client.post(base + "/rounds", data={"r-started_on": oslo_today().isoformat(), "r-tested": "Mer"})
    assert response.status_code == 422 and "Round 1 has no decision yet" in text(response)
    client.post(base + f"/rounds/{first}/findings", data={"f-tested": "Tre mentorer, fem flyktninger",
                                                          "f-findings": "Språket var en hindring", "f-reached": "5"})
    assert client.post(base + f"/rounds/{first}/decide", data={"d-decision": "adjust", "d-reason": "Legg til norsktrening"}).status_code == 302
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Pilot, pilot).status) == "testing"
    client.post(base + "/rounds", data={"r-started_on": oslo_today().isoformat(), "r-tested": "Med norsktrening"})
    second = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(PilotRound.id).where(PilotRound.number == 2)))
    client.post(base + f"/rounds/{second}/findings", data={"f-tested": "Med norsktrening", "f-findings": "Fire av fem i jobb",
                                                           "f-reached": "5"})
    assert client.post(base + f"/rounds/{second}/decide", data={"d-decision": "scale", "d-reason": "Det virker"}).status_code == 302
    saved = in_tenant(app, made.tenant_id, lambda: db.session.get(Pilot, pilot))
    assert saved.status == "scaled" and saved.decided_at is not None
    decision = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Decision)))
    assert decision.title == "Scale up the pilot “Mentorer i arbeid”" and decision.text == "Det virker"
    response = client.post(base + "/rounds", data={"r-started_on": oslo_today().isoformat(), "r-tested": "Mer"})
    assert response.status_code == 422 and "Its rounds are closed" in text(response)
    assert client.post(base + "/evaluation", data={"e-evaluation": "Fire av fem flyktninger i fast jobb",
                                                   "e-reached": "5"}).status_code == 302
    page = text(client.get(base))
    assert "Fire av fem flyktninger i fast jobb" in page and "Scaled up" in page and "Round 2" in page
