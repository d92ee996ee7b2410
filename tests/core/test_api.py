"""The JSON API under /api/v1/ as a client program meets it: the OpenAPI document,
personal access tokens (what lets a call in and what does not), the members and
invitations of the token's municipality, and the region's municipalities."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from dugnad.accounts.models import AccessToken, Invitation, Membership, User, hash_token, new_token
from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.tenancy import Tenant
from dugnad.clock import utcnow
from tests.conftest import PEOPLE
from tests.support.context import in_tenant

API = "/api/v1"


# --- helpers -----------------------------------------------------------------


def make_token(app, user_id: int, tenant_id: int | None, *, expires_at=None, revoked_at=None) -> str:
    """A personal access token stored the way the profile page stores one (sha256 of the secret)."""
    secret = "dgn_" + new_token()[0]
    with app.app_context():
        db.session.add(
            AccessToken(user_id=user_id, tenant_id=tenant_id, name="test token", token_hash=hash_token(secret),
                        prefix=secret[:10], expires_at=expires_at, revoked_at=revoked_at)
        )
        db.session.commit()
        db.session.remove()
    return secret


class Api:
    """A client program: sends a bearer token, reads JSON, asks for English messages."""

    def __init__(self, app, world):
        self.app, self.world = app, world
        self.client = app.test_client()

    def token(self, key: str, tenant: str | None = "alpha", **kwargs) -> str:
        tenant_id = None if tenant is None else self.world.tenants[tenant]
        return make_token(self.app, self.world.users[key], tenant_id, **kwargs)

    def call(self, method: str, path: str, token: str | None, json=None, headers=None):
        headers = dict(headers or {})
        headers.setdefault("Accept-Language", "en")
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(API + path, method=method, json=json, headers=headers)


@pytest.fixture
def api(app, world):
    return Api(app, world)


def roles_in(app, tenant_id: int) -> dict[str, str]:
    """email -> role of everybody in the municipality, read straight from the database."""
    return in_tenant(app, tenant_id, lambda: {
        m.user.email: m.role for m in db.session.scalars(select(Membership)).all()
    })


def assert_json_error(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == status
    assert body["message"], body
    for word in words:
        assert word.lower() in body["message"].lower(), body
    return body


# --- the OpenAPI document ----------------------------------------------------


def _resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        assert part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_openapi_document_describes_every_api_path_with_bearer_tokens(app, world):
    response = app.test_client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    spec = response.get_json()

    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"] == "v1"
    assert spec["components"]["securitySchemes"]["token"] == {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"token": []}]

    # every route the app serves under /api/v1/ (apart from this document) is described
    served = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule): rule.methods - {"HEAD", "OPTIONS"}
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API + "/") and not rule.rule.endswith("openapi.json")
    }
    assert {f"{API}/municipalities/", f"{API}/municipalities/{{tenant_id}}", f"{API}/members/",
            f"{API}/members/{{membership_id}}", f"{API}/invitations/"} <= set(served)
    assert set(spec["paths"]) == set(served)
    for path, methods in served.items():
        described = spec["paths"][path]
        assert {m.upper() for m in described if m != "parameters"} == methods, path
        declared = {p["name"] for p in described.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), path
        for method, operation in described.items():
            if method == "parameters":
                continue
            assert operation["summary"], (path, method)
            assert any(code.startswith("2") for code in operation["responses"]), (path, method)

    # valid structure: every reference points at something in the document
    for ref in _refs(spec):
        _resolve(spec, ref)


# --- tokens: what gets in, what does not ---------------------------------------


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer    ", "Basic dXNlcjpwYXNz", "Token abc", "dgn_abc"])
def test_a_missing_or_malformed_authorization_header_is_401(api, header):
    headers = {} if header is None else {"Authorization": header}
    response = api.call("GET", "/members/", None, headers=headers)
    assert_json_error(response, 401, "Bearer")


def test_an_unknown_token_is_401(api):
    assert_json_error(api.call("GET", "/members/", "dgn_not-a-real-token"), 401, "not valid")


def test_a_revoked_token_is_401(api):
    token = api.token("alpha_admin", revoked_at=utcnow() - timedelta(minutes=1))
    assert_json_error(api.call("GET", "/members/", token), 401, "not valid")


def test_an_expired_token_is_401_and_works_until_it_expires(api):
    expired = api.token("alpha_admin", expires_at=utcnow() - timedelta(seconds=1))
    assert_json_error(api.call("GET", "/members/", expired), 401, "not valid")
    later = api.token("alpha_admin", expires_at=utcnow() + timedelta(days=1))
    assert api.call("GET", "/members/", later).status_code == 200


def test_a_token_of_a_deactivated_person_is_401(api, app, world):
    token = api.token("alpha_admin")
    with app.app_context():
        db.session.get(User, world.users["alpha_admin"]).active = False
        db.session.commit()
    assert_json_error(api.call("GET", "/members/", token), 401)


def test_a_municipality_token_cannot_call_the_region_endpoints(api):
    token = api.token("alpha_admin")
    assert_json_error(api.call("GET", "/municipalities/", token), 403, "region")
    response = api.call("POST", "/municipalities/", token, json={"name": "Hamar", "number": "3403"})
    assert_json_error(response, 403)


def test_a_region_admins_municipality_token_is_still_a_municipality_token(api, app, world):
    """Scope is the token's, not the person's: a region admin's token for alpha is not a region token."""
    with app.app_context():
        db.session.get(User, world.users["alpha_admin"]).is_region_admin = True
        db.session.commit()
    assert_json_error(api.call("GET", "/municipalities/", api.token("alpha_admin")), 403)


