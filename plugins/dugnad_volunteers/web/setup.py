"""How the municipality sets up its bank: roles (and which need a police certificate),
areas, and the consent text's versions."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import ConfirmForm, db, render, require, show_refusal
from dugnad_volunteers import configuration
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.forms import AreaForm, ConsentTextForm, RoleForm
from dugnad_volunteers.web import tabs, volunteers

ROLE_FIELDS = ("name", "description", "requires_certificate", "works_with", "purpose")


def _setup_page(area_form=None, status=200):
    roles = configuration.roles(active_only=False)
    names = {r.name.lower() for r in roles}
    missing_defaults = [r["name"] for r in configuration.default_roles() if r["name"].lower() not in names]
    return render("dugnad_volunteers/setup.html", roles=roles, certificates=configuration.valid_vetting_counts(),
                  areas=configuration.areas(active_only=False), area_form=area_form or AreaForm(formdata=None),
                  consent=configuration.current_consent(), missing_defaults=missing_defaults, confirm=ConfirmForm(),
                  tabs=tabs("setup"), status=status)


@volunteers.get("/setup")
@require("volunteers.setup")
def setup():
    return _setup_page()


def role_or_404(role_id: int):
    return configuration.get_role(role_id) or abort(404)


@volunteers.route("/setup/roles/new", methods=["GET", "POST"])
@require("volunteers.setup")
def new_role():
    form = RoleForm()
    if form.validate_on_submit():
        try:
            role = configuration.create_role({name: getattr(form, name).data for name in ROLE_FIELDS})
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The role “%(name)s” is added. Volunteers can choose it when they register.", name=role.name), "success")
            return redirect(url_for("volunteers.setup"))
    return render("dugnad_volunteers/role_form.html", form=form, role=None, tabs=tabs("setup"),
                  status=422 if form.is_submitted() else 200)


@volunteers.route("/setup/roles/<int:role_id>", methods=["GET", "POST"])
@require("volunteers.setup")
def edit_role(role_id: int):
    role = role_or_404(role_id)
    form = RoleForm(obj=role) if request.method == "GET" else RoleForm()
    if form.validate_on_submit():
        try:
            retired = configuration.update_role(role, {name: getattr(form, name).data for name in ROLE_FIELDS})
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            if retired:
                flash(_("Saved. The role changed, so %(n)s volunteers must show a new police certificate before they are "
                        "suggested for it.", n=retired), "warning")
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("volunteers.setup"))
    return render("dugnad_volunteers/role_form.html", form=form, role=role, certificates=configuration.valid_vetting_count(role),
                  tabs=tabs("setup"), status=422 if form.is_submitted() else 200)


@volunteers.post("/setup/roles/<int:role_id>/archive")
@require("volunteers.setup")
def archive_role(role_id: int):
    role = role_or_404(role_id)
    ConfirmForm().validate_on_submit() or abort(400)
    configuration.set_role_active(role, not role.active)
    db.session.commit()
    flash(_("“%(name)s” is archived: volunteers can no longer choose it.", name=role.name) if not role.active
          else _("“%(name)s” is in use again.", name=role.name), "success")
    return redirect(url_for("volunteers.setup"))


@volunteers.post("/setup/roles/defaults")
@require("volunteers.setup")
def default_roles():
    ConfirmForm().validate_on_submit() or abort(400)
    added = configuration.add_default_roles()
    db.session.commit()
    flash(_("%(n)s suggested roles are added. Change them as you like.", n=len(added)), "success")
    return redirect(url_for("volunteers.setup"))


@volunteers.post("/setup/areas")
@require("volunteers.setup")
def add_area():
    form = AreaForm()
    if form.validate_on_submit():
        try:
            area = configuration.create_area(form.name.data)
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The area “%(name)s” is added.", name=area.name), "success")
            return redirect(url_for("volunteers.setup") + "#areas-heading")
    return _setup_page(area_form=form, status=422)


@volunteers.post("/setup/areas/<int:area_id>/archive")
@require("volunteers.setup")
def archive_area(area_id: int):
    area = configuration.get_area(area_id) or abort(404)
    ConfirmForm().validate_on_submit() or abort(400)
    configuration.set_area_active(area, not area.active)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("volunteers.setup") + "#areas-heading")


@volunteers.route("/setup/consent", methods=["GET", "POST"])
@require("volunteers.setup")
def consent():
    version, body = configuration.consent_for_form(g.tenant.name)
    form = ConsentTextForm(formdata=None, data={"body": body}) if request.method == "GET" else ConsentTextForm()
    if form.validate_on_submit():
        try:
            text = configuration.publish_consent(form.body.data, current_user)
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Version %(n)s of the consent text is published. New volunteers agree to it; the others are asked "
                    "on their page.", n=text.version), "success")
            return redirect(url_for("volunteers.consent"))
    return render("dugnad_volunteers/consent.html", form=form, versions=configuration.consent_versions(),
                  current_version=version, tabs=tabs("setup"), status=422 if form.is_submitted() else 200)
