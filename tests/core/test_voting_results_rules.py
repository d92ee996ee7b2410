"""A poll's results rule holds on every view, for everyone who can open it.

One parametrised test: each view (the poll page, the results page, the live fragment,
the projector and its live refresh, the CSV and the XLSX, the API, a voting card's page and its live
refresh) × each rule (live, after one's own vote, after closing), asked by the organiser
who has not voted, a member who has, a member who has not, and a card holder who has
and one who has not — while the poll is open and again once it is closed. The projector
is seen by the whole room, so it shows results only when they are everyone's to see."""

from __future__ import annotations

import re

import pytest

from dugnad.accounts.models import Membership, User
from dugnad.extensions import db
from dugnad.tenancy import tenant_context
from dugnad.voting import live as live_fragments
from tests.conftest import login
from tests.core.test_api import make_token
from tests.core.test_voting_web import _setup, phone

RULES = ("live", "after_vote", "after_close")
VIEWS = ("page", "results", "live", "screen", "screen_live", "csv", "xlsx", "api", "card_page", "card_live")
PROJECTOR = {"screen", "screen_live"}
CARD = {"card_page", "card_live"}


def _should_see(view: str, rule: str, who: str, closed: bool) -> bool:
    if closed or rule == "live":
        return True
    if view in PROJECTOR or rule == "after_close":
        return False
    return who in ("organiser", "voter", "card_voter")  # after_vote: the organisers and those who voted


def _shows(response, view: str) -> bool:
    if view in ("csv", "xlsx"):
        assert response.status_code in (200, 403), response.status_code
        return response.status_code == 200
    assert response.status_code == 200, (view, response.status_code)
    if view == "api":
        return response.get_json()["visible"]
    return "result-chart" in response.text


def _path(view: str, poll_id: int, code: str | None) -> str:
    return {
        "page": f"/alpha/polls/{poll_id}/", "results": f"/alpha/polls/{poll_id}/results",
        "live": f"/alpha/polls/{poll_id}/live", "screen": f"/alpha/polls/{poll_id}/screen",
        "screen_live": f"/alpha/polls/{poll_id}/live?screen=1", "csv": f"/alpha/polls/{poll_id}/results.csv",
        "xlsx": f"/alpha/polls/{poll_id}/results.xlsx",
        "api": f"/api/v1/polls/{poll_id}/results", "card_page": f"/alpha/vote/{code}",
        "card_live": f"/alpha/vote/{code}/live",
    }[view]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("view", VIEWS)
def test_results_rules_hold_on_every_view_for_every_role(app, world, client_as, view, rule):
    _process, poll_id, (school, _mentors, _cafe) = _setup(app, world, results_visibility=rule)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        other = User(email="nina@alpha.test", name="Nina Nonvoter", password_hash="x")
        db.session.add(other)
        db.session.flush()
        db.session.add(Membership(user_id=other.id, role="member"))
        db.session.commit()
        other_id = other.id

    organiser = client_as("alpha_coordinator")
    assert organiser.post(f"/alpha/polls/{poll_id}/cards", data={"count": "2"}).status_code == 302
    codes = re.findall(r'class="vote-card__code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})<',
                       organiser.get(f"/alpha/polls/{poll_id}/cards").text)
    voter = client_as("alpha_member")
    assert voter.post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "2"}).status_code == 302
    non_voter = app.test_client()
    login(non_voter, other_id)
    card_voter, card_idle = phone(app), phone(app)
    assert card_voter.post(f"/alpha/vote/{codes[0]}", data={f"dots-{school}": "1"}).status_code == 302
    assert card_idle.get(f"/alpha/vote/{codes[1]}").status_code == 200  # the card is on this phone now

    if view in CARD:
        viewers = {"card_voter": (card_voter, codes[0]), "card_idle": (card_idle, codes[1])}
    else:
        viewers = {"organiser": (organiser, None), "voter": (voter, None), "non_voter": (non_voter, None)}
    tokens = {}
    if view == "api":
        users = {"organiser": world.users["alpha_coordinator"], "voter": world.users["alpha_member"],
                 "non_voter": other_id}
        tokens = {who: make_token(app, users[who], world.tenants["alpha"]) for who in viewers}

    def look(who: str, client, code):
        live_fragments.clear()
        if view == "api":
            return app.test_client().get(_path(view, poll_id, code), headers={
                "Authorization": f"Bearer {tokens[who]}", "Accept-Language": "en"})
        return client.get(_path(view, poll_id, code))

    for closed in (False, True):
        if closed:
            assert organiser.post(f"/alpha/polls/{poll_id}/status", data={"action": "close"}).status_code == 302
        for who, (client, code) in viewers.items():
            seen = _shows(look(who, client, code), view)
            assert seen == _should_see(view, rule, who, closed), (view, rule, who, "closed" if closed else "open")
