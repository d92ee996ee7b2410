"""The error the bank's rules raise, and small helpers for cleaning input."""

from __future__ import annotations

from typing import Any

from dugnad.sdk import Refusal

# A refused change (message, form field, HTTP status): the core's one refusal error, under
# the name the bank's code and tests know it by.
BankError = Refusal


def clean(value: Any) -> str | None:
    """Text without surrounding spaces, or None when empty."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None
