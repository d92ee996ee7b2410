"""Periodic work: one cron entry per schedule, fanned out per municipality where asked."""

from __future__ import annotations

import time

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


def first_for_this_moment(name: str) -> bool:
    """Every ``dugnad worker`` runs the cron, so with several workers each schedule is
    enqueued several times at its moment: the first to claim (schedule, minute) in Redis
    runs it, the others do nothing. The moment is the minute nearest to when the cron
    enqueued this run, so two crons a second apart claim the same one."""
    from rq import get_current_job

    from dugnad.jobs.queue import redis_connection

    connection = redis_connection(current_app)
    if connection is None:  # inline jobs: one process, nothing to share
        return True
    job = get_current_job()
    moment = job.created_at.timestamp() if job is not None and job.created_at else time.time()
    minute = round(moment / 60)
    queue = current_app.extensions["dugnad.settings"].queue_name
    return bool(connection.set(f"dugnad:schedule:{queue}:{name}:{minute}", "1", nx=True, ex=24 * 3600))


def fan_out(name: str, plugin_name: str, per_tenant: bool) -> int:
    """Enqueue job ``name`` once, or once per due municipality (unless another worker's
    cron already did for this moment). Returns how many."""
    from dugnad.jobs.queue import enqueue

    if not first_for_this_moment(f"{plugin_name}:{name}"):
        return 0
    if not per_tenant:
        enqueue(name, tenant_id=None)
        return 1
    tenants = due_tenants(plugin_name)
    for tenant_id in tenants:
        enqueue(name, tenant_id=tenant_id)
    return len(tenants)
