"""Benchmark metrics: what ``register_benchmark_metrics`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable


@dataclass(frozen=True)
class Metric:
    """``compute(tenant_id, start, end)`` gives the figure for one municipality and
    period (run inside that municipality's context), or None when it has no data."""

    key: str
    label: str
    unit: str
    compute: Callable[[int, date, date], float | None]
    better: str = "higher"  # higher | lower
    threshold: int = 3  # counts below this are suppressed (prikking)
    group: str = "core"

    def __post_init__(self) -> None:
        if self.better not in ("higher", "lower"):
            raise ValueError(f"metric {self.key}: better must be 'higher' or 'lower'")
