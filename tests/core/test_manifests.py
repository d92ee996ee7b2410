"""The region as files: ``dugnad tenants sync <folder>``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from dugnad.accounts.models import User
from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.tenancy import Tenant, TenantPlugin, tenant_context
from tests.support import sample_plugin
from tests.support.sample_plugin.models import Note

DEMO = Path(__file__).resolve().parents[2] / "tenants"

REGION = """
name = "Testregionen"
[[admins]]
email = "Region@Example.no"
name = "Regionkontoret"
"""

HAMAR = """
name = "Hamar"
number = "3403"
plugins = ["sample"]
[settings]
contact_email = "post@hamar.kommune.no"
"""

TONSBERG = """
name = "Tønsberg"
number = "3905"
plugins = []
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


def sync(app, folder: Path):
    return app.test_cli_runner().invoke(args=["tenants", "sync", str(folder)])


def lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def state(app) -> dict[str, tuple]:
    """slug -> (name, number, status, reason, enabled plugins, settings)."""
    with app.app_context():
        plugins: dict[int, set[str]] = {}
        for row in db.session.scalars(select(TenantPlugin).where(TenantPlugin.enabled)):
            plugins.setdefault(row.tenant_id, set()).add(row.plugin)
        return {
            t.slug: (t.name, t.number, t.status, t.suspended_reason, plugins.get(t.id, set()), t.settings)
            for t in db.session.scalars(select(Tenant))
        }


def users(app) -> dict[str, tuple]:
    with app.app_context():
        return {u.email: (u.name, u.is_region_admin, u.password_hash) for u in db.session.scalars(select(User))}


KINN = """
name = "Kinn"
number = "4602"
"""


@pytest.fixture
def world_folder(tmp_path):
    """A folder that fits beside the fixtures' municipalities (alpha 3403, beta 3905)."""
    return write(tmp_path / "region", {"region.toml": REGION, "kinn.toml": KINN})


@pytest.fixture
def folder(tmp_path):
    return write(tmp_path / "tenants", {"region.toml": REGION, "hamar.toml": HAMAR, "tonsberg.toml": TONSBERG})


def test_the_first_run_creates_municipalities_plugins_and_region_admins(app, folder):
    result = sync(app, folder)
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        "created region admin region@example.no",
        "created hamar (plugins: sample)",
        "created tonsberg",
        "changes applied",
    ]
    assert state(app) == {
        "hamar": ("Hamar", "3403", "active", None, {"sample"}, {"contact_email": "post@hamar.kommune.no"}),
        "tonsberg": ("Tønsberg", "3905", "active", None, set(), {}),
    }
    assert users(app) == {"region@example.no": ("Regionkontoret", True, None)}
    # switching the plugin on ran its hook, inside that municipality
    assert ("on_plugin_enabled", "hamar", "sample") in sample_plugin.calls
    with app.app_context():
        hamar = db.session.scalar(select(Tenant.id).where(Tenant.slug == "hamar"))
        with tenant_context(hamar):
            assert db.session.scalars(select(Note.text)).all() == ["Welcome to notes in Hamar"]
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.tenant_id == hamar)).all()
        assert {"tenant.created", "tenant.plugin_enabled"} <= set(actions)


def test_the_second_run_reports_no_changes(app, folder):
    sync(app, folder)
    before = state(app), users(app)
    result = sync(app, folder)
    assert result.exit_code == 0, result.output
    assert lines(result) == ["unchanged hamar", "unchanged tonsberg", "no changes"]
    assert (state(app), users(app)) == before


def test_a_changed_manifest_reports_exactly_what_changed(app, folder):
    sync(app, folder)
    write(folder, {
        "hamar.toml": """
            name = "Hamar kommune"
            number = "3403"
            plugins = []
            [settings]
            contact_email = "post@hamar.kommune.no"
            population = 32000
        """,
    })
    result = sync(app, folder)
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        "updated hamar: name 'Hamar' → 'Hamar kommune', settings, -sample",
        "unchanged tonsberg",
        "changes applied",
    ]
    hamar = state(app)["hamar"]
    assert hamar == ("Hamar kommune", "3403", "active", None, set(),
                     {"contact_email": "post@hamar.kommune.no", "population": 32000})
    assert state(app)["tonsberg"][4] == set()
    write(folder, {"tonsberg.toml": TONSBERG.replace("plugins = []", 'plugins = ["sample"]')})
    assert lines(sync(app, folder)) == ["updated tonsberg: +sample", "unchanged hamar", "changes applied"]
    assert state(app)["tonsberg"][4] == {"sample"}


