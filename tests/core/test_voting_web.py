"""The poll pages as people use them: creating, voting, refusals that keep what was
chosen, live counts, results and their export, paper ballots, voting cards."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.processes.models import ProcessParticipant
from dugnad.participants.models import Participant
from dugnad.tenancy import tenant_context
from dugnad.voting import live as live_fragments
from dugnad.voting import service
from dugnad.voting.models import Ballot, Poll
from tests.conftest import login
from tests.support.context import in_english


@pytest.fixture
def client_as(app, world):
    """Logged-in clients that read the pages in English (the default language is Bokmål)."""

    def make(key: str):
        client = app.test_client()
        login(client, world.users[key])
        return in_english(client)

    return make


def phone(app):
    """Someone with a voting card and no account."""
    return in_english(app.test_client())


def _setup(app, world, slug="alpha", **kwargs):
    """A process with an open dot poll; returns (process id, poll id, option ids)."""
    with app.app_context(), tenant_context(world.tenants[slug]):
        process = processes.start_process("blt", "Bolig og arbeid", None)
        poll = service.create_poll(process, title="Which solutions go on?", method=kwargs.pop("method", "dot"),
                                   options=["Housing school", "Job mentors", "International café"], **kwargs)
        service.open_poll(poll)
        db.session.commit()
        return process.id, poll.id, [o.id for o in service.options_of(poll)]


def test_a_coordinator_creates_and_opens_a_dot_vote(client_as, world, app):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "Bolig og arbeid", None)
        db.session.commit()
        process_id = process.id
    client = client_as("alpha_coordinator")
    form = client.get(f"/alpha/polls/process/{process_id}/new")
    assert form.status_code == 200 and "Dot voting" in form.text and "Expected effect on the need | 1" in form.text
    made = client.post(f"/alpha/polls/process/{process_id}/new", data={
        "title": "Which solutions go on?", "method": "dot", "option_mode": "fixed",
        "options": "Housing school\nJob mentors\n\n", "dots_per_person": "2", "stacking": "y",
        "results_visibility": "live", "allow_change": "y", "member_voting": "y", "ranked_variant": "irv",
        "then": "open"})
    assert made.status_code == 302
    page = client.get(made.headers["Location"])
    assert "Which solutions go on?" in page.text and "You have 2 dots" in page.text
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        poll = db.session.scalars(select(Poll)).one()
        assert poll.status == "open" and poll.created_by_id == world.users["alpha_coordinator"]
        assert [o.label for o in service.options_of(poll)] == ["Housing school", "Job mentors"]
    tab = client.get(f"/alpha/processes/{process_id}/").text
    assert f'href="/alpha/polls/process/{process_id}"' in tab


def test_a_refused_poll_form_keeps_what_was_typed(client_as, world, app):
    process_id, _poll, _opts = _setup(app, world)
    answer = client_as("alpha_coordinator").post(f"/alpha/polls/process/{process_id}/new", data={
        "title": "Pilot choice", "method": "matrix", "option_mode": "fixed", "options": "Only one",
        "criteria": "Effect | lots", "results_visibility": "live", "ranked_variant": "irv", "then": "open"})
    assert answer.status_code == 422
    assert 'value="Pilot choice"' in answer.text and "Only one" in answer.text
    assert "the weight after | must be a number" in answer.text or "at least two options" in answer.text


def test_members_vote_and_a_refusal_keeps_their_dots(client_as, world, app):
    _process, poll_id, (school, mentors, cafe) = _setup(app, world, settings={"dots_per_person": 2, "stacking": True})
    member = client_as("alpha_member")
    refused = member.post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "2", f"dots-{mentors}": "1"})
    assert refused.status_code == 422
    assert "You have 2 dots and used 3." in refused.text
    assert re.search(rf'name="dots-{school}">.*?<option value="2" selected', refused.text, re.S)
    voted = member.post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "1", f"dots-{cafe}": "1"})
    assert voted.status_code == 302
    page = member.get(f"/alpha/polls/{poll_id}/")
    assert "Your vote is recorded" in page.text and "1 person has voted" in page.text
    assert re.search(rf'name="dots-{cafe}">.*?<option value="1" selected', page.text, re.S)  # shown again to change
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        assert db.session.scalar(select(func.sum(Ballot.weight))) == 2


def test_viewers_of_the_same_counts_share_one_rendering(client_as, world, app, queries):
    _process, poll_id, (school, _m, _c) = _setup(app, world)
    client_as("alpha_member").post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "2"})
    first, second = client_as("alpha_coordinator"), client_as("alpha_admin")
    live_fragments.clear()
    first.get(f"/alpha/polls/{poll_id}/live")
    queries.statements.clear()
    shared = second.get(f"/alpha/polls/{poll_id}/live")
    assert "1 person has voted" in shared.text and "Housing school" in shared.text
    assert not any("poll_ballot.content" in s for s in queries.statements)  # not counted again
    client_as("alpha_member").post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "1"})
    queries.statements.clear()
    assert "1 person has voted" in second.get(f"/alpha/polls/{poll_id}/live").text
    assert any("poll_ballot.content" in s for s in queries.statements)  # a changed ballot: counted afresh


def test_live_counts_answer_204_until_something_changes(client_as, world, app):
    _process, poll_id, (school, _m, _c) = _setup(app, world)
    viewer = client_as("alpha_coordinator")
    page = viewer.get(f"/alpha/polls/{poll_id}/").text
    version = re.search(r'hx-vals=\'\{"v": "([^"]+)"\}\'', page).group(1)
    headers = {"HX-Request": "true"}
    assert viewer.get(f"/alpha/polls/{poll_id}/live?v={version}", headers=headers).status_code == 204
    client_as("alpha_member").post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "2"})
    fresh = viewer.get(f"/alpha/polls/{poll_id}/live?v={version}", headers=headers)
    assert fresh.status_code == 200 and "<html" not in fresh.text
    assert "1 person has voted" in fresh.text and "Housing school" in fresh.text


def test_hidden_results_stay_hidden_even_from_the_organiser(client_as, world, app):
    _process, poll_id, (school, _m, _c) = _setup(app, world, results_visibility="after_close")
    client_as("alpha_member").post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "2"})
    organiser = client_as("alpha_coordinator")
    for path in (f"/alpha/polls/{poll_id}/", f"/alpha/polls/{poll_id}/results", f"/alpha/polls/{poll_id}/screen"):
        text = organiser.get(path).text
        assert "1 person has voted" in text and "shown when the poll closes" in text
        assert "result-chart" not in text, path
    assert organiser.get(f"/alpha/polls/{poll_id}/results.csv").status_code == 403
    organiser.post(f"/alpha/polls/{poll_id}/status", data={"action": "close"})
    assert "result-chart" in organiser.get(f"/alpha/polls/{poll_id}/results").text


def test_after_vote_results_show_once_one_has_voted(client_as, world, app):
    _process, poll_id, (school, _m, _c) = _setup(app, world, results_visibility="after_vote")
    client_as("alpha_admin").post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "1"})
    member = client_as("alpha_member")
    assert "result-chart" not in member.get(f"/alpha/polls/{poll_id}/").text
    member.post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "1"})
    assert "result-chart" in member.get(f"/alpha/polls/{poll_id}/").text


def test_results_as_chart_table_and_csv_with_ties_shown_as_ties(client_as, world, app):
    _process, poll_id, (school, mentors, cafe) = _setup(app, world)
    client_as("alpha_member").post(f"/alpha/polls/{poll_id}/vote", data={f"dots-{school}": "1", f"dots-{mentors}": "1"})
    page = client_as("alpha_member").get(f"/alpha/polls/{poll_id}/results").text
    assert 'class="result-chart"' in page and 'aria-hidden="true"' in page
    assert "A tie between: Housing school, Job mentors" in page
    assert page.count("(tie)") == 2
    export = client_as("alpha_member").get(f"/alpha/polls/{poll_id}/results.csv")
    assert export.headers["Content-Type"].startswith("text/csv")
    lines = export.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Place,Option,Dots,Tie"  # in English: commas (nb and nn: semicolons, test_spreadsheets)
    assert lines[1:] == ["1,Housing school,1,yes", "1,Job mentors,1,yes", "3,International café,0,"]


def _weighted_poll(app, world, client_as) -> int:
    """A matrix poll whose best option has 1000 points (the page shows "1,000" in English, "1 000" in Bokmål)."""
    criteria = [{"key": "effect", "label": "Effect", "weight": 100}, {"key": "cost", "label": "Cost", "weight": 100}]
    _process, poll_id, (school, mentors, _cafe) = _setup(app, world, method="matrix", settings={"criteria": criteria})
    for who, mentors_effect in (("alpha_member", "4"), ("alpha_admin", "5")):
        answer = client_as(who).post(f"/alpha/polls/{poll_id}/vote", data={
            f"score-{school}-effect": "5", f"score-{school}-cost": "5",
            f"score-{mentors}-effect": mentors_effect, f"score-{mentors}-cost": "5"})
        assert answer.status_code == 302
    return poll_id


@pytest.mark.parametrize("language, separator, heading", [("en", ",", "Option"), ("nb", ";", "Alternativ"),
                                                          ("nn", ";", "Alternativ")])
def test_the_results_csv_holds_numbers_not_the_pages_text(client_as, world, app, language, separator, heading):
    """Totals without thousands separators, means with the reader's decimal sign, the place as a number
    and an empty cell (not "–") where nobody scored; the headings stay in the reader's language."""
    poll_id = _weighted_poll(app, world, client_as)
    member = client_as("alpha_member")
    with member.session_transaction() as session:
        session["lang"] = language
    text = member.get(f"/alpha/polls/{poll_id}/results.csv").data.decode("utf-8-sig")
    head, *rows = csv.reader(io.StringIO(text), delimiter=separator)
    point = "." if language == "en" else ","
    assert len(head) == 7 and head[1] == heading and head[3:5] == ["Effect", "Cost"]
    assert rows == [["1", "Housing school", "1000", "5", "5", "2", ""],
                    ["2", "Job mentors", "950", f"4{point}5", "5", "2", ""],
                    ["", "International café", "", "", "", "0", ""]]


