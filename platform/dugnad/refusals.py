"""One error for a refused change, and how a form page and the JSON API show it.

Services raise ``Refusal`` (or a subclass) *before* they change anything, naming the
form field it concerns and the HTTP status an API answers with. A form page shows it
at its field (``show_refusal``); an API answers it as a 4xx (``refuse``). Both undo
what the request began, so a refusal leaves nothing half-saved.
"""

from __future__ import annotations

from typing import NoReturn


class Refusal(ValueError):
    """A refused change: a message for the person, the field it concerns, an HTTP status."""

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.field = field
        self.status = status


def refuse(error: Exception) -> NoReturn:
    """Answer an API request with the refusal's status and message ("field: message")."""
    from flask import abort

    from dugnad.extensions import db

    db.session.rollback()
    field = getattr(error, "field", None)
    abort(getattr(error, "status", 422), f"{field}: {error}" if field else str(error))


def show_refusal(form, error: Exception, field: str | None = None) -> None:
    """Undo what the request began, and show the message at the form field the error names
    (``field`` or ``error.field``), or at the top of the page when the form has no such field."""
    from flask import flash

    from dugnad.extensions import db

    db.session.rollback()
    name = field or getattr(error, "field", None)
    target = getattr(form, name, None) if (form is not None and name) else None
    if target is not None and hasattr(target, "errors"):
        if not isinstance(target.errors, list):
            target.errors = list(target.errors or [])
        target.errors.append(str(error))
    else:
        flash(str(error), "danger")
