"""Designing a track (seed 004's innovation seminars): the process template, target groups
and personas, solutions tied to one of the four tracks with who does what and a
3 days / 3 weeks / 3 months plan whose items become activities of the process, and the
Enkla jobb worksheet (Landskrona's method: a unit lists its tasks, marks the simple,
repeatable ones, and bundles them into a new job)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from dugnad.sdk import (
    Participant,
    PhaseTemplate,
    Poll,
    PollError,
    ProcessError,
    ProcessTemplate,
    Refusal,
    db,
    processes,
    record,
    today,
    voting,
)
from dugnad_recruitment.models import (
    HORIZON_DAYS,
    PLAN_HORIZONS,
    TRACK_KINDS,
    Persona,
    PlanItem,
    Solution,
    TargetGroup,
    Track,
    Worksheet,
    WorksheetTask,
)

TEMPLATE_KEY = "recruitment_track"
# Like the core's templates, the phases are written in Norwegian: they are copied into the
# municipality's own process, which it then edits (seed 004's innovation seminars).
TEMPLATE = ProcessTemplate(
    key=TEMPLATE_KEY,
    name="Rekrutteringsspor (innovasjonsseminarer)",
    description=("Fra utsiden av arbeidslivet til en jobb i kommunen: to innovasjonsseminarer med BLT-metoden "
                 "(behov, løsning, test), deretter utprøving og beslutning."),
    phases=(
        PhaseTemplate(
            "workshop1", "Innovasjonsseminar 1: behov, målgrupper og personas",
            desired_result=("Et innovasjonsspørsmål; målgruppene valgt, hver med personas; personenes ressurser og "
                            "behov, og kommunens behov som arbeidsgiver."),
            suggested_measures=("Skriv innovasjonsspørsmålet: et behov, en visjon, ingen løsning",
                                "Velg målgrupper og skriv en persona for hver",
                                "List opp kommunens behov som arbeidsgiver"),
            key_questions=("Hvem står utenfor arbeidslivet her, og hva har de med seg?",
                           "Hvilke oppgaver i enhetene blir ikke gjort?"),
            responsible_roles=("Rekrutteringskoordinator", "HR", "NAV"), ladder_level=3,
        ),
        PhaseTemplate(
            "workshop2", "Innovasjonsseminar 2: løsninger og veien inn",
            desired_result=("Løsninger knyttet til ett av de fire sporene, hver med hvem som gjør hva, veien inn "
                            "til enheten og en plan for 3 dager, 3 uker og 3 måneder."),
            suggested_measures=("Stem over løsningene (to prikker hver)", "Vurder de beste i kriteriematrisen"),
            key_questions=("Hvem følger opp personen i enheten?", "Hvordan finansieres plassen?"),
            responsible_roles=("Rekrutteringskoordinator", "Enhetsledere"), ladder_level=4,
        ),
        PhaseTemplate(
            "test", "Utprøving",
            desired_result=("En pilot med noen få kandidater, plasser i enheter, en mentor hver, finansiering på "
                            "plass og forventninger avklart: ingen jobb kan loves."),
            responsible_roles=("Enhetsledere", "Mentorer"), ladder_level=3,
        ),
        PhaseTemplate(
            "decide", "Beslutning",
            desired_result="Resultatene etter 6 måneder vurdert; sporet skalert, justert eller avsluttet.",
            responsible_roles=("Rådmann",), ladder_level=5,
        ),
    ),
)


def _required(data: dict[str, Any], key: str, message: str, limit: int = 200) -> str:
    value = (data.get(key) or "").strip()
    if not value:
        raise Refusal(message, key)
    if len(value) > limit:
        raise Refusal(_("At most %(n)s characters.", n=limit), key)
    return value


def _text(data: dict[str, Any], key: str) -> str | None:
    return (data.get(key) or "").strip() or None


# --- target groups and personas -------------------------------------------------------------------


def target_groups() -> list[TargetGroup]:
    return list(db.session.scalars(select(TargetGroup).order_by(TargetGroup.position, TargetGroup.name)))


def save_target_group(group: TargetGroup | None, data: dict[str, Any]) -> TargetGroup:
    name = _required(data, "name", _("Name the target group."))
    clash = db.session.scalar(select(TargetGroup.id).where(func.lower(TargetGroup.name) == name.lower()))
    if clash is not None and (group is None or clash != group.id):
        raise Refusal(_("There is already a target group with this name."), "name")
    if group is None:
        position = db.session.scalar(select(func.coalesce(func.max(TargetGroup.position), -1))) + 1
        group = TargetGroup(position=position)
        db.session.add(group)
    group.name, group.code, group.needs = name, (_text(data, "code") or "")[:8] or None, _text(data, "needs")
    db.session.flush()
    return group


def personas(group_ids: list[int] | None = None) -> list[Persona]:
    query = select(Persona).order_by(Persona.id)
    if group_ids is not None:
        query = query.where(Persona.target_group_id.in_(group_ids))
    return list(db.session.scalars(query))


def add_persona(data: dict[str, Any]) -> Persona:
    group = db.session.get(TargetGroup, data.get("target_group_id") or 0)
    if group is None:
        raise Refusal(_("Choose the target group the persona belongs to."), "target_group_id")
    persona = Persona(target_group_id=group.id, name=_required(data, "name", _("Give the persona a first name.")),
                      story=_required(data, "story", _("Tell the persona's story in a few sentences."), 4000),
                      resources=_text(data, "resources"), needs=_text(data, "needs"))
    db.session.add(persona)
    db.session.flush()
    return persona


# --- tracks --------------------------------------------------------------------------------------


def tracks() -> list[Track]:
    return list(db.session.scalars(select(Track).order_by(Track.name)))


def create_track(data: dict[str, Any], user) -> Track:
    """A track, designed in a process started from the plugin's template."""
    name = _required(data, "name", _("Name the track."))
    if data.get("kind") not in TRACK_KINDS:
        raise Refusal(_("Choose one of the four tracks."), "kind")
    if db.session.scalar(select(Track.id).where(func.lower(Track.name) == name.lower())) is not None:
        raise Refusal(_("There is already a track with this name."), "name")
    group_id = data.get("target_group_id") or None
    if group_id is not None and db.session.get(TargetGroup, group_id) is None:
        raise Refusal(_("Choose a target group from the list."), "target_group_id")
    try:
        process = processes.start_process(TEMPLATE_KEY, name, user, _text(data, "description"))
    except ProcessError as error:
        raise Refusal(str(error), "name") from None
    track = Track(name=name, kind=data["kind"], description=_text(data, "description"), target_group_id=group_id,
                  process_id=process.id)
    db.session.add(track)
    db.session.flush()
    record("recruitment.track.created", track, kind=track.kind, process_id=process.id)
    return track


