"""What every form page does with a refused change."""

from __future__ import annotations

from flask import flash

from dugnad.extensions import db


def show_refusal(form, error: Exception) -> None:
    """Undo what the request began, and show the message at the form field the error names
    (``error.field``), or at the top of the page when it names none the form has."""
    db.session.rollback()
    field = getattr(error, "field", None)
    target = getattr(form, field, None) if (form is not None and field) else None
    if target is not None and hasattr(target, "errors"):
        if not isinstance(target.errors, list):
            target.errors = list(target.errors)
        target.errors.append(str(error))
    else:
        flash(str(error), "danger")
