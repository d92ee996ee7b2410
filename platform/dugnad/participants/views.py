"""The participant register: list with filters and search, a page per participant,
create, edit, archive and restore, CSV import with a preview, CSV export, and a
person's data as JSON on request (GDPR art. 15).

Objects are looked up before anything else, so another municipality's ids answer 404."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from dugnad.accounts.forms import ConfirmForm
from dugnad import spreadsheets
from dugnad.accounts.permissions import can, require
from dugnad.audit import record
from dugnad.extensions import db
from dugnad.participants import csv_io, service
from dugnad.participants.forms import ConfirmImportForm, ImportForm, ParticipantForm
from dugnad.participants.models import CATEGORIES, KINDS, LEGAL_BASES, Participant
from dugnad.web.templating import render

participants = Blueprint("participants", __name__, url_prefix="/participants")

IMPORT_MAX_AGE = 3600  # seconds a preview may wait for its confirmation


@participants.url_value_preprocessor
def _room_for_the_preview(endpoint, values):
    """The confirmation carries the signed file (up to 1 MB, compressed) in a hidden field:
    allow it past the default 500 kB form limit. Runs before the CSRF check reads the form."""
    if endpoint == "participants.confirm_import":
        request.max_form_memory_size = 3 * csv_io.MAX_BYTES


@participants.context_processor
def _labels():
    from dugnad.processes.models import PROCESS_ROLES

    return {"CATEGORIES": CATEGORIES, "KINDS": KINDS, "LEGAL_BASES": LEGAL_BASES, "PROCESS_ROLES": PROCESS_ROLES}


def _participant_or_404(participant_id: int) -> Participant:
    return service.get(participant_id) or abort(404)


# --- list ---------------------------------------------------------------------------------


@participants.get("/")
@require("participants.view")
def index():
    filters = service.Filters.from_args(request.args)
    rows, total = service.search(filters)
    pages = max(1, -(-total // service.PAGE_SIZE))
    context = dict(
        rows=rows, total=total, filters=filters, pages=pages,
        counts=service.category_counts(filters.archived), archived_count=service.archived_count(),
        manage=can("participants.manage"),
    )
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "participant-results":
        response = render("participants/index.html", block="results", **context)
    else:
        response = render("participants/index.html", **context)
    return response


# --- create, show, edit, archive ---------------------------------------------------------------


def _apply_error(form, error: service.ParticipantError) -> None:
    db.session.rollback()
    target = getattr(form, error.field or "name", None)
    if target is None:
        target = form.name
    if not isinstance(target.errors, list):
        target.errors = list(target.errors)
    target.errors.append(str(error))


@participants.route("/new", methods=["GET", "POST"])
@require("participants.manage")
def new():
    form = ParticipantForm(service.organisations(), kind=request.args.get("kind", "person"))
    if form.validate_on_submit():
        try:
            participant = service.create(form.data_for_service())
        except service.ParticipantError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added to the register.", name=participant.name), "success")
            return redirect(url_for("participants.show", participant_id=participant.id))
    return render("participants/form.html", form=form, participant=None, status=422 if form.is_submitted() else 200)


@participants.get("/<int:participant_id>")
@require("participants.view")
def show(participant_id: int):
    participant = _participant_or_404(participant_id)
    organisation = service.get_organisation(participant.organisation_id) if participant.organisation_id else None
    from dugnad.processes.models import Process, ProcessParticipant
    from sqlalchemy import select

    roles = db.session.execute(
        select(ProcessParticipant, Process)
        .join(Process, (Process.id == ProcessParticipant.process_id) & (Process.tenant_id == ProcessParticipant.tenant_id))
        .where(ProcessParticipant.participant_id == participant.id).order_by(Process.name)
    ).all()
    members = []
    if participant.kind == "organisation":
        members = db.session.scalars(
            select(Participant).where(Participant.organisation_id == participant.id, Participant.archived_at.is_(None))
            .order_by(Participant.name)
        ).all()
    return render("participants/show.html", participant=participant, organisation=organisation, roles=roles,
                  members=members, manage=can("participants.manage"),
                  may_export=can("participants.export_personal_data"), confirm=ConfirmForm())


@participants.route("/<int:participant_id>/edit", methods=["GET", "POST"])
@require("participants.manage")
def edit(participant_id: int):
    participant = _participant_or_404(participant_id)
    form = ParticipantForm(service.organisations(include_id=participant.organisation_id), obj=participant)
    form.organisation_id.choices = [c for c in form.organisation_id.choices if c[0] != participant.id]
    if request.method == "GET" and participant.consent_at:
        form.consent_at.data = participant.consent_at.date()
    if form.validate_on_submit():
        try:
            changed = service.update(participant, form.data_for_service())
        except service.ParticipantError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("participants.show", participant_id=participant.id))
    return render("participants/form.html", form=form, participant=participant, status=422 if form.is_submitted() else 200)


@participants.post("/<int:participant_id>/archive")
@require("participants.manage")
def archive(participant_id: int):
    participant = _participant_or_404(participant_id)
    ConfirmForm().validate_on_submit() or abort(400)
    if service.archive(participant):
        db.session.commit()
    flash(_("%(name)s is archived: hidden from the register and from new processes. You can restore them.", name=participant.name), "success")
    return redirect(url_for("participants.show", participant_id=participant.id))


@participants.post("/<int:participant_id>/restore")
@require("participants.manage")
def restore(participant_id: int):
    participant = _participant_or_404(participant_id)
    ConfirmForm().validate_on_submit() or abort(400)
    if service.restore(participant):
        db.session.commit()
    flash(_("%(name)s is back in the register.", name=participant.name), "success")
    return redirect(url_for("participants.show", participant_id=participant.id))


@participants.get("/<int:participant_id>/export.json")
@require("participants.view")
def export_person(participant_id: int):
    participant = _participant_or_404(participant_id)
    if not can("participants.export_personal_data"):
        abort(403)
    data = service.personal_data(participant)
    record("participant.exported", participant)
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="participant-{participant.id}.json"',
        "Cache-Control": "no-store",
    })


# --- import and export ---------------------------------------------------------------------


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="dugnad.participants.import")


def _sign(raw: bytes, preview: csv_io.Preview) -> str:
    return _signer().dumps({"t": g.tenant.id, "csv": raw.decode("latin-1"), "plan": preview.fingerprint,
                            "create": sorted(preview.new_organisations)})


def _signed_import():
    """The file and choices of a preview the coordinator was shown (400 if tampered with);
    None when it is too old (they are told to upload again)."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = _signer().loads(form.payload.data or "", max_age=IMPORT_MAX_AGE)
    except SignatureExpired:
        flash(_("The preview is more than an hour old. Upload the file again."), "warning")
        return None
    except BadSignature:
        abort(400)
    if data.get("t") != g.tenant.id:
        abort(400)
    return data


