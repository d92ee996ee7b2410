"""Who is invited to a workshop, the invitation (preparatory material, an iCal file and
a link to answer yes or no), and keeping invitees told when the time or place changes.

The list starts from the process's stakeholder analysis (``invitation_list``), which
also names the stakeholder categories nobody represents yet; the ones the model most
needs — employers and the target group, former refugees above all — are called out.
Mail goes through the outbox, keyed by the workshop's version, so a retry or a second
click never sends the same invitation twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import func, select

from dugnad.sdk import (
    Activity,
    CATEGORIES,
    current_tenant_id,
    db,
    ical,
    invitation_list,
    InvitationList,
    Participant,
    Process,
    queue_mail,
    record,
    sender_address,
    Tenant,
    utcnow,
)
from dugnad_workshops import links
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.models import Attendance, Workshop, WorkshopSeries

KIND = "workshop-invitation"
# The categories seed 003 says are hardest to recruit and matter most (employers; the
# refugees themselves and their organisations): a workshop without them is warned about.
ESSENTIAL = ("business", "target_group", "volunteer")


@dataclass
class Recruitment:
    """The stakeholder analysis's invitation list, and what the workshop still lacks."""

    analysis: InvitationList
    missing_essential: list[str]  # category keys among ESSENTIAL with no one invited to the workshop
    not_yet_invited: list[Participant]  # in the analysis's list, not on this workshop's list

    @property
    def missing_labels(self) -> list[str]:
        return [str(CATEGORIES[key]) for key in self.missing_essential]


def attendance_of(workshop: Workshop) -> list[Attendance]:
    """Everyone on the workshop's list, with their participant, by name (one statement: the
    participant comes from the join that sorts by name, not from a second query)."""
    from sqlalchemy.orm import contains_eager

    return list(db.session.scalars(
        select(Attendance).join(Attendance.participant)
        .where(Attendance.workshop_id == workshop.id)
        .options(contains_eager(Attendance.participant))
        .order_by(func.lower(Participant.name), Attendance.id)
    ))


def get_attendance(workshop: Workshop, attendance_id: int) -> Attendance | None:
    from sqlalchemy.orm import selectinload

    return db.session.scalar(select(Attendance).where(Attendance.id == attendance_id, Attendance.workshop_id == workshop.id)
                             .options(selectinload(Attendance.participant)))


def recruitment(workshop: Workshop, process: Process, attending: list[Attendance] | None = None) -> Recruitment:
    analysis = invitation_list(process)
    attending = attendance_of(workshop) if attending is None else attending
    on_list = {a.participant_id for a in attending}
    covered = {a.participant.category for a in attending if a.response != "no"}
    missing = [key for key in ESSENTIAL if key not in covered]
    return Recruitment(analysis, missing, [i.participant for i in analysis.invitees if i.participant.id not in on_list])


def add(workshop: Workshop, participant_ids: list[int]) -> int:
    """Put people from the register on the workshop's list (those already on it are skipped)."""
    wanted = {int(i) for i in participant_ids}
    found = set(db.session.scalars(select(Participant.id).where(Participant.id.in_(wanted), Participant.archived_at.is_(None))))
    if wanted - found:
        raise WorkshopError(_("Choose people from this municipality's register."), "participant_id")
    already = set(db.session.scalars(select(Attendance.participant_id).where(Attendance.workshop_id == workshop.id)))
    added = 0
    for participant_id in sorted(found - already):
        db.session.add(Attendance(workshop_id=workshop.id, participant_id=participant_id))
        added += 1
    db.session.flush()
    if added:
        record("workshops.invitees_added", workshop, count=added)
    return added


def remove(attendance: Attendance) -> None:
    from dugnad_workshops.models import Placement

    if attendance.invited_at is not None:
        raise WorkshopError(_("The invitation has been sent. Mark the answer as “not coming” instead, so the list "
                              "stays true to what people were told."), "attendance")
    db.session.execute(Placement.__table__.delete().where(
        Placement.workshop_id == attendance.workshop_id, Placement.participant_id == attendance.participant_id,
        Placement.tenant_id == attendance.tenant_id))
    record("workshops.invitee_removed", attendance, participant_id=attendance.participant_id)
    db.session.delete(attendance)
    db.session.flush()


def respond(attendance: Attendance, answer: str) -> bool:
    """Yes or no; returns whether it changed."""
    if answer not in ("yes", "no"):
        raise WorkshopError(_("Answer yes or no."), "answer")
    if attendance.response == answer:
        return False
    attendance.response, attendance.responded_at = answer, utcnow()
    record("workshops.answered", attendance, answer=answer)
    return True


