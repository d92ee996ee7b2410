"""A voting card's ballot in one round trip (``dugnad.voting.fastcast``, the database
function ``dugnad_cast_card``): it stores exactly what the general path would store, and
nothing else — everything it does not take goes to the general path, which refuses or
stores as before. htmx gets the confirmation in place of the ballot; without JavaScript,
a redirect. Under concurrency the database keeps one ballot per voter."""

from __future__ import annotations

import re
import threading
import time

import pytest
from sqlalchemy import func, select, text
from werkzeug.datastructures import MultiDict

from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.tenancy import tenant_context
from dugnad.voting import fastcast, service
from dugnad.voting.models import Ballot, BallotMark, Poll, Voter
from dugnad.voting.service import PollError
from tests.support.context import in_english

HTMX = {"HX-Request": "true", "HX-Target": "vote"}


def _poll(app, world, slug="alpha", cards=2, method="dot", options=("A", "B", "C"), **kwargs):
    """An open poll with ``cards`` voting cards; (poll id, option ids, [(voter id, code)])."""
    with app.app_context(), tenant_context(world.tenants[slug]):
        process = processes.start_process("blt", "P", None)
        poll = service.create_poll(process, title="Q", method=method, options=list(options), **kwargs)
        service.open_poll(poll)
        made = [(voter.id, code) for voter, code in service.issue_links(poll, cards)]
        db.session.commit()
        return poll.id, [o.id for o in service.options_of(poll)], made


def _phone(app, code):
    """A phone that has opened (and so holds) the card."""
    client = in_english(app.test_client())
    assert client.get(f"/alpha/vote/{code}").status_code == 200
    return client


def _stored(app, world, poll_id, slug="alpha"):
    with app.app_context(), tenant_context(world.tenants[slug]):
        ballots = db.session.execute(select(Ballot.voter_id, Ballot.content, Ballot.weight)
                                     .where(Ballot.poll_id == poll_id).order_by(Ballot.voter_id)).all()
        marks = db.session.execute(select(BallotMark.option_id, BallotMark.value).where(BallotMark.poll_id == poll_id)
                                   .order_by(BallotMark.option_id, BallotMark.value)).all()
        return [tuple(b) for b in ballots], [tuple(m) for m in marks]


def _dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def _own(statements):
    return [s for s in statements if not s.lstrip().upper().startswith("SET LOCAL")]


def test_a_card_vote_over_htmx_is_one_statement_and_answers_with_the_confirmation(app, world, queries):
    poll_id, (a, b, _c), [(voter_id, code)] = _poll(app, world, cards=1)
    phone = _phone(app, code)
    queries.statements.clear()
    answer = phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1", f"dots-{b}": "1"}, headers=HTMX)
    assert answer.status_code == 200
    assert 'id="vote"' in answer.text and "Your vote is recorded. You can change it until the poll closes." in answer.text
    assert "<html" not in answer.text and f'href="/alpha/vote/{code}"' in answer.text  # a fragment; change by the card
    mine = [s for s in _own(queries.statements) if "FROM tenant" not in s]  # the request finds its municipality
    if _dialect(app) == "postgresql":
        assert len(mine) == 1 and "dugnad_cast_card" in mine[0], mine
    assert _stored(app, world, poll_id) == ([(voter_id, {str(a): 1, str(b): 1}, 2)], [(a, 1), (b, 1)])
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        assert db.session.get(Voter, voter_id).has_voted

    # without JavaScript the same vote is a redirect to the card, which shows the stored ballot
    plain = phone.post(f"/alpha/vote/{code}", data={f"dots-{b}": "2"})
    assert plain.status_code == 302 and plain.headers["Location"].endswith(f"/alpha/vote/{code}#results-heading")
    page = phone.get(f"/alpha/vote/{code}").text
    assert "Your vote is recorded." in page and "Change my vote" in page
    assert _stored(app, world, poll_id) == ([(voter_id, {str(b): 2}, 2)], [(b, 2)])


