"""The plenary. Workshop 1: every table's picks side by side, the vote, and which proposals
go on to homework. Workshop 2: the homework presented, then the action plan."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from dugnad.sdk import can, ConfirmForm, db, render, require
from dugnad_workshops import homework, pilots, polls, room, series, tablework
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.models import CHECKS, PILOT_STATUSES
from dugnad_workshops.views import workshops
from dugnad_workshops.views.common import process_tabs, workshop_nav, workshop_or_404


def _common(workshop, process):
    from dugnad.sdk import POLL_STATUSES as STATUSES

    return dict(workshop=workshop, process=process, tabs=process_tabs(process), active="workshops.series",
                STATUS_LABELS=STATUSES,
                nav=workshop_nav(workshop, can("workshops.manage")), nav_active="plenary",
                title=series.title_of(workshop, process), manage=can("workshops.manage"))


def _page(workshop, process, status=200):
    tables = {t.id: t for t in room.tables_of(workshop)}
    if workshop.number == 2:
        chosen = tablework.solutions_of(process.id, chosen=True)
        return render("dugnad_workshops/action_plan.html", chosen=chosen, homework=homework.by_solution(process.id),
                      pilots={p.solution_id: p for p in pilots.pilots_of(process.id)}, CHECKS=CHECKS,
                      PILOT_STATUSES=PILOT_STATUSES, status=status, **_common(workshop, process))
    picked = tablework.solutions_of(process.id, workshop=workshop, picked=True)
    votes, voters = polls.dot_results(workshop, {s.id: s for s in picked})
    dots = {s.id: n for s, n in votes}
    if votes:
        picked = [s for s, _n in votes] + [s for s in picked if s.id not in dots]
    waiting = [t for t in tables.values() if not any(s.table_id == t.id for s in picked)]
    vote = polls.vote_of(workshop)
    suggested = set() if any(s.chosen_at for s in picked) else polls.leaders(workshop, max(1, len(tables)))
    return render("dugnad_workshops/plenary.html", picked=picked, tables=tables, themes=room.themes_by_id(workshop),
                  dots=dots, voters=voters, waiting=waiting, vote=vote, suggested=suggested,
                  vote_state=vote.state() if vote else None, homework=homework.by_solution(process.id),
                  status=status, **_common(workshop, process))


@workshops.get("/<int:workshop_id>/plenary", endpoint="plenary")
@require("workshops.view")
def plenary_page(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    return _page(workshop, process)


@workshops.post("/<int:workshop_id>/plenary/choose")
@require("workshops.manage")
def choose(workshop_id: int):
    """Which proposals go on: those with most votes, as the organiser confirms."""
    workshop, process = workshop_or_404(workshop_id)
    if workshop.number != 1:
        abort(404)
    ConfirmForm().validate_on_submit() or abort(400)
    picked = tablework.solutions_of(process.id, workshop=workshop, picked=True)
    wanted = {int(v) for v in request.form.getlist("chosen") if v.isdigit()}
    try:
        tablework.choose(picked, wanted & {s.id for s in picked})
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _page(workshop, process, status=422)
    db.session.commit()
    count = len(wanted & {s.id for s in picked})
    flash(ngettext("%(num)s proposal goes on. Give it homework: an owner, questions and a due date.",
                   "%(num)s proposals go on. Give each homework: an owner, questions and a due date.", count), "success")
    return redirect(url_for("workshops.homework", process_id=process.id))


@workshops.post("/<int:workshop_id>/plenary/vote")
@require("workshops.facilitate")
def vote(workshop_id: int):
    """Open the dot vote on the tables' picks (with voting cards for everyone in the room), or close it."""
    workshop, process = workshop_or_404(workshop_id)
    ConfirmForm().validate_on_submit() or abort(400)
    step = request.form.get("step", "open")
    if step not in ("open", "close"):
        abort(400)
    try:
        if step == "open":
            poll = polls.open_vote(workshop, current_user, anyway=request.form.get("anyway") == "1")
        else:
            poll = polls.close_vote(workshop, current_user)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _page(workshop, process, status=error.status)
    db.session.commit()
    if step == "open":
        flash(_("The vote is open. Hand out the voting cards, and show the count on the projector."), "success")
        return redirect(url_for("workshops.plenary", workshop_id=workshop.id) + f"#vote-{poll.id}")
    flash(_("The vote is closed. The proposals with most dots are ticked: confirm which go on."), "success")
    return redirect(url_for("workshops.plenary", workshop_id=workshop.id) + "#proposals-heading")
