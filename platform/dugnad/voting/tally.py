"""Validating and tallying ballots, one pair of functions per poll method.

Everything here is pure: no database, no request, no clock (messages are translated when a
request has a language, English otherwise). ``validate_<method>(ballot, poll)``
raises ``BallotError`` (a ``ValueError``) with a plain-English message, and returns
nothing for a good ballot. ``tally_<method>(ballots, poll)`` turns a list of
validated ballots into a frozen result; the order of the ballots never changes
the result. ``poll`` is a ``PollRules``, an object with a ``rules`` attribute,
or a plain sequence of option ids (default settings) — see ``rules.as_rules``.

Ballot shapes
-------------
- dot:      ``{option_id: dots}``
- approval: a set/list/tuple of option ids
- single:   one option id
- ranked:   an ordered list of distinct option ids, best first (may be partial or empty)
- score:    ``{option_id: score}`` (options left out are not scored)
- consent:  ``{"position": "agree"|"abstain"|"disagree"|"block", "reason": str}``
- matrix:   ``{option_id: {criterion_key: score}}`` (every criterion for each option scored;
            options left out are not scored)

Results
-------
- ``Tally(method, rows, ballots, winners, rounds)`` for dot, approval, single and
  ranked: ``rows`` are ``Row(option, value, rank)`` best first, where ``value`` is
  dots, approvals, votes, or Borda points — for instant runoff, the votes in the
  last round an option took part in. ``rounds`` holds the instant-runoff rounds.
  ``Tally.dots_used`` is the sum of the values (the dots used, for dot voting).
- ``ScoreTally(rows, ballots, winners)`` with ``ScoreRow(option, total, count, mean, rank)``.
- ``ConsentTally(counts, ballots, outcome, reasons)``.
- ``MatrixTally(criteria, rows, ballots, winners)`` with
  ``MatrixRow(option, means, weighted_total, count, rank)``.

Ranks are competition ranks: equal values share a rank and the next rank skips
(1, 1, 3), so ties show as ties. Rows with equal values keep the poll's option
order. ``winners`` are all options at rank 1 — several on a tie, none when
nothing was voted for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Hashable, Iterable, Sequence

from flask_babel import gettext as _
from flask_babel import ngettext

from dugnad.voting.rules import BallotError, Criterion, PollRules, as_rules

Option = Hashable

POSITIONS = ("agree", "abstain", "disagree", "block")


# --- results -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One option's line in a result: its value (dots, votes, points) and its rank (1 = best)."""

    option: Option
    value: int
    rank: int


@dataclass(frozen=True)
class Round:
    """One instant-runoff round: votes per continuing option (poll order), the option
    eliminated after it (None in the last round), and ballots with no continuing preference."""

    counts: tuple[tuple[Option, int], ...]
    eliminated: Option | None
    exhausted: int


@dataclass(frozen=True)
class Tally:
    """Result of dot, approval, single-choice and ranked polls (see the module docstring)."""

    method: str
    rows: tuple[Row, ...]
    ballots: int
    winners: tuple[Option, ...]
    rounds: tuple[Round, ...] = ()

    @property
    def dots_used(self) -> int:
        return sum(row.value for row in self.rows)

    def value(self, option: Option) -> int:
        return next(row.value for row in self.rows if row.option == option)


@dataclass(frozen=True)
class ScoreRow:
    """Scores for one option: their sum, how many people scored it, the mean (None if nobody)."""

    option: Option
    total: int
    count: int
    mean: float | None
    rank: int


@dataclass(frozen=True)
class ScoreTally:
    """Score poll result, ranked by mean score; options nobody scored come last."""

    rows: tuple[ScoreRow, ...]
    ballots: int
    winners: tuple[Option, ...]


@dataclass(frozen=True)
class ConsentTally:
    """Consent result: ``counts`` per position (all four present), ``outcome`` "blocked"
    (any block), else "agreed" (agree > disagree), else "not agreed"; ``reasons`` are
    ``(position, reason)`` for every ballot that gave one, blocks first then disagree,
    abstain and agree, alphabetical within a position."""

    counts: Mapping[str, int]
    ballots: int
    outcome: str
    reasons: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MatrixRow:
    """One option in the weighted criteria matrix: ``means`` as ``(criterion_key, mean)``
    in criteria order, ``weighted_total`` = Σ weight × mean (None if nobody scored it)."""

    option: Option
    means: tuple[tuple[str, float | None], ...]
    weighted_total: float | None
    count: int
    rank: int


