"""The pipeline: candidates by stage, per track or per opening, in a fixed number of queries
whatever the number of candidates (the candidates, their current placement, warnings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, gettext
from sqlalchemy import func, select

from dugnad.sdk import db, record, today
from dugnad_recruitment import access
from dugnad_recruitment.models import STAGES, Candidate, Funding, FundingRule, Opening, Placement, Track
from dugnad_recruitment.placements import Warning, warnings


WARNINGS_SHOWN = 10  # placements whose coming step-down or end is spelt out at the top (the soonest)
SHOWN_PER_COLUMN = 60  # a column shows this many cards (the oldest in the stage first); the rest on request


@dataclass
class Card:
    id: int
    name: str
    stage: str
    since: date
    unit: str | None = None
    since_text: str = ""


@dataclass
class Board:
    columns: dict[str, list[Card]] = field(default_factory=dict)  # the cards shown
    counts: dict[str, int] = field(default_factory=dict)  # every card of the column
    warnings: list[tuple[Warning, str, str]] = field(default_factory=list)
    full: str | None = None  # the one column shown whole
    more_warnings: int = 0  # placements with a warning beyond those shown

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def build(track: Track | None = None, opening: Opening | None = None, full: str | None = None) -> Board:
    """The board; each column shows its first ``SHOWN_PER_COLUMN`` cards, or all of them for ``full``."""
    query = select(Candidate.id, Candidate.name, Candidate.stage, Candidate.stage_since)
    if track is not None:
        query = query.where(Candidate.track_id == track.id)
    if opening is not None:
        query = query.where(select(Placement.id).where(Placement.candidate_id == Candidate.id,
                                                       Placement.opening_id == opening.id).exists())
    query = access.visible(query).order_by(Candidate.stage_since, Candidate.id)
    rows = db.session.execute(query).all()
    day = today()
    units: dict[int, str] = {}
    board_warnings: list[tuple[Warning, str, str]] = []
    more = 0
    if rows:
        visible_ids = access.visible(select(Candidate.id))
        if track is not None:
            visible_ids = visible_ids.where(Candidate.track_id == track.id)
        current = (select(Placement.candidate_id, Opening.unit).join(Opening, Opening.id == Placement.opening_id)
                   .where(Placement.candidate_id.in_(visible_ids), Placement.starts_on <= day, Placement.ends_on >= day))
        if opening is not None:
            current = current.where(Placement.opening_id == opening.id)
        units = dict(db.session.execute(current).tuples().all())
        names = {r.id: r.name for r in rows}
        funded = db.session.execute(
            select(Funding, FundingRule, Placement.candidate_id, Opening.unit)
            .join(FundingRule, FundingRule.id == Funding.rule_id).join(Placement, Placement.id == Funding.placement_id)
            .join(Opening, Opening.id == Placement.opening_id)
            .where(Placement.candidate_id.in_(visible_ids), Funding.ends_on >= day)).tuples().all()
        # the soonest step-downs and ends first; words only for those shown
        coming = sorted((due, funding.id, funding, rule, candidate_id, unit)
                        for funding, rule, candidate_id, unit in funded if candidate_id in names
                        for due in (funding.step_down_on, funding.ends_on)
                        if due is not None and 0 <= (due - day).days <= rule.warn_days)
        shown_ids, beyond = [], set()
        for _due, funding_id, funding, rule, candidate_id, unit in coming:
            if funding_id in shown_ids:
                continue
            if len(shown_ids) == WARNINGS_SHOWN:
                beyond.add(funding_id)
                continue
            shown_ids.append(funding_id)
            board_warnings += [(w, names[candidate_id], unit) for w in warnings([(funding, rule)], day)]
        more = len(beyond)
    board = Board(columns={stage: [] for stage in STAGES}, counts={stage: 0 for stage in STAGES},
                  warnings=sorted(board_warnings, key=lambda w: w[0].due_on), full=full if full in STAGES else None,
                  more_warnings=more)
    # one translation and one formatting per distinct day, not per card (2,000 cards render in ~0.1 s)
    since, days = gettext("since %(day)s", day="\x00"), {}
    for row in rows:
        board.counts[row.stage] += 1
        if board.counts[row.stage] > SHOWN_PER_COLUMN and row.stage != board.full:
            continue
        if row.stage_since not in days:
            days[row.stage_since] = since.replace("\x00", format_date(row.stage_since, "short"))
        board.columns[row.stage].append(Card(row.id, row.name, row.stage, row.stage_since, units.get(row.id),
                                             days[row.stage_since]))
    record("recruitment.board.read", track or opening, candidates=len(rows))
    return board


def stage_counts() -> dict[int, dict[str, int]]:
    """Per track, how many visible candidates are at each stage (one grouped query)."""
    query = access.visible(select(Candidate.track_id, Candidate.stage, func.count()).group_by(Candidate.track_id,
                                                                                               Candidate.stage))
    out: dict[int, dict[str, int]] = {}
    for track_id, stage, count in db.session.execute(query).tuples():
        out.setdefault(track_id, {})[stage] = count
    return out
