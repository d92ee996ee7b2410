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


def first_for_this_tick(name: str, plugin_name: str) -> bool:
    """Whether this firing of a schedule is the first one for its minute.

    ``rq cron`` has no lock: with more than one worker running the schedules (by mistake,
    or two app servers each started with them) every firing comes twice. The first
    ``fan_out`` of a minute takes a key in Redis (kept a day) and the others do nothing,
    so a reminder goes out once however many schedulers run. Inline (no Redis) there is
    one process, and nothing to guard."""
    from rq import get_current_job

    job = get_current_job()
    if job is None or job.enqueued_at is None:
        return True
    tick = job.enqueued_at.strftime("%Y%m%d%H%M")
    key = f"dugnad:cron-tick:{job.origin}:{plugin_name}:{name}:{tick}"
    return bool(job.connection.set(key, job.id, nx=True, ex=24 * 3600))


def fan_out(name: str, plugin_name: str, per_tenant: bool) -> int:
    """Enqueue job ``name`` once, or once per due municipality. Returns how many."""
    from dugnad.jobs.queue import enqueue

    if not first_for_this_tick(name, plugin_name):
        return 0
    if not per_tenant:
        enqueue(name, tenant_id=None)
        return 1
    tenants = due_tenants(plugin_name)
    for tenant_id in tenants:
        enqueue(name, tenant_id=tenant_id)
    return len(tenants)