@dataclass(frozen=True)
class MatrixTally:
    """Matrix result, ranked by weighted total; options nobody scored come last."""

    criteria: tuple[Criterion, ...]
    rows: tuple[MatrixRow, ...]
    ballots: int
    winners: tuple[Option, ...]


# --- helpers ------------------------------------------------------------------------


def _name(option: Option, rules: PollRules | None = None) -> str:
    label = rules.label(option) if rules is not None else None
    return f"“{label if label is not None else option}”"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _known(option: Option, rules: PollRules) -> None:
    try:
        known = option in rules.options
    except TypeError:  # unhashable
        known = False
    if not known:
        raise BallotError(_("%(option)s is not an option in this poll.", option=_name(option, rules)))


def _ranks(values: Sequence[Any]) -> list[int]:
    """Competition ranks for values already sorted best first (None = worst, unranked last)."""
    ranks: list[int] = []
    for i, value in enumerate(values):
        ranks.append(ranks[-1] if i and value == values[i - 1] else i + 1)
    return ranks


def _ranked(values: Mapping[Option, Any], order: Sequence[Option]) -> list[tuple[Option, Any, int]]:
    """``(option, value, rank)`` best first: higher value first, None last, ties in poll order."""
    position = {option: i for i, option in enumerate(order)}
    keyed = sorted(order, key=lambda o: (values[o] is None, -(values[o] or 0), position[o]))
    ranks = _ranks([values[o] for o in keyed])
    return [(o, values[o], r) for o, r in zip(keyed, ranks)]


def _winners(ranked: Iterable[tuple[Option, Any, int]]) -> tuple[Option, ...]:
    return tuple(o for o, value, rank in ranked if rank == 1 and value)


def _count_tally(method: str, counts: Mapping[Option, int], rules: PollRules, ballots: int) -> Tally:
    ranked = _ranked(counts, rules.options)
    return Tally(method, tuple(Row(o, v, r) for o, v, r in ranked), ballots, _winners(ranked))


def _score(value: Any, rules: PollRules, what: str) -> None:
    if not _is_int(value):
        raise BallotError(_("The score for %(what)s must be a whole number.", what=what))
    if not rules.score_min <= value <= rules.score_max:
        raise BallotError(_("The score for %(what)s must be between %(low)s and %(high)s; you gave %(value)s.",
                            what=what, low=rules.score_min, high=rules.score_max, value=value))


# --- dot voting -----------------------------------------------------------------------


def validate_dot(ballot: Any, poll: Any) -> None:
    """``{option_id: dots}``: known options, whole numbers ≥ 0, at most ``dots_per_person``
    in all, at most ``max_per_option`` on one option, and one per option without stacking."""
    rules = as_rules(poll, "dot")
    if not isinstance(ballot, Mapping):
        raise BallotError(_("Put your dots on the options you support."))
    for option, dots in ballot.items():
        _known(option, rules)
        if not _is_int(dots) or dots < 0:
            raise BallotError(_("The dots on %(option)s must be a whole number, zero or more.", option=_name(option, rules)))
    used = sum(ballot.values())
    if used > rules.dots_per_person:
        raise BallotError(ngettext("You have %(num)s dot and used %(used)s.", "You have %(num)s dots and used %(used)s.",
                                   rules.dots_per_person, used=used))
    for option, dots in ballot.items():
        if dots > 1 and not rules.stacking:
            raise BallotError(_("You can put only one dot on each option; %(option)s has %(dots)s.",
                                option=_name(option, rules), dots=dots))
        if rules.max_per_option is not None and dots > rules.max_per_option:
            raise BallotError(ngettext("You can put at most %(num)s dot on one option; %(option)s has %(dots)s.",
                                       "You can put at most %(num)s dots on one option; %(option)s has %(dots)s.",
                                       rules.max_per_option, option=_name(option, rules), dots=dots))


