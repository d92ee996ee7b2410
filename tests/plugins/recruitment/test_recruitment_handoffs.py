"""A candidate asks the volunteer bank for a mentor through the core's handoffs: the panel is on
the record (for the recruitment coordinator), the bank gets a need that names neither the
candidate nor anything sensitive, and when it is done the placement has its volunteer mentor."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from dugnad.sdk import db, handoffs, today
from dugnad_recruitment.models import Placement
from tests.plugins.recruitment.recruitment_support import add_candidate, in_tenant, pilot  # noqa: F401
from tests.plugins.volunteers.volunteers_support import set_up_bank


def test_ask_the_volunteer_bank_for_a_mentor_and_see_what_came_of_it(app, world, pilot, client_as):
    with app.app_context():
        bank = set_up_bank(world.tenants["alpha"])
    amina = add_candidate(pilot, "Amina Hassan", opening="school", sensitive={"health": "Asthma"})  # no mentor there
    page = client_as("recruiter").get(f"/alpha/recruitment/candidates/{amina}").text
    assert "Help from other services" in page and "Volunteers for a task" in page
    assert "Help from other services" not in client_as("other_leader").get(f"/alpha/recruitment/candidates/{amina}").text
    starts = datetime.combine(today() + timedelta(days=7), time(10))
    with in_tenant(app, pilot.tenant_id):
        handoff = handoffs.send("volunteers.task", "recruitment.candidate", amina,
                                "A mentor for a candidate in work practice at the school, an hour a week.",
                                {"title": "Mentor in work practice", "role_id": bank.roles["language"],
                                 "starts_at": starts, "ends_at": starts + timedelta(hours=1), "volunteers_needed": 1})
        db.session.commit()
        assert "Amina" not in (handoff.origin_label or "") and "Asthma" not in str(handoff.values)
        target = handoff.target_key
        handoffs.update_status(target, "working")
        handoffs.update_status(target, "done", outcome="matched: 1 volunteer")
        db.session.commit()
        placement = db.session.scalar(select(Placement).where(Placement.candidate_id == amina))
        assert placement.mentor_name == "A volunteer from the volunteer bank (matched: 1 volunteer)"
    page = client_as("recruiter").get(f"/alpha/recruitment/candidates/{amina}").text
    assert "matched: 1 volunteer" in page
