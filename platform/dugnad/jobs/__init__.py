"""Background jobs: RQ when DUGNAD_REDIS_URL is set, inline otherwise.

A job is a registered function (``register_jobs``) called with plain ids, never ORM
objects. It runs inside the app and, when it carries one, the tenant's context; it
commits on success and rolls back on failure, so it never half-applies, and it must
be idempotent because RQ retries it.
"""

from dugnad.jobs.queue import enqueue, enqueue_after_commit, redis_connection, will_retry

__all__ = ["enqueue", "enqueue_after_commit", "redis_connection", "will_retry"]
