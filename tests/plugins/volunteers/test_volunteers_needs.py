"""A need is registered (never in the past), volunteers are asked, they answer by link —
a yes fills it, a late yes is thanked, a replayed link changes nothing — then it is
done, with hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.clock import local_now
from dugnad_volunteers import links, needs
from dugnad_volunteers.models import Assignment, Need, Volunteer
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    in_tenant,
    link_in,
    make_volunteer,
    messages,
    need_values,
    next_weekday,
)


def _coordinator(client_as):
    client = client_as("alpha_coordinator")
    client.post("/language", data={"lang": "en", "next": "/"})
    return client


def _form(bank, **changes) -> dict:
    values = need_values(bank, **changes)
    data = {k: str(v) for k, v in values.items() if v is not None and k not in ("starts_at", "ends_at")}
    data["starts_at"] = values["starts_at"].strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = values["ends_at"].strftime("%Y-%m-%dT%H:%M")
    return data


def _need(app, world, need_id) -> Need:
    with in_tenant(app, world.tenants["alpha"]):
        need = db.session.get(Need, need_id)
        db.session.expunge(need)
        return need


def _assignments(app, world, need_id) -> dict[int, str]:
    with in_tenant(app, world.tenants["alpha"]):
        return {a.volunteer_id: a.status for a in db.session.scalars(select(Assignment).where(Assignment.need_id == need_id))}


def _answer_link(app, volunteer_email: str) -> str:
    return link_in(messages(app, "volunteer-request", volunteer_email)[0], "/frivillig/svar/")


def _registered_need(app, world, bank, **changes) -> int:
    with in_tenant(app, world.tenants["alpha"]):
        need = needs.create(need_values(bank, **changes), None)
        db.session.commit()
        return need.id


def test_a_need_is_registered_and_shows_its_matches(app, world, bank, client_as):
    make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    client = _coordinator(client_as)
    assert client.get("/alpha/volunteers/needs/new").status_code == 200
    answer = client.post("/alpha/volunteers/needs/new", data=_form(bank))
    assert answer.status_code == 302
    page = client.get(answer.location)
    assert "Escort to the GP" in page.text and "Yonas Tesfay" in page.text
    assert "A valid police certificate for “Escort for a minor”" in page.text
    assert "Escort to the GP" in client.get("/alpha/volunteers/needs/").text


def test_a_need_in_the_past_or_ending_before_it_starts_is_refused(app, world, bank, client_as):
    client = _coordinator(client_as)
    past = local_now() - timedelta(hours=2)
    answer = client.post("/alpha/volunteers/needs/new", data=_form(bank, starts_at=past, title="Too late"))
    assert answer.status_code == 422 and "The time is in the past." in answer.text and 'value="Too late"' in answer.text
    starts = next_weekday(2, 10)
    backwards = _form(bank, starts_at=starts)
    backwards["ends_at"] = (starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    answer = client.post("/alpha/volunteers/needs/new", data=backwards)
    assert answer.status_code == 422 and "must end after it starts" in answer.text
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.scalars(select(Need)).all() == []


def test_only_those_who_pass_the_hard_rules_can_be_asked(app, world, bank, client_as):
    ok = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    no_certificate = make_volunteer(bank, "Selam Gebremedhin")
    need_id = _registered_need(app, world, bank)
    client = _coordinator(client_as)
    refused = client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(ok), str(no_certificate)]})
    assert refused.status_code == 422 and "do not meet the rules" in refused.text and "Selam Gebremedhin" in refused.text
    assert _assignments(app, world, need_id) == {}
    assert client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(ok)]}).status_code == 302
    assert _assignments(app, world, need_id) == {ok: "asked"}
    (mail,) = messages(app, "volunteer-request")
    assert "Escort to the GP" in mail.body and "/frivillig/svar/" in mail.body
    again = client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(ok)]})
    assert again.status_code == 422  # asked already


def test_the_first_yes_fills_the_need_and_a_later_yes_is_thanked(app, world, bank, client_as):
    first = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    second = make_volunteer(bank, "Kari Nilsen", certificate_for=("escort",))
    third = make_volunteer(bank, "Ahmad Al-Sayed", certificate_for=("escort",))
    need_id = _registered_need(app, world, bank)
    _coordinator(client_as).post(f"/alpha/volunteers/needs/{need_id}/ask",
                                 data={"volunteer_ids": [str(first), str(second), str(third)]})
    volunteer = app.test_client()
    volunteer.post("/language", data={"lang": "en", "next": "/"})
    yonas = _answer_link(app, "yonas.tesfay@example.no")
    page = volunteer.get(yonas)
    assert page.status_code == 200 and "Yes, I can" in page.text and "The health centre" in page.text
    assert "Thank you! You have said yes." in volunteer.post(yonas, data={"answer": "yes"}).text
    need = _need(app, world, need_id)
    assert need.status == "filled" and need.filled_at is not None
    assert _assignments(app, world, need_id) == {first: "accepted", second: "not_needed", third: "not_needed"}
    assert {m.recipient for m in messages(app, "volunteer-not-needed")} == {"kari.nilsen@example.no", "ahmad.al-sayed@example.no"}
    late = volunteer.post(_answer_link(app, "kari.nilsen@example.no"), data={"answer": "yes"})
    assert "Someone else has already said yes" in late.text
    assert _assignments(app, world, need_id)[second] == "not_needed"
    replay = volunteer.post(yonas, data={"answer": "yes"})
    assert "You have already said yes to this. Nothing is changed." in replay.text
    assert _assignments(app, world, need_id)[first] == "accepted"


def test_two_places_need_two_yeses_and_a_cancelled_yes_opens_it_again(app, world, bank, client_as):
    first = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    second = make_volunteer(bank, "Kari Nilsen", certificate_for=("escort",))
    need_id = _registered_need(app, world, bank, volunteers_needed=2)
    client = _coordinator(client_as)
    client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(first), str(second)]})
    volunteer = app.test_client()
    volunteer.post("/language", data={"lang": "en", "next": "/"})
    volunteer.post(_answer_link(app, "yonas.tesfay@example.no"), data={"answer": "yes"})
    assert _need(app, world, need_id).status == "open"
    volunteer.post(_answer_link(app, "kari.nilsen@example.no"), data={"answer": "yes"})
    assert _need(app, world, need_id).status == "filled"
    cancelled = volunteer.post(_answer_link(app, "kari.nilsen@example.no"), data={"answer": "no"})
    assert "You have cancelled your yes." in cancelled.text
    assert _need(app, world, need_id).status == "open" and _need(app, world, need_id).filled_at is None
    assert _assignments(app, world, need_id)[second] == "withdrawn"


def test_a_no_is_recorded_once(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    need_id = _registered_need(app, world, bank)
    _coordinator(client_as).post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(volunteer_id)]})
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/"})
    link = _answer_link(app, "yonas.tesfay@example.no")
    assert "Thank you for answering" in client.post(link, data={"answer": "no"}).text
    assert "already said no" in client.post(link, data={"answer": "no"}).text
    assert _assignments(app, world, need_id) == {volunteer_id: "declined"}


def test_a_cancelled_need_tells_those_asked_and_answers_no_more(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    need_id = _registered_need(app, world, bank)
    client = _coordinator(client_as)
    client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(volunteer_id)]})
    no_reason = client.post(f"/alpha/volunteers/needs/{need_id}/cancel", data={"reason": ""})
    assert no_reason.status_code == 422 and "Say why" in no_reason.text
    client.post(f"/alpha/volunteers/needs/{need_id}/cancel", data={"reason": "The appointment was moved."})
    assert _need(app, world, need_id).status == "cancelled"
    (mail,) = messages(app, "volunteer-not-needed")
    assert mail.recipient == "yonas.tesfay@example.no" and "Escort to the GP" in mail.body
    answer = app.test_client().post(_answer_link(app, "yonas.tesfay@example.no"), data={"answer": "yes"})
    assert _assignments(app, world, need_id) == {volunteer_id: "not_needed"}
    assert answer.status_code == 200


def test_done_records_hours_and_the_last_task(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    need_id = _registered_need(app, world, bank)
    with in_tenant(app, world.tenants["alpha"]):
        need = db.session.get(Need, need_id)
        (assignment,) = needs.ask(need, [volunteer_id], None)
        needs.answer(assignment, True)
        db.session.commit()
        assignment_id = assignment.id
    client = _coordinator(client_as)
    early = client.post(f"/alpha/volunteers/needs/{need_id}/done", data={f"hours-{assignment_id}": "2"})
    assert early.status_code == 409 and "has not started yet" in early.text
    with in_tenant(app, world.tenants["alpha"]):  # time passes: the need was yesterday
        need = db.session.get(Need, need_id)
        yesterday = datetime.combine(local_now().date() - timedelta(days=1), need.starts_at.time())
        need.starts_at, need.ends_at = yesterday, yesterday + timedelta(minutes=90)
        db.session.commit()
    bad = client.post(f"/alpha/volunteers/needs/{need_id}/done", data={f"hours-{assignment_id}": "two"})
    assert bad.status_code == 422 and "as a number" in bad.text
    assert client.post(f"/alpha/volunteers/needs/{need_id}/done", data={f"hours-{assignment_id}": "2,5"}).status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        assignment = db.session.get(Assignment, assignment_id)
        assert (assignment.status, assignment.minutes) == ("done", 150)
        assert db.session.get(Need, need_id).status == "done"
        assert db.session.get(Volunteer, volunteer_id).last_task_on == yesterday.date()
    client.post(f"/alpha/volunteers/needs/{need_id}/assignments/{assignment_id}/hours", data={f"hours-{assignment_id}": "3"})
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.get(Assignment, assignment_id).minutes == 180
    with in_tenant(app, world.tenants["alpha"]):
        link = "/alpha/frivillig/svar/" + links.make("answer", a=assignment_id, v=volunteer_id)
    closed = app.test_client().post(link, data={"answer": "no"})
    assert closed.status_code == 200
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.get(Assignment, assignment_id).status == "done"


def test_the_coordinator_takes_a_request_back(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    need_id = _registered_need(app, world, bank)
    client = _coordinator(client_as)
    client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(volunteer_id)]})
    with in_tenant(app, world.tenants["alpha"]):
        assignment_id = db.session.scalar(select(Assignment.id))
    client.post(f"/alpha/volunteers/needs/{need_id}/assignments/{assignment_id}/withdraw")
    assert _assignments(app, world, need_id) == {volunteer_id: "not_needed"}
    assert messages(app, "volunteer-not-needed")[0].recipient == "yonas.tesfay@example.no"
    visitor = app.test_client()
    visitor.post("/language", data={"lang": "en", "next": "/"})
    answer = visitor.post(_answer_link(app, "yonas.tesfay@example.no"), data={"answer": "yes"})
    assert "This request is closed" in answer.text and _assignments(app, world, need_id) == {volunteer_id: "not_needed"}
    # asked again, by a fresh e-mail, and now the yes counts
    assert client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(volunteer_id)]}).status_code == 302
    requests = messages(app, "volunteer-request")
    assert len(requests) == 2
    visitor.post(link_in(requests[-1], "/frivillig/svar/"), data={"answer": "yes"})
    assert _assignments(app, world, need_id) == {volunteer_id: "accepted"}


def test_a_new_time_is_sent_to_those_asked_and_they_are_reminded_again(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    need_id = _registered_need(app, world, bank)
    client = _coordinator(client_as)
    client.post(f"/alpha/volunteers/needs/{need_id}/ask", data={"volunteer_ids": [str(volunteer_id)]})
    later = next_weekday(3, 13)
    assert client.post(f"/alpha/volunteers/needs/{need_id}/edit", data=_form(bank, starts_at=later)).status_code == 302
    (mail,) = messages(app, "volunteer-need-changed")
    assert mail.recipient == "yonas.tesfay@example.no" and later.strftime("%d.%m.%Y 13:00") in mail.body
    assert client.post(f"/alpha/volunteers/needs/{need_id}/edit",
                       data=_form(bank, starts_at=later, description="Bring the papers")).status_code == 302
    assert len(messages(app, "volunteer-need-changed")) == 1  # a new description alone is not news by e-mail


def test_a_volunteer_under_18_is_marked_in_the_suggestions(app, world, bank):
    from flask_babel import force_locale

    from dugnad.clock import today
    from dugnad_volunteers import configuration, matching

    make_volunteer(bank, "Young Helper", birth_date=today() - timedelta(days=16 * 366), certificate_for=("escort",))
    with in_tenant(app, world.tenants["alpha"]), force_locale("en"):
        need = needs.create(need_values(bank), None)
        (suggestion,) = matching.suggest(need, configuration.get_role(need.role_id)).suggestions
        assert "Under 18 on the day" in suggestion.lacks
