"""The tablet at each table: who sits here this round, the theme, the needs (recorded and
prioritised), the ideas tied to them and developed into solutions, and the table's picks
for the plenary. In workshop 2 the same page sharpens the solutions that went on and
checks them against rules and budget."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from dugnad.sdk import can, ConfirmForm, db, Participant, render, require
from dugnad_workshops import homework, room, series, tablework
from dugnad_workshops.errors import WorkshopError
from dugnad_workshops.forms import NeedForm, SharpenForm, SolutionForm
from dugnad_workshops.models import CHECKS, Solution, WorkshopTable
from dugnad_workshops.views import workshops
from dugnad_workshops.views.common import fail, process_tabs, workshop_nav, workshop_or_404


def _common(workshop, process, key="tables"):
    return dict(workshop=workshop, process=process, tabs=process_tabs(process), active="workshops.series",
                nav=workshop_nav(workshop, can("workshops.manage")), nav_active=key,
                title=series.title_of(workshop, process), manage=can("workshops.manage"))


def _my_table_id(tables) -> int | None:
    """The table whose facilitator has the logged-in person's e-mail address."""
    email = (current_user.email or "").lower()
    ids = {t.facilitator_id: t.id for t in tables if t.facilitator_id}
    if not ids or not email:
        return None
    mine = db.session.scalar(select(Participant.id).where(Participant.id.in_(ids), Participant.email == email))
    return ids.get(mine)


@workshops.get("/<int:workshop_id>/tables", endpoint="tables")
@require("workshops.facilitate")
def tables_page(workshop_id: int):
    workshop, process = workshop_or_404(workshop_id)
    tables = room.tables_of(workshop)
    return render("dugnad_workshops/tables.html", tables=tables, themes=room.themes_by_id(workshop),
                  mine=_my_table_id(tables), **_common(workshop, process))


def _table_or_404(workshop, table_id: int) -> WorkshopTable:
    return room.get_table(workshop, table_id) or abort(404)


def _solution_form(workshop, needs, formdata=..., obj=None, need_id=None) -> SolutionForm:
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = SolutionForm(obj=obj, **kwargs)
    form.need_id.choices = [("", _("Choose the need…"))] + [(n.id, n.text[:120]) for n in needs]
    if need_id is not None and formdata is None:
        form.need_id.data = need_id
    return form


def _tablet(workshop, process, table, need_form=None, solution_form=None, sharpen_form=None, status=200):
    tables = room.tables_of(workshop)
    themes = room.themes_by_id(workshop)
    grid = room.grid(workshop, tables)
    round_ = workshop.current_round if workshop.status == "running" else 0
    seated = grid.rounds[round_].get(table.id, []) if grid.rounds else []
    context = dict(table=table, theme=themes.get(table.theme_id), round_=round_, seated=seated,
                   status=status, CHECKS=CHECKS, **_common(workshop, process))
    if workshop.number == 2:
        chosen = tablework.solutions_of(process.id, chosen=True)
        first_tables = {t.id: t for t in db.session.scalars(select(WorkshopTable).where(
            WorkshopTable.id.in_([s.table_id for s in chosen])))} if chosen else {}
        ours = [s for s in chosen if table.theme_id and first_tables.get(s.table_id) and
                first_tables[s.table_id].theme_id == table.theme_id]
        others = [s for s in chosen if s not in ours]
        forms = {s.id: SharpenForm(formdata=None, obj=s, prefix=f"s{s.id}") for s in chosen}
        if sharpen_form is not None:
            forms[sharpen_form[0]] = sharpen_form[1]
        return render("dugnad_workshops/tablet2.html", ours=ours, others=others, homework=homework.by_solution(process.id),
                      forms=forms, **context)
    needs = tablework.needs_of(workshop, table)
    all_needs = tablework.needs_of(workshop)
    solutions = tablework.solutions_of(process.id, table=table)
    first_priority = next((n.id for n in needs if n.prioritised), needs[0].id if needs else None)
    return render(
        "dugnad_workshops/tablet.html", needs=needs, solutions=solutions, need_names={n.id: n.text for n in all_needs},
        need_form=need_form or NeedForm(formdata=None),
        solution_form=solution_form or _solution_form(workshop, all_needs, formdata=None, need_id=first_priority),
        vote_open=tablework.plenary_vote_open(workshop), vote_state=_vote_state(workshop), **context)