def tally_dot(ballots: Sequence[Mapping[Option, int]], poll: Any) -> Tally:
    """Dots per option, ranked; ``ballots`` is the number of people who voted."""
    rules = as_rules(poll, "dot")
    counts = {o: 0 for o in rules.options}
    for ballot in ballots:
        for option, dots in ballot.items():
            counts[option] += dots
    return _count_tally("dot", counts, rules, len(ballots))


# --- approval ---------------------------------------------------------------------------


def validate_approval(ballot: Any, poll: Any) -> None:
    """A set/list of distinct known option ids, at most ``max_approvals`` of them."""
    rules = as_rules(poll, "approval")
    if isinstance(ballot, (str, bytes, Mapping)) or not isinstance(ballot, Iterable):
        raise BallotError(_("Tick the options you can support."))
    chosen = list(ballot)
    for option in chosen:
        _known(option, rules)
    if len(set(chosen)) != len(chosen):
        raise BallotError(_("You ticked the same option twice."))
    if rules.max_approvals is not None and len(chosen) > rules.max_approvals:
        raise BallotError(ngettext("You can tick at most %(num)s option and ticked %(ticked)s.",
                                   "You can tick at most %(num)s options and ticked %(ticked)s.",
                                   rules.max_approvals, ticked=len(chosen)))


def tally_approval(ballots: Sequence[Iterable[Option]], poll: Any) -> Tally:
    """Approvals per option, ranked."""
    rules = as_rules(poll, "approval")
    counts = {o: 0 for o in rules.options}
    for ballot in ballots:
        for option in set(ballot):
            counts[option] += 1
    return _count_tally("approval", counts, rules, len(ballots))


# --- single choice ---------------------------------------------------------------------


def validate_single(ballot: Any, poll: Any) -> None:
    """One known option id."""
    rules = as_rules(poll, "single")
    if ballot is None:
        raise BallotError(_("Choose one option."))
    _known(ballot, rules)


def tally_single(ballots: Sequence[Option], poll: Any) -> Tally:
    """Votes per option, ranked; several winners on a tie."""
    rules = as_rules(poll, "single")
    counts = {o: 0 for o in rules.options}
    for ballot in ballots:
        counts[ballot] += 1
    return _count_tally("single", counts, rules, len(ballots))


# --- ranked choice ---------------------------------------------------------------------


def validate_ranked(ballot: Any, poll: Any) -> None:
    """An ordered list of distinct known option ids, best first; it may leave options out."""
    rules = as_rules(poll, "ranked")
    if not isinstance(ballot, (list, tuple)):
        raise BallotError(_("Put the options in your order of preference."))
    for option in ballot:
        _known(option, rules)
    if len(set(ballot)) != len(ballot):
        raise BallotError(_("Each option can appear only once in your ranking."))


def tally_ranked(ballots: Sequence[Sequence[Option]], poll: Any) -> Tally:
    """Instant runoff or Borda, as ``ranked_variant`` says."""
    rules = as_rules(poll, "ranked")
    return tally_borda(ballots, rules) if rules.ranked_variant == "borda" else tally_irv(ballots, rules)