def request_sending(workshop: Workshop) -> int:
    """Check that the invitation can go, and send it after the commit. Returns how many it goes to."""
    from dugnad.sdk import enqueue_after_commit
    from dugnad_workshops.series import activity_of

    activity = activity_of(workshop)
    if activity is None or activity.status == "cancelled":
        raise WorkshopError(_("Set the time and place of the workshop first: they go in the invitation."), "schedule")
    waiting = [a for a in attendance_of(workshop) if a.participant.email and a.invited_at is None]
    if not waiting:
        raise WorkshopError(_("Everyone with an e-mail address has had the invitation. Add people to the list first."),
                            "invitations")
    enqueue_after_commit(send_invitations, workshop.id, job_id=f"workshop-invite-{workshop.tenant_id}-{workshop.id}-{utcnow():%Y%m%d%H%M%S}")
    record("workshops.invitations_requested", workshop, count=len(waiting))
    return len(waiting)


def _calendar(workshop: Workshop, activity: Activity, tenant: Tenant, attendance: Attendance, summary: str,
              cancelled: bool = False) -> str:
    # The same UID as the core's invitation for the activity, so calendars keep one entry.
    return ical.event(
        uid=f"activity-{activity.id}-{tenant.id}@dugnad", sequence=activity.sequence,
        starts_at=activity.starts_at, ends_at=activity.ends_at, summary=summary, description=activity.description,
        location=activity.location, organizer_name=tenant.name, organizer_email=sender_address(),
        attendees=[(attendance.participant.email, attendance.participant.name)],
        method="CANCEL" if cancelled else "REQUEST", url=links.answer_link(attendance),
    )


def _messages(workshop: Workshop, activity: Activity, people: list[Attendance], *, changed: bool) -> int:
    from dugnad_workshops.series import process_of

    tenant = db.session.get(Tenant, workshop.tenant_id)
    process = process_of(workshop)
    series = db.session.scalar(select(WorkshopSeries).where(WorkshopSeries.process_id == process.id))
    cancelled = activity.status == "cancelled"
    sent = 0
    for attendance in people:
        participant = attendance.participant
        if not participant.email:
            continue
        if cancelled:
            subject = _("Cancelled: %(title)s", title=activity.title)
        elif changed:
            subject = _("Changed: %(title)s", title=activity.title)
        else:
            subject = _("Invitation: %(title)s", title=activity.title)
        body = render_template("dugnad_workshops/mail/invitation.txt", workshop=workshop, activity=activity,
                               process=process, tenant=tenant, name=participant.name, changed=changed,
                               cancelled=cancelled, preparation=series.preparation if series else None,
                               link=links.answer_link(attendance), response=attendance.response)
        queue_mail(kind=KIND, recipient=participant.email, subject_ref=f"workshop:{workshop.id}:{activity.sequence}",
                   subject=subject, body=body, tenant_id=tenant.id,
                   attachments=[{"filename": "invitation.ics", "content_type": "text/calendar",
                                 "content": _calendar(workshop, activity, tenant, attendance, activity.title, cancelled)}])
        if attendance.invited_at is None:
            attendance.invited_at = utcnow()
        sent += 1
    workshop.invited_sequence = activity.sequence
    return sent


def send_invitations(workshop_id: int) -> int:
    """Send the invitation to everyone on the list who has not had it (idempotent)."""
    from dugnad_workshops.series import activity_of

    workshop = db.session.scalar(select(Workshop).where(Workshop.id == workshop_id))
    activity = activity_of(workshop) if workshop else None
    if activity is None:
        return 0
    waiting = [a for a in attendance_of(workshop) if a.invited_at is None]
    sent = _messages(workshop, activity, waiting, changed=False)
    db.session.commit()
    return sent


def sync_invitations() -> int:
    """Tell the people already invited when a workshop's time or place changed, or it was
    cancelled, in the process plan or here. Runs every quarter of an hour and after changes."""
    if current_tenant_id() is None:
        return 0
    from dugnad_workshops.series import activities_of

    workshops = list(db.session.scalars(select(Workshop).where(Workshop.invited_sequence.is_not(None),
                                                                Workshop.status != "held")))
    activities = activities_of(workshops)
    sent = 0
    for workshop in workshops:
        activity = activities.get(workshop.id)
        if activity is None:
            if workshop.activity_id is not None:  # deleted in the process plan: the workshop needs a new time
                record("workshops.calendar_entry_gone", workshop, activity_id=workshop.activity_id)
                workshop.activity_id = None
            continue
        if activity.sequence <= workshop.invited_sequence:
            continue
        invited = [a for a in attendance_of(workshop) if a.invited_at is not None and a.response != "no"]
        sent += _messages(workshop, activity, invited, changed=True)
    db.session.commit()
    return sent
