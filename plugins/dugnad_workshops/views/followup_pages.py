"""Between and after the workshops: homework for each solution that went on, and each
workshop's summary (previewed, printable, sent once)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from dugnad.sdk import can, ConfirmForm, db, render, require, today
from dugnad_workshops import homework, series, summaries, tablework
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.forms import FindingsForm, HomeworkForm, SummaryForm
from dugnad_workshops.models import CHECKS
from dugnad_workshops.views import workshops
from dugnad_workshops.views.common import fail, participant_choices, process_or_404, process_tabs, workshop_nav, workshop_or_404


def _homework_form(formdata=..., obj=None, prefix="", choices=None) -> HomeworkForm:
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = HomeworkForm(obj=obj, prefix=prefix, **kwargs)
    form.owner_id.choices = choices if choices is not None else participant_choices(_("Choose…"))
    if obj is not None and formdata is None:
        form.questions.data = "\n".join(obj.questions or [])
    return form


def _homework_page(process, failed=None, status=200):
    chosen = tablework.solutions_of(process.id, chosen=True)
    given = homework.by_solution(process.id)
    second = series.workshops_of(process)[1]
    meeting = series.activity_of(second)
    choices = participant_choices(_("Choose…"))
    forms = {s.id: _homework_form(formdata=None, prefix=f"h{s.id}", choices=choices) for s in chosen if s.id not in given}
    if failed is not None:
        failed[1].owner_id.choices = choices
        forms[failed[0]] = failed[1]
    first = series.workshops_of(process)[0]
    return render("dugnad_workshops/homework.html", process=process, chosen=chosen, given=given, forms=forms,
                  meeting=meeting, first=first, tabs=process_tabs(process), active="workshops.series",
                  manage=can("workshops.manage"), today=today(), status=status)


@workshops.get("/series/<int:process_id>/homework", endpoint="homework")
@require("workshops.view")
def homework_page(process_id: int):
    return _homework_page(process_or_404(process_id))


@workshops.post("/series/<int:process_id>/solutions/<int:solution_id>/homework")
@require("workshops.manage")
def assign_homework(process_id: int, solution_id: int):
    process = process_or_404(process_id)
    solution = tablework.get_solution(process.id, solution_id) or abort(404)
    form = _homework_form(prefix=f"h{solution.id}")
    if form.validate_on_submit():
        try:
            homework.assign(solution, form.owner_id.data, form.questions.data, form.due_date.data)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The homework for “%(title)s” is given; the owner gets it by e-mail with a link to hand it in.",
                    title=solution.title), "success")
            return redirect(url_for("workshops.homework", process_id=process.id) + f"#solution-{solution.id}")
    return _homework_page(process, failed=(solution.id, form), status=422)


def _homework_or_404(process, homework_id: int):
    item = homework.get_homework(homework_id) or abort(404)
    if homework.solution_of(item).process_id != process.id:
        abort(404)
    return item


@workshops.route("/series/<int:process_id>/homework/<int:homework_id>/edit", methods=["GET", "POST"])
@require("workshops.manage")
def edit_homework(process_id: int, homework_id: int):
    process = process_or_404(process_id)
    item = _homework_or_404(process, homework_id)
    solution = homework.solution_of(item)
    form = _homework_form(formdata=None, obj=item) if request.method == "GET" else _homework_form()
    findings = FindingsForm(formdata=None, obj=item, prefix="f")
    status = 200
    if form.validate_on_submit():
        try:
            homework.update(item, form.owner_id.data, form.questions.data, form.due_date.data)
        except WorkshopError as error:
            fail(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("The homework is saved."), "success")
            return redirect(url_for("workshops.homework", process_id=process.id) + f"#solution-{solution.id}")
    elif form.is_submitted():
        status = 422
    return render("dugnad_workshops/homework_edit.html", process=process, item=item, solution=solution, form=form,
                  findings=findings, tabs=process_tabs(process), active="workshops.series", status=status)


@workshops.post("/series/<int:process_id>/homework/<int:homework_id>/findings")
@require("workshops.manage")
def homework_findings(process_id: int, homework_id: int):
    """Findings handed in on the owner's behalf (by phone, on paper)."""
    process = process_or_404(process_id)
    item = _homework_or_404(process, homework_id)
    solution = homework.solution_of(item)
    findings = FindingsForm(prefix="f")
    if findings.validate_on_submit():
        try:
            homework.submit(item, findings.findings.data)
        except WorkshopError as error:
            fail(findings, error)
        else:
            db.session.commit()
            flash(_("The findings are saved."), "success")
            return redirect(url_for("workshops.homework", process_id=process.id) + f"#solution-{solution.id}")
    return render("dugnad_workshops/homework_edit.html", process=process, item=item, solution=solution,
                  form=_homework_form(formdata=None, obj=item), findings=findings, tabs=process_tabs(process),
                  active="workshops.series", status=422)


@workshops.post("/series/<int:process_id>/homework/<int:homework_id>/presented")
@require("workshops.facilitate")
def homework_presented(process_id: int, homework_id: int):
    process = process_or_404(process_id)
    item = _homework_or_404(process, homework_id)
    ConfirmForm().validate_on_submit() or abort(400)
    homework.mark_presented(item, request.form.get("presented") == "1")
    db.session.commit()
    second = series.workshops_of(process)[1]
    return redirect(url_for("workshops.plenary", workshop_id=second.id) + f"#solution-{item.solution_id}")


# --- summaries ----------------------------------------------------------------------------------


def _summary_page(workshop, process, form=None, status=200):
    summary = summaries.get_summary(workshop)
    return render("dugnad_workshops/summary.html", workshop=workshop, process=process, d=summaries.digest(workshop),
                  summary=summary, due=summaries.due(workshop), recipients=summaries.recipients(workshop),
                  form=form or SummaryForm(formdata=None, note=summary.note if summary else None),
                  tabs=process_tabs(process), active="workshops.series", CHECKS=CHECKS,
                  nav=workshop_nav(workshop, can("workshops.manage")), nav_active="summary",
                  title=series.title_of(workshop, process), manage=can("workshops.manage"), status=status)


@workshops.get("/<int:workshop_id>/summary", endpoint="summary")
@require("workshops.view")
def summary_page(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    return _summary_page(workshop, process)


@workshops.post("/<int:workshop_id>/summary")
@require("workshops.manage")
def send_summary(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    form = SummaryForm()
    if form.validate_on_submit():
        try:
            count = summaries.request_sending(workshop, form.note.data, current_user)
        except WorkshopError as error:
            fail(form, error)
            return _summary_page(workshop, process, form=form, status=error.status)
        db.session.commit()
        flash(ngettext("The summary is on its way to %(num)s person.", "The summary is on its way to %(num)s people.", count),
              "success")
        return redirect(url_for("workshops.summary", workshop_id=workshop.id))
    return _summary_page(workshop, process, form=form, status=422)
