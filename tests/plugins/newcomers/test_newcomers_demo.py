"""The demo: Namsskogan establishing its service (phase 4, measures and votes recorded),
Hamar and Kinn running it with two years of households, follow-ups and a retention figure."""

from pathlib import Path

from sqlalchemy import func, select

from dugnad.cli import seed_demo
from dugnad.sdk import Process, Tenant, db, processes, tenant_context, voting
from dugnad_newcomers import establishing, retention
from dugnad_newcomers.models import FollowUp, Household, WorkshopMeasure

TENANTS = Path(__file__).resolve().parents[3] / "tenants"


def test_the_demo_shows_establishing_and_running(demo, demo_seeding):
    app, first = demo, demo_seeding  # the demo as seeded once in this test process, and what seeding printed
    runner = app.test_cli_runner()
    assert first.exit_code == 0, first.output
    assert "newcomer service in Namsskogan: establishing, phase 4" in first.output
    assert "newcomer service in Hamar" in first.output and "newcomer service in Kinn" in first.output
    with app.app_context():
        slugs = {t.slug: t for t in db.session.scalars(select(Tenant))}
        with tenant_context(slugs["namsskogan"]):
            process = db.session.scalar(select(Process).where(Process.template_key == "newcomers"))
            phases = processes.phases_of(process)
            assert process.current_phase_id == phases[3].id and phases[3].name == "Utvikle og organisere"
            assert db.session.scalar(select(func.count()).select_from(WorkshopMeasure)) == 7
            counted = voting.results(establishing.plenary_poll(process))
            assert counted.turnout == 19
            assert establishing.decisions(process)[0].case_number == "PS 31/26"
        for slug in ("hamar", "kinn"):
            with tenant_context(slugs[slug]):
                assert db.session.scalar(select(func.count()).select_from(Household)) >= 30
                assert db.session.scalar(select(func.count()).select_from(FollowUp).where(
                    FollowUp.recorded_at.is_not(None))) > 20
        for slug, kind in (("hamar", "year"), ("kinn", "year")):
            with tenant_context(slugs[slug]):
                rows = retention.report(kind)
                shown = [r.cells[12].share for r in rows if r.cells[12].share is not None]
                assert shown and all(0.5 < share <= 1 for share in shown), (slug, rows)
    # a second load adds nothing
    assert "newcomer service" not in runner.invoke(seed_demo).output
    login = app.test_client()
    assert login.post("/login", data={"email": "tilflytter@hamar.demo", "password": "dugnad-demo"}).status_code == 302
    assert login.get("/hamar/newcomers/").status_code == 200
