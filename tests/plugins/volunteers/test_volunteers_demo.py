"""The demo region: Tønsberg's and Hamar's banks (seed 003), on only where the manifests say."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from dugnad.cli import seed_demo
from dugnad.extensions import db
from dugnad.tenancy import Tenant, tenant_context
from dugnad_volunteers import configuration, matching, needs
from dugnad_volunteers.models import Need, Volunteer

TENANTS = Path(__file__).resolve().parents[3] / "tenants"


def test_the_demo_bank_is_in_tonsberg_and_hamar_only_and_loads_once(demo, demo_seeding):
    app, first = demo, demo_seeding  # the demo as seeded once in this test process, and what seeding printed
    runner = app.test_cli_runner()
    assert first.exit_code == 0, first.output
    assert "demo volunteer bank in Tønsberg" in first.output and "demo volunteer bank in Hamar" in first.output
    assert "demo volunteer bank" not in runner.invoke(seed_demo).output
    with app.app_context():
        tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
        loaded = app.extensions["dugnad.plugins"]
        with_bank = {slug for slug, t in tenants.items() if loaded.is_enabled("volunteers", t.id)}
        assert with_bank == {"tonsberg", "hamar"}
        with tenant_context(tenants["tonsberg"]):
            need = db.session.scalar(select(Need).where(Need.title == "Følge enslig mindreårig til fastlegen"))
            match = matching.suggest(need, configuration.get_role(need.role_id))
            assert [s.volunteer.name for s in match.suggestions] == ["Yonas Tesfay"]
            assert "Selam Gebremedhin" in [n.name for n in match.near_misses]
            names = set(db.session.scalars(select(Volunteer.name)))
            assert {"Amina Hassan", "Mariam Haidari", "Olena Kovalenko"} <= names
            assert needs.need_rows()[0].need.status in ("open", "filled")
        with tenant_context(tenants["kinn"]):
            assert db.session.scalars(select(Volunteer)).all() == []


def test_the_volunteer_coordinator_can_log_in_and_see_the_bank(demo):
    app = demo  # the seeded demo, shared with the crawls (seeding itself is tested above)
    client = app.test_client()
    answer = client.post("/login", data={"email": "frivillighetskoordinator@tonsberg.demo", "password": "dugnad-demo"})
    assert answer.status_code == 302
    page = client.get("/tonsberg/volunteers/")
    assert page.status_code == 200 and "Yonas Tesfay" in page.text
    assert client.get("/tonsberg/processes/").status_code == 403  # a volunteer coordinator sees the bank only
    assert client.get("/tonsberg/frivillig/").status_code == 200
