"""Many ballots at the same moment, each request in its own session and thread, as
gunicorn would run them: the database keeps one ballot per voter and never more dots
than a person has (ops/bench/voting.py does the same with 500 voters over HTTP)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.tenancy import tenant_context
from dugnad.voting import service
from dugnad.voting.models import Ballot, BallotMark
from dugnad.voting.service import PollError


def _poll(app, world, **kwargs):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "P", None)
        poll = service.create_poll(process, title="Q", method="dot", options=["A", "B", "C"], **kwargs)
        service.open_poll(poll)
        voters = [v.id for v, _code in service.issue_links(poll, 8)]
        db.session.commit()
        return poll.id, [o.id for o in service.options_of(poll)], voters


def _at_once(app, world, calls) -> list[str]:
    """Run each call in its own thread, app context and session, all released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)

    def run(i, call):
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            barrier.wait()
            try:
                call()
                db.session.commit()
                outcomes[i] = "stored"
            except PollError as error:
                db.session.rollback()
                outcomes[i] = f"refused {error.status}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _cast(poll_id, voter_id, ballot):
    def call():
        from dugnad.voting.models import Voter

        poll = service.get_poll(poll_id)
        service.cast(poll, db.session.get(Voter, voter_id), ballot)

    return call


def _stored(app, world, poll_id):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        ballots = db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll_id))
        dots = db.session.scalar(select(func.coalesce(func.sum(BallotMark.value), 0)).where(BallotMark.poll_id == poll_id))
        per_voter = db.session.execute(select(Ballot.voter_id, func.count()).where(Ballot.poll_id == poll_id)
                                       .group_by(Ballot.voter_id)).all()
        return ballots, dots, max((n for _v, n in per_voter), default=0)


def test_one_voter_pressing_twice_at_once_leaves_one_ballot(app, world):
    poll_id, (a, b, c), voters = _poll(app, world)
    ballots = [{a: 2}, {b: 2}, {a: 1, c: 1}, {c: 2}]
    outcomes = _at_once(app, world, [_cast(poll_id, voters[0], ballot) for ballot in ballots])
    assert outcomes == ["stored"] * 4  # each was a whole, valid ballot: the last one written stands
    assert _stored(app, world, poll_id) == (1, 2, 1)


def test_many_voters_at_once_store_exactly_their_dots(app, world):
    poll_id, (a, b, c), voters = _poll(app, world)
    calls = [_cast(poll_id, voter, {a: 1, b: 1}) for voter in voters] + [_cast(poll_id, voter, {c: 2}) for voter in voters]
    assert set(_at_once(app, world, calls)) == {"stored"}
    assert _stored(app, world, poll_id) == (8, 16, 1)


def test_in_an_anonymous_poll_exactly_one_of_the_double_taps_counts(app, world):
    poll_id, (a, b, _c), voters = _poll(app, world, anonymous=True)
    outcomes = _at_once(app, world, [_cast(poll_id, voters[0], {a: 2}), _cast(poll_id, voters[0], {b: 2}),
                                     _cast(poll_id, voters[0], {a: 1, b: 1})])
    assert sorted(outcomes) == ["refused 409", "refused 409", "stored"]
    ballots, dots, _most = _stored(app, world, poll_id)
    assert (ballots, dots) == (1, 2)


def test_without_changes_allowed_the_first_of_the_double_taps_counts(app, world):
    poll_id, (a, b, _c), voters = _poll(app, world, allow_change=False)
    outcomes = _at_once(app, world, [_cast(poll_id, voters[1], {a: 2}), _cast(poll_id, voters[1], {b: 2})])
    assert sorted(outcomes) == ["refused 409", "stored"]
    assert _stored(app, world, poll_id) == (1, 2, 1)
