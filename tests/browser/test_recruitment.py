"""Recruitment tracks end to end in Chromium, axe on every page: the coordinator designs a track
from the template with a persona and a 3 days / 3 weeks / 3 months plan, opens a place, adds a
candidate and moves them from mapping to a temporary job with NAV funding, sees the warning
that the wage subsidy steps down soon, and asks the volunteer bank for a mentor."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from dugnad.sdk import today
from tests.conftest import PASSWORD
from tests.plugins.recruitment.recruitment_support import pilot  # noqa: F401
from tests.plugins.volunteers.volunteers_support import set_up_bank


def _submit(person, name: str) -> None:
    person.page.get_by_role("button", name=name).click()
    person.page.wait_for_load_state("networkidle")
    person.check()


def test_design_a_track_open_a_place_and_fund_a_candidate(visitor, app, world, pilot):
    with app.app_context():
        set_up_bank(world.tenants["alpha"])  # the volunteer bank is on here, with its kinds of task
    coordinator = visitor()
    page = coordinator.page
    coordinator.login("recruiter@alpha.test", PASSWORD)

    # design: a persona in target group D, then a track from the template
    coordinator.go("/alpha/recruitment/design/")
    page.get_by_text("Write a persona").click()
    page.locator("#persona-target_group_id").select_option(label="Voksne innvandrere med høy utdanning")
    page.locator("#persona-name").fill("Nadia")
    page.locator("#persona-story").fill("Nadia was an accountant in Iraq and has lived here for four years.")
    _submit(coordinator, "Add the persona")
    assert "Nadia was an accountant" in page.content()
    page.get_by_text("Start a track from the template").click()
    page.get_by_label("Name of the track").fill("Simple jobs at the health centre")
    page.get_by_label("Which of the four tracks").select_option("simple_jobs")
    page.locator("#track-target_group_id").select_option(label="Voksne innvandrere med høy utdanning")
    _submit(coordinator, "Start the track")
    assert page.get_by_role("heading", level=1).inner_text() == "Simple jobs at the health centre"
    assert "Nadia" in page.content()

    # a solution with its plan: the lines become activities of the design process
    page.get_by_label("Solution", exact=True).fill("Service assistant")
    page.get_by_label("Who does what").fill("HR writes the job; the unit leader picks the tasks.")
    page.get_by_label("The first 3 days").fill("The leader fills in the worksheet")
    page.get_by_label("The first 3 weeks").fill("Job description ready")
    page.get_by_label("The first 3 months").fill("First candidate in practice")
    _submit(coordinator, "Add the solution")
    assert "First candidate in practice" in page.content()
    page.get_by_role("link", name="The design process").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()

    # open a place that started five and a half months ago, for a year
    coordinator.go("/alpha/recruitment/")
    page.get_by_role("link", name="Simple jobs at the health centre").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    page.get_by_role("link", name="Open a place").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    page.get_by_label("Unit").fill("Asker helsehus")
    page.get_by_label("Title of the place").fill("Service assistant")
    page.get_by_label("Kind of place").select_option("temporary")
    page.get_by_label("Starts on").fill((today() - timedelta(days=170)).isoformat())
    page.get_by_label("Length in months").fill("12")
    page.get_by_label("Leader", exact=True).select_option(label="Leif Leder")
    page.get_by_label("Monthly wage cost").fill("40000")
    _submit(coordinator, "Open the place")
    assert "The place in Asker helsehus is open." in page.content()

    # a candidate, placed, moved from mapping to a temporary job (a skip: with a reason), funded by NAV
    page.get_by_role("link", name="Add a candidate").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    page.get_by_label("Name", exact=True).fill("Ahmad Karimi")
    page.get_by_label("Legal basis").select_option("consent")
    page.get_by_label("Consent given on").fill(today().isoformat())
    _submit(coordinator, "Save")
    assert page.get_by_role("heading", level=1).inner_text() == "Ahmad Karimi"
    page.get_by_label("Place", exact=True).select_option(label="Asker helsehus: Service assistant")
    _submit(coordinator, "Place the candidate")
    page.get_by_label("New stage").select_option("temporary")
    _submit(coordinator, "Move the candidate")
    assert "skips a stage: say why" in page.content()  # refused, with the choice kept
    page.get_by_label("Reason").fill("Engineer with Norwegian at B2: straight to a temporary job")
    _submit(coordinator, "Move the candidate")
    assert "Ahmad Karimi is now at “Temporary job”." in page.content()
    page.get_by_text("Add funding").click()
    page.locator("select[name$='-rule_id']").select_option(label="Midlertidig lønnstilskudd 40 %")
    _submit(coordinator, "Add the funding")
    warning = page.locator(".ds-alert[data-color='warning']").first.inner_text()
    assert "The funding steps down from 40 % to 30 %" in warning
    page.get_by_text("What the placement costs the unit, month by month").click()
    assert "16000" in page.content()  # NAV's 40 % of 40,000 in a whole month

    # no mentor among the colleagues: ask the volunteer bank through the core's handoffs
    record = page.url.split("#")[0].replace(coordinator.base, "")
    page.get_by_role("link", name="Volunteers for a task").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    starts = datetime.combine(today() + timedelta(days=7), time(10))
    page.get_by_label("What the volunteers will do").fill("Mentor in work practice")
    page.get_by_label("Kind of task").select_option(label="Language help")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("How many volunteers").fill("1")
    page.get_by_label("What is the help for?").fill("A mentor an hour a week for a new service assistant.")
    _submit(coordinator, "Send the request")
    coordinator.go(record)
    panel = page.locator(".handoffs-panel").inner_text()
    assert "A mentor an hour a week for a new service assistant." in panel
