"""Norwegian all the way through: the demo's pages, crawled as its people (and as a visitor
to the public pages) in Bokmål and Nynorsk, show no catalogue message left in English. The
catalogues themselves say what to look for: every message whose translation differs from
it, long enough not to be a name or a word both languages share. Parts marked as written in
another language (``lang``, as WCAG asks) are not read. In English the same crawl looks for
the Bokmål and Nynorsk translations instead; the municipalities' own data (process templates,
poll titles, tasks) is Norwegian there, so a phrase the demo's database holds is not counted."""

from __future__ import annotations

import json
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.core.test_demo_crawl import _links, _log_in

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "platform" / "dugnad" / "translations"] + sorted((ROOT / "plugins").glob("*/translations"))
PAGES = 35
SHORTEST = 12  # shorter texts are names, labels and words the languages share


def _fragments(text: str) -> list[str]:
    """The literal pieces of a message, between its placeholders and markup."""
    pieces = (re.sub(r"\s+", " ", p).strip(" .,:;–-()!?") for p in re.split(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{[^}]*\}", text))
    return [p for p in pieces if len(p) >= SHORTEST]


def _pairs(language: str) -> list[tuple[str, str]]:
    found = []
    for folder in CATALOGUES:
        path = folder / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or message.fuzzy:
                    continue
                if message.locations and all("demo" in Path(where).name for where, _line in message.locations):
                    continue  # demo data: the municipality's own texts, written once in its language
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for source, translated in zip(ids, strings):
                    if translated and translated != source:
                        found.append((source, translated))
    return found


def _foreign_texts(language: str) -> set[str]:
    """The interface texts that must not appear on a page in ``language``: in Norwegian, the
    English messages; in English, the Norwegian translations (Bokmål and Nynorsk) — less any
    that the language's own texts contain (an English term kept in a Norwegian sentence, a
    Norwegian name kept in an English one)."""
    if language == "en":
        pairs = _pairs("nb") + _pairs("nn")
        foreign = {f for _src, tr in pairs for f in _fragments(tr)}
        own = " | ".join(src for src, _tr in pairs + _pairs("en")).lower()
    else:
        pairs = _pairs(language)
        foreign = {f for src, _tr in pairs for f in _fragments(src)}
        own = " | ".join(tr for _src, tr in pairs).lower()
    return {f for f in foreign if f.lower() not in own}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The page's visible text, less scripts and styles and any part marked as written in
    another language (``lang``, as WCAG asks: a stored consent text, a language's own name)."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language, self.stack, self.parts = language, [], []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        other = tag in ("script", "style") or (lang is not None and tag != "html" and not lang.startswith(self.language))
        self.stack.append((tag, other or (self.stack[-1][1] if self.stack else False)))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _other = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def _visible_text(html: str, language: str) -> str:
    parser = _Text(language)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _crawl_for_foreign_text(client, start: str, foreign: set[str], language: str) -> list[str]:
    seen, queue, found, visited = {start}, deque([start]), [], 0
    while queue and visited < PAGES:
        path = queue.popleft()
        answer = client.get(path, follow_redirects=True)
        visited += 1
        if answer.status_code != 200 or "text/html" not in answer.headers.get("Content-Type", ""):
            continue
        text = _visible_text(answer.text, language)
        for phrase in foreign:
            if phrase in text:
                found.append(f"{answer.request.path}: “{phrase}”")
        query = answer.request.query_string.decode()
        here = answer.request.path + (f"?{query}" if query else "")
        for link in _links(answer.text, "http://localhost" + here):
            if link not in seen and "?" not in link:
                seen.add(link)
                queue.append(link)
    return sorted(set(found))


def _choose(client, language: str) -> None:
    with client.session_transaction() as session:
        session["lang"] = language


def _stored_texts(rows) -> str:
    """Every text the demo's database holds: the municipalities' own data (names of processes,
    polls, tasks; checklists copied from a process template), written once, in Norwegian."""
    def text(value) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, (list, dict)):  # JSON columns: roles, answers, details
            return json.dumps(value, ensure_ascii=False)
        return ""

    return " | ".join(text(value) for _table, table_rows in rows for row in table_rows for value in row.values())


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("who", ["koordinator@dugnad.demo", "frivillighetskoordinator@tonsberg.demo", "visitor"])
def test_the_demo_speaks_one_language_per_page(demo, _demo_rows, who, language):
    foreign = _foreign_texts(language)
    assert len(foreign) > 100  # the catalogues were read
    if language == "en":
        # On an English page the municipality's own data may be Norwegian: a Norwegian phrase
        # is the interface's only if no stored text holds it (data is not in the catalogues'
        # English, and what the interface says is never stored).
        stored = _stored_texts(_demo_rows)
        foreign = {phrase for phrase in foreign if phrase not in stored}
        assert len(foreign) > 1000
    if who == "visitor":
        client, start = demo.test_client(), "/tonsberg/frivillig/"
    else:
        client, start = _log_in(demo, who)
    _choose(client, language)
    found = _crawl_for_foreign_text(client, start, foreign, language)
    assert found == [], f"{who} in {language} sees text of another language:\n" + "\n".join(found)


# Words that are Norwegian (Bokmål or Nynorsk) and not English: an English page that shows one
# outside the municipality's own data has Norwegian written straight into a template or the code,
# past the catalogues (which the crawl above reads, and so cannot see it).
NORWEGIAN_WORDS = frozenset("""og ikke ikkje eller ein eit ei som med til av på frå fra har hva kva hvem kven
    når ingen inga alle skal må ny nytt nye ved etter uten utan mer meir ditt din dine sitt sine hos oss seg
    deg dere dykk denne dette disse kommune kommunen frivillig frivillige husstand husstanden avstemning
    prosess prosessen oppgave oppgaver deltaker deltakere lagre avbryt tilbake slett""".split())


class _Nodes(_Text):
    """The visible text node by node (a node is what a template writes between two tags)."""

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]) and data.strip():
            self.parts.append(re.sub(r"\s+", " ", data).strip())