def test_a_region_token_cannot_call_the_municipality_endpoints(api):
    token = api.token("region", tenant=None)
    assert_json_error(api.call("GET", "/members/", token), 403, "municipality")
    assert_json_error(api.call("POST", "/invitations/", token, json={"email": "x@example.org", "role": "member"}), 403)


def test_a_region_token_of_someone_no_longer_region_admin_is_403(api, app, world):
    token = api.token("region", tenant=None)
    assert api.call("GET", "/municipalities/", token).status_code == 200
    with app.app_context():
        db.session.get(User, world.users["region"]).is_region_admin = False
        db.session.commit()
    assert_json_error(api.call("GET", "/municipalities/", token), 403, "region admin")


def test_a_region_token_held_by_a_non_admin_never_works(api):
    token = api.token("alpha_admin", tenant=None)
    assert_json_error(api.call("GET", "/municipalities/", token), 403)


def test_a_token_of_a_suspended_municipality_is_403_with_the_reason(api, app, world):
    token = api.token("alpha_admin")
    with app.app_context():
        tenant = db.session.get(Tenant, world.tenants["alpha"])
        tenant.status, tenant.suspended_reason = "suspended", "Moving to a new contract"
        db.session.commit()
    body = assert_json_error(api.call("GET", "/members/", token), 403, "suspended")
    assert "Moving to a new contract" in body["message"]
    assert_json_error(api.call("POST", "/invitations/", token, json={"email": "x@example.org", "role": "member"}), 403)
    assert in_tenant(app, world.tenants["alpha"], lambda: db.session.scalars(select(Invitation)).all()) == []


def test_a_token_whose_owner_left_the_municipality_is_403(api, app, world):
    token = api.token("alpha_coordinator")
    assert api.call("GET", "/members/", token).status_code == 200

    def leave():
        db.session.delete(db.session.get(Membership, world.memberships["alpha_coordinator@alpha"]))
        db.session.commit()

    in_tenant(app, world.tenants["alpha"], leave)
    assert_json_error(api.call("GET", "/members/", token), 403, "no longer a member")


def test_a_token_for_one_municipality_does_not_open_another_the_owner_belongs_to(api, world):
    """'both' is in alpha and beta; their alpha token lists alpha's people only."""
    token = api.token("both", tenant="alpha")
    emails = {m["email"] for m in api.call("GET", "/members/", token).get_json()}
    assert PEOPLE["beta_admin"][0] not in emails
    assert PEOPLE["alpha_admin"][0] in emails


