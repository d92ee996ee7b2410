"""Running the tracks: the overview, the boards per track and per opening, openings, and the
funding rules the municipality can correct."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from dugnad.sdk import Refusal, db, render, today
from dugnad_recruitment import access, board, design, placements, reminders
from dugnad_recruitment.forms import OpeningForm, RuleForm
from dugnad_recruitment.models import Candidate, FundingRule, Opening, Outcome, Placement, Track
from dugnad_recruitment.web import fail, get_or_404, must, recruitment


@recruitment.get("/")
def index():
    must("recruitment.follow")
    tracks = design.tracks()
    counts = board.stage_counts()
    mine = []
    if not access.sees_all():
        mine = db.session.execute(access.visible(select(Candidate.id, Candidate.name, Candidate.stage))
                                  .order_by(Candidate.name)).all()
        tracks = [t for t in tracks if t.id in counts]
    openings = list(db.session.scalars(select(Opening).where(Opening.closed_at.is_(None)).order_by(Opening.starts_on))) \
        if access.sees_all() else []
    due = reminders.due_outcomes() if access.sees_all() else []
    return render("dugnad_recruitment/index.html", tracks=tracks, counts=counts, mine=mine, openings=openings, due=due)


@recruitment.get("/widget")
def widget():
    must("recruitment.follow")
    counts = board.stage_counts()
    totals = {}
    for per_track in counts.values():
        for stage, count in per_track.items():
            totals[stage] = totals.get(stage, 0) + count
    due = len(reminders.due_outcomes()) if access.sees_all() else 0
    return render("dugnad_recruitment/widget.html", totals=totals, due=due)


@recruitment.get("/tracks/<int:track_id>")
def track_board(track_id: int):
    track = get_or_404(Track, track_id)
    must("recruitment.follow")
    built = board.build(track=track, full=request.args.get("stage"))
    if not access.sees_all() and not built.total:
        return render("errors/error.html", status=403, title=_("Not one of yours"), code=403,
                      hint=_("You follow no candidate on this track."))
    openings = list(db.session.scalars(select(Opening).where(Opening.track_id == track.id).order_by(Opening.starts_on)))
    page = render("dugnad_recruitment/board.html", track=track, opening=None, board=built, openings=openings)
    db.session.commit()  # the board's read is logged
    return page


@recruitment.get("/openings/<int:opening_id>")
def opening_board(opening_id: int):
    opening = get_or_404(Opening, opening_id)
    must("recruitment.follow")
    built = board.build(opening=opening, full=request.args.get("stage"))
    if not access.sees_all() and not built.total:
        return render("errors/error.html", status=403, title=_("Not one of yours"), code=403,
                      hint=_("You follow no candidate in this place."))
    track = db.session.get(Track, opening.track_id)
    page = render("dugnad_recruitment/board.html", track=track, opening=opening, board=built, openings=[],
                  ends=placements.opening_ends(opening))
    db.session.commit()
    return page


def _opening_form(**kwargs):
    return OpeningForm(people=placements.people(), **kwargs)


@recruitment.route("/tracks/<int:track_id>/openings/new", methods=["GET", "POST"])
def new_opening(track_id: int):
    track = get_or_404(Track, track_id)
    must("recruitment.manage")
    form = _opening_form() if request.method == "POST" else _opening_form(formdata=None, data={"months": 6})
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                opening = placements.create_opening(track, form.data)
                db.session.commit()
                flash(_("The place in %(unit)s is open.", unit=opening.unit), "success")
                return redirect(url_for("recruitment.opening_board", opening_id=opening.id))
            except Refusal as error:
                fail(form, error)
        status = 422
    return render("dugnad_recruitment/opening_form.html", form=form, track=track, status=status)


@recruitment.post("/openings/<int:opening_id>/close")
def close_opening(opening_id: int):
    opening = get_or_404(Opening, opening_id)
    must("recruitment.manage")
    placements.close_opening(opening)
    db.session.commit()
    flash(_("The place is closed: nobody new can be placed in it."), "success")
    return redirect(url_for("recruitment.opening_board", opening_id=opening.id))


# --- funding rules ------------------------------------------------------------------------------


@recruitment.route("/funding-rules", methods=["GET", "POST"])
def funding_rules():
    must("recruitment.manage")
    form = RuleForm() if request.method == "POST" else RuleForm(formdata=None, data={"warn_days": 30})
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                rule = placements.create_rule(form.data)
                db.session.commit()
                flash(_("The rule “%(name)s” is added.", name=rule.name), "success")
                return redirect(url_for("recruitment.funding_rules"))
            except Refusal as error:
                fail(form, error)
        status = 422
    return render("dugnad_recruitment/rules.html", rules=placements.rules(active_only=False), form=form, status=status)


@recruitment.route("/funding-rules/<int:rule_id>", methods=["GET", "POST"])
def funding_rule(rule_id: int):
    rule = get_or_404(FundingRule, rule_id)
    must("recruitment.manage")
    form = RuleForm() if request.method == "POST" else RuleForm(obj=rule, formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                placements.update_rule(rule, form.data)
                db.session.commit()
                flash(_("The rule is corrected. New funding follows it; funding already given keeps its dates."),
                      "success")
                return redirect(url_for("recruitment.funding_rules"))
            except Refusal as error:
                fail(form, error)
        status = 422
    used = db.session.scalar(select(func.count()).select_from(Placement)) or 0
    return render("dugnad_recruitment/rule_form.html", rule=rule, form=form, used=used, status=status)


@recruitment.get("/outcomes")
def outcomes_due():
    must("recruitment.manage")
    rows = db.session.execute(select(Outcome, Candidate.name).join(Candidate, Candidate.id == Outcome.candidate_id)
                              .where(Outcome.recorded_at.is_(None), Candidate.anonymised_at.is_(None),
                                     Outcome.due_on <= today()).order_by(Outcome.due_on)).tuples().all()
    return render("dugnad_recruitment/outcomes.html", rows=rows)
