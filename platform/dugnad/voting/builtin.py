"""The seven built-in poll methods, each a whole ``PollMethod``: how its ballot is read
from a form and shown in one again, stored, marked and weighed, shown in a person's data
export, and presented as a result. Validating and tallying are in ``dugnad.voting.tally``,
presenting results in ``dugnad.voting.presenting``, the ballots' inputs in
``templates/voting/ballot/<method>.html``.

Form field names (the same form serves members, personal links and paper ballots, with
and without JavaScript):

- dot:      ``dots-<option>`` = number of dots (a checkbox with value 1 when one dot is the most)
- approval: ``approve`` = option id, repeated
- single:   ``choice`` = option id
- ranked:   ``rank-<option>`` = 1, 2, 3 … (blank: not ranked)
- score:    ``score-<option>`` = score (blank: not scored)
- matrix:   ``score-<option>-<criterion>`` = score
- consent:  ``position`` and ``reason``
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from dugnad.voting import presenting
from dugnad.voting import tally as t
from dugnad.voting.methods import PollMethod
from dugnad.voting.service import PollError

Name = Callable[[int], str]


def whole(value: str, what: str) -> int | None:
    """A whole number typed in a form, None when blank; PollError naming ``what`` otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise PollError(_("%(what)s must be a whole number.", what=what), "ballot") from None


def option_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PollError(_("That option is not in this poll."), "ballot") from None


# --- shared shapes: {option: number} (dot, score) --------------------------------------------------


def _dump_numbers(ballot: Mapping[int, int]) -> dict[str, int]:
    return {str(o): v for o, v in ballot.items()}


def _load_numbers(content: Mapping[str, int]) -> dict[int, int]:
    return {int(o): v for o, v in content.items()}


def _readable_numbers(ballot: Mapping[int, int], name: Name) -> dict[str, int]:
    return {name(o): v for o, v in ballot.items()}


def _numbers_from_form(options, form, prefix: str, what) -> dict[int, int]:
    ballot = {}
    for option in options:
        value = whole(form.get(f"{prefix}-{option.id}", ""), what(option))
        if value is not None:
            ballot[option.id] = value
    return ballot


# --- dot ---------------------------------------------------------------------------------------------


def _dot_parse(poll, options, form) -> dict[int, int]:
    ballot = _numbers_from_form(options, form, "dots", lambda o: _("The dots on “%(label)s”", label=o.label))
    return {o: dots for o, dots in ballot.items() if dots}


DOT = PollMethod(
    "dot", _l("Dot voting"), t.validate_dot, t.tally_dot,
    _l("Every participant places a few dots on the proposals they want to take further."),
    parse=_dot_parse,
    fill=lambda poll, ballot: {f"dots-{o}": str(v) for o, v in ballot.items()},
    dump=_dump_numbers, load=_load_numbers,
    marks=lambda ballot: [(int(o), "", int(v)) for o, v in ballot.items() if v],
    weight=lambda ballot: sum(ballot.values()),
    readable=_readable_numbers, present=presenting.counts_view, ballot_template="voting/ballot/dot.html")


# --- approval ------------------------------------------------------------------------------------------


APPROVAL = PollMethod(
    "approval", _l("Approval"), t.validate_approval, t.tally_approval,
    _l("Participants tick every option they can support."),
    parse=lambda poll, options, form: {option_id(v) for v in form.getlist("approve")},
    fill=lambda poll, ballot: {"approve": [str(o) for o in ballot]},
    dump=lambda ballot: sorted(ballot), load=lambda content: {int(o) for o in content},
    marks=lambda ballot: [(int(o), "", 1) for o in ballot], weight=len,
    readable=lambda ballot, name: sorted(name(o) for o in ballot),
    present=presenting.counts_view, ballot_template="voting/ballot/approval.html")


# --- single ---------------------------------------------------------------------------------------------


def _single_parse(poll, options, form) -> int:
    choice = form.get("choice")
    if not choice:
        raise PollError(_("Choose one option."), "ballot")
    return option_id(choice)


SINGLE = PollMethod(
    "single", _l("Single choice"), t.validate_single, t.tally_single,
    _l("Participants choose one option, and the option with most votes wins."),
    parse=_single_parse, fill=lambda poll, ballot: {"choice": str(ballot)},
    load=int, marks=lambda ballot: [(int(ballot), "", 1)],
    readable=lambda ballot, name: name(ballot),
    present=presenting.counts_view, ballot_template="voting/ballot/single.html")


