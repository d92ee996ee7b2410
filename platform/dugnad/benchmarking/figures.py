"""Reading snapshots across the region, already published (consent and suppression).

The only reader of ``Snapshot`` besides the compute job: each function reads in a
named ``region_scope`` and hands back ``disclosure.Cell`` objects, never raw values.
A few queries per page whatever the number of municipalities or metrics. They return
plain rows (``_rows``), not rows through the ORM's loading, and read the whole region
without naming its 357 municipalities one by one (``_among``): the region table reads some
thousands of rows, and both were most of its Python time when it was computed afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from dugnad.benchmarking import catalogue
from dugnad.benchmarking.disclosure import Cell, Raw, Summary, publish, summarise
from dugnad.benchmarking.metrics import Metric
from dugnad.benchmarking.models import KostraGroup, Sharing, Snapshot, SsbFigure
from dugnad.benchmarking.periods import Period
from dugnad.extensions import db
from dugnad.tenancy.context import region_scope
from dugnad.tenancy.models import Tenant

POPULATION_TABLE, POPULATION_CODE = "07459", "Personer1"


@dataclass(frozen=True)
class Municipality:
    id: int
    name: str
    slug: str
    number: str
    kostra_group: str | None
    stated_population: int | str | None = field(default=None, compare=False)  # in its settings, as given


def _rows(statement) -> list:
    """Plain rows through the session's connection (and transaction): the ORM's row loading
    costs several times as much per row, and the tenant filter it would add applies to no
    statement here (they read tables of no municipality, or in ``region_scope``)."""
    return db.session.connection().execute(statement).all()


def _among(column, values, whole_region: bool) -> tuple:
    """``column IN values`` as a condition, or none for the whole region (the caller drops the
    rows of anyone else, such as a suspended municipality): 357 bind parameters make a
    statement slow to build, send and parse, and a subquery of the active municipalities
    leaves PostgreSQL's plan to the mercy of its statistics."""
    return () if whole_region else (column.in_(values),)


def municipalities() -> list[Municipality]:
    """The region's active municipalities with their KOSTRA group (one query)."""
    rows = _rows(select(Tenant.id, Tenant.name, Tenant.slug, Tenant.number, KostraGroup.group, Tenant.settings)
                 .outerjoin(KostraGroup, KostraGroup.number == Tenant.number)
                 .where(Tenant.status == "active").order_by(Tenant.name))
    return [Municipality(id, name, slug, number, group, (settings or {}).get("population"))
            for id, name, slug, number, group, settings in rows]


def sharing(reason: str) -> dict[str, set[int]]:
    """metric group -> the municipalities that share it."""
    with region_scope(reason):
        rows = _rows(select(Sharing.metric_group, Sharing.tenant_id).where(Sharing.shared))
    out: dict[str, set[int]] = {}
    for group, tenant_id in rows:
        out.setdefault(group, set()).add(tenant_id)
    return out


def population(places: list[Municipality], years: set[int], whole_region: bool = False) -> dict[tuple[int, int], int]:
    """(tenant id, year) -> inhabitants: Statistics Norway's figure for the year (or the
    latest before it), else the number the municipality gave in its settings.
    ``whole_region``: ``places`` are every active municipality."""
    numbers = {m.number: m.id for m in places}
    rows = _rows(
        select(SsbFigure.region, SsbFigure.year, SsbFigure.value)
        .where(SsbFigure.table_id == POPULATION_TABLE, SsbFigure.contents_code == POPULATION_CODE,
               *_among(SsbFigure.region, numbers, whole_region), SsbFigure.value.is_not(None))
        .order_by(SsbFigure.year)
    )
    known: dict[int, list[tuple[int, int]]] = {}
    for region, year, value in rows:
        if region in numbers:
            known.setdefault(numbers[region], []).append((year, int(value)))
    out = {}
    for place in places:
        series = known.get(place.id, [])
        for year in years:
            earlier = [value for y, value in series if y <= year]
            inhabitants = earlier[-1] if earlier else (series[0][1] if series else place.stated_population)
            if inhabitants:
                out[(place.id, year)] = int(inhabitants)
    return out


