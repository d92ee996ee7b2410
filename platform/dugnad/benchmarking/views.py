"""Benchmarking pages: the region's dashboard (``/region/benchmarks/``) and a
municipality's own page and sharing (``/<tenant>/benchmarks/``)."""

from __future__ import annotations

import functools
from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from sqlalchemy import select

from dugnad import spreadsheets
from dugnad.accounts.forms import ConfirmForm
from dugnad.accounts.permissions import require, require_region_admin
from dugnad.benchmarking import catalogue, charts, exports, figures, published, report, service
from dugnad.benchmarking.formatting import Formatter
from dugnad.benchmarking.forms import kostra_form, sharing_form
from dugnad.benchmarking.models import BenchmarkRun
from dugnad.benchmarking.periods import Period, between, parse
from dugnad.extensions import db
from dugnad.tenancy.context import region_scope
from dugnad.web.templating import render

region_benchmarks = Blueprint("region_benchmarks", __name__, url_prefix="/benchmarks")
benchmarks = Blueprint("benchmarks", __name__, url_prefix="/benchmarks")

@region_benchmarks.before_request
@require_region_admin
def _only_region_admins():
    return None


def _choice() -> report.Choice:
    return report.choose(request.args.get("kind"), request.args.get("period"))


def _choice_and_available(kind: str | None, code: str | None) -> tuple[report.Choice, list[Period]]:
    """The period a page shows and the periods it offers, newest first: the range of periods with
    figures is read once for both (without a period asked for, ``choose`` needs it too)."""
    ranges = functools.cache(figures.period_range)
    choice = report.choose(kind, code, ranges)
    first, last = ranges(choice.kind)
    return choice, list(reversed(between(choice.kind, first.start, last.start))) if first else []


def _page_context() -> dict:
    choice, available = _choice_and_available(request.args.get("kind"), request.args.get("period"))
    return {"choice": choice, "available": available, "fmt": Formatter(), "group_label": catalogue.group_label}


def _status(choice: report.Choice) -> int:
    return 422 if choice.error else 200


def _shown_metrics(everything: list) -> tuple[list, bool]:
    """The metrics the analyst chose (``metric=`` keys, or one ``group=``), by default the
    group of the metric sorted by, else the first group (the core's processes); and whether Statistics Norway's figures are shown
    (by default yes; the chooser form says ``choose=1`` so an unticked box means no)."""
    keys = set(request.args.getlist("metric"))
    group = request.args.get("group")
    if not keys and not group:  # a link sorted by a metric shows that metric's group
        group = next((m.group for m in everything if m.key == request.args.get("sort")), None)
    chosen = [m for m in everything if m.key in keys] if keys else [m for m in everything if m.group == group]
    if not chosen and everything:
        chosen = [m for m in everything if m.group == everything[0].group]
    ssb = bool(request.args.get("ssb")) if request.args.get("choose") else True
    return chosen, ssb


@region_benchmarks.get("/")
def dashboard():
    """The region table, computed and rendered once per data version, period, sort, chosen
    metrics and language (see ``published``); the rest of the page is light."""
    kind, code = request.args.get("kind"), request.args.get("period")
    sort, direction = request.args.get("sort", "name"), request.args.get("dir", "asc")
    everything = catalogue.all_metrics()
    shown, ssb = _shown_metrics(everything)

    def build() -> dict:
        choice, available = _choice_and_available(kind, code)
        table = report.region_table(choice, sort, direction, shown, ssb)
        html = render_template("benchmarking/_region_table.html", table=table, choice=choice, fmt=Formatter(),
                               everything=everything, ssb=ssb, groups=catalogue.groups(),
                               group_label=catalogue.group_label)
        return {"html": html, "kind": choice.kind, "period": choice.period.code, "error": choice.error,
                "available": [p.code for p in available]}

    # one scope for every read (each nested one then costs no round trips to set it)
    with region_scope("benchmarks: region dashboard"):
        found = published.remember("region-table", (kind, code, sort, direction, ssb, *(m.key for m in shown)), build)
        last_run = db.session.scalar(select(BenchmarkRun).order_by(BenchmarkRun.id.desc()).limit(1))
    choice = report.Choice(found["kind"], parse(found["period"], today=date.max), found["error"])
    chosen = [("metric", m.key) for m in shown] + ([("choose", "1")] + ([("ssb", "1")] if ssb else []))
    return render("benchmarking/region.html", block="table", table_html=Markup(found["html"]), last_run=last_run,
                  metrics=everything, confirm=ConfirmForm(), status=_status(choice), choice=choice,
                  available=[parse(c, today=date.max) for c in found["available"]], fmt=Formatter(),
                  group_label=catalogue.group_label, chosen=chosen)


