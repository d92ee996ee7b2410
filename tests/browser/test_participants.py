"""A coordinator keeps the participant register and does a stakeholder analysis — in
Chromium, with axe on every page."""

from __future__ import annotations

from dugnad.extensions import db
from dugnad.processes.models import Process
from dugnad.tenancy import tenant_context
from tests.conftest import PASSWORD, PEOPLE

CSV = ("navn;e-post;kategori;rettslig grunnlag;samtykke dato\r\n"
       "Åse Ærlig;ase@example.no;næringsliv;offentlig oppgave;\r\n"
       "Bjørn Bø;bjorn@example.no;målgruppe;samtykke;31.03.2024\r\n"
       "Uten Grunnlag;uten@example.no;innbyggere;;\r\n").encode("cp1252")


def _process(app, world) -> int:
    with app.app_context():
        with tenant_context(world.tenants["alpha"]):
            process = Process(name="Bosetting 2025")
            db.session.add(process)
            db.session.commit()
            return process.id


def test_a_coordinator_adds_imports_and_analyses(visitor, world, app):
    person = visitor()
    person.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    page = person.page
    person.go("/alpha/participants/")
    page.get_by_role("link", name="Add a participant").click()
    page.wait_for_load_state("networkidle")
    person.check()

    # a mistake first: the error is tied to the field and what was typed stays
    page.get_by_label("Name").fill("Kari Nordmann")
    page.get_by_label("Stakeholder category").select_option("politics")
    page.get_by_label("E-mail").fill("Kari@Example.no")
    page.get_by_role("button", name="Add to the register").click()
    page.wait_for_load_state("networkidle")
    person.check()
    basis = page.get_by_label("Legal basis for holding this information")
    assert basis.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Name").input_value() == "Kari Nordmann"
    assert page.get_by_label("E-mail").input_value() == "Kari@Example.no"
    basis.select_option("public_task")
    page.get_by_role("button", name="Add to the register").click()
    page.wait_for_load_state("networkidle")
    person.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Kari Nordmann"
    assert "Public task" in page.locator("main").inner_text()

    # import: preview, then confirm
    person.go("/alpha/participants/import")
    page.locator("#file").set_input_files(files=[{"name": "deltakere.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.get_by_role("button", name="Show what would be imported").click()
    page.wait_for_load_state("networkidle")
    person.check()
    main = page.locator("main").inner_text()
    assert "Åse Ærlig" in main and "2 rows will be added" in main and "legal basis is missing" in main
    page.get_by_role("button", name="Import 2 participants").click()
    page.wait_for_load_state("networkidle")
    person.check()
    assert "2 participants imported" in page.locator("#flash-region").inner_text()
    assert "Bjørn Bø" in page.locator("main").inner_text()

    # search as you type
    page.get_by_label("Search").fill("bjørn")
    page.wait_for_function("() => !document.querySelector('#participant-results').innerText.includes('Kari Nordmann')")
    assert "Bjørn Bø" in page.locator("#participant-results").inner_text()
    person.check()

    # the stakeholder analysis: add, edit a row in place, see what is missing
    process_id = _process(app, world)
    person.go(f"/alpha/processes/{process_id}/stakeholders")
    page.locator("#add-name").fill("Nyankomne flyktninger")
    page.locator("#add-category").select_option("target_group")
    page.get_by_role("button", name="Add to the analysis").click()
    page.wait_for_load_state("networkidle")
    person.check()
    warning = page.locator(".missing-categories").inner_text()
    assert "Business" in warning and "Target group" in warning
    url_before = page.url
    page.get_by_role("link", name="Edit – Nyankomne flyktninger").click()
    need = page.get_by_label("Primary need")
    need.wait_for()
    person.check()
    need.fill("Bolig og arbeid")
    page.get_by_label("Overall effect").select_option("positive")
    page.get_by_role("button", name="Save – Nyankomne flyktninger").click()
    page.get_by_role("cell", name="Bolig og arbeid").wait_for()
    assert page.url == url_before  # swapped in place, no page load
    assert page.locator(".stakeholder-row .effect--positive").count() == 1
    person.check()


def test_the_register_fits_a_phone(visitor, world, app):
    from tests.support.participants import add

    for i in range(8):
        add(app, world.tenants["alpha"], name=f"Person med et ganske langt navn {i}", email=f"person.med.lang.adresse{i}@eksempel-kommune.no",
            title="Koordinator for frivillighet og inkludering", phone="+47 900 00 000")
    process_id = _process(app, world)
    phone = visitor(viewport={"width": 375, "height": 740})
    phone.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    for path in ("/alpha/participants/", "/alpha/participants/new", "/alpha/participants/import",
                 f"/alpha/processes/{process_id}/people", f"/alpha/processes/{process_id}/stakeholders"):
        phone.go(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
