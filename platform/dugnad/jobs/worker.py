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


# A job whose worker died is taken as abandoned, and retried, this long after its last
# heartbeat; RQ's own figures (a 90 s heartbeat, a maintenance run every 10 minutes and a
# 7-minute wait for the next job) made that about eleven minutes.
HEARTBEAT_EVERY = 10
ABANDONED_AFTER = 20
MAINTENANCE_EVERY = 20
IDLE_WAIT = 20
CRON_LOCK_TTL = 60


class DugnadWorker(Worker):
    """RQ's worker, tuned so that a killed job is retried within a minute."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", HEARTBEAT_EVERY)
        kwargs.setdefault("maintenance_interval", MAINTENANCE_EVERY)
        kwargs.setdefault("worker_ttl", IDLE_WAIT + 15)  # RQ waits for a job worker_ttl − 15 s
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job: Job) -> int:
        return max(1, super().get_heartbeat_ttl(job) - 60 + ABANDONED_AFTER)


def die_with_parent(_=None) -> None:
    """In a child process: be sent SIGTERM when the parent dies, even by ``kill -9`` (Linux),
    so no scheduler or cron is left behind to run beside the next worker's."""
    import ctypes
    import os
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the cron lock still keeps the schedule single
        return
    if os.getppid() == 1:  # the parent died before we got here
        os._exit(0)


class _ChildrenDieWithParent:
    """Registered with multiprocessing: every child it forks (RQ's scheduler, our cron) calls
    :func:`die_with_parent` first."""


_CHILDREN = _ChildrenDieWithParent()


def run_worker(app: Flask, burst: bool = False, with_cron: bool = True) -> bool:
    from multiprocessing.util import register_after_fork

    from dugnad.jobs.queue import get_queue

    bind_app(app)
    queue = get_queue(app)
    if queue is None:
        raise RuntimeError("DUGNAD_REDIS_URL is not set: with no Redis, jobs run inline and need no worker")
    register_after_fork(_CHILDREN, die_with_parent)
    cron = None
    if with_cron and not burst:
        cron = multiprocessing.Process(target=run_cron, args=(app.extensions["dugnad.settings"],), daemon=True,
                                       name="dugnad-cron")
        cron.start()
    try:
        worker = DugnadWorker([queue], connection=queue.connection, job_class=TenantJob)
        return worker.work(burst=burst, with_scheduler=True)
    finally:
        if cron is not None:
            cron.terminate()
            cron.join(5)


def cron_lock_key(settings) -> str:
    return f"dugnad:cron-lock:{settings.queue_name}"


_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


def acquire_cron_lock(connection, key: str, owner: str) -> bool:
    """One cron per queue: a worker restarted beside a surviving one must not double the schedule."""
    return bool(connection.set(key, owner, nx=True, ex=CRON_LOCK_TTL))


def renew_cron_lock(connection, key: str, owner: str) -> bool:
    return bool(connection.eval(_RENEW, 1, key, owner, CRON_LOCK_TTL))


def run_cron(settings) -> None:
    """Enqueue every registered schedule when due (``rq cron``), until stopped — while
    holding the queue's cron lock in Redis; with another cron holding it, wait."""
    import os
    import signal
    import threading
    import time
    import uuid

    from dugnad.app import create_app
    from dugnad.jobs.queue import redis_connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C goes to the worker, which stops us cleanly
    app = create_app(settings)
    connection = redis_connection(app)
    key, owner = cron_lock_key(settings), f"{os.getpid()}:{uuid.uuid4().hex}"
    while not acquire_cron_lock(connection, key, owner):
        log.info("cron waits: another worker runs the schedules", extra={"lock": key})
        time.sleep(CRON_LOCK_TTL / 4)

    def keep_lock():
        while renew_cron_lock(connection, key, owner):
            time.sleep(CRON_LOCK_TTL / 4)
        log.warning("cron lock lost: stopping the schedules", extra={"lock": key})
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=keep_lock, daemon=True, name="cron-lock").start()
    with app.app_context():
        scheduler = build_cron(app)
    log.info("cron started", extra={"schedules": len(scheduler.get_jobs())})
    try:
        scheduler.start()
    finally:
        connection.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
                        1, key, owner)


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
