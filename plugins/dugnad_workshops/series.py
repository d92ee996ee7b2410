"""A workshop series: a process started from the plugin's template, its themes (written
as innovation questions), the preparatory material and its two workshops.

A process started from the template on the core's own pages gets its series the first
time the workshop pages meet it (``ensure``), so both ways of starting work alike.
Every function works in the municipality in context and raises ``WorkshopError``
before it changes anything; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from dugnad.sdk import Activity, db, Phase, Process, processes, record, User
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.models import AREAS, Theme, Workshop, WorkshopSeries, WorkshopTable
from dugnad_workshops.template import KEY

PHASE_OF_WORKSHOP = {1: "verksted1", 2: "verksted2"}
MAX_QUESTION = 300


# --- the series ------------------------------------------------------------------------


def series_processes() -> list[Process]:
    return list(db.session.scalars(select(Process).where(Process.template_key == KEY)
                                   .order_by(Process.status, Process.created_at.desc(), Process.id.desc())))


def get_process(process_id: int) -> Process | None:
    """A process of this municipality started from the workshop template."""
    return db.session.scalar(select(Process).where(Process.id == process_id, Process.template_key == KEY))


def series_of(process: Process) -> WorkshopSeries | None:
    return db.session.scalar(select(WorkshopSeries).where(WorkshopSeries.process_id == process.id))


def ensure(process: Process) -> bool:
    """Give ``process`` its series and two workshops if it has not got them; True if it made them."""
    made = False
    if series_of(process) is None:
        db.session.add(WorkshopSeries(process_id=process.id))
        made = True
    numbers = set(db.session.scalars(select(Workshop.number).where(Workshop.process_id == process.id)))
    for number in (1, 2):
        if number not in numbers:
            db.session.add(Workshop(process_id=process.id, number=number, rotations=1 if number == 1 else 0))
            made = True
    if made:
        db.session.flush()
    return made


def start(name: str | None, user: User | None) -> Process:
    process = processes.start_process(KEY, name, user)
    ensure(process)
    record("workshops.series_started", process, name=process.name)
    return process


def set_preparation(series: WorkshopSeries, text: str | None) -> None:
    text = (text or "").strip()
    if len(text) > 20000:
        raise WorkshopError(_("The preparatory material can be at most 20,000 characters."), "preparation")
    series.preparation = text or None
    record("workshops.preparation_changed", series)


# --- workshops -----------------------------------------------------------------------------


def workshops_of(process: Process) -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).where(Workshop.process_id == process.id).order_by(Workshop.number)))


def get_workshop(workshop_id: int) -> Workshop | None:
    return db.session.scalar(select(Workshop).where(Workshop.id == workshop_id))


def process_of(workshop: Workshop) -> Process:
    return db.session.scalar(select(Process).where(Process.id == workshop.process_id))


def activity_of(workshop: Workshop) -> Activity | None:
    if workshop.activity_id is None:
        return None
    return db.session.scalar(select(Activity).where(Activity.id == workshop.activity_id))


def activities_of(workshops: list[Workshop]) -> dict[int, Activity]:
    """workshop id -> its activity, in one query."""
    ids = [w.activity_id for w in workshops if w.activity_id]
    found = {a.id: a for a in db.session.scalars(select(Activity).where(Activity.id.in_(ids)))} if ids else {}
    return {w.id: found[w.activity_id] for w in workshops if w.activity_id in found}


def title_of(workshop: Workshop, process: Process) -> str:
    return _("Workshop %(n)s: %(name)s", n=workshop.number, name=process.name)


def _phase_for(process: Process, key: str) -> Phase:
    phase = db.session.scalar(select(Phase).where(Phase.process_id == process.id, Phase.key == key))
    return phase or processes.get_phase(process, process.current_phase_id) or processes.phases_of(process)[0]


def schedule(workshop: Workshop, starts_at: datetime | None, ends_at: datetime | None, location: str | None) -> Activity:
    """Set the time and place: the workshop's activity in the process plan, made or changed.
    People already invited are told of a change by ``invitations.sync_invitations``."""
    process = process_of(workshop)
    activity = activity_of(workshop)
    data = {"kind": "workshop", "starts_at": starts_at, "ends_at": ends_at, "location": location,
            "status": "planned" if activity is None or activity.status == "cancelled" else activity.status}
    if activity is None:
        data.update(title=title_of(workshop, process), phase_id=_phase_for(process, PHASE_OF_WORKSHOP[workshop.number]).id)
        activity = processes.create_activity(process, data)
        workshop.activity_id = activity.id
        if workshop.invited_sequence is not None:
            workshop.invited_sequence = -1  # a new calendar entry: everyone invited hears of it
    else:
        processes.update_activity(process, activity, data)
    record("workshops.scheduled", workshop, starts_at=activity.starts_at.isoformat(), location=activity.location)
    if workshop.invited_sequence is not None:
        from dugnad.sdk import enqueue_after_commit
        from dugnad_workshops.invitations import sync_invitations

        enqueue_after_commit(sync_invitations, job_id=f"workshop-sync-{workshop.tenant_id}-{workshop.id}-{activity.sequence}")
    return activity


def set_rotations(workshop: Workshop, rotations: int) -> None:
    if not isinstance(rotations, int) or not 0 <= rotations <= 12:
        raise WorkshopError(_("Choose between 0 and 12 rotations."), "rotations")
    if workshop.status != "planned" and rotations < workshop.current_round:
        raise WorkshopError(_("Round %(n)s has been held already: keep at least %(n)s rotations.",
                              n=workshop.current_round), "rotations")
    workshop.rotations = rotations
    record("workshops.rotations_changed", workshop, rotations=rotations)


# --- themes (innovation questions) ----------------------------------------------------------


def themes_of(process: Process) -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.process_id == process.id).order_by(Theme.position, Theme.id)))


def get_theme(process: Process, theme_id) -> Theme | None:
    try:
        theme_id = int(theme_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Theme).where(Theme.id == theme_id, Theme.process_id == process.id))


def _check_theme(area: str, question: str) -> str:
    if area not in AREAS:
        raise WorkshopError(_("Choose the theme area."), "area")
    question = " ".join((question or "").split())
    if not question:
        raise WorkshopError(_("Write the theme as a question, for example “How can we …?”"), "question")
    if len(question) > MAX_QUESTION:
        raise WorkshopError(_("Keep the question short: at most %(n)s characters.", n=MAX_QUESTION), "question")
    if not question.endswith("?"):
        raise WorkshopError(_("An innovation question ends with a question mark: it asks, it does not answer."), "question")
    return question


def add_theme(process: Process, area: str, question: str) -> Theme:
    question = _check_theme(area, question)
    duplicate = db.session.scalar(select(Theme.id).where(Theme.process_id == process.id,
                                                          func.lower(Theme.question) == question.lower()))
    if duplicate is not None:
        raise WorkshopError(_("This question is already a theme of the series."), "question")
    last = db.session.scalar(select(func.max(Theme.position)).where(Theme.process_id == process.id))
    theme = Theme(process_id=process.id, area=area, question=question, position=(last or 0) + 1)
    db.session.add(theme)
    db.session.flush()
    record("workshops.theme_added", theme, process_id=process.id)
    return theme


def update_theme(theme: Theme, area: str, question: str) -> None:
    theme.question = _check_theme(area, question)
    theme.area = area
    record("workshops.theme_changed", theme)


def remove_theme(theme: Theme) -> None:
    used = db.session.scalar(select(func.count()).select_from(WorkshopTable).where(WorkshopTable.theme_id == theme.id))
    if used:
        raise WorkshopError(ngettext("%(num)s table works on this theme. Give it another theme first.",
                                     "%(num)s tables work on this theme. Give them another theme first.", used), "theme")
    record("workshops.theme_removed", theme, question=theme.question)
    db.session.delete(theme)
    db.session.flush()


def shift_theme(theme: Theme, delta: int) -> None:
    process = db.session.scalar(select(Process).where(Process.id == theme.process_id))
    themes = themes_of(process)
    index = next(i for i, t in enumerate(themes) if t.id == theme.id)
    target = index + delta
    if 0 <= target < len(themes):
        themes[index], themes[target] = themes[target], themes[index]
    for position, item in enumerate(themes):
        item.position = position
