"""Ballots from HTML forms, and back: one set of field names per poll method, so the same
form works for members, personal links and paper ballots, with and without JavaScript.

- dot:      ``dots-<option>`` = number of dots (a checkbox with value 1 when one dot is the most)
- approval: ``approve`` = option id, repeated
- single:   ``choice`` = option id
- ranked:   ``rank-<option>`` = 1, 2, 3 … (blank: not ranked)
- score:    ``score-<option>`` = score (blank: not scored)
- matrix:   ``score-<option>-<criterion>`` = score
- consent:  ``position`` and ``reason``
"""

from __future__ import annotations

from typing import Any, Mapping

from flask_babel import gettext as _

from dugnad.voting.models import Poll, PollOption
from dugnad.voting.service import PollError


def _whole(value: str, what: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise PollError(_("%(what)s must be a whole number.", what=what), "ballot") from None


def from_form(poll: Poll, options: list[PollOption], form: Mapping[str, Any]) -> Any:
    """The ballot the form describes (validated later by the poll's method)."""
    method = poll.method
    if method == "dot":
        ballot = {}
        for option in options:
            dots = _whole(form.get(f"dots-{option.id}", ""), _("The dots on “%(label)s”", label=option.label))
            if dots:
                ballot[option.id] = dots
        return ballot
    if method == "approval":
        return {_option_id(v) for v in form.getlist("approve")}
    if method == "single":
        choice = form.get("choice")
        if not choice:
            raise PollError(_("Choose one option."), "ballot")
        return _option_id(choice)
    if method == "ranked":
        ranks = {}
        for option in options:
            rank = _whole(form.get(f"rank-{option.id}", ""), _("The place of “%(label)s”", label=option.label))
            if rank is not None:
                ranks[option.id] = rank
        ordered = sorted(ranks.items(), key=lambda item: item[1])
        places = [rank for _o, rank in ordered]
        if len(set(places)) != len(places):
            raise PollError(_("Give each place only once: two options have the same place."), "ballot")
        if places and places != list(range(1, len(places) + 1)):
            raise PollError(_("Number your choices 1, 2, 3 … without gaps."), "ballot")
        return [option_id for option_id, _rank in ordered]
    if method == "score":
        ballot = {}
        for option in options:
            score = _whole(form.get(f"score-{option.id}", ""), _("The score for “%(label)s”", label=option.label))
            if score is not None:
                ballot[option.id] = score
        return ballot
    if method == "matrix":
        ballot = {}
        for option in options:
            scores = {}
            for criterion in poll.criteria:
                score = _whole(form.get(f"score-{option.id}-{criterion.key}", ""),
                               _("The score for “%(label)s” on “%(criterion)s”", label=option.label, criterion=criterion.label))
                if score is not None:
                    scores[criterion.key] = score
            if scores:
                ballot[option.id] = scores
        return ballot
    if method == "consent":
        return {"position": form.get("position") or "", "reason": (form.get("reason") or "").strip()}
    return dict(form)


def _option_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PollError(_("That option is not in this poll."), "ballot") from None


def to_form(poll: Poll, ballot: Any) -> dict[str, Any]:
    """Field values that show ``ballot`` in the form again (``getlist`` for approvals)."""
    if ballot is None:
        return {}
    method = poll.method
    if method == "dot":
        return {f"dots-{o}": str(v) for o, v in ballot.items()}
    if method == "approval":
        return {"approve": [str(o) for o in ballot]}
    if method == "single":
        return {"choice": str(ballot)}
    if method == "ranked":
        return {f"rank-{o}": str(i) for i, o in enumerate(ballot, start=1)}
    if method == "score":
        return {f"score-{o}": str(v) for o, v in ballot.items()}
    if method == "matrix":
        return {f"score-{o}-{k}": str(v) for o, scores in ballot.items() for k, v in scores.items()}
    if method == "consent":
        return {"position": ballot.get("position", ""), "reason": ballot.get("reason", "")}
    return {}


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
