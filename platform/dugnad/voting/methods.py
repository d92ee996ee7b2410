"""Poll methods: what ``register_poll_methods`` returns, each a whole strategy.

A ``PollMethod`` owns everything that differs between ways of voting, so a method a
plugin registers works end to end like the built-in ones (``dugnad.voting.builtin``):

- ``validate(ballot, rules)`` raises ``ValueError`` (``BallotError``) with a message for a
  ballot the method refuses; ``tally(ballots, rules)`` is a pure function from ballots to
  a result. ``rules`` is the poll's ``PollRules`` (options, settings, criteria).
- ``parse(poll, options, form)``: the ballot an HTML form describes (raise ``PollError``
  for input that cannot be read); ``fill(poll, ballot)``: the form values that show a
  stored ballot again (a list for a repeated field).
- ``dump(ballot)`` / ``load(content)``: the ballot as stored (JSON) and back.
- ``marks(ballot)``: ``(option_id, criterion, value)`` rows stored beside the ballot for
  counting in SQL; ``weight(ballot)``: how much the ballot gives (dots, options marked).
- ``readable(ballot, name)``: the ballot for a person's data export, option ids turned into
  names with ``name(option_id)``.
- ``present(results)``: the result as people read it, a ``ResultView`` (``dugnad.voting.presenting``).
- ``ballot_template``: the template with the ballot's inputs, included in the voting pages
  with ``poll``, ``options``, ``values`` (``values.get(name)``, ``values.getlist(name)``)
  and ``rules``; ``takes_options``: whether the poll needs options (at least two) to open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


def _form_fields(poll, options, form) -> dict[str, Any]:
    return {name: value for name, value in form.items() if name != "csrf_token"}


def _no_form_values(poll, ballot) -> dict[str, Any]:
    return {}


def _as_is(value: Any) -> Any:
    return value


def _no_marks(ballot: Any) -> list[tuple[int, str, int]]:
    return []


def _one(ballot: Any) -> int:
    return 1


def _readable_as_is(ballot: Any, name: Callable[[int], str]) -> Any:
    return ballot


def _shown_as_is(results) -> Any:
    from dugnad.voting.presenting import plain_view

    return plain_view(results)


@dataclass(frozen=True)
class PollMethod:
    key: str
    label: str
    validate: Callable[[Any, Any], None]
    tally: Callable[[list, Any], Any]
    description: str = ""
    parse: Callable[[Any, list, Any], Any] = _form_fields
    fill: Callable[[Any, Any], dict[str, Any]] = _no_form_values
    dump: Callable[[Any], Any] = _as_is
    load: Callable[[Any], Any] = _as_is
    marks: Callable[[Any], list[tuple[int, str, int]]] = _no_marks
    weight: Callable[[Any], int] = _one
    readable: Callable[[Any, Callable[[int], str]], Any] = _readable_as_is
    present: Callable[[Any], Any] = _shown_as_is
    ballot_template: str | None = None
    takes_options: bool = True