def test_the_results_xlsx_has_numeric_cells_in_the_same_columns(client_as, world, app):
    poll_id = _weighted_poll(app, world, client_as)
    member = client_as("alpha_member")
    csv_head = next(csv.reader(io.StringIO(member.get(f"/alpha/polls/{poll_id}/results.csv").data.decode("utf-8-sig"))))
    answer = member.get(f"/alpha/polls/{poll_id}/results.xlsx")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].endswith(f'poll-{poll_id}-results.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.data)).active
    head, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert head == csv_head
    assert rows[:2] == [[1, "Housing school", 1000, 5, 5, 2, None], [2, "Job mentors", 950, 4.5, 5, 2, None]]
    assert all(sheet.cell(row=r, column=c).data_type == "n" for r in (2, 3) for c in (1, 3, 4, 5, 6))
    assert rows[2] == [None, "International café", None, None, None, 0, None]


def test_a_plugin_methods_plain_text_values_are_numbers_in_the_export(app):
    from dugnad.voting.presenting import Row, View

    view = View("counts", "Answers", ["Note"], [Row(None, "Yes", 1, False, "12", 100, ["2.5"]),
                                                 Row(None, "No", 2, False, "–", 0, ["about half"])], [], 12)
    with app.test_request_context():
        assert view.csv_lines == [[1, "Yes", 12, 2.5, ""], [2, "No", None, "about half", ""]]


def test_a_member_may_vote_but_not_run_polls(client_as, world, app):
    process_id, poll_id, _opts = _setup(app, world)
    member = client_as("alpha_member")
    assert member.get(f"/alpha/polls/process/{process_id}/new").status_code == 403
    assert member.post(f"/alpha/polls/{poll_id}/status", data={"action": "close"}).status_code == 403
    assert member.get(f"/alpha/polls/{poll_id}/paper").status_code == 403
    assert member.get(f"/alpha/polls/{poll_id}/cards").status_code == 403
    assert member.get("/alpha/polls/").status_code == 200


def test_a_facilitator_enters_paper_dots_on_someones_behalf(client_as, world, app):
    process_id, poll_id, (school, _m, _c) = _setup(app, world)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        amina = Participant(name="Amina Yusuf", category="target_group", legal_basis="consent")
        db.session.add(amina)
        db.session.flush()
        db.session.add(ProcessParticipant(process_id=process_id, participant_id=amina.id, role="participant"))
        db.session.commit()
        amina_id = amina.id
    facilitator = client_as("alpha_coordinator")
    page = facilitator.get(f"/alpha/polls/{poll_id}/paper").text
    assert "Amina Yusuf" in page
    refused = facilitator.post(f"/alpha/polls/{poll_id}/paper", data={"participant_id": str(amina_id), f"dots-{school}": "5"})
    assert refused.status_code == 422 and "You have 2 dots and used 5." in refused.text
    assert f'<option selected value="{amina_id}">' in refused.text or f'value="{amina_id}" selected' in refused.text
    done = facilitator.post(f"/alpha/polls/{poll_id}/paper", data={"participant_id": str(amina_id), f"dots-{school}": "2"})
    assert done.status_code == 302
    assert "Amina Yusuf" in facilitator.get(f"/alpha/polls/{poll_id}/paper").text
    assert "(1 on paper)" in facilitator.get(f"/alpha/polls/{poll_id}/results").text


def test_voting_cards_vote_once_per_device(app, world, client_as):
    _process, poll_id, (school, mentors, _c) = _setup(app, world)
    organiser = client_as("alpha_coordinator")
    assert organiser.post(f"/alpha/polls/{poll_id}/cards", data={"count": "2"}).status_code == 302
    cards = organiser.get(f"/alpha/polls/{poll_id}/cards").text
    assert cards.count('class="vote-card"') == 2 and cards.count('<svg role="img" aria-label="QR code for Card') == 2
    codes = re.findall(r'class="vote-card__code">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})<', cards)
    assert len(codes) == 2
    holder = phone(app)
    page = holder.get(f"/alpha/vote/{codes[0]}")
    assert page.status_code == 200 and "You have 2 dots" in page.text
    assert holder.post(f"/alpha/vote/{codes[0]}", data={f"dots-{school}": "2"}).status_code == 302
    assert holder.post(f"/alpha/vote/{codes[0]}", data={f"dots-{mentors}": "2"}).status_code == 302  # change of mind
    replay = phone(app).get(f"/alpha/vote/{codes[0]}")
    assert replay.status_code == 410 and "already been used on another phone" in replay.text
    assert phone(app).post(f"/alpha/vote/{codes[0]}", data={f"dots-{school}": "2"}).status_code == 410
    typed = phone(app).post("/alpha/vote/", data={"code": codes[1].lower().replace("-", " ")})
    assert typed.status_code == 302 and typed.headers["Location"].endswith(codes[1].replace("-", ""))
    wrong = phone(app).post("/alpha/vote/", data={"code": "AAAA-BBBB-CC"})
    assert wrong.status_code == 422 and "could not find that code" in wrong.text and 'value="AAAA-BBBB-CC"' in wrong.text
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        (ballot,) = db.session.scalars(select(Ballot)).all()
        assert service.from_json("dot", ballot.content) == {mentors: 2}
    assert "1 person has voted" in organiser.get(f"/alpha/polls/{poll_id}/results").text
    assert organiser.get(f"/alpha/polls/{poll_id}/cards").text.count('class="vote-card"') == 1


def test_a_card_of_another_municipality_answers_404(app, world):
    _setup(app, world, slug="alpha")
    _p, beta_poll, _o = _setup(app, world, slug="beta")
    with app.app_context(), tenant_context(world.tenants["beta"]):
        poll = service.get_poll(beta_poll)
        (_voter, code), = service.issue_links(poll, 1)
        db.session.commit()
    client = phone(app)
    assert client.get(f"/alpha/vote/{code}").status_code == 404
    assert client.post(f"/alpha/vote/{code}", data={}).status_code == 404
    assert client.get(f"/alpha/vote/{code}/live").status_code == 404
    assert client.get(f"/beta/vote/{code}").status_code == 200


def test_people_propose_options_before_the_vote(client_as, world, app):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "Kafé", None)
        poll = service.create_poll(process, title="Ideas for the café", method="approval", option_mode="proposals")
        service.start_proposals(poll)
        db.session.commit()
        poll_id = poll.id
    member = client_as("alpha_member")
    assert member.post(f"/alpha/polls/{poll_id}/options", data={"label": "Homework help"}).status_code == 302
    assert member.post(f"/alpha/polls/{poll_id}/options", data={"label": "Cooking together"}).status_code == 302
    assert "Homework help" in member.get(f"/alpha/polls/{poll_id}/").text
    organiser = client_as("alpha_coordinator")
    organiser.post(f"/alpha/polls/{poll_id}/status", data={"action": "open"})
    late = member.post(f"/alpha/polls/{poll_id}/options", data={"label": "Too late"})
    assert late.status_code == 403
    assert "Tick every option you can support" in member.get(f"/alpha/polls/{poll_id}/").text


