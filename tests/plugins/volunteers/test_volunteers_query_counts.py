"""The bank's pages send as many SQL statements with many rows as with few."""

from __future__ import annotations

import pytest

from dugnad.extensions import db
from dugnad_volunteers import configuration, needs, organisations, warmth
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    beta_bank,
    in_tenant,
    make_volunteer,
    need_values,
    next_weekday,
)

PAGES = ["/alpha/volunteers/", "/alpha/volunteers/?idle=1", "/alpha/volunteers/review", "/alpha/volunteers/widget",
         "/alpha/volunteers/needs/", "/alpha/volunteers/events/", "/alpha/volunteers/organisations/",
         "/alpha/volunteers/setup", "/alpha/volunteers/pool"]


def _grow(app, world, bank, beta_bank, start: int, count: int) -> None:
    for i in range(start, start + count):
        make_volunteer(bank, f"Volunteer {i}", status="approved" if i % 2 else "pending", idle_since=None,
                       languages=(("ti", 4), ("ar", 2)), certificate_for=("escort",))
        make_volunteer(beta_bank, f"Neighbour {i}", regional=True, languages=(("uk", 4),), certificate_for=("escort",))
    with in_tenant(app, world.tenants["alpha"]):
        for i in range(start, start + count):
            needs.create(need_values(bank, title=f"Need {i}", starts_at=next_weekday(i % 7, 9 + i % 8)), None)
            warmth.create_event({"title": f"Event {i}", "kind": "social", "starts_at": next_weekday(i % 7, 18),
                                 "ends_at": next_weekday(i % 7, 20)}, None)
            organisations.create({"name": f"Organisation {i}", "target_groups": ["refugees"]})
            configuration.create_role({"name": f"Role {i}", "requires_certificate": True, "works_with": "minors",
                                       "purpose": "Tasks with minors."})
        db.session.commit()


@pytest.mark.parametrize("path", PAGES)
def test_query_count_is_the_same_with_few_and_many_rows(app, world, bank, beta_bank, client_as, queries, path):
    _grow(app, world, bank, beta_bank, 0, 2)
    client = client_as("alpha_coordinator")
    client.get(path)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    few = queries.count
    _grow(app, world, bank, beta_bank, 2, 25)
    queries.statements.clear()
    assert client.get(path).status_code == 200
    assert queries.count == few, queries.statements


def test_long_lists_are_paged(app, world, bank, beta_bank, client_as, monkeypatch):
    from dugnad_volunteers import bank as bank_module
    from dugnad_volunteers import pool

    monkeypatch.setattr(bank_module, "PAGE_SIZE", 2)
    monkeypatch.setattr(pool, "PAGE_SIZE", 2)
    _grow(app, world, bank, beta_bank, 0, 3)
    client = client_as("alpha_coordinator")
    client.post("/language", data={"lang": "en", "next": "/"})
    first = client.get("/alpha/volunteers/")
    assert "Page 1 of 2" in first.text and "/alpha/volunteers/?page=2" in first.text
    assert "Previous page" in client.get("/alpha/volunteers/?page=2").text
    assert "Page 1 of 2" in client.get("/alpha/volunteers/pool").text
