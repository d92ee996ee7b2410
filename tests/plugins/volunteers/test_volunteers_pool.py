"""The regional pool's consent boundary: only volunteers who said yes to helping
neighbours, approved, not on a break or deleted, of municipalities where the bank is on —
seen by the region admin and by coordinators of municipalities where it is on, without
contact details; asking goes by e-mail through the volunteer's own municipality."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dugnad.accounts.models import Membership
from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.clock import today
from dugnad.tenancy import Tenant, tenant_context
from dugnad_volunteers import links
from dugnad_volunteers.models import Volunteer
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    beta_bank,
    in_tenant,
    make_volunteer,
    messages,
)


@pytest.fixture
def pool(app, world, bank, beta_bank):
    """Beta's volunteers, in every state; alpha's coordinator looks at the pool."""
    made = {
        "shared": make_volunteer(beta_bank, "Helga Shared", regional=True, email="helga@beta.test",
                                 languages=(("uk", 4), ("no", 3)), certificate_for=("escort",)),
        "private": make_volunteer(beta_bank, "Petter Private", email="petter@beta.test"),
        "paused": make_volunteer(beta_bank, "Pia Paused", regional=True, paused=True),
        "pending": make_volunteer(beta_bank, "Pål Pending", regional=True, status="pending"),
        "own": make_volunteer(bank, "Alfred Own", regional=True),
    }
    return made


def _coordinator(client_as):
    client = client_as("alpha_coordinator")
    client.post("/language", data={"lang": "en", "next": "/"})
    return client


def test_a_coordinator_sees_only_consenting_volunteers_of_other_municipalities(app, world, pool, client_as):
    page = _coordinator(client_as).get("/alpha/volunteers/pool")
    assert page.status_code == 200
    assert "Helga, Beta" in page.text and "Ukrainian (mother tongue)" in page.text
    assert "Escort for a minor" in page.text.split("Police certificate for", 1)[1]
    for absent in ("Petter", "Pia", "Pål", "Alfred", "Shared", "helga@beta.test", "912 34 567"):
        assert absent not in page.text, absent
    assert "1 volunteer in the pool" in page.text


def test_the_region_admin_sees_the_pool_of_every_municipality_where_the_bank_is_on(app, world, pool, client_as):
    region = client_as("region")
    region.post("/language", data={"lang": "en", "next": "/"})
    page = region.get("/region/volunteers/")
    assert page.status_code == 200
    assert "Helga, Beta" in page.text and "Alfred, Alfa" in page.text
    assert "helga@beta.test" not in page.text and "Petter" not in page.text
    assert client_as("alpha_admin").get("/region/volunteers/").status_code == 403


def test_withdrawing_consent_or_a_break_takes_them_out_at_once(app, world, pool, client_as):
    with in_tenant(app, world.tenants["beta"]):
        token = links.me_token(db.session.get(Volunteer, pool["shared"]))
    app.test_client().post(f"/beta/frivillig/meg/{token}/region", data={"regional": "0"})
    assert "Helga" not in _coordinator(client_as).get("/alpha/volunteers/pool").text
    app.test_client().post(f"/beta/frivillig/meg/{token}/region", data={"regional": "1"})
    assert "Helga" in _coordinator(client_as).get("/alpha/volunteers/pool").text
    app.test_client().post(f"/beta/frivillig/meg/{token}/pause", data={"until": (today() + timedelta(days=9)).isoformat()})
    assert "Helga" not in _coordinator(client_as).get("/alpha/volunteers/pool").text


def test_a_municipality_with_the_bank_off_neither_shares_nor_sees(app, world, pool, client_as):
    region = client_as("region")
    region.post(f"/region/municipalities/{world.tenants['beta']}/plugins/volunteers", data={"enabled": "0"})
    assert "Helga" not in _coordinator(client_as).get("/alpha/volunteers/pool").text
    assert "Helga" not in region.get("/region/volunteers/").text
    region.post(f"/region/municipalities/{world.tenants['beta']}/plugins/volunteers", data={"enabled": "1"})
    region.post(f"/region/municipalities/{world.tenants['alpha']}/plugins/volunteers", data={"enabled": "0"})
    assert _coordinator(client_as).get("/alpha/volunteers/pool").status_code == 404
    assert _coordinator(client_as).post("/alpha/volunteers/pool/ask", data={}).status_code == 404


def test_a_suspended_municipality_shares_nobody(app, world, pool, client_as):
    with app.app_context():
        db.session.get(Tenant, world.tenants["beta"]).status = "suspended"
        db.session.commit()
    assert "Helga" not in _coordinator(client_as).get("/alpha/volunteers/pool").text


def test_asking_sends_an_email_through_the_home_municipality_and_is_logged_in_both(app, world, pool, client_as):
    client = _coordinator(client_as)
    empty = client.post("/alpha/volunteers/pool/ask", data={"municipality": str(world.tenants["beta"]),
                                                            "volunteer": str(pool["shared"]), "message": ""})
    assert empty.status_code == 422 and "Write what you need help with" in empty.text
    answer = client.post("/alpha/volunteers/pool/ask", data={
        "municipality": str(world.tenants["beta"]), "volunteer": str(pool["shared"]),
        "message": "Ukrainian family to the GP in Alfa on Friday at 9."})
    assert answer.status_code == 302
    (mail,) = messages(app, "volunteer-pool-request")
    assert mail.recipient == "helga@beta.test" and mail.tenant_id == world.tenants["beta"]
    assert "Ukrainian family to the GP in Alfa" in mail.body and "coordinator@alpha.test" in mail.body
    with app.app_context():
        logged = {e.tenant_id for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "volunteers.pool_asked"))}
        assert logged == {world.tenants["alpha"], world.tenants["beta"]}


@pytest.mark.parametrize("who", ["private", "paused", "pending", "own"])
def test_asking_someone_outside_the_pool_is_refused(app, world, pool, client_as, who):
    tenant = world.tenants["alpha"] if who == "own" else world.tenants["beta"]
    answer = _coordinator(client_as).post("/alpha/volunteers/pool/ask", data={
        "municipality": str(tenant), "volunteer": str(pool[who]), "message": "Can you help?"})
    assert answer.status_code == 422 and "no longer in the regional pool" in answer.text
    assert messages(app, "volunteer-pool-request") == []


def test_a_member_without_the_pool_permission_cannot_see_it(app, world, pool, client_as):
    assert client_as("alpha_member").get("/alpha/volunteers/pool").status_code == 403
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        assert db.session.scalar(select(Membership).where(Membership.user_id == world.users["alpha_member"])).role == "member"
