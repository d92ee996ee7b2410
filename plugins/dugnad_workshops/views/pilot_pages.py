"""Pilots: choosing which solutions to test, planning each (owner, time, first activity),
rounds of testing with findings, the decision after each round, and the evaluation by
results for the target group. The process tab "Pilots"."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import can, ConfirmForm, db, render, require, today
from dugnad_workshops import handoffs, homework, pilots, polls, tablework
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.forms import DecideForm, EvaluationForm, FindingsRoundForm, PilotForm, RoundForm
from dugnad_workshops.models import CHECKS, DECISIONS, PILOT_STATUSES
from dugnad_workshops.views import workshops
from dugnad_workshops.views.common import fail, participant_choices, process_or_404, process_tabs


def _pilot_form(formdata=..., obj=None, prefix="", choices=None, **data) -> PilotForm:
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = PilotForm(obj=obj, prefix=prefix, **kwargs, **data)
    form.owner_id.choices = choices if choices is not None else participant_choices(_("Choose…"))
    return form


def _pilots_page(process, failed=None, status=200):
    from dugnad.sdk import criterion_label
    from dugnad.sdk import POLL_STATUSES as STATUSES

    chosen = tablework.solutions_of(process.id, chosen=True)
    matrix = polls.matrix_of(process)
    ranked, scored = polls.matrix_results(process)
    planned = {p.solution_id: p for p in pilots.pilots_of(process.id)}
    given = homework.by_solution(process.id)
    choices = participant_choices(_("Choose…"))
    forms = {s.id: _pilot_form(formdata=None, prefix=f"p{s.id}", choices=choices, title=s.title,
                               owner_id=given[s.id].owner_id if s.id in given else None)
             for s in chosen if s.id not in planned}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render("dugnad_workshops/pilots.html", process=process, chosen=chosen, planned=planned, forms=forms,
                  homework=given, matrix=matrix, ranked=ranked, scored=scored,
                  criteria=[criterion_label(c) for c in matrix.criteria] if matrix else [],
                  tabs=process_tabs(process), active="workshops.pilots", manage=can("workshops.manage"),
                  CHECKS=CHECKS, PILOT_STATUSES=PILOT_STATUSES, STATUS_LABELS=STATUSES, status=status)


@workshops.get("/series/<int:process_id>/pilots", endpoint="pilots")
@require("workshops.view")
def pilots_page(process_id: int):
    """The process tab "Pilots"."""
    return _pilots_page(process_or_404(process_id))


@workshops.post("/series/<int:process_id>/solutions/<int:solution_id>/pilot")
@require("workshops.manage")
def plan_pilot(process_id: int, solution_id: int):
    process = process_or_404(process_id)
    solution = tablework.get_solution(process.id, solution_id) or abort(404)
    form = _pilot_form(prefix=f"p{solution.id}")
    if form.validate_on_submit():
        try:
            pilot = pilots.create(solution, form.values())
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is in the action plan, and its first activity in the process plan.", title=pilot.title),
                  "success")
            return redirect(url_for("workshops.pilot", process_id=process.id, pilot_id=pilot.id))
    return _pilots_page(process, failed=(solution.id, form), status=422)


# --- one pilot -------------------------------------------------------------------------------------


def _pilot_or_404(process, pilot_id: int):
    pilot = pilots.get_pilot(pilot_id) or abort(404)
    if pilot.process_id != process.id:
        abort(404)
    return pilot


def _pilot_page(process, pilot, plan_form=None, round_form=None, findings_form=None, decide_form=None,
                evaluation_form=None, status=200):
    pilot = pilots.get_pilot(pilot.id)  # afresh, with its owner (a refused change rolled the session back)
    rounds = pilots.rounds_of(pilot)
    open_round = rounds[-1] if rounds and rounds[-1].decision is None else None
    solution = tablework.get_solution(process.id, pilot.solution_id)
    return render(
        "dugnad_workshops/pilot.html", process=process, pilot=pilot, solution=solution, rounds=rounds,
        open_round=open_round, homework=homework.by_solution(process.id).get(solution.id),
        plan_form=plan_form or _pilot_form(formdata=None, obj=pilot, prefix="p"),
        round_form=round_form or RoundForm(formdata=None, started_on=today(), prefix="r"),
        findings_form=findings_form or (FindingsRoundForm(formdata=None, obj=open_round, prefix="f") if open_round else None),
        decide_form=decide_form or DecideForm(formdata=None, prefix="d"),
        evaluation_form=evaluation_form or EvaluationForm(formdata=None, obj=pilot, prefix="e"),
        tabs=process_tabs(process), active="workshops.pilots", manage=can("workshops.manage"),
        DECISIONS=DECISIONS, PILOT_STATUSES=PILOT_STATUSES, CHECKS=CHECKS, status=status,
        handoffs_panel=handoffs.pilot_panel(pilot))


@workshops.get("/series/<int:process_id>/pilots/<int:pilot_id>", endpoint="pilot")
@require("workshops.view")
def pilot_page(process_id: int, pilot_id: int):
    process = process_or_404(process_id)
    return _pilot_page(process, _pilot_or_404(process, pilot_id))


@workshops.post("/series/<int:process_id>/pilots/<int:pilot_id>/plan")
@require("workshops.manage")
def edit_pilot(process_id: int, pilot_id: int):
    process = process_or_404(process_id)
    pilot = _pilot_or_404(process, pilot_id)
    form = _pilot_form(prefix="p")
    if form.validate_on_submit():
        try:
            pilots.update(pilot, form.values())
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The plan is saved."), "success")
            return redirect(url_for("workshops.pilot", process_id=process.id, pilot_id=pilot.id))
    return _pilot_page(process, pilot, plan_form=form, status=422)


@workshops.post("/series/<int:process_id>/pilots/<int:pilot_id>/rounds")
@require("workshops.manage")
def start_round(process_id: int, pilot_id: int):
    process = process_or_404(process_id)
    pilot = _pilot_or_404(process, pilot_id)
    form = RoundForm(prefix="r")
    if form.validate_on_submit():
        try:
            round_ = pilots.add_round(pilot, {"started_on": form.started_on.data, "tested": form.tested.data})
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Round %(n)s has started. Record what it finds.", n=round_.number), "success")
            return redirect(url_for("workshops.pilot", process_id=process.id, pilot_id=pilot.id) + f"#round-{round_.number}")
    return _pilot_page(process, pilot, round_form=form, status=422)


@workshops.post("/series/<int:process_id>/pilots/<int:pilot_id>/rounds/<int:round_id>/findings")
@require("workshops.manage")
def round_findings(process_id: int, pilot_id: int, round_id: int):
    process = process_or_404(process_id)
    pilot = _pilot_or_404(process, pilot_id)
    round_ = pilots.get_round(pilot, round_id) or abort(404)
    form = FindingsRoundForm(prefix="f")
    if form.validate_on_submit():
        try:
            pilots.record_findings(round_, {"tested": form.tested.data, "findings": form.findings.data,
                                            "reached": form.reached.data, "ended_on": form.ended_on.data})
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The findings are saved."), "success")
            return redirect(url_for("workshops.pilot", process_id=process.id, pilot_id=pilot.id) + f"#round-{round_.number}")
    return _pilot_page(process, pilot, findings_form=form, status=422)


@workshops.post("/series/<int:process_id>/pilots/<int:pilot_id>/rounds/<int:round_id>/decide")
@require("workshops.manage")
def decide(process_id: int, pilot_id: int, round_id: int):
    process = process_or_404(process_id)
    pilot = _pilot_or_404(process, pilot_id)
    round_ = pilots.get_round(pilot, round_id) or abort(404)
    form = DecideForm(prefix="d")
    if form.validate_on_submit():
        try:
            pilots.decide(pilot, round_, form.decision.data, form.reason.data, current_user)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Decided: %(decision)s.", decision=DECISIONS[round_.decision]), "success")
            return redirect(url_for("workshops.pilot", process_id=process.id, pilot_id=pilot.id) + "#rounds-heading")
    return _pilot_page(process, pilot, decide_form=form, status=422)


@workshops.post("/series/<int:process_id>/pilots/<int:pilot_id>/evaluation")
@require("workshops.manage")
def evaluate(process_id: int, pilot_id: int):
    process = process_or_404(process_id)
    pilot = _pilot_or_404(process, pilot_id)
    form = EvaluationForm(prefix="e")
    if form.validate_on_submit():
        try:
            pilots.evaluate(pilot, form.evaluation.data, form.reached.data)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The evaluation is saved."), "success")
            return redirect(url_for("workshops.pilot", process_id=process.id, pilot_id=pilot.id) + "#evaluation-heading")
    return _pilot_page(process, pilot, evaluation_form=form, status=422)


@workshops.post("/series/<int:process_id>/pilots/matrix")
@require("workshops.manage")
def matrix(process_id: int):
    """Open the weighted criteria matrix on the solutions that went on, or close it."""
    process = process_or_404(process_id)
    ConfirmForm().validate_on_submit() or abort(400)
    steps = {"open": (polls.open_matrix, _("The criteria matrix is open: the steering group and the workshop's people "
                                           "score the solutions.")),
             "close": (polls.close_matrix, _("The scoring is closed. Make the best-scored solutions pilots."))}
    step = steps.get(request.form.get("step", "open")) or abort(400)
    try:
        step[0](process, current_user)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _pilots_page(process, status=error.status)
    db.session.commit()
    flash(step[1], "success")
    return redirect(url_for("workshops.pilots", process_id=process.id) + "#matrix-heading")
