"""The front door, the municipality dashboard, language switch and health check."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, jsonify, redirect, request, session, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select, text
from werkzeug.exceptions import HTTPException

from dugnad.accounts.models import Invitation, Membership
from dugnad.accounts.permissions import can, require
from dugnad.extensions import db
from dugnad.plugins import plugins
from dugnad.clock import utcnow
from dugnad.web.i18n import LANGUAGES
from dugnad.web.pagecache import same_for_person, same_for_role
from dugnad.web.templating import fragment_of, render

log = logging.getLogger("dugnad.web")

public = Blueprint("public", __name__)
web = Blueprint("web", __name__)


@public.get("/")
def landing():
    if current_user.is_authenticated:
        from dugnad.accounts.views import home_for

        return redirect(home_for(current_user))
    return redirect(url_for("accounts.login"))


@public.post("/language")
def language():
    from dugnad.accounts.forms import ConfirmForm

    ConfirmForm().validate_on_submit() or abort(400)
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("public.landing"))


@public.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: answer with the icon."""
    return current_app.send_static_file("favicon.svg"), 200, {"Cache-Control": "public, max-age=86400"}


@public.get("/healthz")
def healthz():
    state = {"database": "ok", "redis": "not configured"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # report, don't crash: this is what monitoring reads
        state["database"] = f"error: {type(error).__name__}"
    from dugnad.jobs import redis_connection

    try:
        connection = redis_connection()
        if connection is not None:
            connection.ping()
            state["redis"] = "ok"
    except Exception as error:
        state["redis"] = f"error: {type(error).__name__}"
    healthy = state["database"] == "ok" and state["redis"] in ("ok", "not configured")
    state["status"] = "ok" if healthy else "degraded"
    return jsonify(state), 200 if healthy else 503


def _first_page_allowed() -> str | None:
    """The first page of the main navigation this person may open here (a role that
    sees only part of the municipality, such as the volunteer coordinator, lands there)."""
    items = [item for group in plugins().hook("navigation_items", g.tenant.id)(tenant=g.tenant, user=current_user)
             for item in group if item.endpoint != "web.dashboard" and (item.permission is None or can(item.permission))]
    for item in sorted(items, key=lambda i: (i.order, str(i.label))):
        return url_for(item.endpoint)
    return None


@web.get("/")
def dashboard():
    if session.get("last_tenant") != g.tenant.slug:
        session["last_tenant"] = g.tenant.slug  # only when it changes: no new cookie to sign and send each time
    if not can("dashboard.view"):
        elsewhere = _first_page_allowed()
        if elsewhere is None:
            abort(403)
        return redirect(elsewhere)
    return _dashboard_page()


@same_for_person
def _dashboard_page():
    """The page with its widgets: the same for this person until something under it changes."""
    widgets = [w for group in plugins().hook("dashboard_widgets", g.tenant.id)(tenant=g.tenant, user=current_user) for w in group]
    widgets = sorted(widgets, key=lambda w: (w.order, str(w.title)))
    return render("web/dashboard.html", widgets=widgets, bodies={w.key: _widget_body(w) for w in widgets})


def _widget_body(widget) -> Markup | None:
    """The widget as htmx would get it, rendered in this request: the dashboard arrives
    whole, not as a shell and one more request per widget. None where that cannot be
    (not allowed, or the widget failed): the page then loads it with htmx as before."""
    view = current_app.view_functions.get(widget.endpoint)
    if view is None:
        return None
    try:
        body, status = fragment_of(view)
    except HTTPException:
        return None
    except Exception:  # a plugin's widget must not take the dashboard down with it
        log.exception("dashboard widget failed", extra={"widget": widget.key})
        return None
    return Markup(body) if status == 200 else None


@web.get("/widgets/members")
@require("dashboard.view")
@same_for_role
def widget_members():
    by_role = dict(db.session.execute(select(Membership.role, func.count()).group_by(Membership.role)).all())
    pending = db.session.scalar(
        select(func.count()).select_from(Invitation).where(
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow()
        )
    )
    roles = sorted(current_app.extensions["dugnad.plugins"].registry.roles.values(), key=lambda r: -r.rank)
    return render("web/widget_members.html", by_role=by_role, roles=roles, pending=pending, manage=can("members.manage"))
