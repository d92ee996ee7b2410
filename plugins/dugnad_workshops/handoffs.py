"""Workshops ask other modules for help (``dugnad.handoffs``), without knowing them: a pilot
("the international café needs four hosts every Thursday") or a workshop (interpreters and
hosts for the evening) offers "Ask for help" with whatever the modules switched on here can
receive, and shows what came of it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dugnad.sdk import HandoffOrigin, Reference, db, handoffs
from dugnad_workshops.models import Pilot, Workshop

PILOT = "workshops.pilot"
WORKSHOP = "workshops.workshop"


def pilot_reference(pilot: Pilot) -> Reference:
    return Reference(f"{PILOT}:{pilot.id}", pilot.title, "workshops.pilot",
                     {"process_id": pilot.process_id, "pilot_id": pilot.id})


def resolve_pilot(pilot_id: int) -> Reference | None:
    pilot = db.session.scalar(select(Pilot).where(Pilot.id == pilot_id))
    return pilot_reference(pilot) if pilot is not None else None


def resolve_workshop(workshop_id: int) -> Reference | None:
    from dugnad.sdk import Process

    found = db.session.execute(select(Workshop, Process.name).join(
        Process, (Process.id == Workshop.process_id) & (Process.tenant_id == Workshop.tenant_id))
        .where(Workshop.id == workshop_id)).first()
    if found is None:
        return None
    workshop, series_name = found
    return Reference(f"{WORKSHOP}:{workshop.id}", _("Workshop %(n)s, %(series)s", n=workshop.number, series=series_name),
                     "workshops.series", {"process_id": workshop.process_id})


ORIGINS = [
    HandoffOrigin(PILOT, _l("pilot"), resolve=resolve_pilot, permission="workshops.manage"),
    HandoffOrigin(WORKSHOP, _l("workshop"), resolve=resolve_workshop, permission="workshops.manage"),
]


def pilot_panel(pilot: Pilot):
    return handoffs.panel(PILOT, pilot.id, level=3)


def workshop_panels(workshops) -> dict:
    return {w.id: handoffs.panel(WORKSHOP, w.id, level=4) for w in workshops}
