"""The region's dashboard and a municipality's benchmarking pages: consent, suppression
in every page, chart and export, sorting, KOSTRA groups, permissions and query counts."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dugnad.benchmarking.models import KostraGroup, Sharing, Snapshot
from dugnad.extensions import db
from dugnad.tenancy import Tenant, tenant_context
from tests.support.benchmarking import share, snapshot
from tests.support.context import in_english

Y = date(2025, 1, 1)


@pytest.fixture
def client_as(client_as):
    """As the shared fixture, in English (these tests read the words on the page)."""

    return lambda key: in_english(client_as(key))


# the dashboard shows one group of metrics unless asked for others (see test_benchmarking_layout)


@pytest.fixture
def figures(app, world):
    """2025: alpha shares everything (sample notes 40, processes running 7);
    beta shares only processes (sample notes 2 -> not shared; processes running 1)."""
    with app.app_context():
        a, b = world.tenants["alpha"], world.tenants["beta"]
        snapshot(a, "sample.notes", "year", Y, 40)
        snapshot(b, "sample.notes", "year", Y, 2)
        snapshot(a, "processes.active", "year", Y, 7)
        snapshot(b, "processes.active", "year", Y, 1)
        share(a, "core", "processes")
        share(b, "processes")
        db.session.commit()
    return world


def _cells(html, row_name):
    row = re.search(rf'<tr[^>]*>\s*<th scope="row">(?:<a[^>]*>)?{row_name}.*?</tr>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_dashboard_shows_municipalities_by_metrics_with_consent_and_suppression(client_as, figures):
    html = client_as("region").get("/region/benchmarks/?period=2025&metric=sample.notes&metric=processes.active").text
    assert "<h1" in html and html.count("<h1") == 1
    assert "not shared" in _cells(html, "Beta")
    assert "40" in _cells(html, "Alfa") and "7" in _cells(html, "Alfa")
    assert "1" in _cells(html, "Beta")  # processes are not people: one process is shown (threshold 1)
    assert _cells(html, "Beta").count("not shared") == 1


def test_small_counts_show_as_a_colon(app, client_as, figures):
    with app.app_context():
        snapshot(figures.tenants["alpha"], "sample.notes", "year", date(2024, 1, 1), 2)
        db.session.commit()
    html = client_as("region").get("/region/benchmarks/?period=2024&metric=sample.notes&metric=processes.active").text
    assert ">:</abbr>" in html


def test_sorting_by_a_metric_works_without_javascript_and_keeps_hidden_cells_last(app, client_as, figures):
    with app.app_context():
        gamma = Tenant(slug="gamma", name="Gamma", number="4602", settings={})
        db.session.add(gamma)
        db.session.flush()
        snapshot(gamma.id, "sample.notes", "year", Y, 9)
        share(gamma.id, "core")
        db.session.commit()
    client = client_as("region")
    order = lambda html: re.findall(r'<th scope="row"><a class="ds-link" href="/region/benchmarks/municipalities/\d+[^"]*">(\w+)</a>', html)
    up = client.get("/region/benchmarks/?period=2025&sort=sample.notes&dir=asc").text
    down = client.get("/region/benchmarks/?period=2025&sort=sample.notes&dir=desc").text
    assert order(up) == ["Gamma", "Alfa", "Beta"] and order(down) == ["Alfa", "Gamma", "Beta"]
    assert 'aria-sort="descending"' in down
    fragment = client.get("/region/benchmarks/?period=2025&sort=sample.notes&dir=desc", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="benchmark-table"') and "<h1" not in fragment.text


def test_each_row_links_to_its_municipality_s_page_with_its_name_and_group_escaped(app, client_as, figures):
    """The table's rows are made in Python (formatting.region_rows), not by the template: names
    and groups are still escaped, and each links to its own municipality's page for the period."""
    with app.app_context():
        gamma = Tenant(slug="gamma", name="Gamma & <Co>", number="4602", settings={})
        db.session.add(gamma)
        db.session.add(KostraGroup(number="4602", group="K<1>"))
        db.session.flush()
        snapshot(gamma.id, "processes.active", "year", Y, 3)
        share(gamma.id, "processes")
        db.session.commit()
        gamma_id = gamma.id
    html = client_as("region").get("/region/benchmarks/?period=2025").text
    links = dict((name, href) for href, name in re.findall(r'<th scope="row"><a class="ds-link" href="([^"]*)">([^<]*)</a>', html))
    assert links["Gamma &amp; &lt;Co&gt;"] == f"/region/benchmarks/municipalities/{gamma_id}?kind=year&amp;period=2025"
    assert links["Alfa"] == f"/region/benchmarks/municipalities/{figures.tenants['alpha']}?kind=year&amp;period=2025"
    assert "<Co>" not in html and "K<1>" not in html
    assert _cells(html, "Gamma &amp; &lt;Co&gt;")[0] == "K&lt;1&gt;"
    assert "3" in _cells(html, "Gamma &amp; &lt;Co&gt;")


