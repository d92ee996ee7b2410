"""Matching a need: hard rules first (approved, certificate for the role, language,
qualification), then the ranking (availability, area, wishes, recent load, time since
the last task) — each suggestion saying why it matches and what it lacks."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from dugnad.extensions import db
from dugnad.clock import today
from dugnad_volunteers import configuration, matching, needs
from dugnad_volunteers.models import Qualification
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    ALL_WEEK,
    bank,
    in_tenant,
    make_volunteer,
    need_values,
    next_weekday,
)

THURSDAY_MORNING = 1 << (3 * 3 + 0)


def _match(app, world, bank, **changes):
    with in_tenant(app, world.tenants["alpha"]), force_locale("en"):
        need = needs.create(need_values(bank, **changes), None)
        db.session.commit()
        match = matching.suggest(need, configuration.get_role(need.role_id))
        names = [s.volunteer.name for s in match.suggestions]
        near = {n.name: n.lacks for n in match.near_misses}
        explained = {s.volunteer.name: (s.matches, s.lacks) for s in match.suggestions}
        return names, near, explained, match.eligible


def test_hard_rules_leave_out_everyone_who_fails_one(app, world, bank):
    make_volunteer(bank, "Fits Everything", certificate_for=("escort",))
    make_volunteer(bank, "Not Approved", status="pending", certificate_for=("escort",))
    make_volunteer(bank, "No Certificate")
    make_volunteer(bank, "Weak Tigrinya", languages=(("ti", 2),), certificate_for=("escort",))
    make_volunteer(bank, "No Tigrinya", languages=(("ar", 4),), certificate_for=("escort",))
    make_volunteer(bank, "On A Break", paused=True, certificate_for=("escort",))
    make_volunteer(bank, "Break Is Over", paused_until=today(), certificate_for=("escort",))
    make_volunteer(bank, "Break Ends Later", paused_until=today() + timedelta(days=60), certificate_for=("escort",))
    names, near, _explained, eligible = _match(app, world, bank)
    assert sorted(names) == ["Break Is Over", "Fits Everything"] and eligible == 2
    assert near["No Certificate"] == ["No valid police certificate for “Escort for a minor”"]
    assert near["Weak Tigrinya"] == ["Speaks Tigrinya only at level “Good”"]
    assert "No Tigrinya" not in near and "Not Approved" not in near


def test_a_role_without_the_certificate_rule_and_no_language_lets_more_in(app, world, bank):
    make_volunteer(bank, "Arabic Speaker", languages=(("ar", 4),), wants=("family",))
    make_volunteer(bank, "Tigrinya Speaker", wants=("family",))
    names, near, _e, _n = _match(app, world, bank, role_id=bank.roles["family"], language=None)
    assert sorted(names) == ["Arabic Speaker", "Tigrinya Speaker"] and near == {}


def test_a_required_qualification_must_be_valid_on_the_day(app, world, bank):
    valid = make_volunteer(bank, "Valid Course", wants=("family",))
    expires = make_volunteer(bank, "Expires Before", wants=("family",))
    make_volunteer(bank, "No Course", wants=("family",))
    starts = next_weekday(3, 10)
    with in_tenant(app, world.tenants["alpha"]):
        db.session.add(Qualification(volunteer_id=valid, kind="first_aid", valid_until=starts.date()))
        db.session.add(Qualification(volunteer_id=expires, kind="first_aid", valid_until=starts.date() - timedelta(days=1)))
        db.session.commit()
    names, near, _e, _n = _match(app, world, bank, role_id=bank.roles["family"], language=None, qualification="first_aid",
                                 starts_at=starts)
    assert names == ["Valid Course"]
    assert near["Expires Before"] == ["No valid first aid course"] and "No Course" in near


def test_the_ranking_prefers_the_free_the_local_the_willing_and_the_rested(app, world, bank):
    make_volunteer(bank, "Not Free Then", availability=ALL_WEEK & ~THURSDAY_MORNING, certificate_for=("escort",))
    make_volunteer(bank, "Other Area", areas=("harbour",), certificate_for=("escort",))
    make_volunteer(bank, "Does Not Want It", wants=("language",), certificate_for=("escort",))
    make_volunteer(bank, "Perfect", certificate_for=("escort",), last_task_on=today() - timedelta(days=90))
    make_volunteer(bank, "Perfect And Waited Longer", certificate_for=("escort",), last_task_on=today() - timedelta(days=200))
    make_volunteer(bank, "Perfect Never Asked", certificate_for=("escort",))
    make_volunteer(bank, "Anywhere", areas=(), anywhere=True, certificate_for=("escort",), last_task_on=today() - timedelta(days=5))
    names, _near, explained, _n = _match(app, world, bank)
    assert names[:4] == ["Perfect Never Asked", "Perfect And Waited Longer", "Perfect", "Anywhere"]
    # free then (3) weighs more than the area (2) or the wish (2); then the order they joined
    assert names[4:] == ["Other Area", "Does Not Want It", "Not Free Then"]
    matches, lacks = explained["Perfect"]
    assert "Usually free on Thursday morning" in matches
    assert "Speaks Tigrinya: Mother tongue" in matches
    assert any(m.startswith("Police certificate for this role, shown") for m in matches)
    assert "Can help in this area" in matches and "Wants to do this kind of task" in matches
    assert any(m.startswith("Last task ") for m in matches) and lacks == []
    assert "Has not said they are free on Thursday morning" in explained["Not Free Then"][1]
    assert "Prefers other areas: Harbour" in explained["Other Area"][1]
    assert "Has not chosen this kind of task" in explained["Does Not Want It"][1]
    assert "Can help anywhere in the municipality" in explained["Anywhere"][0]
    assert "Has not had a task yet" in explained["Perfect Never Asked"][0]
    assert "Also speaks: Norwegian (fluent)" in explained["Perfect"][0]


def test_recent_tasks_and_a_clash_count_against(app, world, bank):
    busy = make_volunteer(bank, "Booked Then", certificate_for=("escort",))
    loaded = make_volunteer(bank, "Two Tasks This Month", certificate_for=("escort",))
    make_volunteer(bank, "Free Of Tasks", certificate_for=("escort",))
    starts = next_weekday(3, 10)
    with in_tenant(app, world.tenants["alpha"]):
        for offset, who in ((0, busy), (3, loaded), (5, loaded)):
            other = needs.create(need_values(bank, title=f"Other {offset}", role_id=bank.roles["family"], language=None,
                                             starts_at=starts + timedelta(days=offset)), None)
            (assignment,) = needs.ask(other, [who], None)
            needs.answer(assignment, True)
        db.session.commit()
    names, _near, explained, _n = _match(app, world, bank, starts_at=starts)
    assert names == ["Free Of Tasks", "Two Tasks This Month", "Booked Then"]
    assert "2 tasks in the month around this one" in explained["Two Tasks This Month"][1]
    assert "Already has a task at that time" in explained["Booked Then"][1]
    assert "No other tasks in the month around this one" in explained["Free Of Tasks"][0]


def test_those_already_asked_are_not_suggested_again(app, world, bank):
    asked = make_volunteer(bank, "Already Asked", certificate_for=("escort",))
    make_volunteer(bank, "Not Yet", certificate_for=("escort",))
    with in_tenant(app, world.tenants["alpha"]):
        need = needs.create(need_values(bank), None)
        needs.ask(need, [asked], None)
        db.session.commit()
        names = [s.volunteer.name for s in matching.suggest(need, configuration.get_role(need.role_id)).suggestions]
    assert names == ["Not Yet"]


def test_the_match_page_shows_why_and_its_query_count_does_not_grow(app, world, bank, client_as, queries):
    for i in range(3):
        make_volunteer(bank, f"Volunteer {i}", certificate_for=("escort",))
    make_volunteer(bank, "Near Miss 0")
    with in_tenant(app, world.tenants["alpha"]):
        need = needs.create(need_values(bank), None)
        db.session.commit()
        need_id = need.id
    client = client_as("alpha_coordinator")
    client.post("/language", data={"lang": "en", "next": "/"})
    client.get(f"/alpha/volunteers/needs/{need_id}")
    queries.statements.clear()
    page = client.get(f"/alpha/volunteers/needs/{need_id}")
    assert page.status_code == 200
    assert "Usually free on Thursday morning" in page.text and "Volunteer 2" in page.text
    assert "1 more would match, but lacks something" in page.text and "Near Miss 0" in page.text
    few = queries.count
    for i in range(3, 40):
        make_volunteer(bank, f"Volunteer {i}", certificate_for=("escort",), last_task_on=today() - timedelta(days=i))
        make_volunteer(bank, f"Near Miss {i}")
    queries.statements.clear()
    page = client.get(f"/alpha/volunteers/needs/{need_id}")
    assert "40 volunteers meet the rules" in page.text and f"The best {matching.SUGGESTIONS} are shown." in page.text
    assert queries.count == few, queries.statements
