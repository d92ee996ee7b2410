"""The register of volunteer organisations: activities, target groups, contact."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from dugnad.sdk import db, render, show_refusal
from dugnad_volunteers import organisations
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.forms import OrganisationForm
from dugnad_volunteers.models import TARGET_GROUPS
from dugnad_volunteers.web import tabs, volunteers


def organisation_or_404(organisation_id: int):
    return organisations.get(organisation_id) or abort(404)


@volunteers.get("/organisations/", endpoint="organisations")
def organisation_list():
    q = (request.args.get("q") or "").strip()[:100]
    group = request.args.get("group", "")
    group = group if group in TARGET_GROUPS else ""
    return render("dugnad_volunteers/organisations.html", rows=organisations.rows(q, group), q=q, group=group,
                  tabs=tabs("organisations"))


@volunteers.route("/organisations/new", methods=["GET", "POST"])
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = organisations.create(form.values())
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is added to the register.", name=organisation.name), "success")
            return redirect(url_for("volunteers.organisation", organisation_id=organisation.id))
    return render("dugnad_volunteers/organisation_form.html", form=form, organisation=None, tabs=tabs("organisations"),
                  status=422 if form.is_submitted() else 200)


@volunteers.get("/organisations/<int:organisation_id>")
def organisation(organisation_id: int):
    participant, profile = organisation_or_404(organisation_id)
    return render("dugnad_volunteers/organisation.html", organisation=participant, profile=profile,
                  tabs=tabs("organisations"))


@volunteers.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit_organisation(organisation_id: int):
    participant, profile = organisation_or_404(organisation_id)
    if request.method == "GET":
        data = {"name": participant.name, "email": participant.email, "phone": participant.phone}
        if profile is not None:
            data.update(activities=profile.activities, target_groups=profile.target_groups,
                        contact_name=profile.contact_name, website=profile.website)
        form = OrganisationForm(formdata=None, data=data)
    else:
        form = OrganisationForm()
    if form.validate_on_submit():
        try:
            changed = organisations.update(participant, profile, form.values())
        except BankError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("volunteers.organisation", organisation_id=participant.id))
    return render("dugnad_volunteers/organisation_form.html", form=form, organisation=participant,
                  tabs=tabs("organisations"), status=422 if form.is_submitted() else 200)
