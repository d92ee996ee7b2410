"""Poll pages: the municipality's polls, a process's polls, creating one, voting,
results (live over htmx, as a chart and a table, CSV), the projector view, paper ballots
and personal voting cards.

Every page works without JavaScript; htmx only keeps the live counts fresh. Objects are
looked up before anything else, so another municipality's ids answer 404."""

from __future__ import annotations


from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, true

from dugnad import spreadsheets
from dugnad.accounts.permissions import can, require
from dugnad.extensions import db
from dugnad.links import external_url
from dugnad.participants.models import Participant
from dugnad.processes import service as processes
from dugnad.processes.models import Activity, Process, ProcessParticipant
from dugnad.processes.views import process_tabs
from dugnad.voting import ballots, service
from dugnad.voting import live as live_fragments
from dugnad.voting.forms import CardsForm, EditPollForm, OptionForm, PaperForm, PollForm, default_criteria_text, to_local, to_utc
from dugnad.voting.models import Ballot, Poll, PollOption, Voter
from dugnad.voting.service import PollError
from dugnad.voting.presenting import labels, result_rows
from dugnad.web.forms import show_refusal
from dugnad.web.pagecache import same_for_role
from dugnad.web.templating import render

voting = Blueprint("voting", __name__, url_prefix="/polls")


@voting.context_processor
def _labels():
    return labels()


def _poll_or_404(poll_id: int) -> Poll:
    return service.get_poll(poll_id) or abort(404)


def _process_of(poll: Poll) -> Process:
    return processes.get_process(poll.process_id) or abort(404)


def _manage() -> bool:
    return can("voting.manage")




# --- lists ----------------------------------------------------------------------------------


def _turnouts(poll_ids: list[int]) -> dict[int, int]:
    if not poll_ids:
        return {}
    return dict(db.session.execute(select(Ballot.poll_id, func.count()).where(Ballot.poll_id.in_(poll_ids))
                                   .group_by(Ballot.poll_id)).all())


@voting.get("/")
@require("voting.vote")
def index():
    rows = db.session.execute(
        select(Poll, Process.name)
        .join(Process, (Process.id == Poll.process_id) & (Process.tenant_id == Poll.tenant_id))
        .where(Poll.status != "draft" if not _manage() else true())
        .order_by(Poll.created_at.desc(), Poll.id.desc())
    ).all()
    counts = _turnouts([poll.id for poll, _name in rows])
    order = {"open": 0, "proposals": 1, "scheduled": 2, "draft": 3, "closed": 4}
    rows = sorted(rows, key=lambda row: order.get(row[0].state(), 5))
    return render("voting/index.html", rows=rows, counts=counts, manage=_manage())


@voting.get("/widget")
@require("voting.vote")
@same_for_role
def widget():
    polls = [p for p in db.session.scalars(select(Poll).where(Poll.status.in_(("open", "proposals")))
                                           .order_by(Poll.closes_at.is_(None), Poll.closes_at, Poll.id.desc()).limit(20))
             if p.state() in ("open", "proposals")][:5]
    return render("voting/widget.html", polls=polls, counts=_turnouts([p.id for p in polls]))


@voting.get("/process/<int:process_id>")
@require("processes.view")
def process_polls(process_id: int):
    process = processes.get_process(process_id) or abort(404)
    polls = [p for p in service.polls_of(process_id=process.id) if _manage() or p.status != "draft"]
    return render("voting/process_polls.html", process=process, polls=polls, counts=_turnouts([p.id for p in polls]),
                  tabs=process_tabs(process), active="voting.process_polls", manage=_manage())


# --- creating and shaping ------------------------------------------------------------------------


def _fill_poll_form(form: PollForm, process: Process) -> None:
    form.method.choices = [(key, method.label) for key, method in service.method_registry().items()]
    form.phase_id.choices = [("", _("The whole process"))] + [(p.id, p.name) for p in processes.phases_of(process)]
    activities = db.session.execute(select(Activity.id, Activity.title).where(Activity.process_id == process.id)
                                    .order_by(Activity.starts_at.is_(None), Activity.starts_at, Activity.id)).all()
    form.activity_id.choices = [("", _("None in particular"))] + [(a.id, a.title) for a in activities]


