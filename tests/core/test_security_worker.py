"""Issue 16's worker findings: a killed job waited ~11 minutes; the scheduler and cron children
outlived a `kill -9` of the worker, and a restart then doubled the per-minute schedule."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid

import fakeredis
import pytest
from rq import Queue, Retry
from rq.registry import StartedJobRegistry

from dugnad.jobs.worker import (
    DugnadWorker,
    TenantJob,
    acquire_cron_lock,
    renew_cron_lock,
)
from tests.conftest import REDIS_URL


@pytest.fixture
def redis():
    if REDIS_URL:
        from redis import Redis

        return Redis.from_url(REDIS_URL)
    return fakeredis.FakeRedis()


def test_a_job_whose_worker_died_is_retried_within_a_minute(redis):
    queue = Queue(f"dugnad-abandoned-{uuid.uuid4().hex[:8]}", connection=redis, job_class=TenantJob)
    job = queue.enqueue("tests.support.sample_plugin.count_notes", retry=Retry(max=3))
    worker = DugnadWorker([queue], connection=redis, job_class=TenantJob)
    # the worker takes the job and heartbeats it once, then is killed (-9): no more heartbeats
    queue.remove(job.id)
    registry = StartedJobRegistry(queue=queue)
    started = time.time()
    worker.prepare_execution(job)  # what RQ does as it starts a job: the heartbeat's expiry
    assert job.id in registry.get_job_ids(cleanup=False)
    # the next maintenance run comes within MAINTENANCE_EVERY (the idle wait is no longer):
    worst = started + worker.get_heartbeat_ttl(job) + max(worker.maintenance_interval, worker.dequeue_timeout)
    assert worst - started <= 60
    registry.cleanup(timestamp=worst)
    assert job.id in queue.get_job_ids()  # back in the queue, to be retried
    assert job.id not in registry.get_job_ids()
    queue.empty()


def test_one_cron_per_queue_holds_the_lock(redis):
    key = f"dugnad:cron-lock:test-{uuid.uuid4().hex[:8]}"
    assert acquire_cron_lock(redis, key, "first")
    assert not acquire_cron_lock(redis, key, "second")  # a restarted worker waits
    assert renew_cron_lock(redis, key, "first")
    assert not renew_cron_lock(redis, key, "second")
    redis.delete(key)
    assert acquire_cron_lock(redis, key, "second")
    redis.delete(key)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_workers_children_die_with_it_even_on_kill_9(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent("""
        import multiprocessing, sys, time
        from multiprocessing.util import register_after_fork
        from dugnad.jobs.worker import _CHILDREN, die_with_parent

        def child():
            time.sleep(120)

        if __name__ == "__main__":
            register_after_fork(_CHILDREN, die_with_parent)
            process = multiprocessing.get_context("fork").Process(target=child)
            process.start()
            print(process.pid, flush=True)
            time.sleep(120)
    """))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the child outlived its parent's kill -9")
