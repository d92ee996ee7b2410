"""Meeting invitations (.ics through the outbox, once per version) and daily
reminders of overdue work (once a day, however often the job runs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.processes import ical, service
from dugnad.processes.models import Activity, Process
from dugnad.processes.reminders import send_meeting_invitations, send_overdue_reminders
from tests.support.processes import future, in_tenant, make_process
from dugnad.clock import today as oslo_today


def outbox(app, kind=None):
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        rows = db.session.scalars(query).all()
        db.session.remove()
        return rows


# --- iCal --------------------------------------------------------------------------------


def test_an_ics_is_crlf_terminated_line_folded_and_complete():
    text = ical.event(uid="activity-7-1@dugnad", sequence=2, starts_at=datetime(2026, 3, 10, 18, 0),
                      ends_at=datetime(2026, 3, 10, 20, 30), summary="Verksted: hva vil vi gjøre noe med?; del 2",
                      description="Linje én\nLinje to, med komma " + "ø" * 80, location="Rådhuset, sal 1",
                      organizer_name="Namsskogan kommune", organizer_email="post@kommune.test",
                      attendees=[("pia@alpha.test", "Pia Planner"), ("ole@alpha.test", 'Ole "O" Olsen')],
                      stamp=datetime(2026, 1, 1, 12, 0, tzinfo=None).astimezone())
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode("utf-8")) <= 75, raw
    assert any(raw.startswith(" ") for raw in text.split("\r\n"))  # the long description is folded
    lines = ical.unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    for expected in ("VERSION:2.0", "METHOD:REQUEST", "UID:activity-7-1@dugnad", "SEQUENCE:2",
                     "DTSTART;TZID=Europe/Oslo:20260310T180000", "DTEND;TZID=Europe/Oslo:20260310T203000",
                     "BEGIN:VTIMEZONE", "TZID:Europe/Oslo", "LOCATION:Rådhuset\\, sal 1",
                     'ORGANIZER;CN="Namsskogan kommune":mailto:post@kommune.test',
                     'ATTENDEE;CN="Pia Planner";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:pia@alpha.test',
                     'ATTENDEE;CN="Ole O Olsen";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ole@alpha.test'):
        assert expected in lines, expected
    assert "SUMMARY:Verksted: hva vil vi gjøre noe med?\\; del 2" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description == "DESCRIPTION:Linje én\\nLinje to\\, med komma " + "ø" * 80
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)


def test_a_cancellation_says_so():
    text = ical.event(uid="u@x", sequence=3, starts_at=datetime(2026, 3, 10, 18), ends_at=datetime(2026, 3, 10, 19),
                      summary="x", organizer_name="K", organizer_email="k@x.test", attendees=[], method="CANCEL")
    lines = ical.unfold(text)
    assert "METHOD:CANCEL" in lines and "STATUS:CANCELLED" in lines


# --- meeting invitations -----------------------------------------------------------------


def meeting(made, **overrides):
    starts = future()
    data = {"kind": "meeting", "title": "Workshop with the council", "phase_id": made.phases[0],
            "owner_id": made.people["Pia Planner"], "starts_at": starts, "ends_at": starts + timedelta(hours=2),
            "location": "Town hall", "status": "planned", "due_date": None, "ladder_level": None, "description": "Bring ideas"}
    data.update(overrides)
    return data


def test_a_new_meeting_invites_the_process_participants_with_an_ics_once(app, world):
    made = make_process(app, world, people=("Pia Planner", "Ola Nordmann"))

    def create():
        process = db.session.get(Process, made.process)
        activity = service.create_activity(process, meeting(made))
        db.session.commit()  # the job runs after the commit (inline here)
        return activity.id

    activity_id = in_tenant(app, made.tenant_id, create)
    sent = outbox(app, "meeting-invitation")
    assert sorted(m.recipient for m in sent) == ["ola@alpha.test", "pia@alpha.test"]
    assert {m.subject_ref for m in sent} == {f"activity:{activity_id}:0"}
    attachment = sent[0].attachments[0]
    assert attachment["filename"].endswith(".ics") and attachment["content_type"] == "text/calendar"
    lines = ical.unfold(attachment["content"])
    assert "METHOD:REQUEST" in lines and "SEQUENCE:0" in lines and f"UID:activity-{activity_id}-{made.tenant_id}@dugnad" in lines
    assert sum(line.startswith("ATTENDEE") for line in lines) == 2
    assert "Workshop with the council" in sent[0].body and "Town hall" in sent[0].body

    # the job runs again (an RQ retry): nothing new
    in_tenant(app, made.tenant_id, lambda: send_meeting_invitations(activity_id))
    assert len(outbox(app, "meeting-invitation")) == 2

    # a change of time bumps SEQUENCE and sends the change; the UID stays
    def move_it():
        process = db.session.get(Process, made.process)
        activity = db.session.get(Activity, activity_id)
        later = activity.starts_at + timedelta(days=1)
        service.update_activity(process, activity, {"starts_at": later, "ends_at": later + timedelta(hours=1)})
        db.session.commit()

    in_tenant(app, made.tenant_id, move_it)
    sent = outbox(app, "meeting-invitation")
    assert len(sent) == 4
    changed = [m for m in sent if m.subject_ref == f"activity:{activity_id}:1"]
    lines = ical.unfold(changed[0].attachments[0]["content"])
    assert "SEQUENCE:1" in lines and f"UID:activity-{activity_id}-{made.tenant_id}@dugnad" in lines

    # a change that does not touch the meeting (the owner) sends nothing
    in_tenant(app, made.tenant_id, lambda: (service.update_activity(
        db.session.get(Process, made.process), db.session.get(Activity, activity_id), {"owner_id": None}), db.session.commit()))
    assert len(outbox(app, "meeting-invitation")) == 4

    # nor does marking it done once it is held
    in_tenant(app, made.tenant_id, lambda: (service.update_activity(
        db.session.get(Process, made.process), db.session.get(Activity, activity_id), {"status": "done"}), db.session.commit()))
    assert len(outbox(app, "meeting-invitation")) == 4
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Activity, activity_id).sequence) == 1


def test_a_task_sends_no_invitation_and_people_without_e_mail_are_skipped(app, world):
    made = make_process(app, world)

    def create():
        process = db.session.get(Process, made.process)
        service.create_activity(process, {"kind": "task", "title": "Write the plan", "phase_id": made.phases[0]})
        db.session.commit()

    in_tenant(app, made.tenant_id, create)
    assert outbox(app, "meeting-invitation") == []


# --- overdue reminders -----------------------------------------------------------------------


def test_overdue_reminders_go_to_the_owner_once_a_day(app, world):
    made = make_process(app, world, people=("Pia Planner", "Nils Nomail"))

    def setup():
        nomail = made.people["Nils Nomail"]
        from dugnad.participants.models import Participant

        db.session.get(Participant, nomail).email = None
        past = oslo_today() - timedelta(days=2)
        db.session.add_all([
            Activity(process_id=made.process, phase_id=made.phases[0], title="Late", owner_id=made.people["Pia Planner"], due_date=past),
            Activity(process_id=made.process, phase_id=made.phases[0], title="Late but done", status="done",
                     owner_id=made.people["Pia Planner"], due_date=past),
            Activity(process_id=made.process, phase_id=made.phases[0], title="Not yet", owner_id=made.people["Pia Planner"],
                     due_date=oslo_today() + timedelta(days=1)),
            Activity(process_id=made.process, phase_id=made.phases[0], title="No address", owner_id=nomail, due_date=past),
            Activity(process_id=made.process, phase_id=made.phases[0], title="No owner", due_date=past),
        ])
        db.session.commit()

    in_tenant(app, made.tenant_id, setup)
    beta = make_process(app, world, "beta", people=("Berit Beta",))
    in_tenant(app, beta.tenant_id, lambda: (db.session.add(Activity(
        process_id=beta.process, phase_id=beta.phases[0], title="Beta late", owner_id=beta.people["Berit Beta"],
        due_date=oslo_today() - timedelta(days=5))), db.session.commit()))

    assert in_tenant(app, made.tenant_id, send_overdue_reminders) == 1
    assert in_tenant(app, made.tenant_id, send_overdue_reminders) == 0  # the same day: nothing more
    sent = outbox(app, "overdue-reminder")
    assert [(m.recipient, m.subject_ref) for m in sent] == [("pia@alpha.test", f"activity:{sent[0].subject_ref.split(':')[1]}:{oslo_today().isoformat()}")]
    assert "Late" in sent[0].body
    # beta's run reminds only beta's owner
    assert in_tenant(app, beta.tenant_id, send_overdue_reminders) == 1
    assert sorted(m.recipient for m in outbox(app, "overdue-reminder")) == ["berit@beta.test", "pia@alpha.test"]
    # the next day it goes out again
    in_tenant(app, made.tenant_id, lambda: (db.session.execute(
        Activity.__table__.update().values(reminded_on=oslo_today() - timedelta(days=1))), db.session.commit()))
    assert in_tenant(app, made.tenant_id, send_overdue_reminders) == 1


def test_the_reminder_job_without_a_municipality_does_nothing(app, world):
    with app.app_context():
        assert send_overdue_reminders() == 0