# --- solutions and their 3 days / 3 weeks / 3 months plan -----------------------------------------


def solutions(track: Track) -> list[Solution]:
    return list(db.session.scalars(select(Solution).where(Solution.track_id == track.id).order_by(Solution.id)))


def plan_items(solution_ids: list[int]) -> dict[int, list[PlanItem]]:
    out: dict[int, list[PlanItem]] = {sid: [] for sid in solution_ids}
    if solution_ids:
        order = {"3d": 0, "3w": 1, "3m": 2}
        for item in db.session.scalars(select(PlanItem).where(PlanItem.solution_id.in_(solution_ids))):
            out[item.solution_id].append(item)
        for items in out.values():
            items.sort(key=lambda i: (order.get(i.horizon, 9), i.id))
    return out


def add_solution(track: Track, data: dict[str, Any]) -> Solution:
    """A solution with who does what and its plan. Each plan line becomes a task of the track's
    process in the workshop 2 phase, with the owner chosen and due 3 days, 3 weeks or 3 months
    after the plan starts — so the core's reminders of overdue work remind the owner."""
    title = _required(data, "title", _("Give the solution a title."))
    kind = data.get("kind") or track.kind
    if kind not in TRACK_KINDS:
        raise Refusal(_("Choose one of the four tracks."), "kind")
    group_id = data.get("target_group_id") or None
    if group_id is not None and db.session.get(TargetGroup, group_id) is None:
        raise Refusal(_("Choose a target group from the list."), "target_group_id")
    starts = data.get("plan_starts_on") or today()
    lines = {horizon: [line.strip() for line in (data.get(f"plan_{horizon}") or "").splitlines() if line.strip()]
             for horizon in PLAN_HORIZONS}
    if not any(lines.values()):
        raise Refusal(_("Write at least one thing to do in the first 3 days, 3 weeks or 3 months."), "plan_3d")
    owner_id = data.get("owner_id") or None
    if owner_id is not None and db.session.get(Participant, owner_id) is None:
        raise Refusal(_("Choose the owner from this municipality's participants."), "owner_id")
    solution = Solution(track_id=track.id, kind=kind, code=(_text(data, "code") or "")[:8] or None, title=title,
                        target_group_id=group_id, who_does_what=_text(data, "who_does_what"),
                        road_in=_text(data, "road_in"), plan_starts_on=starts)
    db.session.add(solution)
    db.session.flush()
    process = processes.get_process(track.process_id) if track.process_id else None
    phase = None
    if process is not None:
        phases = processes.phases_of(process)
        phase = next((p for p in phases if p.key == "workshop2"), phases[0] if phases else None)
    for horizon, texts in lines.items():
        for text in texts:
            if len(text) > 200:
                raise Refusal(_("Each line of the plan can be at most 200 characters."), f"plan_{horizon}")
            activity_id = None
            if process is not None and phase is not None:
                activity = processes.create_activity(process, {
                    "title": f"{title}: {text}"[:200], "kind": "task", "phase_id": phase.id, "owner_id": owner_id,
                    "due_date": starts + timedelta(days=HORIZON_DAYS[horizon]),
                    "description": _("From the %(horizon)s plan of “%(solution)s”.", horizon=PLAN_HORIZONS[horizon],
                                     solution=title)})
                activity_id = activity.id
            db.session.add(PlanItem(solution_id=solution.id, horizon=horizon, text=text, activity_id=activity_id))
    db.session.flush()
    record("recruitment.solution.created", solution, track_id=track.id)
    return solution


