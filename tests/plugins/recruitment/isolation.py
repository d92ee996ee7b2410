"""Recruitment's objects for the isolation test (tests/core/test_isolation.py): every route of
the plugin answers 404 to another municipality's ids — even to alpha's most powerful person."""

from __future__ import annotations

from datetime import timedelta

from dugnad.sdk import Membership, User, db, today

ARGUMENTS = ("track_id", "opening_id", "candidate_id", "placement_id", "outcome_id", "rule_id", "group_id",
             "worksheet_id")
SECRETS = (b"Bertha Betakandidat", b"Beta kitchen unit", b"Beta track", b"Beta worksheet unit")


def beta_objects() -> dict:
    from dugnad_recruitment import candidates, design, placements
    from dugnad_recruitment.setup import seed_defaults

    seed_defaults()
    leader = User(email="beta.leader@beta.test", name="Beta Leader", password_hash="x")
    db.session.add(leader)
    db.session.flush()
    db.session.add(Membership(user_id=leader.id, role="member"))
    track = design.create_track({"name": "Beta track", "kind": "simple_jobs"}, None)
    opening = placements.create_opening(track, {
        "unit": "Beta kitchen unit", "title": "Beta assistant", "kind": "temporary",
        "starts_on": today() - timedelta(days=200), "months": 12, "leader_id": leader.id, "monthly_wage": 30000})
    candidate = candidates.create(track, {"name": "Bertha Betakandidat", "legal_basis": "employment",
                                          "health": "Beta health note"})
    placement = placements.place(candidate, opening, {})
    rule = placements.rules()[0]
    from sqlalchemy import select

    from dugnad_recruitment.models import Outcome

    outcome = db.session.scalar(select(Outcome).where(Outcome.candidate_id == candidate.id, Outcome.months == 6))
    group = design.target_groups()[0]
    sheet = design.create_worksheet({"unit": "Beta worksheet unit", "track_id": track.id})
    db.session.flush()
    return {"track_id": track.id, "opening_id": opening.id, "candidate_id": candidate.id, "placement_id": placement.id,
            "outcome_id": outcome.id, "rule_id": rule.id, "group_id": group.id, "worksheet_id": sheet.id}
