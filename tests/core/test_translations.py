"""Every text people see is translated: Bokmål is the default language and Nynorsk
is its equal, so each message in the code and templates must have both — the
core's in the core's catalogue, each plugin's in its own (``make extract``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n"}, "**.txt": {"extensions": "jinja2.ext.i18n"}}


def _catalogues() -> list[tuple[str, Path, list[tuple[str, str]]]]:
    core = [("platform/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    plugin = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]
    found = [("core", ROOT, core)]
    for folder in sorted((ROOT / "plugins").glob("*/__init__.py")):
        found.append((folder.parent.name, folder.parent, plugin))
    return found


def _message_ids(source: Path, method_map) -> set[str]:
    options = {pattern: OPTIONS.get("**." + pattern.rsplit(".", 1)[-1], {}) for pattern, _ in method_map}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(source), method_map, options_map=options, keywords=KEYWORDS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalogue_dir(name: str, source: Path) -> Path:
    return source / "platform" / "dugnad" / "translations" if name == "core" else source / "translations"


@pytest.mark.parametrize("name, source, method_map", _catalogues(), ids=lambda v: v if isinstance(v, str) else "")
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_message_is_translated(name, source, method_map, language):
    path = _catalogue_dir(name, source) / language / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"{path} is missing: run `make extract` and translate"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalogue
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(_message_ids(source, method_map) - translated)
    assert not missing, f"{len(missing)} message(s) without a {language} translation in {path}: {missing[:20]}"
