"""The demo region: what `make demo` loads."""

from pathlib import Path

from sqlalchemy import select

from dugnad.accounts.models import User
from dugnad.cli import seed_demo
from dugnad.extensions import db
from dugnad.processes import service
from dugnad.processes.models import Process
from dugnad.tenancy import Tenant, tenant_context

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


def test_the_demo_loads_people_and_processes_once(demo, demo_seeding):
    app, first = demo, demo_seeding  # the demo as seeded once in this test process, and what seeding printed
    runner = app.test_cli_runner()
    assert first.exit_code == 0, first.output
    assert "demo login region@dugnad.demo / dugnad-demo" in first.output
    assert "demo process in Hamar" in first.output
    assert runner.invoke(seed_demo).output.strip() == "demo people already there: nothing added"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "region@dugnad.demo")).is_region_admin
        hamar = db.session.scalar(select(Tenant).where(Tenant.slug == "hamar"))
        with tenant_context(hamar):
            (process,) = db.session.scalars(select(Process).where(Process.template_key == "blt")).all()
            rows = service.process_rows()
            assert next(r for r in rows if r.process.id == process.id).overdue == 1  # the late homework shows on the table cloth
            assert [p.name for p in service.phases_of(process)][:3] == ["Behov", "Løsning", "Test"]
            from dugnad.voting import service as voting

            dots, pilot = sorted(voting.polls_of(process_id=process.id), key=lambda p: p.id)
            counted = voting.results(dots)
            assert (dots.state(), counted.turnout, counted.on_paper) == ("closed", 12, 3)
            assert counted.options[counted.tally.winners[0]].label == "Boskole med frivillige vertsfamilier"
            assert pilot.state() == "open" and pilot.method == "matrix" and voting.results(pilot).turnout == 3
        kinn = db.session.scalar(select(Tenant).where(Tenant.slug == "kinn"))
        with tenant_context(kinn):  # plugins may bring processes of their own there
            assert db.session.scalars(select(Process).where(Process.template_key == "blt")).all() == []


def test_demo_logins_work(demo):
    app = demo  # the seeded demo, shared with the crawls (seeding itself is tested above)
    client = app.test_client()
    answer = client.post("/login", data={"email": "koordinator@dugnad.demo", "password": "dugnad-demo"})
    assert answer.status_code == 302
    assert client.get("/hamar/processes/").status_code == 200
    assert "Bolig og arbeid for flyktninger i Hamar" in client.get("/hamar/processes/").text


def test_the_readme_lists_every_demo_login_the_seeder_prints(demo, demo_seeding):
    import re

    app = demo
    printed = set(re.findall(r"demo login (\S+@\S+) /", demo_seeding.output))
    readme = (TENANTS.parent / "README.md").read_text(encoding="utf-8").split("Demo logins", 1)[1].split("\n\n", 2)[1]
    listed = set(re.findall(r"`(\S+@\S+\.demo)`", readme))
    assert len(printed) >= 9 and printed <= listed
    # the plugins' own demo logins (made by their demo_data hooks) are listed too, and exist
    with app.app_context():
        accounts = set(db.session.scalars(select(User.email)))
    assert listed <= accounts
