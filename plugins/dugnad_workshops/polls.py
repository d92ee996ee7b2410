"""Where the workshops meet the core's voting (``dugnad.voting.service``).

- The plenary of workshop 1: the tables' picks become the options of a dot vote, two dots
  each and at most one on a proposal ("alle deltakerne kan stemme på to forslag hver").
  It opens with voting cards for everyone in the room (QR codes for their phones); members
  vote logged in, facilitators enter paper dots, the projector shows the count live — all
  the core's pages. Once it has opened, the picks are fixed.
- Choosing the pilots: the solutions that went on become the options of a weighted
  criteria matrix, by default the four criteria of seed 003 §4.1.6.

The polls carry ``source_ref`` (the workshop, or the series for the matrix) and each option
the solution it stands for, so results map back to the workshop's own objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.sdk import db, Phase, Poll, Process, record, User, voting
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.models import Solution, Workshop

DOTS_EACH = 2


def vote_ref(workshop: Workshop) -> str:
    return f"workshops.workshop:{workshop.id}"


def matrix_ref(process: Process) -> str:
    return f"workshops.series:{process.id}"


def option_ref(solution: Solution) -> str:
    return f"workshops.solution:{solution.id}"


def _solution_id(ref: str | None) -> int | None:
    if not ref or not ref.startswith("workshops.solution:"):
        return None
    try:
        return int(ref.split(":", 1)[1])
    except ValueError:
        return None


def _latest(ref: str) -> Poll | None:
    polls = voting.polls_of(source_ref=ref)
    return polls[0] if polls else None


def _phase(process: Process, key: str) -> Phase | None:
    return db.session.scalar(select(Phase).where(Phase.process_id == process.id, Phase.key == key))


def _options(solutions: list[Solution]) -> list[dict]:
    return [{"label": s.title, "description": s.sharpened or s.measure or s.description, "source_ref": option_ref(s)}
            for s in solutions]


# --- the plenary dot vote ------------------------------------------------------------------------


def vote_of(workshop: Workshop) -> Poll | None:
    """The plenary's dot vote, if one has been made."""
    return _latest(vote_ref(workshop))


def vote_is_open(workshop: Workshop) -> bool:
    """Whether the plenary vote has opened (then the picks are fixed, also once it has closed)."""
    poll = vote_of(workshop)
    return poll is not None and poll.status in ("open", "closed")


def open_vote(workshop: Workshop, user: User | None, *, anyway: bool = False) -> Poll:
    """The tables' picks as a dot vote, open now, with a voting card for everyone in the room."""
    from dugnad_workshops.room import in_room, tables_of
    from dugnad_workshops.series import activity_of, process_of
    from dugnad_workshops.tablework import solutions_of

    if workshop.number != 1:
        raise WorkshopError(_("The plenary vote belongs to workshop 1."), "vote", 404)
    if vote_of(workshop) is not None:
        raise WorkshopError(_("The plenary vote has been made already."), "vote", 409)
    process = process_of(workshop)
    picks = solutions_of(process.id, workshop=workshop, picked=True)
    if len(picks) < 2:
        raise WorkshopError(_("The vote needs at least two proposals. The tables send theirs from their tablets."),
                            "vote", 409)
    waiting = [t.name for t in tables_of(workshop) if not any(s.table_id == t.id for s in picks)]
    if waiting and not anyway:
        raise WorkshopError(_("Not every table has sent its proposals yet: %(tables)s. Wait for them, or open the vote "
                              "without them.", tables=", ".join(waiting)), "anyway", 409)
    poll = voting.create_poll(
        process, title=_("Which proposals go on to workshop 2?"), method="dot",
        phase=_phase(process, "verksted1"), activity=activity_of(workshop),
        description=_("Everyone has %(n)s dots: put them on the two proposals you most want to take further.",
                      n=DOTS_EACH),
        options=_options(picks), settings={"dots_per_person": DOTS_EACH, "stacking": False},
        results_visibility="live", user=user, source_ref=vote_ref(workshop))
    voting.open_poll(poll, user)
    people = len(in_room(workshop)) + len([t for t in tables_of(workshop) if t.facilitator_id])
    if people:
        voting.issue_links(poll, people, user)
    record("workshops.vote_opened", workshop, poll_id=poll.id, proposals=len(picks))
    return poll


