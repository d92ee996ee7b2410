"""Every CSV and XLSX download reads as the reader's spreadsheet expects (``dugnad.spreadsheets``):
in Norwegian ``;`` between columns and a decimal comma, in English ``,`` and a point, a BOM in
each; headings are the metrics' labels and units in the reader's language, not their keys;
the participant register names categories and legal bases in words; an XLSX holds numbers."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from dugnad import spreadsheets
from dugnad.benchmarking.metrics import Figure
from dugnad.extensions import db
from tests.support.benchmarking import share, snapshot
from tests.core.test_participants_csv import payload_of
from tests.support.participants import add, stored

Y = date(2025, 1, 1)
BOM = b"\xef\xbb\xbf"


def _in(client, language: str):
    with client.session_transaction() as session:
        session["lang"] = language
    return client


@pytest.fixture
def figures(app, world):
    """2025: Alfa has 7 processes running, 62.5 % through their phases (on 4); both shared."""
    with app.app_context():
        alpha = world.tenants["alpha"]
        snapshot(alpha, "processes.active", "year", Y, 7)
        snapshot(alpha, "processes.progress", "year", Y, Figure(62.5, 4).value, count=4)
        share(alpha, "core", "processes")
        db.session.commit()
    return world


@pytest.mark.parametrize("language, separator, head, progress, active, progress_value", [
    ("nb", ";", ["Kommune", "Kommunenummer", "KOSTRA-gruppe"], "Framdrift gjennom fasene (prosent)",
     "Prosesser i gang (antall)", "62,5"),
    ("nn", ";", ["Kommune", "Kommunenummer", "KOSTRA-gruppe"], "Framdrift gjennom fasane (prosent)",
     "Prosessar i gang (tal)", "62,5"),
    ("en", ",", ["Municipality", "Municipality number", "KOSTRA group"], "Progress through the phases (percent)",
     "Processes running (number)", "62.5"),
])
def test_the_region_csv_speaks_the_readers_language(client_as, figures, language, separator, head, progress,
                                                     active, progress_value):
    body = _in(client_as("region"), language).get("/region/benchmarks/export.csv?period=2025").data
    assert body.startswith(BOM)
    text = body.decode("utf-8-sig")
    assert "processes.progress" not in text and "(count)" not in text
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=separator) if row]
    assert rows[0][:3] == head and progress in rows[0] and active in rows[0]
    alfa = next(row for row in rows if row[0] == "Alfa")
    assert alfa[rows[0].index(progress)] == progress_value and alfa[rows[0].index(active)] == "7"


def test_the_region_xlsx_holds_numbers_with_a_number_format(client_as, figures):
    data = _in(client_as("region"), "nb").get("/region/benchmarks/export.xlsx?period=2025").data
    sheet = load_workbook(io.BytesIO(data)).active
    head = [c.value for c in sheet[1]]
    alfa = next(row for row in sheet.iter_rows() if row[0].value == "Alfa")
    progress = alfa[head.index("Framdrift gjennom fasene (prosent)")]
    active = alfa[head.index("Prosesser i gang (antall)")]
    assert progress.value == 62.5 and progress.data_type == "n" and progress.number_format != "General"
    assert active.value == 7 and active.data_type == "n" and active.number_format == spreadsheets.WHOLE_FORMAT


def test_a_metric_csv_in_norwegian_has_its_heading_in_words(client_as, figures):
    text = _in(client_as("region"), "nb").get(
        "/region/benchmarks/export.csv?period=2025&key=processes.progress").data.decode("utf-8-sig")
    head = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert head[1:4] == ["Kommune", "Kommunenummer", "KOSTRA-gruppe"]
    assert head[4] == "Framdrift gjennom fasene (prosent) 2025" and "62,5" in text


def test_the_helper_writes_numbers_for_the_language():
    rows = [["a", 1, 2.5, None, "=SUM(A1)", "+47 912 34 567"]]
    assert spreadsheets.csv_file(rows, "nb") == BOM + "a;1;2,5;;'=SUM(A1);+47 912 34 567\r\n".encode()
    assert spreadsheets.csv_file(rows, "en") == BOM + "a,1,2.5,,'=SUM(A1),+47 912 34 567\r\n".encode()
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx_file(rows, "Ark"))).active
    assert [c.value for c in sheet[1]] == ["a", 1, 2.5, None, "'=SUM(A1)", "+47 912 34 567"]  # no formula runs


@pytest.mark.parametrize("language, category, basis, separator", [
    ("nb", "Frivillig sektor", "Samtykke fra personen", ";"),
    ("nn", "Frivillig sektor", "Samtykke frå personen", ";"),
    ("en", "Volunteer sector", "Consent from the person", ","),
])
def test_the_participant_export_names_categories_in_words_and_imports_again(app, world, client_as, language,
                                                                             category, basis, separator):
    add(app, world.tenants["alpha"], name="Kari Nordmann", category="volunteer", legal_basis="consent",
        consent_at=datetime(2024, 3, 31, 12))
    body = _in(client_as("alpha_coordinator"), language).get("/alpha/participants/export.csv").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=separator))
    kari = next(row for row in rows if row[0] == "Kari Nordmann")
    assert kari[4] == category and kari[7] == basis
    assert "volunteer" not in kari and "consent" not in kari
    beta = _in(client_as("beta_admin"), language)
    preview = beta.post("/beta/participants/import", data={"file": (io.BytesIO(body), "export.csv")},
                        content_type="multipart/form-data")
    assert beta.post("/beta/participants/import/confirm", data={"payload": payload_of(preview)}).status_code == 302
    (copy,) = [p for p in stored(app, world.tenants["beta"]) if p.name == "Kari Nordmann"]
    assert (copy.category, copy.legal_basis) == ("volunteer", "consent")
