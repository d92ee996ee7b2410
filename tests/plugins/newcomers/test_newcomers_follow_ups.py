"""Follow-ups at 3, 6, 12 and 24 months: reminders to the contact person, the record of
the conversation (once), and a household that moved away is not contacted again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dugnad.sdk import db, today
from dugnad_newcomers import followups, households
from dugnad_newcomers.models import FollowUp, Household
from tests.plugins.newcomers.newcomers_support import in_tenant, make_household, outbox


def _follow_up(app, world, household_id, month):
    with in_tenant(app, world.tenants["alpha"]):
        found = db.session.scalar(select(FollowUp).where(FollowUp.household_id == household_id, FollowUp.month == month))
        return found.id


def test_the_schedule_is_3_6_12_and_24_months_after_arrival(app, world):
    arrival = today() - timedelta(days=40)
    make_household(app, world.tenants["alpha"], arrival=arrival)
    with in_tenant(app, world.tenants["alpha"]):
        due = {f.month: f.due_on for f in db.session.scalars(select(FollowUp))}
    assert due == {m: households.add_months(arrival, m) for m in (3, 6, 12, 24)}
    assert households.add_months(arrival.replace(day=31) if arrival.month == 1 else arrival, 0) is not None
    from datetime import date

    assert households.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_the_contact_person_is_reminded_once(app, world):
    household_id = make_household(app, world.tenants["alpha"], arrival=today() - timedelta(days=88))
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Household, household_id).contact_user_id = world.users["alpha_coordinator"]
        db.session.commit()
        assert followups.remind_follow_ups() == 1
        assert followups.remind_follow_ups() == 0  # run twice: nothing more
    sent = outbox(app, world.tenants["alpha"], "newcomers.follow_up")
    assert len(sent) == 1 and sent[0].recipient == "coordinator@alpha.test" and "3" in sent[0].subject


def test_recording_a_follow_up_and_recording_it_twice(app, world, client_as):
    household_id = make_household(app, world.tenants["alpha"], arrival=today() - timedelta(days=95))
    follow_up_id = _follow_up(app, world, household_id, 3)
    admin = client_as("alpha_admin")
    assert admin.get(f"/alpha/newcomers/{household_id}/follow-ups/{follow_up_id}").status_code == 200
    missing = admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{follow_up_id}",
                         data={"how_going": "Good", "outcome": ""})
    assert missing.status_code == 422 and 'value="Good"' not in missing.text or "Good" in missing.text
    ok = admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{follow_up_id}",
                    data={"how_going": "Settling in well", "missing": "A job for Fatima", "plans": "stay",
                          "outcome": "here"})
    assert ok.status_code == 302
    twice = admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{follow_up_id}",
                       data={"how_going": "Again", "outcome": "unknown"})
    assert twice.status_code == 422 and "allerede registrert" in twice.text
    with in_tenant(app, world.tenants["alpha"]):
        follow_up = db.session.get(FollowUp, follow_up_id)
        assert follow_up.how_going == "Settling in well" and follow_up.outcome == "here"
        assert db.session.get(Household, household_id).outcome == "here"


def test_a_household_that_moves_away_between_follow_ups_is_not_contacted_again(app, world, client_as):
    household_id = make_household(app, world.tenants["alpha"], arrival=today() - timedelta(days=200))
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Household, household_id).contact_user_id = world.users["alpha_coordinator"]
        db.session.commit()
    admin = client_as("alpha_admin")
    three = _follow_up(app, world, household_id, 3)
    assert admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{three}",
                      data={"outcome": "here", "how_going": "Fine"}).status_code == 302
    # between the 3- and 6-month follow-ups the coordinator hears they moved to Trondheim
    assert admin.post(f"/alpha/newcomers/{household_id}/moved", data={"moved_to": "Trondheim"}).status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        household = db.session.get(Household, household_id)
        assert household.status == "moved_away" and household.moved_to == "Trondheim"
        later = db.session.scalars(select(FollowUp).where(FollowUp.month > 3)).all()
        assert all(f.cancelled_at is not None for f in later)
        assert followups.remind_follow_ups() == 0
    assert outbox(app, world.tenants["alpha"], "newcomers.follow_up") == []
    six = _follow_up(app, world, household_id, 6)
    refused = admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{six}", data={"outcome": "here"})
    assert refused.status_code == 422 and "har flyttet" in refused.text


def test_moving_away_recorded_at_a_follow_up_cancels_the_rest(app, world, client_as):
    household_id = make_household(app, world.tenants["alpha"], arrival=today() - timedelta(days=370))
    admin = client_as("alpha_admin")
    for month, outcome in ((3, "here"), (6, "here")):
        assert admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{_follow_up(app, world, household_id, month)}",
                          data={"outcome": outcome}).status_code == 302
    twelve = _follow_up(app, world, household_id, 12)
    no_place = admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{twelve}", data={"outcome": "moved"})
    assert no_place.status_code == 422 and "hvor de flyttet" in no_place.text
    assert admin.post(f"/alpha/newcomers/{household_id}/follow-ups/{twelve}",
                      data={"outcome": "moved", "moved_to": "Poland"}).status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        twenty_four = db.session.scalar(select(FollowUp).where(FollowUp.month == 24))
        assert twenty_four.cancelled_at is not None and twenty_four.recorded_at is None
        assert db.session.get(Household, household_id).moved_to == "Poland"


def test_a_follow_up_far_in_the_future_cannot_be_recorded_yet(app, world, client_as):
    household_id = make_household(app, world.tenants["alpha"], arrival=today() - timedelta(days=10))
    twenty_four = _follow_up(app, world, household_id, 24)
    answer = client_as("alpha_admin").post(f"/alpha/newcomers/{household_id}/follow-ups/{twenty_four}",
                                           data={"outcome": "here"})
    assert answer.status_code == 422 and "nærmere den dagen" in answer.text