# --- ranked ---------------------------------------------------------------------------------------------


def _ranked_parse(poll, options, form) -> list[int]:
    ranks = _numbers_from_form(options, form, "rank", lambda o: _("The place of “%(label)s”", label=o.label))
    ordered = sorted(ranks.items(), key=lambda item: item[1])
    places = [rank for _o, rank in ordered]
    if len(set(places)) != len(places):
        raise PollError(_("Give each place only once: two options have the same place."), "ballot")
    if places and places != list(range(1, len(places) + 1)):
        raise PollError(_("Number your choices 1, 2, 3 … without gaps."), "ballot")
    return [option for option, _rank in ordered]


RANKED = PollMethod(
    "ranked", _l("Ranked choice"), t.validate_ranked, t.tally_ranked,
    _l("Participants rank the options, counted by instant runoff or Borda points."),
    parse=_ranked_parse,
    fill=lambda poll, ballot: {f"rank-{o}": str(i) for i, o in enumerate(ballot, start=1)},
    dump=list, load=lambda content: [int(o) for o in content],
    marks=lambda ballot: [(int(o), "", position) for position, o in enumerate(ballot, start=1)], weight=len,
    readable=lambda ballot, name: [name(o) for o in ballot],
    present=presenting.counts_view, ballot_template="voting/ballot/ranked.html")


# --- score ----------------------------------------------------------------------------------------------


SCORE = PollMethod(
    "score", _l("Scores"), t.validate_score, t.tally_score,
    _l("Participants give each option a score, and options are ranked by their mean score."),
    parse=lambda poll, options, form: _numbers_from_form(
        options, form, "score", lambda o: _("The score for “%(label)s”", label=o.label)),
    fill=lambda poll, ballot: {f"score-{o}": str(v) for o, v in ballot.items()},
    dump=_dump_numbers, load=_load_numbers,
    marks=lambda ballot: [(int(o), "", int(v)) for o, v in ballot.items()], weight=len,
    readable=_readable_numbers, present=presenting.score_view, ballot_template="voting/ballot/score.html")


# --- consent --------------------------------------------------------------------------------------------


CONSENT = PollMethod(
    "consent", _l("Consent"), t.validate_consent, t.tally_consent,
    _l("Participants agree, abstain, disagree or block a proposal, giving a reason to object."),
    parse=lambda poll, options, form: {"position": form.get("position") or "",
                                       "reason": (form.get("reason") or "").strip()},
    fill=lambda poll, ballot: {"position": ballot.get("position", ""), "reason": ballot.get("reason", "")},
    present=presenting.consent_view, ballot_template="voting/ballot/consent.html", takes_options=False)


# --- matrix ---------------------------------------------------------------------------------------------


def _matrix_parse(poll, options, form) -> dict[int, dict[str, int]]:
    ballot = {}
    for option in options:
        scores = {}
        for criterion in poll.criteria:
            score = whole(form.get(f"score-{option.id}-{criterion.key}", ""),
                          _("The score for “%(label)s” on “%(criterion)s”", label=option.label, criterion=criterion.label))
            if score is not None:
                scores[criterion.key] = score
        if scores:
            ballot[option.id] = scores
    return ballot


MATRIX = PollMethod(
    "matrix", _l("Weighted criteria"), t.validate_matrix, t.tally_matrix,
    _l("Participants score each option on weighted criteria such as effect, cost, capacity and fit."),
    parse=_matrix_parse,
    fill=lambda poll, ballot: {f"score-{o}-{k}": str(v) for o, scores in ballot.items() for k, v in scores.items()},
    dump=lambda ballot: {str(o): dict(scores) for o, scores in ballot.items()},
    load=lambda content: {int(o): dict(scores) for o, scores in content.items()},
    marks=lambda ballot: [(int(o), key, int(v)) for o, scores in ballot.items() for key, v in scores.items()],
    weight=len, readable=lambda ballot, name: {name(o): scores for o, scores in ballot.items()},
    present=presenting.matrix_view, ballot_template="voting/ballot/matrix.html")


METHODS = (DOT, APPROVAL, SINGLE, RANKED, SCORE, CONSENT, MATRIX)
