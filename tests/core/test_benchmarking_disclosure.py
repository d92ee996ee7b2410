"""Consent and suppression (prikking), on the published cells themselves.

The strongest check: whatever a hidden figure is, everything built from the cells —
the cells, the region's sum, median and quartiles, the ranking and the chart — is the
same, so nothing hidden can be worked out from it.
"""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dugnad.benchmarking.charts import bar_chart, sparkline
from dugnad.benchmarking.disclosure import (NOT_SHARED, SHOWN, SUPPRESSED, Raw, display, publish, ranked,
                                            summarise)
from dugnad.benchmarking.metrics import Figure, Metric
from dugnad.benchmarking.periods import Period, between

COUNT = Metric("test.count", "Count", "count", compute=lambda *a: 0)
CARE = Metric("test.care", "Care", "count", compute=lambda *a: 0, threshold=5)
SHARE = Metric("test.share", "Share", "percent", compute=lambda *a: Figure(0, 0))
RATE = Metric("test.rate", "Rate", "per_1000", compute=lambda *a: 0)
Y2025 = Period("year", date(2025, 1, 1))


def test_counts_below_the_threshold_are_suppressed_and_zero_is_shown():
    raws = [Raw(t, Y2025, v, int(v)) for t, v in ((1, 0), (2, 1), (3, 2), (4, 3), (5, 40))]
    cells = publish(COUNT, raws, shared={1, 2, 3, 4, 5})
    assert [display(cells[(t, Y2025)], COUNT) for t in range(1, 6)] == ["0", ":", ":", "3", "40"]
    assert cells[(2, Y2025)].value is None and cells[(2, Y2025)].count is None


def test_a_threshold_of_five_hides_four():
    cells = publish(CARE, [Raw(1, Y2025, 4, 4), Raw(2, Y2025, 5, 5)], shared={1, 2})
    assert [cells[(1, Y2025)].state, cells[(2, Y2025)].state] == [SUPPRESSED, SHOWN]


def test_a_share_resting_on_too_few_is_suppressed_whatever_its_value():
    cells = publish(SHARE, [Raw(1, Y2025, 50.0, 2), Raw(2, Y2025, 66.7, 3)], shared={1, 2})
    assert cells[(1, Y2025)].state == SUPPRESSED
    assert (cells[(2, Y2025)].value, cells[(2, Y2025)].count) == (66.7, 3)


def test_per_1000_is_suppressed_on_the_count_since_the_population_is_public():
    population = {(1, 2025): 800, (2, 2025): 800}
    cells = publish(RATE, [Raw(1, Y2025, 2, 2), Raw(2, Y2025, 8, 8)], {1, 2}, population)
    assert cells[(1, Y2025)].state == SUPPRESSED
    assert cells[(2, Y2025)].value == 10.0
    assert publish(RATE, [Raw(3, Y2025, 8, 8)], {3}, {})[(3, Y2025)].state == "no_population"


def test_what_a_municipality_does_not_share_is_not_shared_even_when_large():
    cells = publish(COUNT, [Raw(1, Y2025, 500, 500)], shared=set())
    assert cells[(1, Y2025)].state == NOT_SHARED and cells[(1, Y2025)].value is None
    assert display(cells[(1, Y2025)], COUNT) == "not shared"


def _quarters(values):
    return [Raw(1, p, v, v) for p, v in zip(between("quarter", date(2025, 1, 1), date(2025, 12, 31)), values)]


def test_one_small_quarter_hides_every_quarter_of_its_year_but_not_the_year():
    """Otherwise the year minus the three quarters shown gives the hidden one."""
    raws = _quarters([10, 2, 7, 9]) + [Raw(1, Y2025, 28, 28)]
    cells = publish(COUNT, raws, shared={1})
    assert [c.state for k, c in sorted(cells.items(), key=lambda i: i[0][1]) if k[1].kind == "quarter"] == [SUPPRESSED] * 4
    assert cells[(1, Y2025)].value == 28
    other_year = publish(COUNT, [Raw(1, Period("quarter", date(2024, 1, 1)), 10, 10)] + raws, shared={1})
    assert other_year[(1, Period("quarter", date(2024, 1, 1)))].value == 10


