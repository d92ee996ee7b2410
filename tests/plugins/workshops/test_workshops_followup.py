"""After workshop 1: homework with an owner, questions and a due date (reminded, handed in by
link), and the summary sent to everyone who took part — once."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.processes.models import Activity
from dugnad_workshops import homework, summaries
from dugnad_workshops.models import Homework, Need, Solution, Summary, Workshop
from tests.plugins.workshops.workshops_support import GUESTS, build_room, english, future, in_tenant, outbox, text  # noqa: F401
from tests.support.context import in_english
from dugnad.clock import today as oslo_today


def chosen_solution(app, made, client, title="Mentorordning", measure="Pensjonister som mentorer"):
    client.post(f"/alpha/workshops/{made.first}/tables/{made.tables[1]}/needs", data={"text": "Få kommer i varig jobb"})
    need = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Need.id).where(Need.text == "Få kommer i varig jobb")))
    client.post(f"/alpha/workshops/{made.first}/tables/{made.tables[1]}/ideas",
                data={"title": title, "measure": measure, "need_id": need})
    solution = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Solution.id).where(Solution.title == title)))
    client.post(f"/alpha/workshops/{made.first}/ideas/{solution}/plenary", data={"send": "1"})
    client.post(f"/alpha/workshops/{made.first}/plenary/choose", data={"chosen": [str(solution)]})
    return solution


def assign(client, made, solution, **overrides):
    data = {f"h{solution}-owner_id": overrides.get("owner", ""), f"h{solution}-questions": overrides.get("questions", ""),
            f"h{solution}-due_date": overrides.get("due", "")}
    return client.post(f"/alpha/workshops/series/{made.process}/solutions/{solution}/homework", data=data)


def test_homework_needs_an_owner_and_keeps_what_was_typed(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solution = chosen_solution(app, made, client)
    due = (oslo_today() + timedelta(days=5)).isoformat()
    response = assign(client, made, solution, questions="Finnes det mentortilskudd fra NAV?", due=due)
    assert response.status_code == 422
    assert "Homework needs an owner" in text(response) and "Finnes det mentortilskudd fra NAV?" in text(response)
    response = assign(client, made, solution, owner=made.people["Bodil Bedrift"], due=due)
    assert response.status_code == 422 and "at least one specific question" in text(response)
    response = assign(client, made, solution, owner=made.people["Bodil Bedrift"], questions="Hvem?",
                      due=(oslo_today() - timedelta(days=1)).isoformat())
    assert response.status_code == 422 and "The due date has passed" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Homework.id))) is None


def test_homework_must_be_due_before_workshop_2(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    second = future(days=12)
    client.post(f"/alpha/workshops/{made.second}/schedule", data={
        "starts_at": second.strftime("%Y-%m-%dT%H:%M"), "ends_at": (second + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")})
    solution = chosen_solution(app, made, client)
    response = assign(client, made, solution, owner=made.people["Bodil Bedrift"], questions="Hvem?",
                      due=second.date().isoformat())
    assert response.status_code == 422 and "the homework must be done before that day" in text(response)


def test_the_owner_gets_the_homework_hands_it_in_by_link_and_the_task_is_done(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solution = chosen_solution(app, made, client)
    due = oslo_today() + timedelta(days=6)
    assert assign(client, made, solution, owner=made.people["Bodil Bedrift"],
                  questions="Finnes det mentortilskudd fra NAV?\nHvem i IKEA kan fortelle om erfaringene?",
                  due=due.isoformat()).status_code == 302
    (message,) = outbox(app, "workshop-homework")
    assert message.recipient == "bodil.bedrift@alpha.test" and "mentortilskudd" in message.body
    task = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Activity).where(Activity.kind == "task")))
    assert (task.owner_id, task.due_date, task.status) == (made.people["Bodil Bedrift"], due, "planned")
    link = re.search(r"https?://\S+/workshops/homework/\S+", message.body).group(0).split("dugnad.test", 1)[1]
    owner = in_english(app.test_client())
    page = text(owner.get(link))
    assert "Hvem i IKEA kan fortelle om erfaringene?" in page
    assert owner.post(link, data={"findings": "  "}).status_code == 422
    assert owner.post(link, data={"findings": "NAV har mentortilskudd; IKEA deler gjerne."}).status_code == 302
    item = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Homework)))
    assert item.findings.startswith("NAV har") and item.submitted_at is not None
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Activity, task.id).status) == "done"
    assert owner.get(link.replace("/alpha/", "/beta/")).status_code == 404


def test_owners_are_reminded_three_days_before_once(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    solution = chosen_solution(app, made, client)
    assign(client, made, solution, owner=made.people["Bodil Bedrift"], questions="Hvem?",
           due=(oslo_today() + timedelta(days=2)).isoformat())
    assert in_tenant(app, made.tenant_id, homework.send_homework_reminders) == 1
    assert in_tenant(app, made.tenant_id, homework.send_homework_reminders) == 0
    assert len(outbox(app, "workshop-homework-reminder")) == 1
    # a new due date earns a new reminder; handed-in homework gets none
    item_id = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Homework.id)))
    client.post(f"/alpha/workshops/series/{made.process}/homework/{item_id}/edit", data={
        "owner_id": made.people["Bodil Bedrift"], "questions": "Hvem?", "due_date": (oslo_today() + timedelta(days=3)).isoformat()})
    assert in_tenant(app, made.tenant_id, homework.send_homework_reminders) == 1
    in_tenant(app, made.tenant_id, lambda: (homework.submit(db.session.get(Homework, item_id), "Ferdig"), db.session.commit()))
    in_tenant(app, made.tenant_id, lambda: (setattr(db.session.get(Homework, item_id), "reminded_on", None), db.session.commit()))
    assert in_tenant(app, made.tenant_id, homework.send_homework_reminders) == 0


def held_workshop(app, made, client):
    client.post(f"/alpha/workshops/{made.first}/place")
    client.post(f"/alpha/workshops/{made.first}/round", data={"step": "start"})
    solution = chosen_solution(app, made, client)
    client.post(f"/alpha/workshops/{made.first}/round", data={"step": "finish"})
    return solution


def test_the_summary_goes_to_everyone_who_took_part_once(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    response = client.post(f"/alpha/workshops/{made.first}/summary", data={"note": "Takk for sist!"})
    assert response.status_code == 422 and "has not been held yet" in text(response)
    solution = held_workshop(app, made, client)
    assign(client, made, solution, owner=made.people["Bodil Bedrift"], questions="Finnes det mentortilskudd?",
           due=(oslo_today() + timedelta(days=5)).isoformat())
    page = text(client.get(f"/alpha/workshops/{made.first}/summary"))
    assert "Få kommer i varig jobb" in page and "Mentorordning" in page and "Finnes det mentortilskudd?" in page
    assert "It goes to 15 people who took part" in page  # 12 in the room and 3 facilitators
    assert "Summary not sent:" in text(client.get("/alpha/workshops/widget"))
    assert client.post(f"/alpha/workshops/{made.first}/summary", data={"note": "Takk for sist!"}).status_code == 302
    assert "Summary not sent:" not in text(client.get("/alpha/workshops/widget"))
    sent = outbox(app, "workshop-summary")
    assert len(sent) == 15 and len({m.recipient for m in sent}) == 15
    assert "Takk for sist!" in sent[0].body and "Mentorordning" in sent[0].body and "mentortilskudd" in sent[0].body
    # a second time is refused with a clear message, and the job sends nothing again
    response = client.post(f"/alpha/workshops/{made.first}/summary", data={"note": "Igjen"})
    assert response.status_code == 409 and "It is not sent twice" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: summaries.send_summary(made.first)) == 0
    assert len(outbox(app, "workshop-summary")) == 15
    summary = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Summary)))
    assert summary.recipients == 15 and summary.note == "Takk for sist!" and "Mentorordning" in summary.body
    assert "Sent on" in text(client.get(f"/alpha/workshops/{made.first}/summary"))

    def sent_in_winter():  # 16:38 UTC is 17:38 in Oslo: the refusal says what the page says
        db.session.scalar(select(Summary)).sent_at = datetime(2026, 1, 15, 16, 38)
        db.session.commit()

    in_tenant(app, made.tenant_id, sent_in_winter)
    refused = text(client.post(f"/alpha/workshops/{made.first}/summary", data={"note": "Igjen"}))
    assert "15.01.2026 17:38" in refused and "16:38" not in refused


def test_a_no_show_gets_no_summary(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    from dugnad_workshops.models import Attendance

    absent = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Attendance.id).where(
        Attendance.participant_id == made.people["Ola Ordfører"])))
    client.post(f"/alpha/workshops/{made.first}/checkin/{absent}", data={"presence": "absent"})
    held_workshop(app, made, client)
    client.post(f"/alpha/workshops/{made.first}/summary", data={"note": ""})
    assert "ola.ordforer@alpha.test" not in {m.recipient for m in outbox(app, "workshop-summary")}
    assert len(outbox(app, "workshop-summary")) == 14


def test_the_summary_job_run_twice_sends_once(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    held_workshop(app, made, client)

    def request_only():
        summaries.request_sending(db.session.get(Workshop, made.first), None, None)
        db.session.flush()
        db.session.commit()

    app.config["DUGNAD_RAISE_JOB_ERRORS"] = True
    in_tenant(app, made.tenant_id, request_only)  # the job runs inline after the commit
    assert len(outbox(app, "workshop-summary")) == 15
    assert in_tenant(app, made.tenant_id, lambda: summaries.send_summary(made.first)) == 0
    assert len(outbox(app, "workshop-summary")) == 15
