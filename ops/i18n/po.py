"""Translators' helper for the catalogues (after ``make extract``).

    .venv/bin/python ops/i18n/po.py missing platform/dugnad/translations/nb/LC_MESSAGES/messages.po
    .venv/bin/python ops/i18n/po.py fill <messages.po> <translations.json>

``missing`` prints a JSON object of the untranslated messages (msgid → "") to fill in;
``fill`` writes the translations of such an object into the catalogue (a plural
message takes a list of forms), keeping everything else as it is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def _load(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _done(message) -> bool:
    return bool(all(message.string) if isinstance(message.string, tuple) else message.string) and not message.fuzzy


def missing(path: Path) -> dict:
    catalogue = _load(path)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): ("" if isinstance(m.id, str) else ["", ""])
        for m in catalogue if m.id and not _done(m)
    }


def fill(path: Path, translations: dict) -> int:
    catalogue = _load(path)
    changed = 0
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations and translations[key]:
            value = translations[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            changed += 1
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    return changed


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "missing":
        print(json.dumps(missing(Path(argv[1])), ensure_ascii=False, indent=2))
    elif len(argv) == 3 and argv[0] == "fill":
        print(f"{fill(Path(argv[1]), json.loads(Path(argv[2]).read_text(encoding='utf-8')))} translated")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
