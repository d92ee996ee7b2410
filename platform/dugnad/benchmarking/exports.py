"""CSV and XLSX of what the pages show: the same published cells, the same symbols
(``:`` suppressed, ``..`` no figure, "not shared"), so an export reveals nothing more."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from dugnad.benchmarking.disclosure import Cell, display
from dugnad.benchmarking.metrics import Metric
from dugnad.benchmarking.report import MetricReport, RegionTable

SYMBOL_NOTE = "':' = suppressed (too few to show), '..' = no figure, 'not shared' = the municipality does not share it"


def _number(value: float | None):
    return None if value is None else round(value, 2)


def _cell(cell: Cell | None, metric: Metric, words=None):
    """A number where one may be shown, else the symbol (``words``: a Formatter, for the reader's language)."""
    if cell is not None and cell.shown:
        return int(cell.value) if metric.unit == "count" else round(cell.value, 2)
    return words.text(cell, metric) if words is not None else display(cell, metric)


def symbol_note() -> str:
    from flask_babel import gettext as _

    return _("“:” means too few to show without someone being recognised (as Statistics Norway does). “..” means no "
             "figure. Region figures are worked out from the figures shown only.")


def region_rows(table: RegionTable, words=None) -> list[list]:
    head = ["municipality", "number", "kostra_group"] + [f"{m.key} ({m.unit})" for m in table.metrics]
    rows = [head]
    for row in table.rows:
        rows.append([row.place.name, row.place.number, row.place.kostra_group or ""]
                    + [_cell(c, m, words) for c, m in zip(row.cells, table.metrics)])
    for label, attribute in (("region median", "median"), ("region lower quartile", "lower_quartile"),
                             ("region upper quartile", "upper_quartile"), ("municipalities shown", "shown"),
                             ("sum of figures shown", "total")):
        rows.append([label, "", ""] + [_number(getattr(s, attribute)) for s in table.summaries])
    return rows


def metric_rows(report: MetricReport, words=None) -> list[list]:
    metric = report.metric
    head = ["rank", "municipality", "number", "kostra_group", f"{metric.key} {report.choice.period.code}",
            "difference from region median", "kostra group median"] + [p.code for p in report.periods]
    rows = [head]
    for r in report.rows:
        rows.append([r.rank or "", r.place.name, r.place.number, r.place.kostra_group or "", _cell(r.cell, metric, words),
                     _number(r.versus_region), _number(r.group_median)] + [_cell(c, metric, words) for c in r.series])
    for label, attribute in (("region median", "median"), ("region lower quartile", "lower_quartile"),
                             ("region upper quartile", "upper_quartile"), ("municipalities shown", "shown")):
        rows.append(["", label, "", "", _number(getattr(report.summary, attribute)), "", ""]
                    + [_number(getattr(s, attribute)) for s in report.series_summaries])
    return rows


def to_csv(rows: list[list], note: str = SYMBOL_NOTE) -> bytes:
    """Semicolon-separated with a BOM, as the participant export: opens in Excel as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    writer.writerow([])
    writer.writerow([note])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list], title: str, note: str = SYMBOL_NOTE) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append([note])
    sheet.freeze_panes = "B2"
    for index in range(1, len(rows[0]) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16 if index > 1 else 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
