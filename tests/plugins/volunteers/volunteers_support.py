"""Shared helpers for the volunteer bank's tests: a bank set up in a municipality,
volunteers made directly (fast) or through the public form, and links from the outbox."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.clock import today
from dugnad.tenancy import Tenant, tenant_context
from dugnad.clock import utcnow
from dugnad_volunteers import configuration, vetting
from dugnad_volunteers.models import (
    Role,
    Volunteer,
    VolunteerArea,
    VolunteerInterest,
    VolunteerLanguage,
)
from tests.support.context import in_tenant

ALL_WEEK = (1 << 21) - 1


@dataclass
class Bank:
    tenant_id: int
    app: object = None
    roles: dict[str, int] = field(default_factory=dict)
    areas: dict[str, int] = field(default_factory=dict)
    consent_id: int | None = None


def set_up_bank(tenant_id: int) -> Bank:
    """Roles (one needing a police certificate), two areas and a consent text, in a municipality."""
    with tenant_context(tenant_id):
        escort = configuration.create_role({"name": "Escort for a minor", "requires_certificate": True,
                                            "works_with": "minors", "purpose": "Escorting unaccompanied minors to the GP."})
        family = configuration.create_role({"name": "Escort for a family"})
        language = configuration.create_role({"name": "Language help"})
        centre, harbour = configuration.create_area("Centre"), configuration.create_area("Harbour")
        consent = configuration.consent_to_store(1, "Alfa")
        db.session.commit()
        return Bank(tenant_id, roles={"escort": escort.id, "family": family.id, "language": language.id},
                    areas={"centre": centre.id, "harbour": harbour.id}, consent_id=consent.id)


@pytest.fixture
def bank(app, world) -> Bank:
    with app.app_context():
        made = set_up_bank(world.tenants["alpha"])
    made.app = app
    return made


@pytest.fixture
def beta_bank(app, world) -> Bank:
    with app.app_context():
        made = set_up_bank(world.tenants["beta"])
    made.app = app
    return made


def make_volunteer(bank: Bank, name: str = "Yonas Tesfay", *, status: str = "approved", languages=(("ti", 4), ("no", 3)),
                   wants=("escort",), areas=("centre",), anywhere=False, availability: int = ALL_WEEK,
                   certificate_for=(), last_task_on: date | None = None, email: str | None = None,
                   birth_date: date = date(1990, 1, 1), regional: bool = False, paused_until: date | None = None,
                   paused: bool = False, **extra) -> int:
    """An approved (by default) volunteer, written directly; returns the id."""
    now = utcnow()
    with bank.app.app_context(), tenant_context(bank.tenant_id):
        volunteer = Volunteer(
            status=status, name=name, phone="912 34 567", birth_date=birth_date, locale=extra.pop("locale", "en"),
            email=email or f"{name.lower().replace(' ', '.')}@example.no", consent_text_id=bank.consent_id,
            consented_at=now, email_confirmed_at=None if status == "unconfirmed" else now,
            approved_at=now - timedelta(days=30) if status == "approved" else None, availability=availability,
            anywhere=anywhere, last_task_on=last_task_on, regional_consent_at=now if regional else None,
            paused_at=now if (paused or paused_until) else None, paused_until=paused_until, **extra)
        db.session.add(volunteer)
        db.session.flush()
        db.session.add_all(VolunteerLanguage(volunteer_id=volunteer.id, language=c, level=l) for c, l in languages)
        db.session.add_all(VolunteerInterest(volunteer_id=volunteer.id, role_id=bank.roles[k]) for k in wants)
        db.session.add_all(VolunteerArea(volunteer_id=volunteer.id, area_id=bank.areas[k]) for k in areas)
        db.session.flush()
        for key in certificate_for:
            role = db.session.get(Role, bank.roles[key])
            vetting.record_shown(volunteer, role, today() - timedelta(days=30), today() - timedelta(days=10), None)
        db.session.commit()
        volunteer_id = volunteer.id
        db.session.remove()
        return volunteer_id


def next_weekday(weekday: int, hour: int, minute: int = 0) -> datetime:
    """The next such weekday (at least tomorrow) at that time."""
    day = today() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute))


def need_values(bank: Bank, **changes) -> dict:
    starts = changes.pop("starts_at", None) or next_weekday(3, 10)
    values = {"title": "Escort to the GP", "role_id": bank.roles["escort"], "starts_at": starts,
              "ends_at": starts + timedelta(minutes=90), "location": "The health centre", "area_id": bank.areas["centre"],
              "language": "ti", "language_level": 3, "volunteers_needed": 1}
    values.update(changes)
    return values


def registration_form(bank: Bank | None = None, **changes) -> dict:
    """What a person types into the public form (as form data)."""
    data = {
        "name": "Selam Haile", "phone": "+47 912 34 567", "email": "selam@example.no", "birth_date": "1995-05-17",
        "languages-0-language": "ti", "languages-0-level": "4", "languages-1-language": "no", "languages-1-level": "3",
        "spoken": ["ti", "no"], "level_ti": "4", "level_no": "3",  # registration asks by ticks; the own page by rows
        "role_ids": [str(bank.roles["escort"])] if bank else [], "availability": ["9", "10"],
        "area_ids": [str(bank.areas["centre"])] if bank else [], "frequency": "weekly",
        "formal_competence": "Nurse", "informal_competence": "Cooking", "consent": "y", "consent_version": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def messages(app, kind: str | None = None, recipient: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        found = db.session.scalars(query).all()
        db.session.expunge_all()
        return found


def link_in(message: OutboxMessage, part: str) -> str:
    """The path of the first link in the message whose path contains ``part``."""
    for url in re.findall(r"https?://\S+", message.body):
        if part in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {part!r} in: {message.body}")


def tenant_slug(app, tenant_id: int) -> str:
    with app.app_context():
        return db.session.get(Tenant, tenant_id).slug


__all__ = ["ALL_WEEK", "Bank", "bank", "beta_bank", "in_tenant", "link_in", "make_volunteer", "messages", "need_values",
           "next_weekday", "registration_form", "set_up_bank", "tenant_slug"]
