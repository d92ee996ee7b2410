"""The periodic schedules with no Redis: the web server runs them itself.

With ``DUGNAD_REDIS_URL`` set, ``dugnad worker`` runs the schedules (``rq cron``). The
embedded default has no worker, so reminders, idle flags, retention and the nightly
benchmark snapshots would never run. Instead each web process (``dugnad.wsgi``) starts a
small thread; only the one holding an exclusive lock on ``instance/schedules.lock`` runs
the schedules, so with several gunicorn workers each schedule still runs once. Should
that worker stop, the lock goes with it and another worker's thread takes over within a
tick. Jobs run inline (as every job does without Redis), one after the other.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from datetime import datetime
from pathlib import Path

from croniter import croniter
from flask import Flask

log = logging.getLogger("dugnad.jobs")

TICK_SECONDS = 20


class LocalCron:
    """The schedules of one app, run when due by whichever process holds the lock."""

    def __init__(self, app: Flask, lock_path: Path | None = None):
        self.app = app
        settings = app.extensions["dugnad.settings"]
        self.lock_path = Path(lock_path or Path(settings.instance_path) / "schedules.lock")
        self._lock_file = None
        self._next: dict[str, datetime] = {}

    def holds_lock(self) -> bool:
        """Take the lock if nobody has it; True while this process has it."""
        if self._lock_file is not None:
            return True
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle
        log.info("this process runs the periodic schedules", extra={"lock": str(self.lock_path)})
        return True

    def release(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def tick(self, now: datetime) -> list[str]:
        """Run what is due at ``now`` (Oslo time, naive, as the schedules are written) if this process holds the lock; returns
        the names of the schedules run. A schedule first seen is due at its next time
        after ``now`` (nothing is made up for while the server was down)."""
        if not self.holds_lock():
            self._next.clear()  # whoever holds the lock keeps the times; start afresh on taking over
            return []
        from dugnad.jobs import schedules

        ran = []
        with self.app.app_context():
            for plugin_name, schedule in self.app.extensions["dugnad.plugins"].registry.schedules:
                name = f"{plugin_name}:{schedules.job_name(schedule.job)}"
                due = self._next.get(name)
                if due is None:
                    self._next[name] = croniter(schedule.cron, now).get_next(datetime)
                    continue
                if due > now:
                    continue
                self._next[name] = croniter(schedule.cron, now).get_next(datetime)
                try:
                    schedules.fan_out(schedules.job_name(schedule.job), plugin_name, schedule.per_tenant)
                    ran.append(name)
                except Exception:  # one schedule failing stops no other
                    log.exception("schedule failed", extra={"schedule": name})
        return ran


def start(app: Flask) -> threading.Thread | None:
    """In a web process with no Redis: run the schedules in a daemon thread."""
    settings = app.extensions["dugnad.settings"]
    if settings.redis_url or os.environ.get("DUGNAD_LOCAL_CRON", "1") == "0":
        return None
    cron = LocalCron(app)
    stop = threading.Event()

    def loop():
        from dugnad.clock import local_now

        while not stop.wait(TICK_SECONDS):
            try:
                cron.tick(local_now())
            except Exception:
                log.exception("local cron tick failed")

    thread = threading.Thread(target=loop, name="dugnad-local-cron", daemon=True)
    thread.start()
    app.extensions["dugnad.local_cron"] = (cron, stop)
    return thread
