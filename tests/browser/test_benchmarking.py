"""The region admin compares municipalities, and a municipality decides what it shares —
in Chromium, with axe on every page, on a desktop and a phone-sized screen."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from dugnad.extensions import db
from tests.conftest import PASSWORD, PEOPLE
from tests.support.benchmarking import share, snapshot


@pytest.fixture
def region_figures(app, world):
    with app.app_context():
        a, b = world.tenants["alpha"], world.tenants["beta"]
        for year, (notes_a, notes_b) in {2024: (12, 2), 2025: (40, 31)}.items():
            snapshot(a, "sample.notes", "year", date(year, 1, 1), notes_a)
            snapshot(b, "sample.notes", "year", date(year, 1, 1), notes_b)
            snapshot(a, "processes.active", "year", date(year, 1, 1), 3)
            snapshot(b, "processes.active", "year", date(year, 1, 1), 8)
        share(a, "core", "processes")
        share(b, "core", "processes")
        db.session.commit()
    return world


@pytest.mark.parametrize("viewport", [None, {"width": 375, "height": 740}], ids=["desktop", "phone"])
def test_the_region_sorts_opens_a_metric_and_exports(visitor, region_figures, viewport):
    person = visitor(viewport=viewport)
    person.login(PEOPLE["region"][0], PASSWORD)
    page = person.page
    person.go("/region/")
    page.get_by_role("link", name="Benchmarks", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    person.check()
    page.get_by_label("Period", exact=True).fill("2025")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    person.check()
    rows = page.locator("#benchmark-table tbody th[scope=row]")
    assert rows.all_inner_texts() == ["Alfa", "Beta"]

    # sort by processes running, highest first: htmx swaps the table and keeps the address
    table = page.locator("#benchmark-table")
    table.locator("thead").get_by_role("link", name="Processes running").click()
    table.locator('th[aria-sort="ascending"]', has_text="Processes running").wait_for()
    table.locator("thead").get_by_role("link", name="Processes running").click()
    table.locator('th[aria-sort="descending"]', has_text="Processes running").wait_for()
    page.wait_for_url("**dir=desc**")
    person.check()
    assert "dir=desc" in page.url
    assert page.locator("#benchmark-table tbody th[scope=row]").all_inner_texts() == ["Beta", "Alfa"]
    assert page.locator("#benchmark-table th[aria-sort=descending]").count() == 1

    # the 2024 notes of beta (2) are suppressed
    page.goto(person.base + "/region/benchmarks/?period=2024")
    person.check()
    assert ":" in page.locator("#benchmark-table tbody tr", has_text="Beta").inner_text()

    # open a metric: the chart and its table
    page.goto(person.base + "/region/benchmarks/?period=2025")
    page.get_by_role("link", name="Notes", exact=True).click()
    page.wait_for_load_state("networkidle")
    person.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Notes"
    assert page.get_by_role("img", name="Notes by municipality, 2025").count() == 1
    ranked = page.get_by_role("table", name="Notes by municipality, 2025: the figures of the chart")
    assert ranked.locator("tbody th").all_inner_texts() == ["Alfa", "Beta"]

    # export
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = {r[1]: r for r in csv.reader(io.StringIO(text), delimiter=";") if len(r) > 4}
    assert rows["Alfa"][4] == "40" and rows["Beta"][4] == "31"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel").click()
    assert download.value.suggested_filename == "sample.notes-2025.xlsx"


def test_a_municipality_changes_what_it_shares(visitor, region_figures, app):
    admin = visitor()
    admin.login(PEOPLE["beta_admin"][0], PASSWORD)
    page = admin.page
    admin.go("/beta/")
    page.get_by_role("link", name="Benchmarks").click()
    page.wait_for_load_state("networkidle")
    admin.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Our figures against the region"
    page.get_by_role("link", name="Choose what we share").click()
    page.wait_for_load_state("networkidle")
    admin.check()
    box = page.get_by_label("Other figures")
    assert box.is_checked()
    box.uncheck()
    page.get_by_role("button", name="Save what we share").click()
    page.wait_for_load_state("networkidle")
    admin.check()
    assert "Saved." in page.locator("main").inner_text()
    assert not page.get_by_label("Other figures").is_checked()

    region = visitor(viewport={"width": 375, "height": 740})
    region.login(PEOPLE["region"][0], PASSWORD)
    region.go("/region/benchmarks/metric?key=sample.notes&period=2025")
    assert "not shared" in region.page.locator("tbody tr", has_text="Beta").first.inner_text()
    region.go("/region/benchmarks/groups")
    region.page.get_by_label("Beta (3905)").fill("KOSTRA-gruppe 13")
    region.page.get_by_role("button", name="Save the groups").click()
    region.page.wait_for_load_state("networkidle")
    region.check()
    region.go(f"/region/benchmarks/municipalities/{region_figures.tenants['beta']}?period=2025")
    assert "KOSTRA-gruppe 13" in region.page.locator("main").inner_text()
