"""A small workshop 1 in Chromium: the coordinator places people and prints the cards, the
tables record a need and an idea on their tablets and send it to the plenary, everyone
rotates, two phones dot-vote while the projector counts, and the summary goes out — axe on
every page, and the tablet and the plenary work on a phone."""

from __future__ import annotations

from tests.conftest import PASSWORD, PEOPLE
from tests.plugins.workshops.workshops_support import GUESTS, build_room

PHONE = {"width": 375, "height": 740}


def settle(person) -> None:
    person.page.wait_for_load_state("networkidle")
    person.check()


def test_a_small_workshop_1_from_placing_people_to_the_summary(visitor, world, app):
    made = build_room(app, world, guests=GUESTS[:6], tables=2, rotations=1)
    coordinator = visitor()
    page = coordinator.page
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure?" of closing
    coordinator.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    coordinator.go("/alpha/workshops/")
    page.get_by_role("link", name="Integrering 2026").click()
    settle(coordinator)
    assert "Hvordan trygge det private utleiemarkedet" in page.locator("main").inner_text()

    # place people: two tables, a first sitting and one rotation
    page.get_by_role("link", name="Room and tables – Workshop 1").click()
    settle(coordinator)
    page.get_by_role("button", name="Place people").click()
    settle(coordinator)
    assert "6 people are placed for 2 rounds." in page.locator("main").inner_text()
    assert page.locator(".seating__table").count() == 4
    page.get_by_role("link", name="Table cards to print").click()
    settle(coordinator)
    assert page.locator(".print-card").count() == 4
    coordinator.go(f"/alpha/workshops/{made.first}/schedules")
    assert page.locator(".print-card").count() == 6

    # the workshop starts; each table records a need and an idea on its tablet
    coordinator.go(f"/alpha/workshops/{made.first}/checkin")
    page.get_by_role("button", name="Start the workshop").click()
    settle(coordinator)
    for table, need, idea in ((0, "Utleiere er skeptiske til flyktninger", "CV for boevne"),
                              (1, "Praksisplasser fører sjelden til fast jobb", "Utdanningsløp mot fagbrev")):
        coordinator.go(f"/alpha/workshops/{made.first}/tables/{made.tables[table]}")
        page.get_by_label("Need or bottleneck").fill(need)
        page.get_by_role("button", name="Record the need").click()
        settle(coordinator)
        page.get_by_role("button", name="Prioritise").first.click()
        settle(coordinator)
        page.get_by_label("Answers the need").select_option(label=need)
        page.get_by_label("Idea", exact=True).fill(idea)
        page.get_by_label("Measure: what is done, and by whom").fill(f"{idea}: slik gjør vi det")
        page.get_by_role("button", name="Record the idea").click()
        settle(coordinator)
        page.get_by_role("button", name=f"Send to the plenary – {idea}").click()
        settle(coordinator)
        assert "To the plenary" in page.locator(".idea-list").inner_text()

    # the forced rotation
    coordinator.go(f"/alpha/workshops/{made.first}/checkin")
    page.get_by_role("button", name="Rotate: start Rotation 1").click()
    settle(coordinator)
    assert "Now: Rotation 1." in page.locator("main").inner_text()

    # the plenary: open the dot vote, print cards, the projector
    coordinator.go(f"/alpha/workshops/{made.first}/plenary")
    page.get_by_role("button", name="Open the vote on 2 proposals").click()
    settle(coordinator)
    page.get_by_role("link", name="Voting cards with QR codes, to print").click()
    settle(coordinator)
    codes = [c.strip().replace("-", "") for c in page.locator(".vote-card__code").all_inner_texts()]
    assert len(codes) == 8  # six in the room, two facilitators
    coordinator.go(f"/alpha/workshops/{made.first}/plenary")
    page.get_by_role("link", name="The count on the projector").click()
    settle(coordinator)
    projector = page.url
    live = page.locator("#live-results")
    assert "0 people have voted" in live.inner_text()

    # two phones vote, two dots each
    for code in codes[:2]:
        phone = visitor(viewport=PHONE)
        phone.go(f"/alpha/vote/{code}")
        phone.page.get_by_label("CV for boevne").check()
        phone.page.get_by_label("Utdanningsløp mot fagbrev").check()
        phone.page.get_by_role("button", name="Vote").click()
        settle(phone)
        assert "Your vote is recorded" in phone.page.locator("main").inner_text()
    live.filter(has_text="2 people have voted").wait_for(timeout=15000)  # the projector counted, no reload
    assert page.url == projector

    # close the vote, confirm what goes on
    coordinator.go(f"/alpha/workshops/{made.first}/plenary")
    page.get_by_role("button", name="Close the vote").click()
    settle(coordinator)
    assert page.get_by_label("Goes on to homework: CV for boevne").is_checked()
    page.get_by_role("button", name="Save which go on").click()
    settle(coordinator)
    assert page.get_by_role("heading", name="Homework before workshop 2").is_visible()

    # close the workshop and send the summary
    coordinator.go(f"/alpha/workshops/{made.first}/checkin")
    page.get_by_role("button", name="Close the workshop").click()
    settle(coordinator)
    assert "Utleiere er skeptiske til flyktninger" in page.locator("main").inner_text()
    page.get_by_label("A greeting at the top").fill("Takk for en fin kveld!")
    page.get_by_role("button", name="Send the summary to everyone").click()
    settle(coordinator)
    assert "Sent on" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Send the summary to everyone").count() == 0

    # a facilitator's tablet and the plenary on a phone
    small = visitor(viewport=PHONE)
    small.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    for path in (f"/alpha/workshops/{made.first}/tables/{made.tables[0]}", f"/alpha/workshops/{made.first}/plenary",
                 f"/alpha/workshops/{made.first}/checkin"):
        small.go(path)
        width = small.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px)"


