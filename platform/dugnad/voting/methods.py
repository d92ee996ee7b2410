"""Poll methods: what ``register_poll_methods`` returns.

``validate(ballot, poll)`` raises ValueError with a message for a ballot the method
refuses; ``tally(ballots, options)`` is a pure function from ballots to results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class PollMethod:
    key: str
    label: str
    validate: Callable[[Any, Any], None]
    tally: Callable[[list, list], Any]
    description: str = ""
