"""Results as people read them: one shape for every method, used by the results page,
the live fragment, the projector view and the CSV export, so they always agree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from dugnad.voting.forms import criterion_label, to_local
from dugnad.voting.models import STATUSES, VISIBILITY, VOTER_KINDS
from dugnad.voting.tally import POSITIONS

VALUE_LABELS = {
    "dot": _l("Dots"),
    "approval": _l("Approvals"),
    "single": _l("Votes"),
    "ranked": _l("Votes in the last round"),
    "borda": _l("Borda points"),
}
POSITION_LABELS = {"agree": _l("Agree"), "abstain": _l("Abstain"), "disagree": _l("Disagree"), "block": _l("Block")}
OUTCOMES = {"agreed": _l("Agreed"), "not agreed": _l("Not agreed"), "blocked": _l("Blocked")}


def labels() -> dict[str, Any]:
    from dugnad.voting.service import method_registry, rules_of

    return {"STATUSES": STATUSES, "VISIBILITY": VISIBILITY, "VOTER_KINDS": VOTER_KINDS, "METHODS": method_registry(),
            "POSITION_LABELS": POSITION_LABELS, "criterion_label": criterion_label, "to_local": to_local,
            "rules_for": rules_of}


@dataclass
class Row:
    option_id: int | None
    label: str
    rank: int | None
    tie: bool
    value: str  # as shown
    share: float  # 0–100, the bar's length
    cells: list[str] = field(default_factory=list)  # extra columns
    number: int | float | None = None  # ``value`` as a number, for the CSV and XLSX (None: no value)
    numbers: list[int | float | None] | None = None  # ``cells`` as numbers, in the same order

    @property
    def figures(self) -> list[Any]:
        """The row's value and extra columns as a spreadsheet stores them: numbers as numbers.

        A method (a plugin) that gives only the shown text still gets numbers where the text is a
        plain number; anything else stays text."""
        value = self.number if self.number is not None else _plain(self.value)
        cells = self.numbers if self.numbers is not None else [_plain(c) for c in self.cells]
        return [value, *cells]


@dataclass
class Round:
    number: int
    counts: list[tuple[str, int]]
    eliminated: str | None
    exhausted: int


@dataclass
class View:
    kind: str  # counts | score | matrix | consent | other
    value_label: str
    columns: list[str]
    rows: list[Row]
    winners: list[str]
    ballots: int
    rounds: list[Round] = field(default_factory=list)
    outcome: str | None = None
    reasons: list[tuple[str, str]] = field(default_factory=list)
    other: Any = None

    @property
    def csv_header(self) -> list[str]:
        if self.kind == "consent":
            return [_("Position"), _("People")]
        return [_("Place"), _("Option"), self.value_label, *self.columns, _("Tie")]

    @property
    def csv_lines(self) -> list[list[Any]]:
        """The rows for ``dugnad.spreadsheets``: places, counts and scores as numbers (written in
        the reader's number format there), an empty cell where there is none."""
        if self.kind == "consent":
            return [[row.label, row.figures[0]] for row in self.rows]
        return [[row.rank or None, row.label, *row.figures, _("yes") if row.tie else ""] for row in self.rows]


def _plain(text: str) -> int | float | str | None:
    """A shown value as a number if it is a plain one (``12``, ``2.5``); "–" (none) as an empty cell."""
    if text in ("", "–"):
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return float(text) if re.fullmatch(r"-?\d+\.\d+", text) else text


def _figure(value: float | None) -> int | float | None:
    """A mean or a total as the spreadsheet stores it: rounded as shown, whole numbers as ``int``."""
    if value is None:
        return None
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _number(value: float | None) -> str:
    return "–" if value is None else format_decimal(round(value, 2), format="#,##0.##")


def _ties(ranks: list[int]) -> set[int]:
    return {rank for rank in ranks if ranks.count(rank) > 1}


def result_rows(results) -> View:
    """The result as people read it, as the poll's method presents it."""
    from dugnad.voting.service import method_registry

    return method_registry()[results.poll.method].present(results)


def _namer(results):
    options = results.options
    return lambda option_id: options[option_id].label if option_id in options else str(option_id)


def counts_view(results) -> View:
    """Dot, approval, single and ranked (a ``Tally``): a count per option, instant-runoff rounds."""
    tally, name = results.tally, _namer(results)
    borda = tally.method == "ranked" and (results.poll.settings or {}).get("ranked_variant") == "borda"
    variant = "borda" if borda else tally.method
    top = max((row.value for row in tally.rows), default=0) or 1
    shared = _ties([row.rank for row in tally.rows if row.value])
    rows = [Row(row.option, name(row.option), row.rank if row.value or tally.ballots else None,
                row.rank in shared and bool(row.value), str(row.value), 100 * row.value / top, number=row.value)
            for row in tally.rows]
    rounds = [Round(i, [(name(o), votes) for o, votes in r.counts], name(r.eliminated) if r.eliminated is not None else None,
                    r.exhausted) for i, r in enumerate(tally.rounds, start=1)]
    return View("counts", str(VALUE_LABELS.get(variant, _("Votes"))), [], rows, [name(o) for o in tally.winners],
                tally.ballots, rounds=rounds)


def score_view(results) -> View:
    """Scores (a ``ScoreTally``): the mean score per option."""
    tally, options, name = results.tally, results.options, _namer(results)
    rules = results.poll.rules(tuple(options))
    low, high = rules.score_min, max(rules.score_max, rules.score_min + 1)
    shared = _ties([row.rank for row in tally.rows if row.mean is not None])
    rows = [Row(row.option, name(row.option), row.rank if row.mean is not None else None, row.rank in shared and row.mean is not None,
                _number(row.mean), 100 * ((row.mean - low) / (high - low)) if row.mean is not None else 0,
                [str(row.count)], number=_figure(row.mean), numbers=[row.count]) for row in tally.rows]
    return View("score", _("Average score"), [_("People who scored it")], rows,
                [name(o) for o in tally.winners], tally.ballots)


def matrix_view(results) -> View:
    """Weighted criteria (a ``MatrixTally``): the weighted total and each criterion's mean."""
    tally, name = results.tally, _namer(results)
    top = max((row.weighted_total or 0 for row in tally.rows), default=0) or 1
    shared = _ties([row.rank for row in tally.rows if row.weighted_total is not None])
    rows = [Row(row.option, name(row.option), row.rank if row.weighted_total is not None else None,
                row.rank in shared and row.weighted_total is not None, _number(row.weighted_total),
                100 * (row.weighted_total or 0) / top, [_number(mean) for _key, mean in row.means] + [str(row.count)],
                number=_figure(row.weighted_total), numbers=[_figure(mean) for _key, mean in row.means] + [row.count])
            for row in tally.rows]
    weighted = len({c.weight for c in tally.criteria}) > 1
    columns = [_("%(criterion)s (weight %(weight)s)", criterion=criterion_label(c), weight=_number(c.weight))
               if weighted else criterion_label(c) for c in tally.criteria] + [_("People who scored it")]
    return View("matrix", _("Weighted total"), columns, rows, [name(o) for o in tally.winners], tally.ballots)


def consent_view(results) -> View:
    """Consent (a ``ConsentTally``): people per position, the outcome and the reasons."""
    tally = results.tally
    total = tally.ballots or 1
    rows = [Row(None, str(POSITION_LABELS[p]), None, False, str(tally.counts[p]), 100 * tally.counts[p] / total,
                number=tally.counts[p]) for p in POSITIONS]
    return View("consent", _("People"), [], rows, [], tally.ballots, outcome=str(OUTCOMES[tally.outcome]),
                reasons=[(str(POSITION_LABELS[p]), reason) for p, reason in tally.reasons])


def plain_view(results) -> View:
    """A method that does not present its result: the tally as it is."""
    return View("other", _("Result"), [], [], [], results.turnout, other=results.tally)