def test_an_existing_user_becomes_region_admin(app, world_folder, world):
    write(world_folder, {"region.toml": REGION.replace("Region@Example.no", "admin@alpha.test")})
    result = sync(app, world_folder)
    assert result.exit_code == 0, result.output
    assert "updated region admin admin@alpha.test" in lines(result)
    name, is_region_admin, password_hash = users(app)["admin@alpha.test"]
    assert (name, is_region_admin) == ("Alma Admin", True)
    assert password_hash  # the account is otherwise untouched


def test_a_region_admin_from_the_manifest_sets_a_password_through_the_reset_link(app, folder, monkeypatch):
    import re

    import email_validator

    from dugnad.notifications import OutboxMessage

    monkeypatch.setattr(email_validator, "TEST_ENVIRONMENT", True)
    sync(app, folder)
    client = app.test_client()
    assert client.post("/login", data={"email": "region@example.no", "password": "anything at all"}).status_code == 422
    client.post("/password/forgot", data={"email": "region@example.no"})
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body))
    link = re.search(r"http://dugnad\.test(/\S+)", body).group(1)
    client.post(link, data={"password": "the region's own passphrase", "confirm": "the region's own passphrase"})
    response = client.post("/login", data={"email": "region@example.no", "password": "the region's own passphrase"})
    assert response.status_code == 302 and response.location == "/region/"


def test_municipalities_not_in_the_folder_are_reported_and_left_alone(app, world_folder, world):
    before = state(app)
    result = sync(app, world_folder)
    assert result.exit_code == 0, result.output
    assert "created kinn" in lines(result)
    assert "not in manifests (left alone) alpha" in lines(result)
    assert "not in manifests (left alone) beta" in lines(result)
    after = state(app)
    assert after["alpha"] == before["alpha"] and after["beta"] == before["beta"]


def test_a_suspended_status_suspends_and_active_resumes(app, folder):
    sync(app, folder)
    write(folder, {"tonsberg.toml": TONSBERG + 'status = "suspended"\nsuspended_reason = "Merging with Re"\n'})
    result = sync(app, folder)
    assert "updated tonsberg: status → suspended" in lines(result)
    assert state(app)["tonsberg"][2:4] == ("suspended", "Merging with Re")
    write(folder, {"tonsberg.toml": TONSBERG + 'status = "suspended"\nsuspended_reason = "Merged with Re on 1 January"\n'})
    result = sync(app, folder)
    assert "updated tonsberg: suspended reason → 'Merged with Re on 1 January'" in lines(result)
    assert state(app)["tonsberg"][2:4] == ("suspended", "Merged with Re on 1 January")
    write(folder, {"tonsberg.toml": TONSBERG})
    result = sync(app, folder)
    assert "updated tonsberg: status → active" in lines(result)
    assert state(app)["tonsberg"][2:4] == ("active", None)


def test_a_new_municipality_can_start_suspended(app, folder):
    write(folder, {"tonsberg.toml": TONSBERG + 'status = "suspended"\n'})
    result = sync(app, folder)
    assert result.exit_code == 0, result.output
    assert state(app)["tonsberg"][2] == "suspended"
    assert state(app)["tonsberg"][3]  # a default reason people can read


def test_the_slug_defaults_to_the_file_name_but_can_be_set(app, folder):
    write(folder, {"tonsberg.toml": TONSBERG + 'slug = "tonsberg-kommune"\n'})
    sync(app, folder)
    assert set(state(app)) == {"hamar", "tonsberg-kommune"}


BAD = {
    "broken.toml": ('name = "Broken\nnumber = 3403', "broken.toml: not valid TOML"),
    "badnumber.toml": ('name = "Bad"\nnumber = "34x1"', "badnumber.toml: A municipality number has exactly four digits"),
    "county.toml": ('name = "County"\nnumber = "9901"', "county.toml: 9901 does not start with a county number"),
    "intnumber.toml": ('name = "Int"\nnumber = 3420', "intnumber.toml: 'number' must be a string"),
    "plugin.toml": ('name = "Plugin"\nnumber = "3411"\nplugins = ["sample", "teleport"]', "plugin.toml: plugin 'teleport' is not installed"),
    "unknown.toml": ('name = "Unknown"\nnumber = "3412"\ncolour = "blue"', "unknown.toml: unknown keys ['colour']"),
    "dupslug.toml": ('name = "Dup slug"\nnumber = "3413"\nslug = "hamar"', "slug hamar is also used by"),
    "dupnumber.toml": ('name = "Dup number"\nnumber = "3905"', "number 3905 is also used by"),
    "Bad_Slug.toml": ('name = "Bad slug"\nnumber = "3414"', "Bad_Slug.toml: Use lower-case letters"),
    "region.toml": (REGION + '[[admins]]\nemail = "nobody"\n', "region.toml: admin without a valid email"),
    "status.toml": ('name = "Status"\nnumber = "3415"\nstatus = "paused"', "status.toml: status must be 'active' or 'suspended'"),
}


