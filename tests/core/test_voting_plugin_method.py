"""A poll method from a plugin works end to end, like the built-in ones: the sample plugin's
yes-or-no method shows its own ballot, reads and refuses its own form, stores its ballots,
fills the form again, is tallied and shown in the results."""

from __future__ import annotations

from sqlalchemy import func, select

from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.tenancy import tenant_context
from dugnad.voting import service
from dugnad.voting.models import Ballot, BallotMark, Poll
from tests.conftest import login
from tests.support.context import in_english


def _client(app, world, key):
    client = app.test_client()
    login(client, world.users[key])
    return in_english(client)


def test_the_sample_plugins_method_is_cast_tallied_and_shown(app, world):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "Bolig og arbeid", None)
        poll = service.create_poll(process, title="Shall we open a café?", method="sample_yes_no")
        service.open_poll(poll)  # the method takes no options
        db.session.commit()
        poll_id = poll.id
    page = f"/alpha/polls/{poll_id}/"
    member = _client(app, world, "alpha_member")
    shown = member.get(page).text
    assert 'name="answer" value="yes"' in shown and 'name="answer" value="no"' in shown  # the plugin's template

    refused = member.post(f"{page}vote", data={"answer": "maybe"})
    assert refused.status_code == 422 and "Answer yes or no." in refused.text

    for key, answer in (("alpha_member", "yes"), ("alpha_coordinator", "yes"), ("alpha_admin", "no")):
        assert _client(app, world, key).post(f"{page}vote", data={"answer": answer}).status_code == 302
    assert 'value="yes" checked' in member.get(page).text  # the stored ballot fills the form again

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        contents = db.session.scalars(select(Ballot.content).where(Ballot.poll_id == poll_id)).all()
        assert sorted(contents) == [False, True, True]  # stored as the method's ballots, not the form
        assert db.session.scalar(select(func.count()).select_from(BallotMark).where(BallotMark.poll_id == poll_id)) == 0
        poll = db.session.get(Poll, poll_id)
        found = service.results(poll)
        assert found.tally == {"yes": 2} and found.turnout == 3
        service.close_poll(poll)
        db.session.commit()

    results = _client(app, world, "alpha_coordinator").get(f"{page}results").text
    assert "Most support: Yes" in results
    assert "Answers" in results and ">2<" in results.replace(" ", "") and ">1<" in results.replace(" ", "")
