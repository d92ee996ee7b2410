"""Polls through the service: the rules of each stage, every method counted from stored
ballots, and what the database refuses by itself."""

from __future__ import annotations

from datetime import timedelta

import flask
import pytest
from flask_babel import force_locale
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from dugnad.accounts.models import User
from dugnad.audit.models import AuditEvent
from dugnad.extensions import db
from dugnad.participants.models import Participant
from dugnad.processes import service as processes
from dugnad.tenancy import tenant_context
from dugnad.clock import utcnow
from dugnad.voting import service
from dugnad.voting.models import Ballot, BallotMark, Poll, Voter
from dugnad.voting.service import PollError


@pytest.fixture
def alpha(app, world):
    """Municipality alpha in context, messages in English (jobs and commands speak Bokmål)."""
    with app.app_context(), force_locale("en"), tenant_context(world.tenants["alpha"]):
        yield world
        db.session.rollback()


def _process():
    return processes.start_process("blt", "Bolig og arbeid", None)


def _user(world, key="alpha_member"):
    return db.session.get(User, world.users[key])


def _dot_poll(**kwargs):
    poll = service.create_poll(_process(), title="Which solutions go on?", method="dot",
                               options=["Housing school", "Job mentors", "International café"], **kwargs)
    service.open_poll(poll)
    return poll


def _ids(poll):
    return [o.id for o in service.options_of(poll)]


# --- creating and the stages ---------------------------------------------------------------


def test_a_poll_needs_a_title_a_known_method_and_future_closing(alpha):
    process = _process()
    with pytest.raises(PollError, match="title") as error:
        service.create_poll(process, title="  ", method="dot")
    assert error.value.field == "title"
    with pytest.raises(PollError) as error:
        service.create_poll(process, title="Q", method="lottery")
    assert error.value.field == "method"
    with pytest.raises(PollError, match="already passed"):
        service.create_poll(process, title="Q", method="dot", closes_at=utcnow() - timedelta(minutes=1))
    with pytest.raises(PollError, match="settings"):
        service.create_poll(process, title="Q", method="score", settings={"score_min": 5, "score_max": 1})
    assert db.session.scalar(select(func.count()).select_from(Poll)) == 0


def test_voting_opens_only_with_two_options_and_then_they_are_fixed(alpha):
    poll = service.create_poll(_process(), title="Q", method="dot", options=["Only one"])
    with pytest.raises(PollError, match="at least two options"):
        service.open_poll(poll)
    service.add_option(poll, "Another")
    with pytest.raises(PollError, match="already an option"):
        service.add_option(poll, "another")
    service.open_poll(poll)
    assert poll.state() == "open"
    with pytest.raises(PollError, match="voting has started"):
        service.add_option(poll, "Late idea")


def test_participants_propose_options_before_voting_opens(alpha):
    poll = service.create_poll(_process(), title="Ideas for the café", method="approval", option_mode="proposals")
    service.start_proposals(poll)
    idea = service.add_option(poll, "Homework help on Tuesdays", user=_user(alpha))
    service.add_option(poll, "Cooking together", user=_user(alpha, "alpha_coordinator"))
    service.add_option(poll, "Off topic")
    service.withdraw_option(poll, service.options_of(poll)[-1])
    assert [o.label for o in service.options_of(poll)] == ["Homework help on Tuesdays", "Cooking together"]
    assert idea.proposed_by_id == alpha.users["alpha_member"]
    service.open_poll(poll)
    with pytest.raises(PollError):
        service.withdraw_option(poll, idea)


def test_a_scheduled_poll_opens_and_closes_by_the_clock(alpha):
    now = utcnow()
    poll = _dot_poll(opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=2))
    voter = service.voter_for_user(poll, _user(alpha))
    assert poll.state() == "scheduled"
    with pytest.raises(PollError, match="not opened yet") as error:
        service.cast(poll, voter, {_ids(poll)[0]: 1})
    assert error.value.status == 409
    assert poll.state(now + timedelta(hours=1, minutes=1)) == "open"
    assert poll.state(now + timedelta(hours=2)) == "closed"


# --- casting ---------------------------------------------------------------------------------


