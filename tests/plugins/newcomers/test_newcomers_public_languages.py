"""The public pages in Ukrainian and Arabic carry no English from the core: the layout
(skip link, language switch, footer), the form's error summary and optional marks, and the
error pages a newcomer can reach from those pages (a deleted household's link, an expired
form) are in the newcomer's language too."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import PEOPLE
from tests.plugins.newcomers.newcomers_support import form_data, link_in, outbox

ROOT = Path(__file__).resolve().parents[3]
NATIVE = {"Bokmål", "Nynorsk", "English"}  # the language switch names each language in itself


def _core_english() -> set[str]:
    """The core's messages that Bokmål words differently: seen on a page, they are untranslated English."""
    with (ROOT / "platform/dugnad/translations/nb/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    found = set()
    for message in catalogue:
        text = message.id if isinstance(message.id, str) else (message.id or [""])[0]
        translated = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        if text and translated and translated != text and "%(" not in text and len(text) > 3 and text not in NATIVE:
            found.add(text)
    return found


def _visible(page: str) -> str:
    """The page's text and its text-bearing attributes, as a reader or a screen reader meets them."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = " ".join(re.findall(r'\s(?:aria-label|title|placeholder|alt|data-error-message)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)


def _english_in(page: str, core: set[str]) -> list[str]:
    text = re.sub(r"\s+", " ", _visible(page))
    return sorted(m for m in core if re.search(r"(?<![\w])" + re.escape(m) + r"(?![\w])", text))


@pytest.mark.parametrize("lang", ["uk", "ar"])
def test_someone_logged_in_sees_the_registration_page_without_english_or_the_staff_menu(app, world, client_as, lang):
    """A coordinator may open the public page to show it to a newcomer: the header speaks
    the newcomer's language, and the staff menu (the municipality's, nb/nn/en) is not there."""
    page = client_as("alpha_admin").get(f"/alpha/ny-her/?lang={lang}").text
    assert f'<html lang="{lang}"' in page and 'class="main-nav"' not in page
    assert _english_in(page.replace(PEOPLE["alpha_admin"][1], ""), _core_english()) == []  # their name is theirs


@pytest.mark.parametrize("lang", ["uk", "ar"])
def test_the_public_pages_carry_no_english_core_string(app, world, lang):
    core = _core_english()
    client = app.test_client()
    pages = {}
    pages["register"] = client.get(f"/alpha/ny-her/?lang={lang}")
    pages["register, refused"] = client.post(f"/alpha/ny-her/?lang={lang}", data=form_data(name="", phone="", email=""))
    assert pages["register, refused"].status_code == 422
    pages["thanks"] = client.post(f"/alpha/ny-her/?lang={lang}", data=form_data(), follow_redirects=True)
    confirm = link_in(outbox(app, world.tenants["alpha"], "newcomers.confirm")[-1], "/alpha/ny-her/bekreft/")
    pages["confirm"] = client.get(confirm)
    pages["confirmed"] = client.post(confirm, data={})
    pages["bad link"] = client.get(f"/alpha/ny-her/bekreft/not-a-token?lang={lang}")
    pages["ask for a link"] = client.get(f"/alpha/ny-her/lenke?lang={lang}")
    pages["link sent"] = client.post(f"/alpha/ny-her/lenke?lang={lang}", data={"email": "olena@example.no"})
    me = link_in(outbox(app, world.tenants["alpha"], "newcomers.me_link")[-1], "/alpha/ny-her/meg/")
    pages["own page"] = client.get(me)
    pages["own page, refused"] = client.post(me, data=form_data(children="two"))
    pages["deleted"] = client.post(me.split("?")[0] + f"/slett?lang={lang}", data={})
    pages["deleted link (404)"] = client.get(me)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        pages["expired form (400)"] = client.post(f"/alpha/ny-her/?lang={lang}", data=form_data())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert pages["deleted link (404)"].status_code == 404 and pages["expired form (400)"].status_code == 400
    english = {name: _english_in(page.text, core) for name, page in pages.items()}
    assert not {name: found for name, found in english.items() if found}
    for name, page in pages.items():
        assert f'<html lang="{lang}"' in page.text, name
