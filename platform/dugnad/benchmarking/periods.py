"""Periods a metric is computed for: calendar months, quarters and years."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

KINDS = ("year", "quarter", "month")


class PeriodError(ValueError):
    """A period that cannot be used: unknown shape, or in the future."""


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: date

    @property
    def end(self) -> date:
        """The first day after the period."""
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        total = self.start.month - 1 + months
        return date(self.start.year + total // 12, total % 12 + 1, 1)

    @property
    def code(self) -> str:
        """As in URLs and exports: 2025, 2025K2, 2025M03 (Statistics Norway's shapes)."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}K{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}M{self.start.month:02d}"

    @property
    def year(self) -> int:
        return self.start.year

    def previous(self) -> "Period":
        return shift(self, -1)

    def __str__(self) -> str:
        return self.code


def containing(kind: str, day: date) -> Period:
    if kind == "year":
        return Period(kind, date(day.year, 1, 1))
    if kind == "quarter":
        return Period(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    if kind == "month":
        return Period(kind, date(day.year, day.month, 1))
    raise PeriodError(f"unknown period kind {kind!r}: use year, quarter or month")


def shift(period: Period, steps: int) -> Period:
    months = {"year": 12, "quarter": 3, "month": 1}[period.kind] * steps
    total = period.start.year * 12 + period.start.month - 1 + months
    return Period(period.kind, date(total // 12, total % 12 + 1, 1))


def between(kind: str, first: date, last: date) -> list[Period]:
    """Every period of ``kind`` from the one holding ``first`` to the one holding ``last``."""
    period, final, out = containing(kind, first), containing(kind, last), []
    while period <= final:
        out.append(period)
        period = shift(period, 1)
    return out


_CODE = re.compile(r"^(\d{4})(?:K([1-4])|M(0[1-9]|1[0-2]))?$")


def parse(code: str, today: date | None = None) -> Period:
    """``2025``, ``2025K2`` or ``2025M03``; a period that has not begun is refused."""
    match = _CODE.match((code or "").strip().upper())
    if not match:
        raise PeriodError(f"{code!r} is not a period: write a year (2025), a quarter (2025K2) or a month (2025M03)")
    year, quarter, month = int(match.group(1)), match.group(2), match.group(3)
    if quarter:
        period = Period("quarter", date(year, (int(quarter) - 1) * 3 + 1, 1))
    elif month:
        period = Period("month", date(year, int(month), 1))
    else:
        period = Period("year", date(year, 1, 1))
    refuse_future(period, today)
    return period


def refuse_future(period: Period, today: date | None = None) -> None:
    today = today or date.today()
    if period.start > today:
        raise PeriodError(f"{period.code} is in the future: figures can only be computed for periods that have begun")


def latest(kind: str, count: int, today: date | None = None) -> list[Period]:
    """The ``count`` periods of ``kind`` up to and including the current one, oldest first."""
    current = containing(kind, today or date.today())
    return [shift(current, -i) for i in range(count - 1, -1, -1)]