def test_last_used_at_is_recorded(api, app):
    token = api.token("alpha_admin")
    before = utcnow()
    assert api.call("GET", "/members/", token).status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == hash_token(token)))
        assert stored.last_used_at is not None and stored.last_used_at >= before - timedelta(seconds=1)
        first = stored.last_used_at
        db.session.remove()
    assert api.call("GET", "/members/", token).status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == hash_token(token)))
        assert stored.last_used_at >= first


def test_a_refused_token_is_not_marked_as_used(api, app):
    token = api.token("alpha_admin", revoked_at=utcnow())
    api.call("GET", "/members/", token)
    with app.app_context():
        stored = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == hash_token(token)))
        assert stored.last_used_at is None


def test_api_responses_never_set_a_session_cookie(api, client_as):
    admin, region = api.token("alpha_admin"), api.token("region", tenant=None)
    responses = [
        api.call("GET", "/members/", admin),
        api.call("GET", "/members/", None),
        api.call("GET", "/members/", "dgn_wrong"),
        api.call("GET", "/municipalities/", admin),
        api.call("PATCH", "/members/999999", admin, json={"role": "member"}),
        api.call("POST", "/invitations/", admin, json={"email": "not-an-address", "role": "member"}),
        api.call("GET", "/municipalities/", region),
        api.client.get(f"{API}/openapi.json"),
    ]
    for response in responses:
        assert "Set-Cookie" not in response.headers, (response.request.path, response.headers.get("Set-Cookie"))
    # a browser that is logged in and also sends a token gets no new cookie either
    browser = client_as("alpha_admin")
    response = browser.get(f"{API}/members/", headers={"Authorization": f"Bearer {admin}"})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    # and the client holds no cookie afterwards: the next call is as anonymous as the first
    assert api.client.get_cookie("session") is None
    assert_json_error(api.call("GET", "/members/", None), 401)


def test_a_logged_in_browser_session_does_not_authenticate_the_api(client_as):
    client = client_as("alpha_admin")
    response = client.get(f"{API}/members/", headers={"Accept-Language": "en"})
    assert_json_error(response, 401)


# --- members -------------------------------------------------------------------


def test_members_lists_only_the_tokens_municipality(api, world):
    response = api.call("GET", "/members/", api.token("alpha_member"))
    assert response.status_code == 200
    people = response.get_json()
    expected = {email: roles["alpha"] for email, _name, _r, roles in PEOPLE.values() if "alpha" in roles}
    assert {p["email"]: p["role"] for p in people} == expected
    assert [p["name"] for p in people] == sorted(p["name"] for p in people)
    assert {p["id"] for p in people} == {v for k, v in world.memberships.items() if k.endswith("@alpha")}

    beta = api.call("GET", "/members/", api.token("beta_admin", tenant="beta")).get_json()
    assert {p["email"] for p in beta} == {PEOPLE["beta_admin"][0], PEOPLE["both"][0]}


def test_one_member_by_id(api, world):
    response = api.call("GET", f"/members/{world.memberships['alpha_member@alpha']}", api.token("alpha_admin"))
    assert response.status_code == 200
    assert response.get_json()["email"] == PEOPLE["alpha_member"][0]
    assert response.get_json()["role"] == "member"


@pytest.mark.parametrize("method,body", [("GET", None), ("PATCH", {"role": "member"}), ("DELETE", None)])
def test_a_member_of_another_municipality_is_404(api, app, world, method, body):
    token = api.token("alpha_admin")
    target = world.memberships["beta_admin@beta"]
    assert_json_error(api.call(method, f"/members/{target}", token, json=body), 404)
    # the same person's membership in their own municipality is not reachable either
    assert_json_error(api.call(method, f"/members/{world.memberships['both@beta']}", token, json=body), 404)
    assert roles_in(app, world.tenants["beta"]) == {PEOPLE["beta_admin"][0]: "admin", PEOPLE["both"][0]: "member"}


def test_an_unknown_member_id_is_404(api):
    assert_json_error(api.call("GET", "/members/999999", api.token("alpha_admin")), 404)


