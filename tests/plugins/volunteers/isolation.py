"""The volunteer bank's objects for the isolation test (tests/core/test_isolation.py):
every route of the plugin answers 404 to another municipality's ids."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dugnad.extensions import db
from dugnad.clock import today

ARGUMENTS = ("volunteer_id", "qualification_id", "vetting_id", "role_id", "area_id", "need_id", "assignment_id",
             "event_id", "organisation_id", "token")
SECRETS = (b"Bertil Betafrivillig", b"Beta escort need", b"Beta volunteer evening", b"Betaforeningen")


def beta_objects() -> dict:
    from dugnad_volunteers import configuration, links, needs, organisations, vetting, warmth
    from dugnad_volunteers.models import Assignment, Qualification, Volunteer, VolunteerInterest, VolunteerLanguage

    role = configuration.create_role({"name": "Beta escort", "requires_certificate": True, "works_with": "minors",
                                      "purpose": "Escorting minors in Beta."})
    area = configuration.create_area("Beta centre")
    consent = configuration.consent_to_store(1, "Beta")
    volunteer = Volunteer(status="approved", name="Bertil Betafrivillig", email="bertil@beta.test", phone="912 00 000",
                          birth_date=date(1980, 1, 1), consent_text_id=consent.id, availability=(1 << 21) - 1,
                          anywhere=True, approved_at=datetime.now())
    db.session.add(volunteer)
    db.session.flush()
    db.session.add_all([VolunteerLanguage(volunteer_id=volunteer.id, language="ti", level=4),
                        VolunteerInterest(volunteer_id=volunteer.id, role_id=role.id)])
    qualification = Qualification(volunteer_id=volunteer.id, kind="first_aid")
    db.session.add(qualification)
    db.session.flush()
    shown = vetting.record_shown(volunteer, role, today() - timedelta(days=10), today(), None)
    starts = datetime.combine(today() + timedelta(days=3), time(10))
    need = needs.create({"title": "Beta escort need", "role_id": role.id, "starts_at": starts,
                         "ends_at": starts + timedelta(hours=1), "area_id": area.id}, None)
    assignment = Assignment(need_id=need.id, volunteer_id=volunteer.id)
    db.session.add(assignment)
    event = warmth.create_event({"title": "Beta volunteer evening", "kind": "social", "starts_at": starts,
                                 "ends_at": starts + timedelta(hours=2)}, None)
    organisation = organisations.create({"name": "Betaforeningen", "activities": "Beta activities"})
    db.session.flush()
    return {"volunteer_id": volunteer.id, "qualification_id": qualification.id, "vetting_id": shown.id,
            "role_id": role.id, "area_id": area.id, "need_id": need.id, "assignment_id": assignment.id,
            "event_id": event.id, "organisation_id": organisation.id, "token": links.me_token(volunteer)}
