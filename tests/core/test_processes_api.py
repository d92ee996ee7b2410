"""Processes through the JSON API: start, shape, move, plan — bad input answers 4xx
JSON with a message and saves nothing; another municipality's ids answer 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.processes.models import Activity, Phase, PhaseMove, Process
from tests.core.test_api import Api, assert_json_error
from tests.support.processes import add_activities, count, in_tenant, make_process
from dugnad.clock import today as oslo_today


@pytest.fixture
def api(app, world):
    return Api(app, world)


def test_the_process_resources_are_in_the_openapi_document(app, world):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/processes/", "/api/v1/processes/{process_id}", "/api/v1/processes/{process_id}/phases",
                 "/api/v1/processes/{process_id}/moves", "/api/v1/processes/{process_id}/activities",
                 "/api/v1/phases/{phase_id}", "/api/v1/moves/{move_id}", "/api/v1/activities/{activity_id}"):
        assert path in spec["paths"], path
    assert "ActivitySchema" in str(spec["components"]["schemas"]) or "Activity" in str(spec["components"]["schemas"])


def test_start_shape_move_and_plan_through_the_api(app, api, world):
    token = api.token("alpha_coordinator")
    started = api.call("POST", "/processes/", token, json={"template": "blt", "name": "Via API"})
    assert started.status_code == 201, started.get_json()
    process = started.get_json()
    assert process["name"] == "Via API" and process["current_phase_id"]
    pid = process["id"]
    phases = api.call("GET", f"/processes/{pid}/phases", token).get_json()
    assert [p["name"] for p in phases][:3] == ["Behov", "Løsning", "Test"] and phases[0]["current"] is True

    patched = api.call("PATCH", f"/phases/{phases[1]['id']}", token, json={"ladder_level": 5, "position": 0, "key_questions": ["Hvem?"]})
    assert patched.status_code == 200 and patched.get_json()["ladder_level"] == 5
    order = [p["id"] for p in api.call("GET", f"/processes/{pid}/phases", token).get_json()]
    assert order[0] == phases[1]["id"]

    added = api.call("POST", f"/processes/{pid}/phases", token, json={"name": "Extra", "ladder_level": 3})
    assert added.status_code == 201 and added.get_json()["ladder_level"] == 3

    moved = api.call("POST", f"/processes/{pid}/moves", token, json={"to_phase_id": phases[2]["id"], "reason": "Ready"})
    assert moved.status_code == 201 and moved.get_json()["direction"] in ("forward", "back")
    history = api.call("GET", f"/processes/{pid}/moves", token).get_json()
    assert [m["direction"] for m in history][-1] == "start" and history[0]["reason"] == "Ready"
    assert api.call("GET", f"/moves/{history[0]['id']}", token).status_code == 200

    task = api.call("POST", f"/processes/{pid}/activities", token, json={
        "phase_id": phases[0]["id"], "title": "Late task", "due_date": (oslo_today() - timedelta(days=1)).isoformat()})
    assert task.status_code == 201, task.get_json()
    assert task.get_json()["overdue"] is True
    listed = api.call("GET", f"/processes/{pid}/activities?overdue=true", token).get_json()
    assert [a["title"] for a in listed] == ["Late task"]
    done = api.call("PATCH", f"/activities/{task.get_json()['id']}", token, json={"status": "done"})
    assert done.status_code == 200 and done.get_json()["overdue"] is False
    assert api.call("GET", f"/processes/{pid}/activities?overdue=true", token).get_json() == []
    renamed = api.call("PATCH", f"/processes/{pid}", token, json={"name": "Renamed"})
    assert renamed.get_json()["name"] == "Renamed"
    assert api.call("DELETE", f"/activities/{task.get_json()['id']}", token).status_code == 204


@pytest.mark.parametrize("method, path, body, status, word", [
    ("POST", "/processes/", {"template": "nope"}, 422, "template"),
    ("POST", "/processes/", {}, 422, ""),
    ("POST", "/processes/{pid}/moves", {"to_phase_id": 999999, "reason": "x"}, 422, "no longer exists"),
    ("POST", "/processes/{pid}/moves", {"to_phase_id": "{p1}", "reason": ""}, 422, ""),
    ("PATCH", "/phases/{p1}", {"ladder_level": 6}, 422, ""),
    ("PATCH", "/phases/{p1}", {"name": ""}, 422, ""),
    ("DELETE", "/phases/{p0}", None, 409, "current phase"),
    ("POST", "/processes/{pid}/activities", {"phase_id": "{p0}", "title": "x", "owner_id": 999999}, 422, "owner"),
    ("POST", "/processes/{pid}/activities", {"phase_id": 999999, "title": "x"}, 422, "phase"),
    ("POST", "/processes/{pid}/activities", {"phase_id": "{p0}", "title": "x", "kind": "meeting",
                                             "starts_at": "2020-01-01T10:00:00", "ends_at": "2020-01-01T11:00:00"}, 422, "future"),
    ("POST", "/processes/{pid}/activities", {"phase_id": "{p0}", "title": ""}, 422, ""),
])
def test_bad_input_is_a_4xx_with_a_message_and_nothing_saved(app, api, world, method, path, body, status, word):
    made = make_process(app, world)
    fill = {"{pid}": str(made.process), "{p0}": str(made.phases[0]), "{p1}": str(made.phases[1])}
    for key, value in fill.items():
        path = path.replace(key, value)
    if body:
        body = {k: int(fill[v]) if isinstance(v, str) and v in fill else v for k, v in body.items()}
    before = (count(app, made.tenant_id, Process), count(app, made.tenant_id, Phase), count(app, made.tenant_id, PhaseMove),
              count(app, made.tenant_id, Activity))
    response = api.call(method, path, api.token("alpha_coordinator"), json=body)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/json"
    if word:
        assert_json_error(response, status, word)
    after = (count(app, made.tenant_id, Process), count(app, made.tenant_id, Phase), count(app, made.tenant_id, PhaseMove),
             count(app, made.tenant_id, Activity))
    assert before == after
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Phase, made.phases[1]).name) == "Løsning"


def test_a_member_can_read_but_not_change(app, api, world):
    made = make_process(app, world)
    token = api.token("alpha_member")
    assert api.call("GET", f"/processes/{made.process}", token).status_code == 200
    assert_json_error(api.call("POST", f"/processes/{made.process}/moves", token,
                               json={"to_phase_id": made.phases[1], "reason": "x"}), 403, "coordinators")
    assert count(app, made.tenant_id, PhaseMove) == 1


def test_another_municipalitys_objects_answer_404_through_the_api(app, api, world):
    make_process(app, world)
    beta = make_process(app, world, "beta", people=())
    add_activities(app, beta, 1)
    activity = in_tenant(app, beta.tenant_id, lambda: db.session.scalar(select(Activity.id)))
    move = in_tenant(app, beta.tenant_id, lambda: db.session.scalar(select(PhaseMove.id)))
    token = api.token("alpha_admin")
    for method, path in (("GET", f"/processes/{beta.process}"), ("PATCH", f"/processes/{beta.process}"),
                         ("GET", f"/processes/{beta.process}/phases"), ("POST", f"/processes/{beta.process}/moves"),
                         ("GET", f"/processes/{beta.process}/activities"), ("GET", f"/phases/{beta.phases[0]}"),
                         ("PATCH", f"/phases/{beta.phases[0]}"), ("DELETE", f"/phases/{beta.phases[3]}"),
                         ("GET", f"/moves/{move}"), ("GET", f"/activities/{activity}"), ("DELETE", f"/activities/{activity}")):
        response = api.call(method, path, token, json={"role": "member"} if method in ("POST", "PATCH") else None)
        assert response.status_code == 404, (method, path, response.status_code)
    for method, path, body in (("POST", f"/processes/{beta.process}/moves", {"to_phase_id": beta.phases[1], "reason": "x"}),
                               ("PATCH", f"/processes/{beta.process}", {"name": "x"}),
                               ("PATCH", f"/phases/{beta.phases[0]}", {"name": "x"})):
        assert api.call(method, path, token, json=body).status_code == 404, path
    assert count(app, beta.tenant_id, Activity) == 1 and count(app, beta.tenant_id, PhaseMove) == 1
