"""Where the workshops meet the core's voting: the plenary dot vote of workshop 1 and
the weighted criteria matrix that chooses the pilots."""

from __future__ import annotations

from dugnad.processes.models import Process
from dugnad_workshops.models import Solution, Workshop


def vote_of(workshop: Workshop):
    """The plenary's dot vote, if one has been made."""
    return None


def vote_is_open(workshop: Workshop) -> bool:
    """Whether a plenary vote is running (then the picks are fixed)."""
    return False


def dot_results(workshop: Workshop, solutions: dict[int, Solution]) -> tuple[list[tuple[Solution, int]], int]:
    """The plenary's proposals with their dots, most first, and how many voted."""
    return [], 0


def matrix_of(process: Process):
    """The pilot matrix of the series, if one has been made."""
    return None