@pytest.mark.parametrize("method, settings, form", [
    ("dot", {"dots_per_person": 3}, lambda o: {f"dots-{o[0]}": "2", f"dots-{o[1]}": "1"}),
    ("dot", {"dots_per_person": 2, "stacking": False}, lambda o: {f"dots-{o[0]}": "1", f"dots-{o[2]}": "1"}),
    ("dot", {}, lambda o: {f"dots-{o[0]}": "0", f"dots-{o[1]}": ""}),  # an empty ballot is a ballot
    ("approval", {"max_approvals": 2}, lambda o: MultiDict([("approve", str(o[0])), ("approve", str(o[2]))])),
    ("single", {}, lambda o: {"choice": str(o[1])}),
])
def test_the_fast_path_stores_what_the_general_path_stores(app, world, method, settings, form):
    fast_poll, options, [(fast_voter, code)] = _poll(app, world, cards=1, method=method, settings=settings)
    general_poll, general_options, [(general_voter, _code)] = _poll(app, world, cards=1, method=method, settings=settings)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        secret, _fresh = service.claim(db.session.get(Voter, fast_voter), None)
        assert fastcast.cast_card(code, [secret], _form(form(options))) == fastcast.Stored(True, False)
        poll = db.session.get(Poll, general_poll)
        found = service.options_of(poll)
        from dugnad.voting import ballots

        service.cast(poll, db.session.get(Voter, general_voter), ballots.from_form(poll, found, _form(form(general_options))))
        db.session.commit()
    fast, general = _stored(app, world, fast_poll), _stored(app, world, general_poll)
    position = {new: old for new, old in zip(general_options, options)}  # the same ballot on the other poll's options
    assert [(w, _renumber(c, position)) for _v, c, w in general[0]] == [(w, c) for _v, c, w in fast[0]]
    assert sorted((position[o], v) for o, v in general[1]) == fast[1]


def _form(data):
    return data if isinstance(data, MultiDict) else MultiDict(data)


def _renumber(content, position):
    if isinstance(content, dict):
        return {str(position[int(o)]): v for o, v in content.items()}
    if isinstance(content, list):
        return [position[o] for o in content]
    return position[content]


@pytest.mark.parametrize("method, settings, form", [
    ("dot", {"dots_per_person": 2}, lambda o: {f"dots-{o[0]}": "2", f"dots-{o[1]}": "1"}),  # over budget
    ("dot", {"dots_per_person": 3, "stacking": False}, lambda o: {f"dots-{o[0]}": "2"}),  # stacked
    ("dot", {"dots_per_person": 4, "max_per_option": 2}, lambda o: {f"dots-{o[0]}": "3"}),  # over the cap
    ("dot", {}, lambda o: {f"dots-{o[0]}": "-1", f"dots-{o[1]}": "3"}),  # negative
    ("dot", {}, lambda o: {f"dots-{o[0]}": "one"}),  # not a number
    ("dot", {}, lambda o: {f"dots-{o[2] + 1000}": "1"}),  # not an option of this poll
    ("approval", {"max_approvals": 1}, lambda o: MultiDict([("approve", str(o[0])), ("approve", str(o[1]))])),
    ("single", {}, lambda o: {"choice": ""}),
    ("single", {}, lambda o: {f"dots-{o[0]}": "1"}),  # another method's form
])
def test_the_fast_path_writes_nothing_for_a_ballot_it_does_not_take(app, world, method, settings, form):
    poll_id, options, [(voter_id, code)] = _poll(app, world, cards=1, method=method, settings=settings)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        secret, _fresh = service.claim(db.session.get(Voter, voter_id), None)
        assert fastcast.cast_card(code, [secret], _form(form(options))) is None
        db.session.commit()
    assert _stored(app, world, poll_id) == ([], [])


@pytest.mark.parametrize("settings", [{"dots_per_person": 0}, {"dots_per_person": "2"}, {"max_per_option": 0},
                                      {"stacking": "yes"}])