def _vote_state(workshop) -> str | None:
    from dugnad_workshops.polls import vote_of

    poll = vote_of(workshop)
    return poll.state() if poll else None


@workshops.get("/<int:workshop_id>/tables/<int:table_id>")
@require("workshops.facilitate")
def tablet(workshop_id: int, table_id: int):
    workshop, process = workshop_or_404(workshop_id)
    return _tablet(workshop, process, _table_or_404(workshop, table_id))


def _back(workshop, table_id: int, anchor: str):
    return redirect(url_for("workshops.tablet", workshop_id=workshop.id, table_id=table_id) + anchor)


# --- needs ------------------------------------------------------------------------------------


@workshops.post("/<int:workshop_id>/tables/<int:table_id>/needs")
@require("workshops.facilitate")
def add_need(workshop_id: int, table_id: int):
    workshop, process = workshop_or_404(workshop_id)
    table = _table_or_404(workshop, table_id)
    form = NeedForm()
    if form.validate_on_submit():
        try:
            need = tablework.add_need(workshop, table, form.text.data, current_user)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The need is recorded."), "success")
            return _back(workshop, table.id, f"#need-{need.id}")
    return _tablet(workshop, process, table, need_form=form, status=422)


def _need_or_404(workshop, need_id: int):
    return tablework.get_need(workshop, need_id) or abort(404)


@workshops.route("/<int:workshop_id>/needs/<int:need_id>/edit", methods=["GET", "POST"])
@require("workshops.facilitate")
def edit_need(workshop_id: int, need_id: int):
    workshop, process = workshop_or_404(workshop_id)
    need = _need_or_404(workshop, need_id)
    form = NeedForm(obj=need) if request.method == "GET" else NeedForm()
    status = 200
    if form.validate_on_submit():
        try:
            tablework.update_need(need, form.text.data)
        except WorkshopError as error:
            fail(form, error)
            status = 422
        else:
            db.session.commit()
            return _back(workshop, need.table_id, f"#need-{need.id}")
    elif form.is_submitted():
        status = 422
    return render("dugnad_workshops/need_edit.html", need=need, form=form, status=status, **_common(workshop, process))


@workshops.post("/<int:workshop_id>/needs/<int:need_id>/priority")
@require("workshops.facilitate")
def prioritise(workshop_id: int, need_id: int):
    workshop, _process = workshop_or_404(workshop_id)
    need = _need_or_404(workshop, need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    tablework.prioritise(need, request.form.get("prioritised") == "1")
    db.session.commit()
    return _back(workshop, need.table_id, f"#need-{need.id}")


@workshops.post("/<int:workshop_id>/needs/<int:need_id>/shift")
@require("workshops.facilitate")
def shift_need(workshop_id: int, need_id: int):
    workshop, _process = workshop_or_404(workshop_id)
    need = _need_or_404(workshop, need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    tablework.shift_need(need, -1 if direction == "up" else 1)
    db.session.commit()
    return _back(workshop, need.table_id, f"#need-{need.id}")


@workshops.post("/<int:workshop_id>/needs/<int:need_id>/remove")
@require("workshops.facilitate")
def remove_need(workshop_id: int, need_id: int):
    workshop, _process = workshop_or_404(workshop_id)
    need = _need_or_404(workshop, need_id)
    ConfirmForm().validate_on_submit() or abort(400)
    table_id = need.table_id
    try:
        tablework.remove_need(need)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("The need is removed."), "success")
    return _back(workshop, table_id, "#needs-heading")


# --- ideas and solutions ---------------------------------------------------------------------


def _solution_or_404(workshop, solution_id: int) -> Solution:
    return tablework.get_solution(workshop.process_id, solution_id) or abort(404)


@workshops.post("/<int:workshop_id>/tables/<int:table_id>/ideas")
@require("workshops.facilitate")
def add_idea(workshop_id: int, table_id: int):
    workshop, process = workshop_or_404(workshop_id)
    table = _table_or_404(workshop, table_id)
    form = _solution_form(workshop, tablework.needs_of(workshop))
    if form.validate_on_submit():
        try:
            solution = tablework.add_solution(workshop, table, form.values(), current_user)
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("The idea is recorded."), "success")
            return _back(workshop, table.id, f"#idea-{solution.id}")
    return _tablet(workshop, process, table, solution_form=form, status=422)


