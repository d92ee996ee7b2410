"""Events that keep volunteers warm: the list, a new event, who is coming, inviting."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import ConfirmForm, db, local_now, render, show_refusal
from dugnad_volunteers import warmth
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.forms import EventForm
from dugnad_volunteers.web import tabs, volunteers

EVENT_FIELDS = ("title", "kind", "starts_at", "ends_at", "location", "capacity", "description")


def event_or_404(event_id: int):
    return warmth.get_event(event_id) or abort(404)


@volunteers.get("/events/", endpoint="events")
def event_list():
    past = request.args.get("show") == "past"
    return render("dugnad_volunteers/events.html", rows=warmth.events(upcoming=not past), past=past, tabs=tabs("events"))


def _save(form, event=None):
    try:
        if event is None:
            event = warmth.create_event(form.values(), current_user)
        else:
            warmth.update_event(event, form.values())
    except BankError as error:
        show_refusal(form, error)
        return None
    db.session.commit()
    return event


@volunteers.route("/events/new", methods=["GET", "POST"])
def new_event():
    if request.method == "GET":
        start = (local_now() + timedelta(days=14)).replace(hour=18, minute=0, second=0)
        form = EventForm(formdata=None, data={"starts_at": start, "ends_at": start + timedelta(hours=2)})
    else:
        form = EventForm()
    if form.validate_on_submit():
        event = _save(form)
        if event is not None:
            flash(_("The event is saved. Invite the volunteers when you are ready."), "success")
            return redirect(url_for("volunteers.event", event_id=event.id))
    return render("dugnad_volunteers/event_form.html", form=form, event=None, tabs=tabs("events"),
                  status=422 if form.is_submitted() else 200)


@volunteers.get("/events/<int:event_id>")
def event(event_id: int):
    event = event_or_404(event_id)
    return render("dugnad_volunteers/event.html", event=event, counts=warmth.counts(event),
                  attendees=warmth.attendees(event), confirm=ConfirmForm(), started=event.starts_at <= local_now(),
                  tabs=tabs("events"))


@volunteers.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    event = event_or_404(event_id)
    form = EventForm(formdata=None, data={k: getattr(event, k) for k in EVENT_FIELDS}) if request.method == "GET" else EventForm()
    if form.validate_on_submit():
        if _save(form, event) is not None:
            flash(_("Saved."), "success")
            return redirect(url_for("volunteers.event", event_id=event.id))
    return render("dugnad_volunteers/event_form.html", form=form, event=event, tabs=tabs("events"),
                  status=422 if form.is_submitted() else 200)


@volunteers.post("/events/<int:event_id>/invite")
def invite(event_id: int):
    event = event_or_404(event_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        warmth.invite(event)
    except BankError as error:
        show_refusal(None, error)
    else:
        db.session.commit()
        flash(_("Invitations are on their way to every approved volunteer who is not on a break."), "success")
    return redirect(url_for("volunteers.event", event_id=event.id))


@volunteers.post("/events/<int:event_id>/cancel")
def cancel_event(event_id: int):
    event = event_or_404(event_id)
    ConfirmForm().validate_on_submit() or abort(400)
    warmth.cancel_event(event)
    db.session.commit()
    flash(_("The event is cancelled. Those invited are told."), "success")
    return redirect(url_for("volunteers.event", event_id=event.id))
