"""The region's pages (municipalities, plugins, suspension) and a municipality's settings."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from dugnad.accounts import service as accounts
from dugnad.accounts.forms import ConfirmForm
from dugnad.accounts.models import Membership, User
from dugnad.accounts.permissions import require, require_region_admin
from dugnad.audit import record
from dugnad.extensions import db
from dugnad.region import service
from dugnad.tenancy.context import region_scope, tenant_context
from dugnad.region.forms import InviteAdminForm, RenameForm, SuspendForm, TenantForm, settings_form
from dugnad.tenancy.models import Tenant
from dugnad.web.templating import render

region = Blueprint("region", __name__)
settings = Blueprint("settings", __name__, url_prefix="/admin/settings")


@region.before_request
@require_region_admin
def _only_region_admins():
    return None


def _plugins():
    loaded = current_app.extensions["dugnad.plugins"]
    return [(name, loaded.label(name), loaded.description(name)) for name in loaded.optional]


@region.get("/")
def index():
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.name)).all()
    with region_scope("region overview: people per municipality"):
        counts = dict(db.session.execute(select(Membership.tenant_id, func.count()).group_by(Membership.tenant_id)).all())
    return render("region/region_index.html", tenants=tenants, counts=counts, states=service.plugin_states(),
                  plugins=_plugins(), form=TenantForm(formdata=None))


@region.route("/municipalities/new", methods=["GET", "POST"])
def create():
    form = TenantForm()
    if form.validate_on_submit():
        slug = (form.slug.data or "").strip() or service.slugify(form.name.data)
        problems = service.validate_new(form.name.data, form.number.data.strip(), slug)
        for field, message in problems.items():
            getattr(form, field).errors.append(message)
        if not problems:
            tenant = service.create_tenant(form.name.data, form.number.data.strip(), slug)
            db.session.commit()
            flash(_("%(name)s is created. Invite its admin below.", name=tenant.name), "success")
            return redirect(url_for("region.detail", tenant_id=tenant.id))
    return render("region/region_new.html", form=form, status=422 if form.is_submitted() else 200)


def _tenant_or_404(tenant_id: int) -> Tenant:
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        abort(404)
    return tenant


def _detail(tenant: Tenant, status: int = 200, **forms):
    with tenant_context(tenant):
        admins = db.session.scalars(
            select(User).join(Membership, Membership.user_id == User.id).where(Membership.role == "admin").order_by(User.name)
        ).all()
        people = db.session.scalar(select(func.count()).select_from(Membership))
    return render(
        "region/region_detail.html",
        municipality=tenant,
        admins=admins,
        people=people,
        enabled=service.plugin_states([tenant.id]).get(tenant.id, set()),
        plugins=_plugins(),
        rename_form=forms.get("rename_form") or RenameForm(prefix="rename", obj=tenant),
        suspend_form=forms.get("suspend_form") or SuspendForm(prefix="suspend", formdata=None),
        invite_form=forms.get("invite_form") or InviteAdminForm(prefix="invite", formdata=None),
        confirm=ConfirmForm(),
        status=status,
    )


@region.get("/municipalities/<int:tenant_id>")
def detail(tenant_id: int):
    return _detail(_tenant_or_404(tenant_id))


@region.post("/municipalities/<int:tenant_id>/name")
def rename(tenant_id: int):
    tenant = _tenant_or_404(tenant_id)
    form = RenameForm(prefix="rename")
    if form.validate_on_submit():
        old, tenant.name = tenant.name, form.name.data.strip()
        record("tenant.renamed", tenant, tenant_id=tenant.id, old=old, new=tenant.name)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("region.detail", tenant_id=tenant.id))
    return _detail(tenant, status=422, rename_form=form)


@region.post("/municipalities/<int:tenant_id>/suspend")
def suspend(tenant_id: int):
    tenant = _tenant_or_404(tenant_id)
    form = SuspendForm(prefix="suspend")
    if form.validate_on_submit():
        service.suspend(tenant, form.reason.data)
        db.session.commit()
        flash(_("%(name)s is suspended. Nobody can open its pages until you resume it.", name=tenant.name), "success")
        return redirect(url_for("region.detail", tenant_id=tenant.id))
    return _detail(tenant, status=422, suspend_form=form)


@region.post("/municipalities/<int:tenant_id>/resume")
def resume(tenant_id: int):
    tenant = _tenant_or_404(tenant_id)
    ConfirmForm().validate_on_submit() or abort(400)
    service.resume(tenant)
    db.session.commit()
    flash(_("%(name)s is open again.", name=tenant.name), "success")
    return redirect(url_for("region.detail", tenant_id=tenant.id))


@region.post("/municipalities/<int:tenant_id>/plugins/<plugin>")
def toggle_plugin(tenant_id: int, plugin: str):
    tenant = _tenant_or_404(tenant_id)
    ConfirmForm().validate_on_submit() or abort(400)
    enabled = request.form.get("enabled") == "1"
    try:
        service.set_plugin(tenant, plugin, enabled)
    except service.TenantError:
        abort(404)
    db.session.commit()
    label = current_app.extensions["dugnad.plugins"].label(plugin)
    message = (_("%(plugin)s is on for %(name)s.", plugin=label, name=tenant.name) if enabled
               else _("%(plugin)s is off for %(name)s.", plugin=label, name=tenant.name))
    flash(message, "success")
    return redirect(url_for("region.detail", tenant_id=tenant.id) + "#plugins")


@region.post("/municipalities/<int:tenant_id>/invite-admin")
def invite_admin(tenant_id: int):
    tenant = _tenant_or_404(tenant_id)
    form = InviteAdminForm(prefix="invite")
    if form.validate_on_submit():
        with tenant_context(tenant):
            try:
                accounts.invite(tenant, form.email.data, "admin", current_user)
            except accounts.AccountError as error:
                form.email.errors.append(str(error))
            else:
                db.session.commit()
                flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
                return redirect(url_for("region.detail", tenant_id=tenant.id))
    db.session.rollback()
    return _detail(tenant, status=422, invite_form=form)


# --- a municipality's own settings --------------------------------------------


@settings.route("/", methods=["GET", "POST"])
@require("settings.manage")
def edit():
    fields = list(current_app.extensions["dugnad.plugins"].registry.settings.values())
    form = settings_form(fields, g.tenant.settings or {})
    if form.validate_on_submit():
        values = dict(g.tenant.settings or {})
        values.update({f.key: getattr(form, f.key).data for f in fields})
        g.tenant.settings = values
        record("tenant.settings_changed", g.tenant, keys=[f.key for f in fields])
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("settings.edit"))
    return render("region/settings.html", form=form, fields=fields, status=422 if form.is_submitted() else 200)
