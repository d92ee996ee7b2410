"""The coordinator's side of the bank: finding volunteers, reading a record (every
read is logged), the review queue (approve, ask for more, reject with a reason) and
qualifications with their expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased

from dugnad.sdk import AuditEvent, db, record, today, User, utcnow
from dugnad_volunteers import registration
from dugnad_volunteers.errors import BankError, clean
from dugnad_volunteers.models import (
    LANGUAGES,
    QUALIFICATION_KINDS,
    STATUSES,
    Qualification,
    Volunteer,
    VolunteerInterest,
    VolunteerLanguage,
)

PAGE_SIZE = 50
READ_ACTION = "volunteers.record_read"


def get(volunteer_id: int) -> Volunteer | None:
    return db.session.scalar(select(Volunteer).where(Volunteer.id == volunteer_id))


# why a record was read: stored as the key, shown in the reader's language
READ_PURPOSES = {"record page": _l("the record page"), "correction form": _l("the correction form"),
                 "purpose confirmation": _l("the purpose confirmation"),
                 "export of personal data": _l("an export of the personal data"), "API": _l("the API")}


def read(volunteer: Volunteer, purpose: str) -> Volunteer:
    """A member of staff reads the record: log who, when and why (page, export, API)."""
    record(READ_ACTION, volunteer, purpose=purpose)
    return volunteer


def reads(volunteer: Volunteer, limit: int = 20) -> list[tuple[AuditEvent, str | None]]:
    """Who has read the record, newest first."""
    return db.session.execute(
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.tenant_id == volunteer.tenant_id, AuditEvent.object_type == "Volunteer",
               AuditEvent.object_id == str(volunteer.id), AuditEvent.action == READ_ACTION)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(limit)
    ).tuples().all()


# --- the list -----------------------------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    language: str = ""
    role_id: int | None = None
    idle: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        def as_int(value, default=None):
            try:
                return int(value)
            except (TypeError, ValueError):
                return default

        status = args.get("status", "")
        language = args.get("language", "")
        return cls(q=(args.get("q") or "").strip()[:100], status=status if status in STATUSES else "",
                   language=language if language in LANGUAGES else "", role_id=as_int(args.get("role_id")),
                   idle=args.get("idle") in ("1", "on", "true"), page=max(1, as_int(args.get("page"), 1)))

    def args(self, **changes) -> dict[str, Any]:
        values = {"q": self.q, "status": self.status, "language": self.language, "role_id": self.role_id,
                  "idle": "1" if self.idle else "", "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


def _filtered(filters: Filters):
    query = select(Volunteer).where(Volunteer.anonymised_at.is_(None))
    if filters.status:
        query = query.where(Volunteer.status == filters.status)
    if filters.language:
        query = query.where(exists().where(VolunteerLanguage.volunteer_id == Volunteer.id,
                                           VolunteerLanguage.tenant_id == Volunteer.tenant_id,
                                           VolunteerLanguage.language == filters.language))
    if filters.role_id:
        query = query.where(exists().where(VolunteerInterest.volunteer_id == Volunteer.id,
                                           VolunteerInterest.tenant_id == Volunteer.tenant_id,
                                           VolunteerInterest.role_id == filters.role_id))
    if filters.idle:
        query = query.where(Volunteer.idle_since.is_not(None))
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(func.lower(Volunteer.name).like(like), Volunteer.email.like(like), Volunteer.phone.like(like)))
    return query


def search(filters: Filters) -> tuple[list[Volunteer], int, dict[int, list[VolunteerLanguage]]]:
    """One page of volunteers, the total, and their languages (one more query)."""
    page_size = PAGE_SIZE
    query = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(db.session.scalars(query.order_by(func.lower(Volunteer.name), Volunteer.id)
                                   .limit(page_size).offset((filters.page - 1) * page_size)))
    return rows, total, languages_of([v.id for v in rows])


def languages_of(volunteer_ids: list[int]) -> dict[int, list[VolunteerLanguage]]:
    out: dict[int, list[VolunteerLanguage]] = {i: [] for i in volunteer_ids}
    if volunteer_ids:
        for row in db.session.scalars(select(VolunteerLanguage).where(VolunteerLanguage.volunteer_id.in_(volunteer_ids))
                                      .order_by(VolunteerLanguage.level.desc(), VolunteerLanguage.language)):
            out[row.volunteer_id].append(row)
    return out


def status_counts() -> dict[str, int]:
    counts = {key: 0 for key in STATUSES}
    counts.update(dict(db.session.execute(
        select(Volunteer.status, func.count()).where(Volunteer.anonymised_at.is_(None)).group_by(Volunteer.status)).all()))
    return counts


# --- review --------------------------------------------------------------------------------------------


def review_queue() -> list[Volunteer]:
    """Waiting for a decision (oldest first), then those asked for more (waiting for the volunteer)."""
    return list(db.session.scalars(
        select(Volunteer).where(Volunteer.status.in_(("pending", "more_info")), Volunteer.anonymised_at.is_(None))
        .order_by(Volunteer.status.desc(), Volunteer.registered_at, Volunteer.id)))


def unconfirmed_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Volunteer).where(
        Volunteer.status == "unconfirmed", Volunteer.anonymised_at.is_(None))) or 0


def decide(volunteer: Volunteer, decision: str, message: str | None, user) -> None:
    """Approve, ask for more information, or reject with a reason. The volunteer is told by e-mail."""
    message = clean(message)
    if volunteer.anonymised_at is not None:
        raise BankError(_("This registration is deleted."), "decision", status=409)
    if decision not in ("approve", "more_info", "reject"):
        raise BankError(_("Choose approve, ask for more information, or reject."), "decision")
    if volunteer.status == "unconfirmed":
        raise BankError(_("The volunteer has not confirmed their e-mail address yet."), "decision", status=409)
    if decision == "approve":
        if volunteer.status == "approved":
            raise BankError(_("%(name)s is already approved.", name=volunteer.name), "decision", status=409)
        if registration.needs_guardian(volunteer):
            raise BankError(_("A parent or guardian has not confirmed yet: %(name)s is under 18.", name=volunteer.name),
                            "decision", status=409)
    elif not message:
        raise BankError(_("Write what you need to know.") if decision == "more_info" else
                        _("Write the reason. The volunteer gets it by e-mail."), "message")
    if message and len(message) > 2000:
        raise BankError(_("This can be at most %(n)s characters.", n=2000), "message")
    now = utcnow()
    volunteer.status = {"approve": "approved", "more_info": "more_info", "reject": "rejected"}[decision]
    volunteer.reviewed_at, volunteer.reviewed_by_id, volunteer.review_message = now, getattr(user, "id", None), message
    if decision == "approve":
        volunteer.approved_at = volunteer.approved_at or now
    record({"approve": "volunteers.approved", "more_info": "volunteers.more_info",  # spelled out for the
            "reject": "volunteers.rejected"}[decision], volunteer)  # audit log's sentence test
    from dugnad_volunteers import mail

    mail.later(mail.send_decision, volunteer.id)


# --- qualifications --------------------------------------------------------------------------------------


def qualifications(volunteer: Volunteer) -> list[Qualification]:
    return list(db.session.scalars(select(Qualification).where(Qualification.volunteer_id == volunteer.id)
                                   .order_by(Qualification.kind, Qualification.id)))


def qualification_valid(qualification: Qualification, day: date | None = None) -> bool:
    return qualification.valid_until is None or qualification.valid_until >= (day or today())


def add_qualification(volunteer: Volunteer, kind: str | None, note: str | None, valid_until: date | None, user) -> Qualification:
    if volunteer.anonymised_at is not None:
        raise BankError(_("This registration is deleted."), "kind", status=409)
    if kind not in QUALIFICATION_KINDS:
        raise BankError(_("Choose the kind of qualification."), "kind")
    note = clean(note)
    if kind == "other" and not note:
        raise BankError(_("Say what the qualification is."), "note")
    if note and len(note) > 200:
        raise BankError(_("This can be at most %(n)s characters.", n=200), "note")
    if valid_until is not None and valid_until < today():
        raise BankError(_("It has already expired: the date is in the past."), "valid_until")
    qualification = Qualification(volunteer_id=volunteer.id, kind=kind, note=note, valid_until=valid_until,
                                  recorded_by_id=getattr(user, "id", None))
    db.session.add(qualification)
    db.session.flush()
    record("volunteers.qualification_added", volunteer, kind=kind, valid_until=valid_until.isoformat() if valid_until else None)
    return qualification


def remove_qualification(qualification: Qualification) -> None:
    record("volunteers.qualification_removed", qualification, volunteer_id=qualification.volunteer_id, kind=qualification.kind)
    db.session.delete(qualification)


def expiring_qualifications(within_days: int = 30) -> list[tuple[Qualification, Volunteer]]:
    """Qualifications of approved volunteers that run out soon (for the coordinator's overview)."""
    day = today()
    person = aliased(Volunteer)
    return db.session.execute(
        select(Qualification, person).join(person, (person.id == Qualification.volunteer_id)
                                           & (person.tenant_id == Qualification.tenant_id))
        .where(Qualification.valid_until.between(day, day + timedelta(days=within_days)), person.anonymised_at.is_(None),
               person.status == "approved")
        .order_by(Qualification.valid_until).limit(50)
    ).tuples().all()
