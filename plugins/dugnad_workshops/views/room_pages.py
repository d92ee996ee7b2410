"""The room: tables, rotations and the placement; at the door (check-in, late arrivals,
re-balance, the rounds); printable table cards and personal schedules."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from dugnad.sdk import can, CATEGORIES, ConfirmForm, db, render, require, same_for_person
from dugnad_workshops import invitations, room, series
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.forms import LateForm, PresenceForm, RotationsForm, TableForm
from dugnad_workshops.models import PRESENCE, RESPONSES
from dugnad_workshops.views import workshops
from dugnad_workshops.views.common import fail, participant_choices, process_tabs, workshop_nav, workshop_or_404


def _table_form(workshop, process, formdata=..., obj=None, themes=None) -> TableForm:
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = TableForm(obj=obj, **kwargs)
    themes = series.themes_of(process) if themes is None else themes
    form.theme_id.choices = [("", _("No theme yet"))] + [(t.id, t.question) for t in themes]
    form.facilitator_id.choices = participant_choices(_("Choose…"))
    return form


def _common(workshop, process, key):
    return dict(workshop=workshop, process=process, tabs=process_tabs(process), active="workshops.series",
                nav=workshop_nav(workshop, can("workshops.manage")), nav_active=key,
                title=series.title_of(workshop, process), manage=can("workshops.manage"))


def _room_page(workshop, process, table_form=None, rotations_form=None, status=200):
    # plain rows, and the grid with its seating kept per version of the room (``room.room_plan``)
    tables = room.room_tables(workshop)
    people = room.in_room_rows(workshop, tables)
    grid, seating = room.room_plan(workshop, tables, people)
    other = next(w for w in series.workshops_of(process) if w.id != workshop.id)
    themes = series.themes_of(process)
    return render(
        "dugnad_workshops/room.html", tables=tables, themes={t.id: t for t in themes}, grid=grid, seating=seating,
        people=people, other=other, can_copy=not tables and bool(room.tables_of(other)),
        table_form=table_form or _table_form(workshop, process, formdata=None, themes=themes),
        rotations_form=rotations_form or RotationsForm(formdata=None, rotations=workshop.rotations),
        CATEGORIES=CATEGORIES, status=status, **_common(workshop, process, "room"))


@workshops.get("/<int:workshop_id>/room", endpoint="room")
@require("workshops.manage")
@same_for_person  # rendered again after any write in the municipality (a seat, a table, a check-in)
def room_page(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    return _room_page(workshop, process)


@workshops.post("/<int:workshop_id>/tables")
@require("workshops.manage")
def add_table(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    form = _table_form(workshop, process)
    if form.validate_on_submit():
        try:
            table = room.add_table(workshop, name=form.name.data, theme_id=form.theme_id.data,
                                   facilitator_id=form.facilitator_id.data, seats=form.seats.data)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("“%(table)s” is added.", table=table.name), "success")
            return redirect(url_for("workshops.room", workshop_id=workshop.id) + "#tables-heading")
    return _room_page(workshop, process, table_form=form, status=422)


@workshops.route("/<int:workshop_id>/tables/<int:table_id>/edit", methods=["GET", "POST"])
@require("workshops.manage")
def edit_table(workshop_id: int, table_id: int):
    workshop, process = workshop_or_404(workshop_id)
    table = room.get_table(workshop, table_id) or abort(404)
    form = _table_form(workshop, process, formdata=None, obj=table) if request.method == "GET" else _table_form(workshop, process)
    status = 200
    if form.validate_on_submit():
        try:
            room.update_table(workshop, table, name=form.name.data, theme_id=form.theme_id.data,
                              facilitator_id=form.facilitator_id.data, seats=form.seats.data)
        except WorkshopError as error:
            fail(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("“%(table)s” is saved. Place people again if the seats changed.", table=table.name), "success")
            return redirect(url_for("workshops.room", workshop_id=workshop.id) + "#tables-heading")
    elif form.is_submitted():
        status = 422
    return render("dugnad_workshops/table_edit.html", table=table, form=form, status=status,
                  **_common(workshop, process, "room"))


@workshops.post("/<int:workshop_id>/tables/<int:table_id>/remove")
@require("workshops.manage")
def remove_table(workshop_id: int, table_id: int):
    workshop, _process = workshop_or_404(workshop_id)
    table = room.get_table(workshop, table_id) or abort(404)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        room.remove_table(workshop, table)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("The table is removed. Place people again to fill the other tables."), "success")
    return redirect(url_for("workshops.room", workshop_id=workshop.id) + "#tables-heading")


@workshops.post("/<int:workshop_id>/tables/copy")
@require("workshops.manage")
def copy_tables(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    ConfirmForm().validate_on_submit() or abort(400)
    other = next(w for w in series.workshops_of(process) if w.id != workshop.id)
    try:
        count = room.copy_tables(other, workshop)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(ngettext("%(num)s table is copied, with its theme and facilitator.",
                       "%(num)s tables are copied, with their themes and facilitators.", count), "success")
    return redirect(url_for("workshops.room", workshop_id=workshop.id) + "#tables-heading")


@workshops.post("/<int:workshop_id>/rotations")
@require("workshops.manage")
def rotations(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    form = RotationsForm()
    if form.validate_on_submit():
        try:
            series.set_rotations(workshop, form.rotations.data)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The number of rotations is saved. Place people again to plan the rounds."), "success")
            return redirect(url_for("workshops.room", workshop_id=workshop.id) + "#placement-heading")
    return _room_page(workshop, process, rotations_form=form, status=422)


@workshops.post("/<int:workshop_id>/place")
@require("workshops.facilitate")
def place(workshop_id: int):
    """Place people (before the workshop) or re-balance (at the door, or between rounds)."""
    workshop, process = workshop_or_404(workshop_id)
    ConfirmForm().validate_on_submit() or abort(400)
    back = request.form.get("back") == "checkin"
    try:
        placed = room.place_people(workshop)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        if back:
            return _checkin_page(workshop, process, status=422)
        return _room_page(workshop, process, status=422)
    db.session.commit()
    people = len(placed.plan.rounds[-1]) if placed.plan.rounds else 0
    if placed.held:
        message = _("Re-balanced from round %(round)s: %(people)s people at the tables; %(moved)s seats changed.",
                    round=placed.held + 1, people=people, moved=placed.moved)
    else:
        message = ngettext("%(num)s person is placed for %(rounds)s rounds.", "%(num)s people are placed for %(rounds)s rounds.",
                           people, rounds=workshop.rotations + 1)
    flash(message, "success")
    if placed.plan.repeats:
        flash(ngettext("%(num)s person has to sit at a table a second time: the room has too few tables for the rounds.",
                       "%(num)s people have to sit at a table a second time: the room has too few tables for the rounds.",
                       len({p for p, _t in placed.plan.repeats})), "warning")
    if not placed.plan.regular:
        flash(_("The tables have uneven seats for this many people, so the categories cannot be spread evenly everywhere."),
              "warning")
    target = "workshops.checkin" if back else "workshops.room"
    return redirect(url_for(target, workshop_id=workshop.id) + "#placement-heading")


# --- at the door ----------------------------------------------------------------------------------


def _checkin_page(workshop, process, late_form=None, status=200):
    attending = invitations.attendance_of(workshop)
    tables = room.tables_of(workshop)
    hosts = {t.facilitator_id for t in tables}
    on_list = {a.participant_id for a in attending}
    if late_form is None:
        late_form = LateForm(formdata=None)
    late_form.participant_id.choices = [("", _("Choose…"))] + [
        (pid, name) for pid, name in participant_choices() if pid not in hosts and
        pid not in {a.participant_id for a in attending if a.presence == "present"}]
    grid = room.grid(workshop, tables, room.in_room(workshop, attending, tables))
    round_ = workshop.current_round if workshop.status == "running" else 0
    return render(
        "dugnad_workshops/checkin.html", attending=[a for a in attending if a.participant_id not in hosts],
        tables=tables, grid=grid, round_=round_, late_form=late_form, on_list=on_list,
        RESPONSES=RESPONSES, PRESENCE=PRESENCE, status=status, **_common(workshop, process, "checkin"))


@workshops.get("/<int:workshop_id>/checkin", endpoint="checkin")
@require("workshops.facilitate")
def checkin_page(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    return _checkin_page(workshop, process)


@workshops.post("/<int:workshop_id>/checkin/<int:attendance_id>")
@require("workshops.facilitate")
def presence(workshop_id: int, attendance_id: int):
    workshop, process = workshop_or_404(workshop_id)
    attendance = invitations.get_attendance(workshop, attendance_id) or abort(404)
    form = PresenceForm()
    form.validate_on_submit() or abort(400)
    try:
        room.check_in(attendance, form.presence.data or None)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _checkin_page(workshop, process, status=422)
    db.session.commit()
    if request.headers.get("HX-Request"):
        return render("dugnad_workshops/checkin.html", block="person", a=attendance, workshop=workshop,
                      RESPONSES=RESPONSES, PRESENCE=PRESENCE)
    return redirect(url_for("workshops.checkin", workshop_id=workshop.id) + f"#attendance-{attendance.id}")


@workshops.post("/<int:workshop_id>/checkin/late")
@require("workshops.facilitate")
def late(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    form = LateForm()
    form.participant_id.choices = []
    if form.validate_on_submit():
        try:
            room.arrive_late(workshop, form.participant_id.data)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            from dugnad.sdk import participants

            flash(_("%(name)s is here. Re-balance to give them a seat.",
                    name=participants.get(form.participant_id.data).name), "success")
            return redirect(url_for("workshops.checkin", workshop_id=workshop.id) + "#rebalance-heading")
    return _checkin_page(workshop, process, late_form=form, status=422)


@workshops.post("/<int:workshop_id>/round")
@require("workshops.facilitate")
def run(workshop_id: int):
    """Start the workshop, move on to the next rotation, or close it."""
    workshop, process = workshop_or_404(workshop_id)
    ConfirmForm().validate_on_submit() or abort(400)
    step = request.form.get("step")
    actions = {"start": room.start_workshop, "next": room.next_round, "finish": room.finish_workshop}
    if step not in actions:
        abort(400)
    try:
        actions[step](workshop)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _checkin_page(workshop, process, status=422)
    db.session.commit()
    if step == "finish":
        flash(_("The workshop is closed. Send the summary within a day."), "success")
        return redirect(url_for("workshops.summary", workshop_id=workshop.id))
    flash(_("Round %(n)s: everyone to the table on their schedule.", n=workshop.current_round + 1), "success")
    return redirect(url_for("workshops.checkin", workshop_id=workshop.id))


# --- printables -------------------------------------------------------------------------------------


@workshops.get("/<int:workshop_id>/cards")
@require("workshops.facilitate")
def cards(workshop_id: int):
    """A card per table and round: the table, its theme, its facilitator and who sits there."""
    workshop, process = workshop_or_404(workshop_id)
    tables = room.tables_of(workshop)
    return render("dugnad_workshops/cards.html", tables=tables, themes=room.themes_by_id(workshop),
                  grid=room.grid(workshop, tables), **_common(workshop, process, "room"))


@workshops.get("/<int:workshop_id>/schedules")
@require("workshops.facilitate")
def schedules(workshop_id: int):
    """One schedule per person: the table for each round, and who facilitates it."""
    workshop, process = workshop_or_404(workshop_id)
    tables = room.tables_of(workshop)
    grid = room.grid(workshop, tables)
    people = sorted({p.id: p for r in grid.rounds for group in r.values() for p in group}.values(),
                    key=lambda p: p.name.lower())
    return render("dugnad_workshops/schedules.html", tables={t.id: t for t in tables}, themes=room.themes_by_id(workshop),
                  grid=grid, people=people, activity=series.activity_of(workshop), **_common(workshop, process, "room"))
