"""The bank's benchmark figures: approved volunteers (per 1,000), needs met (percent),
days from need to match (median), valid police certificates (percent) and hours, with the
count each share rests on, in group "volunteers"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dugnad.benchmarking.metrics import Figure
from dugnad.extensions import db
from dugnad.clock import today
from dugnad.clock import utcnow
from dugnad_volunteers import metrics
from dugnad_volunteers.models import Assignment, Need, Volunteer
from tests.plugins.volunteers.volunteers_support import bank, in_tenant, make_volunteer  # noqa: F401


def _need(bank, status: str, starts: datetime, created_days_before: float = 2, filled_days_before: float | None = None) -> int:
    created = starts - timedelta(days=created_days_before)
    need = Need(title=f"{status} need", role_id=bank.roles["family"], starts_at=starts, ends_at=starts + timedelta(hours=2),
                status=status, created_at=created,
                filled_at=starts - timedelta(days=filled_days_before) if filled_days_before is not None else None)
    db.session.add(need)
    db.session.flush()
    return need.id


def test_the_metrics_are_registered_with_their_units_and_group(app):
    registry = app.extensions["dugnad.plugins"].registry
    units = {key: m.unit for key, m in registry.metrics.items() if m.group == "volunteers"}
    assert units == {"volunteers.approved": "per_1000", "volunteers.needs_met": "percent",
                     "volunteers.days_to_match": "days", "volunteers.valid_vetting": "percent", "volunteers.hours": "count"}
    assert registry.metrics["volunteers.days_to_match"].better == "lower"


def test_the_figures_of_a_period(app, world, bank):
    start, end = date(2026, 1, 1), date(2026, 7, 1)
    base = datetime(2026, 3, 2, 10, 0)
    for i in range(4):
        make_volunteer(bank, f"Approved {i}", wants=("escort",), certificate_for=("escort",) if i < 3 else ())
    make_volunteer(bank, "Waiting", status="pending")
    gone = make_volunteer(bank, "Left Later")
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Volunteer, gone).anonymised_at = utcnow()
        filled = [_need(bank, "done", base + timedelta(days=i), created_days_before=3, filled_days_before=3 - i) for i in range(3)]
        _need(bank, "open", base + timedelta(days=10))
        _need(bank, "cancelled", base + timedelta(days=11))
        _need(bank, "done", datetime(2025, 6, 1, 10), filled_days_before=1)  # another period
        db.session.add(Assignment(need_id=filled[0], volunteer_id=gone, status="done", minutes=150))
        db.session.add(Assignment(need_id=filled[1], volunteer_id=gone, status="done", minutes=90))
        db.session.commit()
        tenant = world.tenants["alpha"]
        # approved by the end of the period: the four, and the one deleted after it (statistics stay)
        assert metrics.approved_volunteers(tenant, start, end) is None  # approved 30 days ago: after this period
        assert metrics.approved_volunteers(tenant, today() - timedelta(days=365), today() + timedelta(days=1)) == 4
        assert metrics.needs_met(tenant, start, end) == Figure(75.0, 4)
        assert metrics.days_to_match(tenant, start, end) == Figure(1.0, 3)
        assert metrics.volunteer_hours(tenant, start, end) == 4
        assert metrics.valid_vetting(tenant, start, today() + timedelta(days=1)) == Figure(75.0, 4)
        assert metrics.needs_met(tenant, date(2020, 1, 1), date(2020, 2, 1)) is None


def test_a_deleted_volunteer_still_counts_for_the_period_they_were_in(app, world, bank):
    volunteer_id = make_volunteer(bank, "Left Later")
    with in_tenant(app, world.tenants["alpha"]):
        volunteer = db.session.get(Volunteer, volunteer_id)
        volunteer.anonymised_at = utcnow() + timedelta(days=2)
        db.session.commit()
        tomorrow = today() + timedelta(days=1)
        assert metrics.approved_volunteers(world.tenants["alpha"], tomorrow - timedelta(days=60), tomorrow) == 1
        volunteer.anonymised_at = utcnow() - timedelta(days=1)
        db.session.commit()
        assert metrics.approved_volunteers(world.tenants["alpha"], tomorrow - timedelta(days=60), tomorrow) is None
