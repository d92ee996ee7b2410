"""Police certificates by role (politiregisterloven § 39, forskriften § 34-1): only that one
was shown, the date of issue, who checked it and for which role; refused when shown more
than three months after issue; a changed role asks for a new one; the purpose
confirmation is generated from the role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from dugnad.extensions import db
from dugnad.clock import today
from dugnad_volunteers import configuration, matching, needs, vetting
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.models import Vetting, Volunteer
from tests.plugins.volunteers.volunteers_support import bank, in_tenant, make_volunteer, need_values  # noqa: F401


def _coordinator(client_as):
    client = client_as("alpha_coordinator")
    client.post("/language", data={"lang": "en", "next": "/"})
    return client


def _record(client, volunteer_id, role_id, issued, shown=None):
    data = {"vetting-role_id": str(role_id), "vetting-issued_on": issued.isoformat()}
    if shown:
        data["vetting-shown_on"] = shown.isoformat()
    return client.post(f"/alpha/volunteers/{volunteer_id}/vetting", data=data)


def test_recording_stores_only_the_facts_and_who_checked(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    issued = today() - timedelta(days=20)
    answer = _record(_coordinator(client_as), volunteer_id, bank.roles["escort"], issued)
    assert answer.status_code == 302
    with in_tenant(app, world.tenants["alpha"]):
        (record,) = db.session.scalars(select(Vetting)).all()
        assert (record.issued_on, record.shown_on, record.checked_by_name, record.role_id) == (
            issued, today(), "Cora Coordinator", bank.roles["escort"])
    columns = {c.key for c in inspect(Vetting).columns}
    assert columns == {"id", "tenant_id", "volunteer_id", "role_id", "role_revision", "issued_on", "shown_on",
                       "checked_by_id", "checked_by_name", "created_at", "revoked_at"}  # nothing of the document


@pytest.mark.parametrize("issued, shown, message", [
    (1, None, "cannot be in the future"),
    (-100, None, "more than three months before it was shown"),
    (-10, -20, "cannot have been shown before it was issued"),
    (-10, 1, "cannot be in the future"),
])
def test_bad_dates_are_refused_with_a_clear_message(app, world, bank, client_as, issued, shown, message):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    answer = _record(_coordinator(client_as), volunteer_id, bank.roles["escort"], today() + timedelta(days=issued),
                     today() + timedelta(days=shown) if shown is not None else None)
    assert answer.status_code == 422 and message in answer.text
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.scalars(select(Vetting)).all() == []


def test_shown_on_the_last_day_of_three_months_is_accepted_and_the_day_after_is_not(app, world, bank):
    with in_tenant(app, world.tenants["alpha"]), force_locale("en"):
        issued = date(2026, 1, 31)
        assert vetting.last_day_to_show(issued) == date(2026, 4, 30)
        assert vetting.check_dates(issued, date(2026, 4, 30)) == (issued, date(2026, 4, 30))
        with pytest.raises(BankError, match="three months"):
            vetting.check_dates(issued, date(2026, 5, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_three_months_after_is_never_before_and_at_most_92_days_later(day):
    later = vetting.add_months(day, 3)
    assert 89 <= (later - day).days <= 92
    assert later.day <= day.day


def test_a_role_without_a_certificate_rule_refuses_one(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    answer = _record(_coordinator(client_as), volunteer_id, bank.roles["family"], today() - timedelta(days=3))
    assert answer.status_code == 422 and "does not need a police certificate" in answer.text


def test_a_changed_role_asks_for_a_new_certificate(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    with in_tenant(app, world.tenants["alpha"]):
        need = needs.create(need_values(bank), None)
        role = configuration.get_role(bank.roles["escort"])
        assert [s.volunteer.id for s in matching.suggest(need, role).suggestions] == [volunteer_id]
        db.session.commit()
        need_id = need.id
    client = _coordinator(client_as)
    answer = client.post(f"/alpha/volunteers/setup/roles/{bank.roles['escort']}", data={
        "name": "Escort for a minor", "requires_certificate": "y", "works_with": "both",
        "purpose": "Escorting unaccompanied minors and people with intellectual disabilities."}, follow_redirects=True)
    assert "must show a new police certificate" in answer.text
    with in_tenant(app, world.tenants["alpha"]):
        role = configuration.get_role(bank.roles["escort"])
        need = needs.get(need_id)
        assert role.revision == 2
        match = matching.suggest(need, role)
        assert match.suggestions == [] and [n.volunteer_id for n in match.near_misses] == [volunteer_id]
        (state,) = vetting.standing(db.session.get(Volunteer, volunteer_id))
        assert state.state == "role_changed"
    assert "the role has changed since" in client.get(f"/alpha/volunteers/{volunteer_id}").text
    # renaming alone does not
    client.post(f"/alpha/volunteers/setup/roles/{bank.roles['escort']}", data={
        "name": "Escort", "requires_certificate": "y", "works_with": "both",
        "purpose": "Escorting unaccompanied minors and people with intellectual disabilities."})
    with in_tenant(app, world.tenants["alpha"]):
        assert configuration.get_role(bank.roles["escort"]).revision == 2


def test_a_new_certificate_replaces_the_old_one(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    _record(_coordinator(client_as), volunteer_id, bank.roles["escort"], today() - timedelta(days=2))
    with in_tenant(app, world.tenants["alpha"]):
        records = db.session.scalars(select(Vetting).order_by(Vetting.id)).all()
        assert [r.revoked_at is None for r in records] == [False, True]


def test_the_purpose_confirmation_is_generated_from_the_role(app, world, bank, client_as):
    volunteer_id = make_volunteer(bank, "Yonas Tesfay", birth_date=date(1991, 3, 14))
    page = _coordinator(client_as).get(f"/alpha/volunteers/{volunteer_id}/purpose/{bank.roles['escort']}")
    assert page.status_code == 200
    for text in ("Bekreftelse på formål", "Yonas Tesfay", "14.03.1991", "Escort for a minor",
                 "Escorting unaccompanied minors to the GP.", "politiregisterloven § 39 første ledd",
                 "politiregisterforskriften § 34-1", "mindreårige", "innen tre måneder", "Cora Coordinator", "data-print"):
        assert text in page.text, text
    assert _coordinator(client_as).get(f"/alpha/volunteers/{volunteer_id}/purpose/{bank.roles['family']}").status_code == 404


def test_an_approved_volunteer_prints_it_from_their_own_page(app, world, bank):
    from dugnad_volunteers import links

    volunteer_id = make_volunteer(bank, "Yonas Tesfay")
    with in_tenant(app, world.tenants["alpha"]):
        token = links.me_token(db.session.get(Volunteer, volunteer_id))
    client = app.test_client()
    me = client.get(f"/alpha/frivillig/meg/{token}")
    assert f"/alpha/frivillig/meg/{token}/formal/{bank.roles['escort']}" in me.text
    page = client.get(f"/alpha/frivillig/meg/{token}/formal/{bank.roles['escort']}")
    assert page.status_code == 200 and "Bekreftelse på formål" in page.text
    assert client.get(f"/alpha/frivillig/meg/{token}/formal/{bank.roles['family']}").status_code == 404