def test_a_dot_ballot_is_stored_once_and_replaced_on_a_change_of_mind(alpha):
    poll = _dot_poll()
    school, mentors, cafe = _ids(poll)
    voter = service.voter_for_user(poll, _user(alpha))
    service.cast(poll, voter, {school: 2})
    service.cast(poll, voter, {mentors: 1, cafe: 1})
    ballots = db.session.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).all()
    assert len(ballots) == 1 and ballots[0].weight == 2
    marks = dict(db.session.execute(select(BallotMark.option_id, BallotMark.value).where(BallotMark.poll_id == poll.id)).all())
    assert marks == {mentors: 1, cafe: 1}
    assert service.ballot_of(poll, voter) == {mentors: 1, cafe: 1}
    assert service.results(poll).tally.value(school) == 0


@pytest.mark.parametrize("ballot, message", [
    (lambda ids: {ids[0]: 3}, "You have 2 dots and used 3."),
    (lambda ids: {ids[0]: 1, ids[1]: 1, ids[2]: 1}, "You have 2 dots and used 3."),
    (lambda ids: {ids[0]: -1}, "zero or more"),
    (lambda ids: {999999: 1}, "is not an option in this poll"),
    (lambda ids: [ids[0]], "Put your dots"),
])
def test_a_refused_ballot_records_nothing(alpha, ballot, message):
    poll = _dot_poll()
    voter = service.voter_for_user(poll, _user(alpha))
    with pytest.raises(PollError, match=message) as error:
        service.cast(poll, voter, ballot(_ids(poll)))
    assert error.value.status == 422
    assert db.session.scalar(select(func.count()).select_from(Ballot)) == 0
    assert db.session.scalar(select(func.count()).select_from(BallotMark)) == 0


def test_refusals_name_the_option_people_see(alpha):
    poll = service.create_poll(_process(), title="Q", method="dot", options=["Housing school", "Mentors"],
                               settings={"dots_per_person": 3, "stacking": False})
    service.open_poll(poll)
    with pytest.raises(PollError, match="“Housing school” has 2"):
        service.cast(poll, service.voter_for_user(poll, _user(alpha)), {_ids(poll)[0]: 2})


def test_an_option_of_another_poll_is_refused(alpha):
    first, second = _dot_poll(), _dot_poll()
    with pytest.raises(PollError, match="not an option"):
        service.cast(first, service.voter_for_user(first, _user(alpha)), {_ids(second)[0]: 1})


def test_a_closed_poll_accepts_nothing(alpha):
    poll = _dot_poll()
    voter = service.voter_for_user(poll, _user(alpha))
    service.cast(poll, voter, {_ids(poll)[0]: 1})
    assert service.close_poll(poll) is True
    with pytest.raises(PollError, match="closed") as error:
        service.cast(poll, voter, {_ids(poll)[1]: 2})
    assert error.value.status == 409
    assert service.ballot_of(poll, voter) == {_ids(poll)[0]: 1}
    assert service.close_poll(poll) is False


def test_without_changes_allowed_the_first_ballot_stands(alpha):
    poll = _dot_poll(allow_change=False)
    voter = service.voter_for_user(poll, _user(alpha))
    service.cast(poll, voter, {_ids(poll)[0]: 2})
    with pytest.raises(PollError, match="does not allow changing") as error:
        service.cast(poll, voter, {_ids(poll)[1]: 2})
    assert error.value.status == 409
    assert service.ballot_of(poll, voter) == {_ids(poll)[0]: 2}


def test_one_member_has_one_voter_row_per_poll(alpha):
    poll = _dot_poll()
    assert service.voter_for_user(poll, _user(alpha)).id == service.voter_for_user(poll, _user(alpha)).id


# --- anonymous polls -----------------------------------------------------------------------------


def test_an_anonymous_ballot_cannot_be_traced_back_or_changed(alpha):
    poll = _dot_poll(anonymous=True, allow_change=True, results_visibility="live")
    assert (poll.allow_change, poll.results_visibility) == (False, "after_close")  # forced
    voter = service.voter_for_user(poll, _user(alpha))
    assert service.cast(poll, voter, {_ids(poll)[0]: 2}) is None
    ballot = db.session.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).one()
    assert ballot.voter_id is None and ballot.cast_at is None and ballot.updated_at is None
    assert ballot.id > 2**32  # a random id, not the next in a sequence
    assert all(mark.id > 2**32 for mark in db.session.scalars(select(BallotMark)))
    assert service.ballot_of(poll, voter) is None
    with pytest.raises(PollError, match="already voted") as error:
        service.cast(poll, voter, {_ids(poll)[1]: 2})
    assert error.value.status == 409
    assert not service.can_see_results(poll, voter, manager=True)
    service.close_poll(poll)
    assert service.can_see_results(poll, voter, manager=False)
    assert service.results(poll).tally.value(_ids(poll)[0]) == 2


