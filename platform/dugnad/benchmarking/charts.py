"""Geometry for the server-rendered SVG charts. Only shown cells have a bar or a point,
and the scale comes from shown values only, so a chart tells nothing a table does not."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from dugnad.benchmarking.disclosure import Cell, Summary

BAR_HEIGHT, GAP, LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 22, 6, 180, 440, 110
AXIS_ROOM = 36  # two rows under the bars: the median's label, then the quartiles'


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    width: float  # 0 when there is no bar (hidden or no data)
    x: float
    text: str


@dataclass(frozen=True)
class Marker:
    x: float
    label: str
    kind: str  # median | quartile


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    markers: list[Marker]
    width: int
    height: int
    plot_left: int
    plot_width: int
    zero: float


def _scale(values: list[float]) -> tuple[float, float]:
    low, high = min([0.0, *values]), max([0.0, *values])
    return low, (high - low) or 1.0


def bar_chart(rows: list[tuple[str, Cell | None, str]], summary: Summary) -> BarChart:
    """``rows``: (label, cell, the cell as text), in ranked order."""
    values = [c.value for _l, c, _t in rows if c is not None and c.shown]
    low, span = _scale(values)

    def x(value: float) -> float:
        return round(LABEL_WIDTH + (value - low) / span * PLOT_WIDTH, 1)

    zero = x(0.0)
    bars = []
    for i, (label, cell, text) in enumerate(rows):
        y = i * (BAR_HEIGHT + GAP) + GAP
        if cell is not None and cell.shown:
            left, right = sorted((zero, x(cell.value)))
            bars.append(Bar(y, label, round(max(right - left, 1.0), 1), left, text))
        else:
            bars.append(Bar(y, label, 0, zero, text))
    markers = []
    if summary.median is not None:
        markers.append(Marker(x(summary.median), "median", "median"))
        if summary.shown > 1 and summary.lower_quartile == summary.upper_quartile:
            markers.append(Marker(x(summary.lower_quartile), "q1q3", "quartile"))  # one line, one label
        elif summary.shown > 1:
            markers += [Marker(x(summary.lower_quartile), "q1", "quartile"),
                        Marker(x(summary.upper_quartile), "q3", "quartile")]
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP + AXIS_ROOM
    return BarChart(bars, markers, LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height, LABEL_WIDTH, PLOT_WIDTH, zero)


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    lines: list[str]  # polyline point lists; a hidden period breaks the line
    points: list[tuple[float, float]]

    def svg(self) -> Markup:
        """Decorative (the row's cells say the same): hidden from assistive technology."""
        parts = [f'<svg class="bm-spark" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
                 f'height="{self.height}" aria-hidden="true" focusable="false">']
        parts += [f'<polyline class="bm-spark-line" points="{line}"/>' for line in self.lines]
        parts += [f'<circle class="bm-spark-point" cx="{x}" cy="{y}" r="2"/>' for x, y in self.points]
        return Markup("".join(parts) + "</svg>")  # numbers only: nothing to escape


def sparkline(cells: list[Cell | None], width: int = 120, height: int = 28) -> Sparkline:
    values = [c.value for c in cells if c is not None and c.shown]
    low, span = _scale(values) if values else (0.0, 1.0)
    step = width / max(len(cells) - 1, 1)
    lines, current, points = [], [], []
    for i, cell in enumerate(cells):
        if cell is None or not cell.shown:
            if len(current) > 1:
                lines.append(" ".join(current))
            current = []
            continue
        point = (round(i * step, 1), round(height - 3 - (cell.value - low) / span * (height - 6), 1))
        points.append(point)
        current.append(f"{point[0]},{point[1]}")
    if len(current) > 1:
        lines.append(" ".join(current))
    return Sparkline(width, height, lines, points)
