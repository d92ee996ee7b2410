"""Issue 16 in Chromium, with axe: one's logins on the profile, ending the others, and
changing the password; the outbox shows links masked."""

from tests.conftest import PASSWORD, PEOPLE

NEW_PASSWORD = "a brand new passphrase for me"


def test_a_person_sees_their_logins_ends_the_others_and_changes_the_password(visitor, world):
    email = PEOPLE["alpha_admin"][0]
    laptop, phone = visitor(), visitor(viewport={"width": 375, "height": 740})
    laptop.login(email, PASSWORD)
    phone.login(email, PASSWORD)
    laptop.go("/me")
    logins = laptop.page.get_by_role("table").filter(has_text="this browser").locator("tbody tr")
    assert logins.count() == 2
    laptop.page.on("dialog", lambda dialog: dialog.accept())
    laptop.page.get_by_role("button", name="Log out everywhere else").click()
    laptop.page.wait_for_load_state("networkidle")
    assert "You are logged out everywhere else." in laptop.page.locator("main").inner_text()
    laptop.check()
    phone.page.goto(phone.base + "/me")
    assert "/login" in phone.page.url  # the phone's login is over
    laptop.page.get_by_role("link", name="Change your password").click()
    laptop.check()
    laptop.page.get_by_label("Your current password").fill("not my password")
    laptop.page.get_by_label("New password").fill(NEW_PASSWORD)
    laptop.page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    laptop.page.get_by_role("button", name="Save the new password").click()
    laptop.page.wait_for_load_state("networkidle")
    assert laptop.page.get_by_label("Your current password").get_attribute("aria-invalid") == "true"
    laptop.check()
    laptop.page.get_by_label("Your current password").fill(PASSWORD)
    laptop.page.get_by_label("New password").fill(NEW_PASSWORD)
    laptop.page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    laptop.page.get_by_role("button", name="Save the new password").click()
    laptop.page.wait_for_url("**/me")
    assert "Your password is changed." in laptop.page.locator("main").inner_text()


def test_the_outbox_shows_that_there_was_a_link_not_the_link(visitor, world):
    admin = visitor()
    admin.login(PEOPLE["alpha_admin"][0], PASSWORD)
    admin.go("/alpha/admin/members/")
    admin.page.get_by_label("E-mail").fill("new@alpha.test")
    admin.page.get_by_role("button", name="Send invitation").click()
    admin.page.wait_for_load_state("networkidle")
    admin.go("/alpha/admin/outbox/")
    admin.page.get_by_role("link", name="Invitation to Alfa on Dugnad").click()
    admin.check()
    body = admin.page.locator("pre.mail-body").inner_text()
    assert "/invitations/•••" in body
