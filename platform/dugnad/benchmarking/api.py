"""Benchmarking in the JSON API: the metrics, and snapshots as JSON or CSV.

A region token sees every municipality as the region's dashboard does (consent and
suppression applied); a municipality's token sees its own figures and the region's
median and quartiles. Suppressed figures come as ``":"`` with no value or count.
"""

from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from dugnad import spreadsheets
from dugnad.api.auth import authenticate
from dugnad.benchmarking import catalogue, exports, figures
from dugnad.benchmarking.disclosure import display
from dugnad.benchmarking.metrics import UNITS
from dugnad.benchmarking.periods import KINDS, PeriodError, between, containing, parse

api_metrics = Blueprint("api_benchmark_metrics", __name__, url_prefix="/benchmarks/metrics",
                        description="The figures the region compares its municipalities on.")
api_snapshots = Blueprint("api_benchmark_snapshots", __name__, url_prefix="/benchmarks/snapshots",
                          description="Each metric per municipality and period, as the region may see it: "
                                      "':' where suppressed, 'not shared' where the municipality does not share it.")
API_BLUEPRINTS = [api_metrics, api_snapshots]
MOST_PERIODS = 120

for _bp in API_BLUEPRINTS:
    _bp.before_request(lambda: authenticate("any"))


class MetricSchema(Schema):
    key = fields.Str()
    label = fields.Str()
    unit = fields.Str(metadata={"description": f"one of {', '.join(UNITS)}"})
    better = fields.Str(metadata={"description": "higher or lower"})
    threshold = fields.Int(metadata={"description": "figures resting on fewer people or cases are suppressed"})
    group = fields.Str(metadata={"description": "what a municipality consents to share"})
    description = fields.Str()


class SnapshotQuerySchema(Schema):
    metric = fields.Str(load_default=None, metadata={"description": "a metric key; all metrics if left out"})
    kind = fields.Str(load_default="year", validate=validate.OneOf(KINDS))
    start = fields.Str(data_key="from", load_default=None, metadata={"description": "first period, e.g. 2024, 2024K1 or 2024M01"})
    end = fields.Str(data_key="to", load_default=None, metadata={"description": "last period (default: the current one)"})
    format = fields.Str(load_default="json", validate=validate.OneOf(["json", "csv"]))


class SnapshotSchema(Schema):
    municipality = fields.Str()
    number = fields.Str()
    metric = fields.Str()
    period = fields.Str(metadata={"description": "2025, 2025K2 or 2025M03"})
    state = fields.Str(metadata={"description": "shown, suppressed, not_shared, no_data or no_population"})
    value = fields.Float(allow_none=True, metadata={"description": "only when shown; per 1,000 inhabitants for per_1000"})
    count = fields.Int(allow_none=True, metadata={"description": "how many the value rests on, only when shown"})
    display = fields.Str(metadata={"description": "as the dashboard shows it: ':' suppressed, '..' no figure"})


class SummarySchema(Schema):
    metric = fields.Str()
    period = fields.Str()
    shown = fields.Int(metadata={"description": "municipalities the region's figures rest on"})
    median = fields.Float(allow_none=True)
    lower_quartile = fields.Float(allow_none=True)
    upper_quartile = fields.Float(allow_none=True)


class SnapshotsSchema(Schema):
    snapshots = fields.List(fields.Nested(SnapshotSchema))
    region = fields.List(fields.Nested(SummarySchema), metadata={"description": "from the shown figures only"})


@api_metrics.route("/")
class Metrics(MethodView):
    @api_metrics.response(200, MetricSchema(many=True))
    def get(self):
        """List the metrics"""
        return [{"key": m.key, "label": str(m.label), "unit": m.unit, "better": m.better, "threshold": m.threshold,
                 "group": m.group, "description": str(m.description)} for m in catalogue.all_metrics()]


def _periods(kind: str, start: str | None, end: str | None):
    try:
        last = parse(end) if end else containing(kind, figures_today())
        first = parse(start) if start else last
    except PeriodError as error:
        abort(422, str(error))
    if first.kind != kind or last.kind != kind:
        abort(422, _("'from' and 'to' must both be periods of kind %(kind)s.", kind=repr(kind)))
    periods = between(kind, first.start, last.start)
    if not periods:
        abort(422, _("'from' comes after 'to'."))
    if len(periods) > MOST_PERIODS:
        abort(422, _("Ask for at most %(num)s periods at a time.", num=MOST_PERIODS))
    return periods


def figures_today():
    from datetime import date

    return date.today()


@api_snapshots.route("/")
class Snapshots(MethodView):
    @api_snapshots.arguments(SnapshotQuerySchema, location="query")
    @api_snapshots.response(200, SnapshotsSchema)
    def get(self, query):
        """Snapshots per municipality and period (add format=csv for a spreadsheet)"""
        metrics = catalogue.all_metrics()
        if query["metric"]:
            metric = catalogue.get(query["metric"]) or abort(404, _("No metric %(metric)s.", metric=repr(query["metric"])))
            metrics = [metric]
        periods = _periods(query["kind"], query["start"], query["end"])
        region = figures.grid(metrics, query["kind"], periods, "api: benchmark snapshots")
        tenant = g.get("tenant")
        if tenant is None:
            visible, places = region, region.places
        else:
            places = [p for p in region.places if p.id == tenant.id]
            visible = figures.grid(metrics, query["kind"], periods, "api: own snapshots", places=places, own=True)
        snapshots = [
            {"municipality": place.name, "number": place.number, "metric": m.key, "period": p.code,
             "state": cell.state if cell else "no_data", "value": cell.value if cell and cell.shown else None,
             "count": cell.count if cell and cell.shown else None, "display": display(cell, m)}
            for m in metrics for place in places for p in periods
            for cell in [visible.cell(m, place.id, p)]
        ]
        summaries = [{"metric": m.key, "period": p.code, "shown": s.shown, "median": s.median,
                      "lower_quartile": s.lower_quartile, "upper_quartile": s.upper_quartile}
                     for m in metrics for p in periods for s in [region.summary(m, p)]]
        if query["format"] == "csv":
            head = ["municipality", "number", "metric", "period", "state", "value", "count", "display"]
            # the JSON's field names as headings (for scripts); numbers as the asked-for language writes them
            body = exports.to_csv([head] + [[row[k] for k in head] for row in snapshots])
            return spreadsheets.download(body, "snapshots.csv")
        return {"snapshots": snapshots, "region": summaries}
