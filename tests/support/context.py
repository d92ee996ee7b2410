"""Running test code in a municipality's context: the one helper every test module uses."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from dugnad.extensions import db
from dugnad.tenancy import tenant_context


def in_tenant(app, tenant_id: int, fn: Callable[[], Any] | None = None):
    """``in_tenant(app, id, fn)``: what ``fn()`` returns, run in an app context in that
    municipality; ``with in_tenant(app, id):`` the same for a block. The session is removed
    afterwards either way, so nothing loaded leaks into the next request."""
    block = _block(app, tenant_id)
    if fn is None:
        return block
    with block:
        return fn()


@contextmanager
def _block(app, tenant_id: int) -> Iterator[None]:
    with app.app_context(), tenant_context(tenant_id):
        try:
            yield
        finally:
            db.session.remove()


def in_english(client):
    """The test client, reading the pages in English (the default language is Bokmål), so a
    test can look for the texts as written in the code."""
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client
