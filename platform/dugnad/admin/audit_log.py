"""The audit log pages: a municipality's own events, and the region's."""

from __future__ import annotations

from flask import Blueprint, g
from sqlalchemy import select

from dugnad.accounts.models import User
from dugnad.accounts.permissions import require, require_region_admin
from dugnad.audit.models import AuditEvent
from dugnad.extensions import db
from dugnad.tenancy.models import Tenant
from dugnad.web.templating import render

PAGE = 200

audit = Blueprint("audit", __name__, url_prefix="/admin/audit")
region_audit = Blueprint("region_audit", __name__, url_prefix="/audit")


def _events(tenant_id: int | None, region: bool):
    query = (
        select(AuditEvent, User.name, Tenant.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Tenant, Tenant.id == AuditEvent.tenant_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PAGE)
    )
    if not region:
        query = query.where(AuditEvent.tenant_id == tenant_id)
    return db.session.execute(query).all()


@audit.get("/")
@require("audit.read")
def index():
    return render("audit/log.html", events=_events(g.tenant.id, False))


@region_audit.get("/")
@require_region_admin
def region_index():
    return render("audit/log.html", events=_events(None, True), region=True)
