"""A handoff end to end in Chromium, axe on every page: the coordinator asks for volunteers
from a workshop pilot, the volunteer coordinator (who sees only the bank) matches the need it
became, the volunteer says yes by link, and the pilot shows the handoff done."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from dugnad.accounts.models import Membership
from dugnad.extensions import db
from dugnad.notifications import OutboxMessage
from dugnad.tenancy import tenant_context
from tests.conftest import PASSWORD, PEOPLE
from tests.plugins.volunteers.volunteers_support import make_volunteer, next_weekday, set_up_bank


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


def test_a_pilot_asks_the_volunteer_bank_and_sees_its_volunteers_matched(visitor, app, world):
    from tests.plugins.workshops.isolation import beta_series

    with app.app_context():
        bank = set_up_bank(world.tenants["alpha"])
        with tenant_context(world.tenants["alpha"]):
            made = beta_series()  # a workshop series with a pilot, in alpha
            # the member becomes the volunteer coordinator: the bank, and nothing else
            db.session.get(Membership, world.memberships["alpha_member@alpha"]).role = "volunteer_coordinator"
            db.session.commit()
    bank.app = app
    make_volunteer(bank, "Yonas Tesfay", wants=("family",))
    pilot_path = f"/alpha/workshops/series/{made['process_id']}/pilots/{made['pilot_id']}"

    # the coordinator asks for help on the pilot
    coordinator = visitor()
    coordinator.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    page = coordinator.page
    coordinator.go(pilot_path)
    page.get_by_role("link", name="Volunteers for a task").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    _click(coordinator, "Send the request")  # nothing filled in: refused, fields marked
    assert page.locator("#error-summary").is_visible()
    starts = next_weekday(3, 18)
    page.get_by_label("What the volunteers will do").fill("Hosts at the international café")
    page.get_by_label("Kind of task").select_option(label="Escort for a family")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("How many volunteers").fill("1")
    page.get_by_label("What is the help for?").fill("The café every Thursday needs hosts to greet newcomers.")
    _click(coordinator, "Send the request")
    panel = page.locator(".handoffs-panel").inner_text()
    assert "Hosts at the international café" in panel and "Received" in panel

    # the volunteer coordinator matches the need it became
    desk_person = visitor()
    desk_person.login(PEOPLE["alpha_member"][0], PASSWORD)
    desk = desk_person.page
    desk_person.go("/alpha/volunteers/needs/")
    desk.get_by_role("link", name="Hosts at the international café").click()
    desk.wait_for_load_state("networkidle")
    desk_person.check()
    assert "Asked for by another service" in desk.locator("main").inner_text()
    assert desk.get_by_label(re.compile("^Yonas Tesfay")).is_checked()
    _click(desk_person, "Ask the chosen volunteers by e-mail")
    desk.get_by_role("link", name="The request in full").click()
    desk.wait_for_load_state("networkidle")
    desk_person.check()
    assert "Being worked on" in desk.locator("main").inner_text()

    # the volunteer says yes by the link
    volunteer = visitor()
    volunteer.go(_link(app, "volunteer-request", "/frivillig/svar/"))
    _click(volunteer, "Yes, I can")

    # the pilot shows the change, with a link across
    coordinator.go(pilot_path)
    panel = page.locator(".handoffs-panel").inner_text()
    assert "Done" in panel and "fant 1 frivillig" in panel
    page.get_by_role("link", name="The request in full").click()
    page.wait_for_load_state("networkidle")
    coordinator.check()
    coordinator.go("/alpha/handoffs/")
    assert "fant 1 frivillig" in page.locator("main").inner_text()
    assert len(coordinator.checked) >= 6 and len(desk_person.checked) >= 4
