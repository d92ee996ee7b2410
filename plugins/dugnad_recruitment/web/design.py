"""Designing tracks: the overview (tracks, target groups, personas, worksheets), a new track
from the template, a track's solutions with their 3 days / 3 weeks / 3 months plan, and the
Enkla jobb worksheet that prints."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import ConfirmForm, Refusal, db, participant_choices, render
from dugnad_recruitment import design
from dugnad_recruitment.forms import (
    BundleForm,
    PersonaForm,
    SolutionForm,
    TargetGroupForm,
    TaskForm,
    TrackForm,
    WorksheetForm,
)
from dugnad_recruitment.models import TargetGroup, Track, Worksheet
from dugnad_recruitment.web import fail, get_or_404, must, recruitment


def _overview(status: int = 200, **forms):
    groups = design.target_groups()
    return render("dugnad_recruitment/designs.html", status=status, tracks=design.tracks(), groups=groups,
                  personas=design.personas(), worksheets=design.worksheets(),
                  track_form=forms.get("track_form") or TrackForm(groups=groups, prefix="track", formdata=None),
                  group_form=forms.get("group_form") or TargetGroupForm(prefix="group", formdata=None),
                  persona_form=forms.get("persona_form") or PersonaForm(groups=groups, prefix="persona", formdata=None),
                  worksheet_form=forms.get("worksheet_form") or WorksheetForm(tracks=design.tracks(), prefix="sheet",
                                                                                  formdata=None))


@recruitment.get("/design/")
def designs():
    must("recruitment.design")
    return _overview()


@recruitment.post("/design/tracks")
def new_track():
    must("recruitment.design")
    form = TrackForm(groups=design.target_groups(), prefix="track")
    if form.validate_on_submit():
        try:
            track = design.create_track(form.data, current_user)
            db.session.commit()
            flash(_("The track “%(name)s” is started, with its design process.", name=track.name), "success")
            return redirect(url_for("recruitment.track_design", track_id=track.id))
        except Refusal as error:
            fail(form, error)
    return _overview(422, track_form=form)


@recruitment.post("/design/target-groups")
def new_target_group():
    must("recruitment.design")
    form = TargetGroupForm(prefix="group")
    if form.validate_on_submit():
        try:
            design.save_target_group(None, form.data)
            db.session.commit()
            flash(_("The target group is added."), "success")
            return redirect(url_for("recruitment.designs") + "#groups-heading")
        except Refusal as error:
            fail(form, error)
    return _overview(422, group_form=form)


@recruitment.route("/design/target-groups/<int:group_id>", methods=["GET", "POST"])
def target_group(group_id: int):
    group = get_or_404(TargetGroup, group_id)
    must("recruitment.design")
    form = TargetGroupForm() if request.method == "POST" else TargetGroupForm(obj=group, formdata=None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                design.save_target_group(group, form.data)
                db.session.commit()
                flash(_("The target group is saved."), "success")
                return redirect(url_for("recruitment.designs") + "#groups-heading")
            except Refusal as error:
                fail(form, error)
        status = 422
    return render("dugnad_recruitment/target_group.html", group=group, form=form, status=status)


@recruitment.post("/design/personas")
def new_persona():
    must("recruitment.design")
    form = PersonaForm(groups=design.target_groups(), prefix="persona")
    if form.validate_on_submit():
        try:
            design.add_persona(form.data)
            db.session.commit()
            flash(_("The persona is added."), "success")
            return redirect(url_for("recruitment.designs") + "#personas-heading")
        except Refusal as error:
            fail(form, error)
    return _overview(422, persona_form=form)


def _track_page(track: Track, status: int = 200, form=None):
    groups = design.target_groups()
    solutions = design.solutions(track)
    return render("dugnad_recruitment/track_design.html", status=status, track=track, solutions=solutions,
                  items=design.plan_items([s.id for s in solutions]), groups={g.id: g for g in groups},
                  personas=design.personas([track.target_group_id]) if track.target_group_id else design.personas(),
                  form=form or SolutionForm(groups=groups, owners=participant_choices(), formdata=None,
                                            data={"kind": track.kind}))


@recruitment.get("/design/tracks/<int:track_id>")
def track_design(track_id: int):
    track = get_or_404(Track, track_id)
    must("recruitment.design")
    return _track_page(track)


@recruitment.post("/design/tracks/<int:track_id>/solutions")
def new_solution(track_id: int):
    track = get_or_404(Track, track_id)
    must("recruitment.design")
    form = SolutionForm(groups=design.target_groups(), owners=participant_choices())
    if form.validate_on_submit():
        try:
            solution = design.add_solution(track, form.data)
            db.session.commit()
            flash(_("The solution “%(title)s” is added; its plan is in the process's activities.",
                    title=solution.title), "success")
            return redirect(url_for("recruitment.track_design", track_id=track.id) + f"#solution-{solution.id}")
        except Refusal as error:
            fail(form, error)
    return _track_page(track, 422, form)


@recruitment.post("/design/tracks/<int:track_id>/vote")
def vote(track_id: int):
    """A dot vote, or the criteria matrix, on the track's solutions: a poll of its design process."""
    track = get_or_404(Track, track_id)
    must("recruitment.design")
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            poll = design.vote_on_solutions(track, request.form.get("method", ""), current_user)
            db.session.commit()
            return redirect(url_for("voting.show", poll_id=poll.id))
        except Refusal as error:
            fail(None, error)
    return redirect(url_for("recruitment.track_design", track_id=track.id) + "#solutions-heading")


