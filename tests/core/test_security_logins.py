"""Issue 16, second finding: logging out or changing a password did not end a login; the
"keep me logged in" cookie was the same on every login and lasted a year. Logins are now
rows (dugnad.accounts.logins) that the cookies name, and can be ended."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from dugnad.accounts.logins import LoginSession, describe_agent
from dugnad.accounts.models import User
from dugnad.extensions import db
from dugnad.tenancy.models import utcnow
from tests.conftest import PASSWORD
from tests.core.test_accounts import (  # noqa: F401  (fixtures)
    NEW_PASSWORD,
    _accept_test_addresses,
    _cheap_hashing,
    anon,
    as_,
    ask_for_reset,
    english,
    field_error,
    log_in,
    password_hash,
    reset_link,
    text_of,
)

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"


def browser(app, email="admin@alpha.test", password=PASSWORD, remember=False, agent=FIREFOX):
    client = english(app.test_client())
    data = {"email": email, "password": password, **({"remember": "y"} if remember else {})}
    response = client.post("/login", data=data, headers={"User-Agent": agent})
    assert response.status_code == 302, text_of(response)
    return client


def replay(app, session=None, remember=None):
    """A fresh browser holding only cookies someone saved earlier."""
    client = english(app.test_client())
    if session:
        client.set_cookie("session", session)
    if remember:
        client.set_cookie("remember_token", remember)
    return client


def logged_in(client) -> bool:
    return client.get("/me").status_code == 200


def test_logging_out_ends_the_login_even_for_saved_cookies(app, world):
    client = browser(app, remember=True)
    session, remember = client.get_cookie("session").value, client.get_cookie("remember_token").value
    assert logged_in(replay(app, session=session)) and logged_in(replay(app, remember=remember))
    assert client.post("/logout").status_code == 302
    assert not logged_in(client)
    assert not logged_in(replay(app, session=session))
    assert not logged_in(replay(app, remember=remember))


def test_remember_me_is_new_on_every_login_and_lasts_weeks_not_a_year(app, world):
    first = browser(app, remember=True).get_cookie("remember_token")
    second = browser(app, remember=True).get_cookie("remember_token")
    assert first.value != second.value
    lasts = first.expires - utcnow().replace(tzinfo=first.expires.tzinfo)
    assert timedelta(days=29) < lasts <= timedelta(days=30, minutes=1)
    with app.app_context():
        rows = db.session.scalars(select(LoginSession).order_by(LoginSession.id)).all()
        assert [r.remember for r in rows] == [True, True]
        assert all(timedelta(days=29) < r.expires_at - r.created_at <= timedelta(days=30) for r in rows)


def test_a_login_without_remember_me_ends_after_a_working_day(app, world):
    client = browser(app)
    assert client.get_cookie("remember_token") is None
    with app.app_context():
        row = db.session.scalar(select(LoginSession))
        assert timedelta(hours=11) < row.expires_at - row.created_at <= timedelta(hours=12)
        db.session.execute(update(LoginSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert not logged_in(client)


def test_a_password_reset_ends_every_login(app, anon, world):
    laptop, phone = browser(app, remember=True), browser(app, agent=IPHONE)
    remember = laptop.get_cookie("remember_token").value
    ask_for_reset(anon, "admin@alpha.test")
    anon.post(reset_link(app, "admin@alpha.test"), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert not logged_in(laptop) and not logged_in(phone)
    assert not logged_in(replay(app, remember=remember))
    assert logged_in(browser(app, password=NEW_PASSWORD))


def test_changing_ones_password_ends_the_other_logins_and_keeps_this_one(app, world):
    here, elsewhere = browser(app), browser(app, agent=IPHONE)
    wrong = here.post("/me/password", data={"current": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert "This is not your current password." in field_error(text_of(wrong), "current")
    assert logged_in(elsewhere)
    short = here.post("/me/password", data={"current": PASSWORD, "password": "short", "confirm": "short"})
    assert short.status_code == 422 and logged_in(elsewhere)
    done = here.post("/me/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert "You are logged out everywhere else." in text_of(here.get(done.location))
    assert logged_in(here) and not logged_in(elsewhere)
    assert browser(app, password=NEW_PASSWORD)


def test_the_profile_lists_ones_logins_and_ends_any_of_them(app, world):
    here, phone = browser(app), browser(app, agent=IPHONE)
    browser(app, email="admin@beta.test")  # someone else's login is not listed
    page = text_of(here.get("/me"))
    assert "Where you are logged in" in page
    assert "Firefox / Linux" in page and "Safari / iPhone" in page and "this browser" in page
    with app.app_context():
        phone_login = db.session.scalar(select(LoginSession.id).where(LoginSession.user_agent == "Safari / iPhone"))
        beta_login = db.session.scalar(select(LoginSession.id).join(LoginSession.user).where(LoginSession.user_id == world.users["beta_admin"]))
    assert here.post(f"/me/logins/{beta_login}/end").status_code == 404  # not one's own
    response = here.post(f"/me/logins/{phone_login}/end")
    assert response.status_code == 302
    assert not logged_in(phone) and logged_in(here)
    assert "Safari / iPhone" not in text_of(here.get("/me"))
    other = browser(app, agent=IPHONE)
    here.post("/me/logins/end-others")
    assert not logged_in(other) and logged_in(here)


def test_an_admin_removing_a_member_ends_their_access_there_at_once(app, world):
    member = browser(app, email="member@alpha.test")
    assert member.get("/alpha/").status_code == 200
    token = member.post("/me/tokens", data={"name": "script", "scope": str(world.tenants["alpha"])})
    secret = re.search(r'class="token-secret">(dgn_[^<]+)<', text_of(token)).group(1)
    api = app.test_client()
    assert api.get("/api/v1/members/", headers={"Authorization": f"Bearer {secret}"}).status_code in (200, 403)
    admin = browser(app)
    removed = admin.post(f"/alpha/admin/members/{world.memberships['alpha_member@alpha']}/remove")
    assert removed.status_code == 302
    assert member.get("/alpha/").status_code == 404
    assert api.get("/api/v1/members/", headers={"Authorization": f"Bearer {secret}"}).status_code == 403


def test_a_cookie_from_before_logins_were_recorded_no_longer_works(app, world):
    client = english(app.test_client())
    with client.session_transaction() as session:
        session["_user_id"] = str(world.users["alpha_admin"])
    assert not logged_in(client)


def test_checking_an_unchanged_login_costs_no_lookup(app, world, queries):
    """The login check is kept under the ``logins`` stamp: a warm request asks nothing of it."""
    client = browser(app)
    client.get("/alpha/")
    queries.statements.clear()
    assert client.get("/alpha/").status_code == 200
    assert not [s for s in queries.statements if "login_session" in s or "user_account" in s], queries.statements
    with app.app_context():  # something that may end a login moves the stamp: read once more, then kept again
        db.session.execute(update(LoginSession).where(LoginSession.user_agent == "nobody").values(ended_at=utcnow()))
        db.session.commit()
    queries.statements.clear()
    assert client.get("/alpha/").status_code == 200
    assert len([s for s in queries.statements if "login_session" in s]) == 1
    queries.statements.clear()
    assert client.get("/alpha/").status_code == 200
    assert not [s for s in queries.statements if "login_session" in s]


def test_last_seen_is_still_written_now_and_then_without_ending_the_kept_check(app, world, queries):
    client = browser(app)
    assert logged_in(client)
    with app.app_context():  # as if the login was last seen ten minutes ago (moves the stamp, like any write)
        db.session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=10)))
        db.session.commit()
    assert logged_in(client)  # read afresh, touched
    with app.app_context():
        assert utcnow() - db.session.scalar(select(LoginSession.last_seen_at)) < timedelta(minutes=1)
    queries.statements.clear()
    assert client.get("/alpha/").status_code == 200  # the touch did not move the stamp: kept
    assert not [s for s in queries.statements if "login_session" in s], queries.statements


# Each way a login ends or a person loses access, with the login check warm (kept from the
# request before): it counts at the very next request.


def test_warm_a_login_ended_from_the_profile_page_is_refused_at_once(app, world):
    here, phone = browser(app), browser(app, agent=IPHONE)
    assert logged_in(phone) and logged_in(phone)
    with app.app_context():
        phone_login = db.session.scalar(select(LoginSession.id).where(LoginSession.user_agent == "Safari / iPhone"))
    assert here.post(f"/me/logins/{phone_login}/end").status_code == 302
    assert not logged_in(phone) and logged_in(here)


def test_warm_a_password_reset_ends_every_login_at_once(app, anon, world):
    laptop = browser(app, remember=True)
    remember = laptop.get_cookie("remember_token").value
    assert logged_in(laptop) and logged_in(replay(app, remember=remember))
    ask_for_reset(anon, "admin@alpha.test")
    anon.post(reset_link(app, "admin@alpha.test"), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert not logged_in(laptop)
    assert not logged_in(replay(app, remember=remember))


def test_warm_a_deactivated_person_is_refused_at_once(app, world):
    member = browser(app, email="member@alpha.test")
    assert member.get("/alpha/").status_code == 200 and member.get("/alpha/").status_code == 200
    with app.app_context():
        db.session.get(User, world.users["alpha_member"]).active = False
        db.session.commit()
    assert not logged_in(member)
    assert member.get("/alpha/").status_code == 302  # to the login page


def test_warm_an_erased_person_is_refused_at_once(app, world):
    member = browser(app, email="member@alpha.test")
    assert member.get("/alpha/").status_code == 200 and member.get("/alpha/").status_code == 200
    with app.app_context():
        db.session.execute(delete(User).where(User.id == world.users["alpha_member"]))
        db.session.commit()
    assert not logged_in(member)
    assert member.get("/alpha/").status_code == 302


def test_warm_a_login_past_its_expiry_is_refused_with_no_write_at_all(app, world, monkeypatch):
    from dugnad.accounts import logins

    client = browser(app)
    assert logged_in(client) and logged_in(client)
    later = utcnow() + timedelta(hours=12, minutes=1)
    monkeypatch.setattr(logins, "utcnow", lambda: later)
    assert not logged_in(client)


def test_warm_a_role_taken_away_counts_at_once(app, world):
    coordinator = browser(app, email="coordinator@alpha.test")
    assert coordinator.get("/alpha/admin/outbox/").status_code == 200
    assert coordinator.get("/alpha/admin/outbox/").status_code == 200
    admin = browser(app)
    membership = world.memberships["alpha_coordinator@alpha"]
    changed = admin.post(f"/alpha/admin/members/{membership}/role", data={f"m{membership}-role": "member"})
    assert changed.status_code == 302, text_of(changed)
    assert coordinator.get("/alpha/admin/outbox/").status_code == 403


def test_warm_a_new_name_shows_at_once(app, world):
    client = browser(app)
    assert "Alma Admin" in text_of(client.get("/me")) and "Alma Admin" in text_of(client.get("/alpha/"))
    with app.app_context():
        db.session.get(User, world.users["alpha_admin"]).name = "Alma Renamed"
        db.session.commit()
    assert "Alma Renamed" in text_of(client.get("/me"))


def test_browsers_are_named_plainly():
    assert describe_agent(FIREFOX) == "Firefox / Linux"
    assert describe_agent(IPHONE) == "Safari / iPhone"
    assert describe_agent("curl/8.5.0") == "curl/8.5.0"
    assert describe_agent(None) == ""


# --- throttling (issue 16: raced, and locked the owner out) -------------------------------


@pytest.fixture
def throttle_redis(app, monkeypatch):
    """Real Redis when the suite has one, else fakeredis with Lua."""
    import os
    import uuid

    from dugnad.accounts import throttle

    url = os.environ.get("DUGNAD_TEST_REDIS_URL")
    if url:
        from redis import Redis

        connection = Redis.from_url(url)
    else:
        import fakeredis

        connection = fakeredis.FakeRedis()
    monkeypatch.setattr(throttle, "_redis", lambda: connection)
    return f"{uuid.uuid4().hex[:8]}@alpha.test"  # an account no other test run touches


def _address() -> str:
    """An address no other test or run touches: a real Redis keeps an address's count for 15
    minutes after its last attempt, across test runs and workers."""
    import random

    return "10." + ".".join(str(random.randrange(1, 255)) for _ in range(3))


def test_twelve_simultaneous_guesses_get_five_checks_not_six(app, throttle_redis):
    from concurrent.futures import ThreadPoolExecutor

    from dugnad.accounts import throttle

    address = _address()

    def attempt(_):
        with app.app_context():
            return throttle.reserve(throttle_redis, address)

    with ThreadPoolExecutor(12) as pool:
        waits = list(pool.map(attempt, range(12)))
    assert waits.count(0) == throttle.PAIR.free  # the others were told to wait, none checked
    assert all(w > 0 for w in waits if w)


def test_with_redis_the_owner_elsewhere_gets_in_and_success_clears(app, throttle_redis):
    from dugnad.accounts import throttle

    attacker, home = _address(), _address()
    with app.app_context():
        for _ in range(5):
            assert throttle.reserve(throttle_redis, attacker) == 0
        assert throttle.reserve(throttle_redis, attacker) > 0
        assert throttle.reserve(throttle_redis, home) == 0  # the owner, at home
        throttle.succeeded(throttle_redis, home)
        assert throttle.reserve(throttle_redis, home) == 0


def test_delays_grow_and_stop_at_their_cap():
    from dugnad.accounts.throttle import ACCOUNT, PAIR, delay

    assert [delay(n, PAIR) for n in (4, 5, 6, 7, 12)] == [0, 1, 2, 4, 128]
    assert delay(40, PAIR) == 15 * 60
    assert delay(40, ACCOUNT) == 60  # spread over many addresses: the owner waits a minute at most


@pytest.mark.parametrize("target", ["/\\evil.example/x", "/\\/evil.example", "/\tevil.example"])
def test_login_does_not_follow_a_backslash_next_to_another_site(app, world, target):
    """ASVS 5.1.5, found while checking: browsers read "/\\evil.example" as "//evil.example"."""
    client = english(app.test_client())
    response = client.post("/login", query_string={"next": target},
                           data={"email": "admin@alpha.test", "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/alpha/"


def test_the_kept_session_identifier_is_flask_logins_and_tells_browsers_apart(app):
    """Session protection's identifier is kept per (address, User-Agent): the same value
    Flask-Login would hash, and another for another browser or address (never one kept for them)."""
    from flask_login.utils import _create_identifier

    from dugnad.extensions import login_manager

    seen = {}
    for agent, address in ((FIREFOX, "10.1.1.1"), (IPHONE, "10.1.1.1"), (FIREFOX, "10.2.2.2"), (FIREFOX, "10.1.1.1")):
        with app.test_request_context("/", headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address}):
            kept = login_manager._session_identifier_generator()
            assert kept == _create_identifier()
            seen[(agent, address)] = kept
    assert len(set(seen.values())) == 3



def test_the_membership_a_request_checks_is_plain_values_that_refuse_a_change(app, world):
    """Entering a municipality keeps the membership as frozen plain values (no ORM object per
    request): cold and warm alike, and a change made to it fails loudly, never dropped silently."""
    import dataclasses

    from dugnad.accounts.permissions import KeptMembership, membership_here
    from dugnad.tenancy import tenant_context

    alpha = world.tenants["alpha"]
    for warm in (False, True):  # read, then kept: each in a request's own session
        with app.app_context(), tenant_context(alpha):
            user = db.session.get(User, world.users["alpha_admin"])
            kept = membership_here(alpha, user)
            assert isinstance(kept, KeptMembership)
            assert (kept.id, kept.user_id, kept.role) == (world.memberships["alpha_admin@alpha"], user.id, "admin")
            with pytest.raises(dataclasses.FrozenInstanceError):
                kept.role = "member"
            if warm:  # no ORM row made for it
                assert not [o for o in db.session.identity_map.values() if type(o).__name__ == "Membership"]
