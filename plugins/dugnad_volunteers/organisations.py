"""The register of volunteer organisations: what they do, for whom, and who to contact.

An organisation is a participant of the municipality's register (kind "organisation",
category "volunteer sector"), so it also appears in processes and stakeholder
analyses; the bank adds its activities, target groups, contact person and web site.
Organisations already in the participant register show up here by themselves."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from dugnad.sdk import db, Participant, participants, record
from dugnad_volunteers.errors import BankError, clean
from dugnad_volunteers.models import TARGET_GROUPS, OrganisationProfile

CATEGORY = "volunteer"
LEGAL_BASIS = "legitimate_interest"  # an organisation's public contact details
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _organisations():
    return select(Participant, OrganisationProfile).outerjoin(
        OrganisationProfile, and_(OrganisationProfile.participant_id == Participant.id,
                                  OrganisationProfile.tenant_id == Participant.tenant_id)
    ).where(Participant.kind == "organisation", Participant.category == CATEGORY, Participant.archived_at.is_(None))


def rows(q: str = "", target_group: str = "") -> list[tuple[Participant, OrganisationProfile | None]]:
    query = _organisations()
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Participant.name).like(like), func.lower(OrganisationProfile.activities).like(like)))
    found = db.session.execute(query.order_by(func.lower(Participant.name))).tuples().all()
    if target_group:
        found = [(p, profile) for p, profile in found if profile and target_group in (profile.target_groups or [])]
    return found


def get(organisation_id: int) -> tuple[Participant, OrganisationProfile | None] | None:
    row = db.session.execute(_organisations().where(Participant.id == organisation_id)).first()
    return tuple(row) if row else None


def _check_profile(values: dict[str, Any]) -> dict[str, Any]:
    activities = clean(values.get("activities"))
    if activities and len(activities) > 5000:
        raise BankError(_("This can be at most %(n)s characters.", n=5000), "activities")
    groups = [g for g in values.get("target_groups") or () if g]
    if any(g not in TARGET_GROUPS for g in groups):
        raise BankError(_("Choose target groups from the list."), "target_groups")
    contact = clean(values.get("contact_name"))
    if contact and len(contact) > 200:
        raise BankError(_("The name can be at most 200 characters."), "contact_name")
    website = clean(values.get("website"))
    if website and not website.lower().startswith(("http://", "https://")):
        website = "https://" + website
    if website and (len(website) > 300 or not URL.match(website)):
        raise BankError(_("Write the web address, like https://example.no."), "website")
    return {"activities": activities, "target_groups": list(dict.fromkeys(groups)), "contact_name": contact,
            "website": website}


def _participant_values(values: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "organisation", "name": values.get("name"), "category": CATEGORY, "email": values.get("email"),
            "phone": values.get("phone"), "legal_basis": LEGAL_BASIS}


def _as_bank_error(error: participants.ParticipantError) -> BankError:
    return BankError(str(error), error.field)


def create(values: dict[str, Any]) -> Participant:
    profile_values = _check_profile(values)
    try:
        participants.check(_participant_values(values))
        organisation = participants.create(_participant_values(values), source="volunteers")
    except participants.ParticipantError as error:
        raise _as_bank_error(error) from error
    profile = OrganisationProfile(participant_id=organisation.id, **profile_values)
    db.session.add(profile)
    db.session.flush()
    record("volunteers.organisation_added", organisation, name=organisation.name)
    return organisation


def update(organisation: Participant, profile: OrganisationProfile | None, values: dict[str, Any]) -> list[str]:
    profile_values = _check_profile(values)
    try:
        participants.check({**_participant_values(values), "legal_basis": organisation.legal_basis}, organisation)
        changed = participants.update(organisation, {"name": values.get("name"), "email": values.get("email"),
                                                     "phone": values.get("phone")}, source="volunteers")
    except participants.ParticipantError as error:
        raise _as_bank_error(error) from error
    if profile is None:
        profile = OrganisationProfile(participant_id=organisation.id)
        db.session.add(profile)
    for key, value in profile_values.items():
        if getattr(profile, key) != value:
            setattr(profile, key, value)
            changed.append(key)
    db.session.flush()
    if changed:
        record("volunteers.organisation_changed", organisation, fields=changed)
    return changed
