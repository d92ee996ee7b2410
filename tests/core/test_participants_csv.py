"""Import participants from a spreadsheet (preview first, then one transaction) and
export them so that Excel in Norway opens the file and it imports again cleanly."""

from __future__ import annotations

import io
import re

import pytest

from dugnad.participants import csv_io
from tests.support.participants import add, client_as, stored  # noqa: F401  (English clients)

HEADER_NB = "navn;e-post;telefon;kategori;rettslig grunnlag;samtykke dato;organisasjon;rolle;type"
ROWS_NB = [
    "Åse Ærlig-Øren;ase@example.no;+47 911 22 333;næringsliv;offentlig oppgave;;;Daglig leder;person",
    "Bjørn Bø;bjorn@example.no;;målgruppe;samtykke;31.03.2024;;;",
    "Frivilligsentralen på Ås;post@frivillig.no;;frivillighet;avtale;;;;organisasjon",
    "Per Frivillig;per@example.no;;Volunteer sector;public_task;;Frivilligsentralen på Ås;Koordinator;person",
]


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(client, raw: bytes, name: str = "deltakere.csv"):
    return client.post("/alpha/participants/import", data={"file": (io.BytesIO(raw), name)},
                       content_type="multipart/form-data")


def payload_of(response) -> str:
    match = re.search(r'name="payload" type="hidden" value="([^"]+)"', response.text) or \
        re.search(r'id="payload" name="payload" type="hidden" value="([^"]+)"', response.text)
    assert match, response.text
    return match.group(1)


def confirm(client, payload: str):
    return client.post("/alpha/participants/import/confirm", data={"payload": payload})


def names(app, world, slug="alpha") -> list[str]:
    return sorted(p.name for p in stored(app, world.tenants[slug]))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_norwegian_letters_survive_utf8_bom_and_windows_1252_and_nothing_is_saved_before_confirming(app, world, client_as, encoding):
    client = client_as("alpha_coordinator")
    response = upload(client, csv_bytes([HEADER_NB, *ROWS_NB], encoding))
    assert response.status_code == 200, response.text
    assert "Åse Ærlig-Øren" in response.text and "4 rows will be added" in response.text
    assert stored(app, world.tenants["alpha"]) == []  # only a preview
    assert confirm(client, payload_of(response)).status_code == 302
    people = {p.name: p for p in stored(app, world.tenants["alpha"])}
    assert sorted(people) == sorted(["Åse Ærlig-Øren", "Bjørn Bø", "Frivilligsentralen på Ås", "Per Frivillig"])
    assert people["Åse Ærlig-Øren"].category == "business" and people["Åse Ærlig-Øren"].legal_basis == "public_task"
    assert people["Bjørn Bø"].consent_at.date().isoformat() == "2024-03-31" and people["Bjørn Bø"].category == "target_group"
    assert people["Frivilligsentralen på Ås"].kind == "organisation"
    assert people["Per Frivillig"].organisation_id == people["Frivilligsentralen på Ås"].id
    assert people["Per Frivillig"].category == "volunteer"


def test_english_headers_commas_and_category_keys_are_read(app, world, client_as):
    client = client_as("alpha_coordinator")
    raw = csv_bytes(["Name,Email,Category,Legal basis,Consent date,Kind",
                     "Ann Smith,ANN@Example.no,business,consent,2024-01-02,person",
                     '"Nordmann, Kari",kari@example.no,Target group,Public task (the municipality\'s duty),,'])
    response = upload(client, raw)
    assert "2 rows will be added" in response.text, response.text
    confirm(client, payload_of(response))
    people = {p.name: p for p in stored(app, world.tenants["alpha"])}
    assert people["Ann Smith"].email == "ann@example.no"
    assert people["Nordmann, Kari"].category == "target_group"


def test_wrong_or_missing_columns_name_the_expected_columns_and_import_nothing(app, world, client_as):
    response = upload(client_as("alpha_coordinator"), csv_bytes(["fornavn;etternavn;adresse", "Kari;Nordmann;Storgata 1"]))
    assert response.status_code == 422
    assert "missing the column(s)" in response.text
    for column in ("navn", "kategori", "rettslig grunnlag"):
        assert column in response.text
    assert 'id="file-error"' in response.text
    assert stored(app, world.tenants["alpha"]) == []


