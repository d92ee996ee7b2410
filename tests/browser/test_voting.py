"""A dot vote in a workshop room, in Chromium: the coordinator creates the poll and makes
voting cards, two people vote on their phones, and the projector view's count changes
without reloading — axe on every page."""

from __future__ import annotations

import re

from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.tenancy import tenant_context
from tests.conftest import PASSWORD, PEOPLE

PHONE = {"width": 375, "height": 740}


def _process(app, world) -> int:
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "Bolig og arbeid for flyktninger", None)
        db.session.commit()
        return process.id


def test_two_phones_vote_with_dots_and_the_projector_counts_live(visitor, world, app):
    process_id = _process(app, world)
    coordinator = visitor()
    coordinator.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    page = coordinator.page
    coordinator.go(f"/alpha/processes/{process_id}/")
    page.get_by_role("link", name="Votes", exact=True).last.click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    page.get_by_role("link", name="New poll").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()

    # only the chosen method's settings show
    assert page.get_by_label("Dots per person").is_visible() and not page.get_by_role("textbox", name="Criteria").is_visible()
    page.get_by_label("Weighted criteria").check()
    assert page.get_by_role("textbox", name="Criteria").is_visible() and not page.get_by_label("Dots per person").is_visible()
    page.get_by_label("Dot voting").check()

    # a mistake first: one option is not enough, and what was typed stays
    page.get_by_label("Question or title").fill("Which solutions do we take further?")
    page.get_by_role("textbox", name="Options").fill("Housing school with host families")
    page.get_by_role("button", name="Create and open the vote").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    assert page.get_by_role("textbox", name="Options").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Question or title").input_value() == "Which solutions do we take further?"
    page.get_by_role("textbox", name="Options").fill("Housing school with host families\nMentors into paid work\nInternational café")
    page.get_by_role("button", name="Create and open the vote").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Which solutions do we take further?"

    page.get_by_role("link", name="Voting cards").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    page.get_by_label("How many cards").fill("2")
    page.get_by_role("button", name="Make cards").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    codes = [c.strip() for c in page.locator(".vote-card__code").all_inner_texts()]
    assert len(codes) == 2 and all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", c) for c in codes)

    page.get_by_role("link", name="Projector view").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    live = page.locator("#live-results")
    assert "0 people have voted" in live.inner_text()
    projector_url = page.url

    first, second = visitor(viewport=PHONE), visitor(viewport=PHONE)
    first.go("/alpha/vote/")
    first.page.get_by_label("Code").fill(codes[0].lower())
    first.page.get_by_role("button", name="Go to the vote").click()
    first.page.wait_for_load_state("networkidle")
    first.check()
    card_url = first.page.url
    # one dot too many: the ballot comes back in place (htmx), with the message at it and the dots as chosen
    first.page.get_by_label("Housing school with host families").select_option("2")
    first.page.get_by_label("Mentors into paid work").select_option("1")
    first.page.get_by_role("button", name="Vote").click()
    first.page.get_by_role("alert").filter(has_text="You have 2 dots and used 3.").wait_for(timeout=15000)
    first.check()
    assert first.page.get_by_label("Housing school with host families").input_value() == "2"
    first.page.get_by_label("Mentors into paid work").select_option("0")
    first.page.get_by_role("button", name="Vote").click()
    # the confirmation takes the ballot's place: no new page
    first.page.locator("#vote").filter(has_text="Your vote is recorded").wait_for(timeout=15000)
    first.check()
    assert first.page.url == card_url and first.page.get_by_role("link", name="Change my vote").is_visible()
    width = first.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the card page scrolls sideways on a phone ({width}px)"

    live.filter(has_text="1 person has voted").wait_for(timeout=15000)  # htmx brought it, no reload
    assert page.url == projector_url

    second.go(f"/alpha/vote/{codes[1].replace('-', '')}")
    second.page.get_by_label("Mentors into paid work").select_option("1")
    second.page.get_by_label("Housing school with host families").select_option("1")
    second.page.get_by_role("button", name="Vote").click()
    second.page.wait_for_load_state("networkidle")
    second.check()

    live.filter(has_text="2 people have voted").wait_for(timeout=15000)
    assert "Most support: Housing school with host families" in live.inner_text()
    coordinator.check()

    # the same card on another phone is refused
    stranger = visitor(viewport=PHONE)
    refused = stranger.page.goto(stranger.base + f"/alpha/vote/{codes[0]}")
    assert refused.status == 410
    stranger.check()

    coordinator.go(projector_url.replace(coordinator.base, "").replace("/screen", "/results"))
    assert page.locator("table").first.inner_text().count("Housing school with host families") == 1
    coordinator.go(projector_url.replace(coordinator.base, "").replace("/screen", "/paper"))


def test_live_counts_promise_updates_only_where_scripts_run(browser, live_server, csrf_on, world, app):
    """Without JavaScript the counts do not update by themselves, so the page does not say
    they do; the projector is a clean full screen in either case — axe on each."""
    from dugnad.voting import service
    from tests.browser.conftest import Visitor

    process_id = _process(app, world)
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        from dugnad.processes.models import Process

        process = db.session.get(Process, process_id)
        poll = service.create_poll(process, title="Which solutions go on?", method="dot",
                                   options=["Housing school", "Job mentors"], results_visibility="live")
        service.open_poll(poll)
        db.session.commit()
        poll_id = poll.id
    for scripts in (False, True):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                      java_script_enabled=scripts)
        try:
            person = Visitor(context, live_server)
            person.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
            # axe needs scripts, so only the page with them is checked by it
            visit = person.go if scripts else (lambda path: person.page.goto(person.base + path))
            visit(f"/alpha/polls/{poll_id}/")
            promise = person.page.get_by_text("The counts update by themselves.")
            assert promise.is_visible() == scripts
            visit(f"/alpha/polls/{poll_id}/screen")
            assert person.page.locator(".site-header, .site-footer").count() == 0
            assert person.page.locator(".screen-view__address").inner_text().endswith("/alpha/vote")
        finally:
            context.close()
