"""The volunteer bank end to end in Chromium, axe on every page: a volunteer registers on a
phone, confirms by the e-mailed link; the coordinator approves, records the police
certificate, registers a need and asks the match; the volunteer says yes by link."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.clock import today
from tests.conftest import PASSWORD, PEOPLE
from tests.plugins.volunteers.volunteers_support import next_weekday, set_up_bank

PHONE = {"width": 375, "height": 740}


def _link(app, kind: str, part: str) -> str:
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                     .order_by(OutboxMessage.id.desc())).first()
        assert message is not None, f"no {kind} e-mail"
        url = next(u for u in re.findall(r"https?://\S+", message.body) if part in u)
        return re.sub(r"^https?://[^/]+", "", url)


def _click(person, name: str) -> None:
    person.page.get_by_role("button", name=name).click()
    person.page.wait_for_load_state("networkidle")
    person.check()


def test_register_on_a_phone_approve_match_and_accept_by_link(visitor, app, world):
    with app.app_context():
        set_up_bank(world.tenants["alpha"])

    # a volunteer registers on a phone
    volunteer = visitor(viewport=PHONE)
    page = volunteer.page
    volunteer.go("/alpha/frivillig/")
    page.get_by_label("Your name").fill("Yonas Tesfay")
    page.get_by_label("Mobile number").fill("912 34 567")
    page.get_by_label("E-mail", exact=True).fill("yonas@example.no")
    page.get_by_label("Date of birth").fill("1991-03-14")
    page.get_by_role("button", name="Next: What you can do").click()
    page.get_by_label("Tigrinya", exact=True).check()
    page.get_by_label("How well (Tigrinya)").select_option("4")
    page.get_by_label("Norwegian", exact=True).check()
    page.get_by_label("How well (Norwegian)").select_option("3")
    page.get_by_label("Escort for a minor").check()
    page.get_by_role("button", name="Next: When and where").click()
    page.get_by_label("Thursday morning").check()
    page.get_by_label("Centre").check()
    page.get_by_role("button", name="Next: Consent").click()
    page.get_by_label("I have read the consent text and agree").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sideways on a phone
    _click(volunteer, "Register")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your e-mail"

    volunteer.go(_link(app, "volunteer-confirm", "/frivillig/bekreft/"))
    _click(volunteer, "Confirm my address")
    assert "your address is confirmed" in page.locator("main").inner_text()

    # the coordinator approves and records the police certificate
    coordinator = visitor()
    coordinator.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    desk = coordinator.page
    coordinator.go("/alpha/volunteers/review")
    desk.get_by_role("link", name="Yonas Tesfay").click()
    desk.wait_for_load_state("networkidle")
    coordinator.check()
    desk.get_by_label("Decision").select_option("approve")
    _click(coordinator, "Save the decision")
    assert "Yonas Tesfay is approved." in desk.locator("#flash-region").inner_text()
    coordinator.go("/alpha/volunteers/")
    desk.get_by_role("link", name="Yonas Tesfay").click()
    desk.wait_for_load_state("networkidle")
    desk.get_by_label("Date of issue on the certificate").fill((today() - timedelta(days=20)).isoformat())
    _click(coordinator, "Record that it was shown")
    assert "Recorded that the certificate was shown" in desk.locator("#flash-region").inner_text()

    # a need: an unaccompanied minor to the GP, Tigrinya, Thursday 10:00
    coordinator.go("/alpha/volunteers/needs/new")
    starts = next_weekday(3, 10)
    desk.get_by_label("What is needed").fill("Escort to the GP")
    desk.get_by_label("Kind of task").select_option(label="Escort for a minor")
    desk.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_label("Ends").fill((starts + timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_label("Language needed").select_option("ti")
    desk.get_by_label("How well").select_option("3")
    _click(coordinator, "Save and find volunteers")
    match = desk.locator("#match-heading").locator("xpath=..").inner_text()
    assert "Yonas Tesfay" in match and "Usually free on Thursday morning" in match
    assert "Police certificate for this role, shown" in match
    assert desk.get_by_label(re.compile("^Yonas Tesfay")).is_checked()
    _click(coordinator, "Ask the chosen volunteers by e-mail")
    assert "Asked 1 by e-mail" in desk.locator("#flash-region").inner_text()

    # the volunteer says yes by the link, on the phone
    volunteer.go(_link(app, "volunteer-request", "/frivillig/svar/"))
    assert "Escort to the GP" in page.get_by_role("heading", level=1).inner_text()
    _click(volunteer, "Yes, I can")
    assert "You have said yes" in page.locator("main").inner_text()

    need_path = re.sub(r"^https?://[^/]+", "", desk.url.split("#")[0])
    coordinator.go(need_path)
    assert "Filled" in desk.locator("main").inner_text() and "Said yes" in desk.locator("main").inner_text()
    assert len(volunteer.checked) >= 5 and len(coordinator.checked) >= 8


def test_every_page_of_the_bank_passes_axe(visitor, app, world):
    from dugnad.tenancy import tenant_context
    from dugnad.clock import utcnow
    from dugnad_volunteers import links, needs, organisations, warmth
    from dugnad_volunteers.models import Assignment, EventInvitation, Volunteer
    from tests.plugins.volunteers.volunteers_support import make_volunteer, need_values

    with app.app_context():
        bank = set_up_bank(world.tenants["alpha"])
        neighbours = set_up_bank(world.tenants["beta"])
    bank.app = neighbours.app = app
    yonas = make_volunteer(bank, "Yonas Tesfay", certificate_for=("escort",))
    make_volunteer(bank, "Selam Gebremedhin")  # a near miss: no certificate
    make_volunteer(bank, "Per Olav Berg", idle_since=today(), last_active_at=utcnow() - timedelta(days=200))
    minor = make_volunteer(bank, "Lina Johansen", status="pending", birth_date=today() - timedelta(days=16 * 366),
                           guardian_name="Hege Johansen", guardian_email="hege@example.no")
    make_volunteer(neighbours, "Helga Berg", regional=True, languages=(("uk", 4),))
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        need = needs.create(need_values(bank), None)
        other = needs.create(need_values(bank, title="Escort to the dentist"), None)
        (assignment,) = needs.ask(other, [yonas], None)
        event = warmth.create_event({"title": "Volunteer café", "kind": "social", "starts_at": next_weekday(4, 18),
                                     "ends_at": next_weekday(4, 20)}, None)
        invitation = EventInvitation(event_id=event.id, volunteer_id=yonas)
        db.session.add(invitation)
        organisation = organisations.create({"name": "Red Cross", "activities": "Refugee guide", "target_groups": ["refugees"]})
        db.session.flush()
        person = db.session.get(Volunteer, yonas)
        tokens = {"me": links.me_token(person), "answer": links.make("answer", a=assignment.id, v=yonas),
                  "event": links.make("event", i=invitation.id, v=yonas),
                  "guardian": links.make("guardian", v=minor, g="hege@example.no")}
        ids = {"need": need.id, "event": event.id, "organisation": organisation.id}
        db.session.commit()
        assert db.session.get(Assignment, assignment.id).status == "asked"

    coordinator = visitor()
    coordinator.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    for path in ("/alpha/volunteers/", "/alpha/volunteers/?idle=1", "/alpha/volunteers/review", f"/alpha/volunteers/{yonas}",
                 f"/alpha/volunteers/{minor}", f"/alpha/volunteers/{yonas}/edit",
                 f"/alpha/volunteers/{yonas}/purpose/{bank.roles['escort']}", "/alpha/volunteers/widget",
                 "/alpha/volunteers/needs/", "/alpha/volunteers/needs/?show=past", "/alpha/volunteers/needs/new",
                 f"/alpha/volunteers/needs/{ids['need']}", f"/alpha/volunteers/needs/{ids['need']}/edit",
                 "/alpha/volunteers/events/", "/alpha/volunteers/events/new", f"/alpha/volunteers/events/{ids['event']}",
                 f"/alpha/volunteers/events/{ids['event']}/edit", "/alpha/volunteers/organisations/",
                 "/alpha/volunteers/organisations/new", f"/alpha/volunteers/organisations/{ids['organisation']}",
                 f"/alpha/volunteers/organisations/{ids['organisation']}/edit", "/alpha/volunteers/setup",
                 "/alpha/volunteers/setup/roles/new", f"/alpha/volunteers/setup/roles/{bank.roles['escort']}",
                 "/alpha/volunteers/setup/consent", "/alpha/volunteers/pool", "/alpha/"):
        coordinator.go(path)
    page = coordinator.page
    coordinator.go(f"/alpha/volunteers/needs/{ids['need']}")
    assert "2 more would match, but lack something" in page.locator("main").inner_text()  # no certificate
    coordinator.go("/alpha/volunteers/pool")
    page.get_by_text("Ask Helga").click()
    page.get_by_role("button", name="Send").click()  # empty: refused, with the field marked
    page.wait_for_load_state("networkidle")
    coordinator.check()
    assert "Write what you need help with" in page.locator("main").inner_text()

    region = visitor()
    region.login(PEOPLE["region"][0], PASSWORD)
    region.go("/region/volunteers/")

    person = visitor(viewport=PHONE)
    for path in ("/alpha/frivillig/lenke", "/alpha/frivillig/takk", f"/alpha/frivillig/meg/{tokens['me']}",
                 f"/alpha/frivillig/meg/{tokens['me']}/endre", f"/alpha/frivillig/meg/{tokens['me']}/slett",
                 f"/alpha/frivillig/meg/{tokens['me']}/formal/{bank.roles['escort']}",
                 f"/alpha/frivillig/svar/{tokens['answer']}", f"/alpha/frivillig/arrangement/{tokens['event']}",
                 f"/alpha/frivillig/verge/{tokens['guardian']}"):
        person.go(path)
    person.page.goto(person.base + "/alpha/frivillig/meg/not-a-token")
    person.check()
    assert "does not work" in person.page.locator("main").inner_text()
    person.go("/alpha/frivillig/")
    for step in ("What you can do", "When and where", "Consent"):  # nothing filled in
        person.page.get_by_role("button", name=f"Next: {step}").click()
    person.page.get_by_role("button", name="Register").click()
    person.page.wait_for_load_state("networkidle")
    person.check()
    assert person.page.locator("#error-summary").is_visible()
    assert person.page.get_by_label("Your name").is_visible()  # the first step with an error is open


PHONE_390 = {"width": 390, "height": 844}
# Before the steps and the ticks, the form was 6.6 screens of a 390 × 844 phone (5,554 px) with
# eight dropdowns for languages; now a step is at most about two screens, and all of it at once
# (without JavaScript) under five.
MOST_SCREENS_A_STEP, MOST_SCREENS_WITHOUT_SCRIPTS = 2.2, 5.0


def _screens(page) -> float:
    return page.evaluate("document.documentElement.scrollHeight") / PHONE_390["height"]


def test_registration_is_short_steps_on_a_phone(visitor, app, world):
    with app.app_context():
        set_up_bank(world.tenants["alpha"])
    volunteer = visitor(viewport=PHONE_390)
    page = volunteer.page
    volunteer.go("/alpha/frivillig/")
    steps = ["Who you are", "What you can do", "When and where", "Consent"]
    heights = []
    for n, name in enumerate(steps, start=1):
        shown = page.locator("section.vol-step:visible")
        assert shown.count() == 1 and f"Step {n} of 4: {name}" in shown.locator("h2").inner_text().replace("\n", " ")
        heights.append(_screens(page))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
        if n == 2:
            assert page.locator("main select:visible").count() == 0  # no dropdowns until a language is ticked
            page.get_by_label("Find a language").fill("tigr")
            assert page.locator(".vol-language:visible > label.ds-label").all_inner_texts() == ["Tigrinya"]
            page.get_by_label("Tigrinya", exact=True).check()
            page.get_by_label("How well (Tigrinya)").select_option("4")
            page.get_by_label("Find a language").fill("")
        volunteer.check()
        if n < len(steps):
            page.get_by_role("button", name=f"Next: {steps[n]}").click()
    assert max(heights) <= MOST_SCREENS_A_STEP, heights

    # the consent missing: back at the step with the error, everything typed still there
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()
    page.get_by_label("Your name").fill("Yonas Tesfay")
    page.get_by_label("Mobile number").fill("912 34 567")
    page.get_by_label("E-mail", exact=True).fill("yonas@example.no")
    page.get_by_label("Date of birth").fill("1991-03-14")
    page.get_by_role("button", name="Next: What you can do").click()
    page.get_by_role("button", name="Next: When and where").click()
    page.get_by_role("button", name="Next: Consent").click()
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state("networkidle")
    volunteer.check()
    assert page.locator("section.vol-step:visible h2").inner_text().endswith("Consent")
    page.locator("#error-summary a").first.click()
    assert page.get_by_label("I have read the consent text and agree").is_visible()
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()
    assert page.get_by_label("Tigrinya", exact=True).is_checked()
    assert page.get_by_label("How well (Tigrinya)").input_value() == "4"
    page.get_by_role("button", name="Back").click()
    assert page.get_by_label("Your name").input_value() == "Yonas Tesfay"


def test_registration_works_in_one_page_without_javascript(browser, live_server, app, world):
    from tests.browser.conftest import Visitor

    with app.app_context():
        set_up_bank(world.tenants["alpha"])
    context = browser.new_context(viewport=PHONE_390, locale="en-GB", java_script_enabled=False)
    try:
        page = Visitor(context, live_server).page
        page.goto(live_server + "/alpha/frivillig/")
        assert page.locator("section.vol-step:visible").count() == 4  # every step at once
        assert page.get_by_role("button", name="Next: What you can do").count() == 0  # no dead buttons
        assert _screens(page) <= MOST_SCREENS_WITHOUT_SCRIPTS
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
        page.get_by_label("Your name").fill("Yonas Tesfay")
        page.get_by_label("Mobile number").fill("912 34 567")
        page.get_by_label("E-mail", exact=True).fill("yonas@example.no")
        page.get_by_label("Date of birth").fill("1991-03-14")
        page.get_by_text("More languages").click()
        page.get_by_label("Amharic", exact=True).check()  # a "how well" shows beside it, by CSS alone
        page.get_by_label("I have read the consent text and agree").check()
        page.get_by_role("button", name="Register").click()
        page.wait_for_load_state("networkidle")
        assert "Say how well you speak Amharic." in page.locator("#error-summary").inner_text()
        assert page.get_by_label("Amharic", exact=True).is_checked() and page.get_by_label("Your name").input_value() == "Yonas Tesfay"
        page.get_by_label("How well (Amharic)").select_option("2")
        page.get_by_label("Language help").check()
        page.get_by_label("Anywhere in the municipality").check()
        page.get_by_label("Thursday evening").check()
        page.get_by_role("button", name="Register").click()
        page.wait_for_load_state("networkidle")
        problems = page.locator("#error-summary").all_inner_texts()
        assert page.get_by_role("heading", level=1).inner_text() == "Check your e-mail", problems
    finally:
        context.close()