@voting.route("/process/<int:process_id>/new", methods=["GET", "POST"])
@require("voting.manage")
def new(process_id: int):
    process = processes.get_process(process_id) or abort(404)
    if request.method == "GET":
        form = PollForm(formdata=None, method="dot", criteria=default_criteria_text(),
                        phase_id=process.current_phase_id, activity_id=request.args.get("activity_id", type=int))
    else:
        form = PollForm()
    _fill_poll_form(form, process)
    status = 200
    if form.validate_on_submit():
        try:
            poll = _create(form, process)
        except (PollError, ValueError) as error:
            show_refusal(form, error if isinstance(error, PollError) else PollError(str(error), "criteria"))
            status = 422
        else:
            db.session.commit()
            flash(_("The poll “%(title)s” is ready.", title=poll.title) if poll.status == "draft" else
                  _("The poll “%(title)s” is open.", title=poll.title), "success")
            return redirect(url_for("voting.show", poll_id=poll.id))
    elif form.is_submitted():
        status = 422
    return render("voting/new.html", process=process, form=form, tabs=process_tabs(process),
                  active="voting.process_polls", status=status)


def _create(form: PollForm, process: Process) -> Poll:
    phase = processes.get_phase(process, form.phase_id.data) if form.phase_id.data else None
    if form.phase_id.data and phase is None:
        raise PollError(_("That phase no longer exists. Choose another, or the whole process."), "phase_id")
    activity = None
    if form.activity_id.data:
        activity = db.session.scalar(select(Activity).where(Activity.id == form.activity_id.data,
                                                            Activity.process_id == process.id))
        if activity is None:
            raise PollError(_("That activity no longer exists. Choose another, or none."), "activity_id")
    lines = form.option_lines()
    if form.method.data != "consent" and form.option_mode.data == "fixed" and len(lines) < 2:
        raise PollError(_("Write at least two options, one per line — or let participants propose them."), "options")
    poll = service.create_poll(
        process, title=form.title.data, method=form.method.data, phase=phase, activity=activity,
        description=form.description.data, options=lines if form.method.data != "consent" else (),
        option_mode=form.option_mode.data, settings=form.settings(),
        results_visibility=form.results_visibility.data, anonymous=form.anonymous.data,
        allow_change=form.allow_change.data, member_voting=form.member_voting.data,
        opens_at=to_utc(form.opens_at.data), closes_at=to_utc(form.closes_at.data), user=current_user)
    then = request.form.get("then")
    if then == "open":
        service.open_poll(poll, current_user)
    elif then == "proposals" or form.option_mode.data == "proposals":
        service.start_proposals(poll, current_user)
    return poll


@voting.route("/<int:poll_id>/edit", methods=["GET", "POST"])
@require("voting.manage")
def edit(poll_id: int):
    poll = _poll_or_404(poll_id)
    process = _process_of(poll)
    if request.method == "GET":
        form = EditPollForm(formdata=None, obj=poll)
        form.opens_at.data, form.closes_at.data = to_local(poll.opens_at), to_local(poll.closes_at)
    else:
        form = EditPollForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.update_poll(poll, title=form.title.data, description=form.description.data,
                                opens_at=to_utc(form.opens_at.data), closes_at=to_utc(form.closes_at.data))
        except PollError as error:
            show_refusal(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("voting.show", poll_id=poll.id))
    elif form.is_submitted():
        status = 422
    return render("voting/edit.html", poll=poll, process=process, form=form, option_form=OptionForm(formdata=None),
                  options=service.options_of(poll), tabs=process_tabs(process), active="voting.process_polls",
                  status=status)


@voting.post("/<int:poll_id>/status")
@require("voting.manage")
def change_status(poll_id: int):
    poll = _poll_or_404(poll_id)
    action = request.form.get("action")
    actions = {"proposals": service.start_proposals, "open": service.open_poll, "close": service.close_poll}
    if action not in actions:
        abort(400)
    try:
        actions[action](poll, current_user)
    except PollError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("voting.show", poll_id=poll.id))
    db.session.commit()
    flash({"proposals": _("Participants can now propose options."), "open": _("The vote is open."),
           "close": _("The poll is closed. The results are final.")}[action], "success")
    return redirect(url_for("voting.show", poll_id=poll.id))


