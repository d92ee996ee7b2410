"""Accounts as people meet them: logging in and out, passwords, invitations,
members and roles, API tokens and one's own profile."""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from dugnad.accounts import security
from dugnad.accounts.models import AccessToken, Invitation, LoginFailure, Membership, User
from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.tenancy import tenant_context
from dugnad.clock import utcnow
from tests.conftest import PASSWORD, PEOPLE

NEW_PASSWORD = "a brand new passphrase for me"


# --- helpers -----------------------------------------------------------------


# Argon2 at the production cost takes a good fraction of a second per check on a busy
# machine, and this file logs in a hundred times: hash at the lowest cost here (still
# argon2id). test_the_production_hasher_is_not_weakened checks the real settings.
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PRODUCTION_HASHER = security._hasher


@pytest.fixture(scope="module")
def password_hash():
    return CHEAP.hash(PASSWORD)


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch):
    monkeypatch.setattr(security, "_hasher", CHEAP)
    monkeypatch.setattr(security, "_DUMMY_HASH", CHEAP.hash("not a real password"))


@pytest.fixture(autouse=True)
def _accept_test_addresses(monkeypatch):
    """The people in the fixtures use the reserved .test domain, which the e-mail
    validator refuses unless told it runs in a test environment."""
    import email_validator

    monkeypatch.setattr(email_validator, "TEST_ENVIRONMENT", True)


def english(client):
    """Ask for English pages, so the assertions read the same whatever the default language is."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def anon(app, world):
    return english(app.test_client())


@pytest.fixture
def as_(client_as):
    return lambda key: english(client_as(key))


def email_of(key: str) -> str:
    return PEOPLE[key][0]


def text_of(response) -> str:
    return response.get_data(as_text=True)


def log_in(client, email: str, password: str = PASSWORD, next: str | None = None, **environ):
    url = "/login" + (f"?next={next}" if next else "")
    return client.post(url, data={"email": email, "password": password}, environ_base=environ)


def outbox(app, kind: str | None = None, recipient: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def link_in(body: str) -> str:
    """The path of the one link in an e-mail body (the base URL is http://dugnad.test)."""
    links = re.findall(r"http://dugnad\.test(/\S+)", body)
    assert len(links) == 1, body
    return links[0]


def count(app, model, *where, tenant_id: int | None = None) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model).where(*where)
        if tenant_id is None:
            return db.session.scalar(query)
        with tenant_context(tenant_id):
            return db.session.scalar(query)


