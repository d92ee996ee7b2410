"""Each demo login, through the real login form, lands on a page it may see, and never
sees a link it would be refused: a crawl from where it lands, following every link on
every page it reaches, finds no answer of 4xx or 5xx for that person."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

LOGINS = ("region@dugnad.demo", "admin@hamar.demo", "koordinator@dugnad.demo", "fasilitator@tonsberg.demo",
          "medlem@kinn.demo", "frivillighetskoordinator@tonsberg.demo")
PAGES_PER_PERSON = 300
VARIANTS_PER_PATH = 2  # sorting and filtering links of one page: a couple are enough
NOT_FOLLOWED = ("/logout", "/static/")


def _log_in(app, email: str):
    client = app.test_client()
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    data = {"email": email, "password": "dugnad-demo"}
    if token:
        data["csrf_token"] = token.group(1)
    answer = client.post("/login", data=data)
    assert answer.status_code == 302, (email, answer.status_code)
    return client, answer.headers["Location"]


def _links(html: str, here: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\shref="([^"]+)"', html):
        url, _fragment = urldefrag(urljoin(here, unescape(href)))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not path.startswith(NOT_FOLLOWED):
            found.append(path)
    return found


def _crawl(client, start: str) -> tuple[int, list[str]]:
    seen, variants = {start}, {}
    queue = deque([(start, "(after login)")])
    refused, visited = [], 0
    while queue and visited < PAGES_PER_PERSON:
        path, source = queue.popleft()
        answer = client.get(path, follow_redirects=True)
        visited += 1
        if answer.status_code >= 400:
            refused.append(f"{answer.status_code} {path}  (linked from {source})")
            continue
        if "text/html" not in answer.headers.get("Content-Type", ""):
            continue
        query = answer.request.query_string.decode()
        here = answer.request.path + (f"?{query}" if query else "")  # "#x" and "" stay on this very page
        for link in _links(answer.text, "http://localhost" + here):
            bare = link.split("?", 1)[0]
            if link in seen or ("?" in link and variants.get(bare, 0) >= VARIANTS_PER_PATH):
                continue
            seen.add(link)
            if "?" in link:
                variants[bare] = variants.get(bare, 0) + 1
            queue.append((link, here))
    return visited, refused


@pytest.mark.parametrize("email", LOGINS)
def test_every_demo_login_lands_on_a_page_it_may_see_and_no_link_refuses_it(demo, email):
    client, landing = _log_in(demo, email)
    landed = client.get(landing, follow_redirects=True)
    assert landed.status_code == 200, (email, landing, landed.status_code)
    for front in ("/",):  # the logo, "Oversikt" and the error page's "Go to the front page" lead here
        assert client.get(front, follow_redirects=True).status_code == 200, email
    visited, refused = _crawl(client, landed.request.path)
    assert visited > 5, visited
    assert refused == [], f"{email} was shown links it is refused:\n" + "\n".join(refused)