def test_rows_with_errors_are_listed_by_row_and_column_and_left_out(app, world, client_as):
    client = client_as("alpha_coordinator")
    raw = csv_bytes([HEADER_NB,
                     "God Rad;god@example.no;;innbyggere;offentlig oppgave;;;;",
                     "Feil Kategori;feil@example.no;;romvesener;offentlig oppgave;;;;",
                     "Uten Grunnlag;uten@example.no;;innbyggere;;;;;",
                     "Samtykke Uten Dato;samtykke@example.no;;innbyggere;samtykke;;;;",
                     "Ukjent Org;org@example.no;;innbyggere;offentlig oppgave;;Finnes Ikke AS;;",
                     ";tomt-navn@example.no;;innbyggere;offentlig oppgave;;;;"])
    response = upload(client, raw)
    text = response.text
    assert "1 row will be added" in text and "5 rows have errors" in text
    errors = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", text)
    by_row = {int(r): (c, m) for r, c, m in errors}
    assert by_row[3][0] == "kategori" and "romvesener" in by_row[3][1]
    assert by_row[4][0] == "rettslig grunnlag" and "legal basis is missing" in by_row[4][1]
    assert by_row[5][0] == "samtykke dato" and "consent" in by_row[5][1]
    assert by_row[6][0] == "organisasjon" and "Finnes Ikke AS" in by_row[6][1]
    assert by_row[7][0] == "navn"
    assert stored(app, world.tenants["alpha"]) == []
    confirm(client, payload_of(response))
    assert names(app, world) == ["God Rad"]


def test_the_preview_offers_to_create_an_organisation_the_register_lacks(app, world, client_as):
    client = client_as("alpha_coordinator")
    raw = csv_bytes([HEADER_NB,
                     "Kari Kafé;kari@example.no;;frivillighet;offentlig oppgave;;Internasjonal kafé Ås;Leder;",
                     "Ola Kafé;ola@example.no;;frivillighet;offentlig oppgave;;internasjonal kafé ås;;",
                     "Nils Nabo;nils@example.no;;innbyggere;offentlig oppgave;;;;"])
    first = upload(client, raw)
    assert "1 row will be added" in first.text and "2 rows have errors" in first.text
    assert "Organisations not in the register" in first.text
    assert 'name="create" value="Internasjonal kafé Ås"' in first.text and "rows 2, 3" in first.text
    chosen = client.post("/alpha/participants/import/organisations",
                         data={"payload": payload_of(first), "create": "Internasjonal kafé Ås"})
    assert chosen.status_code == 200 and "3 rows will be added" in chosen.text
    assert 'value="Internasjonal kafé Ås" id="create-organisation-1" checked' in chosen.text
    assert stored(app, world.tenants["alpha"]) == []  # still only a preview
    assert confirm(client, payload_of(chosen)).status_code == 302
    people = {p.name: p for p in stored(app, world.tenants["alpha"])}
    cafe = people["Internasjonal kafé Ås"]
    assert cafe.kind == "organisation" and cafe.category == "volunteer"
    assert people["Kari Kafé"].organisation_id == cafe.id == people["Ola Kafé"].organisation_id
    assert len(people) == 4


def test_duplicates_by_email_in_the_file_and_in_the_register_are_skipped(app, world, client_as):
    add(app, world.tenants["alpha"], name="Already Here", email="here@example.no")
    add(app, world.tenants["beta"], name="Beta Person", email="new@example.no")  # another municipality: no duplicate
    client = client_as("alpha_coordinator")
    raw = csv_bytes([HEADER_NB,
                     "Here Again;HERE@example.no;;innbyggere;offentlig oppgave;;;;",
                     "New One;new@example.no;;innbyggere;offentlig oppgave;;;;",
                     "New Twice;New@Example.no;;innbyggere;offentlig oppgave;;;;"])
    response = upload(client, raw)
    assert "1 row will be added" in response.text and "2 duplicates will be left out" in response.text
    assert "Already in the register with this e-mail." in response.text and "Same e-mail as row 3." in response.text
    confirm(client, payload_of(response))
    assert names(app, world) == ["Already Here", "New One"]


