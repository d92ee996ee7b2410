"""Without an account, by the link they get, a volunteer sees, corrects, downloads and
deletes their data, pauses, consents again and joins or leaves the regional pool."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select

from dugnad.audit import AuditEvent
from dugnad.extensions import db
from dugnad.clock import today
from dugnad_volunteers import links, needs
from dugnad_volunteers.models import Assignment, Need, Vetting, Volunteer, VolunteerLanguage
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    beta_bank,
    in_tenant,
    link_in,
    make_volunteer,
    messages,
    need_values,
    registration_form,
)


def _me(app, world, volunteer_id, tenant="alpha") -> str:
    with in_tenant(app, world.tenants[tenant]):
        return "/%s/frivillig/meg/%s" % (tenant, links.me_token(db.session.get(Volunteer, volunteer_id)))


def _volunteer(app, world, volunteer_id) -> Volunteer:
    with in_tenant(app, world.tenants["alpha"]):
        volunteer = db.session.get(Volunteer, volunteer_id)
        db.session.expunge(volunteer)
        return volunteer


def _client(app):
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/"})
    return client


def test_the_page_shows_what_is_held_and_counts_as_activity(app, world, bank):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    before = _volunteer(app, world, volunteer_id).last_active_at
    page = _client(app).get(_me(app, world, volunteer_id))
    assert page.status_code == 200
    for text in ("Hello, Yonas", "yonas.tesfay@example.no", "Tigrinya (mother tongue)", "Escort for a minor", "Centre",
                 "shown"):
        assert text in page.text, text
    assert _volunteer(app, world, volunteer_id).last_active_at > before


def test_a_correction_is_saved_and_a_new_email_must_be_confirmed(app, world, bank):
    volunteer_id = make_volunteer(bank, "Amina Hassan", languages=(("so", 4),))
    client, me = _client(app), _me(app, world, volunteer_id)
    form = registration_form(bank, name="Amina Hassan", email="amina.new@example.no",
                             **{"languages-0-language": "so", "languages-0-level": "4",
                                "languages-1-language": "ar", "languages-1-level": "2"})
    assert client.post(me + "/endre", data=form).status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        volunteer = db.session.get(Volunteer, volunteer_id)
        assert volunteer.email == "amina.new@example.no" and volunteer.email_confirmed_at is None
        assert sorted(db.session.scalars(select(VolunteerLanguage.language).where(
            VolunteerLanguage.volunteer_id == volunteer_id))) == ["ar", "so"]
    assert messages(app, "volunteer-confirm")[0].recipient == "amina.new@example.no"
    # the old page link was sent to the old address: it stops working
    assert client.get(me).status_code == 404
    bad = client.post(_me(app, world, volunteer_id) + "/endre", data={**form, "phone": "abc"})
    assert bad.status_code == 422 and "at least 8 digits" in bad.text and 'value="Amina Hassan"' in bad.text


def test_an_answer_to_more_information_goes_back_to_review(app, world, bank):
    volunteer_id = make_volunteer(bank, "Dawit Kidane", status="more_info")
    form = registration_form(bank, name="Dawit Kidane", email="dawit.kidane@example.no", informal_competence="I can drive.")
    assert _client(app).post(_me(app, world, volunteer_id) + "/endre", data=form).status_code == 302
    assert _volunteer(app, world, volunteer_id).status == "pending"


def test_the_export_has_everything_including_who_read_it(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Olena Kovalenko", languages=(("uk", 4),), certificate_for=("escort",))
    client_as("alpha_coordinator").get(f"/alpha/volunteers/{volunteer_id}")
    answer = _client(app).get(_me(app, world, volunteer_id) + "/eksport")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    data = json.loads(answer.data)
    assert data["volunteer"]["name"] == "Olena Kovalenko"
    assert data["volunteer"]["languages"] == [{"language": "Ukrainian", "level": "Mother tongue"}]
    assert data["consent"]["version"] == 1 and data["consent"]["text"]
    assert data["police_certificates"][0]["role"] == "Escort for a minor"
    assert data["read_by_staff"][0]["who"] == "Cora Coordinator"


def test_the_export_gives_times_in_oslo_time_with_the_offset(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Olena Kovalenko")
    with in_tenant(app, world.tenants["alpha"]):
        volunteer = db.session.get(Volunteer, volunteer_id)
        volunteer.registered_at = datetime(2026, 1, 15, 16, 38)  # stored in UTC
        volunteer.approved_at = datetime(2026, 7, 1, 9, 5)
        db.session.commit()
    client_as("alpha_coordinator").get(f"/alpha/volunteers/{volunteer_id}")
    data = json.loads(_client(app).get(_me(app, world, volunteer_id) + "/eksport").data)
    assert data["volunteer"]["registered"] == "2026-01-15T17:38:00+01:00"
    assert data["volunteer"]["approved"] == "2026-07-01T11:05:00+02:00"
    assert data["read_by_staff"][0]["when"].endswith(("+01:00", "+02:00"))


def test_a_break_keeps_them_out_of_matching_until_it_ends(app, world, bank):
    volunteer_id = make_volunteer(bank, "Kari Nilsen", certificate_for=("escort",))
    client, me = _client(app), _me(app, world, volunteer_id)
    past = client.post(me + "/pause", data={"until": today().isoformat()}, follow_redirects=True)
    assert "after today" in past.text
    until = today() + timedelta(days=30)
    assert client.post(me + "/pause", data={"until": until.isoformat()}).status_code == 302
    assert _volunteer(app, world, volunteer_id).paused_until == until
    assert "You are on a break until" in client.get(me).text
    assert client.post(me + "/fortsett").status_code == 302
    assert _volunteer(app, world, volunteer_id).paused_at is None


def test_deleting_anonymises_but_the_work_stays(app, world, bank):
    volunteer_id = make_volunteer(bank, "Selam Gebremedhin", certificate_for=("escort",))
    with in_tenant(app, world.tenants["alpha"]):
        need = needs.create(need_values(bank), None)
        (assignment,) = needs.ask(need, [volunteer_id], None)
        needs.answer(assignment, True)
        db.session.commit()
        need_id = need.id
    client, me = _client(app), _me(app, world, volunteer_id)
    assert "Delete your registration" in client.get(me + "/slett").text
    assert client.post(me + "/slett").status_code == 200
    with in_tenant(app, world.tenants["alpha"]):
        volunteer = db.session.get(Volunteer, volunteer_id)
        assert volunteer.anonymised_at is not None
        assert (volunteer.name, volunteer.email, volunteer.phone, volunteer.birth_date) == ("", None, None, None)
        assert db.session.scalars(select(VolunteerLanguage).where(VolunteerLanguage.volunteer_id == volunteer_id)).all() == []
        assert db.session.scalars(select(Vetting).where(Vetting.volunteer_id == volunteer_id)).all() == []
        assignment = db.session.scalar(select(Assignment).where(Assignment.volunteer_id == volunteer_id))
        assert assignment is not None and assignment.status == "withdrawn"
        assert db.session.get(Need, need_id).status == "open"  # the yes is gone, so the need is open again
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "volunteers.anonymised")) is not None
    assert client.get(me).status_code == 404  # the link no longer works


def test_joining_and_leaving_the_regional_pool_and_consenting_again(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Ahmad Al-Sayed")
    client, me = _client(app), _me(app, world, volunteer_id)
    client.post(me + "/region", data={"regional": "1"})
    assert _volunteer(app, world, volunteer_id).regional_consent_at is not None
    client.post(me + "/region", data={"regional": "0"})
    assert _volunteer(app, world, volunteer_id).regional_consent_at is None
    client_as("alpha_coordinator").post("/alpha/volunteers/setup/consent", data={"body": "A new consent text. " * 4})
    page = client.get(me)
    assert "The consent text has changed" in page.text
    client.post(me + "/samtykke", data={"version": "2"})
    assert "The consent text has changed" not in client.get(me).text


def test_a_link_works_only_in_its_own_municipality_and_for_its_purpose(app, world, bank, beta_bank):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    client, me = _client(app), _me(app, world, volunteer_id)
    token = me.rsplit("/", 1)[1]
    assert client.get(f"/beta/frivillig/meg/{token}").status_code == 404
    assert client.get(f"/alpha/frivillig/svar/{token}").status_code == 404  # not an answer link
    assert client.get(f"/alpha/frivillig/meg/{token[:-3]}xyz").status_code == 404
    assert "does not work" in client.get(f"/alpha/frivillig/meg/{token[:-3]}xyz").text


def test_asking_for_a_new_link_gives_the_same_answer_either_way(app, world, bank):
    make_volunteer(bank, "Yonas Tesfay")
    client = _client(app)
    known = client.post("/alpha/frivillig/lenke", data={"email": "Yonas.Tesfay@example.no"})
    unknown = client.post("/alpha/frivillig/lenke", data={"email": "nobody@example.no"})
    assert known.status_code == unknown.status_code == 200
    assert "If the address is in the volunteer bank" in known.text and "If the address is in the volunteer bank" in unknown.text
    (mail,) = messages(app, "volunteer-link")
    assert mail.recipient == "yonas.tesfay@example.no"
    assert client.get(link_in(mail, "/frivillig/meg/")).status_code == 200


def test_a_page_link_sent_before_the_core_signed_links_still_opens(app, world, bank):
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    with in_tenant(app, world.tenants["alpha"]):  # signed as the plugin's own links module did
        volunteer = db.session.get(Volunteer, volunteer_id)
        serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="dugnad-volunteers-me")
        token = serializer.dumps({"t": volunteer.tenant_id, "v": volunteer.id, "n": volunteer.link_version})
    page = _client(app).get(f"/alpha/frivillig/meg/{token}")
    assert page.status_code == 200 and "Hello, Yonas" in page.text