def test_a_metric_page_ranks_charts_and_tables_the_same_figures(client_as, figures):
    html = client_as("region").get("/region/benchmarks/metric?key=processes.active&period=2025").text
    assert "<svg" in html and 'role="img"' in html
    assert re.findall(r'<rect class="bm-bar"', html).__len__() == 2
    assert "Region median 4" in html
    assert re.search(r"<td>1</td>\s*<th scope=\"row\">Alfa", html)
    notes = client_as("region").get("/region/benchmarks/metric?key=sample.notes&period=2025").text
    assert len(re.findall(r'<rect class="bm-bar"', notes)) == 1  # beta's figure is not shared: no bar
    assert "not shared" in notes
    assert client_as("region").get("/region/benchmarks/metric?key=nope").status_code == 404


def test_exports_hold_the_same_published_figures(client_as, figures):
    client = client_as("region")
    text = client.get("/region/benchmarks/export.csv?period=2025").data.decode("utf-8-sig")
    rows = {line[0]: line for line in csv.reader(io.StringIO(text)) if line}  # in English (nb: test_spreadsheets)
    head = rows["Municipality"]
    notes = head.index("Notes (number)")
    assert rows["Alfa"][notes] == "40" and rows["Beta"][notes] == "not shared"
    workbook = load_workbook(io.BytesIO(client.get("/region/benchmarks/export.xlsx?period=2025").data))
    values = {row[0]: row for row in workbook.active.iter_rows(values_only=True) if row and row[0]}
    assert values["Alfa"][notes] == 40 and values["Beta"][notes] == "not shared"
    series = client.get("/region/benchmarks/export.csv?period=2025&key=sample.notes").data.decode("utf-8-sig")
    assert "not shared" in series and ",2," not in series


