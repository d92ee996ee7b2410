"""The coordinator's pages about volunteers: the list, the review queue, a volunteer's
record (each view logged), corrections, qualifications, police certificates, the
purpose confirmation, pausing, export and deletion."""

from __future__ import annotations

import json

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import can, ConfirmForm, db, render, same_for_role, show_refusal
from dugnad_volunteers import bank, configuration, needs, registration, retention, vetting, warmth
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.forms import DecisionForm, PauseForm, ProfileForm, QualificationForm, VettingForm
from dugnad_volunteers.models import Qualification, Vetting
from dugnad_volunteers.web import tabs, volunteers


@volunteers.before_request
def _staff_only():
    if not can("volunteers.manage"):
        abort(403)


def volunteer_or_404(volunteer_id: int):
    volunteer = bank.get(volunteer_id)
    if volunteer is None or volunteer.anonymised_at is not None:
        abort(404)
    return volunteer


def _record_of(volunteer, model, record_id: int):
    """One of the volunteer's qualifications or certificate records, or 404."""
    record = db.session.get(model, record_id)
    if record is None or record.volunteer_id != volunteer.id or record.tenant_id != g.tenant.id:
        abort(404)
    return record


@volunteers.get("/")
def index():
    filters = bank.Filters.from_args(request.args)
    rows, total, languages = bank.search(filters)
    pages = max(1, -(-total // bank.PAGE_SIZE))
    context = dict(rows=rows, total=total, filters=filters, pages=pages, spoken=languages,
                   counts=bank.status_counts(), roles=configuration.roles(), idle=warmth.idle_count(),
                   tabs=tabs("volunteers"))
    if request.headers.get("HX-Target") == "volunteer-results":
        return render("dugnad_volunteers/index.html", block="results", **context)
    return render("dugnad_volunteers/index.html", **context)


@volunteers.get("/widget")
@same_for_role
def widget():
    counts = bank.status_counts()
    return render("dugnad_volunteers/widget.html", waiting=counts["pending"], open_soon=needs.open_soon_count(),
                  idle=warmth.idle_count(), coming=warmth.events(upcoming=True, limit=1), approved=counts["approved"])


@volunteers.get("/review")
def review():
    queue = bank.review_queue()
    return render("dugnad_volunteers/review.html", queue=queue, unconfirmed=bank.unconfirmed_count(),
                  minors={v.id for v in queue if registration.needs_guardian(v)}, tabs=tabs("review"))


def _record(volunteer, status=200, **forms):
    """The record page, with its forms (a refused one keeps what was typed)."""
    bank.read(volunteer, "record page")
    standing = vetting.standing(volunteer)
    certificate_roles = [r for r in configuration.roles() if r.requires_certificate]
    vetting_form = forms.get("vetting_form") or VettingForm(formdata=None, prefix="vetting")
    vetting_form.role_id.choices = [(r.id, r.name) for r in certificate_roles]
    profile = registration.profile_values(volunteer)
    role_names = {r.id: r.name for r in configuration.roles(active_only=False)}
    area_names = {a.id: a.name for a in configuration.areas(active_only=False)}
    db.session.commit()  # the read is logged even if the page fails to render
    return render(
        "dugnad_volunteers/show.html", volunteer=volunteer, profile=profile, role_names=role_names,
        area_names=area_names, slots=registration.slots_of(volunteer.availability), slot_label=registration.slot_label,
        qualifications=bank.qualifications(volunteer), qualification_valid=bank.qualification_valid,
        standing=standing, history=vetting.history(volunteer), is_valid=vetting.is_valid,
        last_day_to_show=vetting.last_day_to_show, assignments=needs.history_of(volunteer),
        invitations=warmth.upcoming_invitations(volunteer), reads=bank.reads(volunteer),
        minor=registration.is_minor(volunteer), needs_guardian=registration.needs_guardian(volunteer),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None, prefix="decision"),
        qualification_form=forms.get("qualification_form") or QualificationForm(formdata=None, prefix="qualification"),
        vetting_form=vetting_form, certificate_roles=certificate_roles,
        pause_form=forms.get("pause_form") or PauseForm(formdata=None, prefix="pause"), confirm=ConfirmForm(),
        today=registration.today(), tabs=tabs("volunteers"), status=status)


@volunteers.get("/<int:volunteer_id>")
def show(volunteer_id: int):
    return _record(volunteer_or_404(volunteer_id))


@volunteers.post("/<int:volunteer_id>/decision")
def decide(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    form = DecisionForm(prefix="decision")
    if form.validate_on_submit():
        try:
            bank.decide(volunteer, form.decision.data, form.message.data, current_user)
        except BankError as error:
            if error.status == 422:
                show_refusal(form, error, "message" if error.field == "message" else "decision")
            else:
                show_refusal(None, error)
        else:
            db.session.commit()
            flash({"approved": _("%(name)s is approved.", name=volunteer.name),
                   "more_info": _("Your question is sent to %(name)s.", name=volunteer.name),
                   "rejected": _("%(name)s is not approved. The reason is sent by e-mail.", name=volunteer.name)}[volunteer.status],
                  "success")
            return redirect(request.form.get("next") if request.form.get("next") == url_for("volunteers.review")
                            else url_for("volunteers.show", volunteer_id=volunteer.id))
    return _record(volunteer, status=422, decision_form=form)


@volunteers.route("/<int:volunteer_id>/edit", methods=["GET", "POST"])
def edit(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    roles, areas = configuration.roles(active_only=False), configuration.areas(active_only=False)
    if request.method == "GET":
        values = registration.profile_values(volunteer)
        form = ProfileForm(roles, areas, data={k: v for k, v in values.items() if k not in ("languages", "availability")})
        form.availability.data = registration.slots_of(volunteer.availability)
        form.fill_languages(values["languages"])
        bank.read(volunteer, "correction form")
        db.session.commit()
    else:
        form = ProfileForm(roles, areas)
    status = 200
    if form.validate_on_submit():
        try:
            changed = registration.update_profile(volunteer, form.values(), by_volunteer=False)
        except BankError as error:
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("volunteers.show", volunteer_id=volunteer.id))
    elif form.is_submitted():
        status = 422
    return render("dugnad_volunteers/edit.html", volunteer=volunteer, form=form, tabs=tabs("volunteers"), status=status)


@volunteers.post("/<int:volunteer_id>/qualifications")
def add_qualification(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    form = QualificationForm(prefix="qualification")
    if form.validate_on_submit():
        try:
            bank.add_qualification(volunteer, form.kind.data, form.note.data, form.valid_until.data, current_user)
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The qualification is recorded."), "success")
            return redirect(url_for("volunteers.show", volunteer_id=volunteer.id) + "#qualifications-heading")
    return _record(volunteer, status=422, qualification_form=form)


@volunteers.post("/<int:volunteer_id>/qualifications/<int:qualification_id>/delete")
def remove_qualification(volunteer_id: int, qualification_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    qualification = _record_of(volunteer, Qualification, qualification_id)
    ConfirmForm().validate_on_submit() or abort(400)
    bank.remove_qualification(qualification)
    db.session.commit()
    flash(_("The qualification is removed."), "success")
    return redirect(url_for("volunteers.show", volunteer_id=volunteer.id) + "#qualifications-heading")


@volunteers.post("/<int:volunteer_id>/vetting")
def record_certificate(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    form = VettingForm(prefix="vetting")
    form.role_id.choices = [(r.id, r.name) for r in configuration.roles() if r.requires_certificate]
    if form.validate_on_submit():
        role = configuration.get_role(form.role_id.data)
        try:
            if role is None:
                raise BankError(_("Choose the role the certificate is for."), "role_id")
            vetting.record_shown(volunteer, role, form.issued_on.data, form.shown_on.data, current_user)
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Recorded that the certificate was shown for “%(role)s”. Give it back: nothing of it is kept.",
                    role=role.name), "success")
            return redirect(url_for("volunteers.show", volunteer_id=volunteer.id) + "#certificates-heading")
    return _record(volunteer, status=422, vetting_form=form)


@volunteers.post("/<int:volunteer_id>/vetting/<int:vetting_id>/delete")
def remove_certificate(volunteer_id: int, vetting_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    record = _record_of(volunteer, Vetting, vetting_id)
    ConfirmForm().validate_on_submit() or abort(400)
    vetting.revoke(record, "removed by the coordinator")
    db.session.commit()
    flash(_("The certificate record is removed."), "success")
    return redirect(url_for("volunteers.show", volunteer_id=volunteer.id) + "#certificates-heading")


@volunteers.get("/<int:volunteer_id>/purpose/<int:role_id>")
def purpose(volunteer_id: int, role_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    role = configuration.get_role(role_id)
    if role is None or not role.requires_certificate:
        abort(404)
    bank.read(volunteer, "purpose confirmation")
    db.session.commit()
    return render("dugnad_volunteers/purpose.html", volunteer=volunteer, role=role, legal_basis=vetting.LEGAL_BASIS,
                  issuer=current_user, back=url_for("volunteers.show", volunteer_id=volunteer.id), today=registration.today())


@volunteers.post("/<int:volunteer_id>/pause")
def pause(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    form = PauseForm(prefix="pause")
    if form.validate_on_submit():
        try:
            registration.pause(volunteer, form.until.data, by_volunteer=False)
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is on a break and is not suggested for needs.", name=volunteer.name), "success")
            return redirect(url_for("volunteers.show", volunteer_id=volunteer.id))
    return _record(volunteer, status=422, pause_form=form)


@volunteers.post("/<int:volunteer_id>/resume")
def resume(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    ConfirmForm().validate_on_submit() or abort(400)
    registration.resume(volunteer, by_volunteer=False)
    db.session.commit()
    flash(_("%(name)s is back from the break.", name=volunteer.name), "success")
    return redirect(url_for("volunteers.show", volunteer_id=volunteer.id))


@volunteers.post("/<int:volunteer_id>/delete")
def delete(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    ConfirmForm().validate_on_submit() or abort(400)
    name = volunteer.name
    retention.anonymise(volunteer, "deleted by the coordinator")
    db.session.commit()
    flash(_("%(name)s is deleted. What they did stays in the statistics without their name.", name=name), "success")
    return redirect(url_for("volunteers.index"))


@volunteers.get("/<int:volunteer_id>/export")
def export(volunteer_id: int):
    volunteer = volunteer_or_404(volunteer_id)
    bank.read(volunteer, "export of personal data")
    data = retention.export(volunteer)
    db.session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="volunteer-{volunteer.id}.json"'})
