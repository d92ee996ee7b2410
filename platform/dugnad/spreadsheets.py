"""CSV and Excel files the way the reader's spreadsheet opens them, for every download.

In Norwegian (nb, nn) a CSV has ``;`` between columns and a decimal comma, as Excel set to
Norwegian expects; in English ``,`` and a decimal point. Every CSV starts with a UTF-8 BOM,
so Excel shows æøå. In an XLSX numbers are stored as numbers with a number format (Excel
then shows them with the reader's own separators). Text that a spreadsheet would run as a
formula is written with a leading apostrophe; a phone number like +47 … stays as it is.

Rows are lists of cells: ``str``, ``int``, ``float``, ``Decimal`` or ``None`` (an empty cell).
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any, Iterable

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
WHOLE_FORMAT, DECIMAL_FORMAT = "#,##0", "#,##0.0#"


def _language(locale: str | None) -> str:
    if locale is None:
        from flask_babel import get_locale

        found = get_locale()
        locale = found.language if found is not None else "nb"
    return str(locale).split("_")[0].split("-")[0]


def is_norwegian(locale: str | None = None) -> bool:
    return _language(locale) in ("nb", "nn", "no")


def safe_text(value: Any) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not re.fullmatch(r"[+\-]?[\d\s()]+", text):
        return "'" + text
    return text


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _csv_cell(value: Any, decimal_comma: bool) -> str:
    if _is_number(value):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    return safe_text(value)


def csv_file(rows: Iterable[Iterable[Any]], locale: str | None = None) -> bytes:
    """``rows`` as a CSV for the reader's language (default: the request's)."""
    norwegian = is_norwegian(locale)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if norwegian else ",", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v, norwegian) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_file(rows: Iterable[Iterable[Any]], title: str, *, freeze: str | None = "A2",
              widths: dict[int, int] | None = None) -> bytes:
    """``rows`` as one Excel sheet named ``title``: numbers as numbers, with a number format."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", "-", title)[:31] or "Sheet"
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else (v if _is_number(v) or v is None else safe_text(v))
                      for v in row])
    for column in sheet.iter_cols():
        for cell in column:
            if _is_number(cell.value):
                cell.number_format = WHOLE_FORMAT if isinstance(cell.value, int) else DECIMAL_FORMAT
    if freeze:
        sheet.freeze_panes = freeze
    for index, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(body: bytes, filename: str, *, private: bool = False) -> Response:
    """A CSV or XLSX ``body`` as a file to save (``filename`` ends in .csv or .xlsx)."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if private:  # personal data: no copy in a shared cache
        headers["Cache-Control"] = "no-store"
    return Response(body, mimetype=MIMETYPES[filename.rsplit(".", 1)[-1]], headers=headers)