def user_row(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge_all()
        return user


def membership_role(app, tenant_id: int, user_id: int) -> str | None:
    with app.app_context(), tenant_context(tenant_id):
        return db.session.scalar(select(Membership.role).where(Membership.user_id == user_id))


def invite(client, email: str, role: str = "member", tenant: str = "alpha"):
    return client.post(f"/{tenant}/admin/members/invite", data={"email": email, "role": role})


def invitation_link(app, email: str) -> str:
    messages = outbox(app, "invitation", email)
    assert messages, f"no invitation in the outbox for {email}"
    return link_in(messages[-1].body)


def field_error(html: str, field_id: str) -> str:
    """The error text tied to a field (``<p id="<field>-error">``), checking the input points at it."""
    match = re.search(rf'<p[^>]*id="{re.escape(field_id)}-error"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no error shown for {field_id}"
    field = re.search(rf'<(?:input|select|textarea)[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    assert field, f"no field {field_id}"
    assert f"{field_id}-error" in field.group(0) and 'aria-invalid="true"' in field.group(0)
    return match.group(1)


def field_value(html: str, field_id: str) -> str | None:
    field = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', html)
    assert field, f"no field {field_id}"
    value = re.search(r'value="([^"]*)"', field.group(0))
    return value.group(1) if value else None


@contextmanager
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def csrf_token(html: str) -> str:
    return re.search(r'name="(?:[\w-]*-)?csrf_token" type="hidden" value="([^"]+)"', html).group(1)


# --- logging in --------------------------------------------------------------


def test_a_member_of_one_municipality_lands_on_its_dashboard(anon):
    response = log_in(anon, "admin@alpha.test")
    assert response.status_code == 302
    assert response.location == "/alpha/"
    page = anon.get("/alpha/")
    assert page.status_code == 200
    assert "Alfa" in text_of(page)


def test_the_email_is_matched_whatever_its_case_and_spaces(anon):
    response = log_in(anon, "  Admin@ALPHA.test ")
    assert response.status_code == 302 and response.location == "/alpha/"


def test_a_member_of_several_municipalities_lands_on_the_profile_listing_them(anon):
    response = log_in(anon, email_of("both"))
    assert response.location == "/me"
    page = text_of(anon.get("/me"))
    assert 'href="/alpha/"' in page and 'href="/beta/"' in page
    assert "Alfa" in page and "Beta" in page


def test_after_logging_in_again_a_person_lands_in_the_municipality_used_last(anon):
    log_in(anon, email_of("both"))
    assert anon.get("/beta/").status_code == 200
    anon.post("/logout")
    assert anon.get("/me").status_code == 302  # really logged out
    response = log_in(anon, email_of("both"))
    assert response.location == "/beta/"
    anon.get("/alpha/")
    anon.post("/logout")
    assert log_in(anon, email_of("both")).location == "/alpha/"


def test_the_last_municipality_of_someone_else_is_not_used(anon):
    log_in(anon, email_of("both"))
    anon.get("/beta/")
    anon.post("/logout")
    assert log_in(anon, "admin@alpha.test").location == "/alpha/"


def test_the_language_chosen_before_logging_in_is_kept(app, world):
    client = app.test_client()
    client.post("/language", data={"lang": "nn", "next": "/login"})
    assert '<html lang="nn"' in text_of(client.get("/login"))
    log_in(client, "admin@alpha.test")
    assert '<html lang="nn"' in text_of(client.get("/alpha/"))
    client.post("/logout")
    assert '<html lang="nn"' in text_of(client.get("/login"))


def test_a_region_admin_without_municipalities_lands_on_the_region_page(anon):
    response = log_in(anon, "region@dugnad.test")
    assert response.location == "/region/"
    assert anon.get("/region/").status_code == 200


def test_login_follows_a_local_next_but_not_another_site(anon):
    assert log_in(anon, "admin@alpha.test", next="/me/tokens").location == "/me/tokens"
    other = anon.application.test_client()
    assert log_in(other, "admin@alpha.test", next="//evil.example/x").location == "/alpha/"


def test_a_wrong_password_shows_an_error_on_the_field_and_keeps_the_email(anon):
    response = log_in(anon, "admin@alpha.test", "not my password")
    assert response.status_code == 422
    html = text_of(response)
    assert "Wrong e-mail or password." in field_error(html, "password")
    assert field_value(html, "email") == "admin@alpha.test"
    assert "not my password" not in html
    assert anon.get("/me").status_code == 302  # not logged in


def test_an_unknown_account_gets_the_same_answer_as_a_wrong_password(anon):
    response = log_in(anon, "nobody@alpha.test", "whatever it is")
    assert response.status_code == 422
    assert "Wrong e-mail or password." in field_error(text_of(response), "password")


def test_an_unknown_account_costs_a_password_check_like_a_known_one(anon, monkeypatch):
    """Otherwise the time a failed login takes tells whether the account exists."""
    checked = []

    class Spy(PasswordHasher):
        def verify(self, hash, password):
            checked.append(password)
            return super().verify(hash, password)

    monkeypatch.setattr(security, "_hasher", Spy(time_cost=1, memory_cost=1024, parallelism=1))
    log_in(anon, "admin@alpha.test", "guess one")
    log_in(anon, "nobody@alpha.test", "guess two")
    assert checked == ["guess one", "guess two"]


def test_an_empty_form_is_refused_with_errors_on_the_fields(anon):
    response = anon.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    html = text_of(response)
    assert field_error(html, "email") and field_error(html, "password")


def test_a_deactivated_account_cannot_log_in(app, anon, world):
    with app.app_context():
        db.session.get(User, world.users["alpha_member"]).active = False
        db.session.commit()
    response = log_in(anon, "member@alpha.test")
    assert response.status_code == 422
    assert anon.get("/me").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password(app, anon):
    for _ in range(5):
        assert log_in(anon, "admin@alpha.test", "wrong guess").status_code == 422
    response = log_in(anon, "admin@alpha.test")
    assert response.status_code == 429
    assert "Too many failed attempts. Wait 15 minutes, or reset your password." in text_of(response)
    assert anon.get("/me").status_code == 302
    # other accounts from the same address are not locked by it
    assert log_in(english(app.test_client()), "member@alpha.test").status_code == 302


def test_the_account_lock_ends_after_the_window(app, anon):
    for _ in range(5):
        log_in(anon, "admin@alpha.test", "wrong guess")
    with app.app_context():
        for failure in db.session.scalars(select(LoginFailure)):
            failure.created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    assert log_in(anon, "admin@alpha.test").status_code == 302


def test_a_successful_login_clears_earlier_failures(anon, app):
    for _ in range(4):
        log_in(anon, "admin@alpha.test", "wrong guess")
    assert log_in(anon, "admin@alpha.test").status_code == 302
    anon.post("/logout")
    for _ in range(4):
        log_in(anon, "admin@alpha.test", "wrong guess")
    assert log_in(anon, "admin@alpha.test").status_code == 302


def test_twenty_failures_from_one_address_lock_that_address(app, anon):
    for i in range(20):
        assert log_in(anon, f"guess{i}@alpha.test", "wrong guess", REMOTE_ADDR="10.0.0.9").status_code == 422
    response = log_in(anon, "admin@alpha.test", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "Too many failed attempts" in text_of(response)
    # the same account from another address is fine
    assert log_in(english(app.test_client()), "admin@alpha.test", REMOTE_ADDR="10.0.0.10").status_code == 302


def test_logout_needs_a_post(as_):
    client = as_("alpha_admin")
    # a link (or an image, or a prefetch) cannot log anybody out
    assert client.get("/logout", follow_redirects=True).status_code in (404, 405)
    assert client.get("/me").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/login"
    assert "You are logged out." in text_of(client.get("/login"))
    assert client.get("/me").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite_lax(anon):
    response = log_in(anon, "admin@alpha.test")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    assert "HttpOnly" in cookies[0]
    assert "SameSite=Lax" in cookies[0]


def test_passwords_are_stored_as_argon2_hashes(app, world):
    user = user_row(app, "admin@alpha.test")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_the_production_hasher_is_not_weakened():
    """At least OWASP's minimum for argon2id (19 MiB, two passes)."""
    assert PRODUCTION_HASHER.type.name == "ID"
    assert PRODUCTION_HASHER.memory_cost >= 19 * 1024 and PRODUCTION_HASHER.time_cost >= 2


def test_an_old_hash_is_upgraded_at_login(app, anon, monkeypatch, world):
    """A hash made with weaker settings than today's is replaced when the person logs in."""
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(security, "_hasher", stronger)
    assert log_in(anon, "admin@alpha.test").status_code == 302
    upgraded = user_row(app, "admin@alpha.test").password_hash
    assert "m=2048,t=2" in upgraded and not stronger.check_needs_rehash(upgraded)


# --- forgotten password ------------------------------------------------------


def ask_for_reset(client, email: str):
    return client.post("/password/forgot", data={"email": email})


def reset_link(app, email: str) -> str:
    messages = outbox(app, "password-reset", email)
    assert len(messages) == 1
    return link_in(messages[0].body)


def test_forgot_password_answers_the_same_for_unknown_addresses(app, anon):
    known = ask_for_reset(anon, "admin@alpha.test")
    unknown = ask_for_reset(anon, "nobody@alpha.test")
    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location == "/login"
    page = text_of(anon.get("/login"))
    assert "If nobody@alpha.test has an account, we have sent it a link" in page
    assert [m.recipient for m in outbox(app)] == ["admin@alpha.test"]


def test_forgot_password_puts_a_held_message_with_a_working_link_in_the_outbox(app, anon):
    ask_for_reset(anon, "Admin@Alpha.test")
    [message] = outbox(app, "password-reset")
    assert message.recipient == "admin@alpha.test"
    assert message.status == "held"  # no SMTP configured
    assert message.tenant_id is None
    assert "Alma Admin" in message.body
    link = link_in(message.body)
    assert link.startswith("/password/reset/")
    page = anon.get(link)
    assert page.status_code == 200
    assert "Choose a new password" in text_of(page)


def test_a_reset_link_changes_the_password_once(app, anon):
    ask_for_reset(anon, "admin@alpha.test")
    link = reset_link(app, "admin@alpha.test")
    response = anon.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/login"
    assert "Your password is changed" in text_of(anon.get("/login"))
    assert log_in(english(app.test_client()), "admin@alpha.test").status_code == 422
    assert log_in(english(app.test_client()), "admin@alpha.test", NEW_PASSWORD).status_code == 302
    assert user_row(app, "admin@alpha.test").password_hash.startswith("$argon2id$")
    # the same link no longer works, neither to look at nor to post
    again = anon.get(link)
    assert again.status_code == 400
    assert "not valid, or it has already been used" in text_of(again)
    replay = anon.post(link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert replay.status_code == 400
    assert log_in(english(app.test_client()), "admin@alpha.test", NEW_PASSWORD).status_code == 302


def test_a_reset_unlocks_a_throttled_account(app, anon):
    for _ in range(5):
        log_in(anon, "admin@alpha.test", "wrong guess")
    ask_for_reset(anon, "admin@alpha.test")
    anon.post(reset_link(app, "admin@alpha.test"), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert log_in(anon, "admin@alpha.test", NEW_PASSWORD).status_code == 302


def test_a_new_password_must_be_long_enough_and_typed_twice_the_same(app, anon):
    ask_for_reset(anon, "admin@alpha.test")
    link = reset_link(app, "admin@alpha.test")
    short = anon.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert "10" in field_error(text_of(short), "password")
    mismatch = anon.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
    assert mismatch.status_code == 422
    assert "The two passwords are not the same." in field_error(text_of(mismatch), "confirm")
    assert log_in(anon, "admin@alpha.test").status_code == 302  # old password still works


def test_an_expired_reset_link_says_so_with_410(app, anon, monkeypatch):
    ask_for_reset(anon, "admin@alpha.test")
    link = reset_link(app, "admin@alpha.test")
    issued = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued(self) + 60 * 60 + 5)
    response = anon.get(link)
    assert response.status_code == 410
    html = text_of(response)
    assert "This link has expired. Ask for a new one." in html
    assert 'href="/password/forgot"' in html
    assert anon.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 410
    monkeypatch.setattr(TimestampSigner, "get_timestamp", issued)
    assert anon.get(link).status_code == 200  # the same link, an hour earlier, was fine
    assert log_in(anon, "admin@alpha.test").status_code == 302


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"),
    lambda token: "not-a-token",
    lambda token: token + "%00<script>",
])
def test_a_tampered_reset_link_is_refused_clearly(app, anon, mangle):
    ask_for_reset(anon, "admin@alpha.test")
    token = reset_link(app, "admin@alpha.test").removeprefix("/password/reset/")
    response = anon.get("/password/reset/" + mangle(token))
    assert response.status_code == 400
    html = text_of(response)
    assert "This link is not valid, or it has already been used. Ask for a new one." in html
    assert "<script>" not in html
    posted = anon.post("/password/reset/" + mangle(token), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert posted.status_code == 400
    assert log_in(anon, "admin@alpha.test").status_code == 302


# --- invitations -------------------------------------------------------------


def test_an_admin_invites_someone_and_the_link_is_in_the_outbox(app, as_, world):
    admin = as_("alpha_admin")
    response = invite(admin, "New.Person@Example.no", "coordinator")
    assert response.status_code == 302 and response.location == "/alpha/admin/members/"
    page = text_of(admin.get(response.location))
    assert "Invitation sent to New.Person@Example.no." in page
    assert "new.person@example.no" in page  # in the list of invitations not yet accepted
    [message] = outbox(app, "invitation")
    assert message.recipient == "new.person@example.no"
    assert message.tenant_id == world.tenants["alpha"]
    assert message.status == "held"
    assert "Alma Admin has invited you to Alfa on Dugnad, as Coordinator." in message.body
    link = link_in(message.body)
    assert link.startswith("/invitations/")
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        invitation = db.session.scalar(select(Invitation))
        assert invitation.email == "new.person@example.no" and invitation.role == "coordinator"
        token = link.removeprefix("/invitations/")
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest() != token


def test_accepting_as_a_new_person_creates_the_account_and_logs_in(app, as_, anon, world):
    invite(as_("alpha_admin"), "newcomer@example.no", "facilitator")
    link = invitation_link(app, "newcomer@example.no")
    form = anon.get(link)
    assert form.status_code == 200
    html = text_of(form)
    assert "Join Alfa" in html and "newcomer@example.no" in html and "Facilitator" in html
    response = anon.post(link, data={"name": "  Nina Newcomer ", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/alpha/"
    dashboard = anon.get("/alpha/")
    assert dashboard.status_code == 200
    assert "Welcome to Alfa!" in text_of(dashboard)
    user = user_row(app, "newcomer@example.no")
    assert user.name == "Nina Newcomer"
    assert user.password_hash.startswith("$argon2id$")
    assert membership_role(app, world.tenants["alpha"], user.id) == "facilitator"
    assert membership_role(app, world.tenants["beta"], user.id) is None
    anon.post("/logout")
    assert log_in(anon, "newcomer@example.no", NEW_PASSWORD).location == "/alpha/"


def test_accepting_needs_a_name_and_a_good_password(app, as_, anon):
    invite(as_("alpha_admin"), "newcomer@example.no")
    link = invitation_link(app, "newcomer@example.no")
    response = anon.post(link, data={"name": "", "password": "short", "confirm": "other"})
    assert response.status_code == 422
    html = text_of(response)
    assert field_error(html, "name") and field_error(html, "password") and field_error(html, "confirm")
    assert user_row(app, "newcomer@example.no") is None
    assert anon.get("/me").status_code == 302


def test_an_invitation_for_an_existing_account_needs_that_account_logged_in(app, as_, anon, world):
    invite(as_("alpha_admin"), "Admin@Beta.test", "coordinator")
    link = invitation_link(app, "admin@beta.test")
    # not logged in: sent to log in, and back
    response = anon.get(link)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=") and "/invitations/" in response.location
    assert "You already have an account. Log in as admin@beta.test to accept the invitation." in text_of(anon.get(response.location))
    # logged in as somebody else: same, and nothing is created
    other = as_("alpha_member")
    assert other.get(link).status_code == 302
    assert other.post(link, data={"name": "Mallory", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert membership_role(app, world.tenants["alpha"], world.users["beta_admin"]) is None
    assert count(app, User) == len(PEOPLE)
    # as the right person, through the login page
    assert log_in(anon, "admin@beta.test", next=link).location == link
    page = anon.get(link)
    assert page.status_code == 200 and "Join Alfa" in text_of(page)
    joined = anon.post(link)
    assert joined.status_code == 302 and joined.location == "/alpha/"
    assert membership_role(app, world.tenants["alpha"], world.users["beta_admin"]) == "coordinator"
    assert membership_role(app, world.tenants["beta"], world.users["beta_admin"]) == "admin"
    assert anon.get("/alpha/").status_code == 200
    assert user_row(app, "admin@beta.test").name == "Bjørn Beta"  # the account is not touched


def set_invitation(app, tenant_id: int, email: str, **values) -> None:
    with app.app_context(), tenant_context(tenant_id):
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == email))
        for key, value in values.items():
            setattr(invitation, key, value)
        db.session.commit()


def test_an_expired_invitation_answers_410(app, as_, anon, world):
    invite(as_("alpha_admin"), "late@example.no")
    link = invitation_link(app, "late@example.no")
    set_invitation(app, world.tenants["alpha"], "late@example.no", expires_at=utcnow() - timedelta(minutes=1))
    response = anon.get(link)
    assert response.status_code == 410
    assert "This invitation has expired. Ask an admin in Alfa to send it again." in text_of(response)
    posted = anon.post(link, data={"name": "Late", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert posted.status_code == 410
    assert user_row(app, "late@example.no") is None


def test_a_withdrawn_invitation_answers_410(app, as_, anon, world):
    admin = as_("alpha_admin")
    invite(admin, "gone@example.no")
    link = invitation_link(app, "gone@example.no")
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        invitation_id = db.session.scalar(select(Invitation.id))
    response = admin.post(f"/alpha/admin/members/invitations/{invitation_id}/revoke")
    assert response.status_code == 302
    assert "The invitation to gone@example.no is withdrawn." in text_of(admin.get("/alpha/admin/members/"))
    page = anon.get(link)
    assert page.status_code == 410
    assert "This invitation was withdrawn. Ask an admin in Alfa if you should still join." in text_of(page)
    assert anon.post(link, data={"name": "G", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 410
    assert user_row(app, "gone@example.no") is None


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 43, "%3Cscript%3E"])
def test_an_unknown_invitation_link_is_a_404_page(anon, world, token):
    response = anon.get(f"/invitations/{token}")
    assert response.status_code == 404
    html = text_of(response)
    assert "This invitation link is not valid." in html
    assert "<script>" not in html
    assert anon.post(f"/invitations/{token}", data={"name": "x"}).status_code == 404


def test_an_accepted_invitation_link_cannot_be_used_again(app, as_, anon, world):
    invite(as_("alpha_admin"), "once@example.no")
    link = invitation_link(app, "once@example.no")
    anon.post(link, data={"name": "Once", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    stranger = english(app.test_client())
    replay = stranger.get(link)
    assert replay.status_code == 410
    assert "This invitation has already been used. Log in to continue." in text_of(replay)
    again = stranger.post(link, data={"name": "Twice", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert again.status_code == 410
    assert user_row(app, "once@example.no").name == "Once"
    assert count(app, Membership, tenant_id=world.tenants["alpha"]) == 6


def test_sending_an_invitation_again_replaces_the_link(app, as_, anon, world):
    admin = as_("alpha_admin")
    invite(admin, "again@example.no")
    old_link = invitation_link(app, "again@example.no")
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        invitation_id = db.session.scalar(select(Invitation.id))
    response = admin.post(f"/alpha/admin/members/invitations/{invitation_id}/resend")
    assert response.status_code == 302
    assert "Invitation sent again to again@example.no." in text_of(admin.get("/alpha/admin/members/"))
    messages = outbox(app, "invitation", "again@example.no")
    assert len(messages) == 2
    new_link = link_in(messages[-1].body)
    assert new_link != old_link
    assert anon.get(old_link).status_code == 404
    assert anon.get(new_link).status_code == 200
    assert anon.post(new_link, data={"name": "Again", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).location == "/alpha/"


def test_a_withdrawn_invitation_can_be_sent_again(app, as_, anon, world):
    admin = as_("alpha_admin")
    invite(admin, "back@example.no")
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        invitation_id = db.session.scalar(select(Invitation.id))
    admin.post(f"/alpha/admin/members/invitations/{invitation_id}/revoke")
    admin.post(f"/alpha/admin/members/invitations/{invitation_id}/resend")
    assert anon.get(invitation_link(app, "back@example.no")).status_code == 200


def test_inviting_the_same_address_twice_is_refused_on_the_email_field(app, as_, world):
    admin = as_("alpha_admin")
    invite(admin, "twice@example.no")
    response = invite(admin, "Twice@Example.no ", "coordinator")
    assert response.status_code == 422
    html = text_of(response)
    assert "twice@example.no has already been invited" in field_error(html, "email")
    assert field_value(html, "email") == "Twice@Example.no"
    assert count(app, Invitation, tenant_id=world.tenants["alpha"]) == 1
    assert len(outbox(app, "invitation")) == 1


def test_inviting_an_existing_member_is_refused_on_the_email_field(app, as_, world):
    response = invite(as_("alpha_admin"), "member@alpha.test", "admin")
    assert response.status_code == 422
    assert "member@alpha.test is already a member of Alfa." in field_error(text_of(response), "email")
    assert count(app, Invitation, tenant_id=world.tenants["alpha"]) == 0
    assert outbox(app) == []
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_member"]) == "member"


def test_a_member_of_another_municipality_can_be_invited(app, as_, world):
    assert invite(as_("alpha_admin"), "admin@beta.test").status_code == 302
    assert count(app, Invitation, tenant_id=world.tenants["alpha"]) == 1


def test_an_invitation_needs_a_valid_email_and_a_known_role(app, as_, world):
    admin = as_("alpha_admin")
    bad_email = invite(admin, "not an address")
    assert bad_email.status_code == 422
    assert field_error(text_of(bad_email), "email")
    bad_role = invite(admin, "fine@example.no", "emperor")
    assert bad_role.status_code == 422
    assert field_error(text_of(bad_role), "role")
    assert count(app, Invitation, tenant_id=world.tenants["alpha"]) == 0


def test_an_invitation_for_a_suspended_municipality_cannot_be_accepted(app, as_, anon, world):
    from dugnad.tenancy.models import Tenant

    invite(as_("alpha_admin"), "paused@example.no")
    link = invitation_link(app, "paused@example.no")
    with app.app_context():
        tenant = db.session.get(Tenant, world.tenants["alpha"])
        tenant.status, tenant.suspended_reason = "suspended", "Budget review"
        db.session.commit()
    response = anon.get(link)
    assert response.status_code == 403
    assert "Alfa is suspended for now." in text_of(response)
    assert anon.post(link, data={"name": "P", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 403
    assert user_row(app, "paused@example.no") is None


# --- members and roles -------------------------------------------------------


def test_the_members_page_lists_the_municipalitys_people_only(as_):
    page = as_("alpha_admin").get("/alpha/admin/members/")
    assert page.status_code == 200
    html = text_of(page)
    assert "People in Alfa" in html
    for key in ("alpha_admin", "alpha_coordinator", "alpha_member", "alpha_readonly", "both"):
        assert email_of(key) in html
    assert "admin@beta.test" not in html and "region@dugnad.test" not in html


def test_an_admin_changes_a_role(app, as_, world):
    membership = world.memberships["alpha_member@alpha"]
    admin = as_("alpha_admin")
    response = admin.post(f"/alpha/admin/members/{membership}/role", data={f"m{membership}-role": "coordinator"})
    assert response.status_code == 302
    assert "Mats Member is now Coordinator." in text_of(admin.get("/alpha/admin/members/"))
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_member"]) == "coordinator"


def test_a_role_must_be_one_of_the_list(app, as_, world):
    membership = world.memberships["alpha_member@alpha"]
    as_("alpha_admin").post(f"/alpha/admin/members/{membership}/role", data={f"m{membership}-role": "emperor"})
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_member"]) == "member"


def test_the_last_admin_cannot_be_demoted(app, as_, world):
    membership = world.memberships["alpha_admin@alpha"]
    admin = as_("alpha_admin")
    response = admin.post(f"/alpha/admin/members/{membership}/role", data={f"m{membership}-role": "member"})
    assert response.status_code == 302
    assert "A municipality needs at least one admin. Make someone else admin first." in text_of(admin.get("/alpha/admin/members/"))
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_admin"]) == "admin"


def test_the_last_admin_cannot_be_removed(app, as_, world):
    membership = world.memberships["alpha_admin@alpha"]
    admin = as_("alpha_admin")
    response = admin.post(f"/alpha/admin/members/{membership}/remove")
    assert response.status_code == 302
    assert "A municipality needs at least one admin." in text_of(admin.get("/alpha/admin/members/"))
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_admin"]) == "admin"


def test_with_a_second_admin_the_first_can_step_down(app, as_, world):
    admin = as_("alpha_admin")
    other = world.memberships["alpha_coordinator@alpha"]
    admin.post(f"/alpha/admin/members/{other}/role", data={f"m{other}-role": "admin"})
    own = world.memberships["alpha_admin@alpha"]
    admin.post(f"/alpha/admin/members/{own}/role", data={f"m{own}-role": "member"})
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_admin"]) == "member"
    assert admin.get("/alpha/admin/members/").status_code == 403  # no longer manages members


def test_an_admin_removes_a_member(app, as_, world):
    membership = world.memberships["alpha_member@alpha"]
    admin = as_("alpha_admin")
    assert admin.post(f"/alpha/admin/members/{membership}/remove").status_code == 302
    assert "Mats Member no longer has access to Alfa." in text_of(admin.get("/alpha/admin/members/"))
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_member"]) is None
    assert as_("alpha_member").get("/alpha/").status_code == 404


def test_a_membership_of_another_municipality_is_not_found(app, as_, world):
    beta_membership = world.memberships["beta_admin@beta"]
    admin = as_("alpha_admin")
    assert admin.post(f"/alpha/admin/members/{beta_membership}/remove").status_code == 404
    assert admin.post(f"/alpha/admin/members/{beta_membership}/role", data={f"m{beta_membership}-role": "member"}).status_code == 404
    assert membership_role(app, world.tenants["beta"], world.users["beta_admin"]) == "admin"


@pytest.mark.parametrize("key", ["alpha_member", "alpha_coordinator"])
def test_without_members_manage_the_members_pages_are_forbidden(app, as_, world, key):
    client = as_(key)
    assert client.get("/alpha/admin/members/").status_code == 403
    assert invite(client, "sneaky@example.no", "admin").status_code == 403
    target = world.memberships["alpha_admin@alpha"]
    assert client.post(f"/alpha/admin/members/{target}/role", data={f"m{target}-role": "member"}).status_code == 403
    assert client.post(f"/alpha/admin/members/{target}/remove").status_code == 403
    assert count(app, Invitation, tenant_id=world.tenants["alpha"]) == 0
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_admin"]) == "admin"


def test_an_admin_of_one_municipality_cannot_manage_another(as_):
    assert as_("beta_admin").get("/alpha/admin/members/").status_code == 404


def test_a_form_without_its_csrf_token_is_refused_and_nothing_saved(app, as_, world):
    admin = as_("alpha_admin")
    with csrf_on(app):
        response = invite(admin, "forged@example.no")
        assert response.status_code == 400
        assert "Nothing was saved" in text_of(response)
        target = world.memberships["alpha_member@alpha"]
        assert admin.post(f"/alpha/admin/members/{target}/remove").status_code == 400
        assert admin.post("/logout").status_code == 400
        # the same form with its token works, so the refusal above was the token
        token = csrf_token(text_of(admin.get("/alpha/admin/members/")))
        ok = admin.post("/alpha/admin/members/invite", data={"email": "real@example.no", "role": "member", "csrf_token": token})
        assert ok.status_code == 302
    assert count(app, Invitation, Invitation.email == "forged@example.no", tenant_id=world.tenants["alpha"]) == 0
    assert count(app, Invitation, Invitation.email == "real@example.no", tenant_id=world.tenants["alpha"]) == 1
    assert membership_role(app, world.tenants["alpha"], world.users["alpha_member"]) == "member"


def test_the_login_form_is_csrf_protected_too(app, anon):
    with csrf_on(app):
        assert log_in(anon, "admin@alpha.test").status_code == 400
        token = csrf_token(text_of(anon.get("/login")))
        ok = anon.post("/login", data={"email": "admin@alpha.test", "password": PASSWORD, "csrf_token": token})
        assert ok.status_code == 302


# --- profile and switching municipality --------------------------------------


def test_a_person_changes_name_and_language(app, as_, world):
    client = as_("alpha_member")
    response = client.post("/me", data={"name": " Mats Medlem ", "locale": "nn"})
    assert response.status_code == 302 and response.location == "/me"
    page = text_of(client.get("/me"))
    assert '<html lang="nn"' in page
    assert 'value="Mats Medlem"' in page
    user = user_row(app, "member@alpha.test")
    assert (user.name, user.locale) == ("Mats Medlem", "nn")


def test_the_profile_refuses_an_empty_name_and_an_unknown_language(app, as_):
    client = as_("alpha_member")
    response = client.post("/me", data={"name": "", "locale": "xx"})
    assert response.status_code == 422
    html = text_of(response)
    assert field_error(html, "name") and field_error(html, "locale")
    user = user_row(app, "member@alpha.test")
    assert (user.name, user.locale) == ("Mats Member", None)


def test_the_profile_needs_a_login(anon):
    response = anon.get("/me")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_person_in_two_municipalities_opens_both(as_):
    client = as_("both")
    alpha, beta = client.get("/alpha/"), client.get("/beta/")
    assert alpha.status_code == beta.status_code == 200
    assert "Alfa" in text_of(alpha) and "Beta" in text_of(beta)
    profile = text_of(client.get("/me"))
    assert re.search(r'href="/alpha/"[^>]*>Alfa<', profile)
    assert re.search(r'href="/beta/"[^>]*>Beta<', profile)


def test_a_person_cannot_open_a_municipality_they_do_not_belong_to(as_):
    assert as_("alpha_admin").get("/beta/").status_code == 404


# --- API tokens --------------------------------------------------------------


def create_token(client, tenant_id, name="Reporting script"):
    return client.post("/me/tokens", data={"name": name, "scope": str(tenant_id)})


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(app, as_, world):
    client = as_("alpha_admin")
    response = create_token(client, world.tenants["alpha"])
    assert response.status_code == 200
    html = text_of(response)
    assert "Copy it now: it is not shown again." in html
    secret = re.search(r'<code class="token-secret">(dgn_[\w-]+)</code>', html).group(1)
    with app.app_context():
        token = db.session.scalar(select(AccessToken))
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert token.prefix == secret[:10]
        assert token.tenant_id == world.tenants["alpha"] and token.user_id == world.users["alpha_admin"]
        assert token.name == "Reporting script"
    later = text_of(client.get("/me/tokens"))
    assert secret not in later
    assert "Reporting script" in later and secret[:10] in later
    api = app.test_client().get("/api/v1/members/", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200


def test_a_token_can_only_be_made_for_ones_own_municipalities(app, as_, world):
    response = create_token(as_("alpha_admin"), world.tenants["beta"])
    assert response.status_code == 422
    assert field_error(text_of(response), "scope")
    region = create_token(as_("alpha_admin"), "region")
    assert region.status_code == 422
    assert count(app, AccessToken) == 0


def test_a_token_expiry_must_be_in_the_future(app, as_, world):
    response = as_("alpha_admin").post("/me/tokens", data={"name": "x", "scope": str(world.tenants["alpha"]), "expires": "2000-01-01"})
    assert response.status_code == 422
    assert "Choose a date after today." in field_error(text_of(response), "expires")
    assert count(app, AccessToken) == 0


def test_revoking_a_token_stops_it_working(app, as_, world):
    client = as_("alpha_admin")
    secret = re.search(r"dgn_[\w-]+", text_of(create_token(client, world.tenants["alpha"]))).group(0)
    with app.app_context():
        token_id = db.session.scalar(select(AccessToken.id))
    response = client.post(f"/me/tokens/{token_id}/revoke")
    assert response.status_code == 302
    page = text_of(client.get("/me/tokens"))
    assert "The token Reporting script is revoked and no longer works." in page
    assert "revoked" in page
    with app.app_context():
        assert db.session.get(AccessToken, token_id).revoked_at is not None
    api = app.test_client().get("/api/v1/members/", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_a_person_cannot_revoke_someone_elses_token(app, as_, world):
    create_token(as_("alpha_admin"), world.tenants["alpha"])
    with app.app_context():
        token_id = db.session.scalar(select(AccessToken.id))
    other = as_("both")
    assert other.post(f"/me/tokens/{token_id}/revoke").status_code == 404
    assert "Reporting script" not in text_of(other.get("/me/tokens"))
    with app.app_context():
        assert db.session.get(AccessToken, token_id).revoked_at is None
    assert as_("alpha_admin").post("/me/tokens/999999/revoke").status_code == 404
