"""Statistics Norway: the JSON-stat 2.0 reader on stored answers shaped as PxWebApi v2
gives them, the import, and per-1,000 figures from the population. Never the network."""

import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from dugnad.benchmarking import jsonstat, ssb
from dugnad.benchmarking.models import SsbFigure
from dugnad.extensions import db

DATA = Path(__file__).parent / "data" / "ssb"
NUMBERS = {"3403": "Alfa", "3905": "Beta"}


def _document(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_population_table_is_read_cell_by_cell():
    dataset = jsonstat.loads((DATA / "07459.json").read_bytes())
    assert dataset.role("geo", "Region") == "Region" and dataset.role("time", "Tid") == "Tid"
    cells = {(c["Region"], c["Tid"]): v for c, v, _s in dataset.cells()}
    assert cells[("3403", "2024")] == 32816 and cells[("0301", "2022")] == 699827
    assert dataset.dimension("Region").labels["3905"] == "Tønsberg"


def test_sparse_values_list_indexes_and_statuses_are_understood():
    dataset = jsonstat.loads((DATA / "09588.json").read_bytes())
    cells = {(c["Region"], c["ContentsCode"], c["Tid"]): (v, s) for c, v, s in dataset.cells()}
    assert cells[("3403", "Netto", "2024")] == (160, None)
    assert cells[("3905", "Netto", "2024")] == (None, "..")


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(version="1.0"), "JSON-stat 2.0"),
    (lambda d: d.update(**{"class": "collection"}), "not 'dataset'"),
    (lambda d: d.update(size=[3, 1]), "'size'"),
    (lambda d: d["value"].pop(), "'value' has 8 numbers but the dimensions make 9"),
    (lambda d: d["value"].__setitem__(0, "many"), "not a number"),
    (lambda d: d["dimension"].pop("Tid"), "dimension 'Tid' is missing"),
    (lambda d: d["dimension"]["Region"]["category"]["index"].update({"3403": 7}), "positions must run"),
    (lambda d: d.update(status=[".."] * 4), "'status' has 4 entries"),
])
def test_malformed_json_stat_is_refused_with_a_clear_message(change, message):
    document = _document("07459.json")
    change(document)
    with pytest.raises(jsonstat.JsonStatError, match=message.replace("(", r"\(")):
        jsonstat.parse(document)


def test_not_json_at_all_is_refused():
    with pytest.raises(jsonstat.JsonStatError, match="not JSON"):
        jsonstat.loads(b"<html>Service unavailable</html>")


def test_import_stores_only_the_region_s_municipalities(app_context, world):
    report = ssb.import_table("07459", NUMBERS, (DATA / "07459.json").read_bytes())
    db.session.commit()
    assert (report.figures, report.years, report.regions) == (6, [2022, 2023, 2024], ["3403", "3905"])
    assert db.session.scalar(select(SsbFigure.value).where(SsbFigure.region == "3905", SsbFigure.year == 2024)) == 58413
    assert db.session.scalar(select(func.count()).select_from(SsbFigure).where(SsbFigure.region == "0301")) == 0
    again = ssb.import_table("07459", NUMBERS, (DATA / "07459.json").read_bytes())
    db.session.commit()
    assert again.figures == 6 and db.session.scalar(select(func.count()).select_from(SsbFigure)) == 6
    migration = ssb.import_table("09588", NUMBERS, (DATA / "09588.json").read_bytes())
    db.session.commit()
    missing = db.session.scalars(select(SsbFigure).where(SsbFigure.table_id == "09588", SsbFigure.value.is_(None))).one()
    assert (missing.region, missing.contents_code, missing.status) == ("3905", "Netto", "..")
    assert migration.figures == 18


