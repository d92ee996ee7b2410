"""The audit log pages: a municipality's own events, and the region's."""

from __future__ import annotations

from flask import Blueprint, g
from sqlalchemy import select

from dugnad.accounts.models import User
from dugnad.accounts.permissions import require, require_region_admin
from dugnad.admin.audit_reading import describe
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
    return render("audit/log.html", entries=describe(_events(g.tenant.id, False), g.tenant.id))


@region_audit.get("/")
@require_region_admin
def region_index():
    return render("audit/log.html", entries=describe(_events(None, True), None), region=True)
