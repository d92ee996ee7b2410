"""Pages for people without an account, opened from their e-mail: answering an invitation
yes or no (and, once placed, seeing one's own schedule), and handing in homework.

The link itself is the key (signed, bound to the municipality): it shows only that one
person's invitation or homework. A link that is wrong, or of another municipality,
answers 404 with a short explanation and reveals nothing."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dugnad.sdk import db, render
from dugnad_workshops import homework, links, room, series
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.forms import AnswerForm, FindingsForm
from dugnad_workshops.invitations import respond
from dugnad_workshops.models import RESPONSES, Attendance
from dugnad_workshops.views import public


def _not_found():
    return render("dugnad_workshops/public/link_problem.html", status=404)


def _attendance(token: str) -> Attendance | None:
    attendance_id = links.read(links.ANSWER, token)
    if attendance_id is None:
        return None
    return db.session.scalar(select(Attendance).where(Attendance.id == attendance_id)
                             .options(selectinload(Attendance.participant)))


def _answer_page(attendance, token, form=None, status=200):
    workshop = series.get_workshop(attendance.workshop_id)
    process = series.process_of(workshop)
    tables = room.tables_of(workshop)
    grid = room.grid(workshop, tables)
    mine = [(r, grid.table_of(r, attendance.participant_id)) for r in range(len(grid.rounds))]
    by_id = {t.id: t for t in tables}
    return render("dugnad_workshops/public/answer.html", attendance=attendance, workshop=workshop, process=process,
                  activity=series.activity_of(workshop), preparation=(series.series_of(process).preparation or ""),
                  schedule=[(r, by_id.get(t)) for r, t in mine if t is not None], themes=room.themes_by_id(workshop),
                  form=form or AnswerForm(formdata=None), token=token, title=series.title_of(workshop, process),
                  RESPONSES=RESPONSES, status=status)


@public.get("/answer/<rsvp_token>")
def answer(rsvp_token: str):
    attendance = _attendance(rsvp_token)
    if attendance is None:
        return _not_found()
    return _answer_page(attendance, rsvp_token)


@public.post("/answer/<rsvp_token>")
def give_answer(rsvp_token: str):
    attendance = _attendance(rsvp_token)
    if attendance is None:
        return _not_found()
    workshop = series.get_workshop(attendance.workshop_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _answer_page(attendance, rsvp_token, form=form, status=422)
    if workshop.status == "held":
        flash(_("The workshop has been held, so the answer can no longer be changed."), "warning")
        return _answer_page(attendance, rsvp_token, status=409)
    try:
        respond(attendance, form.answer.data)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _answer_page(attendance, rsvp_token, status=422)
    db.session.commit()
    flash(_("Thank you! We look forward to seeing you.") if attendance.response == "yes"
          else _("Thank you for letting us know. You are welcome another time."), "success")
    return redirect(url_for("workshops_public.answer", rsvp_token=rsvp_token))


# --- homework ------------------------------------------------------------------------------------


def _homework(token: str):
    homework_id = links.read(links.HOMEWORK, token)
    return homework.get_homework(homework_id) if homework_id is not None else None


def _homework_page(item, token, form=None, status=200):
    solution = homework.solution_of(item)
    return render("dugnad_workshops/public/homework.html", item=item, solution=solution, token=token,
                  form=form or FindingsForm(formdata=None, obj=item), status=status)


@public.get("/homework/<homework_token>")
def hand_in(homework_token: str):
    item = _homework(homework_token)
    if item is None:
        return _not_found()
    return _homework_page(item, homework_token)


@public.post("/homework/<homework_token>")
def handed_in(homework_token: str):
    item = _homework(homework_token)
    if item is None:
        return _not_found()
    form = FindingsForm()
    if form.validate_on_submit():
        try:
            homework.submit(item, form.findings.data)
        except WorkshopError as error:
            db.session.rollback()
            form.findings.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Thank you! Your findings are handed in. You can change them here until workshop 2."), "success")
            return redirect(url_for("workshops_public.hand_in", homework_token=homework_token))
    return _homework_page(item, homework_token, form=form, status=422)