def test_an_invalid_folder_applies_nothing_and_lists_every_problem(app, folder):
    write(folder, {name: content for name, (content, _) in BAD.items()})
    result = sync(app, folder)
    assert result.exit_code != 0
    assert "nothing applied" in result.output
    for name, (_, problem) in BAD.items():
        assert problem in result.output, name
    assert "Traceback" not in result.output
    assert state(app) == {} and users(app) == {}


@pytest.mark.parametrize("name", sorted(BAD))
def test_one_invalid_manifest_stops_the_valid_ones_too(app, folder, name):
    content, problem = BAD[name]
    write(folder, {name: content})
    result = sync(app, folder)
    assert result.exit_code != 0
    assert problem in result.output
    assert state(app) == {} and users(app) == {}


@pytest.mark.parametrize("content, problem", [
    ('name = "X"\nnumber = "3416"\nslug = 7', "'slug' must be a string"),
    ('name = "X"\nnumber = "3416"\nplugins = "sample"', "'plugins' must be a list"),
    ('name = "X"\nnumber = "3416"\nsettings = "none"', "'settings' must be a table"),
    ('name = "X"\nnumber = "3416"\n[settings]\ncontact_emial = "x@y.no"', "unknown settings ['contact_emial']"),
    ('name = ""\nnumber = "3416"', "'name' must not be empty"),
    ('name = "X"\nnumber = "3416"\nsuspended_reason = 5', "'suspended_reason' must be a string"),
])
def test_wrongly_typed_values_are_problems_not_crashes(app, folder, content, problem):
    write(folder, {"odd.toml": content})
    result = sync(app, folder)
    assert result.exit_code == 1, result.output
    assert f"odd.toml: {problem}" in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert state(app) == {}


@pytest.mark.parametrize("region, problem", [
    ('admins = "region@example.no"', "region.toml: 'admins' must be a list of tables"),
    ('admins = ["region@example.no"]', "region.toml: 'admins' must be a list of tables"),
    ('nme = "typo"', "region.toml: unknown keys ['nme']"),
])
def test_a_wrong_region_file_is_a_problem_not_a_crash(app, folder, region, problem):
    write(folder, {"region.toml": region})
    result = sync(app, folder)
    assert result.exit_code == 1, result.output
    assert problem in result.output
    assert state(app) == {} and users(app) == {}


def test_a_number_taken_by_a_municipality_outside_the_folder_applies_nothing(app, world_folder, world):
    write(world_folder, {"hamar.toml": HAMAR})  # alpha has 3403
    result = sync(app, world_folder)
    assert result.exit_code == 1
    assert "hamar.toml: number 3403 belongs to alpha in the database" in result.output
    assert set(state(app)) == {"alpha", "beta"}
    assert "region@example.no" not in users(app)


def test_renumbering_to_a_number_taken_outside_the_folder_applies_nothing(app, world_folder, world):
    assert sync(app, world_folder).exit_code == 0
    write(world_folder, {"kinn.toml": 'name = "Kinn II"\nnumber = "3905"\n'})  # beta has 3905
    result = sync(app, world_folder)
    assert result.exit_code == 1, result.output
    assert "kinn.toml: number 3905 belongs to beta in the database" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert state(app)["kinn"][:2] == ("Kinn", "4602")


def test_a_missing_folder_is_an_error(app, tmp_path):
    result = sync(app, tmp_path / "nowhere")
    assert result.exit_code != 0
    assert "nowhere" in result.output


def test_the_demo_region_syncs_cleanly(app):
    result = sync(app, DEMO)
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("changes applied")
    slugs = {p.stem for p in DEMO.glob("*.toml")} - {"region"}
    assert set(state(app)) == slugs
    assert any(is_admin for _, is_admin, _ in users(app).values())
    again = sync(app, DEMO)
    assert again.exit_code == 0
    assert lines(again) == [f"unchanged {slug}" for slug in sorted(slugs)] + ["no changes"]
