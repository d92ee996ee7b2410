"""Outcomes are scheduled at 6, 12 and 24 months after the first start and reminded once when
due; the benchmark figures (group "recruitment") rest on counts the region suppresses when
small, so no figure reaches a single person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from dugnad.benchmarking.disclosure import SHOWN, SUPPRESSED, Raw, publish
from dugnad.benchmarking.periods import Period
from dugnad.notifications import OutboxMessage
from dugnad.sdk import Figure, Refusal, Tenant, db, today
from dugnad_recruitment import candidates, metrics, outcomes, reminders
from dugnad_recruitment.models import Candidate, Outcome
from dugnad_recruitment.placements import add_months
from tests.plugins.recruitment.recruitment_support import add_candidate, in_tenant, pilot  # noqa: F401


def _outcomes(pilot, candidate_id):
    with in_tenant(pilot.app, pilot.tenant_id):
        return {o.months: o.due_on for o in db.session.scalars(select(Outcome).where(Outcome.candidate_id == candidate_id))}


def test_outcomes_are_scheduled_from_the_first_start(pilot):
    start = date(2026, 3, 31)
    amina = add_candidate(pilot, opening="kitchen", starts_on=start)
    assert _outcomes(pilot, amina) == {6: date(2026, 9, 30), 12: date(2027, 3, 31), 24: date(2028, 3, 31)}
    assert _outcomes(pilot, add_candidate(pilot, "Not placed")) == {}


def test_an_outcome_is_reminded_once_when_due_and_recorded_only_then(pilot):
    with in_tenant(pilot.app, pilot.tenant_id):
        tenant = db.session.get(Tenant, pilot.tenant_id)
        tenant.settings = {"recruitment_contact_email": "rekruttering@alpha.test"}
        db.session.commit()
    amina = add_candidate(pilot, opening="kitchen", starts_on=add_months(today(), -6) - timedelta(days=1))
    with in_tenant(pilot.app, pilot.tenant_id, locale="nb"):
        assert reminders.send_outcome_reminders() == {"outcome": 1}
        assert reminders.send_outcome_reminders() == {"outcome": 0}
        subjects = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.kind == "recruitment-outcome")).all()
        assert subjects == ["Rekruttering: registrer hvor Amina Hassan er etter 6 måneder"]
    with in_tenant(pilot.app, pilot.tenant_id):
        later = db.session.scalar(select(Outcome).where(Outcome.candidate_id == amina, Outcome.months == 12))
        with pytest.raises(Refusal, match="record it then"):
            outcomes.record(later, {"status": "in_work", "employer": "Lønnås"})
        due = db.session.scalar(select(Outcome).where(Outcome.candidate_id == amina, Outcome.months == 6))
        with pytest.raises(Refusal, match="Say where"):
            outcomes.record(due, {"status": "in_work", "employer": ""})
        outcomes.record(due, {"status": "in_work", "employer": "Lønnås sykehjem", "permanent": True})
        db.session.commit()
        assert reminders.due_outcomes() == []


def test_the_metrics_are_registered_in_their_group(app):
    registry = app.extensions["dugnad.plugins"].registry
    units = {key: m.unit for key, m in registry.metrics.items() if m.group == "recruitment"}
    assert units["recruitment.started"] == "count"
    assert units["recruitment.in_work_6"] == units["recruitment.in_work_24"] == "percent"
    assert units["recruitment.days_to_permanent"] == "days"
    assert {"recruitment.placements_simple_jobs", "recruitment.placements_qualification"} <= set(units)


def test_the_figures_of_a_period_and_their_suppression(pilot):
    start = date(2026, 1, 5)
    ids = [add_candidate(pilot, f"Person {i}", opening="kitchen", starts_on=start) for i in range(4)]
    with in_tenant(pilot.app, pilot.tenant_id):
        for i, candidate_id in enumerate(ids):
            due = db.session.scalar(select(Outcome).where(Outcome.candidate_id == candidate_id, Outcome.months == 6))
            due.status, due.recorded_at = ("in_work" if i < 3 else "neither"), due.due_on
        candidate = db.session.get(Candidate, ids[0])
        candidate.stage, candidate.stage_since = "temporary", start
        candidates.change_stage(candidate, "permanent", date(2026, 3, 6), "Hired")
        db.session.commit()
        year = (pilot.tenant_id, date(2026, 1, 1), date(2027, 1, 1))
        assert metrics.started(*year) == 4
        assert metrics.in_work(6)(*year) == Figure(75.0, 4)
        assert metrics.placements("qualification")(*year) == 4
        assert metrics.placements("simple_jobs")(*year) is None
        assert metrics.days_to_permanent(*year) == Figure(60.0, 1)
    registry = pilot.app.extensions["dugnad.plugins"].registry
    period = Period("year", date(2026, 1, 1))

    def cell(key, value, count):
        metric = registry.metrics[key]
        return publish(metric, [Raw(pilot.tenant_id, period, value, count)], {pilot.tenant_id})[(pilot.tenant_id, period)]

    assert cell("recruitment.in_work_6", 75.0, 4).state == SHOWN
    assert cell("recruitment.days_to_permanent", 60.0, 1).state == SUPPRESSED  # one person: never shown
    assert cell("recruitment.started", 2, 2).state == SUPPRESSED
