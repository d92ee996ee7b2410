"""Periodic work: one cron entry per schedule, fanned out per municipality where asked."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.plugins import job_name
from dugnad.tenancy.models import Tenant

__all__ = ["fan_out", "job_name", "due_tenants"]


def due_tenants(plugin_name: str) -> list[int]:
    """Active municipalities where ``plugin_name`` is on (every one, for core plugins)."""
    loaded = current_app.extensions["dugnad.plugins"]
    ids = db.session.scalars(select(Tenant.id).where(Tenant.status == "active").order_by(Tenant.id)).all()
    if plugin_name in loaded.core:
        return list(ids)
    from dugnad.tenancy.models import TenantPlugin

    enabled = set(
        db.session.scalars(
            select(TenantPlugin.tenant_id).where(TenantPlugin.plugin == plugin_name, TenantPlugin.enabled)
        )
    )
    return [i for i in ids if i in enabled]


def fan_out(name: str, plugin_name: str, per_tenant: bool) -> int:
    """Enqueue job ``name`` once, or once per due municipality. Returns how many."""
    from dugnad.jobs.queue import enqueue

    if not per_tenant:
        enqueue(name, tenant_id=None)
        return 1
    tenants = due_tenants(plugin_name)
    for tenant_id in tenants:
        enqueue(name, tenant_id=tenant_id)
    return len(tenants)
