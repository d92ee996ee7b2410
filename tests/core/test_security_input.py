"""Issue 16, "no input makes a 5xx": ids beyond the database's integer, NUL bytes, lone
surrogates, deeply nested JSON, bytes that are not UTF-8 — each gets a 4xx with a message
in the request's language, in the web and the API. And date-times carry their offset."""

from __future__ import annotations

import re

import pytest

from dugnad.extensions import db
from dugnad.participants.models import Participant
from dugnad.tenancy import tenant_context
from tests.core.test_api import API, Api, api, make_token  # noqa: F401
from tests.core.test_accounts import csrf_on

TOO_BIG = "2147483648"  # one past PostgreSQL's integer
BAD_INTS = [TOO_BIG, "99999999999999999999999"]
BAD_STRINGS = ["%00", "a%00b", "%ED%A0%80", "x" * 600, "%FF%FE"]


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_a_nul_byte_in_the_path_is_a_400_without_login(app, world):
    response = app.test_client().get("/%00/", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "characters that cannot be used" in text_of(response)


def test_the_message_is_in_the_requests_language(app, world):
    response = app.test_client().get("/%00/", headers={"Accept-Language": "nb"})
    assert response.status_code == 400
    assert "tegn som ikke kan brukes" in text_of(response)


def test_ids_beyond_an_integer_are_404_in_the_web(client_as, world):
    region, admin = client_as("region"), client_as("alpha_admin")
    assert region.get(f"/region/municipalities/{TOO_BIG}").status_code == 404
    assert admin.get(f"/alpha/participants/{TOO_BIG}").status_code == 404
    assert admin.post(f"/alpha/admin/members/{TOO_BIG}/remove").status_code == 404


def test_ids_beyond_an_integer_are_4xx_in_api_paths_queries_and_bodies(api, app, world):
    token = api.token("alpha_coordinator")
    assert api.call("GET", f"/participants/{TOO_BIG}", token).status_code == 404
    assert api.call("GET", f"/municipalities/{TOO_BIG}", api.token("region", tenant=None)).status_code == 404
    body = {"name": "Kari", "category": "business", "legal_basis": "public_task", "organisation_id": int(TOO_BIG)}
    response = api.call("POST", "/participants/", token, json=body)
    assert 400 <= response.status_code < 500 and response.get_json()["message"]
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        assert db.session.query(Participant).count() == 0  # nothing half-saved
    for query in (f"?organisation_id={TOO_BIG}", f"?process_id={TOO_BIG}", "?q=%00"):
        assert api.call("GET", "/participants/" + query, token).status_code < 500


@pytest.mark.parametrize("body", [
    '{"name": "Kari\\u0000", "category": "business", "legal_basis": "public_task"}',
    '{"name": "\\ud800", "category": "business", "legal_basis": "public_task"}',
    "[" * 10000 + "]" * 10000,
    '{"name": ' * 5000,
    "not json at all",
])
def test_unusable_json_is_a_400_with_a_message(api, body):
    response = api.client.post(API + "/participants/", data=body, content_type="application/json",
                               headers={"Authorization": f"Bearer {api.token('alpha_coordinator')}", "Accept-Language": "en"})
    assert response.status_code == 400
    assert response.get_json()["message"]


def test_bytes_that_are_not_text_in_a_form_get_their_own_message_not_the_csrf_one(app, world):
    client = app.test_client()
    with csrf_on(app):
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text_of(client.get("/login"))).group(1)
        response = client.post("/login", data=f"csrf_token={token}&email=a%FF%FEb&password=x".encode(),
                               content_type="application/x-www-form-urlencoded", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    html = text_of(response)
    assert "not text (UTF-8)" in html and "expired" not in html


def test_a_401_says_what_is_wrong_not_that_something_broke(app, world):
    response = app.test_client().get(API + "/members/", headers={"Accept-Language": "nb"})
    assert response.status_code == 401
    body = response.get_json()
    assert "Noe gikk galt hos oss" not in body["status"]
    assert "Bearer" in body["message"]


def test_api_date_times_carry_their_offset(api, app, world):
    token = api.token("alpha_admin")
    [member, *_] = api.call("GET", "/members/", token).get_json()
    assert re.search(r"(\+00:00|Z)$", member["created_at"]), member["created_at"]


def _web_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/api/") or not rule.arguments:
            continue
        yield rule


def _fill(rule, bad_name: str, bad_value: str) -> str:
    path = rule.rule
    for name, converter in rule._converters.items():
        if name == bad_name:
            value = bad_value
        elif name == "tenant":
            value = "alpha"
        elif type(converter).__name__.endswith("IntConverter") or type(converter).__name__ == "IntegerConverter":
            value = "1"
        else:
            value = "x"
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, path)
    return path


def test_every_web_route_answers_bad_path_values_with_a_4xx(app, world, client_as):
    """Every route's integer and string parameters, fed the values of the report, as a member,
    a municipal admin and the region: never a 5xx."""
    clients = {"admin": client_as("alpha_admin"), "region": client_as("region"), "anonymous": app.test_client()}
    tried, failures = 0, []
    for rule in _web_rules(app):
        for name, converter in rule._converters.items():
            is_int = "Int" in type(converter).__name__
            values = BAD_INTS if is_int else BAD_STRINGS
            for value in values:
                path = _fill(rule, name, value)
                for who, client in clients.items():
                    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                        tried += 1
                        response = client.open(path + "?page=" + TOO_BIG + "&q=%00", method=method,
                                               headers={"Accept-Language": "en"})
                        if response.status_code >= 500:
                            failures.append(f"{method} {path} as {who}: {response.status_code}")
    assert tried > 500
    assert not failures, "\n".join(failures)
