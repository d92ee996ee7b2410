"""Voting with a personal card or link, without an account (``/<tenant>/vote/<code>``).

The first phone or browser that opens a card keeps it (a secret in its session); any
other device is refused, so a card passed on or a link replayed cannot vote twice."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.extensions import htmx
from dugnad.voting import ballots, fastcast, service
from dugnad.voting import live as live_fragments
from dugnad.voting.forms import OptionForm
from dugnad.voting.models import Poll, Voter
from dugnad.voting.presenting import labels, result_rows
from dugnad.voting.service import PollError
from dugnad.versions import data_changed
from dugnad.web.templating import render

voting_public = Blueprint("voting_public", __name__, url_prefix="/vote")
SESSION_KEY = "poll_devices"


@voting_public.context_processor
def _labels():
    return labels()


def _device(voter: Voter) -> str | None:
    return (session.get(SESSION_KEY) or {}).get(str(voter.id))


def _remember(voter: Voter, secret: str) -> None:
    devices = dict(session.get(SESSION_KEY) or {})
    devices[str(voter.id)] = secret
    session[SESSION_KEY] = devices
    _not_fresh_now()


def _not_fresh_now() -> None:
    """Flask-Login's "basic" session protection marks a session with something in it and no
    login (no ``_id``) not fresh at the first request that asks who is logged in — the vote.
    Marked now, in the cookie this answer sends anyway, the vote's answer sends none (500
    phones at once: each vote's answer would sign and send a cookie for this alone)."""
    from flask import current_app

    from dugnad.extensions import login_manager

    protection = current_app.config.get("SESSION_PROTECTION", login_manager.session_protection)
    if protection == "basic" and "_id" not in session and session.get("_fresh") is not False:
        session["_fresh"] = False


def _problem(message: str, status: int):
    return render("voting/card_problem.html", message=message, status=status)


@voting_public.route("/", methods=["GET", "POST"])
def enter_code():
    """Type the code from the card, for phones that cannot scan it."""
    code = service.normalise_code(request.form.get("code", "")) if request.method == "POST" else ""
    if request.method == "POST":
        if service.voter_for_code(code) is not None:
            return redirect(url_for("voting_public.vote", code=code))
        return render("voting/enter_code.html", code=request.form.get("code", ""),
                      error=_("We could not find that code. Check the letters and numbers on your card."), status=422)
    return render("voting/enter_code.html", code="", error=None)


def _card(code: str) -> tuple[Voter, Poll] | None:
    voter = service.voter_for_code(code)
    if voter is None:
        return None
    poll = db.session.scalar(select(Poll).where(Poll.id == voter.poll_id))
    return (voter, poll) if poll is not None else None


def _page(voter: Voter, poll: Poll, code: str, submitted=None, status: int = 200, error: str | None = None):
    options = service.options_of(poll)
    visible = service.can_see_results(poll, voter, False)
    found = service.results(poll) if visible else None
    return render("voting/card.html", poll=poll, voter=voter, code=code, options=options,
                  values=ballots.Values(submitted, ballots.to_form(poll, service.ballot_of(poll, voter))),
                  results=found, rows=result_rows(found) if found else None,
                  turnout=service.turnout(poll)[0], option_form=OptionForm(formdata=None),
                  vote_action=url_for("voting_public.vote", code=code),
                  live_url=url_for("voting_public.live", code=code), version=service.live_version(poll),
                  error=error, status=status)


def _claimed(code: str):
    """The card's voter and poll once this device holds the card, or an error page."""
    found = _card(code)
    if found is None:
        return None, _problem(_("This voting card is not valid here. Check the address, or ask the facilitator."), 404)
    voter, poll = found
    if poll.status == "draft":
        return None, _problem(_("This vote has not started yet. Try again when the facilitator opens it."), 409)
    try:
        secret, fresh = service.claim(voter, _device(voter))
    except PollError as error:
        db.session.rollback()
        return None, _problem(str(error), error.status)
    if fresh:
        _remember(voter, secret)
        db.session.commit()
    return (voter, poll), None


@voting_public.get("/<code>")
def vote(code: str):
    found, problem = _claimed(code)
    if problem is not None:
        return problem
    voter, poll = found
    return _page(voter, poll, code)


def _htmx() -> bool:
    return bool(htmx) and not htmx.history_restore_request


