"""The outbox, readable by admins: the municipality's own mail, or all of it for the region."""

from __future__ import annotations

from flask import Blueprint, abort, g
from sqlalchemy import select

from dugnad.accounts.permissions import require, require_region_admin
from dugnad.extensions import db
from dugnad.notifications.outbox import OutboxMessage
from dugnad.web.templating import render

PAGE = 100

outbox = Blueprint("outbox", __name__, url_prefix="/admin/outbox")
region_outbox = Blueprint("region_outbox", __name__, url_prefix="/outbox")


def _list(tenant_id: int | None, region: bool):
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(PAGE)
    if not region:
        query = query.where(OutboxMessage.tenant_id == tenant_id)
    return db.session.scalars(query).all()


def _one(message_id: int, tenant_id: int | None, region: bool) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None or (not region and message.tenant_id != tenant_id):
        abort(404)
    return message


@outbox.get("/")
@require("outbox.read")
def index():
    return render("notifications/outbox.html", messages=_list(g.tenant.id, False), detail_endpoint="outbox.show")


@outbox.get("/<int:message_id>")
@require("outbox.read")
def show(message_id: int):
    return render("notifications/message.html", message=_one(message_id, g.tenant.id, False), back="outbox.index")


@region_outbox.get("/")
@require_region_admin
def region_index():
    return render("notifications/outbox.html", messages=_list(None, True), detail_endpoint="region_outbox.show_region")


@region_outbox.get("/<int:message_id>")
@require_region_admin
def show_region(message_id: int):
    return render("notifications/message.html", message=_one(message_id, None, True), back="region_outbox.region_index")
