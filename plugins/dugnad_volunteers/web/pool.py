"""The regional pool as a coordinator sees it: volunteers of neighbouring municipalities
who have said yes to helping elsewhere, and asking one of them by e-mail."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from dugnad.sdk import db, render, require, show_refusal
from dugnad_volunteers import pool, registration
from dugnad_volunteers.errors import BankError
from dugnad_volunteers.forms import PoolAskForm
from dugnad_volunteers.web import tabs, volunteers


def pool_page(endpoint: str, ask_endpoint: str, exclude_tenant_id: int | None, who: str, template_vars: dict,
              ask_form=None, status=200):
    filters = pool.PoolFilters.from_args(request.args)
    entries, total = pool.find(filters, exclude_tenant_id=exclude_tenant_id, who=who)
    return render("dugnad_volunteers/pool.html", entries=entries, total=total, filters=filters,
                  pages=max(1, -(-total // pool.PAGE_SIZE)), endpoint=endpoint, ask_endpoint=ask_endpoint, slots_of=registration.slots_of,
                  slot_label=registration.slot_label, ask_form=ask_form or PoolAskForm(formdata=None),
                  asked=request.args.get("asked"), status=status, **template_vars)


def ask_from(form, asker_tenant) -> bool:
    try:
        tenant_id, volunteer_id = int(form.municipality.data or 0), int(form.volunteer.data or 0)
    except (TypeError, ValueError):
        tenant_id = volunteer_id = 0  # matches nobody: "no longer in the pool"
    try:
        pool.ask(tenant_id, volunteer_id, form.message.data, asker=current_user, asker_tenant=asker_tenant)
    except BankError as error:
        show_refusal(form, error, "message")
        return False
    db.session.commit()
    flash(_("Your message is sent. The volunteer answers you by e-mail."), "success")
    return True


@volunteers.get("/pool", endpoint="pool")
@require("volunteers.pool")
def pool_index():
    return pool_page("volunteers.pool", "volunteers.pool_ask", g.tenant.id, f"{current_user.name} ({g.tenant.name})", {"tabs": tabs("pool")})


@volunteers.post("/pool/ask")
@require("volunteers.pool")
def pool_ask():
    form = PoolAskForm()
    if form.validate_on_submit() and ask_from(form, g.tenant):
        return redirect(url_for("volunteers.pool", **request.args))
    return pool_page("volunteers.pool", "volunteers.pool_ask", g.tenant.id, f"{current_user.name} ({g.tenant.name})", {"tabs": tabs("pool")},
                     ask_form=form, status=422)
