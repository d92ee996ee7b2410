"""Where the region has switched the plugin off it is invisible and its pages answer 404 —
the data stays, and comes back when it is switched on again."""

from __future__ import annotations

import re

from dugnad.extensions import db
from dugnad_workshops import links
from dugnad_workshops.models import Attendance
from tests.plugins.workshops.workshops_support import build_room, english, in_tenant, text  # noqa: F401


def switch(client_as, world, slug: str, on: bool):
    response = client_as("region").post(f"/region/municipalities/{world.tenants[slug]}/plugins/workshops",
                                        data={"enabled": "1" if on else "0"})
    assert response.status_code == 302


def test_switched_off_the_plugin_is_invisible_and_every_page_is_404(app, english, client_as, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    switch(client_as, world, "alpha", False)
    dashboard = text(client.get("/alpha/"))
    assert "/alpha/workshops/" not in dashboard and "Integration workshops" not in dashboard
    assert "Lokale utviklingsverksteder" not in text(client.get("/alpha/processes/new"))
    overview = text(client.get(f"/alpha/processes/{made.process}/"))
    assert f"/alpha/workshops/series/{made.process}/" not in overview  # no tab
    token = in_tenant(app, made.tenant_id, lambda: links.make(links.ANSWER, db.session.query(Attendance.id).first()[0]))
    ids = {"process_id": made.process, "workshop_id": made.first, "table_id": made.tables[0], "theme_id": made.themes[0],
           "rsvp_token": token}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("workshops.", "workshops_public.")):
            continue
        if set(rule.arguments) - {"tenant"} - set(ids):
            continue
        url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "alpha" if m.group(2) == "tenant" else str(ids[m.group(2)]), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert client.open(url, method=method, data={}).status_code == 404, f"{method} {url}"
            checked += 1
    assert checked >= 25
    assert app.test_client().get(f"/alpha/workshops/answer/{token}").status_code == 404
    # beta still has it
    assert english("beta_admin").get("/beta/workshops/").status_code == 200
    # and switched on again, alpha's series is all there
    switch(client_as, world, "alpha", True)
    assert "Integrering 2026" in text(client.get("/alpha/workshops/"))
    assert "Bodil Bedrift" in text(client.get(f"/alpha/workshops/{made.first}/room"))


def test_switched_off_its_api_answers_404(app, client_as, world):
    from dugnad.accounts.models import AccessToken, hash_token

    made = build_room(app, world)
    secret = "dgn_alpha-coordinator-workshops"
    with app.app_context():
        db.session.add(AccessToken(user_id=world.users["alpha_coordinator"], tenant_id=world.tenants["alpha"], name="t",
                                   token_hash=hash_token(secret), prefix=secret[:10]))
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/workshop-series/", headers=headers).status_code == 200
    switch(client_as, world, "alpha", False)
    assert app.test_client().get("/api/v1/workshop-series/", headers=headers).status_code == 404
    assert app.test_client().get(f"/api/v1/workshops/{made.first}", headers=headers).status_code == 404