def _close(poll: Poll | None, user: User | None, missing: str) -> Poll:
    if poll is None:
        raise WorkshopError(missing, "vote", 404)
    voting.close_poll(poll, user)
    return poll


def close_vote(workshop: Workshop, user: User | None) -> Poll:
    return _close(vote_of(workshop), user, _("There is no vote to close."))


def dot_results(workshop: Workshop, solutions: dict[int, Solution]) -> tuple[list[tuple[Solution, int]], int]:
    """The proposals with their dots, most first, and how many voted (empty without a vote)."""
    poll = vote_of(workshop)
    if poll is None or poll.status == "draft":
        return [], 0
    found = voting.results(poll)
    by_option = {option_id: _solution_id(option.source_ref) for option_id, option in found.options.items()}
    missing = {sid for sid in by_option.values() if sid is not None and sid not in solutions}
    if missing:
        solutions = {**solutions, **{s.id: s for s in db.session.scalars(select(Solution).where(Solution.id.in_(missing)))}}
    rows = [(solutions[by_option[row.option]], row.value) for row in found.tally.rows
            if by_option.get(row.option) in solutions]
    return rows, found.turnout


def leaders(workshop: Workshop, places: int) -> set[int]:
    """The proposals at the top of the vote (ties at the last place included): those to go on."""
    poll = vote_of(workshop)
    if poll is None or poll.status != "closed":
        return set()
    found = voting.results(poll)
    return {_solution_id(found.options[row.option].source_ref) for row in found.tally.rows
            if row.rank <= places and row.value > 0}


# --- the pilot matrix -------------------------------------------------------------------------------


@dataclass
class Ranked:
    solution: Solution
    rank: int
    total: float | None  # weighted total
    means: tuple[tuple[str, float | None], ...]
    count: int


def matrix_of(process: Process) -> Poll | None:
    """The weighted criteria matrix that chooses the pilots, if one has been made."""
    return _latest(matrix_ref(process))


def open_matrix(process: Process, user: User | None) -> Poll:
    """The solutions that went on, scored on the four criteria of seed 003 §4.1.6."""
    from dugnad_workshops.tablework import solutions_of

    if matrix_of(process) is not None:
        raise WorkshopError(_("The criteria matrix has been made already."), "matrix", 409)
    candidates = solutions_of(process.id, chosen=True)
    if len(candidates) < 2:
        raise WorkshopError(_("The matrix compares at least two solutions. Only one went on: make it a pilot directly."),
                            "matrix", 409)
    poll = voting.create_poll(
        process, title=_("Which solutions should we pilot?"), method="matrix", phase=_phase(process, "pilotering"),
        description=_("Score each solution on the four criteria: the expected effect on the need, the cost of a "
                      "test that still shows whether it works, our capacity and competence, and how well it fits "
                      "what we already do."),
        options=_options(candidates), results_visibility="live", user=user, source_ref=matrix_ref(process))
    voting.open_poll(poll, user)
    record("workshops.matrix_opened", process, poll_id=poll.id, candidates=len(candidates))
    return poll


def close_matrix(process: Process, user: User | None) -> Poll:
    return _close(matrix_of(process), user, _("There is no matrix to close."))


def matrix_results(process: Process) -> tuple[list[Ranked], int]:
    """The candidates ranked by their weighted total, and how many scored."""
    poll = matrix_of(process)
    if poll is None or poll.status == "draft":
        return [], 0
    found = voting.results(poll)
    ids = {option_id: _solution_id(option.source_ref) for option_id, option in found.options.items()}
    solutions = {s.id: s for s in db.session.scalars(select(Solution).where(Solution.id.in_(
        [i for i in ids.values() if i is not None])))}
    ranked = [Ranked(solutions[ids[row.option]], row.rank, row.weighted_total, row.means, row.count)
              for row in found.tally.rows if ids.get(row.option) in solutions]
    return ranked, found.turnout
