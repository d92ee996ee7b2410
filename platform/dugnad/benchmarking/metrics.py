"""Benchmark metrics: what ``register_benchmark_metrics`` returns.

``compute(tenant_id, start, end)`` runs inside that municipality's context and gives
its figure for the period ``start`` ≤ day < ``end``, or None when it has no data.
What it returns depends on ``unit``:

- ``count``: a whole number (people, workshops, pilots …); suppressed below ``threshold``.
- ``per_1000``: also a whole count; the region shows it per 1,000 inhabitants
  (Statistics Norway's population), suppressed while the count is below ``threshold``.
- ``percent``, ``days``, ``ratio`` (shares, medians, averages): a ``Figure(value, count)``,
  where ``count`` is how many people or cases the value rests on — the figure is
  suppressed while that count is below ``threshold``, so nobody can be recognised.

A metric may also offer ``compute_all(periods)``: the same figures for every
municipality and every one of ``periods`` at once, in one query (the recompute calls
it in the region's read scope). It returns ``(period index, tenant_id, result)`` rows
where ``result`` is what ``compute`` would have returned there; a pair it leaves out
is "no data" (None). ``period_table(periods)`` gives the periods as a table to join
against. The per-municipality ``compute`` stays: it is used where ``compute_all`` is
absent or fails (then each municipality is computed on its own, so a failure is
reported where it happens).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Callable, Iterable, Sequence, Union

from sqlalchemy import Date, DateTime, Integer, literal, select, union_all

if TYPE_CHECKING:
    from dugnad.benchmarking.periods import Period

UNITS = ("count", "per_1000", "percent", "days", "ratio")


@dataclass(frozen=True)
class Figure:
    """A value and the number of people or cases it rests on (for suppression)."""

    value: float
    count: int


Computed = Union[int, float, Figure, None]
# compute_all(periods) -> rows of (index into periods, tenant_id, result)
ComputeAll = Callable[[Sequence["Period"]], Iterable[tuple[int, int, Computed]]]


@dataclass(frozen=True)
class Metric:
    key: str  # "<group>.<name>", e.g. "volunteers.approved"
    label: str
    unit: str
    compute: Callable[[int, date, date], Computed]
    better: str = "higher"  # higher | lower
    threshold: int = 3  # counts below this are suppressed (prikking); 5 for care services
    group: str = "core"  # what a municipality consents to share, per group (usually the plugin's name)
    description: str = ""
    compute_all: ComputeAll | None = None  # every municipality and period in one query (see above)

    def __post_init__(self) -> None:
        if self.better not in ("higher", "lower"):
            raise ValueError(f"metric {self.key}: better must be 'higher' or 'lower'")
        if self.unit not in UNITS:
            raise ValueError(f"metric {self.key}: unit must be one of {', '.join(UNITS)}")


def period_table(periods: Sequence["Period"], today: date | None = None):
    """``periods`` as a table for a set-based metric, one row each: ``n`` (its index in
    ``periods``), ``start`` and ``end`` (dates, the end being the first day after),
    ``start_at`` and ``end_at`` (the same as midnight datetimes) and ``last`` (the end or
    today, whichever is earlier)."""
    today = today or date.today()
    rows = [select(literal(n, Integer).label("n"), literal(p.start, Date).label("start"),
                   literal(p.end, Date).label("end"), literal(datetime.combine(p.start, time()), DateTime).label("start_at"),
                   literal(datetime.combine(p.end, time()), DateTime).label("end_at"),
                   literal(min(p.end, today), Date).label("last"))
            for n, p in enumerate(periods)]
    if not rows:
        raise ValueError("period_table() needs at least one period")
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("period")
