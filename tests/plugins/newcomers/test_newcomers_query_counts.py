"""The service's pages send as many SQL statements with many households as with few."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from dugnad.sdk import db, today
from dugnad_newcomers.models import Household
from tests.plugins.newcomers.newcomers_support import in_tenant, make_household

PAGES = ["/alpha/newcomers/", "/alpha/newcomers/?status=active", "/alpha/newcomers/widget",
         "/alpha/newcomers/retention", "/alpha/newcomers/retention?kind=quarter", "/alpha/newcomers/{first}"]


def _grow(app, world, start: int, count: int) -> None:
    for i in range(start, start + count):
        make_household(app, world.tenants["alpha"], f"Household {i}", arrival=today() - timedelta(days=30 * i + 5),
                       phone=f"9{i:07d}")
    with in_tenant(app, world.tenants["alpha"]):
        for household in db.session.scalars(select(Household)):
            household.contact_user_id = world.users["alpha_admin"]
        db.session.commit()


@pytest.mark.parametrize("path", PAGES)
def test_query_count_is_the_same_with_few_and_many_households(app, world, client_as, queries, path):
    _grow(app, world, 0, 2)
    with in_tenant(app, world.tenants["alpha"]):
        first = db.session.scalar(select(Household.id).order_by(Household.id))
    path = path.format(first=first)
    client = client_as("alpha_admin")
    client.get(path)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    few = queries.count
    _grow(app, world, 2, 30)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    assert queries.count == few, queries.statements


def test_long_lists_are_paged(app, world, client_as, monkeypatch):
    from dugnad_newcomers import households

    monkeypatch.setattr(households, "PAGE_SIZE", 2)
    _grow(app, world, 0, 3)
    client = client_as("alpha_admin")
    first = client.get("/alpha/newcomers/")
    assert first.text.count("/alpha/newcomers/?") >= 2 and 'aria-current="page">1<' in first.text
    assert "Household 2" in client.get("/alpha/newcomers/?page=2").text


def test_the_pager_links_a_few_pages_however_many_there_are(app, world, client_as, monkeypatch):
    """A hundred pages of households made a hundred links (each built per request); the pager
    shows the first, the last and two either side of the current page."""
    from dugnad_newcomers import households

    assert households.pager(1, 1) == []
    assert households.pager(1, 3) == [1, 2, 3]
    assert households.pager(6, 100) == [1, 0, 4, 5, 6, 7, 8, 0, 100]
    assert households.pager(1, 100) == [1, 2, 3, 0, 100]
    monkeypatch.setattr(households, "PAGE_SIZE", 1)
    _grow(app, world, 0, 12)
    page = client_as("alpha_admin").get("/alpha/newcomers/?page=6&status=active").text
    pager = page[page.index('<nav aria-label="Sider"'):]
    pager = pager[:pager.index("</nav>")]
    links = re.findall(r'href="/alpha/newcomers/\?([^"]+)"[^>]*>(\d+)<', pager)
    assert [number for _query, number in links] == ["1", "4", "5", "6", "7", "8", "12"]
    assert all("status=active" in query for query, _n in links) and pager.count("…") == 2
    assert 'aria-current="page">6<' in pager


def test_the_list_writes_dates_as_the_dateformat_filter_does(app):
    from datetime import date

    from flask_babel import force_locale, format_date

    from dugnad_newcomers import households

    with app.test_request_context():
        for lang in ("nb", "nn", "en"):
            with force_locale(lang):
                medium = households.medium_dates()
                for day in (date(2025, 1, 9), date(2026, 12, 31)):
                    assert medium(day) == format_date(day, "medium")
                assert medium(None) == "–"