# --- Enkla jobb --------------------------------------------------------------------------------------


@recruitment.post("/design/worksheets")
def new_worksheet():
    must("recruitment.design")
    form = WorksheetForm(tracks=design.tracks(), prefix="sheet")
    if form.validate_on_submit():
        try:
            sheet = design.create_worksheet(form.data)
            db.session.commit()
            return redirect(url_for("recruitment.worksheet", worksheet_id=sheet.id))
        except Refusal as error:
            fail(form, error)
    return _overview(422, worksheet_form=form)


def _sheet_page(sheet: Worksheet, status: int = 200, task_form=None, bundle_form=None, printing: bool = False):
    tasks = design.tasks(sheet)
    bundle_form = bundle_form or BundleForm(formdata=None, data={"task_ids": [t.id for t in tasks if t.bundled],
                                                                 "job_title": sheet.job_title,
                                                                 "job_summary": sheet.job_summary})
    bundle_form.task_ids.choices = [(t.id, t.text) for t in tasks if t.simple and t.repeatable]
    bundled = [t for t in tasks if t.bundled]
    return render("dugnad_recruitment/worksheet_print.html" if printing else "dugnad_recruitment/worksheet.html",
                  status=status, sheet=sheet, tasks=tasks, bundled=bundled,
                  hours=sum(t.hours_per_week for t in bundled),
                  track=db.session.get(Track, sheet.track_id) if sheet.track_id else None,
                  task_form=task_form or TaskForm(formdata=None), bundle_form=bundle_form)


@recruitment.get("/design/worksheets/<int:worksheet_id>")
def worksheet(worksheet_id: int):
    sheet = get_or_404(Worksheet, worksheet_id)
    must("recruitment.design")
    return _sheet_page(sheet)


@recruitment.get("/design/worksheets/<int:worksheet_id>/print")
def worksheet_print(worksheet_id: int):
    sheet = get_or_404(Worksheet, worksheet_id)
    must("recruitment.design")
    if not sheet.job_title:
        abort(404)
    return _sheet_page(sheet, printing=True)


@recruitment.post("/design/worksheets/<int:worksheet_id>/tasks")
def add_task(worksheet_id: int):
    sheet = get_or_404(Worksheet, worksheet_id)
    must("recruitment.design")
    form = TaskForm()
    if form.validate_on_submit():
        try:
            hours = float(form.hours_per_week.data) if form.hours_per_week.data is not None else None
            design.add_task(sheet, {**form.data, "hours_per_week": hours})
            db.session.commit()
            return redirect(url_for("recruitment.worksheet", worksheet_id=sheet.id) + "#tasks-heading")
        except Refusal as error:
            fail(form, error)
    return _sheet_page(sheet, 422, task_form=form)


@recruitment.post("/design/worksheets/<int:worksheet_id>/bundle")
def bundle(worksheet_id: int):
    sheet = get_or_404(Worksheet, worksheet_id)
    must("recruitment.design")
    form = BundleForm()
    form.task_ids.choices = [(t.id, t.text) for t in design.tasks(sheet)]
    if form.validate_on_submit():
        try:
            hours = design.bundle(sheet, form.task_ids.data or [], form.job_title.data, form.job_summary.data)
            db.session.commit()
            flash(_("The job “%(title)s” bundles %(hours)s hours a week.", title=sheet.job_title,
                    hours=f"{hours:g}"), "success")
            return redirect(url_for("recruitment.worksheet", worksheet_id=sheet.id) + "#job-heading")
        except Refusal as error:
            fail(form, error)
    return _sheet_page(sheet, 422, bundle_form=form)
