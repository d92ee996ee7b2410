"""Deleting a volunteer erases every copy the platform holds of them — their row, the
outbox (with their self-service links), audit details, queued jobs and what other
plugins wrote about them — through the core's one erasure (``dugnad.sdk.erase``).
Proven the hard way: afterwards the whole database is searched for their name, e-mail
address and phone number."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from dugnad.audit import record
from dugnad.extensions import db
from dugnad.handoffs.models import Handoff, HandoffEvent
from dugnad.jobs import enqueue
from dugnad.notifications.outbox import OutboxMessage
from dugnad_volunteers.models import Volunteer
from tests.core.test_jobs import rq  # noqa: F401  (the fixture, asked for mid-test)
from tests.plugins.volunteers.volunteers_support import (  # noqa: F401
    bank,
    in_tenant,
    link_in,
    messages,
    registration_form,
)
from tests.support.sample_plugin import add_note
from tests.support.sample_plugin.models import Note

NAME, EMAIL, PHONE = "Selam Haile", "selam@example.no", "+47 912 34 567"


def _everything(owner_engine) -> str:
    """Every value of every row of every table, as one text."""
    parts = []
    with owner_engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(parts)


def _traces(text: str) -> list[str]:
    found = [mark for mark in (NAME, EMAIL) if mark.lower() in text.lower()]
    if re.search(r"9\D?1\D?2\D?3\D?4\D?5\D?6\D?7", text):
        found.append(PHONE)
    return found


def test_deleting_a_volunteer_leaves_no_trace_of_them_anywhere(app, world, bank, client_as, owner_engine, request):
    public = app.test_client()
    assert public.post("/alpha/frivillig/", data=registration_form(bank)).status_code == 302
    (confirm,) = messages(app, "volunteer-confirm")
    assert public.post(link_in(confirm, "/frivillig/bekreft/")).status_code == 200
    with in_tenant(app, world.tenants["alpha"]):
        volunteer_id = db.session.scalar(select(Volunteer.id))
    coordinator = client_as("alpha_coordinator")
    coordinator.post(f"/alpha/volunteers/{volunteer_id}/decision", data={
        "decision-decision": "more_info", "decision-message": f"Hei {NAME}, ring oss gjerne. Vi har {PHONE}?"})
    coordinator.post(f"/alpha/volunteers/{volunteer_id}/decision", data={"decision-decision": "approve"})
    with in_tenant(app, world.tenants["alpha"]):
        record("sample.call_noted", None, about=f"Ringte {NAME} på {PHONE} ({EMAIL})")
        db.session.add(Note(text=f"Spør {NAME} om søndag"))  # another plugin's copy
        handoff = Handoff(kind="volunteers.need", kind_label="Frivillig hjelp", receiver="dugnad_volunteers",
                          origin_type="pilot", origin_id=1, origin_label=f"Pilot med {NAME}",
                          origin_endpoint="workshops.pilot", origin_args={"note": EMAIL},
                          contact=EMAIL, purpose=f"{NAME} trenger følge, ring {PHONE}",
                          values={"title": f"Følge for {NAME}", "phone": PHONE})
        db.session.add(handoff)
        db.session.flush()
        db.session.add(HandoffEvent(handoff_id=handoff.id, status="sent", note=f"Avtalt med {NAME}"))
        db.session.commit()  # a request for help between modules about them, in the core's handoff tables
    request.getfixturevalue("rq")  # from here on jobs wait in a queue, as with a worker
    with in_tenant(app, world.tenants["alpha"]):
        queued = enqueue(add_note, f"Send kart til {EMAIL}")
    own_link = link_in(messages(app, "volunteer-confirm")[0], "/frivillig/")
    before = _everything(owner_engine)
    assert set(_traces(before)) == {NAME, EMAIL, PHONE}  # the copies the test relies on are there
    assert len([m for m in messages(app) if m.recipient == EMAIL]) >= 3

    assert coordinator.post(f"/alpha/volunteers/{volunteer_id}/delete").status_code == 302

    after = _everything(owner_engine)
    assert _traces(after) == [], [line for line in after.splitlines() if _traces(line)]
    assert queued.connection.exists(queued.key) == 0  # the queued job naming them is gone
    with in_tenant(app, world.tenants["alpha"]):
        assert db.session.get(Volunteer, volunteer_id).anonymised_at is not None  # the row stays, blank
        notice = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "volunteer-new")).all()
        assert all("[slettet]" in m.body for m in notice)  # the coordinator's notice keeps its shape
        assert db.session.scalar(select(Note.text).where(Note.text.like("Spør%"))) == "Spør [slettet] om søndag"
        kept = db.session.scalar(select(Handoff))
        assert kept.purpose == "[slettet] trenger følge, ring [slettet]"  # the request keeps its shape
        assert kept.values == {"title": "Følge for [slettet]", "phone": "[slettet]"}
    assert public.get(own_link).status_code == 404  # their link in a kept copy would not work either