def _raws(metrics: list[Metric], kind: str, periods: list[Period], tenant_ids: list[int],
          reason: str, whole_region: bool = False) -> tuple[dict[str, list[Raw]], dict[str, list[Raw]]]:
    """Raw snapshots of the periods, and — for quarters and months — the others of the same
    years that might be suppressed (their count is below the highest threshold), which
    secondary suppression must see. Two queries. ``whole_region``: ``tenant_ids`` are every
    active municipality."""
    keys = [m.key for m in metrics]
    columns = (Snapshot.metric_key, Snapshot.tenant_id, Snapshot.period_start, Snapshot.value, Snapshot.count)
    base = (Snapshot.metric_key.in_(keys), Snapshot.period_kind == kind,
            *_among(Snapshot.tenant_id, tenant_ids, whole_region))
    with region_scope(reason):
        rows = _rows(select(*columns).where(*base, Snapshot.period_start.in_([p.start for p in periods])))
        small, highest = [], max(m.threshold for m in metrics)
        if kind != "year":
            years = sorted({p.year for p in periods})
            small = _rows(select(*columns).where(
                *base, Snapshot.period_start >= date(years[0], 1, 1), Snapshot.period_start < date(years[-1] + 1, 1, 1),
                Snapshot.value.is_not(None),
                # every row is_primary might call suppressed, and some more: it decides
                or_(Snapshot.count.is_(None), Snapshot.count < highest, Snapshot.value < highest),
            ))
    out: dict[str, list[Raw]] = {key: [] for key in keys}
    siblings: dict[str, list[Raw]] = {key: [] for key in keys}
    wanted = set(tenant_ids)
    made: dict[date, Period] = {}  # one Period per start, not one per row
    for target, found in ((out, rows), (siblings, small)):
        for key, tenant_id, start, value, count in found:
            if tenant_id not in wanted:
                continue
            period = made.get(start) or made.setdefault(start, Period(kind, start))
            target[key].append(Raw(tenant_id, period, value, count))
    return out, siblings


@dataclass
class Grid:
    """Published cells for metrics × municipalities × periods of one kind."""

    metrics: list[Metric]
    places: list[Municipality]
    periods: list[Period]
    cells: dict[str, dict[tuple[int, Period], Cell]]  # metric key -> (tenant id, period) -> cell

    def cell(self, metric: Metric, tenant_id: int, period: Period) -> Cell | None:
        return self.cells[metric.key].get((tenant_id, period))

    def column(self, metric: Metric, period: Period, tenant_ids: set[int] | None = None) -> list[Cell | None]:
        return [self.cell(metric, p.id, period) for p in self.places if tenant_ids is None or p.id in tenant_ids]

    def summary(self, metric: Metric, period: Period) -> Summary:
        return summarise(metric, self.column(metric, period))

    def group_summary(self, metric: Metric, period: Period, group: str | None) -> Summary | None:
        if not group:
            return None
        members = {p.id for p in self.places if p.kostra_group == group}
        return summarise(metric, self.column(metric, period, members))


def grid(metrics: list[Metric], kind: str, periods: list[Period], reason: str,
         places: list[Municipality] | None = None, own: bool = False) -> Grid:
    """Published cells. ``own``: ``places`` is the viewer's own municipality, which sees
    its figures whether or not it shares them (suppression still applies)."""
    whole_region = places is None
    places = places if places is not None else municipalities()
    ids = [p.id for p in places]
    shared = {m.group: set(ids) for m in metrics} if own else sharing(reason)
    raws, siblings = _raws(metrics, kind, periods, ids, reason, whole_region) if metrics and ids else ({}, {})
    needs_population = any(m.unit == "per_1000" for m in metrics)
    inhabitants = population(places, {p.year for p in periods}, whole_region) if needs_population and places else {}
    cells = {m.key: publish(m, raws.get(m.key, []), shared.get(m.group, set()), inhabitants, siblings.get(m.key, []))
             for m in metrics}
    return Grid(metrics, places, periods, cells)


def period_range(kind: str) -> tuple[Period | None, Period | None]:
    """The oldest and the newest period of ``kind`` that have snapshots."""
    with region_scope("benchmarks: periods with figures"):
        [(first, last)] = _rows(select(func.min(Snapshot.period_start), func.max(Snapshot.period_start))
                                .where(Snapshot.period_kind == kind))
    return (Period(kind, first), Period(kind, last)) if first else (None, None)


def ssb_context(places: list[Municipality], year: int,
                whole_region: bool = False) -> tuple[list[tuple[str, str, str]], dict[tuple[int, str], float | None]]:
    """Statistics Norway's figures for ``year`` (or the latest year before it) beside the metrics:
    the columns (table, code, label) and the value per (tenant id, column key).
    ``whole_region``: ``places`` are every active municipality."""
    numbers = {m.number: m.id for m in places}
    rows = _rows(
        select(SsbFigure.table_id, SsbFigure.contents_code, SsbFigure.contents_label, SsbFigure.region,
               SsbFigure.year, SsbFigure.value)
        .where(*_among(SsbFigure.region, numbers, whole_region), SsbFigure.year <= year).order_by(SsbFigure.year)
    )
    columns: dict[str, tuple[str, str, str]] = {}
    values: dict[tuple[int, str], float | None] = {}
    for table_id, code, label, region, _year, value in rows:
        if region not in numbers:
            continue
        key = f"{table_id}.{code}"
        columns.setdefault(key, (table_id, code, label))
        values[(numbers[region], key)] = value  # later years overwrite earlier ones
    ordered = sorted(columns.items(), key=lambda item: (item[1][0], item[0]))
    return [(key, table, label) for key, (table, _c, label) in ordered], values


def metrics_or_404(key: str | None) -> Metric:
    from flask import abort

    metric = catalogue.get(key)
    if metric is None:
        abort(404)
    return metric
