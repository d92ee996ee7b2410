"""CSV import (with a preview) and export of the participant register.

Import reads UTF-8, UTF-8 with BOM and Windows-1252 (what Excel in Norway saves), with
comma, semicolon or tab between columns and headers in Norwegian or English. Nothing
is written until the coordinator confirms; then every valid row goes in one transaction.
Export writes what ``dugnad.spreadsheets`` writes for the reader's language (BOM, and
semicolons in Norwegian), kinds, categories and legal bases as the reader calls them, in
the same columns the import reads: an export imports again cleanly."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from dugnad import spreadsheets
from dugnad.participants import service
from dugnad.participants.models import CATEGORIES, KINDS, LEGAL_BASES, Participant

MAX_BYTES = 1_000_000
MAX_ROWS = 2_000

# key -> the header written on export (Norwegian Excel users are the audience), then aliases.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("navn", "name", "fullt navn", "full name"),
    "email": ("e-post", "epost", "email", "e-mail", "e-postadresse", "email address", "mail"),
    "phone": ("telefon", "phone", "tlf", "mobil", "telefonnummer", "mobilnummer", "telephone", "mobile"),
    "kind": ("type", "kind", "art"),
    "category": ("kategori", "category", "interessentkategori", "stakeholder category"),
    "organisation": ("organisasjon", "organisation", "organization", "org"),
    "title": ("rolle", "title", "tittel", "role", "stilling"),
    "legal_basis": ("rettslig grunnlag", "legal basis", "legal_basis", "behandlingsgrunnlag", "grunnlag"),
    "consent_date": ("samtykke dato", "samtykkedato", "consent date", "consent_date", "dato for samtykke", "samtykke gitt"),
    "notes": ("notat", "notes", "notater", "merknad", "note"),
}
REQUIRED = ("name", "category", "legal_basis")
EXPORT_HEADERS = [names[0] for names in COLUMNS.values()]

# Norwegian words people write for the values (the labels in every language are added too).
VALUE_ALIASES = {
    "kind": {
        "person": ("person", "personer", "privatperson", "individ"),
        "organisation": ("organisasjon", "organisation", "organization", "org", "virksomhet", "bedrift"),
    },
    "category": {
        "municipality": ("kommune", "kommunen", "kommuneansatt", "kommunalt ansatt", "ansatt i kommunen"),
        "politics": ("politikk", "politiker", "politikere", "politisk"),
        "volunteer": ("frivillighet", "frivillig", "frivillig sektor", "frivillig organisasjon", "frivillige"),
        "business": ("næringsliv", "naeringsliv", "næringslivet", "bedrift"),
        "residents": ("innbyggere", "innbygger", "innbyggerne"),
        "target_group": ("målgruppe", "målgruppen", "malgruppe"),
        "public_agency": ("offentlig etat", "etat", "offentlig myndighet", "statlig etat"),
        "social_entrepreneur": ("sosial entreprenør", "sosialentreprenør", "sosial entreprenor"),
        "immigrant_council": ("innvandrerråd", "innvandrerorganisasjon", "innvandrerråd eller organisasjon"),
    },
    "legal_basis": {
        "consent": ("samtykke",),
        "public_task": ("offentlig oppgave", "allmennhetens interesse", "lovpålagt", "offentlig myndighet"),
        "legitimate_interest": ("berettiget interesse", "legitim interesse"),
        "contract": ("avtale", "kontrakt", "agreement"),
    },
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y.%m.%d")
FORMULA_START = spreadsheets.FORMULA_START


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", (text or "").strip().lower())


HEADER_ALIASES = {_norm(alias): key for key, names in COLUMNS.items() for alias in (key, *names)}


def _value_aliases(kind: str) -> dict[str, str]:
    choices = {"kind": KINDS, "category": CATEGORIES, "legal_basis": LEGAL_BASES}[kind]
    table: dict[str, str] = {}
    for key, label in choices.items():
        table[_norm(key)] = key
        for locale in ("en", "nb", "nn"):
            with force_locale(locale):
                table.setdefault(_norm(str(label)), key)
        for alias in VALUE_ALIASES[kind].get(key, ()):
            table.setdefault(_norm(alias), key)
    return table


class ImportProblem(Exception):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass
class RowError:
    column: str
    message: str


@dataclass
class Row:
    number: int  # the row in the spreadsheet: the header is row 1
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    organisation_name: str | None = None
    errors: list[RowError] = field(default_factory=list)
    duplicate: str | None = None  # why the row is skipped as a duplicate

    @property
    def status(self) -> str:
        return "error" if self.errors else ("duplicate" if self.duplicate else "create")


@dataclass
class Preview:
    rows: list[Row]
    headers: dict[str, str]  # key -> the header as written in the file
    ignored: list[str]
    encoding: str
    delimiter: str
    # organisations the file names that are not in the register: name as written -> rows naming it
    missing_organisations: dict[str, list[int]] = field(default_factory=dict)
    # those the coordinator chose to create with the import: name as written -> category
    new_organisations: dict[str, str] = field(default_factory=dict)

    @property
    def to_create(self) -> list[Row]:
        return [r for r in self.rows if r.status == "create"]

    @property
    def duplicates(self) -> list[Row]:
        return [r for r in self.rows if r.status == "duplicate"]

    @property
    def with_errors(self) -> list[Row]:
        return [r for r in self.rows if r.status == "error"]

    @property
    def fingerprint(self) -> str:
        """What the coordinator was shown: which rows would be created. A changed register changes it."""
        plan = ",".join(f"{r.number}:{r.status}" for r in self.rows) + "|" + ",".join(sorted(self.new_organisations))
        return hashlib.sha256(plan.encode()).hexdigest()[:32]


def decode(raw: bytes) -> tuple[str, str]:
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportProblem(_("This is an Excel workbook, not a CSV file. In Excel choose “Save as” and the type “CSV (semicolon separated)”, then upload that file."))
    try:
        text, encoding = raw.decode("utf-8-sig"), ("UTF-8 with BOM" if raw.startswith(b"\xef\xbb\xbf") else "UTF-8")
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            raise ImportProblem(_("The file could not be read as text. Save it as CSV (UTF-8) and try again.")) from error
    if "\x00" in text:
        raise ImportProblem(_("The file could not be read as text. Save it as CSV (UTF-8) and try again."))
    return text, encoding


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read(raw: bytes) -> tuple[list[Row], dict[str, str], list[str], str, str]:
    """Rows of cells by column key; raises ImportProblem for a file that cannot be imported at all."""
    if len(raw) > MAX_BYTES:
        raise ImportProblem(_("The file is larger than 1 MB. Split it into smaller files of at most 2,000 rows each."))
    if not raw.strip():
        raise ImportProblem(_("The file is empty."))
    text, encoding = decode(raw)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ImportProblem(_("The file is empty.")) from error
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        key = HEADER_ALIASES.get(_norm(title))
        if key and key not in headers:
            columns[index], headers[key] = key, title.strip()
        elif title.strip():
            ignored.append(title.strip())
    missing = [k for k in REQUIRED if k not in headers]
    if missing:
        raise ImportProblem(_(
            "The file is missing the column(s) %(missing)s. The first row must name the columns. "
            "Required: %(required)s. Also read: %(optional)s.",
            missing=", ".join(f"“{COLUMNS[k][0]}” ({COLUMNS[k][1]})" for k in missing),
            required=", ".join(f"{COLUMNS[k][0]} ({COLUMNS[k][1]})" for k in REQUIRED),
            optional=", ".join(f"{COLUMNS[k][0]} ({COLUMNS[k][1]})" for k in COLUMNS if k not in REQUIRED),
        ))
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportProblem(_("The file has more than 2,000 rows. Split it into smaller files and import them one by one."))
            values = {key: _unescape(cells[i].strip()) if i < len(cells) else "" for i, key in columns.items()}
            rows.append(Row(number=number, cells=values))
    except csv.Error as error:
        raise ImportProblem(_("The file is not a valid CSV file (%(error)s).", error=str(error))) from error
    if not rows:
        raise ImportProblem(_("The file has column names but no rows to import."))
    return rows, headers, ignored, encoding, delimiter


def _unescape(value: str) -> str:
    """Undo the apostrophe the export puts before a value a spreadsheet would run as a formula."""
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def _parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def preview(raw: bytes, create_organisations: Iterable[str] = ()) -> Preview:
    """Read and check the file against the register, without writing anything.
    ``create_organisations``: names of organisations missing from the register that the
    coordinator chose to create with the import (rows naming them are then fine)."""
    create = {_norm_name(name) for name in create_organisations}
    missing_organisations: dict[str, list[int]] = {}
    new_organisations: dict[str, str] = {}
    rows, headers, ignored, encoding, delimiter = read(raw)
    kinds, categories, bases = _value_aliases("kind"), _value_aliases("category"), _value_aliases("legal_basis")
    from dugnad.extensions import db

    existing = {
        email: archived is not None
        for email, archived in db.session.execute(
            select(Participant.email, Participant.archived_at).where(Participant.email.is_not(None))
        )
    }
    known_organisations = {
        name.lower(): pid for pid, name in db.session.execute(
            select(Participant.id, Participant.name).where(Participant.kind == "organisation", Participant.archived_at.is_(None))
        )
    }
    organisations_in_file = {
        _norm_name(r.cells.get("name", "")) for r in rows if kinds.get(_norm(r.cells.get("kind", ""))) == "organisation"
    }
    seen_emails: dict[str, int] = {}

    def column(key: str) -> str:
        return headers.get(key, COLUMNS[key][0])

    for row in rows:
        cells = row.cells
        values: dict[str, Any] = {"name": cells.get("name"), "phone": cells.get("phone"), "title": cells.get("title"),
                                  "notes": cells.get("notes"), "email": None, "organisation_id": None}
        kind_text = cells.get("kind", "")
        values["kind"] = kinds.get(_norm(kind_text)) if kind_text else "person"
        if values["kind"] is None:
            row.errors.append(RowError(column("kind"), _("“%(value)s” is not a type. Write person or organisation.", value=kind_text)))
        category_text = cells.get("category", "")
        values["category"] = categories.get(_norm(category_text))
        if not category_text:
            row.errors.append(RowError(column("category"), _("The stakeholder category is missing.")))
        elif values["category"] is None:
            row.errors.append(RowError(column("category"), _("“%(value)s” is not a stakeholder category. Use one of: %(choices)s.",
                                                             value=category_text, choices=", ".join(CATEGORIES))))
        basis_text = cells.get("legal_basis", "")
        values["legal_basis"] = bases.get(_norm(basis_text))
        if not basis_text:
            row.errors.append(RowError(column("legal_basis"), _("The legal basis is missing. Every person in the register needs one.")))
        elif values["legal_basis"] is None:
            row.errors.append(RowError(column("legal_basis"), _("“%(value)s” is not a legal basis. Use one of: %(choices)s.",
                                                                value=basis_text, choices=", ".join(LEGAL_BASES))))
        consent_text = cells.get("consent_date", "")
        consent = _parse_date(consent_text) if consent_text else None
        if consent_text and consent is None:
            row.errors.append(RowError(column("consent_date"), _("“%(value)s” is not a date. Write it as 2024-03-31 or 31.03.2024.", value=consent_text)))
        elif values["legal_basis"] == "consent" and consent is None:
            row.errors.append(RowError(headers.get("consent_date", COLUMNS["consent_date"][0]),
                                       _("The legal basis is consent, so the date consent was given is required.")))
        values["consent_at"] = consent
        if not cells.get("name"):
            row.errors.append(RowError(column("name"), _("The name is missing.")))
        email = service.normalise_email(cells.get("email"))
        organisation = (cells.get("organisation") or "").strip()
        if organisation and values["kind"] == "person":
            if organisation.lower() not in known_organisations and _norm_name(organisation) not in organisations_in_file:
                shown = next((n for n in missing_organisations if _norm_name(n) == _norm_name(organisation)), organisation)
                missing_organisations.setdefault(shown, []).append(row.number)
                if _norm_name(organisation) in create:
                    row.organisation_name = organisation
                    if values["category"]:
                        new_organisations.setdefault(shown, values["category"])
                else:
                    row.errors.append(RowError(column("organisation"), _("No organisation called “%(name)s” in the register or in this file. Tick it under “Organisations not in the register” to create it with the import, or leave the cell empty.", name=organisation)))
            else:
                row.organisation_name = organisation
        if not row.errors:
            try:
                row.values = service.check({**values, "email": None})
            except service.ParticipantError as error:
                key = {"consent_at": "consent_date", "organisation_id": "organisation"}.get(error.field or "name", error.field or "name")
                row.errors.append(RowError(column(key) if key in COLUMNS else key, str(error)))
        if email:
            if "@" not in email or " " in email or len(email) > 254:
                row.errors.append(RowError(column("email"), _("“%(value)s” is not a valid e-mail address.", value=cells.get("email"))))
            elif email in existing:
                row.duplicate = (_("Already in the register (archived) with this e-mail.") if existing[email]
                                 else _("Already in the register with this e-mail."))
            elif email in seen_emails:
                row.duplicate = _("Same e-mail as row %(n)s.", n=seen_emails[email])
            else:
                seen_emails[email] = row.number
        if row.values:
            row.values["email"] = email
    for name in list(new_organisations):  # only for rows that are imported
        if not any(r.status == "create" and _norm_name(r.organisation_name or "") == _norm_name(name) for r in rows):
            del new_organisations[name]
    return Preview(rows, headers, ignored, encoding, delimiter, missing_organisations, new_organisations)


def _norm_name(name: str) -> str:
    return (name or "").strip().lower()


def apply(result: Preview) -> list[Participant]:
    """Create the preview's valid rows in the current transaction (the caller commits or rolls back).
    Organisations first, so persons in the same file can point to them."""
    from dugnad.audit import record
    from dugnad.extensions import db

    rows = sorted(result.to_create, key=lambda r: (r.values["kind"] != "organisation", r.number))
    created: list[Participant] = []
    by_name: dict[str, int] = {}
    for name, category in result.new_organisations.items():  # chosen in the preview
        organisation = Participant(kind="organisation", name=name.strip()[:200], category=category,
                                   legal_basis="legitimate_interest")
        db.session.add(organisation)
        db.session.flush()
        by_name[_norm_name(name)] = organisation.id
        record("participant.created", organisation, source="import", reason="organisation named in the file")
    for row in rows:
        participant = Participant(**row.values)
        db.session.add(participant)
        created.append(participant)
        if row.values["kind"] == "organisation":
            db.session.flush()
            by_name.setdefault(_norm_name(participant.name), participant.id)
    needed = {_norm_name(r.organisation_name) for r in rows if r.organisation_name}
    missing = needed - set(by_name)
    if missing:
        for pid, name in db.session.execute(
            select(Participant.id, Participant.name).where(Participant.kind == "organisation", Participant.archived_at.is_(None))
            .order_by(Participant.id)
        ):
            by_name.setdefault(_norm_name(name), pid)
    for participant, row in zip(created, rows):
        if row.organisation_name:
            participant.organisation_id = by_name.get(_norm_name(row.organisation_name))
    db.session.flush()
    for participant in created:
        record("participant.created", participant, source="import")
    return created


# --- export ----------------------------------------------------------------------------


def _label(choices: dict, key: str | None) -> str:
    """A kind, category or legal basis as the reader calls it (the import reads these labels back)."""
    return str(choices.get(key, key or ""))


def export(participants: Iterable[Participant], organisation_names: dict[int, str]) -> bytes:
    rows = [EXPORT_HEADERS] + [[
        p.name, p.email, p.phone, _label(KINDS, p.kind), _label(CATEGORIES, p.category),
        organisation_names.get(p.organisation_id, "") if p.organisation_id else "",
        p.title, _label(LEGAL_BASES, p.legal_basis), p.consent_at.date().isoformat() if p.consent_at else "", p.notes,
    ] for p in participants]
    return spreadsheets.csv_file(rows)


def export_rows(include_archived: bool = False) -> bytes:
    from dugnad.extensions import db

    query = select(Participant)
    if not include_archived:
        query = query.where(Participant.archived_at.is_(None))
    # organisations first, so the file imports in one go
    rows = db.session.scalars(query.order_by(Participant.kind != "organisation", func.lower(Participant.name), Participant.id)).all()
    names = dict(db.session.execute(select(Participant.id, Participant.name).where(Participant.kind == "organisation")).all())
    return export(rows, names)


def write_rows(headers: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV for the reader's spreadsheet, e.g. the invitation list."""
    return spreadsheets.csv_file([headers, *rows])