def test_an_admin_changes_a_role(api, app, world):
    target = world.memberships["alpha_member@alpha"]
    response = api.call("PATCH", f"/members/{target}", api.token("alpha_admin"), json={"role": "coordinator"})
    assert response.status_code == 200
    assert response.get_json()["role"] == "coordinator"
    assert roles_in(app, world.tenants["alpha"])[PEOPLE["alpha_member"][0]] == "coordinator"


@pytest.mark.parametrize("key", ["alpha_coordinator", "alpha_member"])
def test_a_non_admin_cannot_change_roles_remove_people_or_invite(api, app, world, key):
    token = api.token(key)
    before = roles_in(app, world.tenants["alpha"])
    target = world.memberships["alpha_member@alpha"]
    assert_json_error(api.call("PATCH", f"/members/{target}", token, json={"role": "admin"}), 403, "admins")
    assert_json_error(api.call("DELETE", f"/members/{target}", token), 403)
    assert_json_error(api.call("POST", "/invitations/", token, json={"email": "x@example.org", "role": "admin"}), 403)
    assert roles_in(app, world.tenants["alpha"]) == before
    assert in_tenant(app, world.tenants["alpha"], lambda: db.session.scalars(select(Invitation)).all()) == []


def test_an_unknown_role_is_422_and_changes_nothing(api, app, world):
    before = roles_in(app, world.tenants["alpha"])
    target = world.memberships["alpha_member@alpha"]
    response = api.call("PATCH", f"/members/{target}", api.token("alpha_admin"), json={"role": "emperor"})
    assert_json_error(response, 422, "role")
    assert roles_in(app, world.tenants["alpha"]) == before


def test_a_patch_without_a_role_is_422_with_field_errors(api, world):
    target = world.memberships["alpha_member@alpha"]
    response = api.call("PATCH", f"/members/{target}", api.token("alpha_admin"), json={})
    body = assert_json_error(response, 422)
    assert "role" in body["errors"]["json"]


def test_demoting_the_last_admin_is_422_and_changes_nothing(api, app, world):
    before = roles_in(app, world.tenants["alpha"])
    target = world.memberships["alpha_admin@alpha"]
    response = api.call("PATCH", f"/members/{target}", api.token("alpha_admin"), json={"role": "member"})
    assert_json_error(response, 422, "at least one admin")
    assert roles_in(app, world.tenants["alpha"]) == before
    # removing the last admin is refused the same way
    assert_json_error(api.call("DELETE", f"/members/{target}", api.token("alpha_admin")), 422, "at least one admin")
    assert roles_in(app, world.tenants["alpha"]) == before


def test_an_admin_can_step_down_once_there_is_another(api, app, world):
    token = api.token("alpha_admin")
    assert api.call("PATCH", f"/members/{world.memberships['alpha_coordinator@alpha']}", token,
                    json={"role": "admin"}).status_code == 200
    assert api.call("PATCH", f"/members/{world.memberships['alpha_admin@alpha']}", token,
                    json={"role": "member"}).status_code == 200
    roles = roles_in(app, world.tenants["alpha"])
    assert roles[PEOPLE["alpha_admin"][0]] == "member" and roles[PEOPLE["alpha_coordinator"][0]] == "admin"
    # and that token no longer manages anything
    assert_json_error(api.call("DELETE", f"/members/{world.memberships['alpha_member@alpha']}", token), 403)


def test_delete_removes_the_person_from_the_municipality_only(api, app, world):
    target = world.memberships["both@alpha"]
    response = api.call("DELETE", f"/members/{target}", api.token("alpha_admin"))
    assert response.status_code == 204
    assert response.get_data() == b""
    assert PEOPLE["both"][0] not in roles_in(app, world.tenants["alpha"])
    assert roles_in(app, world.tenants["beta"])[PEOPLE["both"][0]] == "member"
    assert_json_error(api.call("GET", f"/members/{target}", api.token("alpha_admin")), 404)


# --- invitations ---------------------------------------------------------------


