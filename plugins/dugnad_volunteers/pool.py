"""The regional pool: approved volunteers who have said they will also help
neighbouring municipalities, found by the region admin and by the coordinators of
municipalities where the bank is on.

The consent boundary: only volunteers with ``regional_consent_at`` set, approved, not
on a break and not deleted, of active municipalities where the plugin is on — and only
what a coordinator elsewhere needs to decide whether to ask: first name, home
municipality, languages, the kinds of task they want, valid qualifications and for
which roles they have shown a police certificate. No contact details: asking sends
the volunteer an e-mail through their own municipality's outbox, with the asker's
name and address, and is logged in both municipalities. Reads go through the
audited ``region_scope``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select

from dugnad.sdk import db, queue_mail, record, region_scope, Tenant, tenant_context, TenantPlugin, today
from dugnad_volunteers import links
from dugnad_volunteers.configuration import shown
from dugnad_volunteers.errors import BankError, clean
from dugnad_volunteers.models import (
    LANGUAGES,
    QUALIFICATION_KINDS,
    Qualification,
    Role,
    Vetting,
    Volunteer,
    VolunteerInterest,
    VolunteerLanguage,
)

PLUGIN = "volunteers"
PAGE_SIZE = 25


@dataclass
class PoolFilters:
    language: str = ""
    qualification: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "PoolFilters":
        language = args.get("language", "")
        qualification = args.get("qualification", "")
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        return cls(language if language in LANGUAGES else "",
                   qualification if qualification in QUALIFICATION_KINDS else "", page)

    def args(self, **changes) -> dict:
        values = {"language": self.language, "qualification": self.qualification, "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


@dataclass
class PoolEntry:
    volunteer_id: int
    tenant: Tenant
    first_name: str
    availability: int
    since: date
    languages: list[tuple[str, int]] = field(default_factory=list)
    wants: list[str] = field(default_factory=list)
    qualifications: list[str] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)


def pool_tenants() -> list[Tenant]:
    """Active municipalities where the bank is on."""
    return list(db.session.scalars(
        select(Tenant).join(TenantPlugin, (TenantPlugin.tenant_id == Tenant.id) & (TenantPlugin.plugin == PLUGIN)
                            & TenantPlugin.enabled)
        .where(Tenant.status == "active").order_by(Tenant.name)))


def _visible(day: date, tenant_ids: list[int]):
    return and_(Volunteer.tenant_id.in_(tenant_ids), Volunteer.regional_consent_at.is_not(None),
                Volunteer.status == "approved", Volunteer.anonymised_at.is_(None),
                or_(Volunteer.paused_at.is_(None), and_(Volunteer.paused_until.is_not(None), Volunteer.paused_until < day)))


def find(filters: PoolFilters, *, exclude_tenant_id: int | None, who: str) -> tuple[list[PoolEntry], int]:
    """One page of the pool and its size, for ``who`` (logged with the region scope)."""
    tenants = {t.id: t for t in pool_tenants() if t.id != exclude_tenant_id}
    if not tenants:
        return [], 0
    day = today()
    with region_scope(f"regional volunteer pool, read by {who}"):
        query = select(Volunteer).where(_visible(day, list(tenants)))
        if filters.language:
            query = query.where(exists().where(VolunteerLanguage.tenant_id == Volunteer.tenant_id,
                                               VolunteerLanguage.volunteer_id == Volunteer.id,
                                               VolunteerLanguage.language == filters.language))
        if filters.qualification:
            query = query.where(exists().where(
                Qualification.tenant_id == Volunteer.tenant_id, Qualification.volunteer_id == Volunteer.id,
                Qualification.kind == filters.qualification,
                or_(Qualification.valid_until.is_(None), Qualification.valid_until >= day)))
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        people = db.session.scalars(query.order_by(Volunteer.regional_consent_at.desc(), Volunteer.id)
                                    .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)).all()
        entries = {v.id: PoolEntry(v.id, tenants[v.tenant_id], v.first_name, v.availability, v.regional_consent_at.date())
                   for v in people}
        ids = list(entries)
        if ids:
            for row in db.session.scalars(select(VolunteerLanguage).where(VolunteerLanguage.volunteer_id.in_(ids))
                                          .order_by(VolunteerLanguage.level.desc())):
                entries[row.volunteer_id].languages.append((row.language, row.level))
            for volunteer_id, name in db.session.execute(
                    select(VolunteerInterest.volunteer_id, Role.name)
                    .join(Role, (Role.id == VolunteerInterest.role_id) & (Role.tenant_id == VolunteerInterest.tenant_id))
                    .where(VolunteerInterest.volunteer_id.in_(ids), Role.active).order_by(Role.position)):
                entries[volunteer_id].wants.append(shown(name))
            for volunteer_id, kind in db.session.execute(
                    select(Qualification.volunteer_id, Qualification.kind).where(
                        Qualification.volunteer_id.in_(ids),
                        or_(Qualification.valid_until.is_(None), Qualification.valid_until >= day))):
                if kind != "other":
                    entries[volunteer_id].qualifications.append(str(QUALIFICATION_KINDS[kind]))
            for volunteer_id, name in db.session.execute(
                    select(Vetting.volunteer_id, Role.name)
                    .join(Role, (Role.id == Vetting.role_id) & (Role.tenant_id == Vetting.tenant_id))
                    .where(Vetting.volunteer_id.in_(ids), Vetting.revoked_at.is_(None),
                           Vetting.role_revision == Role.revision, Role.requires_certificate)):
                entries[volunteer_id].certificates.append(shown(name))
    return [entries[v.id] for v in people], total


def _pool_volunteer(tenant_id: int, volunteer_id: int, exclude_tenant_id: int | None) -> Volunteer | None:
    tenants = [t.id for t in pool_tenants() if t.id != exclude_tenant_id]
    if tenant_id not in tenants:
        return None
    with region_scope("regional volunteer pool: one volunteer to ask"):
        return db.session.scalar(select(Volunteer).where(Volunteer.id == volunteer_id, Volunteer.tenant_id == tenant_id,
                                                         _visible(today(), tenants)))


def ask(tenant_id: int, volunteer_id: int, message: str | None, *, asker, asker_tenant: Tenant | None) -> None:
    """E-mail a pool volunteer on behalf of a coordinator elsewhere (or the region admin)."""
    message = clean(message)
    if not message:
        raise BankError(_("Write what you need help with, when and where."), "message")
    if len(message) > 2000:
        raise BankError(_("This can be at most %(n)s characters.", n=2000), "message")
    volunteer = _pool_volunteer(tenant_id, volunteer_id, asker_tenant.id if asker_tenant else None)
    if volunteer is None:
        raise BankError(_("This volunteer is no longer in the regional pool."), "volunteer", status=404)
    home = db.session.get(Tenant, tenant_id)
    asking_for = asker_tenant.name if asker_tenant else _("the region")
    with tenant_context(home):
        with force_locale(volunteer.locale or "nb"):
            body = render_template("dugnad_volunteers/mail/pool_request.txt", volunteer=volunteer, tenant=home,
                                   asker=asker, asking_for=asking_for, message=message, me_link=links.me_link(volunteer))
            subject = _("%(municipality)s asks whether you can help", municipality=asking_for)
        queue_mail(kind="volunteer-pool-request", recipient=volunteer.email,
                   subject_ref=f"pool:{asker.id}:{volunteer.id}:{hashlib.sha256(message.encode()).hexdigest()[:16]}",
                   subject=subject, body=body, tenant_id=home.id)
    record("volunteers.pool_asked", volunteer, tenant_id=home.id, asked_by=asker.name, asked_for=asking_for)
    if asker_tenant is not None:
        record("volunteers.pool_asked", volunteer, tenant_id=asker_tenant.id, home=home.name)
