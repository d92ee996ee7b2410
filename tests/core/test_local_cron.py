"""With no Redis the web server runs the periodic schedules itself — once, however many
gunicorn workers there are: only the process holding the schedules lock runs them, and
another takes over when that one stops."""

from __future__ import annotations

from datetime import datetime

import pytest

from dugnad.jobs import local_cron
from dugnad.jobs.local_cron import LocalCron
from tests.support import sample_plugin


@pytest.fixture(autouse=True)
def _no_calls():
    sample_plugin.calls.clear()
    yield
    sample_plugin.calls.clear()


def _counted():
    return sorted(c[1] for c in sample_plugin.calls if c[0] == "count_notes")


def test_two_workers_run_a_due_schedule_once_and_the_other_takes_over(app, world, tmp_path, monkeypatch):
    registry = app.extensions["dugnad.plugins"].registry
    # only the sample's schedule ("0 6 * * *", per municipality), so nothing else counts notes
    monkeypatch.setattr(registry, "schedules", [s for s in registry.schedules if s[0] == "sample"])
    lock = tmp_path / "schedules.lock"
    first, second = LocalCron(app, lock), LocalCron(app, lock)  # two gunicorn workers, one instance folder
    try:
        for worker in (first, second):
            assert worker.tick(datetime(2026, 3, 2, 5, 59)) == []  # learns when things are due
        ran = first.tick(datetime(2026, 3, 2, 6, 0, 5)) + second.tick(datetime(2026, 3, 2, 6, 0, 5))
        assert ran == ["sample:tests.support.sample_plugin.count_notes"]  # once in all, not once per worker
        assert _counted() == sorted(world.tenants.values())
        first.tick(datetime(2026, 3, 2, 6, 0, 30))
        second.tick(datetime(2026, 3, 2, 6, 0, 30))
        assert len(_counted()) == 2  # not again within the same minute

        first.release()  # that worker stops; the other takes over
        sample_plugin.calls.clear()
        second.tick(datetime(2026, 3, 2, 7, 0))
        second.tick(datetime(2026, 3, 3, 6, 0, 10))
        assert _counted() == sorted(world.tenants.values())
        assert first.tick(datetime(2026, 3, 3, 6, 0, 20)) == []  # it does not come back as a second runner
        assert len(_counted()) == 2
    finally:
        first.release()
        second.release()


def test_the_server_starts_its_own_schedules_only_without_redis(app, monkeypatch):
    settings = app.extensions["dugnad.settings"]
    monkeypatch.setattr(settings, "redis_url", "redis://127.0.0.1:6379/0")
    assert local_cron.start(app) is None  # the worker (rq cron) runs them
    monkeypatch.setattr(settings, "redis_url", None)
    monkeypatch.setattr(local_cron, "TICK_SECONDS", 3600)
    thread = local_cron.start(app)
    try:
        assert thread is not None and thread.is_alive() and thread.daemon
    finally:
        app.extensions.pop("dugnad.local_cron")[1].set()
        thread.join(timeout=5)
