"""The demo region's workshop series: the seed's three pilot municipalities, each at its stage."""

from pathlib import Path

from sqlalchemy import func, select

from dugnad.cli import seed_demo
from dugnad.extensions import db
from dugnad.processes.models import Process
from dugnad.tenancy import Tenant, tenant_context
from dugnad_workshops import polls
from dugnad_workshops.models import Pilot, Solution, Summary, Theme, Workshop

TENANTS = Path(__file__).resolve().parents[3] / "tenants"


def test_the_demo_has_the_seeds_workshops_in_hamar_tonsberg_and_kinn_once(demo, demo_seeding):
    app, first = demo, demo_seeding  # the demo as seeded once in this test process, and what seeding printed
    runner = app.test_cli_runner()
    assert first.exit_code == 0, first.output
    for name in ("Hamar", "Tønsberg", "Kinn (Flora)"):
        assert f"demo workshop series in {name}" in first.output
    assert "demo workshop series" not in runner.invoke(seed_demo).output  # a second run adds nothing
    with app.app_context():
        tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
        with tenant_context(tenants["kinn"]):
            assert db.session.scalar(select(func.count()).select_from(Theme)) == 2  # Flora left housing out
            assert {p.status for p in db.session.scalars(select(Pilot))} == {"scaled", "testing", "planned"}
            assert db.session.scalar(select(Process.name)) == "Lokale utviklingsverksteder i Flora"
            assert db.session.scalar(select(func.count()).select_from(Summary).where(Summary.sent_at.is_not(None))) == 2
            ranked, scored = polls.matrix_results(db.session.scalar(select(Process)))
            assert ranked[0].solution.title == "Internasjonal kafé" and scored == 3
        with tenant_context(tenants["tonsberg"]):
            statuses = [w.status for w in db.session.scalars(select(Workshop).order_by(Workshop.number))]
            assert statuses == ["held", "planned"]
            chosen = set(db.session.scalars(select(Solution.title).where(Solution.chosen_at.is_not(None))))
            assert {"Frivillighetskoordinator", "Ressursbank av frivillige"} <= chosen
            first = db.session.scalar(select(Workshop).where(Workshop.number == 1))
            votes, voters = polls.dot_results(first, {})
            assert [(s.title, n) for s, n in votes][:2] == [("Frivillighetskoordinator", 8), ("Ressursbank av frivillige", 7)]
            assert voters == 11 and "Frivillighetskoordinator: 8" in db.session.scalar(select(Summary.body))
        with tenant_context(tenants["baerum"]):
            assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0
    client = app.test_client()
    client.post("/login", data={"email": "fasilitator@tonsberg.demo", "password": "dugnad-demo"})
    with app.app_context(), tenant_context(tenants["tonsberg"]):
        second = db.session.scalar(select(Workshop.id).where(Workshop.number == 2))
    page = client.get(f"/tonsberg/workshops/{second}/tables")
    assert page.status_code == 200 and "your table" in page.get_data(as_text=True).replace("ditt bord", "your table")
