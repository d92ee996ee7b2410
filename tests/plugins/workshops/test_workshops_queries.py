"""The workshop pages cost the same SQL statements with few and with many rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dugnad.extensions import db
from dugnad_workshops import homework, pilots, series, tablework
from dugnad_workshops.models import Workshop, WorkshopTable
from tests.plugins.workshops.workshops_support import build_room, english, in_tenant  # noqa: F401
from dugnad.clock import today as oslo_today


def grow(app, made, n: int, followed_up: bool = True) -> None:
    """n more needs and ideas at the first table, all sent to the plenary and gone on, each
    with homework and a pilot (or, not ``followed_up``, waiting for them: a form each)."""

    def build():
        workshop = db.session.get(Workshop, made.first)
        table = db.session.get(WorkshopTable, made.tables[0])
        owner = made.people["Bodil Bedrift"]
        for i in range(n):
            need = tablework.add_need(workshop, table, f"Behov {i} {n}", None)
            solution = tablework.add_solution(workshop, table, {"need_id": need.id, "title": f"Idé {i} {n}",
                                                                "measure": "Slik"}, None)
            tablework.send_to_plenary(workshop, solution)
            tablework.choose([solution], {solution.id})
            if not followed_up:
                continue
            homework.assign(solution, owner, ["Hvem?"], oslo_today() + timedelta(days=3))
            pilot = pilots.create(solution, {"title": f"Pilot {i} {n}", "owner_id": owner, "starts_on": oslo_today(),
                                             "first_activity": "Start"})
            pilots.add_round(pilot, {"started_on": oslo_today(), "tested": "Noe"})
        db.session.commit()

    in_tenant(app, made.tenant_id, build)


@pytest.mark.parametrize("page, followed_up", [
    ("series", True), ("plenary", True), ("tablet", True), ("summary", True), ("homework", True), ("homework", False),
    ("pilots", True), ("pilots", False), ("index", True), ("checkin", True)])
def test_a_page_costs_the_same_with_2_and_12_ideas(app, english, world, queries, page, followed_up):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    paths = {
        "series": f"/alpha/workshops/series/{made.process}/",
        "plenary": f"/alpha/workshops/{made.first}/plenary",
        "tablet": f"/alpha/workshops/{made.first}/tables/{made.tables[0]}",
        "summary": f"/alpha/workshops/{made.first}/summary",
        "homework": f"/alpha/workshops/series/{made.process}/homework",
        "pilots": f"/alpha/workshops/series/{made.process}/pilots",
        "index": "/alpha/workshops/",
        "checkin": f"/alpha/workshops/{made.first}/checkin",
    }
    grow(app, made, 2, followed_up)
    client.get(paths[page])
    queries.statements.clear()
    assert client.get(paths[page]).status_code == 200
    few = queries.count
    grow(app, made, 10, followed_up)
    if page == "index":
        in_tenant(app, made.tenant_id, lambda: ([series.start(f"Serie {i}", None) for i in range(4)], db.session.commit()))
    client.get(paths[page])
    queries.statements.clear()
    assert client.get(paths[page]).status_code == 200
    assert queries.count == few, f"{page}: {few} statements with few rows, {queries.count} with many"
