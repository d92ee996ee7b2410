"""What the pages, exports and the API show, built once from published cells:
the region table (municipalities × metrics), one metric across the region, and one
municipality against the region and its KOSTRA group."""

from __future__ import annotations

from dataclasses import dataclass, field

from dugnad.benchmarking import catalogue, figures
from dugnad.benchmarking.disclosure import Cell, Summary, ranked, summarise
from dugnad.benchmarking.metrics import Metric
from dugnad.benchmarking.periods import KINDS, Period, PeriodError, containing, parse, shift

SERIES_LENGTH = {"year": 5, "quarter": 8, "month": 12}


@dataclass(frozen=True)
class Choice:
    """The period a page shows, and what was wrong with the one asked for."""

    kind: str
    period: Period
    error: str | None = None


def choose(kind: str | None, code: str | None, period_range=None) -> Choice:
    """The asked-for period, or the newest one with figures (else the current one).
    ``period_range``: as ``figures.period_range`` (a page that reads it anyway passes its own)."""
    error = None
    kind = kind if kind in KINDS else "year"
    if code:
        try:
            period = parse(code)
            return Choice(period.kind, period)
        except PeriodError as problem:
            error = str(problem)
    period = (period_range or figures.period_range)(kind)[1] or containing(kind, _today())
    return Choice(kind, period, error)


def _today():
    from datetime import date

    return date.today()


def series_periods(period: Period) -> list[Period]:
    length = SERIES_LENGTH[period.kind]
    return [shift(period, -i) for i in range(length - 1, -1, -1)]


@dataclass
class Row:
    place: figures.Municipality
    cells: list[Cell | None]


@dataclass
class RegionTable:
    choice: Choice
    metrics: list[Metric]
    rows: list[Row]
    summaries: list[Summary]
    sort: str
    direction: str
    ssb_columns: list[tuple[str, str, str]] = field(default_factory=list)
    ssb_values: dict = field(default_factory=dict)


def _sorted_rows(rows: list[Row], metrics: list[Metric], sort: str, direction: str) -> list[Row]:
    reverse = direction == "desc"
    if sort in ("number", "group"):
        key = (lambda r: r.place.number) if sort == "number" else (lambda r: (r.place.kostra_group or "~", r.place.name))
        return sorted(rows, key=key, reverse=reverse)
    index = next((i for i, m in enumerate(metrics) if m.key == sort), None)
    if index is None:
        return sorted(rows, key=lambda r: r.place.name, reverse=reverse)
    shown, hidden = [], []
    for r in rows:  # one pass (``r not in shown`` compared each row with the shown ones, cells and all)
        (shown if r.cells[index] is not None and r.cells[index].shown else hidden).append(r)
    hidden.sort(key=lambda r: r.place.name)
    shown.sort(key=lambda r: r.place.name)
    shown.sort(key=lambda r: r.cells[index].value, reverse=reverse)
    return shown + hidden  # hidden cells never move with their (unknown) value


def region_table(choice: Choice, sort: str = "name", direction: str = "asc", metrics: list[Metric] | None = None,
                 ssb: bool = True) -> RegionTable:
    """Municipalities × ``metrics`` (every metric when None), beside Statistics Norway's
    figures when ``ssb``."""
    metrics = catalogue.all_metrics() if metrics is None else metrics
    grid = figures.grid(metrics, choice.kind, [choice.period], "benchmarks: region table")
    by_metric = [grid.cells[m.key] for m in metrics]
    rows = [Row(place, [cells.get(key) for cells in by_metric])
            for place in grid.places for key in [(place.id, choice.period)]]
    # the region's figures from the same cells, a column at a time (as grid.summary, without looking each up again)
    summaries = [summarise(m, [row.cells[i] for row in rows]) for i, m in enumerate(metrics)]
    columns, values = figures.ssb_context(grid.places, choice.period.year, whole_region=True) if ssb else ([], {})
    direction = direction if direction in ("asc", "desc") else "asc"
    return RegionTable(choice, metrics, _sorted_rows(rows, metrics, sort, direction), summaries, sort, direction,
                       columns, values)


@dataclass
class Ranked:
    rank: int | None
    place: figures.Municipality
    cell: Cell | None
    versus_region: float | None
    group_median: float | None
    versus_group: float | None
    series: list[Cell | None]


@dataclass
class MetricReport:
    choice: Choice
    metric: Metric
    summary: Summary
    rows: list[Ranked]
    periods: list[Period]
    series_summaries: list[Summary]
    groups: dict[str, Summary]


def _difference(cell: Cell | None, reference: float | None) -> float | None:
    if cell is None or not cell.shown or reference is None:
        return None
    return round(cell.value - reference, 2)


def metric_report(metric: Metric, choice: Choice) -> MetricReport:
    periods = series_periods(choice.period)
    grid = figures.grid([metric], choice.kind, periods, f"benchmarks: metric {metric.key}")
    summary = grid.summary(metric, choice.period)
    groups = {g: grid.group_summary(metric, choice.period, g) for g in sorted({p.kostra_group for p in grid.places
                                                                               if p.kostra_group})}
    rows = []
    for rank, place, cell in ranked(metric, [(p, grid.cell(metric, p.id, choice.period)) for p in grid.places],
                                    name=lambda p: p.name):
        group = groups.get(place.kostra_group) if place.kostra_group else None
        rows.append(Ranked(rank, place, cell, _difference(cell, summary.median), group.median if group else None,
                           _difference(cell, group.median if group else None),
                           [grid.cell(metric, place.id, p) for p in periods]))
    series_summaries = [grid.summary(metric, p) for p in periods]
    return MetricReport(choice, metric, summary, rows, periods, series_summaries, groups)


@dataclass
class ProfileRow:
    metric: Metric
    own: Cell | None
    region: Summary
    group: Summary | None
    position: str | None  # above | below | median (compared with the region's median)


@dataclass
class Profile:
    choice: Choice
    place: figures.Municipality
    rows: list[ProfileRow]


def profile(place: figures.Municipality, choice: Choice, own: bool) -> Profile:
    """One municipality against the region and its KOSTRA group. ``own``: the municipality
    looking at itself sees its figures even in groups it does not share."""
    metrics = catalogue.all_metrics()
    region = figures.grid(metrics, choice.kind, [choice.period], "benchmarks: municipality profile")
    mine = figures.grid(metrics, choice.kind, [choice.period], "benchmarks: own figures", places=[place], own=True) \
        if own else region
    rows = []
    for metric in metrics:
        cell = mine.cell(metric, place.id, choice.period)
        summary = region.summary(metric, choice.period)
        group = region.group_summary(metric, choice.period, place.kostra_group)
        position = None
        if cell is not None and cell.shown and summary.median is not None:
            position = "median" if cell.value == summary.median else ("above" if cell.value > summary.median else "below")
        rows.append(ProfileRow(metric, cell, summary, group, position))
    return Profile(choice, place, rows)