def test_an_invitation_is_created_and_its_mail_goes_to_the_outbox(api, app, world):
    response = api.call("POST", "/invitations/", api.token("alpha_admin"),
                        json={"email": "New.Person@Example.org", "role": "coordinator"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["email"] == "new.person@example.org"
    assert body["role"] == "coordinator" and body["state"] == "pending"

    invitation = in_tenant(app, world.tenants["alpha"], lambda: db.session.get(Invitation, body["id"]))
    assert invitation is not None and invitation.tenant_id == world.tenants["alpha"]
    assert invitation.invited_by_id == world.users["alpha_admin"]
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage)).all()
        assert [(m.kind, m.recipient, m.tenant_id) for m in mail] == [
            ("invitation", "new.person@example.org", world.tenants["alpha"])
        ]
        assert "/invitations/" in mail[0].body
        assert mail[0].status == "held"  # no SMTP in the tests: readable in the outbox page


def test_an_invalid_email_is_422_with_field_errors(api, app, world):
    response = api.call("POST", "/invitations/", api.token("alpha_admin"), json={"email": "not-an-address", "role": "member"})
    body = assert_json_error(response, 422)
    assert "email" in body["errors"]["json"]
    response = api.call("POST", "/invitations/", api.token("alpha_admin"), json={"role": "member"})
    assert "email" in assert_json_error(response, 422)["errors"]["json"]
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_inviting_with_an_unknown_role_or_an_existing_member_is_422(api, app, world):
    token = api.token("alpha_admin")
    assert_json_error(api.call("POST", "/invitations/", token, json={"email": "x@example.org", "role": "emperor"}), 422, "role")
    assert_json_error(api.call("POST", "/invitations/", token, json={"email": PEOPLE["alpha_member"][0], "role": "member"}),
                      422, "already a member")
    assert api.call("POST", "/invitations/", token, json={"email": "x@example.org", "role": "member"}).status_code == 201
    assert_json_error(api.call("POST", "/invitations/", token, json={"email": "X@example.org", "role": "member"}),
                      422, "already been invited")
    assert len(in_tenant(app, world.tenants["alpha"], lambda: db.session.scalars(select(Invitation)).all())) == 1


# --- municipalities (region) -------------------------------------------------


def test_a_region_token_lists_and_reads_municipalities(api, world):
    token = api.token("region", tenant=None)
    listed = api.call("GET", "/municipalities/", token).get_json()
    assert [(m["name"], m["slug"], m["number"], m["status"]) for m in listed] == [
        ("Alfa", "alpha", "3403", "active"), ("Beta", "beta", "3905", "active")
    ]
    assert all("sample" in m["plugins"] for m in listed)
    one = api.call("GET", f"/municipalities/{world.tenants['beta']}", token)
    assert one.status_code == 200 and one.get_json()["slug"] == "beta"
    assert_json_error(api.call("GET", "/municipalities/999999", token), 404)


@pytest.mark.parametrize(
    "payload,field,words",
    [
        ({"name": "Hamar", "number": "12"}, "number", "four digits"),
        ({"name": "Hamar", "number": "9903"}, "number", "county"),
        ({"name": "Hamar", "number": "3403"}, "number", "already used"),  # alpha's number
        ({"name": "Hamar", "number": "3401", "slug": "beta"}, "slug", "already used"),
        ({"name": "Hamar", "number": "3401", "slug": "api"}, "slug", "reserved"),
        ({"name": "Hamar", "number": "3401", "slug": "Not A Slug"}, "slug", "lower-case"),
        ({"name": "   ", "number": "3401"}, "name", "name"),
    ],
)
def test_creating_a_municipality_validates_like_the_web_form(api, app, payload, field, words):
    response = api.call("POST", "/municipalities/", api.token("region", tenant=None), json=payload)
    body = assert_json_error(response, 422, words)
    assert field in body["message"]
    with app.app_context():
        assert sorted(db.session.scalars(select(Tenant.slug))) == ["alpha", "beta"]


def test_creating_a_municipality_without_required_fields_is_422_with_field_errors(api):
    response = api.call("POST", "/municipalities/", api.token("region", tenant=None), json={"name": ""})
    errors = assert_json_error(response, 422)["errors"]["json"]
    assert {"name", "number"} <= set(errors)


