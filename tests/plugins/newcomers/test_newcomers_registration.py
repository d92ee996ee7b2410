"""A newcomer registers on the public page — phone first, in five languages, Arabic right
to left — confirms by e-mail and later sees, corrects, downloads or deletes their data
through a link. Bad input gets a clear message at its field and saves nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from dugnad.sdk import db, today
from dugnad_newcomers.models import ChecklistItem, ConsentText, FollowUp, Household, Member
from tests.plugins.newcomers.newcomers_support import form_data, in_tenant, link_in, make_household, outbox


def _post(client, slug="alpha", lang=None, **overrides):
    url = f"/{slug}/ny-her/" + (f"?lang={lang}" if lang else "")
    return client.post(url, data=form_data(**overrides))


def _count(app, world, model=Household, slug="alpha") -> int:
    with in_tenant(app, world.tenants[slug]):
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_newcomer_registers_confirms_and_gets_a_checklist_and_follow_ups(app, world):
    client = app.test_client()
    page = client.get("/alpha/ny-her/")
    assert page.status_code == 200 and "Welcome to Alfa" in page.text or "Velkommen til Alfa" in page.text
    answer = _post(client)
    assert answer.status_code == 302 and "/alpha/ny-her/takk" in answer.location
    with in_tenant(app, world.tenants["alpha"]):
        household = db.session.scalar(select(Household))
        assert household.status == "unconfirmed" and household.phone == "91234567"
        assert household.email == "olena@example.no" and household.help_wanted == ["kindergarten", "partner_job"]
        consent = db.session.get(ConsentText, household.consent_text_id)
        assert consent.version == 1 and household.consented_at is not None
        ages = sorted(m.age for m in db.session.scalars(select(Member).where(Member.kind == "child")))
        assert ages == [4, 9]
    confirm = outbox(app, world.tenants["alpha"], "newcomers.confirm")
    assert len(confirm) == 1
    path = link_in(confirm[0], "/alpha/ny-her/bekreft/")
    assert client.get(path).status_code == 200
    done = client.post(path, data={})
    assert done.status_code == 200 and "confirmed" in done.text.lower() or "stadfest" in done.text.lower() or "bekreftet" in done.text.lower()
    with in_tenant(app, world.tenants["alpha"]):
        household = db.session.scalar(select(Household))
        assert household.status == "active"
        assert db.session.scalar(select(func.count()).select_from(ChecklistItem)) == 9
        due = sorted((f.month, f.due_on) for f in db.session.scalars(select(FollowUp)))
        assert [m for m, _ in due] == [3, 6, 12, 24]
        assert due[0][1] > household.arrival_date + timedelta(days=85)
    # a replayed confirmation link changes nothing and says so
    again = client.post(path, data={})
    assert again.status_code == 200
    assert _count(app, world, FollowUp) == 4


def test_arabic_is_right_to_left_and_ukrainian_is_offered(app, world):
    client = app.test_client()
    arabic = client.get("/alpha/ny-her/?lang=ar")
    assert arabic.status_code == 200
    assert 'lang="ar"' in arabic.text and 'dir="rtl"' in arabic.text
    assert "مرحبا" in arabic.text  # the heading in Arabic
    ukrainian = client.get("/alpha/ny-her/?lang=uk")
    assert 'lang="uk"' in ukrainian.text and 'dir="ltr"' in ukrainian.text and "Ласкаво просимо" in ukrainian.text
    answer = _post(client, lang="ar", email="layla@example.no", phone="+47 923 45 678", name="Layla")
    assert answer.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.scalar(select(Household.locale)) == "ar"


def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(app, world):
    client = app.test_client()
    cases = [
        ({"email": "", "phone": ""}, "phone", "reach you"),
        ({"arrival_date": (today() + timedelta(days=10)).isoformat()}, "arrival_date", "future"),
        ({"arrival_date": "1990-05-01"}, "arrival_date", "years ago"),
        ({"children": "4, ni"}, "children", "is not an age"),
        ({"children": "4, 19"}, "children", "adult"),
        ({"consent": None}, "consent", "agree"),
        ({"reason": ""}, "reason", "why"),
        ({"email": "not-an-address"}, "email", "valid e-mail"),
    ]
    for overrides, field, words in cases:
        answer = client.post("/alpha/ny-her/?lang=en", data=form_data(**overrides))
        assert answer.status_code == 422, overrides
        assert f'id="{field}-error"' in answer.text or f'id="{field}-0"' in answer.text, (overrides, field)
        assert words.lower() in answer.text.lower(), (overrides, words)
        assert 'value="Olena Kovalenko"' in answer.text  # what was typed is kept
    assert _count(app, world) == 0 and _count(app, world, Member) == 0


def test_a_duplicate_household_is_refused_and_sent_a_link(app, world):
    client = app.test_client()
    assert _post(client).status_code == 302
    again = _post(client, phone="", lang="en")
    assert again.status_code == 422 and "already registered" in again.text
    by_phone = _post(client, email="other@example.no", phone="0047 91234567", lang="en")
    assert by_phone.status_code == 422 and "already registered" in by_phone.text
    assert _count(app, world) == 1
    # the same address in another municipality is another household
    assert _post(client, slug="beta").status_code == 302


def test_the_household_sees_corrects_exports_and_deletes_by_link(app, world):
    household_id = make_household(app, world.tenants["alpha"], "Maria Nowak")
    from dugnad_newcomers import links

    with in_tenant(app, world.tenants["alpha"]):
        token = links.me_token(db.session.get(Household, household_id))
    client = app.test_client()
    page = client.get(f"/alpha/ny-her/meg/{token}?lang=en")
    assert page.status_code == 200 and 'value="Maria Nowak"' in page.text
    fixed = client.post(f"/alpha/ny-her/meg/{token}?lang=en", data=form_data(
        name="Maria Nowak", email="maria.nowak@example.no", phone="", children="2", help_wanted=["gp"]))
    assert fixed.status_code == 302
    bad = client.post(f"/alpha/ny-her/meg/{token}?lang=en", data=form_data(name="Maria Nowak", children="two"))
    assert bad.status_code == 422 and "is not an age" in bad.text
    exported = client.get(f"/alpha/ny-her/meg/{token}/data.json")
    assert exported.status_code == 200 and exported.json["members"][-1] == {"kind": "child", "age": 2}
    assert exported.json["consent"]["version"] == 1
    deleted = client.post(f"/alpha/ny-her/meg/{token}/slett?lang=en", data={})
    assert deleted.status_code == 200
    with in_tenant(app, world.tenants["alpha"]):
        household = db.session.get(Household, household_id)
        assert household.anonymised_at is not None and household.email is None and household.name == ""
    # the replayed link opens nothing
    assert client.get(f"/alpha/ny-her/meg/{token}").status_code == 404
    assert client.post(f"/alpha/ny-her/meg/{token}/slett", data={}).status_code == 404


def test_a_link_of_another_municipality_opens_nothing(app, world):
    household_id = make_household(app, world.tenants["alpha"], "Maria Nowak")
    from dugnad_newcomers import links

    with in_tenant(app, world.tenants["alpha"]):
        token = links.me_token(db.session.get(Household, household_id))
    assert app.test_client().get(f"/beta/ny-her/meg/{token}").status_code == 404


def test_a_new_consent_version_applies_to_new_registrations_and_old_ones_keep_theirs(app, world, client_as):
    make_household(app, world.tenants["alpha"], "Maria Nowak")
    admin = client_as("alpha_admin")
    assert admin.get("/alpha/newcomers/consent").status_code == 200
    empty = admin.post("/alpha/newcomers/consent", data={"body": "  "})
    assert empty.status_code == 422
    assert admin.post("/alpha/newcomers/consent", data={"body": "Ny tekst.\n\nAndre avsnitt."}).status_code == 302
    # a form opened on the old version is asked to read the new one
    stale = app.test_client().post("/alpha/ny-her/?lang=en", data={**form_data(), "consent_version": "1"})
    assert stale.status_code == 422 and "has changed" in stale.text
    assert _post(app.test_client(), consent_version="2").status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        versions = {h.name: db.session.get(ConsentText, h.consent_text_id).version
                    for h in db.session.scalars(select(Household))}
    assert versions == {"Maria Nowak": 1, "Olena Kovalenko": 2}
