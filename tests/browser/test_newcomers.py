"""The newcomer service end to end in Chromium, axe on every page: a newcomer registers on a
phone in Arabic (right to left) and another in Bokmål, confirming by the e-mailed link; the
coordinator gives the household a contact person, ticks checklist items and records the
3-month follow-up; the retention report and the insight workshop page pass axe too."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from dugnad.sdk import User, db, processes, tenant_context, today
from dugnad.notifications import OutboxMessage
from dugnad_newcomers.models import Household
from tests.conftest import PASSWORD, PEOPLE

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


def _fill(page, arrival: str, **values) -> None:
    for field, value in values.items():
        page.locator(f"#{field}").fill(value)
    page.locator("#arrival_date").fill(arrival)


def test_register_in_arabic_and_bokmal_on_a_phone(visitor, app, world):
    arrival = (today() - timedelta(days=20)).isoformat()
    arabic = visitor(viewport=PHONE)
    page = arabic.page
    arabic.go("/alpha/ny-her/?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl" and page.locator("html").get_attribute("lang") == "ar"
    assert page.get_by_role("heading", level=1).inner_text() == "مرحبا بكم في Alfa!"
    _fill(page, arrival, name="Layla Haddad", phone="+47 923 45 678", email="layla@example.no", adults="2",
          children="3, 8", moved_from="حلب")
    page.locator("#reason").select_option("refugee")
    page.get_by_label("روضة الأطفال", exact=False).first.check()
    page.locator("#consent").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sideways on a phone
    _click(arabic, "إرسال")
    assert page.get_by_role("heading", level=1).inner_text() == "شكرًا – أهلًا وسهلًا!"
    assert page.locator("html").get_attribute("dir") == "rtl"

    bokmal = visitor(viewport=PHONE, locale="nb-NO")
    page = bokmal.page
    bokmal.go("/alpha/ny-her/?lang=nb")
    page.get_by_label("Navnet ditt").fill("Jonas Petraitis")
    page.get_by_label("Mobilnummer").fill("912 34 567")
    page.locator("#email").fill("jonas@example.no")
    page.get_by_label("Barnas alder").fill("fem")  # bad input first: the field is marked, what was typed kept
    page.get_by_label("Når flyttet dere hit?").fill(arrival)
    page.get_by_label("Hvorfor flyttet dere hit?").select_option("work")
    page.get_by_label("Jobb eller arbeid til partneren").check()
    page.locator("#consent").check()
    _click(bokmal, "Send")
    assert "«fem» er ikke en alder" in page.locator("main").inner_text()
    assert page.get_by_label("Navnet ditt").input_value() == "Jonas Petraitis"
    page.get_by_label("Barnas alder").fill("5")
    page.locator("#consent").check()
    _click(bokmal, "Send")
    assert page.get_by_role("heading", level=1).inner_text() == "Takk – og velkommen!"
    bokmal.go(_link(app, "newcomers.confirm", "/ny-her/bekreft/"))
    _click(bokmal, "Bekreft")
    assert "adressen din er bekreftet" in page.locator("main").inner_text()
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        statuses = dict(db.session.execute(select(Household.name, Household.status)).all())
    assert statuses == {"Layla Haddad": "unconfirmed", "Jonas Petraitis": "active"}


def test_the_coordinator_assigns_a_contact_ticks_items_and_records_the_3_month_follow_up(visitor, app, world):
    from tests.plugins.newcomers.newcomers_support import make_household

    from tests.plugins.volunteers.volunteers_support import set_up_bank

    with app.app_context():
        set_up_bank(world.tenants["alpha"])  # the volunteer bank is on next door: it can be asked for a buddy
    household_id = make_household(app, world.tenants["alpha"], "Ahmed Hassan", arrival=today() - timedelta(days=80))
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        processes.start_process("newcomers", "Tilflyttertjeneste", db.session.get(User, world.users["alpha_admin"]))
        db.session.commit()
        process_id = processes.process_rows()[0].process.id
    coordinator = visitor()
    coordinator.login(PEOPLE["alpha_admin"][0], PASSWORD)
    desk = coordinator.page
    coordinator.go("/alpha/newcomers/")
    desk.get_by_role("link", name="Ahmed Hassan").click()
    desk.wait_for_load_state("networkidle")
    coordinator.check()
    desk.locator("#contact_user_id").select_option(label="Cora Coordinator")
    _click(coordinator, "Save contact person")
    assert "The contact person is saved." in desk.locator("main").inner_text()
    # the default checklist items read in the reader's language (here English)
    item = desk.locator("li", has=desk.get_by_text("Kindergarten place", exact=True))
    item.get_by_label("Status").select_option("done")
    item.get_by_role("button", name="Save").click()
    desk.wait_for_load_state("networkidle")
    coordinator.check()
    assert "“Kindergarten place” is saved." in desk.locator("main").inner_text()
    # the buddy item asks the volunteer bank for a local buddy (a handoff through the core)
    buddy = desk.locator("li", has=desk.get_by_text("A local contact (buddy)", exact=True))
    buddy.get_by_role("link", name="Volunteers for a task").click()
    desk.wait_for_load_state("networkidle")
    coordinator.check()
    starts = (today() + timedelta(days=7)).isoformat() + "T18:00"
    desk.locator("#title").fill("Local buddy for a newly arrived family")
    desk.locator("#role_id").select_option(index=1)
    desk.locator("#starts_at").fill(starts)
    desk.locator("#ends_at").fill(starts.replace("T18:00", "T20:00"))
    desk.locator("#purpose").fill("A family who arrived this autumn would like a local contact.")
    if desk.locator("#volunteers_needed").count():
        desk.locator("#volunteers_needed").fill("1")
    _click(coordinator, "Send the request")
    assert "A family who arrived this autumn would like a local contact." in desk.locator("main").inner_text()
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        from dugnad_newcomers.models import ChecklistItem

        buddy_status = db.session.scalar(select(ChecklistItem.status).where(ChecklistItem.key == "local_contact"))
    assert buddy_status == "in_progress"  # the bank has it: the item moves on by itself
    desk.get_by_role("link", name="Record the 3-month follow-up").click()
    desk.wait_for_load_state("networkidle")
    coordinator.check()
    desk.get_by_label("How is it going?").fill("Settling in; the children like school.")
    desk.get_by_label("What is missing?").fill("Work for Fatima")
    desk.get_by_label("Plans to stay?").select_option("stay")
    desk.get_by_label("Outcome").select_option("here")
    _click(coordinator, "Record the follow-up")
    main = desk.locator("main").inner_text()
    assert "The 3-month follow-up is recorded." in main and "Still living here" in main
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        household = db.session.get(Household, household_id)
        assert household.contact_user_id == world.users["alpha_coordinator"] and household.outcome == "here"
    coordinator.go("/alpha/newcomers/retention")
    coordinator.go(f"/alpha/newcomers/processes/{process_id}/insight")
    coordinator.go(f"/alpha/newcomers/processes/{process_id}/agreements")


def test_the_insight_workshop_s_ten_years_of_figures_read_print_and_pass_axe(visitor, app, world):
    """Charts drawn on the server (no script needed) with the same figures in a table; printed,
    the figures stay and the forms go; on a phone nothing runs off the page sideways."""
    from pathlib import Path

    from dugnad.benchmarking import ssb

    data = Path(__file__).resolve().parents[1] / "core" / "data" / "ssb"
    with app.app_context():
        for table, name in (("09588", "09588-flows.json"), ("07459", "07459-ten-years.json")):
            ssb.import_table(table, {"3403": "Alfa"}, (data / name).read_bytes(), years=10)
        db.session.commit()
    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("newcomers", "Tilflyttertjeneste", db.session.get(User, world.users["alpha_admin"]))
        db.session.commit()
        process_id = process.id
    for viewport in (None, PHONE):
        admin = visitor(viewport=viewport)
        admin.login(PEOPLE["alpha_admin"][0], PASSWORD)
        admin.go(f"/alpha/newcomers/processes/{process_id}/insight")
        page = admin.page
        charts = page.get_by_role("img", name=re.compile("2016–2025"))
        assert charts.count() == 3
        table = page.get_by_role("table", name="Migration and population year by year (Statistics Norway)")
        assert table.locator("tbody tr").count() == 10
        assert table.get_by_role("row", name=re.compile("^2016")).inner_text().split("\t")[1:3] == ["1 990", "1 768"]
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.emulate_media(media="print")
    assert table.is_visible() and charts.first.is_visible()
    assert not page.get_by_role("button", name="Record the measure").is_visible()