# --- the Enkla jobb worksheet ----------------------------------------------------------------------


def worksheets() -> list[Worksheet]:
    return list(db.session.scalars(select(Worksheet).order_by(Worksheet.unit)))


def create_worksheet(data: dict[str, Any]) -> Worksheet:
    track_id = data.get("track_id") or None
    if track_id is not None and db.session.get(Track, track_id) is None:
        raise Refusal(_("Choose a track from the list."), "track_id")
    sheet = Worksheet(unit=_required(data, "unit", _("Name the unit whose tasks are listed.")), track_id=track_id)
    db.session.add(sheet)
    db.session.flush()
    return sheet


def tasks(sheet: Worksheet) -> list[WorksheetTask]:
    return list(db.session.scalars(select(WorksheetTask).where(WorksheetTask.worksheet_id == sheet.id)
                                   .order_by(WorksheetTask.id)))


def add_task(sheet: Worksheet, data: dict[str, Any]) -> WorksheetTask:
    hours = data.get("hours_per_week")
    if hours is None or not 0 <= hours <= 40:
        raise Refusal(_("Estimate the hours per week, from 0 to 40."), "hours_per_week")
    task = WorksheetTask(worksheet_id=sheet.id, text=_required(data, "text", _("Describe the task."), 300),
                         simple=bool(data.get("simple")), repeatable=bool(data.get("repeatable")),
                         hours_per_week=float(hours))
    db.session.add(task)
    db.session.flush()
    return task


def bundle(sheet: Worksheet, task_ids: list[int], job_title: str, summary: str | None) -> float:
    """Bundle the chosen tasks (only simple, repeatable ones) into a job; returns its hours per week."""
    job_title = (job_title or "").strip()
    if not job_title:
        raise Refusal(_("Give the new job a title."), "job_title")
    chosen = [t for t in tasks(sheet) if t.id in set(task_ids)]
    if not chosen:
        raise Refusal(_("Choose the tasks that make up the job."), "task_ids")
    unsuitable = [t.text for t in chosen if not (t.simple and t.repeatable)]
    if unsuitable:
        raise Refusal(_("Only simple, repeatable tasks go into the job; not: %(tasks)s.",
                        tasks=", ".join(unsuitable)), "task_ids")
    for task in tasks(sheet):
        task.bundled = task in chosen
    sheet.job_title, sheet.job_summary = job_title[:200], (summary or "").strip() or None
    return sum(t.hours_per_week for t in chosen)


# --- choosing among the solutions: the core's dot vote and criteria matrix -------------------------

VOTE_METHODS = ("dot", "matrix")


def vote_ref(track: Track, method: str) -> str:
    return f"recruitment:track:{track.id}:{method}"


def vote_on_solutions(track: Track, method: str, user) -> Poll:
    """A poll in the track's process on its solutions: a dot vote (two dots each, as in the seminars)
    or the weighted criteria matrix for choosing what to test. Asking twice opens the same poll."""
    if method not in VOTE_METHODS:
        raise Refusal(_("Choose a dot vote or the criteria matrix."), "method")
    existing = db.session.scalar(select(Poll).where(Poll.source_ref == vote_ref(track, method)))
    if existing is not None:
        return existing
    found = solutions(track)
    if len(found) < 2:
        raise Refusal(_("Add at least two solutions to vote on."), "method")
    process = processes.get_process(track.process_id) if track.process_id else None
    if process is None:
        raise Refusal(_("This track has no design process to hold the vote."), "method")
    phase = next((p for p in processes.phases_of(process) if p.key == "workshop2"), None)
    options = [{"label": f"{s.code}: {s.title}" if s.code else s.title} for s in found]
    try:
        if method == "dot":
            poll = voting.create_poll(process, title=_("Which solutions do we take further?"), method="dot",
                                      phase=phase, options=options, settings={"dots_per_person": 2, "stacking": False},
                                      description=_("Everyone has two dots: put them on the solutions you most want "
                                                    "to take further."), user=user, source_ref=vote_ref(track, method))
        else:
            poll = voting.create_poll(process, title=_("Which solution do we test?"), method="matrix", phase=phase,
                                      options=options, user=user, source_ref=vote_ref(track, method))
        voting.open_poll(poll, user)
    except PollError as error:
        raise Refusal(str(error), "method") from None
    record("recruitment.track.vote", track, method=method, poll_id=poll.id)
    return poll