def test_settings_of_an_unexpected_shape_leave_the_ballot_to_the_general_path(app, world, settings):
    """Settings the poll form never makes (PollRules refuses or reads them its own way):
    the fast path does not guess, the general path decides."""
    poll_id, (a, _b, _c), [(voter_id, code)] = _poll(app, world, cards=1)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        db.session.execute(Poll.__table__.update().where(Poll.id == poll_id).values(settings=settings))
        secret, _fresh = service.claim(db.session.get(Voter, voter_id), None)
        assert fastcast.cast_card(code, [secret], MultiDict({f"dots-{a}": "1"})) is None
        db.session.rollback()


def test_what_the_fast_path_does_not_take_the_general_path_refuses_in_words(app, world):
    poll_id, (a, b, _c), [(_voter, code)] = _poll(app, world, cards=1)
    phone = _phone(app, code)
    over = phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "2", f"dots-{b}": "1"}, headers=HTMX)
    assert over.status_code == 422  # htmx swaps 422: the ballot again, the message at it, the dots as chosen
    section = re.search(r'<section[^>]*id="vote".*?</section>', over.text, re.S).group(0)
    assert "You have 2 dots and used 3." in section and 'role="alert"' in section
    assert _stored(app, world, poll_id) == ([], [])
    plain = phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "2", f"dots-{b}": "1"})
    assert plain.status_code == 422 and "You have 2 dots and used 3." in plain.text

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        service.close_poll(db.session.get(Poll, poll_id))
        db.session.commit()
    closed = phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1"}, headers=HTMX)
    assert closed.status_code == 409 and closed.headers["HX-Refresh"] == "true"  # the card page says why
    assert "The poll has closed. Your vote was not recorded." in phone.get(f"/alpha/vote/{code}").text
    assert _stored(app, world, poll_id) == ([], [])


def test_a_card_first_used_to_vote_is_claimed_by_the_general_path(app, world):
    poll_id, (a, _b, _c), [(voter_id, code)] = _poll(app, world, cards=1)
    phone = in_english(app.test_client())  # has not opened the card: no device secret yet
    assert phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "2"}, headers=HTMX).status_code == 200
    assert _stored(app, world, poll_id)[0] == [(voter_id, {str(a): 2}, 2)]
    other = in_english(app.test_client())
    refused = other.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1"}, headers=HTMX)
    assert refused.status_code == 410 and refused.headers["HX-Refresh"] == "true"
    assert _stored(app, world, poll_id)[0] == [(voter_id, {str(a): 2}, 2)]


def test_a_withdrawn_card_cannot_vote_on_the_phone_that_holds_it(app, world):
    poll_id, (a, _b, _c), [(_voter, code)] = _poll(app, world, cards=1)
    phone = _phone(app, code)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        db.session.execute(Voter.__table__.update().where(Voter.poll_id == poll_id).values(revoked_at=func.now()))
        db.session.commit()
    assert phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1"}).status_code == 410
    assert _stored(app, world, poll_id) == ([], [])


def test_a_card_of_another_municipality_stores_nothing_here(app, world):
    poll_id, (a, _b, _c), [(_voter, code)] = _poll(app, world, slug="beta", cards=1)
    phone = in_english(app.test_client())
    assert phone.get(f"/beta/vote/{code}").status_code == 200  # this phone holds the card in beta
    assert phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1"}, headers=HTMX).status_code == 404
    assert _stored(app, world, poll_id, slug="beta") == ([], [])
    assert phone.post(f"/beta/vote/{code}", data={f"dots-{a}": "1"}, headers=HTMX).status_code == 200


