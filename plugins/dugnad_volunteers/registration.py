"""A volunteer's own data: registering, confirming the e-mail address (and a
guardian's consent under 18), and — through the link they get — seeing, correcting,
downloading, pausing and consenting again. The same checks serve the public form,
the self-service page, the coordinator's corrections and the API.

Check first, change after: ``check_profile`` raises ``BankError`` naming the field
before anything is written, so a refused form keeps everything that was typed."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from dugnad.sdk import current_tenant_id, db, record, today, utcnow
from dugnad_volunteers import configuration
from dugnad_volunteers.errors import BankError, clean
from dugnad_volunteers.models import (
    DAYS,
    FREQUENCIES,
    LANGUAGES,
    LEVELS,
    PARTS,
    SLOT_LABELS,
    SignupAttempt,
    Volunteer,
    VolunteerArea,
    VolunteerInterest,
    VolunteerLanguage,
)

MIN_AGE = 15
ADULT_AGE = 18
MAX_LANGUAGES = 8
THROTTLE_WINDOW = timedelta(hours=1)
MAX_SIGNUPS_PER_ADDRESS = 20  # a refugee café may register many people on one network
ALL_SLOTS = (1 << (len(DAYS) * len(PARTS))) - 1
PROFILE_FIELDS = ("name", "phone", "email", "birth_date", "guardian_name", "guardian_email", "formal_competence",
                  "informal_competence", "availability", "frequency", "anywhere")


# --- small rules ---------------------------------------------------------------------------------


def normalise_email(value: str | None) -> str | None:
    value = clean(value)
    return value.lower() if value else None


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(volunteer: Volunteer, day: date | None = None) -> bool:
    return volunteer.birth_date is not None and age_on(volunteer.birth_date, day or today()) < ADULT_AGE


def slot_mask(slots) -> int:
    mask = 0
    for slot in slots or ():
        slot = int(slot)
        if not 0 <= slot < len(DAYS) * len(PARTS):
            raise BankError(_("Choose the times from the table."), "availability")
        mask |= 1 << slot
    return mask


def slots_of(mask: int) -> list[int]:
    return [bit for bit in range(len(DAYS) * len(PARTS)) if mask & (1 << bit)]


def slot_label(bit: int) -> str:
    return str(SLOT_LABELS[bit])


def _check_email(value: str | None, field: str, required: bool = True) -> str | None:
    email = normalise_email(value)
    if not email:
        if required:
            raise BankError(_("Write your e-mail address, so we can send you a link to confirm it."), field)
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise BankError(_("Write a valid e-mail address, like name@example.no."), field) from error
    if len(email) > 254:
        raise BankError(_("The e-mail address is too long."), field)
    return email


def _check_phone(value: str | None) -> str:
    phone = clean(value)
    if not phone:
        raise BankError(_("Write your mobile number. The coordinator usually calls or sends a text message."), "phone")
    if len(phone) > 40 or not re.fullmatch(r"[0-9 +()\-.]+", phone) or len(re.sub(r"\D", "", phone)) < 8:
        raise BankError(_("Write a phone number with at least 8 digits, like 912 34 567 or +47 912 34 567."), "phone")
    return phone


def _check_text(values: dict, name: str, limit: int) -> str | None:
    text = clean(values.get(name))
    if text and len(text) > limit:
        raise BankError(_("This can be at most %(n)s characters.", n=limit), name)
    return text


def check_languages(rows) -> list[tuple[str, int]]:
    languages: dict[str, int] = {}
    for code, level in rows or ():
        if not code:
            continue
        if code not in LANGUAGES:
            raise BankError(_("Choose the languages from the list."), "languages")
        try:
            level = int(level)
        except (TypeError, ValueError):
            level = 0
        if level not in LEVELS:
            raise BankError(_("Say how well you speak %(language)s.", language=LANGUAGES[code]), "languages")
        if code in languages:
            raise BankError(_("%(language)s is chosen twice. Choose each language once.", language=LANGUAGES[code]), "languages")
        languages[code] = level
    if not languages:
        raise BankError(_("Choose at least one language you speak."), "languages")
    if len(languages) > MAX_LANGUAGES:
        raise BankError(_("Choose at most %(n)s languages.", n=MAX_LANGUAGES), "languages")
    return list(languages.items())


def _check_ids(ids, allowed: set[int], field: str, message: str) -> list[int]:
    chosen = []
    for value in ids or ():
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise BankError(message, field) from None
        if value not in allowed:
            raise BankError(message, field)
        if value not in chosen:
            chosen.append(value)
    return chosen


def check_profile(values: dict[str, Any], volunteer: Volunteer | None = None, *,
                  include_inactive: bool = False) -> dict[str, Any]:
    """Validate and normalise a volunteer's details; raises BankError naming the field."""
    out: dict[str, Any] = {}
    name = clean(values.get("name"))
    if not name:
        raise BankError(_("Write your name."), "name")
    if len(name) > 200:
        raise BankError(_("The name can be at most 200 characters."), "name")
    out["name"] = name
    out["phone"] = _check_phone(values.get("phone"))
    out["email"] = _check_email(values.get("email"), "email")
    birth_date = values.get("birth_date")
    day = today()
    if not isinstance(birth_date, date):
        raise BankError(_("Write your date of birth."), "birth_date")
    if birth_date > day or birth_date.year < day.year - 110:
        raise BankError(_("Check the date of birth."), "birth_date")
    if age_on(birth_date, day) < MIN_AGE:
        raise BankError(_("You must be 15 or older to register as a volunteer."), "birth_date")
    out["birth_date"] = birth_date
    if age_on(birth_date, day) < ADULT_AGE:
        guardian = clean(values.get("guardian_name"))
        if not guardian:
            raise BankError(_("You are under 18: write the name of a parent or guardian who agrees."), "guardian_name")
        if len(guardian) > 200:
            raise BankError(_("The name can be at most 200 characters."), "guardian_name")
        out["guardian_name"] = guardian
        out["guardian_email"] = _check_email(values.get("guardian_email"), "guardian_email")
        if out["guardian_email"] == out["email"]:
            raise BankError(_("Write your parent's or guardian's own e-mail address: they confirm by a link sent there."),
                            "guardian_email")
    else:
        out["guardian_name"] = out["guardian_email"] = None
    out["languages"] = check_languages(values.get("languages"))
    roles = {r.id for r in configuration.roles(active_only=not include_inactive)}
    out["role_ids"] = _check_ids(values.get("role_ids"), roles, "role_ids", _("Choose tasks from the list."))
    if roles and not out["role_ids"]:
        raise BankError(_("Choose at least one thing you would like to help with."), "role_ids")
    areas = {a.id for a in configuration.areas(active_only=not include_inactive)}
    out["area_ids"] = _check_ids(values.get("area_ids"), areas, "area_ids", _("Choose areas from the list."))
    out["anywhere"] = bool(values.get("anywhere")) or not areas
    if not out["anywhere"] and not out["area_ids"]:
        raise BankError(_("Choose where you can help, or tick “Anywhere in the municipality”."), "area_ids")
    availability = values.get("availability")
    out["availability"] = availability if isinstance(availability, int) else slot_mask(availability)
    if not 0 <= out["availability"] <= ALL_SLOTS:
        raise BankError(_("Choose the times from the table."), "availability")
    if not out["availability"]:
        raise BankError(_("Tick at least one time of the week when you can usually help."), "availability")
    frequency = values.get("frequency") or None
    if frequency is not None and frequency not in FREQUENCIES:
        raise BankError(_("Choose how often from the list."), "frequency")
    out["frequency"] = frequency
    out["formal_competence"] = _check_text(values, "formal_competence", 3000)
    out["informal_competence"] = _check_text(values, "informal_competence", 3000)
    owner = email_owner(out["email"], volunteer.id if volunteer else None)
    if owner is not None:
        raise BankError(_("This e-mail address is already registered in the volunteer bank."), "email")
    return out


