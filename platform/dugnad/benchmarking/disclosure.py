"""What may be shown of a snapshot: consent, primary and secondary suppression.

Every page, chart, export and API answer is built from ``publish``'s cells, which
carry no value unless it may be shown, so nothing downstream can leak a hidden one.

- **Consent.** A municipality's figures in a metric group it does not share are
  "not shared" to everybody else.
- **Primary suppression** (*prikking*, as Statistics Norway does): a count below the
  metric's threshold (1 or 2 with the default 3) and a share, median or average
  resting on fewer people or cases than the threshold are shown as ``:``.
  A count of 0 is shown: it identifies nobody.
- **Secondary suppression.** Quarters and months add up to their year (a month's
  count plus the other months' gives the year's), so where one quarter of a year is
  suppressed, every quarter of that year is; the same for months. The year itself
  stays shown. Region figures (sum, median, quartiles, a comparison group's median)
  are computed from the cells shown only, so they cannot reveal a hidden one, and
  a ranking puts every hidden cell in one unranked block, in name order.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable

from dugnad.benchmarking.metrics import Metric
from dugnad.benchmarking.periods import Period

SHOWN, SUPPRESSED, NOT_SHARED, NO_DATA, NO_POPULATION = "shown", "suppressed", "not_shared", "no_data", "no_population"
# Statistics Norway's symbols where a figure cannot be given
SYMBOLS = {SUPPRESSED: ":", NO_DATA: "..", NO_POPULATION: ".."}


@dataclass(frozen=True)
class Raw:
    """A snapshot as stored: never shown as it is."""

    tenant_id: int
    period: Period
    value: float | None
    count: int | None


@dataclass(frozen=True)
class Cell:
    """What may be shown of one municipality's figure for one period."""

    state: str
    value: float | None = None  # only when shown; for per_1000, the figure per 1,000 inhabitants
    count: int | None = None  # only when shown

    @property
    def shown(self) -> bool:
        return self.state == SHOWN


HIDDEN_NOT_SHARED = Cell(NOT_SHARED)


def is_primary(metric: Metric, raw: Raw) -> bool:
    if raw.value is None:
        return False
    if metric.unit in ("count", "per_1000"):
        return 0 < int(raw.value) < metric.threshold
    return (raw.count or 0) < metric.threshold


def publish(metric: Metric, raws: Iterable[Raw], shared: set[int],
            population: dict[tuple[int, int], int] | None = None,
            siblings: Iterable[Raw] = ()) -> dict[tuple[int, Period], Cell]:
    """The cells of ``raws`` that may be shown, keyed by (tenant id, period).

    For quarters and months, secondary suppression must see every other period of the
    same kind in the years concerned that may be suppressed: those are in ``raws`` or in
    ``siblings`` (which get no cell). ``shared`` are the municipalities that share
    ``metric.group``; ``population`` maps (tenant id, year) to inhabitants, for ``per_1000``."""
    raws = list(raws)
    # secondary suppression: a year whose quarters (or months) hold a primary-suppressed one
    blocked = {(r.tenant_id, r.period.kind, r.period.year) for r in (*raws, *siblings)
               if r.period.kind != "year" and is_primary(metric, r)}
    cells = {}
    for raw in raws:
        key = (raw.tenant_id, raw.period)
        if raw.tenant_id not in shared:
            cells[key] = HIDDEN_NOT_SHARED
        elif raw.value is None:
            cells[key] = Cell(NO_DATA)
        elif is_primary(metric, raw) or (raw.tenant_id, raw.period.kind, raw.period.year) in blocked:
            cells[key] = Cell(SUPPRESSED)
        elif metric.unit == "per_1000":
            inhabitants = (population or {}).get((raw.tenant_id, raw.period.year))
            cells[key] = (Cell(SHOWN, round(raw.value * 1000 / inhabitants, 2), int(raw.value)) if inhabitants
                          else Cell(NO_POPULATION))
        elif metric.unit == "count":
            cells[key] = Cell(SHOWN, float(int(raw.value)), int(raw.value))
        else:
            cells[key] = Cell(SHOWN, float(raw.value), raw.count)
    return cells


def display(cell: Cell | None, metric: Metric) -> str:
    """A cell as text for tables and exports (numbers in the plain form; pages format them)."""
    if cell is None:
        return SYMBOLS[NO_DATA]
    if cell.state == NOT_SHARED:
        return "not shared"
    if not cell.shown:
        return SYMBOLS[cell.state]
    return format_value(cell.value, metric)


def format_value(value: float | None, metric: Metric) -> str:
    if value is None:
        return SYMBOLS[NO_DATA]
    if metric.unit == "count":
        return str(int(round(value)))
    if metric.unit == "percent":
        return f"{value:.1f}"
    return f"{value:.2f}" if metric.unit in ("per_1000", "ratio") else f"{value:.1f}"


@dataclass(frozen=True)
class Summary:
    """Region figures from the shown cells only."""

    shown: int  # how many municipalities the figures rest on
    total: float | None  # counts only
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    minimum: float | None
    maximum: float | None


def summarise(metric: Metric, cells: Iterable[Cell | None]) -> Summary:
    values = sorted(c.value for c in cells if c is not None and c.shown)
    if not values:
        return Summary(0, None, None, None, None, None, None)
    if len(values) == 1:
        q1 = q3 = values[0]
    else:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    total = float(sum(values)) if metric.unit == "count" else None
    return Summary(len(values), total, statistics.median(values), q1, q3, values[0], values[-1])


def ranked(metric: Metric, rows: list[tuple[object, Cell | None]], name=str) -> list[tuple[int | None, object, Cell | None]]:
    """Shown cells ranked best first (ties share a rank); every hidden cell after them,
    unranked and in name order, so the order tells nothing about a hidden value."""
    shown = sorted(((item, cell) for item, cell in rows if cell is not None and cell.shown), key=lambda r: name(r[0]))
    hidden = sorted(((item, cell) for item, cell in rows if cell is None or not cell.shown), key=lambda r: name(r[0]))
    shown.sort(key=lambda row: row[1].value, reverse=metric.better == "higher")
    out, rank, previous = [], 0, None
    for position, (item, cell) in enumerate(shown, start=1):
        if cell.value != previous:
            rank, previous = position, cell.value
        out.append((rank, item, cell))
    return out + [(None, item, cell) for item, cell in hidden]
