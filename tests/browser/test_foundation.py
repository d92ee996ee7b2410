"""Log in, switch municipality, switch language, toggle a plugin — in Chromium, with axe."""

from tests.conftest import PASSWORD, PEOPLE


def test_a_coordinator_logs_in_and_switches_municipality_and_language(visitor, world):
    person = visitor()
    person.login(PEOPLE["both"][0], PASSWORD)
    page = person.page
    assert page.url.endswith("/me"), page.locator("main").inner_text()  # two municipalities: the profile lists both
    person.check()
    page.get_by_role("link", name="Beta").click()
    page.wait_for_url("**/beta/")
    person.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Beta"
    # the dashboard shows its widgets in its first response (htmx refreshes them)
    page.locator(".note-count").wait_for()
    assert page.locator(".note-count").inner_text() == "2"
    page.get_by_role("link", name="Bo Both").click()
    page.get_by_role("link", name="Alfa").click()
    page.wait_for_url("**/alpha/")
    person.check()
    page.get_by_role("button", name="Nynorsk").click()
    page.wait_for_url("**/alpha/")
    assert page.locator("html").get_attribute("lang") == "nn"
    person.check()
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_region_admin_toggles_a_plugin_and_the_municipality_changes(visitor, world):
    admin = visitor()
    admin.login(PEOPLE["region"][0], PASSWORD)
    page = admin.page
    page.wait_for_url("**/region/")
    admin.check()
    page.get_by_role("link", name="Alfa").click()
    admin.check()
    page.get_by_role("button", name="Switch off – Sample notes").click()
    page.wait_for_load_state("networkidle")
    assert "Sample notes is off for Alfa." in page.locator("#flash-region").inner_text()
    admin.check()

    member = visitor()
    member.login(PEOPLE["alpha_member"][0], PASSWORD)
    member.page.wait_for_url("**/alpha/")
    member.check()
    assert member.page.get_by_role("link", name="Notes", exact=True).count() == 0
    assert member.context.request.get(member.base + "/alpha/notes/").status == 404

    page.get_by_role("button", name="Switch on – Sample notes").click()
    page.wait_for_load_state("networkidle")
    member.page.reload()
    assert member.page.get_by_role("link", name="Notes", exact=True).count() == 1


def test_login_errors_are_tied_to_the_field_and_keep_what_was_typed(visitor, world):
    person = visitor()
    person.page.goto(person.base + "/login")
    person.check()
    person.page.get_by_label("E-mail").fill(PEOPLE["alpha_admin"][0])
    person.page.get_by_label("Password").fill("wrong password")
    person.page.get_by_role("button", name="Log in").click()
    person.page.wait_for_load_state("networkidle")
    person.check()
    assert person.page.get_by_label("E-mail").input_value() == PEOPLE["alpha_admin"][0]
    password = person.page.get_by_label("Password")
    assert password.get_attribute("aria-invalid") == "true"
    assert "Wrong e-mail or password." in person.page.locator(f"#{password.get_attribute('aria-describedby').split()[-1]}").inner_text()


def test_pages_fit_a_phone(visitor, world):
    phone = visitor(viewport={"width": 375, "height": 740})
    phone.login(PEOPLE["alpha_admin"][0], PASSWORD)
    for path in ("/alpha/", "/alpha/admin/members/", "/alpha/admin/settings/", "/me", "/me/tokens"):
        phone.go(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
