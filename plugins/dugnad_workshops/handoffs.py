"""Workshops ask other modules for help (``dugnad.handoffs``), without knowing them: a pilot
("the international café needs four hosts every Thursday") or a workshop (interpreters and
hosts for the evening) offers "Ask for help" with whatever the modules switched on here can
receive, and shows what came of it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dugnad.sdk import Activity, HandoffOrigin, Process, Reference, db, handoffs, today
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


# --- demo: handoffs in flight --------------------------------------------------------------------------

# (municipality, origin, which of its objects, words to find the kind of task by, values, purpose)
DEMO_REQUESTS = (
    ("tonsberg", WORKSHOP, 2, ("kafé", "kafe", "café", "arrangement", "event"),
     {"title": "Verter og kaffekokere på verksted 2", "location": "Tønsberg voksenopplæringssenter",
      "volunteers_needed": 3, "language": "ar",
      "description": "Ta imot deltakerne i døra, vise vei til bordene og holde kaffen varm. Minst én som snakker arabisk."},
     "Verksted 2 samler kommunen, frivilligheten, næringslivet og flyktninger; vi trenger verter så fasilitatorene "
     "kan konsentrere seg om bordene."),
    ("tonsberg", WORKSHOP, 2, ("aktivitet", "activity"),
     {"title": "Barnepass under verksted 2", "location": "Tønsberg voksenopplæringssenter, lekerommet",
      "volunteers_needed": 2,
      "description": "Leke med barna til deltakerne mens foreldrene er på verkstedet, fra 17 til 21."},
     "Flere i målgruppen kan bare komme om barna er passet; det gir flere stemmer fra målgruppen ved bordene."),
    ("hamar", PILOT, "Revitalisere boligskolen med vertsfamilier", ("vertsfamilie", "host"),
     {"title": "Vertsfamilier til runde 3 av boligskolen", "location": "Hamar kommune, boligkontoret",
      "volunteers_needed": 2, "description": "Følge opp en nybosatt familie i egen bolig gjennom året."},
     "Piloten med boligskolen trenger to nye vertsfamilier før neste runde."),
)
KIND = "volunteers.task"  # the kind the demo asks for, where a module that receives it is on


def _demo_origin(origin: str, which) -> tuple[int, object] | None:
    """The demo series' workshop (by number) or pilot (by title), with when the help is needed."""
    if origin == WORKSHOP:
        found = db.session.execute(select(Workshop, Activity.starts_at).join(
            Activity, (Activity.id == Workshop.activity_id) & (Activity.tenant_id == Workshop.tenant_id))
            .where(Workshop.number == which)).first()
        return (found[0].id, found[1]) if found else None
    pilot = db.session.scalar(select(Pilot).where(Pilot.title == which))
    if pilot is None:
        return None
    return pilot.id, datetime.combine(max(pilot.starts_on, today()) + timedelta(days=7), time(17))


def demo(tenant) -> list[str]:
    """Ask for help on the demo's workshops and pilots where a module that gives it is on; once."""
    done = []
    for slug, origin, which, words, values, purpose in DEMO_REQUESTS:
        if slug != tenant.slug:
            continue
        kind = next((k for k in handoffs.offers(origin) if k.key == KIND), None)
        found = _demo_origin(origin, which)
        if kind is None or found is None:
            continue
        object_id, starts = found
        if any(h.values.get("title") == values["title"] for h in handoffs.for_origin(origin, object_id)):
            continue
        role_field = next(f for f in kind.fields if f.key == "role_id")
        choices = handoffs.choices_of(role_field)
        role = next((value for value, label in choices if any(w in label.lower() for w in words)), choices[0][0])
        ends = starts + timedelta(hours=4 if origin == WORKSHOP else 2)
        handoffs.send(KIND, origin, object_id, purpose, {**values, "role_id": role, "starts_at": starts, "ends_at": ends})
        done.append(f"demo handoff in {tenant.name}: {values['title']}")
    return done