def test_a_draft_is_only_for_organisers(client_as, world, app):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "P", None)
        poll = service.create_poll(process, title="Secret draft", method="dot", options=["A", "B"])
        db.session.commit()
        poll_id = poll.id
    assert client_as("alpha_member").get(f"/alpha/polls/{poll_id}/").status_code == 404
    assert "Secret draft" not in client_as("alpha_member").get("/alpha/polls/").text
    assert client_as("alpha_coordinator").get(f"/alpha/polls/{poll_id}/").status_code == 200


@pytest.mark.parametrize("method, fields", [
    ("approval", lambda ids: {"approve": [str(ids[0]), str(ids[2])]}),
    ("single", lambda ids: {"choice": str(ids[1])}),
    ("ranked", lambda ids: {f"rank-{ids[2]}": "1", f"rank-{ids[0]}": "2"}),
    ("score", lambda ids: {f"score-{ids[0]}": "4", f"score-{ids[1]}": "2"}),
    ("matrix", lambda ids: {f"score-{i}-{c}": "3" for i in ids for c in ("effect", "cost", "capacity", "fit")}),
])
def test_every_method_can_be_voted_through_its_form(client_as, world, app, method, fields):
    _process, poll_id, ids = _setup(app, world, method=method)
    member = client_as("alpha_member")
    assert member.post(f"/alpha/polls/{poll_id}/vote", data=fields(ids)).status_code == 302
    assert "1 person has voted" in member.get(f"/alpha/polls/{poll_id}/results").text


