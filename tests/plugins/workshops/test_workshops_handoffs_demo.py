"""The demo region has handoffs in flight: Tønsberg's workshop 2 asked the volunteer bank for
hosts and childcare, Hamar's housing-school pilot for host families — once, however often the
demo is loaded, and shown on the workshop's and the need's pages."""

from pathlib import Path

from sqlalchemy import select

from dugnad.cli import seed_demo
from dugnad.extensions import db
from dugnad.handoffs.models import Handoff
from dugnad.tenancy import Tenant, tenant_context

TENANTS = Path(__file__).resolve().parents[3] / "tenants"


def test_the_demo_has_handoffs_in_flight_in_tonsberg_and_hamar_once(demo, demo_seeding):
    app, first = demo, demo_seeding  # the demo as seeded once in this test process, and what seeding printed
    runner = app.test_cli_runner()
    assert first.exit_code == 0, first.output
    assert "demo handoff in Tønsberg: Verter og kaffekokere på verksted 2" in first.output
    assert "demo handoff in Hamar: Vertsfamilier til runde 3 av boligskolen" in first.output
    assert "demo handoff" not in runner.invoke(seed_demo).output  # a second run adds nothing
    with app.app_context():
        tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
        with tenant_context(tenants["tonsberg"]):
            found = db.session.scalars(select(Handoff).order_by(Handoff.id)).all()
            assert [(h.origin_type, h.status, h.receiver) for h in found] == [
                ("workshops.workshop", "received", "volunteers")] * 2
            assert found[0].target_key.startswith("volunteers.need:") and found[0].values["volunteers_needed"] == 3
        with tenant_context(tenants["kinn"]):  # no volunteer bank in Kinn: nothing asked
            assert db.session.scalar(select(Handoff.id)) is None