LONGEST = 5  # words in a run of data that excuses a Norwegian word within it


def _runs(text: str) -> set[tuple[str, ...]]:
    """Every run of 1 to ``LONGEST`` words in ``text`` (lower case, punctuation left out): what a
    page may quote from it."""
    found = set()
    for part in text.lower().split(" | "):
        words = tuple(re.findall(r"[^\W\d_]+", part))
        found.update(words[i:i + n] for n in range(1, LONGEST + 1) for i in range(len(words) - n + 1))
    return found


def _norwegian_segments(html: str, excused: set[tuple[str, ...]]) -> set[str]:
    """The text nodes of a page that read as Norwegian (a Norwegian word, or æ, ø, å) where that
    word is not excused: it stands in a run of words that the municipality's own data (or the
    English catalogue) holds — a single word will do for a name with æ, ø or å (Tønsberg), a
    common word needs two (``Bolig og arbeid``), so an English sentence may quote data."""
    parser = _Nodes("en")
    parser.feed(html)
    found = set()
    for node in parser.parts:
        words = re.findall(r"[^\W\d_]+", re.sub(r"\S+://\S+", " ", node).lower())  # less addresses shown as text
        for i, word in enumerate(words):
            name = re.search("[æøå]", word) is not None
            if not name and word not in NORWEGIAN_WORDS:
                continue
            shortest = 1 if name else 2
            if not any(tuple(words[a:a + n]) in excused for n in range(shortest, LONGEST + 1)
                       for a in range(max(0, i - n + 1), min(i, len(words) - n) + 1)):
                found.add(node)
                break
    return found


def _english_catalogue() -> str:
    texts = []
    for folder in CATALOGUES:
        with (folder / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            for message in read_po(handle):
                for text in (message.id, message.string):
                    texts += [t for t in (text if isinstance(text, tuple) else (text,)) if t]
    return " | ".join(texts)


def test_the_norwegian_words_are_not_english():
    english = set(re.findall(r"[^\W\d_]+", " ".join(src for src, _tr in _pairs("nb")).lower()))
    assert NORWEGIAN_WORDS & english == set()  # no English word of the interface is taken for Norwegian


def test_the_english_check_sees_norwegian_written_into_a_template():
    page = ('<main><h1>Volunteers</h1><p>Lagre endringene</p><p title="x">Poll «Sommerfest på Brygga»</p>'
            '<p lang="nb">Bekreftelse på formål</p><p>Sigrid Østerbø</p></main>')
    assert _norwegian_segments(page, _runs("Sommerfest på Brygga | Sigrid Østerbø")) == {"Lagre endringene"}
    assert _norwegian_segments("<p>See http://localhost/hamar/frivillig/</p>", set()) == set()
    assert _norwegian_segments("<p>Votes in Bolig og arbeid</p>", _runs("Bolig og arbeid")) == set()
    assert _norwegian_segments("<p>Votes in Bolig og arbeid</p>", _runs("Bolig | arbeid")) == {"Votes in Bolig og arbeid"}


@pytest.mark.parametrize("who", ["koordinator@dugnad.demo", "frivillighetskoordinator@tonsberg.demo", "visitor"])
def test_an_english_page_has_no_norwegian_outside_the_data(demo, _demo_rows, who):
    """Text written straight into a template (or the code) in Norwegian, not through ``_()``, is
    in no catalogue, so the crawl above cannot see it: here any Norwegian word on an English page
    must come from what the municipality stored (a name, a poll's title) or be a name the English
    catalogue itself uses (Bokmål, Tønsberg)."""
    excused = _runs(_stored_texts(_demo_rows) + " | " + _english_catalogue())
    if who == "visitor":
        client, start = demo.test_client(), "/tonsberg/frivillig/"
    else:
        client, start = _log_in(demo, who)
    _choose(client, "en")
    seen, queue, found, visited = {start}, deque([start]), [], 0
    while queue and visited < PAGES:
        path = queue.popleft()
        answer = client.get(path, follow_redirects=True)
        visited += 1
        if answer.status_code != 200 or "text/html" not in answer.headers.get("Content-Type", ""):
            continue
        found += [f"{answer.request.path}: “{segment}”" for segment in _norwegian_segments(answer.text, excused)]
        query = answer.request.query_string.decode()
        for link in _links(answer.text, "http://localhost" + answer.request.path + (f"?{query}" if query else "")):
            if link not in seen and "?" not in link:
                seen.add(link)
                queue.append(link)
    assert visited == PAGES or not queue
    assert sorted(set(found)) == [], f"{who} in English sees Norwegian outside the data:\n" + "\n".join(sorted(set(found)))
