"""The region's table shows the metrics the analyst chose (kept in the address and in the
cache key) and colours each shown figure by where it stands in the region."""

import re
from datetime import date

import pytest

from dugnad.benchmarking.disclosure import SHOWN, SUPPRESSED, Cell, Summary
from dugnad.benchmarking.formatting import heat
from dugnad.benchmarking.metrics import Metric
from dugnad.extensions import db
from tests.core.test_benchmarking_published import _region, _tenant_setting
from tests.support.benchmarking import share, snapshot

Y = date(2025, 1, 1)


def _table(html: str) -> str:
    return re.search(r'<section id="benchmark-table".*?</section>', html, re.S).group(0)


def _headings(html: str) -> list[str]:
    return re.findall(r'<span class="bm-head"[^>]*>([^<]+)</span>', _table(html))


@pytest.fixture
def region(app, world, client_as):
    with app.app_context():
        for tenant, notes, running in ((world.tenants["alpha"], 40, 3), (world.tenants["beta"], 9, 8)):
            snapshot(tenant, "sample.notes", "year", Y, notes)
            snapshot(tenant, "processes.active", "year", Y, running)
            share(tenant, "core", "processes")
        db.session.commit()
    return _region(client_as)


def test_each_choice_of_metrics_gets_its_own_table(region, queries):
    base = "/region/benchmarks/?period=2025"
    default = _headings(region.get(base).text)
    assert "Processes running" in default and "Notes" not in default  # the core's processes first
    assert "Notes" in _headings(region.get(base + "&group=core").text)
    chosen = region.get(base + "&metric=sample.notes&metric=processes.active&choose=1")
    assert _headings(chosen.text) == ["Municipality", "KOSTRA group", "Processes running", "Notes"]  # no SSB: unticked
    # warm, each choice costs the same few statements (the table comes from the cache, the login too)
    queries.statements.clear()
    again = region.get(base + "&metric=sample.notes&metric=processes.active&choose=1")
    assert _table(again.text) == _table(chosen.text)
    assert len([s for s in queries.statements if not _tenant_setting(s)]) == 2
    # a sort link, the period form and the group links keep the choice
    links = re.findall(r'href="(/region/benchmarks/\?[^"]*sort=sample.notes[^"]*)"', chosen.text)
    assert links and all("metric=sample.notes" in link and "metric=processes.active" in link for link in links)
    assert re.search(r'<form method="get"[^>]*bm-period-form.*?name="metric" value="sample.notes"', chosen.text, re.S)
    # a metric sorted by shows its group when none was chosen
    assert "Notes" in _headings(region.get(base + "&sort=sample.notes&dir=desc").text)


def test_an_unknown_metric_or_group_shows_the_first_group(region):
    html = region.get("/region/benchmarks/?period=2025&metric=no.such&group=nope").text
    assert "Processes running" in _headings(html)


HIGHER = Metric("t.higher", "Higher", "count", compute=lambda *a: None)
LOWER = Metric("t.lower", "Lower", "days", compute=lambda *a: None, better="lower")
REGION = Summary(shown=8, total=None, median=10.0, lower_quartile=5.0, upper_quartile=20.0, minimum=1.0, maximum=30.0)


@pytest.mark.parametrize("value, higher, lower", [
    (30, " bm-heat--best", " bm-heat--worst"), (20, " bm-heat--best", " bm-heat--worst"),
    (12, " bm-heat--good", " bm-heat--weak"), (10, "", ""),
    (7, " bm-heat--weak", " bm-heat--good"), (5, " bm-heat--worst", " bm-heat--best"),
])
def test_heat_reads_each_metric_the_way_it_is_better(value, higher, lower):
    cell = Cell(SHOWN, float(value), 9)
    assert heat(cell, HIGHER, REGION) == higher and heat(cell, LOWER, REGION) == lower


def test_hidden_cells_and_few_figures_get_no_heat():
    assert heat(Cell(SUPPRESSED), HIGHER, REGION) == "" and heat(None, HIGHER, REGION) == ""
    few = Summary(shown=2, total=None, median=10.0, lower_quartile=5.0, upper_quartile=20.0, minimum=5.0, maximum=20.0)
    assert heat(Cell(SHOWN, 30.0, 9), HIGHER, few) == ""