def test_if_the_register_changed_since_the_preview_nothing_is_imported_and_the_preview_is_shown_again(app, world, client_as):
    client = client_as("alpha_coordinator")
    response = upload(client, csv_bytes([HEADER_NB, *ROWS_NB]))
    payload = payload_of(response)
    add(app, world.tenants["alpha"], name="Someone Else", email="bjorn@example.no")  # appears meanwhile
    again = confirm(client, payload)
    assert again.status_code == 409
    assert "The register changed since you looked at the preview" in again.text
    assert "3 rows will be added" in again.text
    assert names(app, world) == ["Someone Else"]  # nothing half-imported
    assert confirm(client, payload_of(again)).status_code == 302
    assert len(names(app, world)) == 4


def test_a_tampered_or_foreign_preview_is_refused(app, world, client_as):
    client = client_as("alpha_coordinator")
    response = upload(client, csv_bytes([HEADER_NB, *ROWS_NB]))
    assert confirm(client, payload_of(response)[:-3] + "abc").status_code == 400
    beta = client_as("beta_admin")  # alpha's signed preview is not beta's
    assert beta.post("/beta/participants/import/confirm", data={"payload": payload_of(response)}).status_code == 400
    assert stored(app, world.tenants["alpha"]) == [] and stored(app, world.tenants["beta"]) == []


def test_an_oversized_file_or_too_many_rows_gets_a_clear_message(app, world, client_as):
    client = client_as("alpha_coordinator")
    big = csv_bytes([HEADER_NB] + [f"Person {i};p{i}@example.no;;innbyggere;offentlig oppgave;;;;" + "x" * 500 for i in range(2100)])
    assert len(big) > csv_io.MAX_BYTES
    response = upload(client, big)
    assert response.status_code == 422 and "larger than 1 MB" in response.text
    many = csv_bytes([HEADER_NB] + [f"P{i};;;innbyggere;offentlig oppgave;;;;" for i in range(2001)])
    assert len(many) < csv_io.MAX_BYTES
    response = upload(client, many)
    assert response.status_code == 422 and "more than 2,000 rows" in response.text
    assert stored(app, world.tenants["alpha"]) == []


def test_an_excel_workbook_or_an_empty_upload_is_explained(app, world, client_as):
    client = client_as("alpha_coordinator")
    assert "Excel workbook" in upload(client, b"PK\x03\x04rest-of-a-zip", "people.xlsx").text
    assert "Choose a CSV file" in client.post("/alpha/participants/import", data={}, content_type="multipart/form-data").text


def test_a_large_preview_can_still_be_confirmed(app, world, client_as):
    client = client_as("alpha_coordinator")
    raw = csv_bytes([HEADER_NB] + [f"Person {i};p{i}@example.no;+47 {i:08d};innbyggere;offentlig oppgave;;;Tittel {i} {'æøå' * 20};"
                                   for i in range(2000)])
    response = upload(client, raw)
    assert "2000 rows will be added" in response.text
    assert confirm(client, payload_of(response)).status_code == 302
    assert len(stored(app, world.tenants["alpha"])) == 2000


def test_export_is_excel_friendly_and_imports_again_cleanly(app, world, client_as):
    client = client_as("alpha_coordinator")
    client.post("/alpha/participants/import/confirm", data={"payload": payload_of(upload(client, csv_bytes([HEADER_NB, *ROWS_NB])))})
    add(app, world.tenants["alpha"], name="=HYPERLINK(\"x\")", email="formula@example.no", phone="+47 12 34 56 78")
    exported = client.get("/alpha/participants/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    body = exported.data
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(csv_io.EXPORT_HEADERS)  # in English (nb and nn: test_spreadsheets)
    assert "Åse Ærlig-Øren" in text and "'=HYPERLINK" in text and ",+47 12 34 56 78," in text
    # into another municipality: the same register comes out
    beta = client_as("beta_admin")
    preview = beta.post("/beta/participants/import", data={"file": (io.BytesIO(body), "export.csv")}, content_type="multipart/form-data")
    assert "5 rows will be added" in preview.text, preview.text
    assert beta.post("/beta/participants/import/confirm", data={"payload": payload_of(preview)}).status_code == 302

    def snapshot(slug):
        people = stored(app, world.tenants[slug])
        by_id = {p.id: p.name for p in people}
        return sorted((p.name, p.email, p.phone, p.kind, p.category, p.title, p.legal_basis, p.consent_at,
                       by_id.get(p.organisation_id), p.notes) for p in people)

    assert snapshot("alpha") == snapshot("beta")
    # and back into alpha: everything is a duplicate now
    again = upload(client, body)
    assert "0 rows will be added" in again.text and "5 duplicates" in again.text