@voting_public.post("/<code>")
def cast(code: str):
    """The vote. A ballot the fast path can take is stored in one round trip
    (``fastcast``); anything else takes the general path below, which words any refusal.
    htmx gets the confirmation in place of the ballot; without JavaScript, a redirect to the card.
    A card's vote over htmx with a valid CSRF token mostly does not get here: ``voting.lean``
    answers it in front of Flask, and sends here everything it does not store."""
    stored = fastcast.cast_card(code, (session.get(SESSION_KEY) or {}).values(), request.form)
    if stored is not None:
        db.session.commit()
        data_changed()  # the function wrote inside a SELECT, which the statement watch cannot see
        return _voted(code, stored.allow_change, stored.anonymous)
    found, problem = _claimed(code)
    if problem is not None:
        return _reload_for_htmx(problem)
    voter, poll = found
    try:
        options = service.options_of(poll)
        service.cast(poll, voter, ballots.from_form(poll, options, request.form), options=options)
    except PollError as error:
        db.session.rollback()
        if error.status == 422:  # a ballot to correct: shown at the ballot, with what was chosen
            return _page(voter, poll, code, submitted=request.form, status=error.status, error=str(error))
        flash(str(error), "danger")
        if _htmx():
            return _reload_for_htmx(("", error.status))
        return _page(voter, poll, code, submitted=request.form, status=error.status)
    allow_change, anonymous = poll.allow_change, poll.anonymous  # read before the commit expires them
    db.session.commit()
    return _voted(code, allow_change, anonymous)


def voted_fragment(allow_change: bool, anonymous: bool, card_url: str) -> str:
    """The confirmation htmx puts in place of the ballot (also kept by ``voting.lean``)."""
    message = (_("Your vote is recorded. You can change it until the poll closes.") if allow_change else
               _("Your vote is recorded."))
    return render_template("voting/_voted.html", message=message, change=allow_change and not anonymous,
                           card_url=card_url)


def _voted(code: str, allow_change: bool, anonymous: bool):
    message = (_("Your vote is recorded. You can change it until the poll closes.") if allow_change else
               _("Your vote is recorded."))
    if _htmx():
        return voted_fragment(allow_change, anonymous, url_for("voting_public.vote", code=code))
    flash(message, "success")
    return redirect(url_for("voting_public.vote", code=code) + "#results-heading")


def _reload_for_htmx(answer):
    """A refusal htmx would not show in place (the card withdrawn, the poll closed): the
    browser loads the card page again, which says why."""
    if not _htmx():
        return answer
    body, status = answer
    return body, status, {"HX-Refresh": "true"}


@voting_public.post("/<code>/propose")
def propose(code: str):
    found, problem = _claimed(code)
    if problem is not None:
        return problem
    voter, poll = found
    if poll.status != "proposals":
        flash(_("Proposals are closed: voting has started."), "danger")
        return redirect(url_for("voting_public.vote", code=code))
    form = OptionForm()
    if form.validate_on_submit():
        try:
            service.add_option(poll, form.label.data, description=form.description.data, voter=voter)
        except PollError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Thank you. “%(label)s” is proposed.", label=form.label.data), "success")
    else:
        flash(_("Write your proposal before sending it."), "danger")
    return redirect(url_for("voting_public.vote", code=code) + "#options-heading")


@voting_public.get("/<code>/live")
def live(code: str):
    found = _card(code)
    if found is None:
        abort(404)
    voter, poll = found
    if not service.holds(voter, _device(voter)):
        abort(404)
    counted = service.turnout(poll)
    version = service.live_version(poll, counted)
    if request.args.get("v") == version and request.headers.get("HX-Request"):
        return "", 204
    visible = service.can_see_results(poll, voter, False)
    if not visible:
        return render("voting/_live.html", block="live", poll=poll, results=None, rows=None, turnout=counted[0],
                      on_paper=0, live_url=url_for("voting_public.live", code=code), version=version, big=False)

    def fragment():
        found = service.results(poll, counted)
        # the card's own address is in the fragment: a marker, filled in per card below
        return render("voting/_live.html", block="live", poll=poll, results=found, rows=result_rows(found),
                      turnout=counted[0], on_paper=0, live_url="__LIVE_URL__", version=version, big=False)

    body, status = live_fragments.cached((g.tenant.id, poll.id, version, str(get_locale()), "card"), fragment)
    return body.replace("__LIVE_URL__", url_for("voting_public.live", code=code)), status