def test_every_workshop_page_passes_axe(visitor, world, app):
    from dugnad.extensions import db
    from dugnad.tenancy import tenant_context
    from dugnad_workshops import room, series
    from tests.plugins.workshops.isolation import beta_series

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        made = beta_series()  # a series with a table, a need, an idea that went on, homework and a pilot
        second = series.workshops_of(series.get_process(made["process_id"]))[1]
        room.copy_tables(series.get_workshop(made["workshop_id"]), second)
        second_table = room.tables_of(second)[0].id
        from dugnad_workshops.models import Need, Solution

        need = db.session.get(Need, made["need_id"])
        solution = db.session.get(Solution, made["solution_id"])
        db.session.commit()
        need_id, solution_id, second_id = need.id, solution.id, second.id
    w, p = made["workshop_id"], made["process_id"]
    coordinator = visitor()
    coordinator.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    for path in ("/alpha/workshops/", f"/alpha/workshops/series/{p}/", f"/alpha/workshops/series/{p}/themes/{made['theme_id']}/edit",
                 f"/alpha/workshops/{w}/schedule", f"/alpha/workshops/{w}/invitations", f"/alpha/workshops/{w}/room",
                 f"/alpha/workshops/{w}/tables/{made['table_id']}/edit", f"/alpha/workshops/{w}/checkin",
                 f"/alpha/workshops/{w}/cards", f"/alpha/workshops/{w}/schedules", f"/alpha/workshops/{w}/tables",
                 f"/alpha/workshops/{w}/tables/{made['table_id']}", f"/alpha/workshops/{w}/needs/{need_id}/edit",
                 f"/alpha/workshops/{w}/ideas/{solution_id}/edit", f"/alpha/workshops/{w}/plenary",
                 f"/alpha/workshops/{w}/summary", f"/alpha/workshops/series/{p}/homework",
                 f"/alpha/workshops/series/{p}/homework/{made['homework_id']}/edit",
                 f"/alpha/workshops/{second_id}/tables/{second_table}", f"/alpha/workshops/{second_id}/plenary",
                 f"/alpha/workshops/series/{p}/pilots", f"/alpha/workshops/series/{p}/pilots/{made['pilot_id']}",
                 "/alpha/workshops/widget"):
        coordinator.go(path)
    guest = visitor(viewport=PHONE)
    for path in (f"/alpha/workshops/answer/{made['rsvp_token']}", f"/alpha/workshops/homework/{made['homework_token']}"):
        guest.go(path)
        assert guest.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    broken = guest.page.goto(guest.base + "/alpha/workshops/answer/not-a-link")
    assert broken.status == 404
    guest.check()
