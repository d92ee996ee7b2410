"""The handoff pages: the municipality's handoffs, the "Ask for help" form (the receiving
module's short form and a purpose), and one handoff with both sides and its timeline.

The origin object is looked up first (through its module's ``resolve``), so another
municipality's object answers 404; a kind whose module is off here answers 404 too."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from dugnad.accounts.permissions import can, require
from dugnad.extensions import db
from dugnad.handoffs import service
from dugnad.handoffs.models import STATUSES
from dugnad.refusals import show_refusal
from dugnad.registry import HelpKind
from dugnad.web.templating import render

handoffs = Blueprint("handoffs", __name__, url_prefix="/handoffs")

INPUT_TYPES = {"int": "number", "date": "date", "datetime": "datetime-local"}


def anchor(origin_type: str, origin_id: int) -> str:
    """Where an origin's panel is on its page (several may share one)."""
    return f"handoffs-{origin_type.replace('.', '-')}-{origin_id}"


def help_form(kind: HelpKind, data=None) -> FlaskForm:
    """A form with the receiving module's fields and the purpose, built from the kind."""

    class HelpForm(FlaskForm):
        pass

    for f in kind.fields:
        options = dict(label=f.label, description=f.help or "", render_kw={"required": True} if f.required else {})
        if f.kind == "textarea":
            setattr(HelpForm, f.key, TextAreaField(**options))
        elif f.kind == "choice":
            choices = ([] if f.required else [("", _("(none)"))]) + service.choices_of(f)
            setattr(HelpForm, f.key, SelectField(choices=choices, validate_choice=False, **options))
        else:
            if f.kind in INPUT_TYPES:
                options["render_kw"] = {**options["render_kw"], "type": INPUT_TYPES[f.kind]}
            setattr(HelpForm, f.key, StringField(**options))
    HelpForm.purpose = TextAreaField(
        _l("What is the help for?"), render_kw={"required": True},
        description=_l("The receiver sees this purpose, the fields above and where it comes from — nothing else."))
    return HelpForm(data=data)


def _may_see(handoff) -> bool:
    if can("handoffs.view"):
        return True
    registry = service._registry()
    kind = registry.help_kinds.get(handoff.kind)
    origin = registry.handoff_origins.get(handoff.origin_type)
    return bool((kind and kind.permission and can(kind.permission)) or (origin and origin.permission and can(origin.permission)))


@handoffs.get("/")
@require("handoffs.view")
def index():
    status = request.args.get("status") or None
    if status not in STATUSES:
        status = None
    origin_type, _sep, origin_id = (request.args.get("origin") or "").rpartition(":")
    origin = (origin_type, int(origin_id)) if origin_type and origin_id.isdigit() else None
    page = request.args.get("page", "1")
    page = max(1, int(page)) if page.isdigit() else 1
    rows = service.listing(page=page, status=status, origin=origin)
    return render("handoffs/index.html", rows=rows, status=status, STATUSES=STATUSES, shown_status=service.shown_status,
                  origin=request.args.get("origin") if origin else None, page=page,
                  more=len(rows) == service.PAGE_SIZE)


@handoffs.route("/ask/<origin_type>/<int:origin_id>/<kind_key>", methods=["GET", "POST"])
def new(origin_type: str, origin_id: int, kind_key: str):
    try:
        origin, reference = service.resolve_origin(origin_type, origin_id)
    except service.HandoffError:
        abort(404)
    if not service.can_send(origin_type):
        abort(403)
    kind = next((k for k in service.offers(origin_type) if k.key == kind_key), None)
    if kind is None:
        abort(404)
    form = help_form(kind)
    if request.method == "POST" and form.validate_on_submit():
        values = {f.key: request.form.get(f.key) for f in kind.fields}
        try:
            handoff = service.send(kind_key, origin_type, origin_id, form.purpose.data, values)
            db.session.commit()
        except service.HandoffError as error:
            show_refusal(form, error)
        else:
            flash(_("Sent. %(target)s was made from it.", target=handoff.target_label), "success")
            return redirect(url_for(reference.endpoint, **reference.args) + "#" + anchor(origin_type, origin_id))
    status = 422 if request.method == "POST" else 200
    return render("handoffs/new.html", form=form, kind=kind, origin=origin, reference=reference, status=status)


@handoffs.get("/<int:handoff_id>")
def show(handoff_id: int):
    handoff = service.get(handoff_id) or abort(404)
    if not _may_see(handoff):
        abort(403)
    return render("handoffs/show.html", handoff=handoff, events=service.timelines([handoff])[handoff.id],
                  receiver_on=service.receiver_on(handoff), origin_link=service.origin_link(handoff), target_link=service.target_link(handoff),
                  shown_status=service.shown_status(handoff), values=service.sent_values(handoff),
                  sender=service._user_name(handoff.created_by_id))
