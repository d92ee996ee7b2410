"""The whole model, as a coordinator and the participants go through it (seed 003, chapter 4):
preparation, workshop 1, homework, workshop 2, piloting and evaluation — through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.voting import service as voting
from dugnad.voting.models import Poll
from dugnad_workshops import polls, room, series
from dugnad.processes import service as processes
from dugnad.processes.models import Activity, Decision, Process
from dugnad_workshops.models import Homework, Need, Pilot, PilotRound, Solution, Workshop
from tests.plugins.workshops.workshops_support import GUESTS, english, future, in_tenant, outbox, person, text  # noqa: F401
from dugnad.clock import today as oslo_today


def link(message, kind: str) -> str:
    return re.search(rf"https?://\S+/workshops/{kind}/\S+", message.body).group(0).split("dugnad.test", 1)[1]


def test_a_workshop_series_from_preparation_to_a_scaled_pilot(app, english, world):
    alpha = world.tenants["alpha"]
    client = english("alpha_coordinator")

    # --- preparation ---------------------------------------------------------------------------
    assert client.post("/alpha/workshops/", data={"name": "Integrering i Alfa"}).status_code == 302
    process_id = in_tenant(app, alpha, lambda: db.session.scalar(select(Process.id)))
    series_url = f"/alpha/workshops/series/{process_id}/"
    for area, question in (("housing", "Hvordan trygge det private utleiemarkedet slik at de ønsker å leie ut til flyktninger?"),
                           ("qualification_settled", "Hvordan kan flyktninger gis bedre mulighet til sysselsetting?")):
        assert client.post(series_url + "themes", data={"area": area, "question": question}).status_code == 302
    client.post(series_url + "preparation", data={"preparation": "Tenk på flaskehalsene, og hva du kan bidra med."})
    people = {}

    def register():
        for name, category in (("Frida Fasilitator", "municipality"), ("Finn Fasilitator", "volunteer")) + GUESTS[:8]:
            participant = person(name, category)
            db.session.add(participant)
            db.session.flush()
            people[name] = participant.id
        db.session.commit()

    in_tenant(app, alpha, register)
    first, second = in_tenant(app, alpha, lambda: db.session.scalars(select(Workshop.id).order_by(Workshop.number)).all())
    starts = future(days=7)
    client.post(f"/alpha/workshops/{first}/schedule", data={"starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                                                            "ends_at": (starts + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
                                                            "location": "Rådhuset"})
    for name in [n for n, _c in GUESTS[:8]]:
        client.post(f"/alpha/workshops/{first}/invitations", data={"participant_id": people[name]})
    assert client.post(f"/alpha/workshops/{first}/invitations/send").status_code == 302
    invitations = outbox(app, "workshop-invitation")
    assert len(invitations) == 8 and "Tenk på flaskehalsene" in invitations[0].body
    guest = app.test_client()
    for message in invitations:
        assert guest.post(link(message, "answer"), data={"answer": "yes"}).status_code == 302

    # --- workshop 1: the room, the tables, the plenary ------------------------------------------
    themes = in_tenant(app, alpha, lambda: [t.id for t in series.themes_of(
        db.session.get(Process, process_id))])
    for i, (name, theme) in enumerate(zip(("Frida Fasilitator", "Finn Fasilitator"), themes)):
        client.post(f"/alpha/workshops/{first}/tables", data={"name": f"Bord {i + 1}", "theme_id": theme,
                                                              "facilitator_id": people[name], "seats": "6"})
    client.post(f"/alpha/workshops/{first}/rotations", data={"rotations": "1"})
    assert "8 people are placed for 2 rounds." in text(client.post(f"/alpha/workshops/{first}/place", follow_redirects=True))
    client.post(f"/alpha/workshops/{first}/round", data={"step": "start"})
    tables = in_tenant(app, alpha, lambda: [t.id for t in room.tables_of(
        db.session.get(Workshop, first))])
    client.post(f"/alpha/workshops/{first}/tables/{tables[0]}/needs", data={"text": "Lite kunnskap om å bo i Norge"})
    client.post(f"/alpha/workshops/{first}/tables/{tables[1]}/needs", data={"text": "For kortvarige praksisplasser"})
    client.post(f"/alpha/workshops/{first}/round", data={"step": "next"})  # the forced rotation
    needs = in_tenant(app, alpha, lambda: dict(db.session.execute(select(Need.text, Need.id)).all()))
    client.post(f"/alpha/workshops/{first}/needs/{needs['Lite kunnskap om å bo i Norge']}/priority", data={"prioritised": "1"})
    client.post(f"/alpha/workshops/{first}/tables/{tables[0]}/ideas", data={
        "need_id": needs["Lite kunnskap om å bo i Norge"], "title": "Boligskole med vertsfamilier",
        "measure": "Komprimert boligskole, deretter oppfølging hjemme av en frivillig vertsfamilie"})
    client.post(f"/alpha/workshops/{first}/tables/{tables[1]}/ideas", data={
        "need_id": needs["For kortvarige praksisplasser"], "title": "Utdanningsløp mot fagbrev",
        "measure": "Trekantsamarbeid mellom NAV, skole og bedrifter"})
    ideas = in_tenant(app, alpha, lambda: dict(db.session.execute(select(Solution.title, Solution.id)).all()))
    for idea in ideas.values():
        client.post(f"/alpha/workshops/{first}/ideas/{idea}/plenary", data={"send": "1"})
    plenary = text(client.get(f"/alpha/workshops/{first}/plenary"))
    assert "Boligskole med vertsfamilier" in plenary and "Utdanningsløp mot fagbrev" in plenary
    # the plenary dot vote: phones with voting cards, and dots from the flip-over entered on paper
    assert client.post(f"/alpha/workshops/{first}/plenary/vote").status_code == 302
    poll = in_tenant(app, alpha, lambda: polls.vote_of(db.session.get(Workshop, first)))
    codes = in_tenant(app, alpha, lambda: [code for _v, code in voting.cards(db.session.get(Poll, poll.id))])
    assert len(codes) == 10
    options = in_tenant(app, alpha, lambda: [o.id for o in voting.options_of(db.session.get(Poll, poll.id))])
    for code in codes[:6]:
        phone = app.test_client()
        phone.get(f"/alpha/vote/{code}")
        assert phone.post(f"/alpha/vote/{code}", data={f"dots-{o}": 1 for o in options}).status_code == 302
    client.post(f"/alpha/polls/{poll.id}/paper", data={"participant_id": "", f"dots-{options[0]}": 1})
    client.post(f"/alpha/workshops/{first}/plenary/vote", data={"step": "close"})
    assert "7 people have voted" in text(client.get(f"/alpha/workshops/{first}/plenary"))
    client.post(f"/alpha/workshops/{first}/plenary/choose", data={"chosen": [str(i) for i in ideas.values()]})
    due = oslo_today() + timedelta(days=10)
    for title, owner in (("Boligskole med vertsfamilier", "Vera Frivillig"), ("Utdanningsløp mot fagbrev", "Bodil Bedrift")):
        s = ideas[title]
        assert client.post(f"/alpha/workshops/series/{process_id}/solutions/{s}/homework", data={
            f"h{s}-owner_id": people[owner], f"h{s}-questions": "Hva koster det?\nHvem må være med?",
            f"h{s}-due_date": due.isoformat()}).status_code == 302
    client.post(f"/alpha/workshops/{first}/round", data={"step": "finish"})
    assert client.post(f"/alpha/workshops/{first}/summary", data={"note": "Takk for en god kveld!"}).status_code == 302
    summaries = outbox(app, "workshop-summary")
    assert len(summaries) == 10  # eight in the room, two facilitators
    assert "Boligskole med vertsfamilier" in summaries[0].body and "Hva koster det?" in summaries[0].body
    assert "7 personer stemte, med to prikker hver." in summaries[0].body  # mail goes out in Bokmål

    # --- homework ------------------------------------------------------------------------------
    for message in outbox(app, "workshop-homework"):
        guest.post(link(message, "homework"), data={"findings": f"Funnet av {message.recipient}: det finnes tilskudd."})
    assert in_tenant(app, alpha, lambda: db.session.scalars(select(Homework.submitted_at)).all()).count(None) == 0

    # --- workshop 2: presented, sharpened, checked; the action plan -----------------------------
    later = future(days=14)
    client.post(f"/alpha/workshops/{second}/schedule", data={"starts_at": later.strftime("%Y-%m-%dT%H:%M"),
                                                             "ends_at": (later + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")})
    client.post(f"/alpha/workshops/{second}/tables/copy")
    assert "det finnes tilskudd" in text(client.get(f"/alpha/workshops/{second}/plenary"))
    second_tables = in_tenant(app, alpha, lambda: [t.id for t in room.tables_of(
        db.session.get(Workshop, second))])
    s = ideas["Boligskole med vertsfamilier"]
    client.post(f"/alpha/workshops/{second}/tables/{second_tables[0]}/ideas/{s}/sharpen", data={
        f"s{s}-sharpened": "Boligkontoret har hovedansvaret; Frivilligsentralen rekrutterer vertsfamilier",
        f"s{s}-rules_check": "ok", f"s{s}-budget_check": "partly", f"s{s}-budget_note": "Integreringstilskuddet kan brukes"})
    client.post(f"/alpha/workshops/series/{process_id}/solutions/{s}/pilot", data={
        f"p{s}-title": "Boligskole med vertsfamilier", f"p{s}-owner_id": people["Kari Kommune"],
        f"p{s}-starts_on": oslo_today().isoformat(), f"p{s}-first_activity": "Gå gjennom innholdet i dagens boligskole",
        f"p{s}-target_result": "Færre skader på boliger, flere i egen eid bolig"})
    plan = text(client.get(f"/alpha/workshops/{second}/plenary"))
    assert "Gå gjennom innholdet i dagens boligskole" in plan and "Kari Kommune" in plan

    # --- piloting and evaluation ------------------------------------------------------------------
    pilot = in_tenant(app, alpha, lambda: db.session.scalar(select(Pilot.id)))
    base = f"/alpha/workshops/series/{process_id}/pilots/{pilot}"
    client.post(base + "/rounds", data={"r-started_on": oslo_today().isoformat(), "r-tested": "Fire familier, to vertsfamilier"})
    round_id = in_tenant(app, alpha, lambda: db.session.scalar(select(PilotRound.id)))
    client.post(base + f"/rounds/{round_id}/findings", data={"f-tested": "Fire familier, to vertsfamilier",
                                                             "f-findings": "Alle fire klarer seg selv etter tre måneder",
                                                             "f-reached": "4"})
    client.post(base + f"/rounds/{round_id}/decide", data={"d-decision": "scale", "d-reason": "Det virker for familiene"})
    client.post(base + "/evaluation", data={"e-evaluation": "Ingen skader, to familier har kjøpt bolig", "e-reached": "4"})

    def check():
        assert db.session.get(Pilot, pilot).status == "scaled"
        assert db.session.scalar(select(Decision.title)) == "Scale up the pilot “Boligskole med vertsfamilier”"
        process = db.session.get(Process, process_id)
        kinds = sorted(a.kind for a in processes.activities_of(process))
        assert kinds == ["task", "task", "task", "workshop", "workshop"]  # two homework, a pilot's first activity
        assert db.session.scalar(select(Activity.status).where(Activity.id == db.session.get(Workshop, first).activity_id)) == "done"

    in_tenant(app, alpha, check)
    metrics = app.extensions["dugnad.plugins"].registry.metrics
    held = in_tenant(app, alpha, lambda: metrics["workshops.held"].compute(alpha, oslo_today() - timedelta(days=1),
                                                                          oslo_today() + timedelta(days=1)))
    scaled = in_tenant(app, alpha, lambda: metrics["workshops.pilots_scaled"].compute(alpha, oslo_today() - timedelta(days=1),
                                                                                     oslo_today() + timedelta(days=1)))
    assert (held, scaled) == (1, 1)
