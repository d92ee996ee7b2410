"""What every workshop page shares: looking objects up (404 for another municipality's
ids, before anything else), the process tabs and the workshop's own navigation, and
turning a refused change into a form error."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _

from dugnad.sdk import Process, can, db, show_refusal
from dugnad_workshops import series
from dugnad_workshops.models import Workshop


def process_or_404(process_id: int) -> Process:
    process = series.get_process(process_id) or abort(404)
    if series.ensure(process):  # started on the core's pages: its series is made on first sight
        db.session.commit()
    return process


def workshop_or_404(workshop_id: int) -> tuple[Workshop, Process]:
    workshop = series.get_workshop(workshop_id) or abort(404)
    return workshop, series.process_of(workshop)


def process_tabs(process: Process) -> list[tuple[str, str, str]]:
    from dugnad.sdk import process_tabs as tabs

    return tabs(process)


def workshop_nav(workshop: Workshop, manage: bool) -> list[tuple[str, str, str]]:
    """(key, label, url) of the parts of one workshop, in the order they happen."""
    items = []
    if manage:
        items += [("invitations", _("Invitations"), url_for("workshops.invitations", workshop_id=workshop.id)),
                  ("room", _("Room and tables"), url_for("workshops.room", workshop_id=workshop.id))]
    if can("workshops.facilitate"):  # a link is shown only to those it opens for
        items += [("checkin", _("At the door"), url_for("workshops.checkin", workshop_id=workshop.id)),
                  ("tables", _("Table tablets"), url_for("workshops.tables", workshop_id=workshop.id))]
    items += [("plenary", _("Plenary") if workshop.number == 1 else _("Action plan"),
               url_for("workshops.plenary", workshop_id=workshop.id)),
              ("summary", _("Summary"), url_for("workshops.summary", workshop_id=workshop.id))]
    return items


fail = show_refusal  # a refused change: message at its field, nothing saved


def participant_choices(blank: str | None = None) -> list[tuple]:
    from dugnad.sdk import participant_choices as choices

    return ([("", blank)] if blank else []) + choices()