def test_a_ranking_with_a_repeated_place_is_refused(client_as, world, app):
    _process, poll_id, ids = _setup(app, world, method="ranked")
    answer = client_as("alpha_member").post(f"/alpha/polls/{poll_id}/vote", data={f"rank-{ids[0]}": "1", f"rank-{ids[1]}": "1"})
    assert answer.status_code == 422 and "two options have the same place" in answer.text


def test_a_consent_proposal_needs_a_reason_to_block(client_as, world, app):
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "P", None)
        poll = service.create_poll(process, title="Start the job bank", method="consent",
                                   description="The municipality runs a job bank with local employers.")
        service.open_poll(poll)
        db.session.commit()
        poll_id = poll.id
    member = client_as("alpha_member")
    refused = member.post(f"/alpha/polls/{poll_id}/vote", data={"position": "block"})
    assert refused.status_code == 422 and "Please give a reason when you block." in refused.text
    assert member.post(f"/alpha/polls/{poll_id}/vote", data={"position": "block", "reason": "No budget"}).status_code == 302
    page = member.get(f"/alpha/polls/{poll_id}/results").text
    assert "Outcome: Blocked" in page and "No budget" in page


def test_the_results_page_costs_the_same_queries_with_few_and_many_ballots(app, world, client_as, queries):
    _process, poll_id, ids = _setup(app, world)
    client = client_as("alpha_coordinator")

    def cast(n):
        with app.app_context(), tenant_context(world.tenants["alpha"]):
            poll = service.get_poll(poll_id)
            for voter, _code in service.issue_links(poll, n):
                service.cast(poll, voter, {ids[voter.id % 3]: 2})
            db.session.commit()

    cast(5)
    for path in (f"/alpha/polls/{poll_id}/results", f"/alpha/polls/{poll_id}/", f"/alpha/polls/{poll_id}/screen",
                 f"/alpha/polls/{poll_id}/live", "/alpha/polls/", f"/alpha/polls/{poll_id}/cards"):
        client.get(path)
        queries.statements.clear()
        live_fragments.clear()  # count the live fragment's own rendering, not a shared one
        assert client.get(path).status_code == 200
        few = queries.count
        cast(100)
        queries.statements.clear()
        live_fragments.clear()
        assert client.get(path).status_code == 200
        assert queries.count == few, (path, queries.statements)


