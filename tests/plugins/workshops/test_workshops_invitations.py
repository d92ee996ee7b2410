"""Recruiting and inviting: the list from the stakeholder analysis, the warning about missing
employers and former refugees, the invitation with the preparatory material and an iCal
file, yes or no by link, and invitees told when the time changes."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.processes import ical
from dugnad.processes.models import Activity, Process, StakeholderEntry
from dugnad_workshops import invitations, series
from dugnad_workshops.models import Attendance, Workshop, WorkshopSeries
from tests.plugins.workshops.workshops_support import GUESTS, build_room, english, future, in_tenant, outbox, text  # noqa: F401
from tests.support.context import in_english


def answer_link(message) -> str:
    return re.search(r"https?://\S+/workshops/answer/\S+", message.body).group(0).split("dugnad.test", 1)[1]


def test_the_list_comes_from_the_stakeholder_analysis_and_warns_about_missing_groups(app, english, world):
    made = build_room(app, world, invite=False, guests=[g for g in GUESTS if g[1] not in ("business", "target_group")])

    def analysis():
        for name in ("Kari Kommune", "Vera Frivillig"):
            participant_id = made.people[name]
            db.session.add(StakeholderEntry(process_id=made.process, participant_id=participant_id, name=name,
                                            category="municipality" if name.startswith("Kari") else "volunteer"))
        db.session.add(StakeholderEntry(process_id=made.process, name="Lokale arbeidsgivere", category="business"))
        db.session.commit()

    in_tenant(app, made.tenant_id, analysis)
    client = english("alpha_coordinator")
    page = text(client.get(f"/alpha/workshops/{made.first}/invitations"))
    assert "No one from: Business, Target group, Volunteer sector." in page
    assert "2 people from the stakeholder analysis are not on the list." in page
    assert client.post(f"/alpha/workshops/{made.first}/invitations/from-analysis").status_code == 302
    listed = in_tenant(app, made.tenant_id, lambda: sorted(a.participant.name for a in invitations.attendance_of(
        db.session.get(Workshop, made.first))))
    assert listed == ["Kari Kommune", "Vera Frivillig"]
    page = text(client.get(f"/alpha/workshops/{made.first}/invitations"))
    assert "No one from: Business, Target group." in page
    assert "Without refugees or former refugees" in page and "Without employers" in page
    # the series page says so too, and the analysis names the employers nobody is linked to
    series_page = text(client.get(f"/alpha/workshops/series/{made.process}/"))
    assert "Workshop 1 has no one yet from: Business, Target group." in series_page


def test_an_invitation_goes_once_with_the_material_an_ics_and_a_link_to_answer(app, english, world):
    made = build_room(app, world, answer=False)
    in_tenant(app, made.tenant_id, lambda: (series.set_preparation(
        db.session.scalar(select(WorkshopSeries)), "Tenk på flaskehalsene i din egen kommune."), db.session.commit()))
    client = english("alpha_coordinator")
    assert client.post(f"/alpha/workshops/{made.first}/invitations/send").status_code == 302
    sent = outbox(app, "workshop-invitation")
    assert len(sent) == len(GUESTS)
    message = next(m for m in sent if m.recipient == "bodil.bedrift@alpha.test")
    assert "Tenk på flaskehalsene" in message.body and "Rådhuset" in message.body
    calendar = ical.unfold(message.attachments[0]["content"])
    activity_id = in_tenant(app, made.tenant_id, lambda: db.session.get(Workshop, made.first).activity_id)
    assert f"UID:activity-{activity_id}-{made.tenant_id}@dugnad" in calendar and "METHOD:REQUEST" in calendar
    assert sum(line.startswith("ATTENDEE") for line in calendar) == 1
    # sending again sends nothing new; the button is gone
    response = client.post(f"/alpha/workshops/{made.first}/invitations/send")
    assert response.status_code == 422 and "Everyone with an e-mail address has had the invitation" in text(response)
    assert len(outbox(app, "workshop-invitation")) == len(GUESTS)


def test_the_invitation_needs_a_time_and_place_first(app, english, world):
    made = build_room(app, world, schedule=False, answer=False)
    response = english("alpha_coordinator").post(f"/alpha/workshops/{made.first}/invitations/send")
    assert response.status_code == 422 and "Set the time and place of the workshop first" in text(response)
    assert outbox(app, "workshop-invitation") == []


def test_people_answer_yes_or_no_by_their_link_without_an_account(app, english, world):
    made = build_room(app, world, answer=False)
    english("alpha_coordinator").post(f"/alpha/workshops/{made.first}/invitations/send")
    message = next(m for m in outbox(app, "workshop-invitation") if m.recipient == "amal.flyktning@alpha.test")
    link = answer_link(message)
    visitor = in_english(app.test_client())
    page = visitor.get(link)
    assert page.status_code == 200 and "Amal Flyktning" in text(page) and "Are you coming?" in text(page)
    assert "Bodil" not in text(page)
    assert visitor.post(link, data={"answer": "yes"}).status_code == 302
    assert "Coming" in text(visitor.get(link))
    visitor.post(link, data={"answer": "no"})
    answer = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Attendance.response).where(
        Attendance.participant_id == made.people["Amal Flyktning"])))
    assert answer == "no"
    assert visitor.post(link, data={"answer": "maybe"}).status_code == 422


def test_a_broken_or_foreign_link_shows_nothing(app, english, world):
    made = build_room(app, world, answer=False)
    english("alpha_coordinator").post(f"/alpha/workshops/{made.first}/invitations/send")
    link = answer_link(outbox(app, "workshop-invitation")[0])
    visitor = app.test_client()
    assert visitor.get(link[:-3]).status_code == 404
    assert visitor.get(link.replace("/alpha/", "/beta/")).status_code == 404
    assert visitor.post(link.replace("/alpha/", "/beta/"), data={"answer": "yes"}).status_code == 404


def test_answers_by_phone_are_recorded_and_a_sent_invitation_stays_on_the_list(app, english, world):
    made = build_room(app, world, answer=False)
    client = english("alpha_coordinator")
    attendance_id = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Attendance.id).where(
        Attendance.participant_id == made.people["Ola Ordfører"])))
    client.post(f"/alpha/workshops/{made.first}/invitations/send")
    assert client.post(f"/alpha/workshops/{made.first}/invitations/{attendance_id}/answer", data={"answer": "yes"}).status_code == 302
    response = client.post(f"/alpha/workshops/{made.first}/invitations/{attendance_id}/remove", follow_redirects=True)
    assert "Mark the answer as “not coming” instead" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Attendance, attendance_id).response) == "yes"


def test_a_new_time_reaches_those_invited_with_the_same_calendar_entry(app, english, world):
    made = build_room(app, world, answer=False)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/invitations/send")
    in_tenant(app, made.tenant_id, lambda: (invitations.respond(db.session.scalar(select(Attendance).where(
        Attendance.participant_id == made.people["Ola Ordfører"])), "no"), db.session.commit()))
    later = future(days=9)
    assert client.post(f"/alpha/workshops/{made.first}/schedule", data={
        "starts_at": later.strftime("%Y-%m-%dT%H:%M"), "ends_at": (later + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Biblioteket"}).status_code == 302
    changed = [m for m in outbox(app, "workshop-invitation") if m.subject.startswith("Endret") or m.subject.startswith("Changed")]
    assert len(changed) == len(GUESTS) - 1  # not to the one who said no
    assert "Biblioteket" in changed[0].body
    assert "SEQUENCE:1" in ical.unfold(changed[0].attachments[0]["content"])
    # a change on the process pages reaches them too, through the periodic check
    activity_id = in_tenant(app, made.tenant_id, lambda: db.session.get(Workshop, made.first).activity_id)

    def move_in_plan():
        from dugnad.processes import service

        activity = db.session.get(Activity, activity_id)
        service.update_activity(db.session.get(Process, made.process), activity, {"location": "Kulturhuset"})
        db.session.commit()
        return invitations.sync_invitations()

    assert in_tenant(app, made.tenant_id, move_in_plan) == len(GUESTS) - 1
    assert in_tenant(app, made.tenant_id, invitations.sync_invitations) == 0
