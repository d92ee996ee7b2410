"""Browser tests: the real app served over HTTP, driven in Debian's Chromium, with
axe checking every page visited."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path(os.environ.get("DUGNAD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI must run the browser tests)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


class Visitor:
    """A person in a browser context; ``check()`` runs axe on the current page."""

    def __init__(self, context, base: str):
        self.context = context
        self.page = context.new_page()
        self.base = base
        self.checked: list[str] = []

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, f"{path}: {response.status if response else None}"
        self.check()
        return response

    def check(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("networkidle")
        results = Axe().run(self.page)
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        assert self.page.locator("h1").count() == 1, f"{self.page.url}: one h1 per page"
        self.checked.append(self.page.url)

    def login(self, email: str, password: str) -> None:
        self.page.goto(self.base + "/login")
        self.page.get_by_label("E-mail").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def visitor(browser, live_server, csrf_on):
    contexts = []

    def make(viewport=None, locale="en-GB") -> Visitor:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale=locale)
        contexts.append(context)
        return Visitor(context, live_server)

    yield make
    for context in contexts:
        context.close()
