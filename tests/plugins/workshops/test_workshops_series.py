"""Preparing a series: started from the plugin's template (here or on the process pages),
themes written as innovation questions or picked from the seed's list, the preparatory
material, and the workshops' times in the process plan."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.processes import service as processes
from dugnad.processes.models import Activity, Process
from dugnad_workshops.models import Theme, Workshop, WorkshopSeries
from dugnad_workshops.questions import QUESTIONS
from dugnad_workshops.template import WORKSHOPS
from tests.plugins.workshops.workshops_support import build_room, english, future, in_tenant, text  # noqa: F401


def test_a_series_starts_from_the_template_with_its_six_phases_and_two_workshops(app, english, world):
    client = english("alpha_coordinator")
    response = client.post("/alpha/workshops/", data={"name": "Integrering 2026"})
    assert response.status_code == 302

    def check():
        process = db.session.scalar(select(Process))
        assert process.template_key == "workshops" and process.name == "Integrering 2026"
        assert [p.name for p in processes.phases_of(process)] == [p.name for p in WORKSHOPS.phases]
        assert [w.number for w in db.session.scalars(select(Workshop).order_by(Workshop.number))] == [1, 2]
        return process.id

    process_id = in_tenant(app, world.tenants["alpha"], check)
    assert response.headers["Location"].endswith(f"/alpha/workshops/series/{process_id}/")
    page = text(client.get(f"/alpha/workshops/series/{process_id}/"))
    assert "Integrering 2026" in page and "Workshop 1" in page and "Workshop 2" in page
    # the process pages carry the plugin's tabs
    overview = text(client.get(f"/alpha/processes/{process_id}/"))
    assert f"/alpha/workshops/series/{process_id}/" in overview and f"/alpha/workshops/series/{process_id}/pilots" in overview


def test_a_series_started_on_the_process_pages_gets_its_workshops_on_first_sight(app, english, world):
    client = english("alpha_coordinator")
    assert client.post("/alpha/processes/new", data={"template": "workshops", "name": "Fra prosessiden"}).status_code == 302
    process_id = in_tenant(app, world.tenants["alpha"], lambda: db.session.scalar(select(Process.id)))
    assert in_tenant(app, world.tenants["alpha"], lambda: db.session.scalar(select(WorkshopSeries.id))) is None
    assert client.get(f"/alpha/workshops/series/{process_id}/").status_code == 200
    assert in_tenant(app, world.tenants["alpha"], lambda: len(db.session.scalars(select(Workshop)).all())) == 2
    assert "Fra prosessiden" in text(client.get("/alpha/workshops/"))


def test_a_blt_process_is_not_a_workshop_series(app, english, world):
    client = english("alpha_coordinator")
    client.post("/alpha/processes/new", data={"template": "blt"})
    process_id = in_tenant(app, world.tenants["alpha"], lambda: db.session.scalar(select(Process.id)))
    assert client.get(f"/alpha/workshops/series/{process_id}/").status_code == 404
    assert "/alpha/workshops/series/" not in text(client.get(f"/alpha/processes/{process_id}/"))


def test_themes_are_picked_from_the_seeds_list_or_written_anew(app, english, world):
    made = build_room(app, world, invite=False)
    client = english("alpha_coordinator")
    page = text(client.get(f"/alpha/workshops/series/{made.process}/"))
    for question in QUESTIONS["qualification_reception"]:
        assert question in page
    picked = QUESTIONS["qualification_reception"][1]
    assert client.post(f"/alpha/workshops/series/{made.process}/themes",
                       data={"area": "qualification_reception", "question": picked}).status_code == 302
    own = "Hvordan kan flere flyktninger bli frivillige i idrettslaget?"
    assert client.post(f"/alpha/workshops/series/{made.process}/themes", data={"area": "own", "question": own}).status_code == 302
    themes = in_tenant(app, made.tenant_id, lambda: [(t.area, t.question) for t in db.session.scalars(
        select(Theme).order_by(Theme.position))])
    assert themes[-2:] == [("qualification_reception", picked), ("own", own)]


def test_a_theme_must_be_a_question_and_is_kept_when_refused(app, english, world):
    made = build_room(app, world, invite=False)
    client = english("alpha_coordinator")
    typed = "Lag en jobbsentral for flyktninger"
    response = client.post(f"/alpha/workshops/series/{made.process}/themes", data={"area": "own", "question": typed})
    assert response.status_code == 422
    assert "ends with a question mark" in text(response) and typed in text(response)
    duplicate = in_tenant(app, made.tenant_id, lambda: db.session.scalars(select(Theme.question)).first())
    response = client.post(f"/alpha/workshops/series/{made.process}/themes", data={"area": "housing", "question": duplicate})
    assert response.status_code == 422 and "already a theme" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: len(db.session.scalars(select(Theme)).all())) == 3


def test_a_theme_in_use_at_a_table_cannot_be_removed(app, english, world):
    made = build_room(app, world, invite=False)
    client = english("alpha_coordinator")
    response = client.post(f"/alpha/workshops/series/{made.process}/themes/{made.themes[0]}/remove", follow_redirects=True)
    assert "1 table works on this theme" in text(response)
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Theme, made.themes[0])) is not None


def test_themes_are_edited_and_reordered(app, english, world):
    made = build_room(app, world, invite=False)
    client = english("alpha_coordinator")
    assert client.post(f"/alpha/workshops/series/{made.process}/themes/{made.themes[2]}/shift",
                       data={"direction": "up"}).status_code == 302
    assert client.post(f"/alpha/workshops/series/{made.process}/themes/{made.themes[2]}/edit",
                       data={"area": "participation", "question": "Hvordan styrke deltakelsen i arbeid og fritid?"}
                       ).status_code == 302
    order = in_tenant(app, made.tenant_id, lambda: [t.id for t in db.session.scalars(select(Theme).order_by(Theme.position))])
    assert order == [made.themes[0], made.themes[2], made.themes[1]]
    assert in_tenant(app, made.tenant_id, lambda: db.session.get(Theme, made.themes[2]).question).startswith("Hvordan styrke")


def test_the_workshop_is_scheduled_in_the_process_plan_and_a_past_time_is_refused(app, english, world):
    made = build_room(app, world, invite=False, schedule=False)
    client = english("alpha_coordinator")
    starts = future(days=10)
    response = client.post(f"/alpha/workshops/{made.second}/schedule", data={
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": (starts + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Westcon AS"})
    assert response.status_code == 302

    def check():
        activity = db.session.scalar(select(Activity).where(Activity.kind == "workshop"))
        assert (activity.location, activity.starts_at, activity.title) == ("Westcon AS", starts,
                                                                           "Workshop 2: Integrering 2026")
        phase = processes.get_phase(db.session.get(Process, made.process), activity.phase_id)
        assert phase.key == "verksted2"

    in_tenant(app, made.tenant_id, check)
    past = future(days=-2)
    response = client.post(f"/alpha/workshops/{made.first}/schedule", data={
        "starts_at": past.strftime("%Y-%m-%dT%H:%M"), "ends_at": (past + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Rådhuset"})
    assert response.status_code == 422 and "has passed" in text(response) and "Rådhuset" in text(response)


def test_the_preparatory_material_is_saved_for_the_invitations(app, english, world):
    made = build_room(app, world, invite=False)
    client = english("alpha_coordinator")
    material = "Tenk gjennom: hvilke flaskehalser ser du? Hva kan din organisasjon bidra med?"
    assert client.post(f"/alpha/workshops/series/{made.process}/preparation", data={"preparation": material}).status_code == 302
    assert material in text(client.get(f"/alpha/workshops/series/{made.process}/"))
    member = english("alpha_member")
    page = text(member.get(f"/alpha/workshops/series/{made.process}/"))
    assert material in page and "Save the material" not in page


def test_a_member_sees_the_series_but_changes_nothing(app, english, world):
    made = build_room(app, world, invite=False)
    member = english("alpha_member")
    assert member.get("/alpha/workshops/").status_code == 200
    assert member.post("/alpha/workshops/", data={"name": "x"}).status_code == 403
    assert member.post(f"/alpha/workshops/series/{made.process}/themes", data={"area": "own", "question": "x?"}).status_code == 403
    assert member.get(f"/alpha/workshops/{made.first}/room").status_code == 403
    assert member.get(f"/alpha/workshops/{made.first}/tables/{made.tables[0]}").status_code == 403
    assert member.get(f"/alpha/workshops/{made.first}/summary").status_code == 200


def test_the_list_and_the_widget(app, english, world):
    build_room(app, world, invite=False)
    client = english("alpha_coordinator")
    assert "Integrering 2026" in text(client.get("/alpha/workshops/"))
    widget = text(client.get("/alpha/workshops/widget", headers={"HX-Request": "true"}))
    assert "widget-content" in widget and "Workshop 1: Integrering 2026" in widget
    assert "Integration workshops" in text(client.get("/alpha/"))
