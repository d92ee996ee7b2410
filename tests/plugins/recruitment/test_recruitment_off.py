"""Where the region has recruitment switched off, nothing of it shows and every page and API
resource answers 404 — while it keeps working next door."""

from __future__ import annotations

import re

from dugnad.accounts.models import AccessToken, hash_token
from dugnad.sdk import db
from tests.plugins.recruitment.recruitment_support import add_candidate, in_tenant, pilot  # noqa: F401

TOKEN = "dgn_alpha-recruiter-recruitment"


def _fill(rule: str, values: dict) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: str(values.get(m.group(2), 1)), rule)


def test_nothing_shows_and_every_route_answers_404(app, world, pilot, client_as):
    amina = add_candidate(pilot, opening="kitchen")
    with in_tenant(app, pilot.tenant_id):
        db.session.add(AccessToken(user_id=pilot.users["recruiter"], tenant_id=pilot.tenant_id, name="t",
                                   token_hash=hash_token(TOKEN), prefix=TOKEN[:10]))
        db.session.commit()
    recruiter = client_as("recruiter")
    assert "/alpha/recruitment/" in recruiter.get("/alpha/").text
    answer = client_as("region").post(f"/region/municipalities/{world.tenants['alpha']}/plugins/recruitment",
                                      data={"enabled": "0"})
    assert answer.status_code == 302
    dashboard = recruiter.get("/alpha/").text
    assert "/alpha/recruitment/" not in dashboard and "recruitment/widget" not in dashboard
    assert "recruitment_track" not in recruiter.get("/alpha/processes/new").text
    values = {"tenant": "alpha", "candidate_id": amina, "track_id": pilot.track_id}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not (rule.endpoint.startswith("recruitment.") or rule.rule.startswith("/api/v1/recruitment")):
            continue
        url = _fill(rule.rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if url.startswith("/api/"):
                answer = app.test_client().open(url, method=method, json={}, headers={"Authorization": f"Bearer {TOKEN}"})
            else:
                answer = recruiter.open(url, method=method, data={})
            assert answer.status_code == 404, f"{method} {url} answered {answer.status_code}"
            checked += 1
    assert checked > 40


def test_it_keeps_working_in_the_municipality_next_door(app, world, pilot, client_as):
    client_as("region").post(f"/region/municipalities/{world.tenants['beta']}/plugins/recruitment", data={"enabled": "0"})
    assert client_as("recruiter").get("/alpha/recruitment/").status_code == 200


def test_the_api_is_in_the_openapi_document(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/recruitment/tracks/", "/api/v1/recruitment/openings/", "/api/v1/recruitment/candidates/",
                 "/api/v1/recruitment/candidates/{candidate_id}/stage-changes",
                 "/api/v1/recruitment/candidates/{candidate_id}/placements/{placement_id}/funding",
                 "/api/v1/recruitment/candidates/{candidate_id}/outcomes/{outcome_id}"):
        assert path in paths, path
