"""Ballots from HTML forms, and back: the poll's method reads its form (``PollMethod.parse``)
and fills it again (``PollMethod.fill``), so the same form works for members, personal
links and paper ballots, with and without JavaScript. The built-in methods' field names
are listed in ``dugnad.voting.builtin``."""

from __future__ import annotations

from typing import Any, Mapping

from dugnad.voting.models import Poll, PollOption
from dugnad.voting.service import method_registry


def from_form(poll: Poll, options: list[PollOption], form: Mapping[str, Any]) -> Any:
    """The ballot the form describes (validated later by the poll's method)."""
    return method_registry()[poll.method].parse(poll, options, form)


def to_form(poll: Poll, ballot: Any) -> dict[str, Any]:
    """Field values that show ``ballot`` in the form again (``getlist`` for repeated fields)."""
    if ballot is None:
        return {}
    return method_registry()[poll.method].fill(poll, ballot)


class Values:
    """What the ballot form shows: what was just sent (after a refusal) or the stored ballot."""

    def __init__(self, submitted: Mapping[str, Any] | None, stored: dict[str, Any]):
        self.submitted = submitted
        self.stored = stored

    def get(self, name: str) -> str:
        if self.submitted is not None:
            return self.submitted.get(name, "") or ""
        value = self.stored.get(name, "")
        return value if isinstance(value, str) else ""

    def getlist(self, name: str) -> list[str]:
        if self.submitted is not None:
            return self.submitted.getlist(name)
        value = self.stored.get(name, [])
        return value if isinstance(value, list) else []