def test_the_widget_lists_open_votes(client_as, world, app):
    _process, poll_id, _ids = _setup(app, world)
    widget = client_as("alpha_member").get("/alpha/polls/widget", headers={"HX-Request": "true"})
    assert "Which solutions go on?" in widget.text and "<html" not in widget.text
    assert 'hx-get="/alpha/polls/widget"' in client_as("alpha_member").get("/alpha/").text


def test_personal_links_go_by_mail_once_to_each_participant(client_as, world, app):
    from dugnad.notifications import OutboxMessage

    process_id, poll_id, _opts = _setup(app, world)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        for name, email in (("Kari Nordmann", "kari@alpha.test"), ("Ola Uten", None)):
            person = Participant(name=name, category="residents", legal_basis="consent", email=email)
            db.session.add(person)
            db.session.flush()
            db.session.add(ProcessParticipant(process_id=process_id, participant_id=person.id, role="participant"))
        db.session.commit()
    organiser = client_as("alpha_coordinator")
    organiser.post(f"/alpha/polls/{poll_id}/cards/send")
    organiser.post(f"/alpha/polls/{poll_id}/cards/send")
    with app.app_context():
        (message,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "poll-link")).all()
    assert message.recipient == "kari@alpha.test"
    link = re.search(r"http://dugnad.test/alpha/vote/([0-9A-Z]+)", message.body).group(1)
    assert "You have 2 dots" in phone(app).get(f"/alpha/vote/{link}").text


