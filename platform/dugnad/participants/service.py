"""The participant register's rules, shared by the web pages, the CSV import and the API.

Every function runs inside a municipality's context: queries are filtered to it, so an
id of another municipality is simply not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from dugnad.audit import record
from dugnad.extensions import db
from dugnad.participants.models import CATEGORIES, KINDS, LEGAL_BASES, Participant
from dugnad.clock import utcnow

PAGE_SIZE = 50
# What may be changed, and in which order a change is checked.
FIELDS = ("kind", "name", "category", "email", "phone", "organisation_id", "title", "legal_basis", "consent_at", "notes")


class ParticipantError(Exception):
    """A rule was broken; ``field`` names the form field or column it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value or None


def clean_text(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def get(participant_id: int) -> Participant | None:
    return db.session.scalar(select(Participant).where(Participant.id == participant_id))


def get_organisation(organisation_id: int) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(Participant.id == organisation_id, Participant.kind == "organisation")
    )


def organisations(include_id: int | None = None) -> list[Participant]:
    """The municipality's organisations a person may speak for (archived ones only if already chosen)."""
    query = select(Participant).where(Participant.kind == "organisation")
    if include_id:
        query = query.where(or_(Participant.archived_at.is_(None), Participant.id == include_id))
    else:
        query = query.where(Participant.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(func.lower(Participant.name))))


def email_owner(email: str | None, exclude_id: int | None = None) -> Participant | None:
    if not email:
        return None
    query = select(Participant).where(Participant.email == email)
    if exclude_id is not None:
        query = query.where(Participant.id != exclude_id)
    return db.session.scalar(query)


def check(data: dict[str, Any], participant: Participant | None = None) -> dict[str, Any]:
    """Validate and normalise ``data`` (new values) for a participant; raises ParticipantError."""
    current = {name: getattr(participant, name) for name in FIELDS} if participant else {"kind": "person"}
    values = {**current, **{k: v for k, v in data.items() if k in FIELDS}}
    values["name"] = clean_text(values.get("name"))
    for name in ("phone", "title", "notes"):
        values[name] = clean_text(values.get(name))
    values["email"] = normalise_email(values.get("email"))
    if not values["name"]:
        raise ParticipantError(_("Write the name."), "name")
    if len(values["name"]) > 200:
        raise ParticipantError(_("The name can be at most 200 characters."), "name")
    if values.get("kind") not in KINDS:
        raise ParticipantError(_("Choose person or organisation."), "kind")
    if values.get("category") not in CATEGORIES:
        raise ParticipantError(_("Choose a stakeholder category."), "category")
    if values["email"]:
        if "@" not in values["email"] or len(values["email"]) > 254 or " " in values["email"]:
            raise ParticipantError(_("Write a valid e-mail address, like name@example.no."), "email")
        if email_owner(values["email"], participant.id if participant else None) is not None:
            raise ParticipantError(_("Someone in the register already has this e-mail address."), "email")
    if values["phone"] and len(values["phone"]) > 40:
        raise ParticipantError(_("The phone number is too long."), "phone")
    if values["title"] and len(values["title"]) > 120:
        raise ParticipantError(_("The role or title can be at most 120 characters."), "title")
    if values.get("legal_basis") not in LEGAL_BASES:
        raise ParticipantError(_("Choose the legal basis for holding this information."), "legal_basis")
    consent = values.get("consent_at")
    if isinstance(consent, date) and not isinstance(consent, datetime):
        consent = datetime.combine(consent, time())
    if values["legal_basis"] == "consent":
        if consent is None:
            raise ParticipantError(_("Write the date the person gave consent."), "consent_at")
        if consent.date() > date.today():
            raise ParticipantError(_("The consent date cannot be in the future."), "consent_at")
    else:
        consent = None
    values["consent_at"] = consent
    organisation_id = values.get("organisation_id") or None
    if values["kind"] == "organisation":
        organisation_id = None
    elif organisation_id is not None:
        organisation = get_organisation(int(organisation_id))
        if organisation is None or (participant is not None and organisation.id == participant.id):
            raise ParticipantError(_("Choose an organisation from this municipality's register."), "organisation_id")
        organisation_id = organisation.id
    values["organisation_id"] = organisation_id
    return values


def _flush(participant: Participant) -> None:
    """Flush in a savepoint, so a duplicate e-mail that slipped in at the same moment is a field error."""
    try:
        with db.session.begin_nested():
            db.session.add(participant)
            db.session.flush()
    except IntegrityError as error:
        raise ParticipantError(_("Someone in the register already has this e-mail address."), "email") from error


def create(data: dict[str, Any], *, source: str = "form") -> Participant:
    values = check(data)
    participant = Participant(**values)
    _flush(participant)
    record("participant.created", participant, source=source)
    return participant


def update(participant: Participant, data: dict[str, Any], *, source: str = "form") -> list[str]:
    """Change a participant; returns the names of the fields that changed (the audit log keeps names, not values)."""
    values = check(data, participant)
    changed = [name for name in FIELDS if getattr(participant, name) != values[name]]
    for name in changed:
        setattr(participant, name, values[name])
    if changed:
        participant.updated_at = utcnow()
        _flush(participant)
        record("participant.changed", participant, fields=changed, source=source)
    return changed


