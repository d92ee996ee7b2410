"""The RQ side: a tenant-aware job class, the worker and the periodic scheduler."""

from __future__ import annotations

import logging
import multiprocessing
from contextlib import nullcontext

from flask import Flask
from rq import Worker
from rq.cron import CronScheduler
from rq.job import Job

from dugnad.extensions import db
from dugnad.tenancy.context import tenant_context

log = logging.getLogger("dugnad.jobs")

_app: Flask | None = None


def bind_app(app: Flask) -> None:
    """The app jobs run inside, in this process (set by ``dugnad worker``)."""
    global _app
    _app = app


def _worker_app() -> Flask:
    if _app is None:
        from dugnad.app import create_app

        bind_app(create_app())
    return _app


class TenantJob(Job):
    """Runs each job inside the app and the tenant it carries in ``meta["tenant_id"]``;
    commits when it succeeds and rolls back when it fails (RQ then retries it)."""

    def _execute(self):
        app = _worker_app()
        tenant_id = self.meta.get("tenant_id")
        with app.app_context():
            try:
                with tenant_context(tenant_id) if tenant_id is not None else nullcontext():
                    result = super()._execute()
                    db.session.commit()
                    return result
            except Exception:
                db.session.rollback()
                raise


def run_worker(app: Flask, burst: bool = False, with_cron: bool = True) -> bool:
    from dugnad.jobs.queue import get_queue

    bind_app(app)
    queue = get_queue(app)
    if queue is None:
        raise RuntimeError("DUGNAD_REDIS_URL is not set: with no Redis, jobs run inline and need no worker")
    cron = None
    if with_cron and not burst:
        cron = multiprocessing.Process(target=run_cron, args=(app.extensions["dugnad.settings"],), daemon=True)
        cron.start()
    try:
        worker = Worker([queue], connection=queue.connection, job_class=TenantJob)
        return worker.work(burst=burst, with_scheduler=True)
    finally:
        if cron is not None:
            cron.terminate()


def run_cron(settings) -> None:
    """Enqueue every registered schedule when due (``rq cron``), until stopped."""
    from dugnad.app import create_app

    app = create_app(settings)
    with app.app_context():
        scheduler = build_cron(app)
    log.info("cron started", extra={"schedules": len(scheduler.get_jobs())})
    scheduler.start()


def build_cron(app: Flask) -> CronScheduler:
    from dugnad.jobs import schedules
    from dugnad.jobs.queue import redis_connection

    settings = app.extensions["dugnad.settings"]
    scheduler = CronScheduler(connection=redis_connection(app), name=f"dugnad-cron-{settings.queue_name}")
    for plugin_name, schedule in app.extensions["dugnad.plugins"].registry.schedules:
        scheduler.register(
            schedules.fan_out,
            queue_name=settings.queue_name,
            args=(schedules.job_name(schedule.job), plugin_name, schedule.per_tenant),
            cron=schedule.cron,
            # cron history lives under rq:cron_job:<name> for the whole server: name it per queue
            name=f"{settings.queue_name}:{plugin_name}:{schedules.job_name(schedule.job)}",
        )
    return scheduler
