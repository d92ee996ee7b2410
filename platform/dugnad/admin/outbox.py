"""The outbox, readable by admins: the municipality's own mail, or the region's own (mail
that belongs to no municipality). Links and codes are always shown masked: the outbox
says that mail went, it is not a way to read someone else's secrets."""

from __future__ import annotations

from flask import Blueprint, abort, g
from sqlalchemy import select

from dugnad.accounts.permissions import require, require_region_admin
from dugnad.extensions import db
from dugnad.notifications.masking import mask_secrets
from dugnad.notifications.outbox import OutboxMessage
from dugnad.web.templating import render

PAGE = 100

outbox = Blueprint("outbox", __name__, url_prefix="/admin/outbox")
region_outbox = Blueprint("region_outbox", __name__, url_prefix="/outbox")


def _owned(tenant_id: int | None):
    """The mail of one municipality, or (None) the region's own: never another's."""
    return OutboxMessage.tenant_id.is_(None) if tenant_id is None else OutboxMessage.tenant_id == tenant_id


def _list(tenant_id: int | None):
    query = select(OutboxMessage).where(_owned(tenant_id))
    return db.session.scalars(query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(PAGE)).all()


def _one(message_id: int, tenant_id: int | None) -> OutboxMessage:
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id, _owned(tenant_id)))
    if message is None:
        abort(404)
    return message


def _show(message: OutboxMessage, back: str):
    return render("notifications/message.html", message=message, body=mask_secrets(message.body), back=back)


@outbox.get("/")
@require("outbox.read")
def index():
    return render("notifications/outbox.html", messages=_list(g.tenant.id), detail_endpoint="outbox.show")


@outbox.get("/<int:message_id>")
@require("outbox.read")
def show(message_id: int):
    return _show(_one(message_id, g.tenant.id), "outbox.index")


@region_outbox.get("/")
@require_region_admin
def region_index():
    return render("notifications/outbox.html", messages=_list(None), detail_endpoint="region_outbox.show_region")


@region_outbox.get("/<int:message_id>")
@require_region_admin
def show_region(message_id: int):
    return _show(_one(message_id, None), "region_outbox.region_index")
