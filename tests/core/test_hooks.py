"""Every hook is documented in the README's plugin guide with its exact signature,
and every hook does what the guide says (exercised through the sample plugin)."""

import inspect
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from dugnad import hookspecs
from dugnad.extensions import db
from dugnad.plugins import Plugins, job_name
from dugnad.tenancy import Tenant, tenant_context
from tests.support import sample_plugin

README = Path(__file__).resolve().parents[2] / "README.md"
HOOKS = {name: fn for name, fn in vars(hookspecs).items() if hasattr(fn, "dugnad_spec")}


def test_every_hook_is_in_the_plugin_guide_with_its_exact_signature():
    guide = README.read_text(encoding="utf-8").split("## Plugin guide", 1)[1]
    documented = dict(re.findall(r"^#### `(\w+)\(([^)]*)\)`", guide, re.MULTILINE))
    expected = {name: ", ".join(inspect.signature(fn).parameters) for name, fn in HOOKS.items()}
    assert documented == expected


def test_the_sample_plugin_implements_every_hook():
    implemented = {name for name in HOOKS if hasattr(getattr(sample_plugin, name, None), "dugnad_impl")}
    assert implemented == set(HOOKS)


def test_a_misspelt_hook_fails_at_boot():
    import types

    from dugnad.hookspecs import hookimpl

    broken = types.ModuleType("broken_plugin")
    broken.register_modles = hookimpl(lambda: [])
    with pytest.raises(Exception, match="register_modles"):
        Plugins(extra=[broken])


def test_boot_time_hooks_fill_the_registry(app):
    registry = app.extensions["dugnad.plugins"].registry
    from tests.support.sample_plugin.models import Note

    assert Note in registry.models
    assert any(path.endswith("sample_plugin/migrations/versions") for path in registry.migrations)
    assert any(path.endswith("sample_plugin/templates") for path in registry.template_dirs)
    assert registry.permissions["notes.write"].roles == ("admin", "coordinator", "observer")
    assert registry.roles["observer"].label == "Observer"
    assert registry.settings["notes_motto"].default == "Write it down"
    assert [p.key for p in registry.process_templates["sample"].phases] == ["a", "b"]
    assert registry.poll_methods["sample_yes_no"].tally([True, False, True], []) == {"yes": 2}
    assert registry.metrics["sample.notes"].better == "higher"
    assert job_name(sample_plugin.count_notes) in registry.jobs
    assert [(plugin, s.cron) for plugin, s in registry.schedules if plugin == "sample"] == [("sample", "0 6 * * *")]
    assert "sample-hello" in app.cli.commands
    result = app.test_cli_runner().invoke(args=["sample-hello"])
    assert result.output.strip() == "hello from sample"


def test_plugin_blueprints_templates_and_template_vars_serve_a_page(client_as, world):
    page = client_as("alpha_member").get("/alpha/notes/")
    assert page.status_code == 200
    assert "Greetings, Alfa" in page.text  # extra_template_vars
    assert page.text.count('class="note"') == 2


def test_public_mounts_open_without_login(app, world):
    page = app.test_client().get("/alpha/hello/")
    assert page.status_code == 200 and "Hello from Alfa" in page.text
    assert app.test_client().get("/alpha/notes/").status_code == 302  # members only: to login


def test_navigation_and_widgets_come_from_enabled_plugins(client_as, world):
    page = client_as("alpha_member").get("/alpha/")
    assert '<a class="main-nav__link" href="/alpha/notes/"' in page.text
    assert 'hx-get="/alpha/notes/widget"' in page.text
    widget = client_as("alpha_member").get("/alpha/notes/widget", headers={"HX-Request": "true"})
    assert '<span class="note-count">2</span>' in widget.text
    assert "<html" not in widget.text  # only the fragment


def test_settings_schema_appears_on_the_settings_page(client_as, world, app):
    client = client_as("alpha_admin")
    assert "Motto of the notes" in client.get("/alpha/admin/settings/").text
    saved = client.post("/alpha/admin/settings/", data={"notes_motto": "Dugnad!", "population": "31000"})
    assert saved.status_code == 302
    with app.app_context():
        tenant = db.session.get(Tenant, world.tenants["alpha"])
        assert tenant.settings["notes_motto"] == "Dugnad!" and tenant.settings["population"] == 31000


def test_roles_from_plugins_can_be_given(client_as, world, app):
    from dugnad.accounts.models import Membership

    client = client_as("alpha_admin")
    membership_id = world.memberships["alpha_member@alpha"]
    assert client.post(f"/alpha/admin/members/{membership_id}/role", data={f"m{membership_id}-role": "observer"}).status_code == 302
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        assert db.session.get(Membership, membership_id).role == "observer"
    # and the plugin's permission follows the role default
    assert client_as("alpha_member").post("/alpha/notes/", data={"text": "hi"}).status_code == 201