def test_months_follow_the_same_rule():
    months = between("month", date(2025, 1, 1), date(2025, 12, 31))
    raws = [Raw(1, p, 5, 5) for p in months[:-1]] + [Raw(1, months[-1], 1, 1)]
    assert {c.state for c in publish(COUNT, raws, shared={1}).values()} == {SUPPRESSED}


def test_region_figures_come_from_the_shown_cells_only():
    raws = [Raw(1, Y2025, 10, 10), Raw(2, Y2025, 20, 20), Raw(3, Y2025, 1, 1), Raw(4, Y2025, 900, 900)]
    cells = publish(COUNT, raws, shared={1, 2, 3})
    summary = summarise(COUNT, cells.values())
    assert (summary.shown, summary.total, summary.median) == (2, 30.0, 15.0)


def test_ranking_puts_hidden_cells_last_in_name_order():
    cells = publish(COUNT, [Raw(1, Y2025, 10, 10), Raw(2, Y2025, 2, 2), Raw(3, Y2025, 30, 30), Raw(4, Y2025, 1, 1)],
                    shared={1, 2, 3, 4})
    names = {1: "Ccc", 2: "Bbb", 3: "Ddd", 4: "Aaa"}
    order = ranked(COUNT, [(names[t], cells[(t, Y2025)]) for t in names])
    assert [(rank, name) for rank, name, _ in order] == [(1, "Ddd"), (2, "Ccc"), (None, "Aaa"), (None, "Bbb")]
    lower = Metric("test.lower", "Lower", "count", compute=lambda *a: 0, better="lower")
    assert [name for _, name, _ in ranked(lower, [(names[t], cells[(t, Y2025)]) for t in names])][:2] == ["Ccc", "Ddd"]


def _everything(metric, raws, shared):
    """All a reader can get from published cells: cells, summary, ranking, charts."""
    cells = publish(metric, raws, shared)
    summary = summarise(metric, cells.values())
    order = ranked(metric, [(f"m{t}", cells.get((t, Y2025))) for t in sorted({r.tenant_id for r in raws})])
    chart = bar_chart([(name, cell, display(cell, metric)) for _, name, cell in order], summary)
    quarters = [p for p in sorted({r.period for r in raws}) if p.kind == "quarter"]
    lines = [sparkline([cells.get((t, p)) for p in quarters]) for t in sorted({r.tenant_id for r in raws})]
    return cells, summary, order, chart, lines


municipality = st.tuples(
    st.booleans(),  # shares
    st.integers(0, 60),  # the year's count
    st.lists(st.integers(0, 20), min_size=4, max_size=4),  # quarters
)


@settings(max_examples=150, deadline=None)
@given(st.lists(municipality, min_size=1, max_size=8), st.data())
def test_no_hidden_figure_can_be_recovered_from_anything_published(places, data):
    quarters = between("quarter", date(2025, 1, 1), date(2025, 12, 31))
    shared = {i for i, (shares, _y, _q) in enumerate(places) if shares}
    raws = []
    for i, (_s, year, qs) in enumerate(places):
        raws.append(Raw(i, Y2025, year, year))
        raws.extend(Raw(i, p, q, q) for p, q in zip(quarters, qs))
    before = _everything(COUNT, raws, shared)
    cells = before[0]
    # change every hidden figure to another value it could have had
    changed = []
    for raw in raws:
        cell = cells[(raw.tenant_id, raw.period)]
        value = raw.value
        if cell.state == NOT_SHARED:
            value = data.draw(st.integers(0, 500))
        elif cell.state == SUPPRESSED and 0 < raw.value < COUNT.threshold:
            value = data.draw(st.integers(1, COUNT.threshold - 1))
        elif cell.state == SUPPRESSED:  # hidden to protect a sibling: any value that is not itself small
            value = data.draw(st.sampled_from([0] + list(range(COUNT.threshold, 40))))
        changed.append(Raw(raw.tenant_id, raw.period, value, value))
    assert _everything(COUNT, changed, shared) == before
