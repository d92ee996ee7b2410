"""The region's pages: municipalities, their plugins, suspension, admins, audit and outbox."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dugnad.accounts.models import AccessToken, Invitation, hash_token
from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.tenancy import Tenant, TenantPlugin, tenant_context
from tests.support import sample_plugin
from tests.support.sample_plugin.models import Note

NEW = {"name": "Nord-Odal", "number": "3414", "slug": ""}


@pytest.fixture(autouse=True)
def _accept_test_addresses(monkeypatch):
    """The fixtures' people use the reserved .test domain; let the e-mail validator accept it."""
    import email_validator

    monkeypatch.setattr(email_validator, "TEST_ENVIRONMENT", True)


@pytest.fixture
def as_(client_as):
    def make(key):
        client = client_as(key)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def region(as_):
    return as_("region")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def tenants(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(Tenant.slug, Tenant.number, Tenant.name).order_by(Tenant.slug))]


def tenant(app, tenant_id: int) -> Tenant:
    with app.app_context():
        row = db.session.get(Tenant, tenant_id)
        db.session.expunge_all()
        return row


def audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return rows


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p[^>]*id="{re.escape(field_id)}-error"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no error shown for {field_id}"
    field = re.search(rf'<(?:input|textarea|select)[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    assert field and f"{field_id}-error" in field.group(0)
    return match.group(1)


def field_value(html: str, field_id: str) -> str | None:
    field = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    assert field, f"no field {field_id}"
    value = re.search(r'value="([^"]*)"', field.group(0))
    return value.group(1) if value else None


def api_token(app, user_id: int, tenant_id: int) -> str:
    secret = f"dgn_test_{user_id}_{tenant_id}"
    with app.app_context():
        db.session.add(AccessToken(user_id=user_id, tenant_id=tenant_id, name="test", token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()
    return secret


def plugin_on(app, tenant_id: int, plugin: str = "sample") -> bool:
    with app.app_context():
        row = db.session.get(TenantPlugin, (tenant_id, plugin))
        return bool(row and row.enabled)


# --- who may see the region's pages -------------------------------------------


def test_a_region_admin_sees_every_municipality(region):
    response = region.get("/region/")
    assert response.status_code == 200
    html = text_of(response)
    assert "Municipalities of the region" in html
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    alpha = next(r for r in rows if ">Alfa<" in r)
    beta = next(r for r in rows if ">Beta<" in r)
    assert "3403" in alpha and "<td>5</td>" in alpha and "Sample notes" in alpha
    assert "3905" in beta and "<td>2</td>" in beta and "Sample notes" in beta


def test_a_municipal_admin_gets_403_on_the_region_pages(app, as_, world):
    client = as_("alpha_admin")
    assert client.get("/region/").status_code == 403
    assert client.get(f"/region/municipalities/{world.tenants['alpha']}").status_code == 403
    assert client.get("/region/audit/").status_code == 403
    assert client.get("/region/outbox/").status_code == 403
    assert client.post("/region/municipalities/new", data=NEW).status_code == 403
    response = client.post(f"/region/municipalities/{world.tenants['beta']}/suspend", data={"suspend-reason": "mine now"})
    assert response.status_code == 403
    assert client.post(f"/region/municipalities/{world.tenants['beta']}/plugins/sample", data={"enabled": "0"}).status_code == 403
    assert len(tenants(app)) == 2
    assert not tenant(app, world.tenants["beta"]).is_suspended
    assert plugin_on(app, world.tenants["beta"])


def test_anonymous_visitors_are_sent_to_log_in(app, world):
    client = app.test_client()
    for path in ("/region/", f"/region/municipalities/{world.tenants['alpha']}", "/region/audit/", "/region/outbox/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location.startswith("/login?next="), path
    assert client.post("/region/municipalities/new", data=NEW).status_code == 302
    assert len(tenants(app)) == 2


# --- creating a municipality --------------------------------------------------


def test_creating_a_municipality(app, region, world):
    form = region.get("/region/municipalities/new")
    assert form.status_code == 200 and "New municipality" in text_of(form)
    response = region.post("/region/municipalities/new", data={"name": "Bærum", "number": " 3201 ", "slug": ""})
    assert response.status_code == 302
    created = tenants(app)
    assert ("baerum", "3201", "Bærum") in created
    with app.app_context():
        new_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "baerum"))
    assert response.location == f"/region/municipalities/{new_id}"
    detail = text_of(region.get(response.location))
    assert "Bærum is created. Invite its admin below." in detail
    assert "/baerum/" in detail and "Nobody is admin yet" in detail
    assert not plugin_on(app, new_id)
    [event] = audit(app, "tenant.created")
    assert event.tenant_id == new_id and event.user_id == world.users["region"]
    assert "Bærum" in text_of(region.get("/region/"))


def test_a_chosen_web_address_is_used(app, region):
    assert region.post("/region/municipalities/new", data={"name": "Kinn (Flora)", "number": "4602", "slug": "kinn"}).status_code == 302
    assert ("kinn", "4602", "Kinn (Flora)") in tenants(app)


@pytest.mark.parametrize("data, field, message", [
    ({"number": "34a3"}, "number", "exactly four digits"),
    ({"number": "340"}, "number", "4"),
    ({"number": "34031"}, "number", "4"),
    ({"number": "9999"}, "number", "9999 does not start with a county number in use"),
    ({"number": "0101"}, "number", "does not start with a county number"),
    ({"slug": "Nord Odal!"}, "slug", "Use lower-case letters a–z, digits and hyphens"),
    ({"slug": "-odal"}, "slug", "Use lower-case letters"),
    ({"slug": "region"}, "slug", "region is reserved by the platform"),
    ({"slug": "admin"}, "slug", "admin is reserved by the platform"),
    ({"name": "Alfa", "slug": "login"}, "slug", "login is reserved"),
    ({"number": "3403"}, "number", "3403 is already used by Alfa"),
    ({"slug": "beta"}, "slug", "beta is already used by Beta"),
    ({"name": "Beta", "slug": ""}, "slug", "beta is already used by Beta"),
    ({"name": ""}, "name", ""),
])
def test_a_wrong_municipality_is_refused_on_its_field_with_the_values_kept(app, region, data, field, message):
    typed = {**NEW, **data}
    response = region.post("/region/municipalities/new", data=typed)
    assert response.status_code == 422
    html = text_of(response)
    assert message in field_error(html, field)
    for name in ("name", "number", "slug"):
        assert (field_value(html, name) or "") == typed[name], name
    assert len(tenants(app)) == 2
    assert audit(app, "tenant.created") == []


def test_several_problems_are_shown_at_once(app, region):
    response = region.post("/region/municipalities/new", data={"name": "X", "number": "9999", "slug": "api"})
    assert response.status_code == 422
    html = text_of(response)
    assert "county number" in field_error(html, "number")
    assert "reserved" in field_error(html, "slug")
    assert len(tenants(app)) == 2


# --- suspending and resuming --------------------------------------------------


def suspend(client, tenant_id: int, reason: str):
    return client.post(f"/region/municipalities/{tenant_id}/suspend", data={"suspend-reason": reason})


def test_suspending_needs_a_reason(app, region, world):
    response = suspend(region, world.tenants["alpha"], "   ")
    assert response.status_code == 422
    assert field_error(text_of(response), "suspend-reason")
    assert not tenant(app, world.tenants["alpha"]).is_suspended
    assert audit(app, "tenant.suspended") == []


def test_a_suspended_municipality_shows_its_members_why(app, region, as_, world):
    response = suspend(region, world.tenants["alpha"], "  Moving to a new data processor agreement  ")
    assert response.status_code == 302
    assert "Alfa is suspended. Nobody can open its pages until you resume it." in text_of(region.get(response.location))
    row = tenant(app, world.tenants["alpha"])
    assert (row.status, row.suspended_reason) == ("suspended", "Moving to a new data processor agreement")
    [event] = audit(app, "tenant.suspended")
    assert event.tenant_id == world.tenants["alpha"] and event.detail["reason"] == "Moving to a new data processor agreement"
    for key in ("alpha_admin", "alpha_member", "both"):
        for path in ("/alpha/", "/alpha/admin/members/", "/alpha/notes/"):
            page = as_(key).get(path)
            assert page.status_code == 403, (key, path)
            html = text_of(page)
            assert "Alfa is suspended for now" in html
            assert "Moving to a new data processor agreement" in html
    # the other municipality is not touched
    assert as_("both").get("/beta/").status_code == 200
    assert as_("beta_admin").get("/beta/admin/members/").status_code == 200
    # the region still sees it, marked as suspended
    assert "suspended" in text_of(region.get(f"/region/municipalities/{world.tenants['alpha']}"))


def test_the_api_refuses_a_suspended_municipalitys_token(app, region, world):
    secret = api_token(app, world.users["alpha_admin"], world.tenants["alpha"])
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/members/", headers=headers).status_code == 200
    suspend(region, world.tenants["alpha"], "Audit in progress")
    response = app.test_client().get("/api/v1/members/", headers={**headers, "Accept-Language": "en"})
    assert response.status_code == 403
    assert "suspended" in response.get_json()["message"]
    assert "Audit in progress" in response.get_json()["message"]
    norwegian = app.test_client().get("/api/v1/members/", headers=headers).get_json()["message"]
    assert norwegian == "Alfa er suspendert: Audit in progress"  # no Accept-Language: Bokmål, as the pages


def test_resuming_opens_the_municipality_again(app, region, as_, world):
    secret = api_token(app, world.users["alpha_admin"], world.tenants["alpha"])
    suspend(region, world.tenants["alpha"], "A pause")
    response = region.post(f"/region/municipalities/{world.tenants['alpha']}/resume")
    assert response.status_code == 302
    assert "Alfa is open again." in text_of(region.get(response.location))
    row = tenant(app, world.tenants["alpha"])
    assert (row.status, row.suspended_reason) == ("active", None)
    assert as_("alpha_admin").get("/alpha/").status_code == 200
    assert app.test_client().get("/api/v1/members/", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert [e.tenant_id for e in audit(app, "tenant.resumed")] == [world.tenants["alpha"]]


def test_an_unknown_municipality_is_404(region):
    assert region.get("/region/municipalities/999999").status_code == 404
    assert suspend(region, 999999, "x").status_code == 404


# --- plugins per municipality -------------------------------------------------


def toggle(client, tenant_id: int, on: bool, plugin: str = "sample"):
    return client.post(f"/region/municipalities/{tenant_id}/plugins/{plugin}", data={"enabled": "1" if on else "0"})


def test_switching_a_plugin_off_and_on_for_one_municipality(app, region, as_, world):
    alpha, beta = world.tenants["alpha"], world.tenants["beta"]
    detail = text_of(region.get(f"/region/municipalities/{alpha}"))
    assert "Sample notes" in detail and "Switch off" in detail

    response = toggle(region, alpha, False)
    assert response.status_code == 302 and response.location.endswith("#plugins")
    assert "Sample notes is off for Alfa." in text_of(region.get(response.location))
    assert not plugin_on(app, alpha) and plugin_on(app, beta)
    assert as_("alpha_admin").get("/alpha/notes/").status_code == 404
    assert as_("beta_admin").get("/beta/notes/").status_code == 200
    [off] = audit(app, "tenant.plugin_disabled")
    assert (off.tenant_id, off.detail["plugin"], off.user_id) == (alpha, "sample", world.users["region"])
    assert sample_plugin.calls == [] or all(c[0] != "on_plugin_enabled" for c in sample_plugin.calls)

    response = toggle(region, alpha, True)
    assert "Sample notes is on for Alfa." in text_of(region.get(response.location))
    assert plugin_on(app, alpha)
    assert ("on_plugin_enabled", "alpha", "sample") in sample_plugin.calls
    [on] = audit(app, "tenant.plugin_enabled")
    assert (on.tenant_id, on.detail["plugin"]) == (alpha, "sample")
    # what the plugin did when switched on landed in that municipality only
    with app.app_context():
        with tenant_context(alpha):
            assert "Welcome to notes in Alfa" in db.session.scalars(select(Note.text)).all()
        with tenant_context(beta):
            assert not any("Welcome" in t for t in db.session.scalars(select(Note.text)))
    assert as_("alpha_admin").get("/alpha/notes/").status_code == 200


def test_switching_a_plugin_to_where_it_already_is_changes_nothing(app, region, world):
    assert toggle(region, world.tenants["alpha"], True).status_code == 302
    assert audit(app, "tenant.plugin_enabled") == []
    assert all(c[0] != "on_plugin_enabled" for c in sample_plugin.calls)


def test_an_unknown_plugin_is_404(app, region, world):
    assert toggle(region, world.tenants["alpha"], True, plugin="no-such-plugin").status_code == 404
    assert toggle(region, world.tenants["alpha"], True, plugin="accounts").status_code == 404  # core, not optional
    with app.app_context():
        # only the switches the world made: one per installed plugin in each municipality
        installed = len(app.extensions["dugnad.plugins"].optional)
        assert db.session.scalar(select(func.count()).select_from(TenantPlugin)) == 2 * installed


# --- admins, name -------------------------------------------------------------


def without_admins(app, world, slug: str) -> int:
    """The municipality as it is when the region has just made it: nobody is admin yet."""
    from dugnad.accounts.models import Membership

    with app.app_context(), tenant_context(world.tenants[slug]):
        for membership in db.session.scalars(select(Membership).where(Membership.role == "admin")):
            db.session.delete(membership)
        db.session.commit()
    return world.tenants[slug]


def test_inviting_a_municipalitys_admin_from_the_region_page(app, region, world):
    beta = without_admins(app, world, "beta")
    response = region.post(f"/region/municipalities/{beta}/invite-admin", data={"invite-email": " Ny.Admin@Beta.test "})
    assert response.status_code == 302
    assert "Invitation sent to Ny.Admin@Beta.test." in text_of(region.get(response.location))
    with app.app_context():
        with tenant_context(beta):
            invitation = db.session.scalar(select(Invitation))
            assert (invitation.email, invitation.role, invitation.invited_by_id) == ("ny.admin@beta.test", "admin", world.users["region"])
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
        assert message.recipient == "ny.admin@beta.test" and message.tenant_id == beta
        assert "Regina Region has invited you to Beta on Dugnad, as Admin." in message.body
        link = re.search(r"http://dugnad\.test(/invitations/\S+)", message.body).group(1)
    client = app.test_client()
    accepted = client.post(link, data={"name": "Ny Admin", "password": "a long enough password", "confirm": "a long enough password"})
    assert accepted.status_code == 302 and accepted.location == "/beta/"
    assert client.get("/beta/admin/members/").status_code == 200
    assert "Ny Admin (ny.admin@beta.test)" in text_of(region.get(f"/region/municipalities/{beta}"))


def test_inviting_an_admin_twice_or_a_member_is_refused_on_the_field(app, region, world):
    beta = without_admins(app, world, "beta")
    region.post(f"/region/municipalities/{beta}/invite-admin", data={"invite-email": "ny@beta.test"})
    again = region.post(f"/region/municipalities/{beta}/invite-admin", data={"invite-email": "ny@beta.test"})
    assert again.status_code == 422
    assert "already been invited" in field_error(text_of(again), "invite-email")
    member = region.post(f"/region/municipalities/{beta}/invite-admin", data={"invite-email": "both@dugnad.test"})
    assert member.status_code == 422
    html = text_of(member)
    assert "both@dugnad.test is already a member of Beta." in field_error(html, "invite-email")
    assert field_value(html, "invite-email") == "both@dugnad.test"
    bad = region.post(f"/region/municipalities/{beta}/invite-admin", data={"invite-email": "not-an-address"})
    assert bad.status_code == 422 and field_error(text_of(bad), "invite-email")
    with app.app_context(), tenant_context(beta):
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1


def test_the_region_cannot_invite_anyone_into_a_municipality_that_has_an_admin(app, region, world):
    """Otherwise a region admin could invite their own address as admin and read the
    municipality's people: the region starts a municipality off, its admins let people in."""
    alpha = world.tenants["alpha"]
    assert "Invite admin" not in text_of(region.get(f"/region/municipalities/{alpha}"))
    response = region.post(f"/region/municipalities/{alpha}/invite-admin", data={"invite-email": "region@dugnad.test"})
    assert response.status_code == 422
    assert "Alfa already has an admin." in field_error(text_of(response), "invite-email")
    with app.app_context():
        with tenant_context(alpha):
            assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_renaming_a_municipality(app, region, world):
    alpha = world.tenants["alpha"]
    response = region.post(f"/region/municipalities/{alpha}/name", data={"rename-name": "  Alfa kommune "})
    assert response.status_code == 302
    assert tenant(app, alpha).name == "Alfa kommune"
    assert "Alfa kommune" in text_of(region.get("/region/"))
    [event] = audit(app, "tenant.renamed")
    assert event.detail == {"old": "Alfa", "new": "Alfa kommune"}
    empty = region.post(f"/region/municipalities/{alpha}/name", data={"rename-name": ""})
    assert empty.status_code == 422
    assert field_error(text_of(empty), "rename-name")
    assert tenant(app, alpha).name == "Alfa kommune"


# --- audit log and outbox -----------------------------------------------------


def test_the_region_audit_log_shows_what_was_done_and_where(app, region, world):
    suspend(region, world.tenants["beta"], "Budget review")
    toggle(region, world.tenants["alpha"], False)
    response = region.get("/region/audit/")
    assert response.status_code == 200
    rows = re.findall(r"<tr>.*?</tr>", text_of(response), re.S)
    suspended = next(r for r in rows if "tenant.suspended" in r)
    assert "Regina Region" in suspended and "Budget review" in suspended and "Beta" in suspended
    disabled = next(r for r in rows if "tenant.plugin_disabled" in r)
    assert "Alfa" in disabled and "sample" in disabled