def _metric_page(template: str, scope: str, place=None, fragment: bool = False):
    metric = figures.metrics_or_404(request.args.get("key"))
    context = _page_context()
    choice = context["choice"]
    result = report.metric_report(metric, choice)
    chart = charts.bar_chart([(r.place.name, r.cell, context["fmt"].text(r.cell, metric)) for r in result.rows],
                             result.summary)
    sparks = {r.place.id: charts.sparkline(r.series) for r in result.rows}
    page = {"result": result, "metric": metric, "chart": chart, "sparks": sparks, "scope": scope, "place": place,
            **context}
    if fragment:  # the content only, to keep (see metric)
        return render_block(template, "content", is_fragment=False, **page), _status(choice)
    return render(template, status=_status(choice), **page)


@region_benchmarks.get("/metric")
def metric():
    """The same for every region admin: its content is rendered once per data version,
    metric, period and language (see ``published``)."""
    key, kind, code = request.args.get("key"), request.args.get("kind"), request.args.get("period")
    metric = figures.metrics_or_404(key)

    def build() -> dict:
        body, status = _metric_page("benchmarking/metric.html", "region", fragment=True)
        return {"html": body, "status": status}

    found = published.remember("region-metric", (metric.key, kind, code), build)
    return render("benchmarking/metric.html", content_html=Markup(found["html"]), metric=metric,
                  status=found["status"])


@region_benchmarks.get("/municipalities/<int:tenant_id>")
def municipality(tenant_id: int):
    place = next((p for p in figures.municipalities() if p.id == tenant_id), None) or abort(404)
    context = _page_context()
    choice = context["choice"]
    return render("benchmarking/profile.html", profile=report.profile(place, choice, own=False), scope="region",
                  status=_status(choice), **context)


@region_benchmarks.get("/export.csv", defaults={"fmt": "csv"})
@region_benchmarks.get("/export.xlsx", defaults={"fmt": "xlsx"})
def export(fmt: str):
    choice = _choice()
    if choice.error:
        abort(422, choice.error)
    key, words = request.args.get("key"), Formatter()
    if key:
        metric = figures.metrics_or_404(key)
        rows = exports.metric_rows(report.metric_report(metric, choice), words)
        name = f"{metric.key}-{choice.period.code}"
    else:
        table = report.region_table(choice, request.args.get("sort", "name"), request.args.get("dir", "asc"))
        rows, name = exports.region_rows(table, words), f"benchmarks-{choice.period.code}"
    body = exports.to_csv(rows) if fmt == "csv" else exports.to_xlsx(rows, name)
    return spreadsheets.download(body, f"{name}.{fmt}")


@region_benchmarks.route("/groups", methods=["GET", "POST"])
def groups():
    places = figures.municipalities()
    form = kostra_form(places)
    if form.validate_on_submit():
        changed = service.set_kostra_groups({p.number: getattr(form, f"group_{p.number}").data for p in places})
        db.session.commit()
        flash(_("Saved. %(count)s comparison groups changed.", count=changed), "success")
        return redirect(url_for("region_benchmarks.groups"))
    return render("benchmarking/groups.html", form=form, places=places, status=422 if form.is_submitted() else 200)


@region_benchmarks.post("/recompute")
def recompute():
    ConfirmForm().validate_on_submit() or abort(400)
    service.request_recompute()
    flash(_("The figures are being brought up to date. This page shows the result when it is done."), "success")
    return redirect(url_for("region_benchmarks.dashboard"))


# --- a municipality's own pages -------------------------------------------------------


def _own_place() -> figures.Municipality:
    return next((p for p in figures.municipalities() if p.id == g.tenant.id), None) or abort(404)


@benchmarks.get("/")
@require("benchmarks.view")
def own():
    context = _page_context()
    choice = context["choice"]
    place = _own_place()
    shared = service.shared_groups()
    return render("benchmarking/profile.html", profile=report.profile(place, choice, own=True), scope="tenant",
                  shared=shared, status=_status(choice), **context)


@benchmarks.get("/metric")
@require("benchmarks.view")
def own_metric():
    return _metric_page("benchmarking/metric.html", "tenant", place=_own_place())


@benchmarks.route("/sharing", methods=["GET", "POST"])
@require("benchmarks.share")
def sharing():
    choices = service.group_choices()
    form = sharing_form(choices, service.shared_groups())
    if form.validate_on_submit():
        wanted = {group: bool(getattr(form, f"share_{group}").data) for group, _l, _d in choices}
        changed = service.set_sharing(wanted)
        db.session.commit()
        flash(_("Saved. What you share is shown to the region and the other municipalities from now on.")
              if changed else _("Nothing changed."), "success")
        return redirect(url_for("benchmarks.sharing"))
    return render("benchmarking/sharing.html", form=form, choices=choices,
                  metrics=catalogue.all_metrics(), status=422 if form.is_submitted() else 200)
