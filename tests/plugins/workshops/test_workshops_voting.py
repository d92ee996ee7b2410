"""The plenary dot vote and the pilot matrix, on the core's voting: two dots each on the
tables' picks (cards with QR codes for the phones, paper dots, the projector), and the
solutions that went on scored on the four criteria of seed 003 §4.1.6."""

from __future__ import annotations

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.processes.models import Process
from dugnad.voting import service as voting
from dugnad.voting.models import Poll, PollOption, Voter
from dugnad.voting.rules import DEFAULT_CRITERIA
from dugnad_workshops import polls
from dugnad_workshops.models import Need, Solution, Workshop
from tests.plugins.workshops.workshops_support import GUESTS, build_room, english, in_tenant, text  # noqa: F401

IDEAS = (("Få vil leie ut", "CV for boevne"), ("Få kommer i jobb", "Mentorer"), ("Få møteplasser", "Internasjonal kafé"))


def picks(app, made, client, tables=(0, 1, 2)) -> list[int]:
    ids = []
    for i in tables:
        need, idea = IDEAS[i]
        client.post(f"/alpha/workshops/{made.first}/tables/{made.tables[i]}/needs", data={"text": need})
        need_id = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Need.id).where(Need.text == need)))
        client.post(f"/alpha/workshops/{made.first}/tables/{made.tables[i]}/ideas",
                    data={"need_id": need_id, "title": idea, "measure": f"{idea} i praksis"})
        solution = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Solution.id).where(Solution.title == idea)))
        client.post(f"/alpha/workshops/{made.first}/ideas/{solution}/plenary", data={"send": "1"})
        ids.append(solution)
    return ids


def the_poll(app, made) -> Poll:
    return in_tenant(app, made.tenant_id, lambda: polls.vote_of(db.session.get(Workshop, made.first)))