def test_the_municipality_a_vote_sets_for_row_level_security_ends_with_its_statement(app, world, monkeypatch):
    """On PostgreSQL the vote is one statement run as its own transaction, the tenant set
    inside it (``scoping.tenant_settings_cte``): the pooled connection keeps no tenant."""
    poll_id, (a, b, _c), [(voter_id, code)] = _poll(app, world, cards=1)
    phone = _phone(app, code)
    used = []
    if _dialect(app) == "postgresql":  # seen at the driver: the statement goes past SQLAlchemy
        import psycopg

        execute = psycopg.Cursor.execute

        def noted(cursor, query, params=None, **kwargs):
            if "dugnad_cast_card" in str(query):
                used.append((cursor.connection, cursor.connection.autocommit))
            return execute(cursor, query, params, **kwargs)

        monkeypatch.setattr(psycopg.Cursor, "execute", noted)
    assert phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1", f"dots-{b}": "1"}, headers=HTMX).status_code == 200
    monkeypatch.undo()
    assert _stored(app, world, poll_id) == ([(voter_id, {str(a): 1, str(b): 1}, 2)], [(a, 1), (b, 1)])
    if _dialect(app) == "postgresql":
        [(connection, alone)] = used
        assert alone  # no BEGIN before it, no COMMIT after it: one round trip
        try:
            assert connection.execute("SELECT current_setting('app.tenant_id', true)").fetchone()[0] in ("", None)
        finally:
            connection.rollback()


def test_anonymous_and_unchangeable_polls_take_the_first_ballot_only(app, world):
    for kwargs, first in (({"anonymous": True}, "Your vote is recorded."), ({"allow_change": False}, "Your vote is recorded.")):
        poll_id, (a, b, _c), [(voter_id, code)] = _poll(app, world, cards=1, **kwargs)
        phone = _phone(app, code)
        stored = phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "2"}, headers=HTMX)
        assert stored.status_code == 200 and first in stored.text and "Change my vote" not in stored.text
        again = phone.post(f"/alpha/vote/{code}", data={f"dots-{b}": "2"}, headers=HTMX)
        assert again.status_code == 409
        ballots, marks = _stored(app, world, poll_id)
        assert [(w, c) for _v, c, w in ballots] == [(2, {str(a): 2})] and marks == [(a, 2)]
        assert ballots[0][0] == (None if kwargs.get("anonymous") else voter_id)  # nothing links it to the card


def test_a_plugin_method_takes_the_general_path_on_a_card(app, world):
    poll_id, _options, [(_voter, code)] = _poll(app, world, cards=1, method="sample_yes_no", options=())
    phone = _phone(app, code)
    assert phone.post(f"/alpha/vote/{code}", data={"answer": "maybe"}, headers=HTMX).status_code == 422
    answer = phone.post(f"/alpha/vote/{code}", data={"answer": "yes"}, headers=HTMX)
    assert answer.status_code == 200 and "Your vote is recorded." in answer.text
    assert [c for _v, c, _w in _stored(app, world, poll_id)[0]] == [True]


# --- at the same moment ---------------------------------------------------------------------------------


