"""The one error the bank's rules raise, and small helpers for cleaning input."""

from __future__ import annotations

from typing import Any


class BankError(ValueError):
    """A refused change: a message for the person, the form field it concerns, and the
    HTTP status an API answers with."""

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.field = field
        self.status = status


def clean(value: Any) -> str | None:
    """Text without surrounding spaces, or None when empty."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None
