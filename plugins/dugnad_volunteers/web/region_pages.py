"""The regional pool as the region admin sees it: every municipality where the bank is
on, and the volunteers there who have said yes to helping neighbours."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from dugnad.sdk import require_region_admin
from dugnad_volunteers import pool
from dugnad_volunteers.forms import PoolAskForm
from dugnad_volunteers.web import region
from dugnad_volunteers.web.pool import ask_from, pool_page


@region.before_request
@require_region_admin
def _only_region_admins():
    return None


def _vars() -> dict:
    return {"municipalities": pool.pool_tenants(), "tabs": None}


@region.get("/")
def index():
    return pool_page("volunteer_region.index", "volunteer_region.ask", None, f"{current_user.name} (region)", _vars())


@region.post("/ask")
def ask():
    form = PoolAskForm()
    if form.validate_on_submit() and ask_from(form, None):
        return redirect(url_for("volunteer_region.index", **request.args))
    return pool_page("volunteer_region.index", "volunteer_region.ask", None, f"{current_user.name} (region)", _vars(), ask_form=form, status=422)
