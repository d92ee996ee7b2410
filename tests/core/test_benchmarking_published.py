"""The region's dashboard from its published table: built once per data version, period,
sort and language, and never served once the data under it has changed."""

import re
from datetime import date

from dugnad.benchmarking import compute
from dugnad.extensions import db
from tests.support.benchmarking import share, snapshot

Y = date(2025, 1, 1)
PAGE = "/region/benchmarks/?period=2025&group=core"  # the sample plugin's notes (not the default group)


def _region(client_as, lang="en"):
    client = client_as("region")
    with client.session_transaction() as session:
        session["lang"] = lang
    return client


def _beta_cells(html):
    row = re.search(r'<tr[^>]*>\s*<th scope="row">(?:<a[^>]*>)?Beta.*?</tr>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def _figures(app, world, notes=40):
    with app.app_context():
        snapshot(world.tenants["alpha"], "sample.notes", "year", Y, notes)
        snapshot(world.tenants["beta"], "sample.notes", "year", Y, 9)
        share(world.tenants["alpha"], "core")
        db.session.commit()


def test_a_warm_dashboard_costs_a_fixed_few_statements(app, world, client_as, queries):
    _figures(app, world)
    region = _region(client_as)
    queries.statements.clear()
    cold = region.get(PAGE)
    cold_count = queries.count
    queries.statements.clear()
    warm = region.get(PAGE)
    table = re.compile(r'<section id="benchmark-table".*?</section>', re.S)
    assert warm.status_code == 200 and table.search(warm.text).group(0) == table.search(cold.text).group(0)
    # the data version and the last run: nothing of the table, nor of the login (kept under
    # the ``logins`` stamp; PostgreSQL's SET LOCAL for row-level security not counted)
    mine = [s for s in queries.statements if not _tenant_setting(s)]
    assert len(mine) == 2 < cold_count, mine
    assert not any("benchmark_snapshot.metric_key" in s for s in queries.statements)


def test_a_change_under_the_table_is_seen_at_once(app, world, client_as):
    _figures(app, world)
    region = _region(client_as)
    assert "not shared" in _beta_cells(region.get(PAGE).text)
    with app.app_context():  # beta starts sharing
        share(world.tenants["beta"], "core")
        db.session.commit()
    assert "not shared" not in _beta_cells(region.get(PAGE).text)
    # a KOSTRA group set by the region
    region.post("/region/benchmarks/groups", data={"group_3905": "KOSTRA-gruppe 7"})
    assert "KOSTRA-gruppe 7" in _beta_cells(region.get(PAGE).text)
    # a recompute replaces the figures
    with app.app_context():
        compute.backfill(Y, date(2025, 12, 31))
    assert "9" not in _beta_cells(region.get(PAGE).text)  # the test plugin counts 2 notes, not 9


def test_each_language_and_sort_gets_its_own_table(app, world, client_as):
    _figures(app, world)
    english, norwegian = _region(client_as, "en"), _region(client_as, "nb")
    assert "All figures for 2025" in english.get(PAGE).text
    assert "All figures for 2025" not in norwegian.get(PAGE).text
    by_name = english.get(PAGE + "&sort=sample.notes&dir=desc").text
    assert by_name.index(">Alfa<") < by_name.index(">Beta<")
    ascending = english.get(PAGE + "&sort=name&dir=desc").text
    assert ascending.index(">Beta<") < ascending.index(">Alfa<")


def test_a_warm_region_table_is_never_served_to_a_municipality(app, world, client_as):
    """With the region's table in the cache, a municipality's admin asking the same address
    is still refused, and their own page shows only what they may see."""
    _figures(app, world)
    region = _region(client_as)
    assert "not shared" in _beta_cells(region.get(PAGE).text)  # the table is in the cache now
    for key in ("alpha_admin", "beta_admin"):
        client = client_as(key)
        answer = client.get(PAGE)
        assert answer.status_code == 403 and "benchmark-table" not in answer.text
    own = client_as("alpha_admin").get("/alpha/benchmarks/?period=2025")
    assert own.status_code == 200 and "benchmark-table" not in own.text


def test_a_metric_page_is_kept_too_and_follows_the_data(app, world, client_as):
    _figures(app, world)
    region = _region(client_as)
    url = "/region/benchmarks/metric?key=sample.notes&period=2025"
    first = region.get(url)
    assert first.status_code == 200 and "not shared" in first.text
    assert region.get(url).text.count("not shared") == first.text.count("not shared")
    with app.app_context():  # beta starts sharing: its 9 notes show at once
        share(world.tenants["beta"], "core")
        db.session.commit()
    assert region.get(url).text.count("not shared") < first.text.count("not shared")
    missing = region.get("/region/benchmarks/metric?key=no.such&period=2025")
    assert missing.status_code == 404


def _tenant_setting(statement: str) -> bool:
    """PostgreSQL's per-transaction tenant setting for row-level security (not the page's own work)."""
    return "set_config(" in statement or statement.lstrip().upper().startswith("SET LOCAL")


def test_while_a_recompute_runs_each_municipality_s_new_figures_show_as_it_commits(app, world, client_as):
    _figures(app, world)  # alpha 40 and beta 9 notes stored for 2025; the recompute counts 2 in each
    with app.app_context():
        share(world.tenants["beta"], "core")
        db.session.commit()
    region = _region(client_as)
    assert "9" in _beta_cells(region.get(PAGE).text)
    seen = {}

    def after_each(municipality):  # Alfa first, then Beta (by name); the page is read after each commits
        seen[municipality.name] = _beta_cells(region.get(PAGE).text)

    with app.app_context():
        compute.backfill(Y, date(2025, 12, 31), progress=after_each)
    assert "9" in seen["Alfa"]  # beta's turn has not come yet
    assert "9" not in seen["Beta"] and ":" in seen["Beta"]  # 2 notes now: too few to show (suppressed)