def test_a_municipality_missing_from_the_answer_is_reported_and_the_others_imported(app_context, world):
    report = ssb.import_table("07459", {**NUMBERS, "3201": "Bærum"}, (DATA / "07459.json").read_bytes())
    db.session.commit()
    assert report.regions == ["3403", "3905"] and report.missing == ["3201 (Bærum)"]
    assert db.session.scalar(select(func.count()).select_from(SsbFigure)) == 6
    assert any("3201 (Bærum): no figures in table 07459" in line for line in report.lines())


def test_an_answer_with_none_of_the_region_is_an_error_and_nothing_is_written(app_context, world):
    with pytest.raises(ssb.SsbError, match="none of the region's municipalities \\(9999 \\(Nowhere\\)\\)"):
        ssb.import_table("07459", {"9999": "Nowhere"}, (DATA / "07459.json").read_bytes())
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SsbFigure)) == 0


def test_the_command_on_the_demo_region_imports_what_matches(app, tmp_path):
    """The demo region has Bærum, Asker, Kinn and Namsskogan too; the stored file does not."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tenants", "sync", str(Path(__file__).resolve().parents[2] / "tenants")]).exit_code == 0
    result = runner.invoke(args=["ssb", "import", "07459", "--file", str(DATA / "07459.json")])
    assert result.exit_code == 0, result.output
    assert "6 figures for 2 municipalities" in result.output
    assert "3201 (Bærum): no figures in table 07459" in result.output and "4602 (Kinn (Flora))" in result.output


def test_a_table_split_by_an_unasked_dimension_is_refused(app_context, world):
    document = _document("07459.json")
    document["id"].insert(1, "Kjonn")
    document["size"].insert(1, 2)
    document["dimension"]["Kjonn"] = {"label": "kjønn", "category": {"index": {"1": 0, "2": 1},
                                                                      "label": {"1": "Menn", "2": "Kvinner"}}}
    document["value"] = document["value"] * 2
    with pytest.raises(ssb.SsbError, match="split by 'kjønn'"):
        ssb.import_table("07459", NUMBERS, json.dumps(document))
    assert db.session.scalar(select(func.count()).select_from(SsbFigure)) == 0


def test_the_command_imports_a_stored_file_and_reports_errors(app, world, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ssb", "import", "07459", "--file", str(DATA / "07459.json")])
    assert result.exit_code == 0, result.output
    assert "6 figures for 2 municipalities, 2022–2024" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": "2.0", "class": "dataset"}')
    result = runner.invoke(args=["ssb", "import", "09588", "--file", str(broken)])
    assert result.exit_code != 0 and "nothing imported" in result.output and "'id'" in result.output
    assert runner.invoke(args=["ssb", "import", "12345"]).exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SsbFigure).where(SsbFigure.table_id == "09588")) == 0


def test_the_request_goes_to_the_configured_base_address(app_context, monkeypatch):
    from flask import current_app

    monkeypatch.setattr(current_app.extensions["dugnad.settings"], "ssb_url", "http://ssb.test/api/v2")
    url = ssb.data_url("07459", ["3403", "3905"], years=5)
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("ssb.test", "/api/v2/tables/07459/data")
    query = parse_qs(parts.query)
    assert query["valueCodes[Region]"] == ["3403,3905"] and query["valueCodes[Tid]"] == ["top(5)"]
    assert query["outputFormat"] == ["json-stat2"] and query["valueCodes[ContentsCode]"] == ["Personer1"]
    asked = []
    monkeypatch.setattr(ssb, "fetch", lambda url: asked.append(url) or (DATA / "07459.json").read_bytes())
    ssb.import_table("07459", NUMBERS)
    assert asked == [url]


def test_the_base_address_is_a_setting(monkeypatch):
    from dugnad.config import Settings

    monkeypatch.setenv("DUGNAD_SSB_URL", "http://mirror.test/pxweb/v2/")
    monkeypatch.setenv("DUGNAD_SECRET_KEY", "x")
    assert Settings.from_env().ssb_url == "http://mirror.test/pxweb/v2"


def test_per_1000_figures_use_statistics_norway_s_population(app_context, world):
    from dugnad.benchmarking import figures
    from dugnad.benchmarking.catalogue import get
    from dugnad.benchmarking.periods import Period
    from tests.support.benchmarking import share, snapshot

    ssb.import_table("07459", NUMBERS, (DATA / "07459.json").read_bytes())
    metric = get("processes.people")
    for tenant in world.tenants.values():
        snapshot(tenant, metric.key, "year", date(2024, 1, 1), 66)
        share(tenant, "processes")
    snapshot(world.tenants["alpha"], metric.key, "year", date(2025, 1, 1), 66)
    db.session.commit()
    periods = [Period("year", date(2024, 1, 1)), Period("year", date(2025, 1, 1))]
    grid = figures.grid([metric], "year", periods, "test")
    assert grid.cell(metric, world.tenants["alpha"], periods[0]).value == round(66 * 1000 / 32816, 2)
    assert grid.cell(metric, world.tenants["beta"], periods[0]).value == round(66 * 1000 / 58413, 2)
    # 2025 is not in the file yet: the latest population before it is used
    assert grid.cell(metric, world.tenants["alpha"], periods[1]).value == round(66 * 1000 / 32816, 2)


def test_ten_years_of_migration_flows_are_imported_and_read_by_code(app_context, world):
    """09588's measures — domestic in- and out-migration, net domestic migration, net
    immigration — for ten years; a plugin reads them by code (named in its reader's
    language) or by Statistics Norway's label, and a withheld figure stays withheld."""
    report = ssb.import_table("09588", NUMBERS, (DATA / "09588-flows.json").read_bytes(), years=10)
    assert report.figures == 2 * 4 * 10 and report.years == list(range(2016, 2026))
    by_code = ssb.series("3403", "09588", key="code")
    assert list(by_code) == ["Innflytting", "Utflytting", "Nettoinnflytting", "Nettoinnvandring"]
    assert by_code["Innflytting"][2016] == 1990 and by_code["Utflytting"][2016] == 1768
    assert by_code["Nettoinnflytting"][2016] == 1990 - 1768 and len(by_code["Nettoinnvandring"]) == 10
    assert ssb.series("3403", "09588")["Nettoinnflytting, innenlandsk"][2025] == 110
    assert ssb.series("3905", "09588", key="both")[("Nettoinnvandring", "Nettoinnvandring")][2016] is None
    assert list(ssb.series("3403", "09588", years=5, key="code")["Innflytting"]) == [2021, 2022, 2023, 2024, 2025]
    with pytest.raises(ValueError, match="key must be"):
        ssb.series("3403", "09588", key="name")


