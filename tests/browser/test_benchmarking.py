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
    page.goto(person.base + "/region/benchmarks/?period=2024&group=core")  # the sample plugin's notes
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
    rows = {r[1]: r for r in csv.reader(io.StringIO(text), delimiter=",") if len(r) > 4}  # an English page: , and .
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


LAPTOP = {"width": 1280, "height": 800}


def _every_metric(page) -> list[str]:
    return page.locator("details.bm-chooser input[name=metric]").evaluate_all("boxes => boxes.map(b => b.value)")


def test_the_region_table_is_readable_at_a_laptop_s_width(visitor, region_figures):
    """Every metric chosen: short headings (the row under 80 px), the municipality column
    stays in view while the figures scroll, each column reachable, the median row set apart."""
    person = visitor(viewport=LAPTOP)
    person.login(PEOPLE["region"][0], PASSWORD)
    page = person.page
    person.go("/region/benchmarks/?period=2025")
    keys = _every_metric(page)
    assert len(keys) >= 10  # the core's, the plugins' and the sample plugin's
    person.go("/region/benchmarks/?period=2025&" + "&".join(f"metric={k}" for k in keys))
    table = page.locator("#benchmark-table table")
    assert table.locator("thead th").count() == 2 + len(keys) + table.locator("thead th", has_text="(SSB)").count()
    assert table.locator("thead tr").bounding_box()["height"] < 80

    wrap = page.locator("#benchmark-table .table-wrap")
    box = wrap.bounding_box()
    assert box["x"] + box["width"] <= LAPTOP["width"]  # the page itself does not scroll sideways
    first = table.locator("tbody th[scope=row]").first
    for header in table.locator("thead th").all()[1:]:
        header.evaluate("th => th.closest('.table-wrap').scrollLeft = th.offsetLeft - 200")
        seen, name = header.bounding_box(), first.bounding_box()
        assert box["x"] <= seen["x"] and seen["x"] + seen["width"] <= box["x"] + box["width"] + 1, header.inner_text()
        # the name column stays in view and never covers the heading scrolled beside it
        assert name["x"] >= box["x"] - 1 and seen["x"] >= name["x"] + name["width"] - 1, header.inner_text()
    person.check()

    # every heading's whole label is at hand: in its title, and in the legend under the table
    for link in table.locator("thead a.bm-sort").all()[2:]:
        assert link.get_attribute("title")
    legend = page.locator(".bm-legend dt").all_inner_texts()
    assert len(legend) == len(keys)

    median = table.locator("tfoot tr.bm-median")
    background = lambda row: row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert background(median) != background(table.locator("tbody tr").first)
    assert any(text.strip()[:1].isdigit() for text in median.locator("td").all_inner_texts())


def test_the_analyst_chooses_the_metrics_without_javascript(browser, live_server, region_figures):
    from tests.browser.conftest import Visitor

    context = browser.new_context(viewport=LAPTOP, locale="en-GB", java_script_enabled=False)
    try:
        person = Visitor(context, live_server)
        person.login(PEOPLE["region"][0], PASSWORD)
        page = person.page
        page.goto(live_server + "/region/benchmarks/?period=2025")
        headers = lambda: page.locator("#benchmark-table thead a.bm-sort .bm-head").all_inner_texts()
        assert "Processes running" in headers() and "Notes" not in headers()  # the core's processes first
        page.locator("details.bm-chooser > summary").click()
        for box in page.locator("details.bm-chooser input[name=metric]").all():
            box.uncheck()
        page.get_by_label("Notes", exact=True).check()
        page.get_by_label("Processes running", exact=True).check()
        page.get_by_label("Statistics Norway's figures (population, moving)").uncheck()
        page.get_by_role("button", name="Show the figures ticked").click()
        page.wait_for_load_state("networkidle")
        assert headers() == ["Municipality", "KOSTRA group", "Processes running", "Notes"]
        assert "metric=sample.notes" in page.url and "ssb=" not in page.url
        # sorting keeps the choice
        page.locator("#benchmark-table thead").get_by_role("link", name="Notes").click()
        page.wait_for_load_state("networkidle")
        assert headers()[2:] == ["Processes running", "Notes"] and "sort=sample.notes" in page.url
        # so does choosing another period
        page.get_by_label("Period", exact=True).fill("2024")
        page.get_by_role("button", name="Show", exact=True).click()
        page.wait_for_load_state("networkidle")
        assert headers()[2:] == ["Processes running", "Notes"] and "period=2024" in page.url
        # one group by a link
        page.get_by_role("navigation", name="Show one group:").get_by_role("link", name="Votes").click()
        page.wait_for_load_state("networkidle")
        assert "Notes" not in headers() and "Polls held" in headers()
    finally:
        context.close()


def test_no_line_of_the_chart_runs_through_a_label(visitor, region_figures):
    person = visitor(viewport=LAPTOP)
    person.login(PEOPLE["region"][0], PASSWORD)
    person.go("/region/benchmarks/metric?key=sample.notes&period=2025")
    crossings = person.page.evaluate("""() => {
      const box = (e) => e.getBoundingClientRect();
      const lines = [...document.querySelectorAll('.bm-svg .bm-marker')];
      const labels = [...document.querySelectorAll('.bm-svg .bm-marker-label')];
      const found = [];
      for (const line of lines) for (const label of labels) {
        const l = box(line), t = box(label);
        const x = l.left + l.width / 2;
        if (x > t.left && x < t.right && l.bottom > t.top && l.top < t.bottom) found.push(line.getAttribute('class') + ' through ' + label.textContent);
      }
      return {found, lines: lines.length, labels: labels.length};
    }""")
    assert crossings["lines"] >= 3 and crossings["labels"] >= 3  # the median and two quartiles
    assert crossings["found"] == []
