"""Where the region has the bank switched off, nothing of it shows and every page,
public form and API resource answers 404 — while it keeps working next door."""

from __future__ import annotations

import re

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.extensions import db
from dugnad_volunteers import links
from dugnad_volunteers.models import Volunteer
from tests.plugins.volunteers.volunteers_support import bank, in_tenant, make_volunteer  # noqa: F401

TOKEN = "dgn_alpha-coordinator-volunteers"


def _switch_off(client_as, world, slug="alpha"):
    answer = client_as("region").post(f"/region/municipalities/{world.tenants[slug]}/plugins/volunteers", data={"enabled": "0"})
    assert answer.status_code == 302


def _fill(rule: str, values: dict) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str(values.get(m.group(2), 1)), rule)


def test_nothing_shows_and_every_route_answers_404(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    with in_tenant(app, world.tenants["alpha"]):
        token = links.me_token(db.session.get(Volunteer, volunteer_id))
        db.session.add(AccessToken(user_id=world.users["alpha_coordinator"], tenant_id=world.tenants["alpha"], name="t",
                                   token_hash=hash_token(TOKEN), prefix=TOKEN[:10]))
        db.session.commit()
    coordinator = client_as("alpha_coordinator")
    assert "/alpha/volunteers/" in coordinator.get("/alpha/").text  # on: in the menu and on the dashboard
    _switch_off(client_as, world)
    dashboard = coordinator.get("/alpha/").text
    assert "/alpha/volunteers/" not in dashboard and "volunteers/widget" not in dashboard
    values = {"tenant": "alpha", "volunteer_id": volunteer_id, "token": token}
    checked = 0
    for rule in app.url_map.iter_rules():
        owner = rule.endpoint.split(".")[0]
        if owner not in ("volunteers", "volunteer_public") and not rule.rule.startswith("/api/v1/volunteer"):
            continue
        url = _fill(rule.rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if url.startswith("/api/"):
                answer = app.test_client().open(url, method=method, json={}, headers={"Authorization": f"Bearer {TOKEN}"})
            else:
                answer = (coordinator if owner == "volunteers" else app.test_client()).open(url, method=method, data={})
            assert answer.status_code == 404, f"{method} {url} answered {answer.status_code}"
            checked += 1
    assert checked > 60


def test_it_keeps_working_in_the_municipality_next_door(app, world, client_as):
    _switch_off(client_as, world, "alpha")
    assert app.test_client().get("/beta/frivillig/").status_code == 200
    assert app.test_client().get("/alpha/frivillig/").status_code == 404
    assert client_as("beta_admin").get("/beta/volunteers/").status_code == 200
