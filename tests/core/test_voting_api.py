"""Polls through the JSON API: create, open, vote, enter paper ballots, read results —
bad input answers 4xx with a message and records nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.voting.models import Ballot
from tests.core.test_api import Api, assert_json_error, in_tenant


@pytest.fixture
def api(app, world):
    return Api(app, world)


@pytest.fixture
def process_id(app, world):
    def make():
        process = processes.start_process("blt", "Via API", None)
        db.session.commit()
        return process.id

    return in_tenant(app, world.tenants["alpha"], make)


def _ballots(app, world) -> int:
    return in_tenant(app, world.tenants["alpha"], lambda: db.session.scalar(select(func.count()).select_from(Ballot)))


def test_the_poll_resources_are_in_the_openapi_document(app):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/polls/", "/api/v1/polls/{poll_id}", "/api/v1/polls/{poll_id}/options",
                 "/api/v1/polls/{poll_id}/ballot", "/api/v1/polls/{poll_id}/paper-ballots", "/api/v1/polls/{poll_id}/results"):
        assert path in paths, path


def test_create_open_vote_and_count_through_the_api(api, app, world, process_id):
    organiser = api.token("alpha_coordinator")
    made = api.call("POST", "/polls/", organiser, json={
        "process_id": process_id, "title": "Which pilot first?", "method": "matrix",
        "options": [{"label": "Housing school"}, {"label": "Job mentors", "source_ref": "workshops.solution:7"}],
        "settings": {"criteria": [{"key": "effect", "label": "Effect", "weight": 2}, {"key": "cost", "label": "Cost"}]}})
    assert made.status_code == 201, made.get_json()
    poll = made.get_json()
    assert poll["status"] == "draft"
    options = api.call("GET", f"/polls/{poll['id']}/options", organiser).get_json()
    assert [o["source_ref"] for o in options] == [None, "workshops.solution:7"]
    assert api.call("PATCH", f"/polls/{poll['id']}", organiser, json={"status": "open"}).get_json()["state"] == "open"

    member = api.token("alpha_member")
    school, mentors = (str(o["id"]) for o in options)
    cast = api.call("PUT", f"/polls/{poll['id']}/ballot", member, json={
        "ballot": {school: {"effect": 5, "cost": 2}, mentors: {"effect": 3, "cost": 4}}})
    assert cast.status_code == 201, cast.get_json()
    assert api.call("GET", f"/polls/{poll['id']}/ballot", member).get_json()["voted"] is True
    results = api.call("GET", f"/polls/{poll['id']}/results", member).get_json()
    assert results["visible"] is True and results["turnout"] == 1
    assert [(r["label"], r["value"], r["rank"]) for r in results["rows"]] == [("Housing school", "12", 1), ("Job mentors", "10", 2)]
    assert results["winners"] == ["Housing school"] and results["rows"][1]["option_id"] == int(mentors)


def test_bad_ballots_answer_422_and_record_nothing(api, app, world, process_id):
    organiser = api.token("alpha_coordinator")
    poll = api.call("POST", "/polls/", organiser, json={"process_id": process_id, "title": "Dots", "method": "dot",
                                                         "options": [{"label": "A"}, {"label": "B"}]}).get_json()
    member = api.token("alpha_member")
    assert_json_error(api.call("PUT", f"/polls/{poll['id']}/ballot", member, json={"ballot": {}}), 409, "not opened")
    api.call("PATCH", f"/polls/{poll['id']}", organiser, json={"status": "open"})
    a, b = (o["id"] for o in api.call("GET", f"/polls/{poll['id']}/options", organiser).get_json())
    assert_json_error(api.call("PUT", f"/polls/{poll['id']}/ballot", member, json={"ballot": {str(a): 3}}), 422,
                      "2 dots and used 3")
    assert_json_error(api.call("PUT", f"/polls/{poll['id']}/ballot", member, json={"ballot": {"999999": 1}}), 422,
                      "not an option")
    assert_json_error(api.call("PUT", f"/polls/{poll['id']}/ballot", member, json={"ballot": ["nonsense"]}), 422, "shape")
    assert_json_error(api.call("PUT", f"/polls/{poll['id']}/ballot", member, json={}), 422)
    assert _ballots(app, world) == 0
    api.call("PATCH", f"/polls/{poll['id']}", organiser, json={"status": "closed"})
    assert_json_error(api.call("PUT", f"/polls/{poll['id']}/ballot", member, json={"ballot": {str(b): 1}}), 409, "closed")
    assert _ballots(app, world) == 0


def test_only_organisers_create_polls_and_enter_paper_ballots(api, process_id):
    member = api.token("alpha_member")
    assert_json_error(api.call("POST", "/polls/", member, json={"process_id": process_id, "title": "X", "method": "dot"}),
                      403)
    organiser = api.token("alpha_coordinator")
    poll = api.call("POST", "/polls/", organiser, json={"process_id": process_id, "title": "Dots", "method": "dot",
                                                         "options": [{"label": "A"}, {"label": "B"}]}).get_json()
    api.call("PATCH", f"/polls/{poll['id']}", organiser, json={"status": "open"})
    option = api.call("GET", f"/polls/{poll['id']}/options", organiser).get_json()[0]["id"]
    assert_json_error(api.call("POST", f"/polls/{poll['id']}/paper-ballots", member, json={"ballot": {str(option): 1}}), 403)
    paper = api.call("POST", f"/polls/{poll['id']}/paper-ballots", organiser, json={"ballot": {str(option): 2},
                                                                                     "label": "Table 4"})
    assert paper.status_code == 201
    assert api.call("GET", f"/polls/{poll['id']}/results", member).get_json()["on_paper"] == 1


def test_hidden_results_give_only_the_turnout(api, process_id):
    organiser = api.token("alpha_coordinator")
    poll = api.call("POST", "/polls/", organiser, json={"process_id": process_id, "title": "Secret", "method": "single",
                                                         "results_visibility": "after_close",
                                                         "options": [{"label": "A"}, {"label": "B"}]}).get_json()
    api.call("PATCH", f"/polls/{poll['id']}", organiser, json={"status": "open"})
    option = api.call("GET", f"/polls/{poll['id']}/options", organiser).get_json()[0]["id"]
    api.call("PUT", f"/polls/{poll['id']}/ballot", api.token("alpha_member"), json={"ballot": option})
    hidden = api.call("GET", f"/polls/{poll['id']}/results", organiser).get_json()
    assert hidden["visible"] is False and hidden["turnout"] == 1 and hidden["rows"] == []


def test_unknown_processes_and_polls_answer_404(api):
    """(Another municipality's polls answer 404 too: tests/core/test_isolation.py.)"""
    organiser = api.token("alpha_coordinator")
    assert_json_error(api.call("POST", "/polls/", organiser, json={"process_id": 999999, "title": "X", "method": "dot"}),
                      404, "process")
    assert_json_error(api.call("GET", "/polls/999999", organiser), 404, "poll")