def tally_irv(ballots: Sequence[Sequence[Option]], poll: Any) -> Tally:
    """Instant runoff, round by round.

    Each ballot counts for its highest-ranked continuing option. An option with
    more than half the continuing ballots (those that still rank a continuing
    option) wins. Otherwise the option with the fewest votes is eliminated and
    the next round counted. If every continuing option has the same number of
    votes (including a final pair at 1–1) they all win: a tie shows as a tie.

    Tie-break for elimination (deterministic, independent of ballot order):
    among the options tied for fewest votes, look at the earlier rounds from
    round 1 on and keep only those with the fewest votes in the first round
    where the tied options differ; if they never differ, eliminate the one
    listed last in the poll's option order.

    Rows: the winners first, then the other options by the round they were
    eliminated in (latest first); ``value`` is an option's votes in the last
    round it took part in.
    """
    rules = as_rules(poll, "ranked")
    continuing = list(rules.options)
    position = {o: i for i, o in enumerate(rules.options)}
    history: list[dict[Option, int]] = []
    rounds: list[Round] = []
    out_order: list[Option] = []  # eliminated, first out first
    last_votes: dict[Option, int] = {}
    winners: tuple[Option, ...] = ()
    while continuing:
        counts = {o: 0 for o in continuing}
        exhausted = 0
        for ballot in ballots:
            top = next((o for o in ballot if o in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        history.append(counts)
        last_votes.update(counts)
        active = len(ballots) - exhausted
        leader = max(continuing, key=lambda o: counts[o])
        if 2 * counts[leader] > active > 0:
            winners = (leader,)
        elif active and len(set(counts.values())) == 1:
            winners = tuple(continuing)  # every continuing option tied: a tie, not a coin toss
        if winners or not active:  # no active ballots only happens in round 1: nobody ranked anything
            rounds.append(Round(tuple(counts.items()), None, exhausted))
            break
        fewest = min(counts.values())
        tied = [o for o in continuing if counts[o] == fewest]
        for earlier in history:
            low = min(earlier[o] for o in tied)
            tied = [o for o in tied if earlier[o] == low]
            if len(tied) == 1:
                break
        loser = max(tied, key=lambda o: position[o])
        rounds.append(Round(tuple(counts.items()), loser, exhausted))
        continuing.remove(loser)
        out_order.append(loser)
    remaining = [o for o in continuing if o not in winners]
    remaining.sort(key=lambda o: (-last_votes.get(o, 0), position[o]))
    order = list(winners) + remaining + out_order[::-1]
    rows = []
    for i, option in enumerate(order):
        if option in winners:
            rank = 1
        elif i and option in remaining and rows[-1].option in remaining and rows[-1].value == last_votes[option]:
            rank = rows[-1].rank
        else:
            rank = i + 1
        rows.append(Row(option, last_votes.get(option, 0), rank))
    return Tally("ranked", tuple(rows), len(ballots), winners, tuple(rounds))


def tally_borda(ballots: Sequence[Sequence[Option]], poll: Any) -> Tally:
    """Borda count: with n options, a ballot's first choice gets n−1 points, the next
    n−2, … down to 0; options a ballot leaves unranked get nothing from it."""
    rules = as_rules(poll, "ranked")
    n = len(rules.options)
    points = {o: 0 for o in rules.options}
    for ballot in ballots:
        for i, option in enumerate(ballot):
            points[option] += n - 1 - i
    return _count_tally("ranked", points, rules, len(ballots))


# --- score -------------------------------------------------------------------------------


def validate_score(ballot: Any, poll: Any) -> None:
    """``{option_id: score}`` with whole-number scores in [score_min, score_max]."""
    rules = as_rules(poll, "score")
    if not isinstance(ballot, Mapping):
        raise BallotError(_("Give each option a score."))
    for option, score in ballot.items():
        _known(option, rules)
        _score(score, rules, _name(option, rules))


def tally_score(ballots: Sequence[Mapping[Option, int]], poll: Any) -> ScoreTally:
    """Total, count and mean score per option, ranked by mean (exact, so ties are ties)."""
    rules = as_rules(poll, "score")
    totals = {o: 0 for o in rules.options}
    counts = {o: 0 for o in rules.options}
    for ballot in ballots:
        for option, score in ballot.items():
            totals[option] += score
            counts[option] += 1
    means = {o: Fraction(totals[o], counts[o]) if counts[o] else None for o in rules.options}
    ranked = _ranked(means, rules.options)
    rows = tuple(
        ScoreRow(o, totals[o], counts[o], float(m) if m is not None else None, r) for o, m, r in ranked
    )
    winners = tuple(o for o, m, r in ranked if r == 1 and m is not None)
    return ScoreTally(rows, len(ballots), winners)


# --- consent -----------------------------------------------------------------------------


def validate_consent(ballot: Any, poll: Any = None) -> None:
    """``{"position": agree|abstain|disagree|block, "reason": str}``; disagree and block need a reason."""
    if not isinstance(ballot, Mapping):
        raise BallotError(_("Choose agree, abstain, disagree or block."))
    position = ballot.get("position")
    if position not in POSITIONS:
        raise BallotError(_("Choose agree, abstain, disagree or block."))
    reason = ballot.get("reason", "")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise BallotError(_("The reason must be text."))
    if position in ("disagree", "block") and not reason.strip():
        raise BallotError(_("Please give a reason when you disagree.") if position == "disagree"
                          else _("Please give a reason when you block."))


def tally_consent(ballots: Sequence[Mapping[str, Any]], poll: Any = None) -> ConsentTally:
    """Counts per position, the outcome and the reasons given (see ``ConsentTally``)."""
    counts = {p: 0 for p in POSITIONS}
    reasons = []
    for ballot in ballots:
        position = ballot["position"]
        counts[position] += 1
        reason = (ballot.get("reason") or "").strip()
        if reason:
            reasons.append((position, reason))
    if counts["block"]:
        outcome = "blocked"
    elif counts["agree"] > counts["disagree"]:
        outcome = "agreed"
    else:
        outcome = "not agreed"
    severity = {"block": 0, "disagree": 1, "abstain": 2, "agree": 3}
    reasons.sort(key=lambda pr: (severity[pr[0]], pr[1]))
    return ConsentTally(counts, len(ballots), outcome, tuple(reasons))


# --- weighted criteria matrix -------------------------------------------------------------


def validate_matrix(ballot: Any, poll: Any) -> None:
    """``{option_id: {criterion_key: score}}``: every criterion scored for each option given,
    scores whole numbers in [score_min, score_max], no unknown options or criteria."""
    rules = as_rules(poll, "matrix")
    if not isinstance(ballot, Mapping):
        raise BallotError(_("Score each option on every criterion."))
    keys = {c.key for c in rules.criteria}
    for option, scores in ballot.items():
        _known(option, rules)
        if not isinstance(scores, Mapping):
            raise BallotError(_("Score %(option)s on every criterion.", option=_name(option, rules)))
        for key in scores:
            if key not in keys:
                raise BallotError(_("“%(key)s” is not a criterion in this poll.", key=key))
        for criterion in rules.criteria:
            if criterion.key not in scores:
                raise BallotError(_("%(option)s has no score for “%(criterion)s”.", option=_name(option, rules),
                                    criterion=criterion.label))
            _score(scores[criterion.key], rules, _("%(option)s on “%(criterion)s”", option=_name(option, rules),
                                                   criterion=criterion.label))


def tally_matrix(ballots: Sequence[Mapping[Option, Mapping[str, int]]], poll: Any) -> MatrixTally:
    """Mean score per criterion per option and the weighted total Σ weight × mean,
    ranked by weighted total (computed exactly, so ties are ties)."""
    rules = as_rules(poll, "matrix")
    totals = {o: Counter() for o in rules.options}
    counts = {o: 0 for o in rules.options}
    for ballot in ballots:
        for option, scores in ballot.items():
            counts[option] += 1
            for criterion in rules.criteria:
                totals[option][criterion.key] += scores[criterion.key]
    weighted: dict[Option, Fraction | None] = {}
    means: dict[Option, tuple[tuple[str, float | None], ...]] = {}
    for option in rules.options:
        n = counts[option]
        exact = {c.key: Fraction(totals[option][c.key], n) if n else None for c in rules.criteria}
        means[option] = tuple((k, float(m) if m is not None else None) for k, m in exact.items())
        weighted[option] = sum(Fraction(c.weight) * exact[c.key] for c in rules.criteria) if n else None
    ranked = _ranked(weighted, rules.options)
    rows = tuple(
        MatrixRow(o, means[o], float(w) if w is not None else None, counts[o], r) for o, w, r in ranked
    )
    winners = tuple(o for o, w, r in ranked if r == 1 and w is not None)
    return MatrixTally(rules.criteria, rows, len(ballots), winners)


VALIDATORS = {
    "dot": validate_dot,
    "approval": validate_approval,
    "single": validate_single,
    "ranked": validate_ranked,
    "score": validate_score,
    "consent": validate_consent,
    "matrix": validate_matrix,
}

TALLIES = {
    "dot": tally_dot,
    "approval": tally_approval,
    "single": tally_single,
    "ranked": tally_ranked,
    "score": tally_score,
    "consent": tally_consent,
    "matrix": tally_matrix,
}