def archive(participant: Participant) -> bool:
    if participant.archived_at is not None:
        return False
    participant.archived_at = utcnow()
    record("participant.archived", participant)
    return True


def restore(participant: Participant) -> bool:
    if participant.archived_at is None:
        return False
    participant.archived_at = None
    record("participant.restored", participant)
    return True


# --- the list ---------------------------------------------------------------------------


@dataclass
class Filters:
    q: str = ""
    category: str = ""
    kind: str = ""
    archived: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        category = args.get("category", "")
        kind = args.get("kind", "")
        return cls(
            q=(args.get("q") or "").strip()[:100],
            category=category if category in CATEGORIES else "",
            kind=kind if kind in KINDS else "",
            archived=args.get("archived") in ("1", "true", "on"),
            page=page,
        )

    def args(self, **changes) -> dict[str, Any]:
        values = {"q": self.q, "category": self.category, "kind": self.kind,
                  "archived": "1" if self.archived else "", "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


def _filtered(filters: Filters):
    query = select(Participant)
    query = query.where(Participant.archived_at.is_not(None) if filters.archived else Participant.archived_at.is_(None))
    if filters.category:
        query = query.where(Participant.category == filters.category)
    if filters.kind:
        query = query.where(Participant.kind == filters.kind)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(
            func.lower(Participant.name).like(like), Participant.email.like(like),
            func.lower(Participant.title).like(like), Participant.phone.like(like),
        ))
    return query


def search(filters: Filters, page_size: int = PAGE_SIZE) -> tuple[list[Participant], int]:
    """One page of participants (with their organisation, in one more query) and the total."""
    query = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        query.options(selectinload(Participant.organisation))
        .order_by(func.lower(Participant.name), Participant.id)
        .limit(page_size).offset((filters.page - 1) * page_size)
    ).all()
    return list(rows), total


def category_counts(archived: bool = False) -> dict[str, int]:
    rows = db.session.execute(
        select(Participant.category, func.count())
        .where(Participant.archived_at.is_not(None) if archived else Participant.archived_at.is_(None))
        .group_by(Participant.category)
    ).all()
    counts = {key: 0 for key in CATEGORIES}
    counts.update({category: n for category, n in rows})
    return counts


def archived_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Participant).where(Participant.archived_at.is_not(None))) or 0


# --- data protection ----------------------------------------------------------------------


def personal_data(participant: Participant) -> dict[str, Any]:
    """Everything the municipality holds on one participant, for a request under GDPR art. 15."""
    from dugnad.audit import AuditEvent
    from dugnad.processes.models import Process, ProcessParticipant, StakeholderEntry

    from dugnad.clock import exported as iso  # Oslo time with the offset

    organisation = get_organisation(participant.organisation_id) if participant.organisation_id else None
    roles = db.session.execute(
        select(ProcessParticipant, Process.name)
        .join(Process, (Process.id == ProcessParticipant.process_id) & (Process.tenant_id == ProcessParticipant.tenant_id))
        .where(ProcessParticipant.participant_id == participant.id)
    ).all()
    entries = db.session.execute(
        select(StakeholderEntry, Process.name)
        .join(Process, (Process.id == StakeholderEntry.process_id) & (Process.tenant_id == StakeholderEntry.tenant_id))
        .where(StakeholderEntry.participant_id == participant.id)
    ).all()
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.tenant_id == participant.tenant_id, AuditEvent.object_type == "Participant",
            AuditEvent.object_id == str(participant.id),
        ).order_by(AuditEvent.created_at)
    ).all()
    return {
        "participant": {
            "id": participant.id, "kind": participant.kind, "name": participant.name,
            "category": participant.category, "email": participant.email, "phone": participant.phone,
            "title": participant.title, "organisation": organisation.name if organisation else None,
            "legal_basis": participant.legal_basis, "legal_basis_text": str(LEGAL_BASES.get(participant.legal_basis, "")),
            "consent_given": iso(participant.consent_at.date() if participant.consent_at else None),
            "notes": participant.notes, "created_at": iso(participant.created_at),
            "updated_at": iso(participant.updated_at), "archived_at": iso(participant.archived_at),
        },
        "process_roles": [{"process": name, "role": pp.role, "since": iso(pp.created_at)} for pp, name in roles],
        "stakeholder_analyses": [
            {"process": name, "as": e.name, "grouping": e.grouping, "role": e.role, "need": e.need,
             "benefits": e.benefits, "costs": e.costs, "overall_effect": e.overall_effect, "affected": e.affected}
            for e, name in entries
        ],
        "history": [{"action": e.action, "at": iso(e.created_at), "detail": e.detail} for e in events],
        **_from_plugins(participant),
    }


def _from_plugins(participant: Participant) -> dict[str, Any]:
    """What the core's other parts and the plugins on here hold on the person (``personal_data``)."""
    from dugnad.plugins import plugins
    from dugnad.tenancy.models import Tenant

    tenant = db.session.get(Tenant, participant.tenant_id)
    sections: dict[str, Any] = {}
    for found in plugins().hook("personal_data", tenant.id)(tenant=tenant, participant=participant):
        sections.update(found or {})
    return sections
