"""A coordinator runs a BLT process in Chromium: start, shape a phase, plan, move
forward and back, read the timeline, open the printable overview — axe on every page."""

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, PEOPLE
from dugnad.clock import today as oslo_today


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
    page.get_by_label("Due date").fill((oslo_today() + timedelta(days=10)).isoformat())
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



def test_the_bordduk_prints_on_one_a3_landscape_sheet_without_the_site_around_it(visitor, world, app):
    """The table cloth is printed for the wall: one A3 landscape page, no header, language
    buttons or footer (Chromium's own print to PDF, its pages counted)."""
    import re

    from dugnad.extensions import db
    from dugnad.processes import service as processes
    from dugnad.tenancy import tenant_context

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "Bolig og arbeid for flyktninger i Alfa", None)
        db.session.commit()
        process_id = process.id
    person = visitor()
    person.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    person.go(f"/alpha/processes/{process_id}/")
    page = person.page
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".language-switch"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.get_by_role("heading", level=1).is_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"{pages} pages"
    size = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    width, height = float(size.group(1)), float(size.group(2))
    assert width > height and abs(width - 1190.55) < 3  # A3 landscape: 420 mm × 297 mm in points


WORDS_SPLIT_ACROSS_LINES = """() => {
  const split = [], seen = [];
  for (const board of document.querySelectorAll('.board')) {
    const walker = document.createTreeWalker(board, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const word of node.data.matchAll(/\\p{L}{12,}/gu)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        seen.push(word[0]);
        if (lines.size > 1) split.push(word[0]);
      }
    }
  }
  return {split, seen};
}"""


@pytest.mark.parametrize("width", [390, 768, 820, 1024, 1280])
def test_the_bordduk_breaks_no_long_norwegian_word_across_lines(visitor, world, app, width):
    """Norwegian compounds are long ("innvandrerorganisasjoner"): a phase column is never so
    narrow that a word is cut in two on screen, from a phone to a laptop, nor on the printed sheet."""
    from dugnad.extensions import db
    from dugnad.processes import service as processes
    from dugnad.tenancy import tenant_context

    with app.app_context(), tenant_context(world.tenants["alpha"]):
        process = processes.start_process("blt", "Bolig og arbeid for flyktninger i Alfa", None)
        db.session.commit()
        process_id = process.id
    person = visitor(viewport={"width": width, "height": 900})
    person.login(PEOPLE["alpha_coordinator"][0], PASSWORD)
    person.go(f"/alpha/processes/{process_id}/")
    page = person.page
    words = page.evaluate(WORDS_SPLIT_ACROSS_LINES)
    assert len(set(words["seen"])) >= 5, words  # the template's own long words: "samarbeidspartnere", …
    assert words["split"] == [], words["split"]
    if width == 1280:
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 1587, "height": 1123})  # A3 landscape at 96 dpi
        assert page.evaluate(WORDS_SPLIT_ACROSS_LINES)["split"] == []

