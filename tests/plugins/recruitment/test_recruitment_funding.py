"""Funding follows rules kept as data (NAV's 40 % and 60 % wage subsidy, work practice): the rule
fills in the rate and the step-down, a corrected rule changes new funding, warnings go out
ahead of each step-down and end — once, however often the job runs — and the page shows what
a placement costs the unit month by month. Bad input is refused with nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from dugnad.notifications import OutboxMessage
from dugnad.sdk import Refusal, Tenant, db, today
from dugnad_recruitment import placements, reminders
from dugnad_recruitment.models import Candidate, Funding, FundingRule, Opening, Placement, Reminder
from dugnad_recruitment.placements import add_months
from tests.plugins.recruitment.recruitment_support import add_candidate, in_tenant, pilot  # noqa: F401

SUBSIDY_40 = "Midlertidig lønnstilskudd 40 %"
PRACTICE = "Arbeidstrening (NAV betaler deltakerens ytelse)"


def _placement(pilot, candidate_id):
    return db.session.scalar(select(Placement).where(Placement.candidate_id == candidate_id))


def _fund(pilot, candidate_id, rule=SUBSIDY_40, **data):
    with in_tenant(pilot.app, pilot.tenant_id):
        try:
            funding = placements.add_funding(_placement(pilot, candidate_id), {"rule_id": pilot.rules[rule], **data})
            db.session.commit()
            return funding.id
        except Refusal as error:
            db.session.rollback()
            return error


def test_the_rule_fills_in_the_rate_and_the_step_down(pilot):
    start = today() - timedelta(days=30)
    amina = add_candidate(pilot, opening="kitchen", starts_on=start)
    funding_id = _fund(pilot, amina)
    with in_tenant(pilot.app, pilot.tenant_id):
        funding = db.session.get(Funding, funding_id)
        assert (funding.rate, funding.starts_on) == (40, start)
        assert funding.step_down_on is None and funding.stepped_rate is None  # a six-month place ends first
    bilal = add_candidate(pilot, "Bilal", opening="school", starts_on=start)
    with in_tenant(pilot.app, pilot.tenant_id):
        _placement(pilot, bilal).ends_on = add_months(start, 12) - timedelta(days=1)
        db.session.commit()
    with in_tenant(pilot.app, pilot.tenant_id):
        funding = db.session.get(Funding, _fund(pilot, bilal))
        assert (funding.step_down_on, funding.stepped_rate) == (add_months(start, 6), 30)
        assert funding.ends_on == add_months(start, 12) - timedelta(days=1)


def test_a_corrected_rule_governs_new_funding(pilot, client_as, world):
    start = today() - timedelta(days=10)
    amina = add_candidate(pilot, opening="kitchen", starts_on=start)
    answer = client_as("recruiter").post(f"/alpha/recruitment/funding-rules/{pilot.rules[SUBSIDY_40]}", data={
        "name": SUBSIDY_40, "kind": "wage_subsidy", "rate": 40, "step_after_months": 3, "stepped_rate": 20,
        "max_months": 12, "warn_days": 14})
    assert answer.status_code == 302
    with in_tenant(pilot.app, pilot.tenant_id):
        funding = db.session.get(Funding, _fund(pilot, amina))
        assert (funding.step_down_on, funding.stepped_rate) == (add_months(start, 3), 20)


@pytest.mark.parametrize("data, field, message", [
    ({"ends_on": "before"}, "ends_on", "cannot end before it starts"),
    ({"step_down_on": "start"}, "step_down_on", "cannot come before (or on) the day the funding starts"),
    ({"step_down_on": "after_end"}, "step_down_on", "cannot come after the funding ends"),
    ({"starts_on": "before_placement"}, "starts_on", "must lie within the placement"),
])
def test_bad_funding_is_refused_and_nothing_is_saved(pilot, data, field, message):
    start = today() - timedelta(days=30)
    amina = add_candidate(pilot, opening="kitchen", starts_on=start)
    days = {"before": start - timedelta(days=1), "start": start, "after_end": start + timedelta(days=400),
            "before_placement": start - timedelta(days=5)}
    values = {key: days[value] for key, value in data.items()}
    refused = _fund(pilot, amina, **values)
    assert isinstance(refused, Refusal) and refused.field == field and message in str(refused)
    with in_tenant(pilot.app, pilot.tenant_id):
        assert db.session.scalar(select(func.count()).select_from(Funding)) == 0


def test_overlapping_placements_for_one_candidate_are_refused(pilot):
    amina = add_candidate(pilot, opening="kitchen")
    with in_tenant(pilot.app, pilot.tenant_id):
        candidate = db.session.get(Candidate, amina)
        with pytest.raises(Refusal, match="placements cannot overlap"):
            placements.place(candidate, db.session.get(Opening, pilot.openings["school"]), {})
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Placement)) == 1


def test_the_funding_form_keeps_what_was_typed(pilot, client_as, world):
    amina = add_candidate(pilot, opening="kitchen")
    with in_tenant(pilot.app, pilot.tenant_id):
        placement = _placement(pilot, amina).id
        start = _placement(pilot, amina).starts_on
    answer = client_as("recruiter").post(f"/alpha/recruitment/candidates/{amina}/placements/{placement}/funding", data={
        f"funding-{placement}-rule_id": pilot.rules[SUBSIDY_40],
        f"funding-{placement}-ends_on": (start - timedelta(days=3)).isoformat()})
    assert answer.status_code == 422
    assert "The funding cannot end before it starts." in answer.text
    assert (start - timedelta(days=3)).isoformat() in answer.text


def _set_contact(pilot):
    with in_tenant(pilot.app, pilot.tenant_id):
        tenant = db.session.get(Tenant, pilot.tenant_id)
        tenant.settings = {**(tenant.settings or {}), "recruitment_contact_email": "rekruttering@alpha.test"}
        db.session.commit()


def test_warnings_go_out_ahead_of_the_step_down_and_the_end_once(pilot, client_as, world):
    _set_contact(pilot)
    start = add_months(today(), -6) + timedelta(days=20)  # steps down in 20 days
    amina = add_candidate(pilot, opening="kitchen", starts_on=start)
    with in_tenant(pilot.app, pilot.tenant_id):
        _placement(pilot, amina).ends_on = add_months(start, 12) - timedelta(days=1)
        db.session.commit()
    _fund(pilot, amina)
    with in_tenant(pilot.app, pilot.tenant_id, locale="nb"):
        first = reminders.send_funding_warnings()
        again = reminders.send_funding_warnings()
        mails = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.kind == "recruitment-step_down")).all()
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "recruitment-step_down"))
    assert first == {"step_down": 1, "funding_end": 0} and again == {"step_down": 0, "funding_end": 0}
    assert mails == ["Rekruttering: Amina Hassan i Lønnås sykehjem"]  # jobs write in Bokmål
    assert "trappes ned fra 40 % til 30 %" in body and "(om 20 dager)" in body
    page = client_as("recruiter").get(f"/alpha/recruitment/candidates/{amina}").text
    assert "The funding steps down from 40 % to 30 %" in page


def test_the_end_of_funding_is_warned_by_the_rule_s_warning_time(pilot):
    _set_contact(pilot)
    start = add_months(today(), -6) + timedelta(days=10)  # a six-month place: the funding ends in 9 days
    amina = add_candidate(pilot, opening="kitchen", starts_on=start)
    _fund(pilot, amina, rule=PRACTICE)
    with in_tenant(pilot.app, pilot.tenant_id):
        assert reminders.send_funding_warnings() == {"step_down": 0, "funding_end": 1}
        rule = db.session.get(FundingRule, pilot.rules[PRACTICE])
        rule.warn_days = 5
        db.session.execute(Reminder.__table__.delete())
        db.session.commit()
        assert reminders.send_funding_warnings() == {"step_down": 0, "funding_end": 0}


def test_a_replayed_reminder_is_refused_by_the_database_too(pilot):
    with in_tenant(pilot.app, pilot.tenant_id):
        db.session.add(Reminder(kind="step_down", subject_id=1, due_on=today()))
        db.session.commit()
        db.session.add(Reminder(kind="step_down", subject_id=1, due_on=today()))
        from sqlalchemy.exc import IntegrityError

        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_what_a_placement_costs_the_unit_month_by_month(pilot):
    amina = add_candidate(pilot, opening="kitchen", starts_on=date(2026, 1, 1))
    with in_tenant(pilot.app, pilot.tenant_id):
        placement = _placement(pilot, amina)
        placement.ends_on = date(2026, 12, 31)
        db.session.commit()
        placements.add_funding(placement, {"rule_id": pilot.rules[SUBSIDY_40]})
        costs = placements.monthly_costs(placement, placements.fundings_of([placement.id])[placement.id])
    assert len(costs) == 12
    assert (costs[0].wage, costs[0].nav_share, costs[0].unit_cost, costs[0].rate) == (40000, 16000, 24000, 40)
    assert (costs[6].nav_share, costs[6].unit_cost, costs[6].rate) == (12000, 28000, 30)  # July: stepped down


def test_the_board_spells_out_the_soonest_warnings_and_counts_the_rest(pilot, client_as, world):
    from dugnad_recruitment.board import WARNINGS_SHOWN

    start = add_months(today(), -6) + timedelta(days=3)  # six-month places: the funding ends in 2 days
    for i in range(WARNINGS_SHOWN + 2):
        person = add_candidate(pilot, f"Person {i:02d}", opening="kitchen", starts_on=start + timedelta(days=i))
        _fund(pilot, person, rule=PRACTICE)
    board = client_as("recruiter").get(f"/alpha/recruitment/tracks/{pilot.track_id}").text
    assert board.count("The funding ends on") == WARNINGS_SHOWN
    assert "Person 00 (Lønnås sykehjem): The funding ends on" in board and "Person 11 (Lønnås" not in board
    assert "and 2 more placements with funding coming to a step-down or an end" in board