def email_owner(email: str | None, exclude_id: int | None = None) -> Volunteer | None:
    if not email:
        return None
    query = select(Volunteer).where(Volunteer.email == email)
    if exclude_id is not None:
        query = query.where(Volunteer.id != exclude_id)
    return db.session.scalar(query)


def _write_links(volunteer: Volunteer, checked: dict[str, Any]) -> list[str]:
    """Replace the volunteer's languages, areas and wishes; returns which of them changed."""
    changed = []
    current_languages = {(l.language, l.level) for l in db.session.scalars(
        select(VolunteerLanguage).where(VolunteerLanguage.volunteer_id == volunteer.id))}
    if current_languages != set(checked["languages"]):
        db.session.execute(delete(VolunteerLanguage).where(VolunteerLanguage.volunteer_id == volunteer.id))
        db.session.add_all(VolunteerLanguage(volunteer_id=volunteer.id, language=code, level=level)
                           for code, level in checked["languages"])
        changed.append("languages")
    for model, column, key in ((VolunteerArea, VolunteerArea.area_id, "area_ids"),
                               (VolunteerInterest, VolunteerInterest.role_id, "role_ids")):
        current = set(db.session.scalars(select(column).where(model.volunteer_id == volunteer.id)))
        if current != set(checked[key]):
            db.session.execute(delete(model).where(model.volunteer_id == volunteer.id))
            db.session.add_all(model(volunteer_id=volunteer.id, **{column.key: value}) for value in checked[key])
            changed.append(key)
    return changed


