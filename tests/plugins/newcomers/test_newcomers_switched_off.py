"""Where the region has the newcomer service switched off, nothing of it shows and every
page, public form and API resource answers 404 — while it keeps working next door."""

from __future__ import annotations

import re

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.sdk import db
from dugnad_newcomers import links
from dugnad_newcomers.models import Household
from tests.plugins.newcomers.newcomers_support import in_tenant, make_household

TOKEN = "dgn_alpha-admin-newcomers"


def _switch_off(client_as, world, slug="alpha"):
    answer = client_as("region").post(f"/region/municipalities/{world.tenants[slug]}/plugins/newcomers", data={"enabled": "0"})
    assert answer.status_code == 302


def _fill(rule: str, values: dict) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str(values.get(m.group(2), 1)), rule)


def test_nothing_shows_and_every_route_answers_404(app, world, client_as):
    household_id = make_household(app, world.tenants["alpha"], "Ahmed Hassan")
    with in_tenant(app, world.tenants["alpha"]):
        token = links.me_token(db.session.get(Household, household_id))
        db.session.add(AccessToken(user_id=world.users["alpha_admin"], tenant_id=world.tenants["alpha"], name="t",
                                   token_hash=hash_token(TOKEN), prefix=TOKEN[:10]))
        db.session.commit()
    admin = client_as("alpha_admin")
    dashboard = admin.get("/alpha/").text
    assert "/alpha/newcomers/" in dashboard and "newcomers/widget" in dashboard  # on: menu and dashboard
    assert app.test_client().get(f"/api/v1/newcomer-households/{household_id}",
                                 headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    _switch_off(client_as, world)
    dashboard = admin.get("/alpha/").text
    assert "/alpha/newcomers/" not in dashboard and "newcomers/widget" not in dashboard
    values = {"tenant": "alpha", "household_id": household_id, "token": token}
    checked = 0
    for rule in app.url_map.iter_rules():
        owner = rule.endpoint.split(".")[0]
        if owner not in ("newcomers", "newcomer_public") and not rule.rule.startswith("/api/v1/newcomer"):
            continue
        url = _fill(rule.rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if url.startswith("/api/"):
                answer = app.test_client().open(url, method=method, json={}, headers={"Authorization": f"Bearer {TOKEN}"})
            else:
                answer = (admin if owner == "newcomers" else app.test_client()).open(url, method=method, data={})
            assert answer.status_code == 404, f"{method} {url} answered {answer.status_code}"
            checked += 1
    assert checked > 25
    # the template is not offered either
    assert "Etablere en tilflyttertjeneste" not in admin.get("/alpha/processes/new").text


def test_it_keeps_working_in_the_municipality_next_door(app, world, client_as):
    _switch_off(client_as, world, "alpha")
    assert app.test_client().get("/beta/ny-her/").status_code == 200
    assert app.test_client().get("/alpha/ny-her/").status_code == 404
    assert client_as("beta_admin").get("/beta/newcomers/").status_code == 200
    assert "Etablere en tilflyttertjeneste" in client_as("beta_admin").get("/beta/processes/new").text
