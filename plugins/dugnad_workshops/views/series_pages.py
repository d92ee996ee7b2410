"""The list of series, starting one, the dashboard widget, and a series' own page:
themes (innovation questions), preparatory material, and the two workshops' times."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from dugnad.sdk import can, ConfirmForm, db, local_now, render, require, same_for_role
from dugnad_workshops import handoffs, invitations, questions, series
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.forms import PreparationForm, ScheduleForm, StartForm, ThemeForm
from dugnad_workshops.models import AREAS, WORKSHOP_STATUSES, Attendance, Homework, Pilot, Solution, Summary, Workshop
from dugnad_workshops.views import workshops
from dugnad_workshops.views.common import fail, process_or_404, process_tabs, workshop_or_404


def _overview_rows():
    """Every series with its two workshops (and their times) and counts, in a fixed number of queries."""
    processes = series.series_processes()
    ids = [p.id for p in processes]
    workshops_by = {}
    for w in db.session.scalars(select(Workshop).where(Workshop.process_id.in_(ids)).order_by(Workshop.number)):
        workshops_by.setdefault(w.process_id, []).append(w)
    activities = series.activities_of([w for group in workshops_by.values() for w in group])
    pilots = dict(db.session.execute(select(Pilot.process_id, func.count()).where(Pilot.process_id.in_(ids))
                                     .group_by(Pilot.process_id)).all())
    coming = dict(db.session.execute(
        select(Workshop.process_id, func.count()).join(Attendance, (Attendance.workshop_id == Workshop.id)
                                                       & (Attendance.tenant_id == Workshop.tenant_id))
        .where(Workshop.process_id.in_(ids), Workshop.number == 1, Attendance.response == "yes")
        .group_by(Workshop.process_id)).all())
    return [(p, workshops_by.get(p.id, []), pilots.get(p.id, 0), coming.get(p.id, 0)) for p in processes], activities


@workshops.get("/")
@require("workshops.view")
def index():
    rows, activities = _overview_rows()
    return render("dugnad_workshops/index.html", rows=rows, activities=activities, form=StartForm(formdata=None),
                  manage=can("workshops.manage"), STATUSES=WORKSHOP_STATUSES)


@workshops.post("/")
@require("workshops.manage")
def start():
    form = StartForm()
    if form.validate_on_submit():
        try:
            process = series.start(form.name.data, current_user)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("“%(name)s” is started. Write the themes as innovation questions, then invite.", name=process.name),
                  "success")
            return redirect(url_for("workshops.series", process_id=process.id))
    rows, activities = _overview_rows()
    return render("dugnad_workshops/index.html", rows=rows, activities=activities, form=form,
                  manage=True, STATUSES=WORKSHOP_STATUSES, status=422)


@workshops.get("/widget")
@require("workshops.view")
@same_for_role
def widget():
    rows, activities = _overview_rows()
    upcoming = sorted(((activities[w.id], w, p) for p, ws, _n, _c in rows for w in ws
                       if w.id in activities and activities[w.id].starts_at and activities[w.id].starts_at >= local_now()
                       and w.status != "held"), key=lambda item: item[0].starts_at)
    homework_open = db.session.scalar(select(func.count()).select_from(Homework).where(Homework.submitted_at.is_(None)))
    testing = db.session.scalar(select(func.count()).select_from(Pilot).where(Pilot.status.in_(("planned", "testing"))))
    sent = set(db.session.scalars(select(Summary.workshop_id).where(Summary.sent_at.is_not(None))))
    unsent = [(w, p) for p, ws, _n, _c in rows for w in ws if w.status == "held" and w.id not in sent]
    return render("dugnad_workshops/widget.html", rows=rows, upcoming=upcoming[:3], homework_open=homework_open,
                  testing=testing, unsent=unsent)


# --- one series --------------------------------------------------------------------------------


def _series_page(process, theme_form=None, preparation_form=None, status=200):
    workshops_ = series.workshops_of(process)
    activities = series.activities_of(workshops_)
    themes = series.themes_of(process)
    record = series.series_of(process)
    first = workshops_[0]
    attending = invitations.attendance_of(first)
    recruitment = invitations.recruitment(first, process, attending)
    counts = {w.id: dict(db.session.execute(select(Attendance.response, func.count()).where(
        Attendance.workshop_id == w.id).group_by(Attendance.response)).all()) for w in workshops_}
    chosen = db.session.scalar(select(func.count()).select_from(Solution).where(
        Solution.process_id == process.id, Solution.chosen_at.is_not(None)))
    return render(
        "dugnad_workshops/series.html", process=process, tabs=process_tabs(process), active="workshops.series",
        workshops=workshops_, activities=activities, themes=themes, series=record, recruitment=recruitment,
        counts=counts, chosen=chosen, AREAS=AREAS, SUGGESTIONS=questions.QUESTIONS, STATUSES=WORKSHOP_STATUSES,
        theme_form=theme_form or ThemeForm(formdata=None),
        preparation_form=preparation_form or PreparationForm(formdata=None, preparation=record.preparation),
        manage=can("workshops.manage"), status=status, handoffs_panels=handoffs.workshop_panels(workshops_))


@workshops.get("/series/<int:process_id>/", endpoint="series")
@require("workshops.view")
def series_page(process_id: int):
    """The process tab "Workshops"."""
    return _series_page(process_or_404(process_id))


@workshops.post("/series/<int:process_id>/themes")
@require("workshops.manage")
def add_theme(process_id: int):
    process = process_or_404(process_id)
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = series.add_theme(process, form.area.data, form.question.data)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The theme is added: “%(question)s”", question=theme.question), "success")
            return redirect(url_for("workshops.series", process_id=process.id) + "#themes-heading")
    return _series_page(process, theme_form=form, status=422)


@workshops.route("/series/<int:process_id>/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@require("workshops.manage")
def edit_theme(process_id: int, theme_id: int):
    process = process_or_404(process_id)
    theme = series.get_theme(process, theme_id) or abort(404)
    form = ThemeForm(obj=theme) if request.method == "GET" else ThemeForm()
    status = 200
    if form.validate_on_submit():
        try:
            series.update_theme(theme, form.area.data, form.question.data)
        except WorkshopError as error:
            fail(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("The theme is saved."), "success")
            return redirect(url_for("workshops.series", process_id=process.id) + "#themes-heading")
    elif form.is_submitted():
        status = 422
    return render("dugnad_workshops/theme.html", process=process, theme=theme, form=form, tabs=process_tabs(process),
                  active="workshops.series", status=status)


@workshops.post("/series/<int:process_id>/themes/<int:theme_id>/remove")
@require("workshops.manage")
def remove_theme(process_id: int, theme_id: int):
    process = process_or_404(process_id)
    theme = series.get_theme(process, theme_id) or abort(404)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        series.remove_theme(theme)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("The theme is removed."), "success")
    return redirect(url_for("workshops.series", process_id=process.id) + "#themes-heading")


@workshops.post("/series/<int:process_id>/themes/<int:theme_id>/shift")
@require("workshops.manage")
def shift_theme(process_id: int, theme_id: int):
    process = process_or_404(process_id)
    theme = series.get_theme(process, theme_id) or abort(404)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    series.shift_theme(theme, -1 if direction == "up" else 1)
    db.session.commit()
    return redirect(url_for("workshops.series", process_id=process.id) + f"#theme-{theme.id}")


@workshops.post("/series/<int:process_id>/preparation")
@require("workshops.manage")
def preparation(process_id: int):
    process = process_or_404(process_id)
    form = PreparationForm()
    if form.validate_on_submit():
        try:
            series.set_preparation(series.series_of(process), form.preparation.data)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The preparatory material is saved. It goes with every invitation."), "success")
            return redirect(url_for("workshops.series", process_id=process.id) + "#preparation-heading")
    return _series_page(process, preparation_form=form, status=422)


# --- a workshop's time and place ----------------------------------------------------------------


@workshops.route("/<int:workshop_id>/schedule", methods=["GET", "POST"])
@require("workshops.manage")
def schedule(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    activity = series.activity_of(workshop)
    if request.method == "GET":
        form = ScheduleForm(formdata=None, obj=activity) if activity else ScheduleForm(formdata=None)
    else:
        form = ScheduleForm()
    status = 200
    if form.validate_on_submit():
        try:
            series.schedule(workshop, form.starts_at.data, form.ends_at.data, form.location.data)
        except WorkshopError as error:
            fail(form, error)
            status = 422
        else:
            db.session.commit()
            told = _(" Those invited are told of the change.") if workshop.invited_sequence is not None else ""
            flash(_("The time and place are saved, and the workshop is in the process plan.") + told, "success")
            return redirect(url_for("workshops.series", process_id=process.id) + f"#workshop-{workshop.number}")
    elif form.is_submitted():
        status = 422
    return render("dugnad_workshops/schedule.html", process=process, workshop=workshop, activity=activity, form=form,
                  tabs=process_tabs(process), active="workshops.series", title=series.title_of(workshop, process),
                  status=status)
