"""Workshop 1 at the tables: needs recorded and prioritised, ideas tied to needs and developed
into solutions, each table's picks sent to the plenary, and which go on."""

from __future__ import annotations

from sqlalchemy import select

from dugnad.extensions import db
from dugnad_workshops.models import Need, Solution
from tests.plugins.workshops.workshops_support import build_room, english, in_tenant, text  # noqa: F401


def tablet(made, i=0):
    return f"/alpha/workshops/{made.first}/tables/{made.tables[i]}"


def need_id(app, made, text_):
    return in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Need.id).where(Need.text == text_)))


def test_the_tablet_shows_the_table_its_theme_and_who_sits_there(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(f"/alpha/workshops/{made.first}/place")
    page = text(client.get(tablet(made)))
    assert "Bord 1" in page and "Hvordan trygge det private utleiemarkedet" in page
    assert "Facilitator: Frida Fasilitator" in page and "4 people at the table" in page
    assert "Table tablets" in text(client.get(f"/alpha/workshops/{made.first}/tables"))


def test_needs_are_recorded_prioritised_and_ordered(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    for need in ("Private utleiere er skeptiske", "For få store leiligheter", "Lite kunnskap om å bo i Norge"):
        assert client.post(tablet(made) + "/needs", data={"text": need}).status_code == 302
    third = need_id(app, made, "Lite kunnskap om å bo i Norge")
    client.post(f"/alpha/workshops/{made.first}/needs/{third}/priority", data={"prioritised": "1"})
    first = need_id(app, made, "Private utleiere er skeptiske")
    client.post(f"/alpha/workshops/{made.first}/needs/{first}/shift", data={"direction": "down"})
    page = text(client.get(tablet(made)))
    assert page.index("Lite kunnskap om å bo i Norge") < page.index("For få store leiligheter") < page.index(
        "Private utleiere er skeptiske")
    response = client.post(tablet(made) + "/needs", data={"text": "   "})
    assert response.status_code == 422 and "Write the need" in text(response)


def test_ideas_answer_a_need_and_are_developed_into_solutions(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    client.post(tablet(made) + "/needs", data={"text": "Lite kunnskap om å bo i Norge"})
    need = need_id(app, made, "Lite kunnskap om å bo i Norge")
    response = client.post(tablet(made) + "/ideas", data={"title": "Boligskole", "description": "Kurs i å bo", "need_id": ""})
    assert response.status_code == 422 and "Every idea starts from a need" in text(response)
    assert "Kurs i å bo" in text(response)
    assert client.post(tablet(made) + "/ideas", data={"title": "Boligskole", "description": "Kurs i å bo",
                                                      "need_id": need}).status_code == 302
    solution = in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Solution)))
    assert (solution.need_id, solution.table_id) == (need, made.tables[0])
    assert client.post(f"/alpha/workshops/{made.first}/ideas/{solution.id}/edit", data={
        "title": "Revitalisere boligskolen", "need_id": need, "description": "Kurs i å bo",
        "measure": "Boligskole med frivillige vertsfamilier", "effect": "Bedre boevne",
        "key_resources": "Frivilligsentralen"}).status_code == 302
    page = text(client.get(tablet(made)))
    assert "Revitalisere boligskolen" in page and "Boligskole med frivillige vertsfamilier" in page
    # a need with an idea cannot be removed
    response = client.post(f"/alpha/workshops/{made.first}/needs/{need}/remove", follow_redirects=True)
    assert "1 idea answers this need" in text(response)


def test_each_tables_picks_go_to_the_plenary_and_the_best_go_on(app, english, world):
    made = build_room(app, world)
    client = english("alpha_coordinator")
    ids = []
    for i, (need, idea) in enumerate((("Få boliger", "Vertsfamilier"), ("Få jobber", "Mentorer"), ("Få møteplasser", "Internasjonal kafé"))):
        client.post(tablet(made, i) + "/needs", data={"text": need})
        client.post(tablet(made, i) + "/ideas", data={"title": idea, "need_id": need_id(app, made, need), "measure": idea + "!"})
        ids.append(in_tenant(app, made.tenant_id, lambda: db.session.scalar(select(Solution.id).where(Solution.title == idea))))
    plenary = f"/alpha/workshops/{made.first}/plenary"
    assert "No table has sent a proposal yet" in text(client.get(plenary))
    client.post(f"/alpha/workshops/{made.first}/ideas/{ids[0]}/plenary", data={"send": "1"})
    client.post(f"/alpha/workshops/{made.first}/ideas/{ids[1]}/plenary", data={"send": "1"})
    page = text(client.get(plenary))
    assert "Vertsfamilier" in page and "Mentorer" in page and "Internasjonal kafé" not in page
    assert "Not sent any proposal yet: Bord 3." in page
    # an idea at the plenary cannot be removed from the tablet
    response = client.post(f"/alpha/workshops/{made.first}/ideas/{ids[0]}/remove", follow_redirects=True)
    assert "Take it back from the plenary first" in text(response)
    assert client.post(f"/alpha/workshops/{made.first}/plenary/choose", data={"chosen": [str(ids[1])]}).status_code == 302
    chosen = in_tenant(app, made.tenant_id, lambda: db.session.scalars(select(Solution.title).where(
        Solution.chosen_at.is_not(None))).all())
    assert chosen == ["Mentorer"]
    assert "Mentorer" in text(client.get(f"/alpha/workshops/series/{made.process}/homework"))
