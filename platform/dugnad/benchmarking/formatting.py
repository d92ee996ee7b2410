"""Cells and numbers as the pages show them (Norwegian style: 1 234,5), made in Python:
a page of 357 municipalities × 20 metrics is 7,000 cells, too many for template macros."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from markupsafe import Markup, escape

from dugnad.benchmarking.disclosure import NOT_SHARED, SUPPRESSED, Cell, Summary
from dugnad.benchmarking.metrics import Metric

if TYPE_CHECKING:
    from dugnad.benchmarking.report import RegionTable


def unit_label(metric: Metric) -> str:
    """The unit in words, as the pages' headings say it."""
    return {"count": _("number"), "per_1000": _("per 1,000 inhabitants"), "percent": _("percent"),
            "days": _("days")}.get(metric.unit) or _("ratio")


class Formatter:
    PLACE_ID = 987654321987  # stands for a municipality's id in the link given to region_rows

    def __init__(self) -> None:
        # translated once per page, not once per cell
        self._no_figure = Markup('<span class="bm-symbol" title="{}">..</span>').format(_("No figure"))
        self._not_shared = Markup('<span class="bm-not-shared">{}</span>').format(_("not shared"))
        self._suppressed = Markup('<abbr class="bm-symbol" title="{}">:</abbr>').format(
            _("Suppressed: too few to show without recognising someone"))
        self.not_shared_text = _("not shared")

    def number(self, value: float | None, metric: Metric) -> str:
        if value is None:
            return ".."
        if metric.unit == "count":
            return f"{value:,.0f}".replace(",", "\u202f")
        if metric.unit == "percent":
            return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",") + "\u00a0%"
        if metric.unit == "days":
            return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")

    def signed(self, value: float | None, metric: Metric) -> str:
        if value is None:
            return "–"
        return ("+" if value > 0 else "") + self.number(value, metric)

    def cell(self, cell: Cell | None, metric: Metric) -> Markup:
        return Markup(self._cell_html(cell, metric))

    def _cell_html(self, cell: Cell | None, metric: Metric) -> str:
        if cell is None:
            return self._no_figure
        if cell.state == NOT_SHARED:
            return self._not_shared
        if cell.state == SUPPRESSED:
            return self._suppressed
        if not cell.shown:
            return self._no_figure
        return self.number(cell.value, metric)  # digits, spaces, comma and % only: nothing to escape

    def cells(self, cells: list[Cell | None], metrics: list[Metric], summaries: list[Summary] | None = None) -> Markup:
        """A table row's figure cells, ``<td>`` by ``<td>`` (the dashboard's inner loop), each
        coloured by where it stands in the region when ``summaries`` are given (see ``heat``)."""
        return Markup(self._cells_html(cells, metrics, summaries or [None] * len(metrics)))

    def _cells_html(self, cells, metrics, summaries) -> str:
        # plain strings joined once: the pieces are escaped already (numbers need none)
        return "".join(f'<td class="text-end nowrap{heat(c, m, s)}">{self._cell_html(c, m)}</td>'
                       for c, m, s in zip(cells, metrics, summaries))

    def region_rows(self, table: RegionTable, link: str) -> Markup:
        """The region table's body, a ``<tr>`` per municipality: its name linking to its page,
        its KOSTRA group, Statistics Norway's figures and the metrics' cells. Made here rather
        than by the template's loop, which cost as much as computing the cells: ``link`` is a
        municipality's page with ``PLACE_ID`` for its id (``url_for`` once, not 357 times)."""
        before, after = (escape(part) for part in link.split(str(self.PLACE_ID)))
        ssb_keys = [key for key, _t, _l in table.ssb_columns]
        ssb = table.ssb_values
        rows = []
        for row in table.rows:
            place = row.place
            figures = "".join('<td class="text-end nowrap">' + (".." if v is None else f"{v:,.0f}".replace(",", " "))
                              + "</td>" for v in (ssb.get((place.id, key)) for key in ssb_keys))
            rows.append(f'<tr><th scope="row"><a class="ds-link" href="{before}{place.id}{after}">{escape(place.name)}</a>'
                        f'</th><td class="nowrap">{escape(place.kostra_group or "–")}</td>{figures}'
                        f'{self._cells_html(row.cells, table.metrics, table.summaries)}</tr>')
        return Markup("\n".join(rows))

    def text(self, cell: Cell | None, metric: Metric) -> str:
        """Plain text, for the chart's labels."""
        if cell is None or (not cell.shown and cell.state != NOT_SHARED and cell.state != SUPPRESSED):
            return ".."
        if cell.state == NOT_SHARED:
            return self.not_shared_text
        if cell.state == SUPPRESSED:
            return ":"
        return self.number(cell.value, metric)


HEAT_LEAST_SHOWN = 3  # fewer shown figures have no quarters worth colouring


def heat(cell: Cell | None, metric: Metric, summary: Summary | None) -> str:
    """A class naming where a shown figure stands in the region, better or worse as the metric
    reads: `` bm-heat--best`` (the best quarter), ``--good`` (better than the median), ``--weak``,
    ``--worst``; nothing for the median itself, hidden cells and too few figures."""
    if cell is None or not cell.shown or summary is None or summary.median is None or summary.shown < HEAT_LEAST_SHOWN:
        return ""
    value, median = cell.value, summary.median
    if value == median:
        return ""
    higher = metric.better == "higher"
    if (value > median) == higher:
        best = value >= summary.upper_quartile if higher else value <= summary.lower_quartile
        return " bm-heat--best" if best else " bm-heat--good"
    worst = value <= summary.lower_quartile if higher else value >= summary.upper_quartile
    return " bm-heat--worst" if worst else " bm-heat--weak"