def _at_once(app, world, calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(i, call):
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            barrier.wait()
            try:
                outcomes[i] = "stored" if call() is not None else "general path"
                db.session.commit()
            except PollError as error:
                outcomes[i] = f"refused {error.status}"
            finally:
                db.session.rollback()
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _claimed(app, world, made):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        secrets = [service.claim(db.session.get(Voter, voter_id), None)[0] for voter_id, _code in made]
        db.session.commit()
        return secrets


def _fast(code, secret, dots):
    return lambda: fastcast.cast_card(code, [secret], MultiDict({f"dots-{o}": str(n) for o, n in dots.items()}))


def test_double_taps_and_many_voters_at_once_leave_one_ballot_each(app, world):
    poll_id, (a, b, c), made = _poll(app, world, cards=6)
    secrets = _claimed(app, world, made)
    calls = [_fast(code, secret, dots) for (_v, code), secret in zip(made, secrets)
             for dots in ({a: 1, b: 1}, {c: 2}, {a: 2})]
    assert set(_at_once(app, world, calls)) == {"stored"}
    ballots, marks = _stored(app, world, poll_id)
    assert len(ballots) == 6 and sorted({v for v, _c, _w in ballots}) == sorted(v for v, _code in made)
    assert sum(value for _o, value in marks) == 12 and all(w == 2 for _v, _c, w in ballots)


def test_in_an_anonymous_poll_one_of_the_double_taps_is_stored(app, world):
    poll_id, (a, b, _c), made = _poll(app, world, cards=1, anonymous=True)
    [secret] = _claimed(app, world, made)
    code = made[0][1]
    outcomes = _at_once(app, world, [_fast(code, secret, {a: 2}), _fast(code, secret, {b: 2}),
                                     _fast(code, secret, {a: 1, b: 1})])
    assert sorted(outcomes) == ["general path", "general path", "stored"]  # which refuses them (409)
    ballots, marks = _stored(app, world, poll_id)
    assert len(ballots) == 1 and sum(v for _o, v in marks) == 2


def test_closing_waits_for_a_ballot_in_flight_and_refuses_the_next(app, world):
    if _dialect(app) != "postgresql":
        pytest.skip("the poll's lock (advisory) is PostgreSQL's; SQLite runs one writer at a time")
    poll_id, (a, _b, _c), made = _poll(app, world, cards=2)
    secrets = _claimed(app, world, made)
    cast, closing, closed = threading.Event(), threading.Event(), []

    def voter():
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            db.session.connection()  # a transaction the caller holds open: the ballot joins it
            assert _fast(made[0][1], secrets[0], {a: 2})() is not None
            cast.set()
            closing.wait(5)  # the close is waiting on this ballot's lock now
            db.session.commit()

    def organiser():
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            cast.wait(5)
            threading.Timer(0.5, closing.set).start()
            service.close_poll(db.session.get(Poll, poll_id))
            closed.append(closing.is_set())  # only after the ballot was committed
            db.session.commit()

    threads = [threading.Thread(target=voter), threading.Thread(target=organiser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert closed == [True]
    assert len(_stored(app, world, poll_id)[0]) == 1
    assert _at_once(app, world, [_fast(made[1][1], secrets[1], {a: 1})]) == ["general path"]


def test_closing_waits_for_a_ballot_in_its_own_statement(app, world):
    """A card vote alone is one statement in its own transaction: a close that comes while
    the statement runs waits for it (the poll's advisory lock, shared), and the ballot is kept."""
    if _dialect(app) != "postgresql":
        pytest.skip("the poll's lock (advisory) is PostgreSQL's; SQLite runs one writer at a time")
    poll_id, (a, _b, _c), made = _poll(app, world, cards=2)
    secrets = _claimed(app, world, made)
    order, voted = [], []

    def voter():
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            voted.append(_fast(made[0][1], secrets[0], {a: 2})())

    def organiser():
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            service.close_poll(db.session.get(Poll, poll_id))
            db.session.commit()
            order.append("closed")

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        # hold the card's row: the vote's statement stops at its last step, the poll's lock held
        db.session.execute(select(Voter.id).where(Voter.id == made[0][0]).with_for_update())
        threads = [threading.Thread(target=voter), threading.Thread(target=organiser)]
        threads[0].start()
        time.sleep(0.5)
        threads[1].start()
        time.sleep(0.5)
        order.append("card released")
        db.session.commit()
    for thread in threads:
        thread.join()
    assert order == ["card released", "closed"] and voted == [fastcast.Stored(True, False)]
    assert len(_stored(app, world, poll_id)[0]) == 1
    assert _at_once(app, world, [_fast(made[1][1], secrets[1], {a: 1})]) == ["general path"]


def test_a_card_vote_moves_the_municipality_s_data_version(app, world):
    """The database function writes inside a SELECT, which the statement watch cannot see:
    the vote itself moves the version, so a kept voting widget shows the new turnout."""
    from dugnad import cache, versions

    _poll_id, (a, _b, _c), [(_voter_id, code)] = _poll(app, world, cards=1)
    phone = _phone(app, code)
    with app.app_context():
        before = cache.get_fresh("nothing", versions.stamps_of(world.tenants["alpha"]))[1]
    assert phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1"}, headers=HTMX).status_code == 200
    with app.app_context():
        assert cache.get_fresh("nothing", versions.stamps_of(world.tenants["alpha"]))[1] != before


# --- the lean path in front of Flask (``voting.lean``) ------------------------------------------------


@pytest.fixture
def csrf_on(app):
    """CSRF protection as in production (the test app turns it off): the lean path takes a
    vote only with a valid token, and leaves everything else to Flask."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _token(phone, code) -> str:
    page = phone.get(f"/alpha/vote/{code}")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _lean_lines(caplog):
    return [r for r in caplog.records if r.name == "dugnad.request" and r.pathname.endswith("lean.py")]


@pytest.mark.parametrize("language, kwargs", [("en", {}), ("nn", {}), ("nb", {"allow_change": False}),
                                              ("en", {"anonymous": True})])
def test_the_lean_path_answers_a_card_vote_as_the_general_path_does(app, world, csrf_on, caplog, queries,
                                                                     language, kwargs):
    poll_id, (a, b, _c), [(_v1, lean_code), (_v2, general_code)] = _poll(app, world, cards=2, **kwargs)
    answers = {}
    for code, lean in ((general_code, False), (lean_code, True)):
        phone = app.test_client()
        sent = {**HTMX, "Accept-Language": language}
        token = _token(phone, code)
        app.config["DUGNAD_LEAN_CARD_VOTES"] = lean
        caplog.clear()
        queries.statements.clear()
        try:
            answer = phone.post(f"/alpha/vote/{code}", data={"csrf_token": token, f"dots-{a}": "1", f"dots-{b}": "1"},
                                headers=sent)
        finally:
            app.config.pop("DUGNAD_LEAN_CARD_VOTES")
        assert answer.status_code == 200
        assert len(_lean_lines(caplog)) == (1 if lean else 0)  # one log line, from the lean path
        assert len([r for r in caplog.records if r.name == "dugnad.request"]) == 1
        if lean and _dialect(app) == "postgresql":
            assert len(_own(queries.statements)) == 1 and "dugnad_cast_card" in queries.statements[0]
        headers = {k: v for k, v in answer.headers.items() if k not in ("X-Request-Id", "Content-Length", "Set-Cookie")}
        # the card's page marked the session not fresh, as Flask-Login would at the vote: no cookie to send
        assert "Set-Cookie" not in answer.headers
        session = app.session_interface.get_signing_serializer(app).loads(phone.get_cookie("session").value)
        answers[lean] = (answer.text.replace(code, "CODE"), sorted(headers.items()), answer.headers.get_all("Vary"),
                         sorted(session), session["_fresh"])
        again = phone.post(f"/alpha/vote/{code}", data={"csrf_token": token, f"dots-{a}": "1"}, headers=sent)
        if kwargs.get("allow_change", True) and not kwargs.get("anonymous"):
            assert again.status_code == 200 and "Set-Cookie" not in again.headers  # nothing more in the session
        else:
            assert again.status_code == 409  # the general path refuses, and flashes why
    assert answers[True] == answers[False]
    assert len(_stored(app, world, poll_id)[0]) == 2


def test_the_lean_path_leaves_everything_unusual_to_flask(app, world, csrf_on, caplog):
    poll_id, (a, b, _c), [(_voter, code)] = _poll(app, world, cards=1, settings={"dots_per_person": 2})
    phone = in_english(app.test_client())
    token = _token(phone, code)
    vote = {"csrf_token": token, f"dots-{a}": "1"}
    caplog.clear()
    # no token, a wrong one, one of another session: Flask-WTF refuses, as before
    assert phone.post(f"/alpha/vote/{code}", data={f"dots-{a}": "1"}, headers=HTMX).status_code == 400
    assert phone.post(f"/alpha/vote/{code}", data={**vote, "csrf_token": token[:-2] + "xx"}, headers=HTMX).status_code == 400
    other = in_english(app.test_client())
    other_token = _token(other, code)  # refused to vote with the card (not held), but it has a token of its own
    assert phone.post(f"/alpha/vote/{code}", data={**vote, "csrf_token": other_token}, headers=HTMX).status_code == 400
    # over budget: the general path words it
    over = phone.post(f"/alpha/vote/{code}", data={**vote, f"dots-{b}": "2"}, headers=HTMX)
    assert over.status_code == 422 and "You have 2 dots and used 3." in over.text
    # without htmx: the redirect and the message on the card page, as before
    plain = phone.post(f"/alpha/vote/{code}", data=vote)
    assert plain.status_code == 302 and plain.headers["Location"].endswith(f"/alpha/vote/{code}#results-heading")
    assert _lean_lines(caplog) == []
    assert _stored(app, world, poll_id)[1] == [(a, 1)]
    # a query string, or a body Flask must read: the general path (which stores it)
    assert phone.post(f"/alpha/vote/{code}?x=1", data={**vote, f"dots-{a}": "2"}, headers=HTMX).status_code == 200
    assert _lean_lines(caplog) == [] and _stored(app, world, poll_id)[1] == [(a, 2)]
    # a card of another municipality, a suspended municipality: as before
    assert phone.post(f"/beta/vote/{code}", data=vote, headers=HTMX).status_code == 404
    assert phone.post(f"/nowhere/vote/{code}", data=vote, headers=HTMX).status_code == 404
    assert _lean_lines(caplog) == []
    assert phone.post(f"/alpha/vote/{code}", data=vote, headers=HTMX).status_code == 200
    assert len(_lean_lines(caplog)) == 1 and _stored(app, world, poll_id)[1] == [(a, 1)]
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        service.close_poll(db.session.get(Poll, poll_id))
        db.session.commit()
    closed = phone.post(f"/alpha/vote/{code}", data={**vote, f"dots-{a}": "2"}, headers=HTMX)
    assert closed.status_code == 409 and closed.headers["HX-Refresh"] == "true"
    assert len(_lean_lines(caplog)) == 1 and _stored(app, world, poll_id)[1] == [(a, 1)]


def test_the_lean_path_refuses_a_form_the_input_guard_refuses(app, world, csrf_on, caplog):
    _poll_id, (a, _b, _c), [(_voter, code)] = _poll(app, world, cards=1)
    phone = in_english(app.test_client())
    token = _token(phone, code)
    caplog.clear()
    for body in (f"csrf_token={token}&dots-{a}=1&note=%00", f"csrf_token={token}&dots-{a}=1&note=%FF"):
        answer = phone.post(f"/alpha/vote/{code}", data=body, headers=HTMX,
                            content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 400
    assert _lean_lines(caplog) == []


def test_changing_the_closing_time_waits_for_a_ballot_in_flight_and_takes_no_row_lock(app, world):
    """The card ballot holds its poll by a shared advisory lock (migration 0010), not a row
    lock: nothing is locked on the poll row while it runs, and an ORM change of what the
    ballot is checked against (here the closing time, through ``update_poll``) waits for it."""
    if _dialect(app) != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite runs one writer at a time")
    from datetime import timedelta

    from dugnad.clock import utcnow

    poll_id, (a, _b, _c), made = _poll(app, world, cards=1)
    [secret] = _claimed(app, world, made)
    cast, changed = threading.Event(), []
    locks = []

    def voter():
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            db.session.connection()  # a transaction held open: the ballot joins it
            assert _fast(made[0][1], secret, {a: 2})() is not None
            locks.extend(db.session.execute(text(
                "SELECT locktype, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype IN ('advisory', 'tuple')"
            )).all())
            cast.set()
            time.sleep(0.5)
            changed.append(("ballot committed", time.monotonic()))
            db.session.commit()

    def organiser():
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            cast.wait(5)
            service.update_poll(db.session.get(Poll, poll_id), closes_at=utcnow() + timedelta(hours=1))
            db.session.flush()  # the UPDATE: it takes the poll's lock exclusively first
            changed.append(("closing time changed", time.monotonic()))
            db.session.commit()

    threads = [threading.Thread(target=voter), threading.Thread(target=organiser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [name for name, _at in sorted(changed, key=lambda c: c[1])] == ["ballot committed", "closing time changed"]
    assert [tuple(lock) for lock in locks] == [("advisory", "ShareLock")]
    assert len(_stored(app, world, poll_id)[0]) == 1


def test_a_request_hook_the_lean_path_does_not_know_makes_it_step_aside(app, world, csrf_on, caplog):
    """The lean path does the work of today's request hooks itself; one added later (a
    plugin's, a new check) runs on the general path, for card votes too."""
    _poll_id, (a, _b, _c), [(_voter, code)] = _poll(app, world, cards=1)
    phone = in_english(app.test_client())
    token = _token(phone, code)
    seen = []

    def new_hook():
        seen.append(1)

    app.before_request_funcs.setdefault(None, []).append(new_hook)
    try:
        caplog.clear()
        assert phone.post(f"/alpha/vote/{code}", data={"csrf_token": token, f"dots-{a}": "1"}, headers=HTMX).status_code == 200
    finally:
        app.before_request_funcs[None].remove(new_hook)
    assert seen == [1] and _lean_lines(caplog) == []
    assert phone.post(f"/alpha/vote/{code}", data={"csrf_token": token, f"dots-{a}": "2"}, headers=HTMX).status_code == 200
    assert len(_lean_lines(caplog)) == 1  # without it, the lean path again


def test_the_function_refuses_marks_no_form_can_send(app, world):
    """``dugnad_cast_card``'s own checks of the marks (0012: one statement over them), called
    directly with what ``read_ballot`` never makes: each refusal writes nothing, and the
    same card's plain ballot after them is stored."""
    if _dialect(app) != "postgresql":
        pytest.skip("the function is PostgreSQL's; SQLite runs the same checks in Python steps")
    import hashlib
    import json

    from dugnad.clock import utcnow
    from dugnad.voting.models import PollOption

    poll_id, (a, b, c), [(voter_id, code)] = _poll(app, world, cards=1, settings={"dots_per_person": 3,
                                                                                  "max_per_option": 2})
    _approval_id, (x, _y, _z), [(approval_voter, approval_code)] = _poll(app, world, cards=1, method="approval")
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        secret, _fresh = service.claim(db.session.get(Voter, voter_id), None)
        other, _fresh = service.claim(db.session.get(Voter, approval_voter), None)
        db.session.get(PollOption, c).withdrawn_at = utcnow()
        db.session.commit()

        def cast(card, device, method, options, values):
            return db.session.execute(text(
                "SELECT outcome FROM dugnad_cast_card(:tenant, :token, CAST(:devices AS text[]), :method, "
                "CAST(:options AS integer[]), CAST(:values AS integer[]), CAST(:content AS json), :weight, "
                "CAST(:now AS timestamp), 1, CAST(:marks AS bigint[]))"), {
                "tenant": world.tenants["alpha"], "token": service.code_hash(card),
                "devices": [hashlib.sha256(device.encode()).hexdigest()], "method": method, "options": options,
                "values": values, "content": json.dumps({}), "weight": sum(values), "now": utcnow(),
                "marks": [1] * len(options)}).scalar_one()

        assert cast(code, secret, "dot", [a, a], [1, 1]) == "ballot"  # an option twice
        assert cast(code, secret, "dot", [a, c], [1, 1]) == "ballot"  # a withdrawn option
        assert cast(code, secret, "dot", [a, x], [1, 1]) == "ballot"  # another poll's option
        assert cast(code, secret, "dot", [a, b], [1, 0]) == "ballot"  # a value below 1
        assert cast(code, secret, "dot", [a, b], [2, 2]) == "ballot"  # over the budget of 3
        assert cast(code, secret, "dot", [a], [3]) == "ballot"  # over the cap of 2 on an option
        assert cast(code, secret, "dot", [a, b], [1]) == "method"  # options and values do not pair
        assert cast(approval_code, other, "approval", [x], [2]) == "ballot"  # approval marks are 1
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
        assert cast(code, secret, "dot", [a, b], [2, 1]) == "stored"
        db.session.commit()
    assert _stored(app, world, poll_id) == ([(voter_id, {}, 3)], [(a, 2), (b, 1)])
