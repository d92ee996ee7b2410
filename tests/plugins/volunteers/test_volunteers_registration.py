"""A volunteer registers on the municipality's public page: phone first, in nb, nn or en,
confirmed by an e-mailed link; under 18 a guardian confirms; spam and mistakes are
refused with a clear message and nothing typed is lost."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.clock import today
from dugnad_volunteers import registration
from dugnad_volunteers.models import ConsentText, Role, Volunteer, VolunteerLanguage
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    in_tenant,
    link_in,
    messages,
    registration_form,
)


def _volunteers(app, world):
    with in_tenant(app, world.tenants["alpha"]):
        found = db.session.scalars(select(Volunteer).order_by(Volunteer.id)).all()
        db.session.expunge_all()
        return found


def test_the_form_is_public_phone_first_and_in_three_languages(app, world, bank):
    client = app.test_client()
    page = client.get("/alpha/frivillig/")
    assert page.status_code == 200
    text = page.text
    assert text.index('id="phone"') < text.index('id="email"')  # phone first
    assert 'autocomplete="tel"' in text and 'type="tel"' in text
    assert "Escort for a minor" in text and "Krever politiattest." in text  # Bokmål is the default
    for lang, heading in (("nb", "Bli frivillig i Alfa"), ("nn", "Bli frivillig i Alfa"), ("en", "Become a volunteer in Alfa")):
        client.post("/language", data={"lang": lang, "next": "/alpha/frivillig/"})
        assert heading in client.get("/alpha/frivillig/").text, lang


def test_registering_waits_for_the_email_link_which_confirms_once(app, world, bank):
    client = app.test_client()
    answer = client.post("/alpha/frivillig/", data=registration_form(bank, regional="y"))
    assert answer.status_code == 302 and answer.location.endswith("/alpha/frivillig/takk")
    (volunteer,) = _volunteers(app, world)
    assert volunteer.status == "unconfirmed" and volunteer.phone == "+47 912 34 567"
    assert volunteer.email == "selam@example.no" and volunteer.regional_consent_at is not None
    assert volunteer.availability == (1 << 9) | (1 << 10)
    with in_tenant(app, world.tenants["alpha"]):
        consent = db.session.get(ConsentText, volunteer.consent_text_id)
        assert consent.version == 1 and "Alfa" in consent.body and volunteer.consented_at is not None
        languages = db.session.scalars(select(VolunteerLanguage.language).where(VolunteerLanguage.volunteer_id == volunteer.id)).all()
        assert sorted(languages) == ["no", "ti"]
    (mail,) = messages(app, "volunteer-confirm")
    link = link_in(mail, "/frivillig/bekreft/")
    assert "Trykk på knappen" in client.get(link).text or "Press the button" in client.get(link).text
    assert _volunteers(app, world)[0].status == "unconfirmed"  # opening the page changes nothing
    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert _volunteers(app, world)[0].status == "pending"
    replay = client.post(link)
    assert replay.status_code == 200 and ("allerede bekreftet" in replay.text or "already confirmed" in replay.text)
    assert _volunteers(app, world)[0].email_confirmed_at is not None


def test_a_mistake_keeps_what_was_typed_and_marks_the_field(app, world, bank):
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/alpha/frivillig/"})
    answer = client.post("/alpha/frivillig/", data=registration_form(bank, phone="12"))
    assert answer.status_code == 422
    assert "at least 8 digits" in answer.text
    assert 'value="Selam Haile"' in answer.text and 'value="selam@example.no"' in answer.text
    assert 'id="phone" aria-describedby="phone-help phone-error" aria-invalid="true"' in answer.text or \
        'aria-invalid="true"' in answer.text.split('id="phone"', 1)[0][-300:] + answer.text.split('id="phone"', 1)[1][:300]
    assert _volunteers(app, world) == []


def test_under_15_is_refused_and_under_18_needs_a_guardian_who_confirms(app, world, bank):
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/"})
    fourteen = (today() - timedelta(days=14 * 366)).isoformat()
    refused = client.post("/alpha/frivillig/", data=registration_form(bank, birth_date=fourteen))
    assert refused.status_code == 422 and "15 or older" in refused.text
    sixteen = (today() - timedelta(days=16 * 366)).isoformat()
    no_guardian = client.post("/alpha/frivillig/", data=registration_form(bank, birth_date=sixteen))
    assert no_guardian.status_code == 422 and "parent or guardian" in no_guardian.text
    ok = client.post("/alpha/frivillig/", data=registration_form(bank, birth_date=sixteen, guardian_name="Hana Haile",
                                                                 guardian_email="hana@example.no"))
    assert ok.status_code == 302
    client.post(link_in(messages(app, "volunteer-confirm")[0], "/bekreft/"))
    (request,) = messages(app, "volunteer-guardian")
    assert request.recipient == "hana@example.no"
    volunteer = _volunteers(app, world)[0]
    with in_tenant(app, world.tenants["alpha"]):
        assert registration.needs_guardian(db.session.get(Volunteer, volunteer.id))
    link = link_in(request, "/frivillig/verge/")
    assert client.post(link).status_code == 200
    assert _volunteers(app, world)[0].guardian_confirmed_at is not None
    assert "already given" in client.post(link).text


def test_the_honeypot_saves_nothing_and_tells_the_robot_nothing(app, world, bank):
    answer = app.test_client().post("/alpha/frivillig/", data=registration_form(bank, website="http://spam.example"))
    assert answer.status_code == 302 and answer.location.endswith("/takk")
    assert _volunteers(app, world) == [] and messages(app) == []


def test_many_registrations_from_one_place_are_throttled(app, world, bank):
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/"})
    for i in range(registration.MAX_SIGNUPS_PER_ADDRESS):
        client.post("/alpha/frivillig/", data=registration_form(bank, email=f"person{i}@example.no"))
    throttled = client.post("/alpha/frivillig/", data=registration_form(bank, email="one.more@example.no"))
    assert throttled.status_code == 429
    assert "Wait an hour" in throttled.text and 'value="one.more@example.no"' in throttled.text
    assert len(_volunteers(app, world)) == registration.MAX_SIGNUPS_PER_ADDRESS


def test_a_duplicate_email_is_told_and_gets_a_link_not_a_second_registration(app, world, bank):
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/"})
    client.post("/alpha/frivillig/", data=registration_form(bank))
    client.post(link_in(messages(app, "volunteer-confirm")[0], "/bekreft/"))
    again = client.post("/alpha/frivillig/", data=registration_form(bank, email="Selam@Example.no ", name="Selam H."))
    assert again.status_code == 422
    assert "already registered" in again.text and "sent a link" in again.text
    assert 'value="Selam H."' in again.text
    assert len(_volunteers(app, world)) == 1
    (link_mail,) = messages(app, "volunteer-link")
    assert link_mail.recipient == "selam@example.no" and "/frivillig/meg/" in link_mail.body


def test_consent_is_required_and_a_changed_text_must_be_read_again(app, world, bank, client_as):
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/"})
    no_consent = client.post("/alpha/frivillig/", data=registration_form(bank, consent=None))
    assert no_consent.status_code == 422 and "tick the box" in no_consent.text
    coordinator = client_as("alpha_coordinator")
    new_text = "Version two of the consent text. " * 3
    assert coordinator.post("/alpha/volunteers/setup/consent", data={"body": new_text}).status_code == 302
    stale = client.post("/alpha/frivillig/", data=registration_form(bank, consent_version="1"))
    assert stale.status_code == 422 and "changed while you filled in the form" in stale.text
    assert "Version two of the consent text." in stale.text  # the new text is shown
    fresh = client.post("/alpha/frivillig/", data=registration_form(bank, consent_version="2"))
    assert fresh.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        volunteer = db.session.scalar(select(Volunteer))
        assert db.session.get(ConsentText, volunteer.consent_text_id).version == 2


def test_the_age_rules_hold_for_every_birth_date(app, world, bank):
    """15 is the limit: one day younger is refused, the birthday itself is accepted."""
    day = today()
    fifteenth = date(day.year - 15, day.month, min(day.day, 28))
    with in_tenant(app, world.tenants["alpha"]):
        assert registration.age_on(fifteenth, day) == (15 if (fifteenth.month, fifteenth.day) <= (day.month, day.day) else 14)
        assert registration.age_on(date(2000, 2, 29), date(2016, 2, 28)) == 15
        assert registration.age_on(date(2000, 2, 29), date(2016, 3, 1)) == 16


def test_the_emails_speak_the_language_the_volunteer_registered_in(app, world, bank):
    norwegian, english = app.test_client(), app.test_client()
    english.post("/language", data={"lang": "en", "next": "/"})
    norwegian.post("/alpha/frivillig/", data=registration_form(bank, email="kari@example.no"))
    english.post("/alpha/frivillig/", data=registration_form(bank, email="john@example.no"))
    subjects = {m.recipient: m.subject for m in messages(app, "volunteer-confirm")}
    assert subjects == {"kari@example.no": "Bekreft registreringen din som frivillig i Alfa",
                        "john@example.no": "Confirm your registration as a volunteer in Alfa"}
    body = messages(app, "volunteer-confirm", "kari@example.no")[0].body
    assert "Takk for at du har registrert deg som frivillig i Alfa!" in body


def test_the_suggested_roles_read_in_the_visitor_s_language_until_the_municipality_changes_them(app, world):
    from dugnad_volunteers import configuration

    with in_tenant(app, world.tenants["alpha"]):
        configuration.add_default_roles()
        db.session.commit()
    client = app.test_client()
    bokmal = client.get("/alpha/frivillig/").text
    assert "Følge for enslig mindreårig" in bokmal  # stored in the municipality's language
    for lang, wanted in (("nn", "Følgje for einsleg mindreårig"), ("en", "Escort for an unaccompanied minor")):
        client.post("/language", data={"lang": lang, "next": "/alpha/frivillig/"})
        page = client.get("/alpha/frivillig/").text
        assert wanted in page and "Følge for enslig mindreårig" not in page, lang
    with in_tenant(app, world.tenants["alpha"]):  # a name the municipality wrote stays as written
        role = db.session.scalar(select(Role).where(Role.name == "Følge for enslig mindreårig"))
        role.name = "Følge for enslige mindreårige (Tønsberg)"
        db.session.commit()
    assert "Følge for enslige mindreårige (Tønsberg)" in client.get("/alpha/frivillig/").text
