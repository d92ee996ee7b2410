"""Designing a track: a process from the plugin's template, solutions whose 3 days / 3 weeks /
3 months plan becomes tasks of that process with an owner and due dates, a dot vote and the
criteria matrix on the solutions, and the Enkla jobb worksheet bundled into a job that prints."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from dugnad.sdk import Activity, Participant, Poll, Process, Refusal, db, processes, voting
from dugnad_recruitment import design
from dugnad_recruitment.models import PlanItem, Track
from tests.plugins.recruitment.recruitment_support import in_tenant, pilot  # noqa: F401


def test_a_track_is_designed_in_a_process_and_its_plan_becomes_activities(app, world, pilot):
    with in_tenant(app, pilot.tenant_id):
        owner = Participant(name="Hanne HR", category="municipality", legal_basis="public_task")
        db.session.add(owner)
        db.session.flush()
        track = design.create_track({"name": "Enkla jobb", "kind": "simple_jobs"}, None)
        phases = [p.key for p in processes.phases_of(db.session.get(Process, track.process_id))]
        assert phases == ["workshop1", "workshop2", "test", "decide"]
        start = date(2027, 1, 4)
        solution = design.add_solution(track, {"title": "Service assistant", "owner_id": owner.id,
                                               "plan_starts_on": start, "plan_3d": "Fill in the worksheet",
                                               "plan_3w": "Job description\nPick a buddy", "plan_3m": "First candidate"})
        db.session.commit()
        items = db.session.scalars(select(PlanItem).where(PlanItem.solution_id == solution.id)).all()
        activities = {a.title: a for a in db.session.scalars(select(Activity).where(
            Activity.process_id == track.process_id))}
        assert len(items) == 4 and all(i.activity_id for i in items)
        assert activities["Service assistant: Fill in the worksheet"].due_date == start + timedelta(days=3)
        assert activities["Service assistant: Pick a buddy"].due_date == start + timedelta(days=21)
        assert activities["Service assistant: First candidate"].due_date == start + timedelta(days=91)
        assert {a.owner_id for a in activities.values()} == {owner.id}
        with pytest.raises(Refusal, match="at least one thing to do"):
            design.add_solution(track, {"title": "Empty plan"})


def test_the_solutions_go_to_a_dot_vote_and_the_criteria_matrix_once(app, world, pilot, client_as):
    with in_tenant(app, pilot.tenant_id):
        track = db.session.get(Track, pilot.track_id)
        design.add_solution(track, {"title": "Trainee path", "code": "D1", "plan_3d": "Ask HR"})
        db.session.commit()
    client = client_as("recruiter")
    refused = client.post(f"/alpha/recruitment/design/tracks/{pilot.track_id}/vote", data={"method": "dot"},
                          follow_redirects=True)
    assert "Add at least two solutions to vote on." in refused.text
    with in_tenant(app, pilot.tenant_id):
        design.add_solution(db.session.get(Track, pilot.track_id), {"title": "Diversity competence", "code": "D2",
                                                                   "plan_3w": "A course"})
        db.session.commit()
    first = client.post(f"/alpha/recruitment/design/tracks/{pilot.track_id}/vote", data={"method": "dot"})
    again = client.post(f"/alpha/recruitment/design/tracks/{pilot.track_id}/vote", data={"method": "dot"})
    matrix = client.post(f"/alpha/recruitment/design/tracks/{pilot.track_id}/vote", data={"method": "matrix"})
    assert first.status_code == 302 and first.headers["Location"] == again.headers["Location"]
    assert matrix.headers["Location"] != first.headers["Location"]
    with in_tenant(app, pilot.tenant_id):
        polls = db.session.scalars(select(Poll).order_by(Poll.id)).all()
        assert [p.method for p in polls] == ["dot", "matrix"]
        assert [o.label for o in voting.options_of(polls[0])] == ["D1: Trainee path", "D2: Diversity competence"]
    assert client.get(first.headers["Location"]).status_code == 200


def test_the_enkla_jobb_worksheet_bundles_only_simple_repeatable_tasks_and_prints(app, world, pilot, client_as):
    client = client_as("alpha_coordinator")  # designing is for coordinators too; no candidate is seen here
    client.post("/language", data={"lang": "en", "next": "/"})
    made = client.post("/alpha/recruitment/design/worksheets", data={"sheet-unit": "Asker helsehus"})
    assert made.status_code == 302
    sheet = made.headers["Location"]
    for text, simple, repeatable, hours in (("Restock supplies", True, True, "6"), ("Serve meals", True, True, "8"),
                                            ("Write the patient record", False, True, "10")):
        data = {"text": text, "hours_per_week": hours, **({"simple": "y"} if simple else {}),
                **({"repeatable": "y"} if repeatable else {})}
        assert client.post(sheet + "/tasks", data=data).status_code == 302
    bad_hours = client.post(sheet + "/tasks", data={"text": "Too much", "hours_per_week": "80"})
    assert bad_hours.status_code == 422 and "from 0 to 40" in bad_hours.text and 'value="Too much"' in bad_hours.text
    page = client.get(sheet).text
    assert "Write the patient record" in page
    with in_tenant(app, pilot.tenant_id):
        from dugnad_recruitment.models import WorksheetTask

        ids = {t.text: t.id for t in db.session.scalars(select(WorksheetTask))}
    refused = client.post(sheet + "/bundle", data={"task_ids": [ids["Restock supplies"], ids["Write the patient record"]],
                                                   "job_title": "Service assistant"})
    assert refused.status_code == 422 and "not: Write the patient record" in refused.text
    done = client.post(sheet + "/bundle", data={"task_ids": [ids["Restock supplies"], ids["Serve meals"]],
                                                "job_title": "Service assistant", "job_summary": "Practical work"})
    assert done.status_code == 302
    printed = client.get(sheet + "/print").text
    assert "Service assistant" in printed and "14 hours a week" in printed and "Write the patient record" not in printed
