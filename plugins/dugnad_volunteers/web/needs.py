"""The coordinator's pages about needs: the list, a new need, a need with its matches
(why each volunteer matches and what they lack), asking, cancelling, done and hours."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import ConfirmForm, db, local_now, render, show_refusal
from dugnad_volunteers import configuration, handoffs, matching, needs
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.forms import AskForm, CancelForm, NeedForm
from dugnad_volunteers.web import tabs, volunteers


NEED_FIELDS = ("title", "role_id", "starts_at", "ends_at", "location", "area_id", "language", "qualification",
               "volunteers_needed", "description")


def need_or_404(need_id: int):
    return needs.get(need_id) or abort(404)


def _assignment_or_404(need, assignment_id: int):
    assignment = needs.get_assignment(assignment_id)
    if assignment is None or assignment.need_id != need.id:
        abort(404)
    return assignment


@volunteers.get("/needs/", endpoint="needs")
def need_list():
    past = request.args.get("show") == "past"
    return render("dugnad_volunteers/needs.html", rows=needs.need_rows(upcoming=not past), past=past, tabs=tabs("needs"))


def _form(**kwargs):
    """The need form; pass ``formdata=None, data=…`` to show values instead of what was posted."""
    return NeedForm(configuration.roles(), configuration.areas(), **kwargs)


@volunteers.route("/needs/new", methods=["GET", "POST"])
def new_need():
    if request.method == "GET":
        start = local_now().replace(minute=0, second=0) + timedelta(days=1, hours=1)
        form = _form(data={"starts_at": start, "ends_at": start + timedelta(hours=2),
                           "volunteers_needed": 1, "language_level": "2"}, formdata=None)
    else:
        form = _form()
    status = 200
    if form.validate_on_submit():
        try:
            need = needs.create(form.values(), current_user)
        except BankError as error:
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("The need is saved. These volunteers match it."), "success")
            return redirect(url_for("volunteers.need", need_id=need.id))
    elif form.is_submitted():
        status = 422
    return render("dugnad_volunteers/need_form.html", form=form, need=None, roles=configuration.roles(),
                  tabs=tabs("needs"), status=status)


def _need_page(need, ask_form=None, cancel_form=None, status=200):
    role = needs.role_of(need)
    match = matching.suggest(need, role) if need.status == "open" and need.starts_at > local_now() else None
    assignments = needs.assignments_of(need)
    accepted = sum(1 for assignment, _volunteer in assignments if assignment.status in ("accepted", "done"))
    return render("dugnad_volunteers/need.html", need=need, role=role, area=configuration.get_area(need.area_id),
                  match=match, assignments=assignments, accepted=accepted,
                  ask_form=ask_form or AskForm(formdata=None), cancel_form=cancel_form or CancelForm(formdata=None),
                  confirm=ConfirmForm(), started=need.starts_at <= local_now(), tabs=tabs("needs"), status=status,
                  came_from=handoffs.origin_note(need))


@volunteers.get("/needs/<int:need_id>")
def need(need_id: int):
    return _need_page(need_or_404(need_id))


@volunteers.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
def edit_need(need_id: int):
    need = need_or_404(need_id)
    if request.method == "GET":
        form = _form(data={**{key: getattr(need, key) for key in NEED_FIELDS},
                           "language_level": str(need.language_level or 2)}, formdata=None)
    else:
        form = _form()
    status = 200
    if form.validate_on_submit():
        try:
            changed = needs.update(need, form.values())
        except BankError as error:
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("volunteers.need", need_id=need.id))
    elif form.is_submitted():
        status = 422
    return render("dugnad_volunteers/need_form.html", form=form, need=need, roles=configuration.roles(),
                  tabs=tabs("needs"), status=status)


@volunteers.post("/needs/<int:need_id>/ask")
def ask(need_id: int):
    need = need_or_404(need_id)
    form = AskForm()
    if form.validate_on_submit():
        try:
            asked = needs.ask(need, [i for i in form.volunteer_ids.data or [] if i is not None], current_user)
        except BankError as error:
            show_refusal(form, error, "volunteer_ids")
        else:
            db.session.commit()
            flash(_("Asked %(n)s by e-mail. You see here when they answer.", n=len(asked)), "success")
            return redirect(url_for("volunteers.need", need_id=need.id) + "#answers-heading")
    return _need_page(need, ask_form=form, status=422)


@volunteers.post("/needs/<int:need_id>/cancel")
def cancel_need(need_id: int):
    need = need_or_404(need_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            needs.cancel(need, form.reason.data)
        except BankError as error:
            show_refusal(form, error, "reason")
        else:
            db.session.commit()
            flash(_("The need is cancelled. Those who were asked are told."), "success")
            return redirect(url_for("volunteers.need", need_id=need.id))
    return _need_page(need, cancel_form=form, status=422)


def _minutes_from_form(assignments) -> dict[int, int | None]:
    """Hours typed per volunteer (comma or point), as minutes; empty means the need's length."""
    minutes: dict[int, int | None] = {}
    for assignment, _volunteer in assignments:
        raw = (request.form.get(f"hours-{assignment.id}") or "").strip().replace(",", ".")
        if not raw:
            minutes[assignment.id] = None
            continue
        try:
            minutes[assignment.id] = round(float(raw) * 60)
        except ValueError:
            raise BankError(_("Write the hours as a number, like 2 or 1,5."), "minutes") from None
    return minutes


@volunteers.post("/needs/<int:need_id>/done")
def complete(need_id: int):
    need = need_or_404(need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        done = needs.complete(need, _minutes_from_form(needs.assignments_of(need)))
    except BankError as error:
        show_refusal(None, error)
        return _need_page(need, status=422 if error.status == 422 else error.status)
    db.session.commit()
    flash(_("Done. Hours are recorded for %(n)s volunteers. Thank them!", n=done), "success")
    return redirect(url_for("volunteers.need", need_id=need.id))


@volunteers.post("/needs/<int:need_id>/assignments/<int:assignment_id>/withdraw")
def withdraw(need_id: int, assignment_id: int):
    need = need_or_404(need_id)
    assignment = _assignment_or_404(need, assignment_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        needs.withdraw_ask(assignment)
    except BankError as error:
        show_refusal(None, error)
        return _need_page(need, status=error.status)
    db.session.commit()
    flash(_("The request is taken back and the volunteer is told."), "success")
    return redirect(url_for("volunteers.need", need_id=need.id) + "#answers-heading")


@volunteers.post("/needs/<int:need_id>/assignments/<int:assignment_id>/hours")
def hours(need_id: int, assignment_id: int):
    need = need_or_404(need_id)
    assignment = _assignment_or_404(need, assignment_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        minutes = _minutes_from_form([(assignment, None)]).get(assignment.id)
        needs.set_minutes(assignment, minutes)
    except BankError as error:
        show_refusal(None, error)
        return _need_page(need, status=error.status)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("volunteers.need", need_id=need.id) + "#answers-heading")