def test_nothing_hidden_can_be_recovered_from_any_page_export_or_api_answer(app, client_as, world):
    """Two regions alike but for the hidden figures (a suppressed count, a figure not shared, the
    quarters hidden to protect a small one): every page, export and API answer is the same."""
    from dugnad.accounts.models import AccessToken, hash_token

    def build(small, unshared, sibling):
        with app.app_context():
            a, b = world.tenants["alpha"], world.tenants["beta"]
            for tenant in (a, b):
                with tenant_context(tenant):
                    db.session.execute(db.delete(Snapshot))
                    db.session.execute(db.delete(Sharing))
            snapshot(a, "sample.notes", "year", Y, 30)
            for month, value in ((1, 10), (4, small), (7, sibling), (10, 30 - 10 - small - sibling)):
                snapshot(a, "sample.notes", "quarter", date(2025, month, 1), value)
            snapshot(b, "sample.notes", "year", Y, unshared)
            snapshot(b, "processes.active", "year", Y, 5)
            share(a, "core", "processes")
            share(b, "processes")
            if not db.session.scalar(select(AccessToken.id).where(AccessToken.name == "region")):
                db.session.add(AccessToken(user_id=world.users["region"], tenant_id=None, name="region",
                                           token_hash=hash_token("dgn_region"), prefix="dgn_region"))
            db.session.commit()

    paths = ["/region/benchmarks/?period=2025&metric=sample.notes&metric=processes.active", "/region/benchmarks/?period=2025&sort=sample.notes&dir=desc",
             "/region/benchmarks/?kind=quarter&period=2025K4&metric=sample.notes&metric=processes.active", "/region/benchmarks/?kind=quarter&period=2025K2&sort=sample.notes",
             "/region/benchmarks/metric?key=sample.notes&period=2025",
             "/region/benchmarks/metric?key=sample.notes&kind=quarter&period=2025K4",
             "/region/benchmarks/export.csv?period=2025", "/region/benchmarks/export.csv?kind=quarter&period=2025K4&key=sample.notes",
             f"/region/benchmarks/municipalities/{world.tenants['alpha']}?kind=quarter&period=2025K2"]
    api = ["/api/v1/benchmarks/snapshots/?kind=quarter&from=2025K1&to=2025K4",
           "/api/v1/benchmarks/snapshots/?from=2025&to=2025&format=csv"]

    def everything():
        client, alpha = client_as("region"), client_as("alpha_admin")
        pages = [re.sub(r'name="csrf_token" value="[^"]+"|content="[^"]+" name="csrf-token"|<meta name="csrf-token"[^>]+>', "",
                        client.get(path).get_data(as_text=True)) for path in paths]
        pages += [client.get(path, headers={"Authorization": "Bearer dgn_region"}).get_data(as_text=True) for path in api]
        pages.append(re.sub(r'name="csrf_token" value="[^"]+"|<meta name="csrf-token"[^>]+>', "",
                            alpha.get("/alpha/benchmarks/metric?key=sample.notes&period=2025").text))
        workbook = load_workbook(io.BytesIO(client.get("/region/benchmarks/export.xlsx?period=2025").data))
        pages.append(repr(list(workbook.active.iter_rows(values_only=True))))
        return pages

    build(small=2, unshared=2, sibling=6)
    first = everything()
    assert ":" in first[2] and "not shared" in first[0]
    build(small=1, unshared=450, sibling=0)
    assert everything() == first


def test_a_municipality_sees_its_own_figures_against_the_region_median(client_as, figures):
    html = client_as("beta_admin").get("/beta/benchmarks/?period=2025").text
    assert "Our figures against the region" in html
    row = _cells(html, r'<a class="ds-link" href="/beta/benchmarks/metric\?key=sample.notes[^"]*">Notes</a>')
    assert row[0] == ":"  # its own 2 notes: suppressed for itself too
    assert row[-1] == "no"  # and not shared
    active = _cells(html, r'<a class="ds-link" href="/beta/benchmarks/metric\?key=processes.active[^"]*">Processes running</a>')
    assert active[0] == "1" and active[1] == "4" and "below" in active[4]


def test_a_municipality_never_sees_another_s_unshared_figures(app, client_as, figures):
    with app.app_context():
        snapshot(figures.tenants["beta"], "sample.notes", "year", date(2024, 1, 1), 987654)
        db.session.commit()
    alpha = client_as("alpha_admin")
    for path in ("/alpha/benchmarks/metric?key=sample.notes&period=2025", "/alpha/benchmarks/metric?key=sample.notes&period=2024",
                 "/alpha/benchmarks/?period=2024"):
        html = alpha.get(path).text
        assert "987654" not in html and "987 654" not in html
    assert "not shared" in alpha.get("/alpha/benchmarks/metric?key=sample.notes&period=2025").text
    # the region's pages are not theirs
    assert alpha.get("/region/benchmarks/").status_code == 403
    assert alpha.get("/region/benchmarks/export.csv").status_code == 403


def test_changing_what_is_shared_changes_what_the_region_sees(app, client_as, figures):
    admin = client_as("beta_admin")
    page = admin.get("/beta/benchmarks/sharing")
    assert page.status_code == 200 and 'id="share_core"' in page.text
    assert re.search(r'<input [^>]*checked[^>]*id="share_processes"', page.text)
    assert not re.search(r'<input [^>]*checked[^>]*id="share_core"', page.text)
    answer = admin.post("/beta/benchmarks/sharing", data={"share_core": "y", "share_processes": "y"})
    assert answer.status_code == 302
    html = client_as("region").get("/region/benchmarks/?period=2025&metric=sample.notes&metric=processes.active").text
    assert "not shared" not in _cells(html, "Beta")
    admin.post("/beta/benchmarks/sharing", data={"sent": "1"})  # every box unticked
    html = client_as("region").get("/region/benchmarks/?period=2025&metric=sample.notes&metric=processes.active").text
    assert _cells(html, "Beta").count("not shared") == 2
    with app.app_context(), tenant_context(figures.tenants["beta"]):
        rows = db.session.scalars(select(Sharing)).all()
        assert {(r.metric_group, r.shared) for r in rows} == {("core", False), ("processes", False)}
        from dugnad.audit import AuditEvent

        assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "benchmarks.sharing_changed")) == 3