def test_a_persons_data_export_includes_their_ballots(client_as, world, app):
    process_id, poll_id, (school, _m, _c) = _setup(app, world)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        amina = Participant(name="Amina Yusuf", category="target_group", legal_basis="consent")
        db.session.add(amina)
        db.session.flush()
        db.session.add(ProcessParticipant(process_id=process_id, participant_id=amina.id, role="participant"))
        db.session.commit()
        amina_id = amina.id
    client_as("alpha_coordinator").post(f"/alpha/polls/{poll_id}/paper", data={"participant_id": str(amina_id),
                                                                              f"dots-{school}": "2"})
    data = client_as("alpha_admin").get(f"/alpha/participants/{amina_id}/export.json").get_json()
    (vote,) = data["votes"]
    assert vote["poll"] == "Which solutions go on?" and vote["how"] == "paper" and vote["on_paper"] is True
    assert vote["ballot"] == {"Housing school": 2}
    assert data["sample_notes"] == ["Amina Yusuf is in Alfa's register"]  # every plugin adds its part


def test_the_projector_is_a_clean_full_screen_with_where_to_vote(client_as, world, app):
    _process, poll_id, _options = _setup(app, world)
    page = client_as("alpha_coordinator").get(f"/alpha/polls/{poll_id}/screen").text
    assert "Cora Coordinator" not in page and "Log out" not in page  # not the organiser's own header
    assert 'class="language-switch' not in page and "site-footer" not in page and "main-nav" not in page
    address = re.search(r'<p class="screen-view__address">([^<]+)</p>', page).group(1)
    assert address.endswith("/alpha/vote") and "://" not in address  # typed off the wall, without https://
    assert "type the code on your card" in page and f"/alpha/polls/{poll_id}" in page


def test_weighted_scores_carry_a_unit_and_the_wide_table_takes_keyboard_focus(client_as, world, app):
    _process, poll_id, (school, mentors, _cafe) = _setup(app, world, method="matrix", results_visibility="live")
    voter = client_as("alpha_member")
    voter.post(f"/alpha/polls/{poll_id}/vote", data={f"score-{school}-{key}": "4" for key in ("effect", "cost", "capacity", "fit")})
    page = voter.get(f"/alpha/polls/{poll_id}/results").text
    assert re.search(r'class="result-chart__value">[\d.,]+ points', page)
    assert re.search(r'<div class="table-wrap" tabindex="0" role="region" aria-label="The results as a table">', page)