def _flush_unique(volunteer: Volunteer) -> None:
    """Flush in a savepoint, so a duplicate e-mail that slipped in at the same moment is a field error."""
    try:
        with db.session.begin_nested():
            db.session.add(volunteer)
            db.session.flush()
    except IntegrityError as error:
        raise BankError(_("This e-mail address is already registered in the volunteer bank."), "email") from error


# --- registering -------------------------------------------------------------------------------------


def address_key(address: str | None) -> str:
    secret = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{secret}:{current_tenant_id()}:{address or 'unknown'}".encode()).hexdigest()


def throttled(address: str | None) -> bool:
    since = utcnow() - THROTTLE_WINDOW
    count = db.session.scalar(select(func.count()).select_from(SignupAttempt).where(
        SignupAttempt.key == address_key(address), SignupAttempt.created_at > since)) or 0
    return count >= MAX_SIGNUPS_PER_ADDRESS


def note_attempt(address: str | None) -> None:
    """Count an attempt; committed at once, so a refused attempt still counts."""
    db.session.add(SignupAttempt(key=address_key(address)))
    db.session.execute(delete(SignupAttempt).where(SignupAttempt.created_at < utcnow() - THROTTLE_WINDOW))
    db.session.commit()


def register(values: dict[str, Any], *, locale: str, municipality: str) -> Volunteer:
    """A new registration, waiting for its e-mail confirmation. The caller commits."""
    if not values.get("consent"):
        raise BankError(_("Read the consent text and tick the box to register."), "consent")
    checked = check_profile(values)
    consent = configuration.consent_to_store(int(values.get("consent_version") or 0), municipality)
    now = utcnow()
    volunteer = Volunteer(
        status="unconfirmed", locale=locale, consent_text_id=consent.id, consented_at=now,
        regional_consent_at=now if values.get("regional") else None, last_active_at=now,
        **{key: checked[key] for key in PROFILE_FIELDS},
    )
    _flush_unique(volunteer)
    _write_links(volunteer, checked)
    db.session.flush()
    record("volunteers.registered", volunteer, consent_version=consent.version, regional=bool(values.get("regional")),
           user_id=None)
    from dugnad_volunteers import mail

    mail.later(mail.send_confirmation, volunteer.id)
    return volunteer


def touch(volunteer: Volunteer) -> None:
    """The volunteer did something: they are active (for idle flags and retention)."""
    volunteer.last_active_at = utcnow()
    volunteer.retention_warned_at = None


def confirm_email(volunteer: Volunteer, email: str | None) -> str:
    """Returns "confirmed", "already" or "changed" (the address is no longer the one the link was for)."""
    if volunteer.anonymised_at is not None or email != volunteer.email:
        return "changed"
    if volunteer.email_confirmed_at is not None:
        return "already"
    volunteer.email_confirmed_at = utcnow()
    if volunteer.status == "unconfirmed":
        volunteer.status = "pending"
    touch(volunteer)
    record("volunteers.email_confirmed", volunteer, user_id=None)
    from dugnad_volunteers import mail

    if is_minor(volunteer) and volunteer.guardian_confirmed_at is None:
        mail.later(mail.send_guardian_request, volunteer.id)
    mail.later(mail.notify_coordinator_new, volunteer.id)
    return "confirmed"


