"""Every text people see is translated: Bokmål is the default language and Nynorsk
is its equal, so each message in the code and templates must have both — the
core's in the core's catalogue, each plugin's in its own (``make extract``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
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


# --- Norwegian written straight into a template, past the catalogue ------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "plugins").glob("*/templates"))]
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "data-confirm"}
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
TRANSLATED = re.compile(r"""\b(?:_|gettext|ngettext|_l|lazy_gettext)\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
                        r"""(?:\s*,\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))?""")
LITERAL = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""")
# a template that is Norwegian on purpose, in every language (and marked lang="nb" where shown)
NORWEGIAN_ON_PURPOSE = {"dugnad_volunteers/purpose.html": "the police's purpose confirmation, in Norwegian as they require"}


def _norwegian(text: str) -> bool:
    from tests.core.test_demo_languages import NORWEGIAN_WORDS

    words = re.findall(r"[^\W\d_]+", text.lower())
    return any(re.search("[æøå]", word) or word in NORWEGIAN_WORDS for word in words)


class _TemplateText(HTMLParser):
    """A template's own text (its Jinja taken out) outside parts marked as another language."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.found = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        marked = (self.stack[-1][1] if self.stack else False) or bool(attributes.get("lang")) or tag in ("script", "style")
        if not marked:
            self.found += [value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value]
        if tag not in ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"):
            self.stack.append((tag, marked))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]) and data.strip():
            self.found.append(data.strip())


def _norwegian_in_template(source: str) -> list[str]:
    """Norwegian in a template that no translation call carries: in its text and visible
    attributes (outside a part marked ``lang``), or in a string literal of its Jinja code."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    found = [literal for block in JINJA.findall(source) for pair in LITERAL.findall(TRANSLATED.sub("(", block))
             for literal in pair if literal and _norwegian(literal)]
    parser = _TemplateText()
    parser.feed(JINJA.sub(" ", source))
    return found + [text for text in parser.found if _norwegian(text)]


def test_the_template_check_sees_norwegian_outside_a_translation_call():
    template = ('<h1>{{ _("Volunteers") }}</h1><p>Lagre endringene</p><input placeholder="Søk">'
                '{{ label or "Ingen oppgave" }}{{ _("Nothing yet") }}<p lang="nb">Bekreftelse på formål</p>'
                '<p>{{ tenant.name }}</p>{# en kommentar på norsk #}')
    assert sorted(_norwegian_in_template(template)) == ["Ingen oppgave", "Lagre endringene", "Søk"]


@pytest.mark.parametrize("folder", TEMPLATE_DIRS, ids=lambda p: p.parent.name if p.parent != ROOT else "core")
def test_no_template_writes_norwegian_past_the_catalogue(folder):
    """The English crawl (test_demo_languages) sees only the pages it reaches; this reads every
    template: Norwegian in one shows in English too, as no catalogue carries it."""
    found = []
    for path in sorted([*folder.rglob("*.html"), *folder.rglob("*.txt")]):
        name = str(path.relative_to(folder))
        if name in NORWEGIAN_ON_PURPOSE:
            continue
        found += [f"{name}: “{text[:80]}”" for text in _norwegian_in_template(path.read_text(encoding="utf-8"))]
    assert found == []
