"""Process pages: the list, starting from a template, the overview (*bordduk*), the
plan (activities and checklists), decisions, history (moves), and shaping phases.

Every page works without JavaScript (forms post and redirect); htmx swaps the
phase list in place when phases are reordered. Objects are looked up before
anything else, so another municipality's ids answer 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.accounts.permissions import can, require
from dugnad.extensions import db
from dugnad.plugins import plugins
from dugnad.clock import today
from dugnad.processes import service
from dugnad.processes.forms import (
    ActivityForm,
    AddPhaseForm,
    ChecklistItemForm,
    DecisionForm,
    MoveForm,
    PhaseForm,
    ProcessForm,
    StartForm,
)
from dugnad.processes.models import ACTIVITY_KINDS, ACTIVITY_STATUSES, CHECKLIST_KINDS, LADDER, Activity, Decision
from dugnad.processes.service import ProcessError
from dugnad.web.forms import show_refusal
from dugnad.web.pagecache import same_for_role
from dugnad.web.templating import render
from sqlalchemy import select

processes = Blueprint("processes", __name__, url_prefix="/processes")



@processes.context_processor
def _labels():
    return {"LADDER": LADDER, "LADDER_HELP": service.LADDER_HELP, "KINDS": ACTIVITY_KINDS,
            "STATUSES": ACTIVITY_STATUSES, "CHECKLIST_KINDS": CHECKLIST_KINDS, "DIRECTIONS": service.DIRECTIONS,
            "is_overdue": service.is_overdue, "today": today}


@processes.app_template_filter("clock")
def _clock(value):
    """A stored local time (Europe/Oslo, naive) as HH:MM, without time-zone conversion."""
    return value.strftime("%H:%M") if value else ""


def process_tabs(process) -> list[tuple[str, str, str]]:
    """(key, label, url) of the process page's tabs: the process's own, then what the
    core and the plugins on here add through the ``process_tabs`` hook (key = endpoint)."""
    tabs = [
        ("overview", _("Overview"), url_for("processes.show", process_id=process.id)),
        ("plan", _("Plan"), url_for("processes.plan", process_id=process.id)),
        ("decisions", _("Decisions"), url_for("processes.decisions", process_id=process.id)),
        ("history", _("History"), url_for("processes.history", process_id=process.id)),
    ]
    added = [item for items in plugins().hook("process_tabs", g.tenant.id)(tenant=g.tenant, process=process)
             for item in items if item.permission is None or can(item.permission)]
    for item in sorted(added, key=lambda i: (i.order, str(i.label))):
        tabs.append((item.endpoint, str(item.label), url_for(item.endpoint, process_id=process.id)))
    if can("processes.manage"):
        tabs.append(("settings", _("Phases and details"), url_for("processes.settings", process_id=process.id)))
    return tabs


def _process_or_404(process_id: int):
    return service.get_process(process_id) or abort(404)


def _phase_or_404(process, phase_id: int):
    return service.get_phase(process, phase_id) or abort(404)


def _activity_or_404(process, activity_id: int) -> Activity:
    activity = db.session.scalar(select(Activity).where(Activity.id == activity_id, Activity.process_id == process.id))
    return activity or abort(404)




# --- list, widget, start ------------------------------------------------------------------


@processes.get("/")
@require("processes.view")
def index():
    return render("processes/index.html", rows=service.process_rows(), manage=can("processes.manage"))


@processes.get("/widget")
@require("processes.view")
@same_for_role
def widget():
    rows = [row for row in service.process_rows(status="active")]
    return render("processes/widget.html", rows=rows, manage=can("processes.manage"))


@processes.route("/new", methods=["GET", "POST"])
@require("processes.manage")
def new():
    form = StartForm()
    status = 200
    if form.validate_on_submit():
        try:
            process = service.start_process(form.template.data, form.name.data, current_user)
        except ProcessError as error:
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("“%(name)s” is started. Adapt the phases to your municipality.", name=process.name), "success")
            return redirect(url_for("processes.show", process_id=process.id))
    elif form.is_submitted():
        status = 422
    return render("processes/new.html", form=form, templates=list(service.templates().values()), status=status)


# --- the process page's tabs ------------------------------------------------------------


@processes.get("/<int:process_id>/")
@require("processes.view")
def show(process_id: int):
    process = _process_or_404(process_id)
    board = service.board(process, with_checklists=True)
    return render("processes/overview.html", process=process, board=board, tabs=process_tabs(process), active="overview")


def _plan_page(process, activity_form=None, status=200):
    board = service.board(process, with_checklists=True)
    if activity_form is None:
        activity_form = ActivityForm(formdata=None, phase_id=process.current_phase_id)
    activity_form.fill_choices(board.phases, service.participant_choices())
    checklist_forms = {phase.id: ChecklistItemForm(formdata=None, prefix=f"c{phase.id}") for phase in board.phases}
    return render("processes/plan.html", process=process, board=board, form=activity_form, tabs=process_tabs(process),
                  active="plan", checklist_forms=checklist_forms, manage=can("processes.manage"), status=status)


@processes.get("/<int:process_id>/plan")
@require("processes.view")
def plan(process_id: int):
    return _plan_page(_process_or_404(process_id))


@processes.post("/<int:process_id>/activities")
@require("processes.manage")
def create_activity(process_id: int):
    process = _process_or_404(process_id)
    form = ActivityForm()
    form.fill_choices(service.phases_of(process), service.participant_choices())
    if form.validate_on_submit():
        try:
            activity = service.create_activity(process, form.values())
        except ProcessError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is added to the plan.", title=activity.title), "success")
            return redirect(url_for("processes.plan", process_id=process.id) + f"#activity-{activity.id}")
    return _plan_page(process, activity_form=form, status=422)


@processes.route("/<int:process_id>/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@require("processes.view")
def edit_activity(process_id: int, activity_id: int):
    process = _process_or_404(process_id)
    activity = _activity_or_404(process, activity_id)
    if request.method == "POST" and not can("processes.manage"):
        abort(403)
    form = ActivityForm(obj=activity)
    form.fill_choices(service.phases_of(process), service.participant_choices())
    status = 200
    if form.validate_on_submit():
        try:
            service.update_activity(process, activity, form.values())
        except ProcessError as error:
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("“%(title)s” is saved.", title=activity.title), "success")
            return redirect(url_for("processes.plan", process_id=process.id) + f"#activity-{activity.id}")
    elif form.is_submitted():
        status = 422
    return render("processes/activity.html", process=process, activity=activity, form=form, tabs=process_tabs(process),
                  active="plan", manage=can("processes.manage"), status=status)


@processes.post("/<int:process_id>/activities/<int:activity_id>/delete")
@require("processes.manage")
def delete_activity(process_id: int, activity_id: int):
    process = _process_or_404(process_id)
    activity = _activity_or_404(process, activity_id)
    title = activity.title
    service.delete_activity(process, activity)
    db.session.commit()
    flash(_("“%(title)s” is deleted.", title=title), "success")
    return redirect(url_for("processes.plan", process_id=process.id))


@processes.post("/<int:process_id>/checklist/<int:item_id>")
@require("processes.manage")
def tick(process_id: int, item_id: int):
    process = _process_or_404(process_id)
    item = service.get_checklist_item(process, item_id) or abort(404)
    service.tick(item, request.form.get("done") == "1", current_user)
    db.session.commit()
    return redirect(url_for("processes.plan", process_id=process.id) + f"#phase-{item.phase_id}")


@processes.post("/<int:process_id>/phases/<int:phase_id>/checklist")
@require("processes.manage")
def add_checklist_item(process_id: int, phase_id: int):
    process = _process_or_404(process_id)
    phase = _phase_or_404(process, phase_id)
    form = ChecklistItemForm(prefix=f"c{phase.id}")
    if form.validate_on_submit():
        service.add_checklist_item(phase, form.text.data)
        db.session.commit()
    else:
        flash(_("Write what is to be done before adding it to the checklist of “%(phase)s”.", phase=phase.name), "danger")
    return redirect(url_for("processes.plan", process_id=process.id) + f"#phase-{phase.id}")


def _decision_choices(process):
    return [("", _("No particular phase"))] + [(p.id, p.name) for p in service.phases_of(process)]


@processes.route("/<int:process_id>/decisions", methods=["GET", "POST"])
@require("processes.view")
def decisions(process_id: int):
    process = _process_or_404(process_id)
    if request.method == "POST" and not can("processes.manage"):
        abort(403)
    form = DecisionForm(phase_id=process.current_phase_id, decided_on=today()) if request.method == "GET" else DecisionForm()
    form.phase_id.choices = _decision_choices(process)
    status = 200
    if form.validate_on_submit():
        try:
            decision = service.record_decision(process, current_user, form.decided_on.data, form.title.data, form.text.data,
                                               form.decided_by.data, form.phase_id.data)
        except ProcessError as error:
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("The decision “%(title)s” is recorded.", title=decision.title), "success")
            return redirect(url_for("processes.decisions", process_id=process.id))
    elif form.is_submitted():
        status = 422
    phase_names = {p.id: p.name for p in service.phases_of(process)}
    return render("processes/decisions.html", process=process, form=form, decisions=service.decisions_of(process),
                  phase_names=phase_names, tabs=process_tabs(process), active="decisions", manage=can("processes.manage"),
                  status=status)


@processes.route("/<int:process_id>/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@require("processes.manage")
def edit_decision(process_id: int, decision_id: int):
    process = _process_or_404(process_id)
    decision = db.session.scalar(select(Decision).where(Decision.id == decision_id, Decision.process_id == process.id)) or abort(404)
    form = DecisionForm(obj=decision)
    form.phase_id.choices = _decision_choices(process)
    status = 200
    if form.validate_on_submit():
        phase = service.get_phase(process, form.phase_id.data) if form.phase_id.data else None
        if form.phase_id.data and phase is None:
            form.phase_id.errors.append(_("That phase no longer exists. Choose another, or none."))
            status = 422
        else:
            decision.decided_on, decision.title = form.decided_on.data, form.title.data
            decision.text, decision.decided_by = form.text.data or None, form.decided_by.data or None
            decision.phase_id = phase.id if phase else None
            from dugnad.audit import record

            record("process.decision_changed", decision, process_id=process.id, title=decision.title)
            db.session.commit()
            flash(_("The decision “%(title)s” is saved.", title=decision.title), "success")
            return redirect(url_for("processes.decisions", process_id=process.id))
    elif form.is_submitted():
        status = 422
    return render("processes/decision.html", process=process, decision=decision, form=form, tabs=process_tabs(process),
                  active="decisions", status=status)


def _history_page(process, form=None, status=200):
    phases = service.phases_of(process)
    if form is None:
        form = MoveForm(formdata=None)
    # nothing chosen beforehand: a hurried submit must not move the process back to phase 1
    form.phase_id.choices = [("", _("Choose a phase"))] + [
        (p.id, p.name + (" – " + _("current phase") if p.id == process.current_phase_id else "")) for p in phases]
    return render("processes/history.html", process=process, form=form, moves=service.history(process),
                  phases=phases, tabs=process_tabs(process), active="history", manage=can("processes.manage"), status=status)


@processes.get("/<int:process_id>/history")
@require("processes.view")
def history(process_id: int):
    return _history_page(_process_or_404(process_id))


@processes.post("/<int:process_id>/move")
@require("processes.manage")
def move(process_id: int):
    process = _process_or_404(process_id)
    form = MoveForm()
    form.phase_id.choices = []
    if form.validate_on_submit():
        try:
            moved = service.move_to(process, form.phase_id.data, form.reason.data, current_user)
        except ProcessError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(direction)s “%(phase)s”.", direction=service.DIRECTIONS[moved.direction], phase=moved.to_name), "success")
            return redirect(url_for("processes.history", process_id=process.id))
    return _history_page(process, form=form, status=422)


# --- shaping: details and phases ------------------------------------------------------------


def _settings_page(process, form=None, add_form=None, status=200):
    form = form or ProcessForm(formdata=None, obj=process)
    add_form = add_form or AddPhaseForm(formdata=None)
    return render("processes/settings.html", process=process, form=form, add_form=add_form,
                  phases=service.phases_of(process), tabs=process_tabs(process), active="settings", status=status)


@processes.route("/<int:process_id>/settings", methods=["GET", "POST"])
@require("processes.manage")
def settings(process_id: int):
    process = _process_or_404(process_id)
    if request.method == "GET":
        return _settings_page(process)
    form = ProcessForm()
    if form.validate_on_submit():
        try:
            service.update_process(process, form.name.data, form.description.data, form.status.data)
        except ProcessError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The process is saved."), "success")
            return redirect(url_for("processes.settings", process_id=process.id))
    return _settings_page(process, form=form, status=422)


@processes.post("/<int:process_id>/phases")
@require("processes.manage")
def add_phase(process_id: int):
    process = _process_or_404(process_id)
    form = AddPhaseForm()
    if form.validate_on_submit():
        try:
            phase = service.add_phase(process, form.name.data)
        except ProcessError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The phase “%(name)s” is added at the end. Describe what it must deliver.", name=phase.name), "success")
            return redirect(url_for("processes.edit_phase", process_id=process.id, phase_id=phase.id))
    return _settings_page(process, add_form=form, status=422)


@processes.route("/<int:process_id>/phases/<int:phase_id>/edit", methods=["GET", "POST"])
@require("processes.manage")
def edit_phase(process_id: int, phase_id: int):
    process = _process_or_404(process_id)
    phase = _phase_or_404(process, phase_id)
    if request.method == "GET":
        form = PhaseForm(formdata=None, obj=phase)
        for key in ("suggested_measures", "key_questions", "responsible_roles"):
            getattr(form, key).data = "\n".join(getattr(phase, key) or [])
    else:
        form = PhaseForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.update_phase(phase, **{k: getattr(form, k).data for k in (
                "name", "desired_result", "suggested_measures", "key_questions", "responsible_roles", "ladder_level")})
        except ProcessError as error:
            show_refusal(form, error)
            status = 422
        else:
            from dugnad.audit import record

            record("process.phase_changed", phase, process_id=process.id, name=phase.name)
            db.session.commit()
            flash(_("The phase “%(name)s” is saved.", name=phase.name), "success")
            return redirect(url_for("processes.show", process_id=process.id) + f"#phase-{phase.id}")
    elif form.is_submitted():
        status = 422
    return render("processes/phase.html", process=process, phase=phase, form=form, tabs=process_tabs(process),
                  active="settings", status=status)


@processes.post("/<int:process_id>/phases/<int:phase_id>/shift")
@require("processes.manage")
def shift_phase(process_id: int, phase_id: int):
    process = _process_or_404(process_id)
    phase = _phase_or_404(process, phase_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    service.shift_phase(phase, -1 if direction == "up" else 1)
    db.session.commit()
    if request.headers.get("HX-Request"):
        return render("processes/settings.html", block="phase_list", process=process,
                      phases=service.phases_of(process), moved=phase.id, direction=direction)
    return redirect(url_for("processes.settings", process_id=process.id) + "#phases-heading")


@processes.post("/<int:process_id>/phases/<int:phase_id>/remove")
@require("processes.manage")
def remove_phase(process_id: int, phase_id: int):
    process = _process_or_404(process_id)
    phase = _phase_or_404(process, phase_id)
    name = phase.name
    try:
        service.remove_phase(process, phase)
    except ProcessError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _settings_page(process, status=409)
    db.session.commit()
    flash(_("The phase “%(name)s” is removed. Its moves stay in the history.", name=name), "success")
    return redirect(url_for("processes.settings", process_id=process.id) + "#phases-heading")