def test_a_region_token_creates_a_municipality(api, app):
    response = api.call("POST", "/municipalities/", api.token("region", tenant=None),
                        json={"name": "Nord-Odal", "number": "3414"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["name"], body["number"], body["slug"], body["status"]) == ("Nord-Odal", "3414", "nord-odal", "active")
    with app.app_context():
        tenant = db.session.get(Tenant, body["id"])
        assert (tenant.name, tenant.slug, tenant.number) == ("Nord-Odal", "nord-odal", "3414")
    # and it is listed from now on
    listed = api.call("GET", "/municipalities/", api.token("region", tenant=None)).get_json()
    assert "nord-odal" in [m["slug"] for m in listed]


def test_spaces_around_the_values_are_ignored_as_in_the_web_form(api):
    response = api.call("POST", "/municipalities/", api.token("region", tenant=None),
                        json={"name": " Løten ", "number": " 3412 ", "slug": " loten "})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["name"], body["number"], body["slug"]) == ("Løten", "3412", "loten")


def test_a_municipality_can_be_created_with_a_chosen_slug(api):
    response = api.call("POST", "/municipalities/", api.token("region", tenant=None),
                        json={"name": "Bærum", "number": "3201", "slug": "baerum-kommune"})
    assert response.status_code == 201
    assert response.get_json()["slug"] == "baerum-kommune"


# --- CSRF ------------------------------------------------------------------------


@pytest.fixture
def csrf_on(app):
    previous = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = previous


def test_csrf_does_not_apply_to_the_api_but_still_guards_the_web(api, app, world, csrf_on, client_as):
    token = api.token("alpha_admin")
    target = world.memberships["alpha_member@alpha"]
    assert api.call("PATCH", f"/members/{target}", token, json={"role": "coordinator"}).status_code == 200
    assert api.call("POST", "/invitations/", token, json={"email": "x@example.org", "role": "member"}).status_code == 201
    region = api.token("region", tenant=None)
    assert api.call("POST", "/municipalities/", region, json={"name": "Hamar", "number": "3401"}).status_code == 201
    assert api.call("DELETE", f"/members/{target}", token).status_code == 204
    # the web form for the same change is still refused without its token: CSRF is on
    web = client_as("alpha_admin")
    response = web.post(f"/alpha/admin/members/{world.memberships['alpha_coordinator@alpha']}/role",
                        data={f"m{world.memberships['alpha_coordinator@alpha']}-role": "member"})
    assert response.status_code == 400
    assert roles_in(app, world.tenants["alpha"])[PEOPLE["alpha_coordinator"][0]] == "coordinator"


@pytest.mark.parametrize("language, status, message", [
    ("nb", "Du må logge inn", "Send en personlig tilgangsnøkkel"),
    ("nn-NO,nn;q=0.9", "Du må logge inn", "Send ein personleg tilgangsnøkkel"),
    ("en-GB,en;q=0.8", "You need to log in", "Send a personal access token"),
])
def test_api_errors_follow_accept_language(api, language, status, message):
    answer = api.call("GET", "/members/", None, headers={"Accept-Language": language})
    body = assert_json_error(answer, 401)
    assert body["status"] == status and message in body["message"]
    assert "galt" not in answer.get_data(as_text=True) and "went wrong" not in answer.get_data(as_text=True)


def test_a_missing_object_is_named_in_the_asker_s_language(api, world):
    token = api.token("alpha_coordinator")
    norwegian = api.call("GET", "/polls/999999/results", token, headers={"Accept-Language": "nb"})
    assert assert_json_error(norwegian, 404)["message"] == "Avstemningen finnes ikke."
    nynorsk = api.call("GET", "/processes/999999", token, headers={"Accept-Language": "nn"})
    assert assert_json_error(nynorsk, 404)["message"] == "Prosessen finst ikkje."
    assert assert_json_error(api.call("GET", "/polls/999999/results", token), 404)["message"] == "No such poll."