def confirm_guardian(volunteer: Volunteer, guardian_email: str | None) -> str:
    if volunteer.anonymised_at is not None or guardian_email != volunteer.guardian_email:
        return "changed"
    if volunteer.guardian_confirmed_at is not None:
        return "already"
    volunteer.guardian_confirmed_at = utcnow()
    record("volunteers.guardian_confirmed", volunteer, user_id=None)
    return "confirmed"


def needs_guardian(volunteer: Volunteer) -> bool:
    return is_minor(volunteer) and volunteer.guardian_confirmed_at is None


# --- changing one's details -------------------------------------------------------------------------


def profile_values(volunteer: Volunteer) -> dict[str, Any]:
    """The volunteer's details in the shape ``check_profile`` takes (to fill a form)."""
    values = {key: getattr(volunteer, key) for key in PROFILE_FIELDS}
    values["languages"] = [(l.language, l.level) for l in db.session.scalars(
        select(VolunteerLanguage).where(VolunteerLanguage.volunteer_id == volunteer.id).order_by(VolunteerLanguage.id))]
    values["role_ids"] = list(db.session.scalars(select(VolunteerInterest.role_id).where(VolunteerInterest.volunteer_id == volunteer.id)))
    values["area_ids"] = list(db.session.scalars(select(VolunteerArea.area_id).where(VolunteerArea.volunteer_id == volunteer.id)))
    return values


def update_profile(volunteer: Volunteer, values: dict[str, Any], *, by_volunteer: bool) -> list[str]:
    """Change the details; returns the names of what changed (the audit log keeps names, not values).
    A changed e-mail address must be confirmed again; an answer to "more information" goes back to review."""
    if volunteer.anonymised_at is not None:
        raise BankError(_("This registration is deleted."), "name", status=409)
    checked = check_profile(values, volunteer, include_inactive=not by_volunteer)
    changed = [key for key in PROFILE_FIELDS if getattr(volunteer, key) != checked[key]]
    email_changed = "email" in changed
    guardian_changed = "guardian_email" in changed
    for key in changed:
        setattr(volunteer, key, checked[key])
    changed += _write_links(volunteer, checked)
    if email_changed:
        volunteer.email_confirmed_at = None
        volunteer.link_version += 1  # links sent to the old address stop working
    if guardian_changed:
        volunteer.guardian_confirmed_at = None
    if changed:
        _flush_unique(volunteer)
    if by_volunteer:
        touch(volunteer)
        if volunteer.status == "more_info" and changed:
            volunteer.status = "pending"
    record("volunteers.changed", volunteer, fields=changed, by="volunteer" if by_volunteer else "staff",
           **({"user_id": None} if by_volunteer else {}))
    from dugnad_volunteers import mail

    if email_changed:
        mail.later(mail.send_confirmation, volunteer.id)
    if guardian_changed and volunteer.guardian_email and volunteer.email_confirmed_at:
        mail.later(mail.send_guardian_request, volunteer.id)
    return changed


def pause(volunteer: Volunteer, until: date | None, *, by_volunteer: bool) -> None:
    if until is not None and until <= today():
        raise BankError(_("Choose a date after today, or leave it empty to pause until you start again."), "until")
    volunteer.paused_at, volunteer.paused_until = utcnow(), until
    if by_volunteer:
        touch(volunteer)
    record("volunteers.paused", volunteer, until=until.isoformat() if until else None,
           **({"user_id": None} if by_volunteer else {}))


def resume(volunteer: Volunteer, *, by_volunteer: bool) -> None:
    volunteer.paused_at = volunteer.paused_until = None
    if by_volunteer:
        touch(volunteer)
    record("volunteers.resumed", volunteer, **({"user_id": None} if by_volunteer else {}))


def set_regional(volunteer: Volunteer, on: bool) -> None:
    volunteer.regional_consent_at = utcnow() if on else None
    touch(volunteer)
    record("volunteers.regional_consent", volunteer, given=on, user_id=None)


def consent_again(volunteer: Volunteer, version: int, municipality: str) -> None:
    text = configuration.consent_to_store(version, municipality)
    volunteer.consent_text_id, volunteer.consented_at = text.id, utcnow()
    touch(volunteer)
    record("volunteers.consented", volunteer, consent_version=text.version, user_id=None)
