"""Statistics Norway (SSB): population and migration per municipality through PxWebApi v2.

``GET {base}/tables/{table}/data?lang=no&outputFormat=json-stat2&valueCodes[Region]=3403,3905
&valueCodes[Tid]=top(5)&valueCodes[ContentsCode]=Personer1`` answers a JSON-stat 2.0
dataset; dimensions left out (sex, age in 07459) are summed by SSB ("elimination").
The base address is ``DUGNAD_SSB_URL``. An import checks the whole answer first —
its shape, that every municipality number asked for is in it, that it is not split
by a dimension we did not ask for — and writes nothing unless all of it is right.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, insert

from dugnad.benchmarking.jsonstat import Dataset, JsonStatError, loads
from dugnad.benchmarking.models import SsbFigure
from dugnad.extensions import db
from dugnad.clock import utcnow

# table -> the statistics asked for ("*": every one the table has)
TABLES = {
    "07459": ("Personer1",),  # population 1 January, by municipality
    "09588": ("*",),  # immigration, emigration, domestic moves and net migration, by municipality
}
TIMEOUT = 30


class SsbError(RuntimeError):
    """Statistics Norway's answer could not be used; nothing was written."""


@dataclass
class ImportReport:
    table_id: str
    label: str
    figures: int
    years: list[int]
    regions: list[str]
    missing: list[str] = field(default_factory=list)  # "3201 (Bærum)": asked for, not in the answer

    def line(self) -> str:
        years = f"{self.years[0]}–{self.years[-1]}" if self.years else "no years"
        return f"{self.label or self.table_id}: {self.figures} figures for {len(self.regions)} municipalities, {years}"

    def lines(self) -> list[str]:
        """The summary, then one line per municipality the answer had nothing for."""
        return [self.line()] + [f"  {missing}: no figures in table {self.table_id} from Statistics Norway; "
                                f"not imported (the others were)" for missing in self.missing]


def data_url(table_id: str, numbers: list[str], years: int = 5, base: str | None = None) -> str:
    base = (base or current_app.extensions["dugnad.settings"].ssb_url).rstrip("/")
    params = [
        ("lang", "no"),
        ("outputFormat", "json-stat2"),
        ("valueCodes[Region]", ",".join(numbers)),
        ("valueCodes[Tid]", f"top({years})"),
        ("valueCodes[ContentsCode]", ",".join(TABLES.get(table_id, ("*",)))),
    ]
    return f"{base}/tables/{table_id}/data?" + urllib.parse.urlencode(params, safe="[](),*")


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "Dugnad benchmarking"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:500].decode("utf-8", "replace").strip()
        raise SsbError(f"Statistics Norway answered {error.code} for {url}: {detail or error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SsbError(f"could not reach Statistics Norway at {url}: {getattr(error, 'reason', error)}") from None


def rows_of(table_id: str, dataset: Dataset, numbers: dict[str, str]) -> list[dict]:
    """The figures to store, after checking the dataset answers what was asked.
    ``numbers`` maps municipality number -> name, for the messages."""
    geo = dataset.role("geo", "Region")
    time = dataset.role("time", "Tid")
    metric = dataset.role("metric", "ContentsCode")
    regions = dataset.dimension(geo)
    if numbers and not any(number in regions.codes for number in numbers):
        raise SsbError(f"table {table_id}: the answer has figures for none of the region's municipalities "
                       f"({', '.join(f'{n} ({name})' for n, name in sorted(numbers.items()))})")
    for dimension in dataset.dimensions:
        if dimension.id not in (geo, time, metric) and len(dimension.codes) > 1:
            raise SsbError(f"table {table_id} is split by {dimension.label!r}; ask for totals (leave it out)")
    for code in dataset.dimension(time).codes:
        if not (len(code) == 4 and code.isdigit()):
            raise SsbError(f"table {table_id}: {code!r} is not a year; only yearly figures are read")
    contents = dataset.dimension(metric)
    rows = []
    for coordinates, value, status in dataset.cells():
        region = coordinates[geo]
        if region not in numbers:
            continue  # a whole-country file: keep only the region's municipalities
        code = coordinates[metric]
        rows.append({"table_id": table_id, "contents_code": code[:40], "contents_label": contents.labels[code][:200],
                     "region": region, "year": int(coordinates[time]), "value": value,
                     "status": status or None, "imported_at": utcnow()})
    return rows


def store(table_id: str, rows: list[dict]) -> None:
    """Replace the table's figures for those municipalities and years (the caller commits)."""
    regions = sorted({r["region"] for r in rows})
    years = sorted({r["year"] for r in rows})
    if rows:
        db.session.execute(delete(SsbFigure).where(SsbFigure.table_id == table_id, SsbFigure.region.in_(regions),
                                                   SsbFigure.year.in_(years)))
        db.session.execute(insert(SsbFigure), rows)


def import_table(table_id: str, numbers: dict[str, str], text: bytes | str | None = None,
                 years: int = 5) -> ImportReport:
    """Read ``table_id`` (from ``text``, or from Statistics Norway) and store it. The caller commits."""
    if text is None:
        text = fetch(data_url(table_id, sorted(numbers), years))
    try:
        dataset = loads(text)
        rows = rows_of(table_id, dataset, numbers)
    except JsonStatError as error:
        raise SsbError(f"table {table_id}: the answer is not usable JSON-stat 2.0: {error}") from None
    store(table_id, rows)
    found = {r["region"] for r in rows}
    return ImportReport(table_id, dataset.label, len(rows), sorted({r["year"] for r in rows}), sorted(found),
                        [f"{number} ({name})" for number, name in sorted(numbers.items()) if number not in found])


def region_numbers() -> dict[str, str]:
    from sqlalchemy import select

    from dugnad.tenancy.models import Tenant

    return dict(db.session.execute(select(Tenant.number, Tenant.name).where(Tenant.status == "active")).all())


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SsbError(f"cannot read {path}: {error.strerror}") from None


def series(number: str, table_id: str, years: int = 10, key: str = "label") -> dict:
    """One municipality's stored figures of a table for its latest ``years`` years, per
    statistic and year: ``{"Nettoinnvandring": {2024: 31.0, …}, …}``, the statistic named by
    its label (``key="label"``), its code (``key="code"``, for a page that names it in the
    reader's language) or both (``key="both"``: ``{("Nettoinnvandring", "Nettoinnvandring"): …}``).
    Public statistics keyed by municipality number, so plugins may read them (``dugnad.sdk``)."""
    from sqlalchemy import select

    if key not in ("label", "code", "both"):
        raise ValueError(f"key must be label, code or both, not {key!r}")
    rows = db.session.execute(
        select(SsbFigure.contents_code, SsbFigure.contents_label, SsbFigure.year, SsbFigure.value)
        .where(SsbFigure.region == number, SsbFigure.table_id == table_id).order_by(SsbFigure.year, SsbFigure.id)
    ).all()
    latest = set(sorted({year for _code, _label, year, _value in rows})[-years:])
    out: dict = {}
    for code, label, year, value in rows:
        if year in latest:
            name = {"label": label, "code": code, "both": (code, label)}[key]
            out.setdefault(name, {})[year] = value
    return out