@voting.post("/<int:poll_id>/options")
@require("voting.vote")
def add_option(poll_id: int):
    """The organiser adds options to a draft; anyone who may vote proposes them in the proposal stage."""
    poll = _poll_or_404(poll_id)
    if not (_manage() or (poll.status == "proposals" and poll.member_voting)):
        abort(403)
    form = OptionForm()
    if form.validate_on_submit():
        try:
            service.add_option(poll, form.label.data, description=form.description.data, user=current_user)
        except PollError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("“%(label)s” is added.", label=form.label.data), "success")
    else:
        flash(_("Write the option before adding it."), "danger")
    target = "voting.edit" if _manage() and poll.status == "draft" else "voting.show"
    return redirect(url_for(target, poll_id=poll.id) + "#options-heading")


@voting.post("/<int:poll_id>/options/<int:option_id>/withdraw")
@require("voting.manage")
def withdraw_option(poll_id: int, option_id: int):
    poll = _poll_or_404(poll_id)
    option = db.session.scalar(select(PollOption).where(PollOption.id == option_id, PollOption.poll_id == poll.id)) or abort(404)
    try:
        service.withdraw_option(poll, option)
    except PollError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("“%(label)s” is removed.", label=option.label), "success")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else
                    url_for("voting.show", poll_id=poll.id))


# --- voting ---------------------------------------------------------------------------------------


def _my_voter(poll: Poll) -> Voter | None:
    if not current_user.is_authenticated:
        return None
    return db.session.scalar(select(Voter).where(Voter.poll_id == poll.id, Voter.user_id == current_user.id))


def _show(poll: Poll, submitted=None, status: int = 200):
    process = _process_of(poll)
    voter = _my_voter(poll)
    options = service.options_of(poll)
    manage = _manage()
    visible = service.can_see_results(poll, voter, manage)
    results = service.results(poll) if visible else None
    count, paper, _changed = service.turnout(poll)
    can_vote = can("voting.vote") and poll.member_voting and poll.state() == "open"
    return render(
        "voting/show.html", poll=poll, process=process, options=options, voter=voter,
        values=ballots.Values(submitted, ballots.to_form(poll, service.ballot_of(poll, voter))),
        results=results, rows=result_rows(results) if results else None, turnout=count, on_paper=paper,
        can_vote=can_vote, manage=manage, option_form=OptionForm(formdata=None),
        vote_action=url_for("voting.vote", poll_id=poll.id), live_url=url_for("voting.live", poll_id=poll.id),
        version=service.live_version(poll), tabs=process_tabs(process), active="voting.process_polls", status=status,
    )


@voting.get("/<int:poll_id>/")
@require("voting.vote")
def show(poll_id: int):
    poll = _poll_or_404(poll_id)
    if poll.status == "draft" and not _manage():
        abort(404)
    return _show(poll)


@voting.post("/<int:poll_id>/vote")
@require("voting.vote")
def vote(poll_id: int):
    poll = _poll_or_404(poll_id)
    if poll.status == "draft" and not _manage():
        abort(404)
    if not poll.member_voting:
        flash(_("In this poll people vote with a personal card from the organiser."), "danger")
        return _show(poll, status=403)
    try:
        options = service.options_of(poll)
        ballot = ballots.from_form(poll, options, request.form)
        service.cast(poll, service.voter_for_user(poll, current_user), ballot, options=options)
    except PollError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _show(poll, submitted=request.form, status=error.status)
    flash(_("Your vote is recorded.") if not poll.allow_change else
          _("Your vote is recorded. You can change it until the poll closes."), "success")
    db.session.commit()
    return redirect(url_for("voting.show", poll_id=poll.id) + "#results-heading")


# --- results ----------------------------------------------------------------------------------------


def _visible_results(poll: Poll):
    visible = service.can_see_results(poll, _my_voter(poll), _manage())
    return service.results(poll) if visible else None


@voting.get("/<int:poll_id>/results")
@require("voting.vote")
def results(poll_id: int):
    poll = _poll_or_404(poll_id)
    if poll.status == "draft" and not _manage():
        abort(404)
    process = _process_of(poll)
    found = _visible_results(poll)
    count, paper, _changed = service.turnout(poll)
    return render("voting/results.html", poll=poll, process=process, results=found,
                  rows=result_rows(found) if found else None, turnout=count, on_paper=paper,
                  live_url=url_for("voting.live", poll_id=poll.id), version=service.live_version(poll),
                  tabs=process_tabs(process), active="voting.process_polls", manage=_manage())


