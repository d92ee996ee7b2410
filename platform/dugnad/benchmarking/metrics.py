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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Union

UNITS = ("count", "per_1000", "percent", "days", "ratio")


@dataclass(frozen=True)
class Figure:
    """A value and the number of people or cases it rests on (for suppression)."""

    value: float
    count: int


Computed = Union[int, float, Figure, None]


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

    def __post_init__(self) -> None:
        if self.better not in ("higher", "lower"):
            raise ValueError(f"metric {self.key}: better must be 'higher' or 'lower'")
        if self.unit not in UNITS:
            raise ValueError(f"metric {self.key}: unit must be one of {', '.join(UNITS)}")
