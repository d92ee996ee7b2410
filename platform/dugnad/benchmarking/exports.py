"""CSV and XLSX of what the pages show: the same published cells, the same symbols
(``:`` suppressed, ``..`` no figure, "not shared"), so an export reveals nothing more.
Headings are the metrics' labels and units in the reader's language; the files themselves
are made by ``dugnad.spreadsheets`` (separators and decimal mark for that language)."""

from __future__ import annotations

from flask_babel import gettext as _

from dugnad import spreadsheets
from dugnad.benchmarking.disclosure import Cell, display
from dugnad.benchmarking.formatting import unit_label
from dugnad.benchmarking.metrics import Metric
from dugnad.benchmarking.report import MetricReport, RegionTable


def _number(value: float | None):
    return None if value is None else round(value, 2)


def _cell(cell: Cell | None, metric: Metric, words=None):
    """A number where one may be shown, else the symbol (``words``: a Formatter, for the reader's language)."""
    if cell is not None and cell.shown:
        return int(cell.value) if metric.unit == "count" else round(cell.value, 2)
    return words.text(cell, metric) if words is not None else display(cell, metric)


def heading(metric: Metric) -> str:
    """``Frivillige godkjent (antall)``: the metric as the reader knows it, and its unit."""
    return f"{metric.label} ({unit_label(metric)})"


def symbol_note() -> str:
    return _("“:” means too few to show without someone being recognised (as Statistics Norway does). “..” means no "
             "figure. Region figures are worked out from the figures shown only.")


def _summaries() -> list[tuple[str, str]]:
    return [(_("Region median"), "median"), (_("Region lower quartile"), "lower_quartile"),
            (_("Region upper quartile"), "upper_quartile"), (_("Municipalities shown"), "shown")]


def region_rows(table: RegionTable, words=None) -> list[list]:
    head = [_("Municipality"), _("Municipality number"), _("KOSTRA group")] + [heading(m) for m in table.metrics]
    rows = [head]
    for row in table.rows:
        rows.append([row.place.name, row.place.number, row.place.kostra_group or ""]
                    + [_cell(c, m, words) for c, m in zip(row.cells, table.metrics)])
    for label, attribute in _summaries() + [(_("Sum of the figures shown"), "total")]:
        rows.append([label, "", ""] + [_number(getattr(s, attribute)) for s in table.summaries])
    return rows


def metric_rows(report: MetricReport, words=None) -> list[list]:
    metric = report.metric
    head = [_("Rank"), _("Municipality"), _("Municipality number"), _("KOSTRA group"),
            f"{heading(metric)} {report.choice.period.code}", _("Against the region's median"),
            _("KOSTRA group median")] + [p.code for p in report.periods]
    rows = [head]
    for r in report.rows:
        rows.append([r.rank or "", r.place.name, r.place.number, r.place.kostra_group or "", _cell(r.cell, metric, words),
                     _number(r.versus_region), _number(r.group_median)] + [_cell(c, metric, words) for c in r.series])
    for label, attribute in _summaries():
        rows.append(["", label, "", "", _number(getattr(report.summary, attribute)), "", ""]
                    + [_number(getattr(s, attribute)) for s in report.series_summaries])
    return rows


def to_csv(rows: list[list], note: str | None = None, locale: str | None = None) -> bytes:
    """The rows, a blank line and the note on the symbols."""
    return spreadsheets.csv_file([*rows, [], [note or symbol_note()]], locale)


def to_xlsx(rows: list[list], title: str, note: str | None = None) -> bytes:
    widths = {index: 16 if index > 1 else 24 for index in range(1, len(rows[0]) + 1)}
    return spreadsheets.xlsx_file([*rows, [], [note or symbol_note()]], title, freeze="B2", widths=widths)
