"""The rules of one poll: which method, which options, and the method's settings.

``PollRules`` is pure data (no database): the voting views build one from a
stored poll, and the validate and tally functions of ``dugnad.voting.tally``
read only it. A refused ballot raises ``BallotError`` with a sentence a
participant (or the facilitator entering paper dots) can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable, Literal

RankedVariant = Literal["irv", "borda"]


class BallotError(ValueError):
    """A ballot the poll refuses; ``str(error)`` is a plain-English message for people."""


@dataclass(frozen=True)
class Criterion:
    """One column of the weighted criteria matrix: scored per option, weighted in the total."""

    key: str
    label: str
    weight: float = 1.0


#: Pilot selection criteria of seed 003 §4.1.6, equally weighted by default.
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("effect", "Expected effect on the need"),
    Criterion("cost", "Cost of a test that still answers whether it works"),
    Criterion("capacity", "Capacity and competence to run it"),
    Criterion("fit", "Fit with existing services"),
)


@dataclass(frozen=True)
class PollRules:
    """What a poll allows.

    ``method``: a poll method key (dot, approval, single, ranked, score, consent, matrix).
    ``options``: the option ids, in display order (the order also breaks ties
    deterministically where a method needs that).
    Per-method settings (ignored by the methods that do not use them):

    - dot: ``dots_per_person`` (2 — "every participant gets two dots"),
      ``max_per_option`` (None = no cap beyond the total), ``stacking``
      (False = at most one dot per option).
    - approval: ``max_approvals`` (None = approve any number).
    - score and matrix: ``score_min`` .. ``score_max`` inclusive (0–5).
    - matrix: ``criteria`` (the four of seed 003 §4.1.6 by default).
    - ranked: ``ranked_variant`` "irv" (instant runoff) or "borda".
    """

    method: str
    options: tuple[Hashable, ...] = ()
    dots_per_person: int = 2
    max_per_option: int | None = None
    stacking: bool = True
    max_approvals: int | None = None
    score_min: int = 0
    score_max: int = 5
    criteria: tuple[Criterion, ...] = field(default=DEFAULT_CRITERIA)
    ranked_variant: RankedVariant = "irv"
    labels: tuple[tuple[Hashable, str], ...] = ()  # (option, label): named in messages people read

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "criteria", tuple(self.criteria))
        if len(set(self.options)) != len(self.options):
            raise ValueError("Poll options must be distinct.")
        if self.dots_per_person < 1:
            raise ValueError("dots_per_person must be at least 1.")
        if self.max_per_option is not None and self.max_per_option < 1:
            raise ValueError("max_per_option must be at least 1 (or None).")
        if self.max_approvals is not None and self.max_approvals < 1:
            raise ValueError("max_approvals must be at least 1 (or None).")
        if self.score_min > self.score_max:
            raise ValueError("score_min must not exceed score_max.")
        if self.ranked_variant not in ("irv", "borda"):
            raise ValueError("ranked_variant must be 'irv' or 'borda'.")
        if len({c.key for c in self.criteria}) != len(self.criteria):
            raise ValueError("Criterion keys must be distinct.")

    def label(self, option: Hashable) -> str | None:
        return next((label for key, label in self.labels if key == option), None)

    @property
    def per_option_cap(self) -> int:
        """Most dots one person may put on one option."""
        cap = self.dots_per_person if self.stacking else 1
        if self.max_per_option is not None:
            cap = min(cap, self.max_per_option)
        return cap


def as_rules(poll: Any, method: str) -> PollRules:
    """``PollRules`` from what a caller hands over.

    Accepts a ``PollRules``, anything with a ``rules`` attribute holding one (a
    stored poll), or a plain sequence of option ids (the ``tally(ballots, options)``
    signature of ``PollMethod``), which gets the method's default settings.
    """
    if isinstance(poll, PollRules):
        return poll
    rules = getattr(poll, "rules", None)
    if isinstance(rules, PollRules):
        return rules
    return PollRules(method=method, options=tuple(poll or ()))