@workshops.route("/<int:workshop_id>/ideas/<int:solution_id>/edit", methods=["GET", "POST"])
@require("workshops.facilitate")
def edit_idea(workshop_id: int, solution_id: int):
    workshop, process = workshop_or_404(workshop_id)
    solution = _solution_or_404(workshop, solution_id)
    needs = tablework.needs_of(workshop)
    form = _solution_form(workshop, needs, formdata=None, obj=solution) if request.method == "GET" \
        else _solution_form(workshop, needs)
    status = 200
    if form.validate_on_submit():
        try:
            tablework.update_solution(workshop, solution, form.values())
        except WorkshopError as error:
            fail(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("The idea is saved."), "success")
            return _back(workshop, solution.table_id, f"#idea-{solution.id}")
    elif form.is_submitted():
        status = 422
    return render("dugnad_workshops/idea_edit.html", solution=solution, form=form, status=status,
                  **_common(workshop, process))


@workshops.post("/<int:workshop_id>/ideas/<int:solution_id>/plenary")
@require("workshops.facilitate")
def to_plenary(workshop_id: int, solution_id: int):
    workshop, _process = workshop_or_404(workshop_id)
    solution = _solution_or_404(workshop, solution_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        if request.form.get("send") == "1":
            tablework.send_to_plenary(workshop, solution)
            message = _("“%(title)s” goes to the plenary.", title=solution.title)
        else:
            tablework.take_back(workshop, solution)
            message = _("“%(title)s” is taken back from the plenary.", title=solution.title)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return _back(workshop, solution.table_id, f"#idea-{solution.id}")


@workshops.post("/<int:workshop_id>/ideas/<int:solution_id>/remove")
@require("workshops.facilitate")
def remove_idea(workshop_id: int, solution_id: int):
    workshop, _process = workshop_or_404(workshop_id)
    solution = _solution_or_404(workshop, solution_id)
    ConfirmForm().validate_on_submit() or abort(400)
    table_id = solution.table_id
    try:
        tablework.remove_solution(solution)
    except WorkshopError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("The idea is removed."), "success")
    return _back(workshop, table_id, "#ideas-heading")


@workshops.post("/<int:workshop_id>/tables/<int:table_id>/ideas/<int:solution_id>/sharpen")
@require("workshops.facilitate")
def sharpen(workshop_id: int, table_id: int, solution_id: int):
    """Workshop 2: the solution made concrete and checked against today's rules and budgets."""
    workshop, process = workshop_or_404(workshop_id)
    table = _table_or_404(workshop, table_id)
    solution = _solution_or_404(workshop, solution_id)
    if workshop.number != 2 or solution.chosen_at is None:
        abort(404)
    form = SharpenForm(prefix=f"s{solution.id}")
    if form.validate_on_submit():
        try:
            tablework.sharpen(solution, form.values())
        except WorkshopError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is saved.", title=solution.title), "success")
            return _back(workshop, table.id, f"#solution-{solution.id}")
    return _tablet(workshop, process, table, sharpen_form=(solution.id, form), status=422)
