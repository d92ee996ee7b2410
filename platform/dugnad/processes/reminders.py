"""Jobs: meeting invitations (with an .ics) and daily reminders of overdue work.

Both run in the municipality's context, take ids only, and are idempotent: the
outbox key (kind, recipient, subject) stops a second copy of a message, and
``Activity.reminded_on`` stops a second reminder the same day.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.links import external_url, sender_address
from dugnad.notifications import queue_mail
from dugnad.participants.models import Participant
from dugnad.processes import ical
from dugnad.processes.models import Activity, Phase, Process, ProcessParticipant
from dugnad.tenancy.context import current_tenant_id
from dugnad.tenancy.models import Tenant

INVITATION_KIND = "meeting-invitation"
REMINDER_KIND = "overdue-reminder"


def recipients(activity: Activity) -> list[tuple[str, str]]:
    """(e-mail, name) of the process's participants with an address, and the owner."""
    rows = db.session.execute(
        select(Participant.email, Participant.name)
        .join(ProcessParticipant, (ProcessParticipant.participant_id == Participant.id)
              & (ProcessParticipant.tenant_id == Participant.tenant_id))
        .where(ProcessParticipant.process_id == activity.process_id, Participant.email.is_not(None),
               Participant.archived_at.is_(None))
        .order_by(Participant.name)
    ).all()
    found = {email.lower(): name for email, name in rows if email}
    if activity.owner_id:
        owner = db.session.execute(select(Participant.email, Participant.name).where(
            Participant.id == activity.owner_id, Participant.email.is_not(None), Participant.archived_at.is_(None))).first()
        if owner is not None:
            found.setdefault(owner.email.lower(), owner.name)
    return sorted(found.items())


def calendar_for(activity: Activity, process: Process, tenant: Tenant, attendees: list[tuple[str, str]]) -> str:
    method = "CANCEL" if activity.status == "cancelled" else "REQUEST"
    return ical.event(
        uid=f"activity-{activity.id}-{tenant.id}@dugnad",
        sequence=activity.sequence,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        summary=activity.title,
        description=activity.description,
        location=activity.location,
        organizer_name=tenant.name,
        organizer_email=sender_address(),
        attendees=attendees,
        method=method,
        url=external_url("processes.plan", process_id=process.id, tenant=tenant.slug),
    )


def invitation_messages(activity: Activity) -> int:
    """Queue one invitation per recipient for the activity's current version."""
    if activity.kind not in ("meeting", "workshop") or activity.starts_at is None or activity.ends_at is None:
        return 0
    process = db.session.scalar(select(Process).where(Process.id == activity.process_id))
    phase = db.session.scalar(select(Phase).where(Phase.id == activity.phase_id))
    tenant = db.session.get(Tenant, activity.tenant_id)
    people = recipients(activity)
    if not people:
        return 0
    calendar = calendar_for(activity, process, tenant, people)
    cancelled = activity.status == "cancelled"
    if cancelled:
        subject = _("Cancelled: %(title)s", title=activity.title)
    elif activity.sequence:
        subject = _("Changed: %(title)s", title=activity.title)
    else:
        subject = _("Invitation: %(title)s", title=activity.title)
    for email, name in people:
        body = render_template("processes/mail/invitation.txt", activity=activity, process=process, phase=phase,
                               tenant=tenant, name=name, cancelled=cancelled, link=external_url("processes.plan", process_id=process.id, tenant=tenant.slug))
        queue_mail(
            kind=INVITATION_KIND, recipient=email, subject_ref=f"activity:{activity.id}:{activity.sequence}",
            subject=subject, body=body, tenant_id=tenant.id,
            attachments=[{"filename": "invitation.ics", "content_type": "text/calendar", "content": calendar}],
        )
    return len(people)


def send_meeting_invitations(activity_id: int) -> int:
    """Send the invitation (or the change, or the cancellation) of a meeting or workshop."""
    activity = db.session.scalar(select(Activity).where(Activity.id == activity_id))
    if activity is None:
        return 0
    count = invitation_messages(activity)
    db.session.commit()
    return count


def send_overdue_reminders() -> int:
    """E-mail the owner of each overdue, unfinished activity, at most once a day."""
    from dugnad.processes.service import overdue_clause
    from dugnad.clock import today

    if current_tenant_id() is None:
        return 0
    day = today()
    tenant = db.session.get(Tenant, current_tenant_id())
    rows = db.session.execute(
        select(Activity, Participant.email, Participant.name, Process.name)
        .join(Participant, (Participant.id == Activity.owner_id) & (Participant.tenant_id == Activity.tenant_id))
        .join(Process, (Process.id == Activity.process_id) & (Process.tenant_id == Activity.tenant_id))
        .where(overdue_clause(), Participant.email.is_not(None), Participant.archived_at.is_(None),
               (Activity.reminded_on.is_(None)) | (Activity.reminded_on < day), Process.status == "active")
        .order_by(Activity.id)
    ).tuples().all()
    for activity, email, name, process_name in rows:
        body = render_template("processes/mail/reminder.txt", activity=activity, name=name, process_name=process_name,
                               tenant=tenant, days=(day - activity.due_date).days,
                               link=external_url("processes.edit_activity", process_id=activity.process_id,
                                                 activity_id=activity.id, tenant=tenant.slug))
        queue_mail(kind=REMINDER_KIND, recipient=email, subject_ref=f"activity:{activity.id}:{day.isoformat()}",
                   subject=_("Overdue: %(title)s", title=activity.title), body=body, tenant_id=tenant.id)
        activity.reminded_on = day
    db.session.commit()
    return len(rows)