@voting.get("/<int:poll_id>/live")
@require("voting.vote")
def live(poll_id: int):
    """The live counts as a fragment; 204 (nothing to swap) while nothing has changed."""
    poll = _poll_or_404(poll_id)
    manage = _manage()
    if poll.status == "draft" and not manage:
        abort(404)
    counted = service.turnout(poll)
    version = service.live_version(poll, counted)
    if request.args.get("v") == version and request.headers.get("HX-Request"):
        return "", 204
    big = request.args.get("screen") == "1"
    if big:  # the projector is seen by the whole room: only what everyone may see, whoever drives it
        visible = service.can_see_results(poll, None, False)
    else:
        voter = _my_voter(poll) if poll.results_visibility == "after_vote" and not manage else None
        visible = service.can_see_results(poll, voter, manage)

    def fragment():
        found = service.results(poll, counted) if visible else None
        return render("voting/_live.html", block="live", poll=poll, results=found,
                      rows=result_rows(found) if found else None, turnout=counted[0], on_paper=counted[1],
                      live_url=url_for("voting.live", poll_id=poll.id), version=version, big=big)

    return live_fragments.cached((g.tenant.id, poll.id, version, visible, big, str(get_locale()), "member"), fragment)


@voting.get("/<int:poll_id>/results.csv")
@require("voting.vote")
def results_csv(poll_id: int):
    return _results_file(poll_id, "csv")


@voting.get("/<int:poll_id>/results.xlsx")
@require("voting.vote")
def results_xlsx(poll_id: int):
    return _results_file(poll_id, "xlsx")


def _results_file(poll_id: int, fmt: str):
    """The results table to download: counts and scores as numbers, headings in the reader's language."""
    poll = _poll_or_404(poll_id)
    found = _visible_results(poll)
    if found is None:
        abort(403)
    rows = result_rows(found)
    table = [[str(h) for h in rows.csv_header], *rows.csv_lines]
    body = spreadsheets.csv_file(table) if fmt == "csv" else spreadsheets.xlsx_file(table, _("Results"))
    return spreadsheets.download(body, f"poll-{poll.id}-results.{fmt}")


@voting.get("/<int:poll_id>/screen")
@require("voting.vote")
def screen(poll_id: int):
    """For the projector: the question, how many have voted and the live counts, large."""
    poll = _poll_or_404(poll_id)
    if poll.status == "draft" and not _manage():
        abort(404)
    found = service.results(poll) if service.can_see_results(poll, None, False) else None
    count, paper, _changed = service.turnout(poll)
    return render("voting/screen.html", poll=poll, results=found, rows=result_rows(found) if found else None,
                  turnout=count, on_paper=paper, live_url=url_for("voting.live", poll_id=poll.id, screen=1),
                  version=service.live_version(poll), big=True,
                  vote_address=_readable(external_url("voting_public.enter_code")),
                  poll_address=_readable(external_url("voting.show", poll_id=poll.id)))