def test_a_vote_before_the_proposals_are_in_is_refused(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    response = client.post(f"/alpha/workshops/{made.first}/plenary/vote")
    assert response.status_code == 409 and "The vote needs at least two proposals" in text(response)
    picks(app, made, client, tables=(0, 1))
    response = client.post(f"/alpha/workshops/{made.first}/plenary/vote")
    assert response.status_code == 409 and "Not every table has sent its proposals yet: Bord 3" in text(response)
    assert the_poll(app, made) is None
    assert client.post(f"/alpha/workshops/{made.first}/plenary/vote", data={"anyway": "1"}).status_code == 302
    assert the_poll(app, made).status == "open"


def test_the_picks_become_a_two_dot_vote_with_a_card_for_everyone(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solutions = picks(app, made, client)
    assert client.post(f"/alpha/workshops/{made.first}/plenary/vote").status_code == 302
    poll = the_poll(app, made)
    assert (poll.method, poll.settings, poll.status) == ("dot", {"dots_per_person": 2, "stacking": False}, "open")
    options = in_tenant(app, made.tenant_id, lambda: db.session.scalars(select(PollOption).where(
        PollOption.poll_id == poll.id).order_by(PollOption.id)).all())
    assert [o.source_ref for o in options] == [f"workshops.solution:{s}" for s in solutions]
    cards = in_tenant(app, made.tenant_id, lambda: db.session.scalars(select(Voter).where(
        Voter.poll_id == poll.id, Voter.kind == "link")).all())
    assert len(cards) == len(GUESTS) + 3  # the room and the facilitators
    # the picks are fixed now
    response = client.post(f"/alpha/workshops/{made.first}/ideas/{solutions[0]}/plenary", data={"send": "0"},
                           follow_redirects=True)
    assert "the proposals stay as they are" in text(response)
    page = text(client.get(f"/alpha/workshops/{made.first}/plenary"))
    assert f"/alpha/polls/{poll.id}/screen" in page and f"/alpha/polls/{poll.id}/cards" in page
    assert f"/alpha/polls/{poll.id}/paper" in page
    # a second vote is refused
    assert client.post(f"/alpha/workshops/{made.first}/plenary/vote").status_code == 409


def test_phones_and_paper_dots_count_and_the_most_dotted_go_on(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solutions = picks(app, made, client)
    client.post(f"/alpha/workshops/{made.first}/plenary/vote")
    poll = the_poll(app, made)
    codes = in_tenant(app, made.tenant_id, lambda: [code for _v, code in voting.cards(db.session.get(Poll, poll.id))])
    options = in_tenant(app, made.tenant_id, lambda: {o.source_ref: o.id for o in voting.options_of(db.session.get(Poll, poll.id))})
    mentor, cafe, cv = (options[f"workshops.solution:{s}"] for s in (solutions[1], solutions[2], solutions[0]))
    for code, marks in ((codes[0], {mentor: 1, cafe: 1}), (codes[1], {mentor: 1, cv: 1})):
        phone = app.test_client()
        assert phone.get(f"/alpha/vote/{code}").status_code == 200
        assert phone.post(f"/alpha/vote/{code}", data={f"dots-{o}": n for o, n in marks.items()}).status_code == 302
    # three dots on one are refused on a phone; paper dots from the flip-over are entered by the facilitator
    phone = app.test_client()
    phone.get(f"/alpha/vote/{codes[2]}")
    assert phone.post(f"/alpha/vote/{codes[2]}", data={f"dots-{mentor}": 2}).status_code == 422
    assert client.post(f"/alpha/polls/{poll.id}/paper", data={"participant_id": "", "label": "Lapp 1",
                                                              f"dots-{mentor}": 1, f"dots-{cafe}": 1}).status_code == 302
    page = text(client.get(f"/alpha/workshops/{made.first}/plenary"))
    assert "3 people have voted" in page
    listed = page[page.index('id="proposals-heading"'):]
    assert listed.index("Mentorer") < listed.index("Internasjonal kafé") < listed.index("CV for boevne")
    assert "3 dots" in page
    assert client.post(f"/alpha/workshops/{made.first}/plenary/vote", data={"step": "close"}).status_code == 302
    page = text(client.get(f"/alpha/workshops/{made.first}/plenary"))
    # the three tables' leaders are suggested: every proposal with a dot here
    assert page.count("checked") == 3
    client.post(f"/alpha/workshops/{made.first}/plenary/choose", data={"chosen": [str(solutions[1]), str(solutions[2])]})
    chosen = in_tenant(app, made.tenant_id, lambda: set(db.session.scalars(select(Solution.title).where(
        Solution.chosen_at.is_not(None)))))
    assert chosen == {"Mentorer", "Internasjonal kafé"}
    summary = text(client.get(f"/alpha/workshops/{made.first}/summary"))
    assert "3 people voted, with two dots each." in summary and "Mentorer: 3 dots" in summary


def test_the_projector_view_counts_live(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solutions = picks(app, made, client)
    client.post(f"/alpha/workshops/{made.first}/plenary/vote")
    poll = the_poll(app, made)
    screen = client.get(f"/alpha/polls/{poll.id}/screen")
    assert screen.status_code == 200 and "Which proposals go on to workshop 2?" in text(screen)
    option = in_tenant(app, made.tenant_id, lambda: voting.options_of(db.session.get(Poll, poll.id))[0].id)
    client.post(f"/alpha/polls/{poll.id}/vote", data={f"dots-{option}": 1})
    live = text(client.get(f"/alpha/polls/{poll.id}/live?screen=1", headers={"HX-Request": "true"}))
    assert "1 person has voted" in live and "CV for boevne" in live
    assert solutions


def test_pilots_are_chosen_with_the_weighted_criteria_matrix(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solutions = picks(app, made, client)
    client.post(f"/alpha/workshops/{made.first}/plenary/choose", data={"chosen": [str(s) for s in solutions[:2]]})
    pilots_url = f"/alpha/workshops/series/{made.process}/pilots"
    assert "Score 2 solutions on the criteria" in text(client.get(pilots_url))
    assert client.post(pilots_url + "/matrix").status_code == 302
    matrix = in_tenant(app, made.tenant_id, lambda: polls.matrix_of(db.session.get(Process, made.process)))
    assert matrix.method == "matrix" and [c.key for c in matrix.criteria] == [c.key for c in DEFAULT_CRITERIA]
    options = in_tenant(app, made.tenant_id, lambda: {o.source_ref: o.id for o in voting.options_of(db.session.get(Poll, matrix.id))})
    cv, mentor = options[f"workshops.solution:{solutions[0]}"], options[f"workshops.solution:{solutions[1]}"]
    scores = {f"score-{cv}-{c.key}": 2 for c in DEFAULT_CRITERIA} | {f"score-{mentor}-{c.key}": 5 for c in DEFAULT_CRITERIA}
    for user in ("alpha_coordinator", "alpha_member"):
        assert english(user).post(f"/alpha/polls/{matrix.id}/vote", data=scores).status_code == 302
    page = text(client.get(pilots_url))
    assert "2 people have scored" in page
    assert page.index("Mentorer") < page.index("CV for boevne", page.index("Weighted total"))
    assert "Expected effect on the need" in page
    assert client.post(pilots_url + "/matrix").status_code == 409
    assert client.post(pilots_url + "/matrix", data={"step": "close"}).status_code == 302
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Poll, matrix.id).status) == "closed"


def test_one_solution_needs_no_matrix(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solutions = picks(app, made, client, tables=(0,))
    client.post(f"/alpha/workshops/{made.first}/plenary/choose", data={"chosen": [str(solutions[0])]})
    response = client.post(f"/alpha/workshops/series/{made.process}/pilots/matrix")
    assert response.status_code == 409 and "make it a pilot directly" in text(response)
