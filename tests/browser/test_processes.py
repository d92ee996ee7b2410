"""A coordinator runs a BLT process in Chromium: start, shape a phase, plan, move
forward and back, read the timeline, open the printable overview — axe on every page."""

from datetime import date, timedelta

from tests.conftest import PASSWORD, PEOPLE


def test_a_coordinator_runs_a_blt_process(visitor, world):
    person = visitor()
    person.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    page = person.page
    person.go("/alpha/processes/")
    page.get_by_role("link", name="Start a process").click()
    page.wait_for_load_state("networkidle")
    person.check()
    blt = page.get_by_role("region", name="Behov – Løsning – Test (BLT)")
    blt.get_by_label("Name of the process").fill("Welcoming newcomers")
    page.get_by_role("button", name="Start “Behov – Løsning – Test (BLT)”").click()
    page.wait_for_load_state("networkidle")
    person.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Welcoming newcomers"
    overview_url = page.url

    # shape: edit the first phase's desired result
    page.get_by_role("link", name="Phases and details").click()
    page.wait_for_load_state("networkidle")
    person.check()
    page.get_by_role("link", name="Edit – Behov").click()
    page.wait_for_load_state("networkidle")
    person.check()
    page.get_by_label("Desired result").fill("We know why newcomers leave")
    page.get_by_role("button", name="Save phase").click()
    page.wait_for_load_state("networkidle")
    assert "We know why newcomers leave" in page.locator("main").inner_text()

    # plan: add a task
    page.get_by_role("link", name="Plan", exact=True).click()
    page.wait_for_load_state("networkidle")
    person.check()
    page.get_by_label("Title").fill("Interview ten newcomers")
    page.get_by_label("Due date").fill((date.today() + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Add activity").click()
    page.wait_for_load_state("networkidle")
    person.check()
    assert "Interview ten newcomers" in page.locator("main").inner_text(), page.locator("#error-summary").all_inner_texts()

    # move forward, then back, with reasons
    page.get_by_role("link", name="History").click()
    page.wait_for_load_state("networkidle")
    person.check()
    page.get_by_label("Move to phase").select_option(label="Løsning")
    page.get_by_label("Why").fill("We understand the need")
    page.get_by_role("button", name="Move the process").click()
    page.wait_for_load_state("networkidle")
    person.check()
    page.get_by_label("Move to phase").select_option(label="Behov")
    page.get_by_label("Why").fill("The interviews raised new questions")
    page.get_by_role("button", name="Move the process").click()
    page.wait_for_load_state("networkidle")
    person.check()
    timeline = page.locator(".timeline__item").all_inner_texts()
    assert "Moved back to" in timeline[0] and "The interviews raised new questions" in timeline[0]
    assert "Moved forward to" in timeline[1] and "Started in" in timeline[2]

    # the printable overview
    person.go(overview_url.replace(person.base, ""))
    assert page.locator('[aria-current="step"]').inner_text().startswith("1.")
    page.emulate_media(media="print")
    assert page.locator(".process-tabs").is_hidden()
    page.emulate_media(media="screen")

    phone = visitor(viewport={"width": 375, "height": 740})
    phone.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    for path in (overview_url.replace(person.base, ""), "/alpha/processes/"):
        phone.go(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"