def test_permission_allowed_overrides_role_defaults(client_as, world):
    assert client_as("alpha_coordinator").post("/alpha/notes/", data={"text": "ok"}).status_code == 201
    assert client_as("alpha_readonly").post("/alpha/notes/", data={"text": "no"}).status_code == 403
    assert client_as("alpha_member").post("/alpha/notes/", data={"text": "no"}).status_code == 403


def test_on_plugin_enabled_runs_in_the_municipality(client_as, world, app):
    from tests.support.sample_plugin.models import Note

    region = client_as("region")
    region.post(f"/region/municipalities/{world.tenants['beta']}/plugins/sample", data={"enabled": "0"})
    region.post(f"/region/municipalities/{world.tenants['beta']}/plugins/sample", data={"enabled": "1"})
    assert ("on_plugin_enabled", "beta", "sample") in sample_plugin.calls
    with app.app_context(), tenant_context(world.tenants["beta"]):
        assert "Welcome to notes in Beta" in db.session.scalars(select(Note.text)).all()
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        assert "Welcome to notes in Beta" not in db.session.scalars(select(Note.text)).all()


def test_switching_a_plugin_off_hides_it_in_that_municipality_only(client_as, world):
    region = client_as("region")
    off = region.post(f"/region/municipalities/{world.tenants['alpha']}/plugins/sample", data={"enabled": "0"})
    assert off.status_code == 302
    both = client_as("both")
    alpha_dashboard = both.get("/alpha/").text
    assert "/alpha/notes/" not in alpha_dashboard  # neither navigation nor widget
    for path in ("/alpha/notes/", f"/alpha/notes/{world.notes['alpha'][0]}", "/alpha/notes/widget", "/alpha/hello/"):
        assert both.get(path).status_code == 404, path
    assert both.post("/alpha/notes/", data={"text": "x"}).status_code == 404
    # still there for beta
    assert "/beta/notes/" in both.get("/beta/").text
    assert both.get("/beta/notes/").status_code == 200
    assert ("navigation_items", "alpha") not in sample_plugin.calls
    assert ("navigation_items", "beta") in sample_plugin.calls


def test_core_plugins_cannot_be_switched_off(client_as, world):
    region = client_as("region")
    answer = region.post(f"/region/municipalities/{world.tenants['alpha']}/plugins/dugnad.dashboard.plugin", data={"enabled": "0"})
    assert answer.status_code == 404
    assert client_as("alpha_member").get("/alpha/").status_code == 200


def test_demo_data_runs_where_the_plugin_is_on_and_only_once(app, world, client_as):
    from dugnad.demo import plugin_demo_data
    from tests.support.sample_plugin.models import Note

    client_as("region").post(f"/region/municipalities/{world.tenants['beta']}/plugins/sample", data={"enabled": "0"})
    with app.app_context():
        tenants = db.session.scalars(select(Tenant).order_by(Tenant.slug)).all()
        assert plugin_demo_data(tenants) == ["demo note in Alfa"]
        assert plugin_demo_data(tenants) == []
        with tenant_context(world.tenants["alpha"]):
            assert db.session.scalars(select(Note.text).where(Note.text.like("Demo note%"))).all() == ["Demo note for Alfa"]
        with tenant_context(world.tenants["beta"]):
            assert db.session.scalars(select(Note.text).where(Note.text.like("Demo note%"))).all() == []


def test_a_plugin_brings_its_own_translations(app, world, client_as):
    client = client_as("alpha_member")
    client.post("/language", data={"lang": "nb", "next": "/alpha/"})
    assert "Alle notatene" in client.get("/alpha/").text
    client.post("/language", data={"lang": "en", "next": "/alpha/"})
    assert "All the notes" in client.get("/alpha/").text


def test_process_tabs_come_from_the_plugins_on_there(app, world, client_as):
    from dugnad.processes import service

    process_ids = {}
    with app.app_context():
        for slug in ("alpha", "beta"):
            with tenant_context(world.tenants[slug]):
                process_ids[slug] = service.start_process("blt", f"{slug} process", None).id
                db.session.commit()
    client_as("region").post(f"/region/municipalities/{world.tenants['beta']}/plugins/sample", data={"enabled": "0"})
    alpha = client_as("both").get(f"/alpha/processes/{process_ids['alpha']}/").text
    assert f'href="/alpha/notes/process/{process_ids["alpha"]}"' in alpha and "Notes on the process" in alpha
    assert "Notes on the process" not in client_as("both").get(f"/beta/processes/{process_ids['beta']}/").text