def test_the_demo_carries_ten_years_of_flows_and_population_marked_as_demo_figures():
    from dugnad.benchmarking.demo import DATA as DEMO

    for name, codes in (("09588-demo.json", {"Innflytting", "Utflytting", "Nettoinnflytting", "Nettoinnvandring"}),
                        ("07459-demo.json", {"Personer1"})):
        dataset = jsonstat.loads((DEMO / name).read_bytes())
        assert set(dataset.dimension("ContentsCode").codes) == codes
        assert len(dataset.dimension("Tid").codes) == 10
        assert all("demotall" in label for label in dataset.dimension("ContentsCode").labels.values())
        assert {"3403", "4602", "5044"} <= set(dataset.dimension("Region").codes)


def test_the_command_asks_for_ten_years_by_default(app, world, monkeypatch):
    """The newcomer service's insight workshop shows ten years of migration and population."""
    asked = []
    monkeypatch.setattr(ssb, "fetch", lambda url: asked.append(url) or (DATA / "09588-flows.json").read_bytes())
    result = app.test_cli_runner().invoke(args=["ssb", "import", "09588"])
    assert result.exit_code == 0, result.output
    assert parse_qs(urlsplit(asked[0]).query)["valueCodes[Tid]"] == ["top(10)"]
    assert "80 figures for 2 municipalities, 2016–2025" in result.output
