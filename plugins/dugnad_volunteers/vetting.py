"""Police certificates (politiattest) by role — politiregisterloven § 39 and
politiregisterforskriften § 34-1.

A role that gives trust or responsibility towards minors or people with
intellectual disabilities requires one. The municipality issues a purpose
confirmation (*bekreftelse på formål*) from the role; the volunteer applies to the
police, keeps the certificate and shows it within three months of its issue. It
stays valid while the role is unchanged. The bank stores only that it was shown,
the date of issue, who checked it and for which role — never the document.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.sdk import db, record, today, utcnow
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.models import Role, Vetting, Volunteer, VolunteerInterest

SHOW_WITHIN_MONTHS = 3
LEGAL_BASIS = "politiregisterloven § 39 første ledd, jf. politiregisterforskriften § 34-1"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of a shorter month)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_to_show(issued_on: date) -> date:
    return add_months(issued_on, SHOW_WITHIN_MONTHS)


def is_valid(vetting: Vetting, role: Role) -> bool:
    return vetting.revoked_at is None and vetting.role_revision == role.revision and role.requires_certificate


def check_dates(issued_on: date | None, shown_on: date | None) -> tuple[date, date]:
    day = today()
    if not isinstance(issued_on, date):
        raise BankError(_("Write the date the certificate was issued (it is printed on it)."), "issued_on")
    shown_on = shown_on or day
    if issued_on > day:
        raise BankError(_("The date of issue cannot be in the future. Check the date on the certificate."), "issued_on")
    if shown_on > day:
        raise BankError(_("The day it was shown cannot be in the future."), "shown_on")
    if shown_on < issued_on:
        raise BankError(_("It cannot have been shown before it was issued."), "shown_on")
    if shown_on > last_day_to_show(issued_on):
        raise BankError(
            _("The certificate was issued on %(issued)s, more than three months before it was shown. "
              "It cannot be accepted: the volunteer must apply for a new one.", issued=issued_on.strftime("%d.%m.%Y")),
            "issued_on")
    return issued_on, shown_on


def record_shown(volunteer: Volunteer, role: Role, issued_on: date | None, shown_on: date | None, user) -> Vetting:
    """Record that a certificate was shown for ``role``. An earlier record for the role is replaced."""
    if volunteer.anonymised_at is not None:
        raise BankError(_("This registration is deleted."), "role_id", status=409)
    if not role.requires_certificate:
        raise BankError(_("“%(role)s” does not need a police certificate.", role=role.name), "role_id")
    issued_on, shown_on = check_dates(issued_on, shown_on)
    now = utcnow()
    for earlier in db.session.scalars(select(Vetting).where(
            Vetting.volunteer_id == volunteer.id, Vetting.role_id == role.id, Vetting.revoked_at.is_(None))):
        earlier.revoked_at = now
    vetting = Vetting(volunteer_id=volunteer.id, role_id=role.id, role_revision=role.revision, issued_on=issued_on,
                      shown_on=shown_on, checked_by_id=getattr(user, "id", None),
                      checked_by_name=getattr(user, "name", None) or _("Unknown"))
    db.session.add(vetting)
    db.session.flush()
    record("volunteers.certificate_shown", volunteer, role=role.name, role_id=role.id, revision=role.revision,
           issued_on=issued_on.isoformat(), shown_on=shown_on.isoformat())
    return vetting


def revoke(vetting: Vetting, reason: str | None = None) -> None:
    if vetting.revoked_at is None:
        vetting.revoked_at = utcnow()
        record("volunteers.certificate_removed", vetting, volunteer_id=vetting.volunteer_id, reason=reason or "")


@dataclass
class RoleVetting:
    """A role requiring a certificate, as it stands for one volunteer."""

    role: Role
    wanted: bool  # the volunteer wants to help in this role
    vetting: Vetting | None  # the newest record not removed, if any
    state: str  # "valid" | "role_changed" | "missing"

    @property
    def valid(self) -> bool:
        return self.state == "valid"


def standing(volunteer: Volunteer) -> list[RoleVetting]:
    """Every role that requires a certificate and that the volunteer wants or has a record for."""
    wanted = set(db.session.scalars(select(VolunteerInterest.role_id).where(VolunteerInterest.volunteer_id == volunteer.id)))
    records: dict[int, Vetting] = {}
    for vetting in db.session.scalars(select(Vetting).where(Vetting.volunteer_id == volunteer.id, Vetting.revoked_at.is_(None))
                                      .order_by(Vetting.created_at)):
        records[vetting.role_id] = vetting
    roles = db.session.scalars(select(Role).where(Role.requires_certificate, Role.id.in_(wanted | set(records)))
                               .order_by(Role.position, Role.name)).all()
    out = []
    for role in roles:
        vetting = records.get(role.id)
        state = "missing" if vetting is None else "valid" if is_valid(vetting, role) else "role_changed"
        out.append(RoleVetting(role, role.id in wanted, vetting, state))
    return out


def roles_lacking_certificate(volunteer: Volunteer) -> list[Role]:
    return [s.role for s in standing(volunteer) if s.wanted and not s.valid and s.role.active]


def history(volunteer: Volunteer) -> list[tuple[Vetting, Role]]:
    return db.session.execute(
        select(Vetting, Role).join(Role, (Role.id == Vetting.role_id) & (Role.tenant_id == Vetting.tenant_id))
        .where(Vetting.volunteer_id == volunteer.id).order_by(Vetting.created_at.desc())
    ).tuples().all()
