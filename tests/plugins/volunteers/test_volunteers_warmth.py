"""Keeping volunteers warm — events with invitations and sign-up by link, idle flags with
a friendly e-mail, reminders before a task — and the retention job that warns, then
deletes. All scheduled work is a job that may run twice without harm."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.jobs.schedules import due_tenants
from dugnad.processes.ical import unfold
from dugnad.clock import local_now, today
from dugnad.clock import utcnow
from dugnad_volunteers import needs, retention, warmth
from dugnad_volunteers.models import Assignment, EventInvitation, Volunteer
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    in_tenant,
    link_in,
    make_volunteer,
    messages,
    need_values,
)


def _coordinator(client_as):
    client = client_as("alpha_coordinator")
    client.post("/language", data={"lang": "en", "next": "/"})
    return client


def _event_form(**changes) -> dict:
    starts = (local_now() + timedelta(days=10)).replace(hour=18, minute=0, second=0, microsecond=0)
    data = {"title": "Christmas lunch for volunteers", "kind": "social", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "location": "The library"}
    data.update(changes)
    return data


def test_an_event_invites_approved_volunteers_once_who_sign_up_by_link(app, world, bank, client_as):
    make_volunteer(bank, "Yonas Tesfay")
    make_volunteer(bank, "Kari Nilsen")
    make_volunteer(bank, "On A Break", paused=True)
    make_volunteer(bank, "Not Approved", status="pending")
    client = _coordinator(client_as)
    created = client.post("/alpha/volunteers/events/new", data=_event_form(capacity="1"))
    assert created.status_code == 302
    event_path = created.location
    client.post(event_path + "/invite")
    invitations = messages(app, "volunteer-event")
    assert {m.recipient for m in invitations} == {"yonas.tesfay@example.no", "kari.nilsen@example.no"}
    calendar = unfold(invitations[0].attachments[0]["content"])
    assert "SUMMARY:Christmas lunch for volunteers" in calendar
    client.post(event_path + "/invite")  # again: nobody gets a second one
    assert len(messages(app, "volunteer-event")) == 2
    visitor = app.test_client()
    visitor.post("/language", data={"lang": "en", "next": "/"})
    yonas = link_in(next(m for m in invitations if m.recipient.startswith("yonas")), "/frivillig/arrangement/")
    kari = link_in(next(m for m in invitations if m.recipient.startswith("kari")), "/frivillig/arrangement/")
    assert "You are signed up" in visitor.post(yonas, data={"going": "yes"}).text
    assert "already answered" in visitor.post(yonas, data={"going": "yes"}).text
    assert "the event is full" in visitor.post(kari, data={"going": "yes"}).text
    page = client.get(event_path)
    assert "Yonas Tesfay" in page.text and "Kari Nilsen" not in page.text.split("coming-heading", 1)[1]
    past = client.post("/alpha/volunteers/events/new", data=_event_form(starts_at="2020-01-01T18:00", ends_at="2020-01-01T20:00"))
    assert past.status_code == 422 and "The time is in the past." in past.text


def test_a_cancelled_event_tells_those_invited(app, world, bank, client_as):
    make_volunteer(bank, "Yonas Tesfay")
    client = _coordinator(client_as)
    event_path = client.post("/alpha/volunteers/events/new", data=_event_form()).location
    client.post(event_path + "/invite")
    client.post(event_path + "/cancel")
    (mail,) = messages(app, "volunteer-event-cancelled")
    assert mail.recipient == "yonas.tesfay@example.no"
    link = link_in(messages(app, "volunteer-event")[0], "/frivillig/arrangement/")
    answer = app.test_client().post(link, data={"going": "yes"})
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.scalar(select(EventInvitation.status)) == "invited"
    assert answer.status_code == 200


def test_idle_volunteers_are_flagged_and_greeted_once_then_cleared(app, world, bank, client_as):
    long_ago = utcnow() - timedelta(days=200)
    idle = make_volunteer(bank, "Per Olav Berg", last_active_at=long_ago, last_task_on=today() - timedelta(days=150))
    make_volunteer(bank, "Busy Bee", last_active_at=long_ago, last_task_on=today() - timedelta(days=10))
    make_volunteer(bank, "Just Active", last_active_at=utcnow())
    with in_tenant(app, world.tenants["alpha"]):
        for volunteer in db.session.scalars(select(Volunteer)):
            volunteer.approved_at = long_ago
        db.session.commit()
        assert warmth.flag_idle_volunteers() == {"flagged": 1, "cleared": 0}
        assert warmth.flag_idle_volunteers() == {"flagged": 0, "cleared": 0}
        assert db.session.get(Volunteer, idle).idle_since == today()
    (mail,) = messages(app, "volunteer-keep-warm")
    assert mail.recipient == "per.olav.berg@example.no"
    page = _coordinator(client_as).get("/alpha/volunteers/?idle=1")
    assert "Per Olav Berg" in page.text and "Busy Bee" not in page.text
    assert "1 idle volunteer" in _coordinator(client_as).get("/alpha/volunteers/widget").text
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Volunteer, idle).last_active_at = utcnow()
        db.session.commit()
        assert warmth.flag_idle_volunteers() == {"flagged": 0, "cleared": 1}


def test_a_reminder_goes_once_before_a_task_with_a_calendar(app, world, bank):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    soon = local_now().replace(second=0, microsecond=0) + timedelta(hours=5)
    later = local_now().replace(second=0, microsecond=0) + timedelta(days=5)
    with in_tenant(app, world.tenants["alpha"]):
        for starts in (soon, later):
            need = needs.create(need_values(bank, starts_at=starts, title=f"Task at {starts:%H:%M %d}"), None)
            (assignment,) = needs.ask(need, [volunteer_id], None)
            needs.answer(assignment, True)
        db.session.commit()
        assert warmth.send_assignment_reminders() == 1
        assert warmth.send_assignment_reminders() == 0
        assert db.session.scalar(select(Assignment).where(Assignment.reminded_at.is_not(None))).need_id is not None
    (mail,) = messages(app, "volunteer-reminder")
    assert f"Task at {soon:%H:%M %d}" in mail.subject and "/frivillig/svar/" in mail.body
    assert any(line.startswith("DTSTART;TZID=Europe/Oslo:") for line in unfold(mail.attachments[0]["content"]))


def test_retention_warns_the_inactive_then_deletes_those_who_do_not_come_back(app, world, bank):
    old = utcnow() - timedelta(days=30 * 25)
    quiet = make_volunteer(bank, "Gone Quiet", last_active_at=old)
    returns = make_volunteer(bank, "Comes Back", last_active_at=old)
    make_volunteer(bank, "Recently Active")
    never = make_volunteer(bank, "Never Confirmed", status="unconfirmed")
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Volunteer, never).registered_at = utcnow() - timedelta(days=40)
        db.session.commit()
        result = retention.enforce_retention()
        assert result == {"warned": 2, "inactive": 0, "unconfirmed": 1, "rejected": 0}
        assert db.session.get(Volunteer, never).anonymised_at is not None
        assert retention.enforce_retention()["warned"] == 0  # once
    warnings = messages(app, "volunteer-retention")
    assert {m.recipient for m in warnings} == {"gone.quiet@example.no", "comes.back@example.no"}
    # one opens the page from the e-mail; the other does nothing for 31 days
    app.test_client().get(link_in(next(m for m in warnings if m.recipient.startswith("comes")), "/frivillig/meg/"))
    with in_tenant(app, world.tenants["alpha"]):
        db.session.get(Volunteer, quiet).retention_warned_at = utcnow() - timedelta(days=31)
        db.session.commit()
        assert retention.enforce_retention()["inactive"] == 1
        assert db.session.get(Volunteer, quiet).anonymised_at is not None
        assert db.session.get(Volunteer, returns).anonymised_at is None
        assert db.session.get(Volunteer, returns).retention_warned_at is None


def test_the_scheduled_jobs_run_only_where_the_bank_is_on(app, world, client_as):
    registry = app.extensions["dugnad.plugins"].registry
    crons = {job.__name__: s.cron for plugin, s in registry.schedules if plugin == "volunteers" for job in [s.job]}
    assert set(crons) == {"send_assignment_reminders", "flag_idle_volunteers", "enforce_retention"}
    client_as("region").post(f"/region/municipalities/{world.tenants['beta']}/plugins/volunteers", data={"enabled": "0"})
    with app.app_context():
        assert due_tenants("volunteers") == [world.tenants["alpha"]]
