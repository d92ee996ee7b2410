"""How pages are laid out, measured in Chromium: boxes that must not touch."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, PEOPLE

GAP = 8  # px: at least this much between two cards


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["laptop", "phone"])
def test_the_dashboard_s_cards_never_touch(visitor, world, viewport):
    person = visitor(viewport=viewport)
    person.login(PEOPLE["alpha_admin"][0], PASSWORD)
    person.go("/alpha/")
    boxes = person.page.locator(".widget-grid > .widget").evaluate_all(
        "cards => cards.map(c => { const r = c.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
    assert len(boxes) >= 2
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart_x = max(b[0] - a[2], a[0] - b[2])  # > 0 when side by side
            apart_y = max(b[1] - a[3], a[1] - b[3])  # > 0 when one above the other
            assert max(apart_x, apart_y) >= GAP, (a, b)
