"""Keeping volunteers "warm" (seed 003): social and training events with invitations
and sign-up by link, a flag on those who have been idle for a while (with a friendly
e-mail), and a reminder before each task they said yes to. The scheduled parts are
jobs: idempotent, in the municipality's context, e-mail through the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from dugnad.sdk import db, ical, local_now, record, today, utcnow
from dugnad_volunteers import links, mail, registration
from dugnad_volunteers.errors import BankError, clean
from dugnad_volunteers.models import EVENT_KINDS, Assignment, Event, EventInvitation, Need, Volunteer

IDLE_SETTING = "volunteers_idle_days"
REMINDER_SETTING = "volunteers_reminder_hours"
DEFAULT_IDLE_DAYS = 90
DEFAULT_REMINDER_HOURS = 24
INVITE_BATCH = 500


def setting(key: str, default: int) -> int:
    value = (mail.tenant().settings or {}).get(key)
    try:
        value = int(value)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


# --- events -----------------------------------------------------------------------------------------


def get_event(event_id: int) -> Event | None:
    return db.session.scalar(select(Event).where(Event.id == event_id))


def events(upcoming: bool = True, limit: int = 100) -> list[tuple[Event, int]]:
    """Events with how many are coming, soonest first (or the past ones, newest first)."""
    going = (select(EventInvitation.event_id, func.count().label("going")).where(EventInvitation.status == "going")
             .group_by(EventInvitation.event_id).subquery())
    query = select(Event, func.coalesce(going.c.going, 0)).outerjoin(going, going.c.event_id == Event.id)
    now = local_now()
    if upcoming:
        query = query.where(Event.ends_at >= now, Event.cancelled_at.is_(None)).order_by(Event.starts_at)
    else:
        query = query.where(or_(Event.ends_at < now, Event.cancelled_at.is_not(None))).order_by(Event.starts_at.desc())
    return db.session.execute(query.limit(limit)).tuples().all()


def check_event(values: dict[str, Any], event: Event | None = None) -> dict[str, Any]:
    title = clean(values.get("title"))
    if not title:
        raise BankError(_("Write the name of the event."), "title")
    if len(title) > 200:
        raise BankError(_("The title can be at most 200 characters."), "title")
    kind = values.get("kind") or "social"
    if kind not in EVENT_KINDS:
        raise BankError(_("Choose social or training."), "kind")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, datetime):
        raise BankError(_("Write the day and time it starts."), "starts_at")
    if starts_at <= local_now() and (event is None or starts_at != event.starts_at):
        raise BankError(_("The time is in the past."), "starts_at")
    if not isinstance(ends_at, datetime) or ends_at <= starts_at:
        raise BankError(_("It must end after it starts."), "ends_at")
    capacity = values.get("capacity")
    if capacity in ("", None):
        capacity = None
    else:
        try:
            capacity = int(capacity)
        except (TypeError, ValueError):
            capacity = 0
        if not 1 <= capacity <= 10000:
            raise BankError(_("Write how many can come (1 or more), or leave it empty."), "capacity")
    description = clean(values.get("description"))
    if description and len(description) > 3000:
        raise BankError(_("This can be at most %(n)s characters.", n=3000), "description")
    location = clean(values.get("location"))
    if location and len(location) > 200:
        raise BankError(_("This can be at most %(n)s characters.", n=200), "location")
    return {"title": title, "kind": kind, "starts_at": starts_at.replace(second=0, microsecond=0),
            "ends_at": ends_at.replace(second=0, microsecond=0), "capacity": capacity, "description": description,
            "location": location}


def create_event(values: dict[str, Any], user) -> Event:
    event = Event(created_by_id=getattr(user, "id", None), **check_event(values))
    db.session.add(event)
    db.session.flush()
    record("volunteers.event_created", event, title=event.title)
    return event


def update_event(event: Event, values: dict[str, Any]) -> list[str]:
    if event.cancelled_at is not None:
        raise BankError(_("The event is cancelled."), "title", status=409)
    checked = check_event(values, event)
    changed = [key for key, value in checked.items() if getattr(event, key) != value]
    for key in changed:
        setattr(event, key, checked[key])
    record("volunteers.event_changed", event, fields=changed)
    return changed


def cancel_event(event: Event) -> None:
    if event.cancelled_at is None:
        event.cancelled_at = utcnow()
        record("volunteers.event_cancelled", event)
        mail.later(send_event_cancellation, event.id)


def invite(event: Event) -> None:
    """Invite every approved volunteer who is not on a break (in a job)."""
    if event.cancelled_at is not None:
        raise BankError(_("The event is cancelled."), "event", status=409)
    if event.starts_at <= local_now():
        raise BankError(_("The event has already started."), "event", status=409)
    event.invited_at = utcnow()
    record("volunteers.event_invited", event)
    mail.later(send_event_invitations, event.id)


def counts(event: Event) -> dict[str, int]:
    out = {"invited": 0, "going": 0, "not_going": 0}
    out.update(dict(db.session.execute(select(EventInvitation.status, func.count())
                                       .where(EventInvitation.event_id == event.id).group_by(EventInvitation.status)).all()))
    return out


def attendees(event: Event) -> list[Volunteer]:
    return list(db.session.scalars(
        select(Volunteer).join(EventInvitation, (EventInvitation.volunteer_id == Volunteer.id)
                               & (EventInvitation.tenant_id == Volunteer.tenant_id))
        .where(EventInvitation.event_id == event.id, EventInvitation.status == "going").order_by(Volunteer.name)))


def upcoming_invitations(volunteer: Volunteer) -> list[tuple[EventInvitation, Event]]:
    return db.session.execute(
        select(EventInvitation, Event).join(Event, (Event.id == EventInvitation.event_id) & (Event.tenant_id == EventInvitation.tenant_id))
        .where(EventInvitation.volunteer_id == volunteer.id, Event.starts_at >= local_now(), Event.cancelled_at.is_(None))
        .order_by(Event.starts_at)
    ).tuples().all()


def get_invitation(invitation_id: int) -> EventInvitation | None:
    return db.session.scalar(select(EventInvitation).where(EventInvitation.id == invitation_id))


def sign_up(invitation: EventInvitation, going: bool) -> str:
    """Returns "going", "not_going", "already", "full", "past" or "cancelled"."""
    event = db.session.scalar(select(Event).where(Event.id == invitation.event_id).with_for_update())
    if event.cancelled_at is not None:
        return "cancelled"
    if event.starts_at <= local_now():
        return "past"
    wanted = "going" if going else "not_going"
    if invitation.status == wanted:
        return "already"
    if going and event.capacity is not None and counts(event)["going"] >= event.capacity:
        return "full"
    invitation.status, invitation.answered_at = wanted, utcnow()
    volunteer = db.session.scalar(select(Volunteer).where(Volunteer.id == invitation.volunteer_id))
    registration.touch(volunteer)
    volunteer.idle_since = None if going else volunteer.idle_since
    record("volunteers.event_answer", invitation, event_id=event.id, going=going, user_id=None)
    return wanted


def _inviteable(day):
    return and_(Volunteer.status == "approved", Volunteer.anonymised_at.is_(None), Volunteer.email.is_not(None),
                or_(Volunteer.paused_at.is_(None), and_(Volunteer.paused_until.is_not(None), Volunteer.paused_until < day)))


def send_event_invitations(event_id: int) -> int:
    """Invite, in batches, every approved volunteer not yet invited; safe to run again."""
    event = get_event(event_id)
    if event is None or event.cancelled_at is not None or event.starts_at <= local_now():
        return 0
    invited = 0
    while True:
        already = select(EventInvitation.volunteer_id).where(EventInvitation.event_id == event.id)
        batch = list(db.session.scalars(select(Volunteer).where(_inviteable(event.starts_at.date()), Volunteer.id.not_in(already))
                                        .order_by(Volunteer.id).limit(INVITE_BATCH)))
        if not batch:
            break
        invitations = [EventInvitation(event_id=event.id, volunteer_id=v.id) for v in batch]
        db.session.add_all(invitations)
        db.session.flush()
        for volunteer, invitation in zip(batch, invitations):
            mail.to_volunteer(volunteer, "volunteer-event", f"event-invitation:{invitation.id}",
                              _event_subject(volunteer, _l("Invitation: %(title)s"), event), "event_invitation.txt",
                              event=event, link=links.event_link(invitation),
                              attachments=[_calendar(event, volunteer)])
        db.session.commit()
        invited += len(batch)
    return invited


def send_event_cancellation(event_id: int) -> int:
    event = get_event(event_id)
    if event is None or event.cancelled_at is None:
        return 0
    rows = db.session.execute(
        select(EventInvitation, Volunteer).join(Volunteer, (Volunteer.id == EventInvitation.volunteer_id)
                                                & (Volunteer.tenant_id == EventInvitation.tenant_id))
        .where(EventInvitation.event_id == event.id, EventInvitation.status != "not_going",
               Volunteer.anonymised_at.is_(None), Volunteer.email.is_not(None))
    ).tuples().all()
    for invitation, volunteer in rows:
        mail.to_volunteer(volunteer, "volunteer-event-cancelled", f"event-invitation:{invitation.id}",
                          _event_subject(volunteer, _l("Cancelled: %(title)s"), event), "event_cancelled.txt", event=event)
    return len(rows)


def _event_subject(volunteer: Volunteer, message, event: Event) -> str:
    with force_locale(volunteer.locale or "nb"):
        return str(message) % {"title": event.title}


def _calendar(event: Event, volunteer: Volunteer) -> dict:
    municipality = mail.tenant()
    content = ical.event(uid=f"volunteer-event-{event.id}-{municipality.id}@dugnad", sequence=0, starts_at=event.starts_at,
                         ends_at=event.ends_at, summary=event.title, description=event.description,
                         location=event.location, organizer_name=municipality.name, organizer_email=_sender(),
                         attendees=[(volunteer.email, volunteer.name)])
    return {"filename": "event.ics", "content_type": "text/calendar", "content": content}


def _sender() -> str:
    from dugnad.sdk import sender_address

    return mail.contact_email() or sender_address()


# --- idle volunteers ------------------------------------------------------------------------------------


def idle_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Volunteer).where(
        Volunteer.idle_since.is_not(None), Volunteer.anonymised_at.is_(None), Volunteer.status == "approved")) or 0


def flag_idle_volunteers() -> dict[str, int]:
    """Daily: flag approved volunteers with no task and no sign of life for the set number
    of days (and greet them once, with the coming events); clear the flag when they come back."""
    day = today()
    threshold = day - timedelta(days=setting(IDLE_SETTING, DEFAULT_IDLE_DAYS))
    since = datetime.combine(threshold, datetime.min.time())
    quiet = and_(or_(Volunteer.last_task_on.is_(None), Volunteer.last_task_on < threshold),
                 Volunteer.approved_at < since, Volunteer.last_active_at < since)
    cleared = 0
    for volunteer in db.session.scalars(select(Volunteer).where(Volunteer.idle_since.is_not(None), ~quiet)):
        volunteer.idle_since = None
        cleared += 1
    newly = list(db.session.scalars(select(Volunteer).where(
        Volunteer.idle_since.is_(None), Volunteer.status == "approved", Volunteer.anonymised_at.is_(None),
        Volunteer.paused_at.is_(None), quiet).order_by(Volunteer.id)))
    coming = [event for event, _going in events(upcoming=True, limit=5)]
    for volunteer in newly:
        volunteer.idle_since = day
        if volunteer.email:
            mail.to_volunteer(volunteer, "volunteer-keep-warm", f"volunteer:{volunteer.id}:idle:{day.isoformat()}",
                              _greeting(volunteer), "keep_warm.txt", events=coming)
    db.session.commit()
    return {"flagged": len(newly), "cleared": cleared}


def _greeting(volunteer: Volunteer) -> str:
    with force_locale(volunteer.locale or "nb"):
        return _("We miss you, %(name)s", name=volunteer.first_name)


# --- reminders before a task -----------------------------------------------------------------------------


def send_assignment_reminders() -> int:
    """Hourly: remind each volunteer who said yes, once, before the task starts."""
    now = local_now()
    horizon = now + timedelta(hours=setting(REMINDER_SETTING, DEFAULT_REMINDER_HOURS))
    rows = db.session.execute(
        select(Assignment, Need, Volunteer)
        .join(Need, (Need.id == Assignment.need_id) & (Need.tenant_id == Assignment.tenant_id))
        .join(Volunteer, (Volunteer.id == Assignment.volunteer_id) & (Volunteer.tenant_id == Assignment.tenant_id))
        .where(Assignment.status == "accepted", Assignment.reminded_at.is_(None), Need.status.in_(("open", "filled")),
               Need.starts_at > now, Need.starts_at <= horizon, Volunteer.anonymised_at.is_(None),
               Volunteer.email.is_not(None))
        .order_by(Need.starts_at)
    ).tuples().all()
    municipality = mail.tenant()
    for assignment, need, volunteer in rows:
        calendar = ical.event(uid=f"volunteer-need-{need.id}-{municipality.id}@dugnad", sequence=0, starts_at=need.starts_at,
                              ends_at=need.ends_at, summary=need.title, description=need.description,
                              location=need.location, organizer_name=municipality.name, organizer_email=_sender(),
                              attendees=[(volunteer.email, volunteer.name)])
        with force_locale(volunteer.locale or "nb"):
            subject = _("Reminder: %(title)s", title=need.title)
        mail.to_volunteer(volunteer, "volunteer-reminder", f"assignment:{assignment.id}:reminder", subject, "reminder.txt",
                          need=need, link=links.answer_link(assignment),
                          attachments=[{"filename": "task.ics", "content_type": "text/calendar", "content": calendar}])
        assignment.reminded_at = utcnow()
    db.session.commit()
    return len(rows)