def _import_page(form=None, preview=None, payload=None, problem=None, changed=False, status=200):
    return render("participants/import.html", form=form or ImportForm(), preview=preview, payload=payload,
                  problem=problem, changed=changed, expected=csv_io.COLUMNS, required=csv_io.REQUIRED,
                  confirm_form=ConfirmImportForm(formdata=None, payload=payload) if payload else None, status=status)


@participants.route("/import", methods=["GET", "POST"])
@require("participants.manage")
def import_csv():
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(form, status=422 if form.is_submitted() else 200)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = [_("Choose a CSV file to upload.")]
        return _import_page(form, status=422)
    raw = upload.read(csv_io.MAX_BYTES + 1)
    try:
        preview = csv_io.preview(raw)
    except csv_io.ImportProblem as problem:
        form.file.errors = [str(problem)]
        return _import_page(form, status=422)
    return _import_page(form, preview=preview, payload=_sign(raw, preview))


@participants.post("/import/organisations")
@require("participants.manage")
def import_organisations():
    """The preview again, with the organisations the coordinator ticked to be created."""
    data = _signed_import()
    if data is None:
        return redirect(url_for("participants.import_csv"))
    raw = data["csv"].encode("latin-1")
    try:
        preview = csv_io.preview(raw, request.form.getlist("create"))
    except csv_io.ImportProblem as problem:
        form = ImportForm()
        form.file.errors = [str(problem)]
        return _import_page(form, status=422)
    return _import_page(preview=preview, payload=_sign(raw, preview))


@participants.post("/import/confirm")
@require("participants.manage")
def confirm_import():
    data = _signed_import()
    if data is None:
        return redirect(url_for("participants.import_csv"))
    raw = data["csv"].encode("latin-1")
    try:
        preview = csv_io.preview(raw, data.get("create") or ())
    except csv_io.ImportProblem as problem:  # cannot happen for a signed preview, unless the rules changed
        form = ImportForm()
        form.file.errors = [str(problem)]
        return _import_page(form, status=422)
    if preview.fingerprint != data.get("plan"):
        return _import_page(preview=preview, payload=_sign(raw, preview), changed=True, status=409)
    try:
        created = csv_io.apply(preview)
        db.session.commit()
    except IntegrityError:  # a duplicate slipped in at the same moment: nothing is kept, show the preview again
        db.session.rollback()
        preview = csv_io.preview(raw, data.get("create") or ())
        return _import_page(preview=preview, payload=_sign(raw, preview), changed=True, status=409)
    flash(_("%(n)s participants imported. %(skipped)s rows were left out.", n=len(created),
            skipped=len(preview.rows) - len(created)), "success")
    return redirect(url_for("participants.index"))


@participants.get("/export.csv")
@require("participants.manage")
def export_csv():
    include_archived = request.args.get("archived") in ("1", "true", "on")
    body = csv_io.export_rows(include_archived)
    record("participant.register_exported", None, archived=include_archived)
    db.session.commit()
    return spreadsheets.download(body, f"participants-{g.tenant.slug}.csv", private=True)


@participants.get("/import/template.csv")
@require("participants.manage")
def import_template():
    body = csv_io.write_rows(csv_io.EXPORT_HEADERS, [])
    return spreadsheets.download(body, "participants-template.csv")