def _readable(url: str) -> str:
    """An address as people type it off a screen: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


# --- paper ballots and voting cards -------------------------------------------------------------------


def _paper_choices(poll: Poll) -> list:
    if poll.anonymous:
        return [("", _("Unnamed paper ballot"))]
    rows = db.session.execute(
        select(Participant.id, Participant.name)
        .join(ProcessParticipant, (ProcessParticipant.participant_id == Participant.id)
              & (ProcessParticipant.tenant_id == Participant.tenant_id))
        .where(ProcessParticipant.process_id == poll.process_id, Participant.archived_at.is_(None))
        .order_by(func.lower(Participant.name))
    ).all()
    return [("", _("Unnamed paper ballot"))] + [(pid, name) for pid, name in rows]


def _paper_page(poll: Poll, form: PaperForm | None = None, submitted=None, status: int = 200):
    process = _process_of(poll)
    form = form or PaperForm(formdata=None)
    form.participant_id.choices = _paper_choices(poll)
    entered = db.session.execute(
        select(Voter.label, Participant.name)
        .outerjoin(Participant, (Participant.id == Voter.participant_id) & (Participant.tenant_id == Voter.tenant_id))
        .where(Voter.poll_id == poll.id, Voter.kind == "paper").order_by(Voter.id)
    ).all() if not poll.anonymous else []
    return render("voting/paper.html", poll=poll, process=process, form=form, options=service.options_of(poll),
                  values=ballots.Values(submitted, {}), entered=entered, tabs=process_tabs(process),
                  vote_action=url_for("voting.paper", poll_id=poll.id), active="voting.process_polls", status=status)


@voting.route("/<int:poll_id>/paper", methods=["GET", "POST"])
@require("voting.manage")
def paper(poll_id: int):
    poll = _poll_or_404(poll_id)
    if request.method == "GET":
        return _paper_page(poll)
    form = PaperForm()
    form.participant_id.choices = _paper_choices(poll)
    if not form.validate_on_submit():
        return _paper_page(poll, form=form, submitted=request.form, status=422)
    try:
        ballot = ballots.from_form(poll, service.options_of(poll), request.form)
        service.enter_paper_ballot(poll, ballot, entered_by=current_user, participant_id=form.participant_id.data,
                                   label=form.label.data)
    except PollError as error:
        db.session.rollback()
        if error.field == "participant_id":
            form.participant_id.errors = [str(error)]
        else:
            flash(str(error), "danger")
        return _paper_page(poll, form=form, submitted=request.form, status=error.status)
    db.session.commit()
    flash(_("The paper ballot is recorded."), "success")
    return redirect(url_for("voting.paper", poll_id=poll.id) + "#paper-heading")


def _links_page(poll: Poll, form: CardsForm | None = None, status: int = 200, fresh=None):
    process = _process_of(poll)
    with_email = db.session.scalar(
        select(func.count()).select_from(ProcessParticipant)
        .join(Participant, (Participant.id == ProcessParticipant.participant_id)
              & (Participant.tenant_id == ProcessParticipant.tenant_id))
        .where(ProcessParticipant.process_id == poll.process_id, Participant.email.is_not(None),
               Participant.archived_at.is_(None)))
    cards = [(voter, code, service.vote_url(code)) for voter, code in service.cards(poll)]
    from dugnad.voting.qr import svg

    return render("voting/links.html", poll=poll, process=process, form=form or CardsForm(formdata=None),
                  cards=cards, qr=svg, display_code=service.display_code, counts=service.link_counts(poll),
                  with_email=with_email, fresh=fresh or set(), tabs=process_tabs(process),
                  active="voting.process_polls", status=status)


@voting.route("/<int:poll_id>/cards", methods=["GET", "POST"])
@require("voting.manage")
def links(poll_id: int):
    poll = _poll_or_404(poll_id)
    if request.method == "GET":
        return _links_page(poll)
    form = CardsForm()
    if not form.validate_on_submit():
        return _links_page(poll, form=form, status=422)
    try:
        made = service.issue_links(poll, form.count.data, current_user)
    except PollError as error:
        show_refusal(form, error)
        return _links_page(poll, form=form, status=error.status)
    db.session.commit()
    flash(_("%(n)s new cards are ready to print.", n=len(made)), "success")
    return redirect(url_for("voting.links", poll_id=poll.id) + "#cards-heading")


@voting.post("/<int:poll_id>/cards/revoke")
@require("voting.manage")
def revoke_links(poll_id: int):
    poll = _poll_or_404(poll_id)
    count = service.revoke_unused_links(poll)
    db.session.commit()
    flash(_("%(n)s unused cards no longer work.", n=count), "success")
    return redirect(url_for("voting.links", poll_id=poll.id))


@voting.post("/<int:poll_id>/cards/send")
@require("voting.manage")
def send_links(poll_id: int):
    poll = _poll_or_404(poll_id)
    from dugnad.voting.mail import send_personal_links

    try:
        sent = send_personal_links(poll, current_user)
    except PollError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("voting.links", poll_id=poll.id))
    db.session.commit()
    flash(_("A personal link is on its way to %(n)s participants.", n=sent) if sent else
          _("Every participant with an e-mail address already has a personal link."), "success")
    return redirect(url_for("voting.links", poll_id=poll.id))
