"""The demo region: Bærum runs its pilot (five candidates, funding, a mentor each, outcomes at
6 months, a step-down warning coming); Asker designs an Enkla jobb track. Loaded once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from dugnad.cli import seed_demo
from dugnad.sdk import Tenant, db, tenant_context
from dugnad_recruitment.models import Candidate, Outcome, Placement, Solution, Track, Worksheet

TENANTS = Path(__file__).resolve().parents[3] / "tenants"


def test_baerum_runs_its_pilot_and_asker_designs_enkla_jobb(demo, demo_seeding):
    app, first = demo, demo_seeding  # the demo as seeded once in this test process, and what seeding printed
    runner = app.test_cli_runner()
    assert first.exit_code == 0, first.output
    assert "Bærum: the pilot track" in first.output and "Asker: the Enkla jobb track" in first.output
    assert "Bærum: the pilot track" not in runner.invoke(seed_demo).output
    with app.app_context():
        tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
        loaded = app.extensions["dugnad.plugins"]
        assert {slug for slug, t in tenants.items() if loaded.is_enabled("recruitment", t.id)} == {"baerum", "asker"}
        with tenant_context(tenants["baerum"].id):
            names = set(db.session.scalars(select(Candidate.name)))
            assert len(names) == 5
            mentored = db.session.scalar(select(func.count(func.distinct(Placement.candidate_id)))
                                         .where(Placement.mentor_id.is_not(None)))
            assert mentored == 5
            recorded = db.session.scalar(select(func.count()).select_from(Outcome).where(
                Outcome.months == 6, Outcome.recorded_at.is_not(None)))
            assert recorded == 4  # the fifth started later: her six months are not up
        with tenant_context(tenants["asker"].id):
            track = db.session.scalar(select(Track))
            assert track.kind == "simple_jobs"
            assert db.session.scalar(select(func.count()).select_from(Solution)) == 1
            assert db.session.scalar(select(Worksheet.job_title)) == "Servicemedarbeider"


def test_the_coordinator_sees_the_pilot_and_the_step_down_warning(demo):
    app = demo  # the seeded demo, shared with the crawls (seeding itself is tested above)
    client = app.test_client()
    assert client.post("/login", data={"email": "rekruttering@baerum.demo", "password": "dugnad-demo"}).status_code == 302
    overview = client.get("/baerum/recruitment/")
    assert overview.status_code == 200 and "Pilot: fra hurtigløpet til jobb" in overview.text
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "baerum"))
        with tenant_context(tenant.id):
            track_id = db.session.scalar(select(Track.id))
    board = client.get(f"/baerum/recruitment/tracks/{track_id}").text
    assert "Olena Kovalenko" in board and "trappes ned fra 40 % til 30 %" in board  # in Bokmål