def test_the_database_refuses_an_anonymous_poll_that_could_be_opened_up(alpha):
    poll = _dot_poll(anonymous=True)
    poll.allow_change = True
    with pytest.raises(IntegrityError):
        db.session.flush()


# --- paper ballots and cards -------------------------------------------------------------------------


def test_a_paper_ballot_is_marked_and_audited(alpha):
    poll = _dot_poll()
    process_person = Participant(name="Amina Yusuf", category="target_group", legal_basis="consent")
    db.session.add(process_person)
    db.session.flush()
    facilitator = _user(alpha, "alpha_coordinator")
    service.enter_paper_ballot(poll, {_ids(poll)[1]: 2}, entered_by=facilitator, participant_id=process_person.id)
    service.enter_paper_ballot(poll, {_ids(poll)[0]: 1}, entered_by=facilitator, label="Table 3")
    ballots = db.session.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).all()
    assert {(b.on_paper, b.entered_by_id) for b in ballots} == {(True, facilitator.id)}
    assert sorted(db.session.scalars(select(Voter.label).where(Voter.kind == "paper"))) == ["Paper ballot 1", "Table 3"]
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "poll.paper_ballot")).all()
    assert [e.detail["participant_id"] for e in audited] == [process_person.id, None]
    assert service.results(poll).on_paper == 2
    with pytest.raises(PollError, match="participant register"):
        service.enter_paper_ballot(poll, {_ids(poll)[0]: 1}, entered_by=facilitator, participant_id=424242)


def test_anonymous_paper_ballots_have_no_name(alpha):
    poll = _dot_poll(anonymous=True)
    person = Participant(name="Named", category="residents", legal_basis="consent")
    db.session.add(person)
    db.session.flush()
    with pytest.raises(PollError, match="without a name"):
        service.enter_paper_ballot(poll, {_ids(poll)[0]: 1}, entered_by=_user(alpha, "alpha_coordinator"),
                                   participant_id=person.id)
    service.enter_paper_ballot(poll, {_ids(poll)[0]: 1}, entered_by=_user(alpha, "alpha_coordinator"))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "poll.paper_ballot")).one()
    assert event.detail["voter_id"] is None


def test_a_card_belongs_to_the_first_device_and_can_be_printed_again(alpha):
    poll = _dot_poll()
    (voter, code), (_other, other_code) = service.issue_links(poll, 2)
    assert voter.token_hash == service.code_hash(code) and len(code) == service.CODE_LENGTH
    assert code not in (voter.token_hash or "")
    assert [c for _v, c in service.cards(poll)] == [code, other_code]  # derived again, not stored
    app = flask.current_app
    old_key, app.config["SECRET_KEY"] = app.config["SECRET_KEY"], "a new key"
    assert service.cards(poll) == [] and service.voter_for_code(code).id == voter.id  # printed cards still work
    app.config["SECRET_KEY"] = old_key
    typed = service.display_code(code).lower().replace("0", "o")
    assert service.voter_for_code(typed).id == voter.id
    secret, fresh = service.claim(voter, None)
    assert fresh and service.claim(voter, secret) == (secret, False)
    with pytest.raises(PollError, match="another phone") as error:
        service.claim(voter, "someone else's secret")
    assert error.value.status == 410
    assert [c for _v, c in service.cards(poll)] == [other_code]  # in use: no longer to print
    assert service.revoke_unused_links(poll) == 1
    with pytest.raises(PollError, match="withdrawn"):
        service.claim(_other, None)
    assert service.link_counts(poll) == {"made": 2, "claimed": 1, "revoked": 1}


# --- closing on time ------------------------------------------------------------------------------


def test_the_scheduled_job_closes_due_polls_in_every_municipality(app, world):
    from dugnad.notifications import OutboxMessage
    from dugnad.voting.jobs import close_due_polls

    due_ids = {}
    with app.app_context():
        for slug in ("alpha", "beta"):
            with tenant_context(world.tenants[slug]):
                due = _dot_poll(closes_at=utcnow() + timedelta(minutes=5), user=db.session.get(User, world.users["alpha_admin"
                                                                                                               if slug == "alpha" else "beta_admin"]))
                later = _dot_poll(closes_at=utcnow() + timedelta(days=1))
                due.closes_at = utcnow() - timedelta(seconds=1)  # the time has come
                db.session.commit()
                due_ids[slug] = (due.id, later.id)
        assert close_due_polls() == 2
        assert close_due_polls() == 0  # idempotent
        for slug in ("alpha", "beta"):
            with tenant_context(world.tenants[slug]):
                due, later = (db.session.get(Poll, i) for i in due_ids[slug])
                assert (due.status, later.status) == ("closed", "open")
        notes = db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == "poll-closed")).all()
        assert sorted(notes) == ["admin@alpha.test", "admin@beta.test"]


