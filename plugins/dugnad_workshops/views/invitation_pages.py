"""A workshop's invitation list: from the stakeholder analysis or the register, who has
answered what, answers taken by phone, and sending the invitation."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from dugnad.sdk import CATEGORIES, ConfirmForm, db, render, require
from dugnad_workshops import invitations, series
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.forms import AddInviteeForm, AnswerForm
from dugnad_workshops.models import PRESENCE, RESPONSES
from dugnad_workshops.views import workshops
from dugnad_workshops.views.common import fail, process_tabs, workshop_nav, workshop_or_404


def _page(workshop, process, form=None, status=200):
    attending = invitations.attendance_of(workshop)
    on_list = {a.participant_id for a in attending}
    from dugnad_workshops.views.common import participant_choices

    if form is None:
        form = AddInviteeForm(formdata=None)
    form.participant_id.choices = [("", _("Choose…"))] + [(pid, name) for pid, name in participant_choices()
                                                          if pid not in on_list]
    activity = series.activity_of(workshop)
    waiting = [a for a in attending if a.participant.email and a.invited_at is None]
    return render("dugnad_workshops/invitations.html", workshop=workshop, process=process, activity=activity,
                  attending=attending, recruitment=invitations.recruitment(workshop, process, attending), form=form,
                  waiting=waiting, tabs=process_tabs(process), active="workshops.series",
                  nav=workshop_nav(workshop, True), nav_active="invitations", title=series.title_of(workshop, process),
                  RESPONSES=RESPONSES, PRESENCE=PRESENCE, CATEGORIES=CATEGORIES, status=status)


@workshops.get("/<int:workshop_id>/invitations", endpoint="invitations")
@require("workshops.manage")
def invitations_page(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    return _page(workshop, process)


@workshops.post("/<int:workshop_id>/invitations")
@require("workshops.manage")
def add_invitee(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    form = AddInviteeForm()
    form.participant_id.choices = []
    if form.validate_on_submit():
        try:
            added = invitations.add(workshop, [form.participant_id.data])
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Added to the list.") if added else _("They are on the list already."), "success")
            return redirect(url_for("workshops.invitations", workshop_id=workshop.id))
    return _page(workshop, process, form=form, status=422)


@workshops.post("/<int:workshop_id>/invitations/from-analysis")
@require("workshops.manage")
def add_from_analysis(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    ConfirmForm().validate_on_submit() or abort(400)
    wanted = [p.id for p in invitations.recruitment(workshop, process).not_yet_invited]
    added = invitations.add(workshop, wanted) if wanted else 0
    db.session.commit()
    flash(ngettext("%(num)s person from the stakeholder analysis is added to the list.",
                   "%(num)s people from the stakeholder analysis are added to the list.", added), "success")
    return redirect(url_for("workshops.invitations", workshop_id=workshop.id))


@workshops.post("/<int:workshop_id>/invitations/<int:attendance_id>/remove")
@require("workshops.manage")
def remove_invitee(workshop_id: int, attendance_id: int):
    workshop, _process = workshop_or_404(workshop_id)
    attendance = invitations.get_attendance(workshop, attendance_id) or abort(404)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        invitations.remove(attendance)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("Taken off the list."), "success")
    return redirect(url_for("workshops.invitations", workshop_id=workshop.id))


@workshops.post("/<int:workshop_id>/invitations/<int:attendance_id>/answer")
@require("workshops.manage")
def record_answer(workshop_id: int, attendance_id: int):
    """An answer given by phone or in person."""
    workshop, _process = workshop_or_404(workshop_id)
    attendance = invitations.get_attendance(workshop, attendance_id) or abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        invitations.respond(attendance, form.answer.data)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
    return redirect(url_for("workshops.invitations", workshop_id=workshop.id) + f"#attendance-{attendance.id}")


@workshops.post("/<int:workshop_id>/invitations/send")
@require("workshops.manage")
def send_invitations(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        count = invitations.request_sending(workshop)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _page(workshop, process, status=422)
    db.session.commit()
    flash(ngettext("The invitation is on its way to %(num)s person, with the preparatory material and a calendar file.",
                   "The invitation is on its way to %(num)s people, with the preparatory material and a calendar file.",
                   count), "success")
    return redirect(url_for("workshops.invitations", workshop_id=workshop.id))
