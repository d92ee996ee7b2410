from __future__ import annotations

import contextvars
import logging
from contextlib import nullcontext
from typing import Any, Callable

from flask import Flask, current_app
from redis import Redis
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session

from dugnad.extensions import db
from dugnad.plugins import job_name
from dugnad.tenancy.context import current_tenant_id, tenant_context

log = logging.getLogger("dugnad.jobs")

RETRY_INTERVALS = [10, 60, 300]  # seconds between attempts


def redis_connection(app: Flask | None = None) -> Redis | None:
    app = app or current_app._get_current_object()  # each look through the proxy walks the context stack
    settings = app.extensions["dugnad.settings"]
    if not settings.redis_url:
        return None
    connection = app.extensions.get("dugnad.redis")
    if connection is None:
        connection = app.extensions["dugnad.redis"] = Redis.from_url(settings.redis_url)
    return connection


def get_queue(app: Flask | None = None) -> Queue | None:
    from dugnad.jobs.worker import TenantJob

    app = app or current_app
    connection = redis_connection(app)
    if connection is None:
        return None
    return Queue(app.extensions["dugnad.settings"].queue_name, connection=connection, job_class=TenantJob)


def _resolve(job: Callable | str) -> str:
    name = job if isinstance(job, str) else job_name(job)
    if name not in current_app.extensions["dugnad.plugins"].registry.jobs:
        raise LookupError(f"{name} is not a registered job (register_jobs)")
    return name


def enqueue(job: Callable | str, *args: Any, tenant_id: int | None = ..., job_id: str | None = None, **kwargs: Any):
    """Run ``job`` in the background (or now, inline, with no Redis).

    ``tenant_id`` defaults to the current tenant; pass None for a region-wide job.
    """
    name = _resolve(job)
    if tenant_id is ...:
        tenant_id = current_tenant_id()
    queue = get_queue()
    if queue is None:
        return run_inline(current_app._get_current_object(), name, tenant_id, args, kwargs)
    return queue.enqueue_call(
        func=name,
        args=args,
        kwargs=kwargs,
        # RQ keeps jobs as rq:job:<id> for the whole server: another deployment (queue)
        # on the same Redis must not overwrite this one's "outbox-1".
        job_id=f"{queue.name}-{job_id}" if job_id else None,
        meta={"tenant_id": tenant_id},
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
    )


def run_inline(app: Flask, name: str, tenant_id: int | None, args, kwargs) -> Any:
    """Run a job now in a session of its own, as the worker would. Failures are logged,
    not raised: the caller's work is already committed."""
    # A fresh context, as in a worker: nothing of the caller's (its tenant, a region
    # scope, the request) leaks into the job, so a region job runs with no tenant.
    return contextvars.Context().run(_run_inline, app, name, tenant_id, args, kwargs)


def _run_inline(app: Flask, name: str, tenant_id: int | None, args, kwargs) -> Any:
    func = app.extensions["dugnad.plugins"].registry.jobs[name]
    with app.app_context():
        try:
            with tenant_context(tenant_id) if tenant_id is not None else nullcontext():
                result = func(*args, **kwargs)
                db.session.commit()
                return result
        except Exception:
            db.session.rollback()
            log.exception("inline job failed", extra={"job": name, "job_tenant": tenant_id})
            if app.config.get("TESTING") and app.config.get("DUGNAD_RAISE_JOB_ERRORS", True):
                raise
            return None


def will_retry() -> bool:
    """Whether the job running now (in a worker) will be tried again if it fails; False
    outside a worker (inline jobs are not retried)."""
    from rq import get_current_job

    job = get_current_job()
    return job is not None and bool(job.retries_left)


def enqueue_after_commit(job: Callable | str, *args: Any, tenant_id: int | None = ..., job_id: str | None = None, **kwargs):
    """Enqueue once the current transaction has committed (dropped if it rolls back),
    so a job never sees rows that were not saved."""
    if tenant_id is ...:
        tenant_id = current_tenant_id()
    name = _resolve(job)
    session = db.session()
    # the (innermost) transaction the job belongs to: rolling it back drops the job
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault("dugnad_pending_jobs", []).append((transaction, name, args, kwargs, tenant_id, job_id))


@event.listens_for(Session, "after_commit")
def _flush_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the transaction may still roll back
    pending = session.info.pop("dugnad_pending_jobs", None)
    if not pending:
        return
    app = current_app._get_current_object()
    with app.app_context():
        for _transaction, name, args, kwargs, tenant_id, job_id in pending:
            enqueue(name, *args, tenant_id=tenant_id, job_id=job_id, **kwargs)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction) -> None:
    """Drop the jobs enqueued inside the transaction (or savepoint) that rolled back."""
    pending = session.info.get("dugnad_pending_jobs")
    if not pending:
        return

    def inside(transaction) -> bool:
        while transaction is not None:
            if transaction is previous_transaction:
                return True
            transaction = transaction.parent
        return False

    session.info["dugnad_pending_jobs"] = [p for p in pending if not inside(p[0])]


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction) -> None:
    if transaction.parent is None:  # closed without a commit (a commit has flushed them already)
        session.info.pop("dugnad_pending_jobs", None)


def scrub_jobs(person) -> int:
    """Delete the queued, scheduled, failed and finished jobs whose arguments, result or
    error name the person (with no Redis, jobs run at once and keep nothing)."""
    queue = get_queue(current_app._get_current_object())
    if queue is None:
        return 0
    import json

    from rq.job import Job
    from rq.registry import (
        DeferredJobRegistry,
        FailedJobRegistry,
        FinishedJobRegistry,
        ScheduledJobRegistry,
        StartedJobRegistry,
    )

    ids = set(queue.get_job_ids())
    for registry in (FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry, DeferredJobRegistry,
                     StartedJobRegistry):
        ids.update(registry(queue=queue).get_job_ids())
    removed = 0
    for job in Job.fetch_many(sorted(ids), connection=queue.connection):
        if job is None:
            continue
        try:
            result = job.latest_result()
            payload = [job.args, job.kwargs, job.meta,
                       result and (result.exc_string, result.return_value)]
        except Exception:  # a payload this process cannot unpickle: judge it by its raw bytes
            payload = [queue.connection.hget(job.key, "data")]
        text = " ".join(p.decode("utf-8", "replace") if isinstance(p, bytes) else
                        json.dumps(p, ensure_ascii=False, default=str) for p in payload)
        if person.mentioned_in(text) or any(ref in text for ref in person.refs):
            job.delete(remove_from_queue=True)
            removed += 1
    return removed