# --- every method, counted from stored ballots -------------------------------------------------------


def _cast_all(poll, ballots, world):
    for i, ballot in enumerate(ballots):
        voter, _code = service.issue_links(poll, 1)[0]
        service.cast(poll, voter, ballot)


def test_every_method_counts_what_was_stored(alpha):
    process = _process()

    def make(method, options=("A", "B", "C"), **settings):
        poll = service.create_poll(process, title=method, method=method,
                                   options=options if method != "consent" else (), settings=settings or None)
        service.open_poll(poll)
        return poll, _ids(poll)

    poll, (a, b, c) = make("approval")
    _cast_all(poll, [{a, b}, {b}, {b, c}], alpha)
    assert [(r.option, r.value) for r in service.results(poll).tally.rows] == [(b, 3), (a, 1), (c, 1)]

    poll, (a, b, c) = make("single")
    _cast_all(poll, [a, b, b], alpha)
    assert service.results(poll).tally.winners == (b,)

    poll, (a, b, c) = make("ranked")
    _cast_all(poll, [[a, b], [b, a], [c, b], [b]], alpha)
    tally = service.results(poll).tally
    assert tally.winners == (b,) and len(tally.rounds) == 2

    poll, (a, b, c) = make("ranked", ranked_variant="borda")
    _cast_all(poll, [[a, b, c], [b, a, c]], alpha)
    assert service.results(poll).tally.value(a) == service.results(poll).tally.value(b) == 3

    poll, (a, b, c) = make("score", score_min=1, score_max=5)
    _cast_all(poll, [{a: 5, b: 3}, {a: 4}], alpha)
    rows = {r.option: r for r in service.results(poll).tally.rows}
    assert rows[a].mean == 4.5 and rows[b].count == 1 and rows[c].mean is None

    poll, _none = make("consent")
    _cast_all(poll, [{"position": "agree"}, {"position": "block", "reason": "Too costly"}], alpha)
    tally = service.results(poll).tally
    assert tally.outcome == "blocked" and tally.reasons == (("block", "Too costly"),)

    poll, ids = make("matrix", options=("Housing school", "Mentors"),
                           criteria=[{"key": "effect", "label": "Effect", "weight": 2}, {"label": "Cost"}])
    assert [cr.key for cr in poll.criteria] == ["effect", "c2"]
    _cast_all(poll, [{ids[0]: {"effect": 4, "c2": 2}, ids[1]: {"effect": 1, "c2": 5}}], alpha)
    tally = service.results(poll).tally
    assert tally.winners == (ids[0],) and tally.rows[0].weighted_total == 10


# --- what the database refuses by itself ----------------------------------------------------------


def test_the_database_refuses_a_second_ballot_and_foreign_options(alpha):
    poll, other = _dot_poll(), _dot_poll()
    voter = service.voter_for_user(poll, _user(alpha))
    ballot_id = service.cast(poll, voter, {_ids(poll)[0]: 1})
    tenant_id = alpha.tenants["alpha"]
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.execute(insert(Ballot).values(tenant_id=tenant_id, poll_id=poll.id, voter_id=voter.id, content={},
                                                     weight=0, on_paper=False))
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.execute(insert(BallotMark).values(tenant_id=tenant_id, poll_id=poll.id, ballot_id=ballot_id,
                                                         option_id=_ids(other)[0], criterion="", value=1))
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():  # a ballot whose voter belongs to another poll
            db.session.execute(insert(Ballot).values(tenant_id=tenant_id, poll_id=other.id, voter_id=voter.id, content={},
                                                     weight=0, on_paper=False))


def test_a_poll_outlives_the_activity_and_phase_it_was_tied_to(alpha):
    process = _process()
    phase = processes.phases_of(process)[1]
    activity = processes.create_activity(process, {"title": "Workshop 1", "phase_id": phase.id})
    poll = service.create_poll(process, title="Q", method="dot", options=["A", "B"], phase=phase, activity=activity)
    processes.delete_activity(process, activity)
    processes.remove_phase(process, phase)
    db.session.expire_all()
    poll = service.get_poll(poll.id)
    assert (poll.process_id, poll.phase_id, poll.activity_id) == (process.id, None, None)