def test_only_admins_decide_what_is_shared_and_members_see_no_benchmarks(client_as, figures):
    assert client_as("alpha_coordinator").get("/alpha/benchmarks/").status_code == 200
    assert client_as("alpha_coordinator").post("/alpha/benchmarks/sharing", data={}).status_code == 403
    assert client_as("alpha_member").get("/alpha/benchmarks/").status_code == 403


def test_the_region_sets_kostra_groups_and_each_municipality_meets_its_group(app, client_as, figures):
    region = client_as("region")
    answer = region.post("/region/benchmarks/groups", data={"group_3403": "KOSTRA-gruppe 13", "group_3905": "KOSTRA-gruppe 13"})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(KostraGroup, "3403").group == "KOSTRA-gruppe 13"
    html = region.get("/region/benchmarks/metric?key=processes.active&period=2025").text
    assert "KOSTRA-gruppe 13" in html
    too_long = region.post("/region/benchmarks/groups", data={"group_3403": "x" * 121})
    assert too_long.status_code == 422 and 'aria-invalid="true"' in too_long.text and "x" * 121 in too_long.text
    region.post("/region/benchmarks/groups", data={"group_3403": "", "group_3905": "KOSTRA-gruppe 13"})
    with app.app_context():
        assert db.session.get(KostraGroup, "3403") is None


def test_a_bad_period_is_refused_with_a_message(client_as, figures):
    answer = client_as("region").get("/region/benchmarks/?period=2099")
    assert answer.status_code == 422 and "in the future" in answer.text and 'aria-invalid="true"' in answer.text
    assert client_as("region").get("/region/benchmarks/?period=soon").status_code == 422
    assert client_as("region").get("/region/benchmarks/export.csv?period=2099").status_code == 422


PAGES = ["/region/benchmarks/?period=2025&metric=sample.notes&metric=processes.active", "/region/benchmarks/?kind=quarter&period=2025K4&metric=sample.notes&metric=processes.active",
         "/region/benchmarks/metric?key=sample.notes&period=2025", "/alpha/benchmarks/?period=2025",
         "/alpha/benchmarks/metric?key=sample.notes&kind=quarter&period=2025K2"]


def test_query_counts_do_not_grow_with_municipalities(app, client_as, figures, queries):
    region, alpha = client_as("region"), client_as("alpha_admin")

    def counts():
        found = {}
        for path in PAGES:
            client = alpha if path.startswith("/alpha") else region
            client.get(path)
            queries.statements.clear()
            assert client.get(path).status_code == 200
            found[path] = queries.count
        return found

    few = counts()
    with app.app_context():
        for i in range(12):
            tenant = Tenant(slug=f"m{i}", name=f"Municipality {i}", number=f"{5000 + i}", settings={})
            db.session.add(tenant)
            db.session.flush()
            snapshot(tenant.id, "sample.notes", "year", Y, 10 + i)
            snapshot(tenant.id, "sample.notes", "quarter", date(2025, 4, 1), 1 + i)
            share(tenant.id, "core")
        db.session.commit()
    assert "Municipality 11" in region.get(PAGES[0]).text
    assert counts() == few


def test_recompute_now_runs_the_job(app, client_as, figures):
    answer = client_as("region").post("/region/benchmarks/recompute", data={})
    assert answer.status_code == 302
    html = client_as("region").get("/region/benchmarks/").text
    assert "Last computed" in html


def test_downloads_speak_the_reader_s_language(app, figures):
    from tests.conftest import login

    client = app.test_client()
    login(client, figures.users["region"])
    with client.session_transaction() as session:
        session["lang"] = "nb"
    text = client.get("/region/benchmarks/export.csv?period=2025").data.decode("utf-8-sig")
    assert "ikke delt" in text and "betyr for få" in text and "not shared" not in text
