"""The road in: one step forward needs a date; skipping, going back, ending and starting again
need a reason; the date is neither in the future nor before the last change; every change is
on the timeline, and a refused one writes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dugnad.sdk import Refusal, db, today
from dugnad_recruitment import candidates
from dugnad_recruitment.models import Candidate, StageChange
from tests.plugins.recruitment.recruitment_support import add_candidate, in_tenant, pilot  # noqa: F401


def _move(pilot, candidate_id, to_stage, reason=None, on=None):
    with in_tenant(pilot.app, pilot.tenant_id):
        candidate = db.session.get(Candidate, candidate_id)
        try:
            change = candidates.change_stage(candidate, to_stage, on or today(), reason)
            db.session.commit()
            return change.direction
        except Refusal as error:
            db.session.rollback()
            return error


def _timeline(pilot, candidate_id):
    with in_tenant(pilot.app, pilot.tenant_id):
        return [(c.from_stage, c.to_stage, c.direction, c.reason)
                for c in candidates.timeline(db.session.get(Candidate, candidate_id))]


def test_forward_one_step_needs_no_reason_and_everything_is_on_the_timeline(pilot):
    amina = add_candidate(pilot)
    assert _move(pilot, amina, "practice") == "forward"
    assert _move(pilot, amina, "temporary") == "forward"
    assert _move(pilot, amina, "practice", "The unit closed for the summer") == "back"
    assert _move(pilot, amina, "ended", "Moved to Bergen") == "end"
    assert _move(pilot, amina, "practice", "Came back in the autumn") == "restart"
    assert [(a, b, c) for a, b, c, _r in _timeline(pilot, amina)] == [
        (None, "mapping", "start"), ("mapping", "practice", "forward"), ("practice", "temporary", "forward"),
        ("temporary", "practice", "back"), ("practice", "ended", "end"), ("ended", "practice", "restart")]


@pytest.mark.parametrize("path, to_stage, message", [
    ((), "temporary", "skips a stage: say why"),
    ((), "permanent", "skips a stage: say why"),
    (("practice",), "mapping", "Going back from “Work practice” to “Mapping” needs a reason"),
    ((), "ended", "Say why the candidate's track ends"),
])
def test_skipping_going_back_and_ending_need_a_reason_and_write_nothing_without(pilot, path, to_stage, message):
    amina = add_candidate(pilot)
    for stage in path:
        _move(pilot, amina, stage)
    before = _timeline(pilot, amina)
    refused = _move(pilot, amina, to_stage, reason="   ")
    assert isinstance(refused, Refusal) and message in str(refused) and refused.field == "reason"
    assert _timeline(pilot, amina) == before
    assert _move(pilot, amina, to_stage, reason="Hired for attitude") in ("skip", "back", "end")
    assert _timeline(pilot, amina)[-1][3] == "Hired for attitude"


def test_dates_cannot_be_in_the_future_or_before_the_last_change(pilot):
    amina = add_candidate(pilot)
    future = _move(pilot, amina, "practice", on=today() + timedelta(days=1))
    assert isinstance(future, Refusal) and future.field == "changed_on"
    earlier = _move(pilot, amina, "practice", on=today() - timedelta(days=1))
    assert isinstance(earlier, Refusal) and "before the candidate's last change" in str(earlier)
    same = _move(pilot, amina, "mapping", reason="x")
    assert isinstance(same, Refusal) and "already at this stage" in str(same)


def test_the_page_keeps_what_was_typed_and_marks_the_field(app, world, pilot, client_as):
    amina = add_candidate(pilot)
    answer = client_as("recruiter").post(f"/alpha/recruitment/candidates/{amina}/stage",
                                         data={"stage-to_stage": "permanent", "stage-changed_on": today().isoformat(),
                                               "stage-reason": ""})
    assert answer.status_code == 422
    assert "skips a stage: say why" in answer.text and 'aria-invalid="true"' in answer.text
    assert re.search(r'<option (selected value="permanent"|value="permanent" selected)', answer.text)
    with in_tenant(app, pilot.tenant_id):
        assert db.session.scalar(select(func.count()).select_from(StageChange)) == 1
    moved = client_as("recruiter").post(f"/alpha/recruitment/candidates/{amina}/stage",
                                        data={"stage-to_stage": "permanent", "stage-changed_on": today().isoformat(),
                                              "stage-reason": "A vacancy; hired for attitude"})
    assert moved.status_code == 302
    page = client_as("recruiter").get(f"/alpha/recruitment/candidates/{amina}").text
    assert "A vacancy; hired for attitude" in page


def test_the_api_refuses_a_skip_without_a_reason_with_a_message(app, world, pilot):
    from dugnad.accounts.models import AccessToken, hash_token

    amina = add_candidate(pilot)
    secret = "dgn_recruiter-stage-token"
    with in_tenant(app, pilot.tenant_id):
        db.session.add(AccessToken(user_id=pilot.users["recruiter"], tenant_id=pilot.tenant_id, name="t",
                                   token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/recruitment/candidates/{amina}/stage-changes"
    refused = app.test_client().post(url, json={"to_stage": "temporary", "changed_on": today().isoformat()},
                                     headers=headers)
    assert refused.status_code == 422 and "reason: " in refused.json["message"]
    done = app.test_client().post(url, json={"to_stage": "temporary", "changed_on": today().isoformat(),
                                             "reason": "Relevant experience"}, headers=headers)
    assert done.status_code == 201 and done.json["direction"] == "skip"
    assert [c["to_stage"] for c in app.test_client().get(url, headers=headers).json] == ["mapping", "temporary"]


def test_the_board_costs_the_same_queries_for_few_and_many_candidates(app, world, pilot, client_as, queries):
    for i in range(3):
        add_candidate(pilot, f"Few {i}", opening="kitchen" if i == 0 else None)
    client = client_as("recruiter")
    client.get(f"/alpha/recruitment/tracks/{pilot.track_id}")
    queries.statements.clear()
    client.get(f"/alpha/recruitment/tracks/{pilot.track_id}")
    few = queries.count
    with in_tenant(app, pilot.tenant_id):
        db.session.add_all(Candidate(track_id=pilot.track_id, name=f"Many {i}", stage=("mapping", "practice")[i % 2],
                                     stage_since=today(), legal_basis="consent") for i in range(60))
        db.session.commit()
    queries.statements.clear()
    page = client.get(f"/alpha/recruitment/tracks/{pilot.track_id}")
    assert page.status_code == 200 and "Many 59" in page.text
    assert queries.count == few


def test_a_long_column_shows_its_oldest_cards_and_the_rest_on_request(app, world, pilot, client_as):
    from dugnad_recruitment.board import SHOWN_PER_COLUMN

    with in_tenant(app, pilot.tenant_id):
        db.session.add_all(Candidate(track_id=pilot.track_id, name=f"Waiting {i:03d}", stage="mapping",
                                     stage_since=today() - timedelta(days=200 - i), legal_basis="consent")
                           for i in range(SHOWN_PER_COLUMN + 5))
        db.session.commit()
    client = client_as("recruiter")
    board = client.get(f"/alpha/recruitment/tracks/{pilot.track_id}").text
    assert "Waiting 000" in board and f"Waiting {SHOWN_PER_COLUMN + 4:03d}" not in board
    assert f"Show all {SHOWN_PER_COLUMN + 5} in “Mapping”" in board
    whole = client.get(f"/alpha/recruitment/tracks/{pilot.track_id}?stage=mapping").text
    assert f"Waiting {SHOWN_PER_COLUMN + 4:03d}" in whole


def test_the_record_costs_the_same_queries_with_a_short_and_a_long_history(app, world, pilot, client_as, queries):
    from dugnad_recruitment.models import MentorMeeting

    amina = add_candidate(pilot, opening="kitchen")
    client = client_as("recruiter")
    client.get(f"/alpha/recruitment/candidates/{amina}")
    queries.statements.clear()
    client.get(f"/alpha/recruitment/candidates/{amina}")
    short = queries.count
    with in_tenant(app, pilot.tenant_id):
        db.session.add_all(StageChange(candidate_id=amina, from_stage="mapping", to_stage="practice", direction="forward",
                                       changed_on=today(), reason=f"Step {i}") for i in range(10))
        db.session.add_all(MentorMeeting(candidate_id=amina, met_on=today(), summary=f"Meeting {i}") for i in range(10))
        db.session.commit()
    queries.statements.clear()
    page = client.get(f"/alpha/recruitment/candidates/{amina}")
    assert "Step 9" in page.text and "Meeting 9" in page.text
    assert queries.count == short
