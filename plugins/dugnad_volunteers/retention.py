"""Data protection for volunteers: a person's data on request (GDPR art. 15), erasure
by anonymising (the assignments, hours and statistics stay, the person does not), and
the retention job that warns inactive volunteers and then anonymises them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from dugnad.sdk import AuditEvent, Person, User, db, erase, exported, exported_local, record, utcnow
from dugnad_volunteers import mail, needs, vetting
from dugnad_volunteers.models import (
    FREQUENCIES,
    LANGUAGES,
    LEVELS,
    QUALIFICATION_KINDS,
    Area,
    Assignment,
    ConsentText,
    Event,
    EventInvitation,
    Need,
    Qualification,
    Role,
    SignupAttempt,
    Vetting,
    Volunteer,
    VolunteerArea,
    VolunteerInterest,
    VolunteerLanguage,
)

RETENTION_SETTING = "volunteers_retention_months"
DEFAULT_RETENTION_MONTHS = 24
GRACE = timedelta(days=30)  # between the warning and the deletion
UNCONFIRMED_FOR = timedelta(days=30)
REJECTED_FOR = timedelta(days=90)


def anonymise(volunteer: Volunteer, reason: str) -> None:
    """Erase the person, keep what they did. Open requests are withdrawn first."""
    if volunteer.anonymised_at is not None:
        return
    for assignment in db.session.scalars(select(Assignment).where(Assignment.volunteer_id == volunteer.id,
                                                                  Assignment.status.in_(needs.OPEN_ASSIGNMENTS))):
        was_yes = assignment.status == "accepted"
        assignment.status = "withdrawn"
        need = db.session.scalar(select(Need).where(Need.id == assignment.need_id))
        needs._settle(need)
        if was_yes:
            mail.later(mail.notify_coordinator_answer, assignment.id)
    # every copy elsewhere (the outbox with their links, audit details, queued jobs, other
    # plugins' records) goes through the core's one erasure, while the row still names them
    erase(Person.of(volunteer.tenant_id, names=(volunteer.name, volunteer.guardian_name),
                    emails=(volunteer.email, volunteer.guardian_email), phones=(volunteer.phone,),
                    refs=(f"volunteer:{volunteer.id}",)))
    for model in (VolunteerLanguage, VolunteerArea, VolunteerInterest, Qualification, Vetting):
        db.session.execute(delete(model).where(model.volunteer_id == volunteer.id))
    db.session.execute(delete(EventInvitation).where(EventInvitation.volunteer_id == volunteer.id,
                                                     EventInvitation.status != "going"))
    for key in ("phone", "email", "birth_date", "guardian_name", "guardian_email", "formal_competence",
                "informal_competence", "frequency", "review_message", "regional_consent_at", "paused_at", "paused_until",
                "idle_since", "retention_warned_at"):
        setattr(volunteer, key, None)
    volunteer.name, volunteer.availability, volunteer.anywhere = "", 0, False
    volunteer.link_version += 1
    volunteer.anonymised_at = utcnow()
    record("volunteers.anonymised", volunteer, reason=reason)


# --- export ---------------------------------------------------------------------------------------------


def export(volunteer: Volunteer) -> dict[str, Any]:
    """Everything held on one volunteer, readable without the platform."""

    iso = exported  # stored UTC times in Oslo time with the offset; dates as dates

    consent = db.session.scalar(select(ConsentText).where(ConsentText.id == volunteer.consent_text_id)) \
        if volunteer.consent_text_id else None
    languages = db.session.scalars(select(VolunteerLanguage).where(VolunteerLanguage.volunteer_id == volunteer.id)).all()
    roles = db.session.scalars(select(Role.name).join(VolunteerInterest, (VolunteerInterest.role_id == Role.id)
                                                      & (VolunteerInterest.tenant_id == Role.tenant_id))
                               .where(VolunteerInterest.volunteer_id == volunteer.id)).all()
    area_names = db.session.scalars(select(Area.name).join(VolunteerArea, (VolunteerArea.area_id == Area.id)
                                                           & (VolunteerArea.tenant_id == Area.tenant_id))
                                    .where(VolunteerArea.volunteer_id == volunteer.id)).all()
    qualifications = db.session.scalars(select(Qualification).where(Qualification.volunteer_id == volunteer.id)).all()
    invitations = db.session.execute(
        select(EventInvitation, Event.title, Event.starts_at)
        .join(Event, (Event.id == EventInvitation.event_id) & (Event.tenant_id == EventInvitation.tenant_id))
        .where(EventInvitation.volunteer_id == volunteer.id)).all()
    reads = db.session.execute(
        select(AuditEvent.created_at, User.name, AuditEvent.action, AuditEvent.detail)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.tenant_id == volunteer.tenant_id, AuditEvent.object_type == "Volunteer",
               AuditEvent.object_id == str(volunteer.id), AuditEvent.action == "volunteers.record_read")
        .order_by(AuditEvent.created_at)).all()
    from dugnad_volunteers.registration import slot_label, slots_of

    return {
        "volunteer": {
            "name": volunteer.name, "phone": volunteer.phone, "email": volunteer.email,
            "date_of_birth": iso(volunteer.birth_date), "guardian": volunteer.guardian_name,
            "guardian_email": volunteer.guardian_email, "guardian_confirmed": iso(volunteer.guardian_confirmed_at),
            "status": volunteer.status, "registered": iso(volunteer.registered_at),
            "email_confirmed": iso(volunteer.email_confirmed_at), "approved": iso(volunteer.approved_at),
            "message_from_the_coordinator": volunteer.review_message,
            "formal_competence": volunteer.formal_competence, "informal_competence": volunteer.informal_competence,
            "available": [slot_label(bit) for bit in slots_of(volunteer.availability)],
            "how_often": str(FREQUENCIES.get(volunteer.frequency, "")) or None,
            "anywhere_in_the_municipality": volunteer.anywhere, "areas": list(area_names),
            "wants_to_help_with": list(roles),
            "languages": [{"language": str(LANGUAGES.get(l.language, l.language)), "level": str(LEVELS.get(l.level, ""))}
                          for l in languages],
            "on_a_break": {"since": iso(volunteer.paused_at), "until": iso(volunteer.paused_until)} if volunteer.paused_at else None,
            "helps_neighbouring_municipalities_since": iso(volunteer.regional_consent_at),
            "last_task": iso(volunteer.last_task_on), "last_active": iso(volunteer.last_active_at),
        },
        "consent": {"version": consent.version if consent else None, "given": iso(volunteer.consented_at),
                    "text": consent.body if consent else None},
        "qualifications": [{"kind": str(QUALIFICATION_KINDS.get(q.kind, q.kind)), "note": q.note,
                            "valid_until": iso(q.valid_until), "recorded": iso(q.recorded_at)} for q in qualifications],
        "police_certificates": [{"role": role.name, "issued": iso(v.issued_on), "shown": iso(v.shown_on),
                                 "checked_by": v.checked_by_name, "valid_now": vetting.is_valid(v, role)}
                                for v, role in vetting.history(volunteer)],
        "tasks": [{"task": need.title, "starts": exported_local(need.starts_at), "answer": a.status,
                   "hours": round(a.minutes / 60, 2) if a.minutes is not None else None}
                  for a, need in needs.history_of(volunteer, limit=10000)],
        "events": [{"event": title, "starts": exported_local(starts), "answer": inv.status} for inv, title, starts in invitations],
        "read_by_staff": [{"when": iso(when), "who": who, "why": (detail or {}).get("purpose")} for when, who, _a, detail in reads],
    }


# --- retention -------------------------------------------------------------------------------------------


def retention_months() -> int:
    value = (mail.tenant().settings or {}).get(RETENTION_SETTING)
    try:
        value = int(value)
    except (TypeError, ValueError):
        return DEFAULT_RETENTION_MONTHS
    return value if value >= 1 else DEFAULT_RETENTION_MONTHS


def enforce_retention() -> dict[str, int]:
    """Daily: warn volunteers inactive past the retention period; anonymise those who did not
    answer within 30 days, registrations never confirmed, and rejected ones after 90 days."""
    now = utcnow()
    cutoff = now - timedelta(days=30 * retention_months())
    alive = Volunteer.anonymised_at.is_(None)
    warned = 0
    for volunteer in db.session.scalars(select(Volunteer).where(
            alive, Volunteer.status != "unconfirmed", Volunteer.last_active_at < cutoff,
            Volunteer.retention_warned_at.is_(None), Volunteer.email.is_not(None)).order_by(Volunteer.id)):
        volunteer.retention_warned_at = now
        with force_locale(volunteer.locale or "nb"):
            subject = _("Do you want to stay in the volunteer bank of %(municipality)s?", municipality=mail.tenant().name)
        mail.to_volunteer(volunteer, "volunteer-retention", f"volunteer:{volunteer.id}:retention:{now.date().isoformat()}",
                          subject, "retention_warning.txt", delete_on=(now + GRACE).date())
        warned += 1
    removed = {"inactive": 0, "unconfirmed": 0, "rejected": 0}
    for reason, condition in (
        ("inactive", (Volunteer.retention_warned_at < now - GRACE) & (Volunteer.last_active_at <= Volunteer.retention_warned_at)),
        ("unconfirmed", (Volunteer.status == "unconfirmed") & (Volunteer.registered_at < now - UNCONFIRMED_FOR)),
        ("rejected", (Volunteer.status == "rejected") & (Volunteer.reviewed_at < now - REJECTED_FOR)),
    ):
        for volunteer in db.session.scalars(select(Volunteer).where(alive, condition).order_by(Volunteer.id)):
            anonymise(volunteer, reason)
            removed[reason] += 1
    db.session.execute(delete(SignupAttempt).where(SignupAttempt.created_at < now - timedelta(days=1)))
    db.session.commit()
    return {"warned": warned, **removed}

