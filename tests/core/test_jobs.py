"""Background jobs and the e-mail outbox: inline with no Redis, on RQ with Redis;
each job in the municipality it carries, all or nothing, retried when it fails;
schedules fanned out to the municipalities that use them; mail sent once."""

from __future__ import annotations

import smtplib
import uuid
from datetime import timedelta

import pytest
from redis import Redis
from rq import SimpleWorker
from rq.job import JobStatus
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry
from sqlalchemy import select

from dugnad.extensions import db
from dugnad.jobs import enqueue, enqueue_after_commit, queue as queue_module, schedules, worker as worker_module
from dugnad.jobs.worker import TenantJob, bind_app, build_cron
from dugnad.notifications import OutboxMessage, outbox, queue_mail
from dugnad.notifications.outbox import STALE_CLAIM, deliver
from dugnad.plugins import job_name
from dugnad.tenancy import Tenant, TenantContextMissing, TenantPlugin, current_tenant_id, tenant_context
from dugnad.clock import utcnow
from tests.conftest import REDIS_URL
from tests.support import sample_plugin
from tests.support.sample_plugin import add_note, count_notes, failing_job
from tests.support.sample_plugin.models import Note


# --- helpers -----------------------------------------------------------------


def notes_in(app, tenant_id: int) -> list[str]:
    with app.app_context():
        with tenant_context(tenant_id):
            texts = db.session.scalars(select(Note.text).order_by(Note.id)).all()
        db.session.remove()
    return list(texts)


def counted() -> list[tuple]:
    """(job, tenant it ran in, what it counted) for every count_notes run so far."""
    return [c for c in sample_plugin.calls if c[0] == "count_notes"]


@pytest.fixture
def raise_job_errors(app):
    """Inline job failures are logged, not raised, outside the tests; some tests want that."""
    previous = app.config.get("DUGNAD_RAISE_JOB_ERRORS")
    yield app.config
    if previous is None:
        app.config.pop("DUGNAD_RAISE_JOB_ERRORS", None)
    else:
        app.config["DUGNAD_RAISE_JOB_ERRORS"] = previous


class SmtpLog:
    """Stands in for the mail server: records what was sent, or fails when told to."""

    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []
        self.fail_with: Exception | None = None

    def __call__(self, url: str, message: OutboxMessage) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append((url, message.recipient, message.subject))


@pytest.fixture
def smtp(app, monkeypatch):
    log = SmtpLog()
    monkeypatch.setattr(app.extensions["dugnad.settings"], "smtp_url", "smtp://mail.dugnad.test:2525")
    monkeypatch.setattr(outbox, "_send_smtp", log)
    return log


def message_row(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        db.session.remove()
    return message


def new_message(app, **values) -> int:
    """An outbox row as a crashed or not yet run delivery leaves it (no job enqueued)."""
    fields = dict(tenant_id=None, kind="test", recipient="someone@example.org", subject_ref=uuid.uuid4().hex,
                  subject="Hello", body="Hello there", status="queued")
    fields.update(values)
    fields["dedupe_key"] = f"{fields['kind']}:{fields['recipient']}:{fields['subject_ref']}"
    with app.app_context():
        message = OutboxMessage(**fields)
        db.session.add(message)
        db.session.commit()
        message_id = message.id
        db.session.remove()
    return message_id


# --- inline (no Redis) -----------------------------------------------------------


def test_with_no_redis_a_job_runs_at_once_inside_the_tenant_it_carries(app_context, world):
    alpha, beta = world.tenants["alpha"], world.tenants["beta"]
    with tenant_context(alpha):
        assert enqueue(count_notes) == 2
        assert enqueue(count_notes, tenant_id=beta) == 2
        assert current_tenant_id() == alpha  # the caller's context is left as it was
    assert counted() == [("count_notes", alpha, 2), ("count_notes", beta, 2)]


def test_a_job_can_be_named_by_its_registered_name(app_context, world):
    assert enqueue(job_name(count_notes), tenant_id=world.tenants["beta"]) == 2
    assert counted() == [("count_notes", world.tenants["beta"], 2)]


def test_a_region_job_runs_with_no_tenant_and_cannot_read_tenant_data(app_context, world):
    with tenant_context(world.tenants["alpha"]):
        with pytest.raises(TenantContextMissing):
            enqueue(count_notes, tenant_id=None)
    assert counted() == []


def test_only_registered_functions_can_be_enqueued(app_context, world):
    def not_a_job():
        pass

    for job in (not_a_job, "os.system", "tests.support.sample_plugin.calls"):
        with pytest.raises(LookupError):
            enqueue(job, tenant_id=None)
        with pytest.raises(LookupError):
            enqueue_after_commit(job, tenant_id=None)
    db.session.commit()
    assert sample_plugin.calls == []


def test_an_inline_job_commits_its_writes_in_its_own_tenant(app, app_context, world):
    note_id = enqueue(add_note, "from a job", tenant_id=world.tenants["beta"])
    assert isinstance(note_id, int)
    assert notes_in(app, world.tenants["beta"])[-1] == "from a job"
    assert "from a job" not in notes_in(app, world.tenants["alpha"])


def test_a_failing_job_rolls_back_its_writes(app, app_context, world):
    with pytest.raises(RuntimeError, match="boom"):
        enqueue(failing_job, "half done", tenant_id=world.tenants["alpha"])
    assert notes_in(app, world.tenants["alpha"]) == ["alpha note 0", "alpha note 1"]


def test_outside_the_tests_a_failing_inline_job_is_logged_and_the_callers_work_stands(app, world, raise_job_errors, caplog):
    raise_job_errors["DUGNAD_RAISE_JOB_ERRORS"] = False
    with app.app_context():
        with tenant_context(world.tenants["alpha"]):
            db.session.add(Note(text="the caller's note"))
            enqueue_after_commit(failing_job, "half done")
            db.session.commit()  # the job fails after this commit; the commit stands
        db.session.remove()
    assert notes_in(app, world.tenants["alpha"]) == ["alpha note 0", "alpha note 1", "the caller's note"]
    assert any(r.message == "inline job failed" for r in caplog.records)


# --- enqueue_after_commit ---------------------------------------------------------


def test_a_job_enqueued_after_commit_waits_for_the_commit(app, app_context, world):
    alpha = world.tenants["alpha"]
    with tenant_context(alpha):
        db.session.add(Note(text="saved with the job"))
        enqueue_after_commit(count_notes)
        db.session.flush()
        assert counted() == []  # not before the commit
        db.session.commit()
    # it ran once, after the commit, in the tenant it was enqueued in, and saw the committed row
    assert counted() == [("count_notes", alpha, 3)]
    db.session.commit()
    assert len(counted()) == 1  # and only once


def test_a_job_enqueued_after_commit_never_runs_after_a_rollback(app, app_context, world):
    with tenant_context(world.tenants["alpha"]):
        db.session.add(Note(text="never saved"))
        enqueue_after_commit(add_note, "from the job")
        db.session.rollback()
        db.session.add(Note(text="saved later"))
        db.session.commit()
    assert notes_in(app, world.tenants["alpha"]) == ["alpha note 0", "alpha note 1", "saved later"]


def test_a_job_enqueued_before_anything_else_is_dropped_by_the_rollback_too(app, app_context, world):
    with tenant_context(world.tenants["alpha"]):
        db.session.commit()  # nothing begun: a fresh transaction starts with the next statement
        enqueue_after_commit(add_note, "from the job")
        db.session.rollback()
        db.session.add(Note(text="saved later"))
        db.session.commit()
    assert notes_in(app, world.tenants["alpha"]) == ["alpha note 0", "alpha note 1", "saved later"]


def test_releasing_a_savepoint_is_not_the_commit(app, app_context, world):
    alpha = world.tenants["alpha"]
    with tenant_context(alpha):
        enqueue_after_commit(count_notes)
        with db.session.begin_nested():
            db.session.add(Note(text="in a savepoint"))
        assert counted() == []
        db.session.commit()
    assert counted() == [("count_notes", alpha, 3)]


def test_rolling_back_a_savepoint_drops_only_the_jobs_enqueued_inside_it(app, app_context, world):
    alpha = world.tenants["alpha"]
    with tenant_context(alpha):
        db.session.add(Note(text="outer"))
        enqueue_after_commit(add_note, "outer job")
        savepoint = db.session.begin_nested()
        db.session.add(Note(text="inner"))
        enqueue_after_commit(add_note, "inner job")
        savepoint.rollback()
        db.session.commit()
    assert notes_in(app, alpha) == ["alpha note 0", "alpha note 1", "outer", "outer job"]


def test_a_job_enqueued_after_commit_keeps_the_tenant_it_was_enqueued_in(app, app_context, world):
    with tenant_context(world.tenants["beta"]):
        enqueue_after_commit(count_notes)
    db.session.commit()  # committed outside any tenant
    assert counted() == [("count_notes", world.tenants["beta"], 2)]


# --- RQ (real Redis with DUGNAD_TEST_REDIS_URL, else fakeredis) --------------------


class RQ:
    def __init__(self, app, connection, queue_name):
        self.app, self.connection, self.queue_name = app, connection, queue_name
        self.workers = 0

    @property
    def queue(self):
        return queue_module.get_queue(self.app)

    def work(self) -> None:
        """Run every job waiting in the queue, as `dugnad worker --burst` would, in this process."""
        self.workers += 1
        worker = SimpleWorker([self.queue], connection=self.connection, job_class=TenantJob,
                              name=f"{self.queue_name}-worker-{self.workers}")
        worker.work(burst=True)

    def job_ids(self) -> set[str]:
        queue = self.queue
        ids = set(queue.get_job_ids())
        for registry in (queue.finished_job_registry, queue.failed_job_registry, queue.scheduled_job_registry,
                         queue.started_job_registry, queue.deferred_job_registry, queue.canceled_job_registry):
            ids.update(registry.get_job_ids())
        return ids


@pytest.fixture
def rq(app, monkeypatch):
    """The app switched to RQ for one test, on a queue of its own."""
    import fakeredis

    connection = Redis.from_url(REDIS_URL) if REDIS_URL else fakeredis.FakeRedis()
    queue_name = f"dugnad-test-{uuid.uuid4().hex[:10]}"
    settings = app.extensions["dugnad.settings"]
    monkeypatch.setattr(settings, "redis_url", REDIS_URL or "redis://fakeredis")
    monkeypatch.setattr(settings, "queue_name", queue_name)
    monkeypatch.setitem(app.extensions, "dugnad.redis", connection)
    monkeypatch.setattr(worker_module, "_app", None)
    bind_app(app)
    harness = RQ(app, connection, queue_name)
    try:
        yield harness
    finally:
        if REDIS_URL:  # a shared server: remove exactly what this test made
            ids = harness.job_ids()
            keys = {k for k in connection.scan_iter(f"*{queue_name}*", count=1000)}
            for job_id in ids:
                keys.update(connection.scan_iter(f"rq:*{job_id}*", count=1000))
            if keys:
                connection.delete(*keys)
            connection.srem("rq:queues", f"rq:queue:{queue_name}")
            for name in connection.zrange("rq:cron_jobs", 0, -1):
                if queue_name in name.decode():
                    connection.zrem("rq:cron_jobs", name)
            for n in range(1, harness.workers + 1):
                connection.srem("rq:workers", f"rq:worker:{queue_name}-worker-{n}")
        connection.close()


def test_on_rq_a_job_carries_its_tenant_and_the_worker_runs_it_there(rq, app, world):
    alpha, beta = world.tenants["alpha"], world.tenants["beta"]
    with app.app_context():
        with tenant_context(alpha):
            first = enqueue(count_notes)
            second = enqueue(count_notes, tenant_id=beta)
    assert first.meta["tenant_id"] == alpha and second.meta["tenant_id"] == beta
    assert first.origin == rq.queue_name
    assert first.retries_left == len(queue_module.RETRY_INTERVALS)
    assert counted() == []  # nothing runs until a worker takes it
    assert rq.queue.count == 2

    rq.work()
    assert counted() == [("count_notes", alpha, 2), ("count_notes", beta, 2)]
    first.refresh()
    assert first.get_status() == JobStatus.FINISHED and first.return_value() == 2
    assert rq.queue.count == 0


def test_on_rq_a_job_commits_its_writes_in_its_tenant(rq, app, world):
    with app.app_context():
        job = enqueue(add_note, "written by the worker", tenant_id=world.tenants["beta"])
    assert notes_in(app, world.tenants["beta"]) == ["beta note 0", "beta note 1"]  # not yet
    rq.work()
    assert notes_in(app, world.tenants["beta"])[-1] == "written by the worker"
    assert "written by the worker" not in notes_in(app, world.tenants["alpha"])
    assert FinishedJobRegistry(rq.queue_name, connection=rq.connection).get_job_ids() == [job.id]


def test_on_rq_a_region_job_runs_with_no_tenant(rq, app, world, monkeypatch):
    monkeypatch.setattr(queue_module, "RETRY_INTERVALS", [0])
    with app.app_context():
        with tenant_context(world.tenants["alpha"]):  # the caller's tenant does not travel with it
            job = enqueue(count_notes, tenant_id=None)
    assert job.meta["tenant_id"] is None
    rq.work()
    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert "TenantContextMissing" in job.latest_result().exc_string
    assert counted() == []


def test_on_rq_a_failing_job_is_rolled_back_and_retried_later(rq, app, world):
    with app.app_context():
        job = enqueue(failing_job, "half done", tenant_id=world.tenants["alpha"])
    rq.work()
    job.refresh()
    assert job.get_status() == JobStatus.SCHEDULED
    assert job.retries_left == len(queue_module.RETRY_INTERVALS) - 1
    assert job.id in ScheduledJobRegistry(rq.queue_name, connection=rq.connection).get_job_ids()
    assert FailedJobRegistry(rq.queue_name, connection=rq.connection).get_job_ids() == []
    assert notes_in(app, world.tenants["alpha"]) == ["alpha note 0", "alpha note 1"]


def test_on_rq_a_job_that_keeps_failing_ends_in_the_failed_registry(rq, app, world, monkeypatch):
    monkeypatch.setattr(queue_module, "RETRY_INTERVALS", [0, 0])  # retry at once, twice
    with app.app_context():
        job = enqueue(failing_job, "half done", tenant_id=world.tenants["alpha"])
    rq.work()
    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert job.retries_left == 0
    assert FailedJobRegistry(rq.queue_name, connection=rq.connection).get_job_ids() == [job.id]
    assert "boom" in job.latest_result().exc_string
    assert notes_in(app, world.tenants["alpha"]) == ["alpha note 0", "alpha note 1"]


def test_on_rq_enqueue_after_commit_sends_the_job_only_after_the_commit(rq, app, world):
    with app.app_context():
        with tenant_context(world.tenants["alpha"]):
            enqueue_after_commit(add_note, "after commit")
            db.session.flush()
            assert rq.queue.count == 0
            db.session.commit()
            assert rq.queue.count == 1
            enqueue_after_commit(add_note, "rolled back")
            db.session.rollback()
            db.session.commit()
        db.session.remove()
    assert rq.queue.count == 1
    rq.work()
    assert notes_in(app, world.tenants["alpha"])[2:] == ["after commit"]


def test_a_job_id_is_unique_to_the_deployments_queue(rq, app, world):
    """RQ keeps jobs under rq:job:<id> for the whole server: two deployments (or test
    runs) sharing a Redis must not overwrite each other's 'outbox-1'."""
    with app.app_context():
        job = enqueue(count_notes, tenant_id=world.tenants["alpha"], job_id="count-once")
        again = enqueue(count_notes, tenant_id=world.tenants["alpha"], job_id="count-once")
    assert job.id == again.id
    assert rq.queue_name in job.id and job.id.endswith("count-once")


# --- schedules ---------------------------------------------------------------------


@pytest.fixture
def gamma(app, world):
    """A third municipality with the sample plugin on, then suspended; beta switches it off."""
    with app.app_context():
        tenant = Tenant(slug="gamma", name="Gamma", number="3401", settings={})
        db.session.add(tenant)
        db.session.flush()
        db.session.add(TenantPlugin(tenant_id=tenant.id, plugin="sample", enabled=True))
        tenant.status, tenant.suspended_reason = "suspended", "testing"
        db.session.get(TenantPlugin, (world.tenants["beta"], "sample")).enabled = False
        db.session.commit()
        tenant_id = tenant.id
        db.session.remove()
    return tenant_id


def test_fan_out_runs_a_tenant_schedule_only_where_it_is_due(app_context, world, gamma):
    assert schedules.due_tenants("sample") == [world.tenants["alpha"]]
    assert schedules.fan_out(job_name(count_notes), "sample", True) == 1
    assert counted() == [("count_notes", world.tenants["alpha"], 2)]


def test_a_core_schedule_is_due_in_every_active_municipality(app_context, world, gamma):
    assert schedules.due_tenants("dugnad.accounts.plugin") == [world.tenants["alpha"], world.tenants["beta"]]


def test_fan_out_of_a_region_schedule_enqueues_it_once_with_no_tenant(app_context, world):
    with pytest.raises(TenantContextMissing):  # count_notes needs a tenant: proves it ran as a region job
        schedules.fan_out(job_name(count_notes), "sample", False)


def test_on_rq_fan_out_enqueues_one_job_per_due_municipality(rq, app, world, gamma):
    with app.app_context():
        assert schedules.fan_out(job_name(count_notes), "sample", True) == 1
    jobs = rq.queue.get_jobs()
    assert [(j.func_name, j.meta["tenant_id"]) for j in jobs] == [(job_name(count_notes), world.tenants["alpha"])]


def test_build_cron_registers_every_schedule_and_a_firing_runs_it_per_municipality(rq, app, world, gamma):
    registered = app.extensions["dugnad.plugins"].registry.schedules
    assert registered, "the sample plugin registers a schedule"
    with app.app_context():
        scheduler = build_cron(app)
    entries = scheduler.get_jobs()
    assert len(entries) == len(registered)
    by_name = {entry.name: entry for entry in entries}
    entry = by_name[f"{rq.queue_name}:sample:{job_name(count_notes)}"]
    assert entry.cron == "0 6 * * *"
    assert entry.queue_name == rq.queue_name
    assert entry.func is schedules.fan_out
    assert entry.args == (job_name(count_notes), "sample", True)

    entry.enqueue(rq.connection)  # what the cron process does at 06:00
    rq.work()  # runs fan_out, which enqueues count_notes for alpha; the burst worker runs that too
    assert counted() == [("count_notes", world.tenants["alpha"], 2)]


def test_a_schedule_fired_by_two_schedulers_in_the_same_minute_runs_once(rq, app, world, gamma):
    """Two app servers each running the schedules (or two workers without --no-cron)."""
    with app.app_context():
        entry = {e.name: e for e in build_cron(app).get_jobs()}[f"{rq.queue_name}:sample:{job_name(count_notes)}"]
    first, second = entry.enqueue(rq.connection), entry.enqueue(rq.connection)
    second.enqueued_at = first.enqueued_at  # the same minute, whatever the clock did between the two lines
    second.save()
    rq.work()
    assert counted() == [("count_notes", world.tenants["alpha"], 2)]
    # the next minute's firing runs again
    third = entry.enqueue(rq.connection)
    third.enqueued_at = first.enqueued_at + timedelta(minutes=1)
    third.save()
    rq.work()
    assert counted() == [("count_notes", world.tenants["alpha"], 2)] * 2


# --- the outbox ---------------------------------------------------------------------


def test_the_same_message_is_queued_once(app, app_context, world):
    with tenant_context(world.tenants["alpha"]):
        first = queue_mail("invitation", "Kari@Example.org", "invitation:7", "Welcome", "Body one")
        second = queue_mail("invitation", "kari@example.org", "invitation:7", "Welcome again", "Body two")
        other = queue_mail("invitation", "kari@example.org", "invitation:8", "Welcome", "Body")
        db.session.commit()
        assert first.id == second.id != other.id
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(r.subject_ref, r.subject, r.tenant_id) for r in rows] == [
        ("invitation:7", "Welcome", world.tenants["alpha"]),
        ("invitation:8", "Welcome", world.tenants["alpha"]),
    ]


def test_the_unique_key_holds_in_the_database_too(app, app_context, world):
    from sqlalchemy.exc import IntegrityError

    new_message(app, kind="k", recipient="a@example.org", subject_ref="x")
    db.session.add(OutboxMessage(kind="k", recipient="a@example.org", subject_ref="x", dedupe_key="k:a@example.org:x",
                                 subject="s", body="b"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_with_no_mail_server_a_message_is_held_for_the_outbox_page(app, app_context, world):
    with tenant_context(world.tenants["alpha"]):
        message = queue_mail("notice", "kari@example.org", "notice:1", "Notice", "Read me")
        db.session.commit()  # delivery runs inline after the commit
    row = message_row(app, message.id)
    assert (row.status, row.attempts, row.sent_at) == ("held", 1, None)
    assert deliver(message.id) == "skipped"  # held is final: nothing to send it with
    assert message_row(app, message.id).attempts == 1


def test_a_message_is_sent_once_however_often_delivery_runs(app, app_context, world, smtp):
    with tenant_context(world.tenants["alpha"]):
        message = queue_mail("notice", "kari@example.org", "notice:1", "Notice", "Read me")
        db.session.commit()
    assert smtp.sent == [("smtp://mail.dugnad.test:2525", "kari@example.org", "Notice")]
    assert deliver(message.id) == "skipped"
    assert deliver(message.id) == "skipped"
    assert len(smtp.sent) == 1
    row = message_row(app, message.id)
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1


def test_a_failing_mail_server_leaves_the_message_to_be_retried(app, app_context, world, smtp):
    message_id = new_message(app, recipient="kari@example.org")
    smtp.fail_with = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver(message_id)  # raises, so RQ retries the job
    row = message_row(app, message_id)
    assert row.status == "failed" and row.sent_at is None  # inline: no retry is coming, but it is claimable
    assert "unexpectedly closed" in row.last_error and row.attempts == 1
    assert smtp.sent == []

    smtp.fail_with = None
    assert deliver(message_id) == "sent"
    row = message_row(app, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert len(smtp.sent) == 1


def test_a_message_whose_last_attempt_failed_is_marked_failed(app, app_context, world, smtp):
    """Inline there is no retry: the outbox page must say it failed, not that it waits."""
    message_id = new_message(app)
    smtp.fail_with = OSError("no route to host")
    with pytest.raises(OSError):
        deliver(message_id)
    assert message_row(app, message_id).status == "failed"
    smtp.fail_with = None
    assert deliver(message_id) == "sent"  # and it can still be sent later


def test_a_claim_left_by_a_crashed_sender_is_taken_over_only_when_stale(app, app_context, world, smtp):
    recent = new_message(app, status="sending", claimed_at=utcnow() - timedelta(minutes=1), attempts=1)
    stale = new_message(app, status="sending", claimed_at=utcnow() - STALE_CLAIM - timedelta(minutes=1), attempts=1)
    assert deliver(recent) == "skipped"  # someone may be sending it right now
    assert deliver(stale) == "sent"
    assert message_row(app, recent).status == "sending"
    assert (message_row(app, stale).status, message_row(app, stale).attempts) == ("sent", 2)
    assert len(smtp.sent) == 1


def test_on_rq_delivery_runs_in_the_worker_once_and_is_retried_when_the_server_fails(rq, app, world, smtp):
    smtp.fail_with = smtplib.SMTPConnectError(421, "try later")
    with app.app_context():
        with tenant_context(world.tenants["alpha"]):
            message = queue_mail("notice", "kari@example.org", "notice:1", "Notice", "Read me")
            db.session.commit()
            message_id = message.id
        db.session.remove()
    (job,) = rq.queue.get_jobs()
    assert job.func_name == job_name(deliver) and job.args == (message_id,)
    assert job.meta["tenant_id"] == world.tenants["alpha"]
    assert job.id.endswith(f"outbox-{message_id}")

    rq.work()
    job.refresh()
    assert job.get_status() == JobStatus.SCHEDULED and job.retries_left == len(queue_module.RETRY_INTERVALS) - 1
    assert message_row(app, message_id).status == "queued"  # a retry is coming
    assert smtp.sent == []

    smtp.fail_with = None
    rq.queue.enqueue_job(job)  # the retry comes due
    rq.work()
    assert message_row(app, message_id).status == "sent"
    with app.app_context():
        assert enqueue(deliver, message_id, tenant_id=world.tenants["alpha"]) is not None  # delivered again by mistake
    rq.work()
    assert len(smtp.sent) == 1


def test_on_rq_a_message_is_marked_failed_when_the_last_retry_fails(rq, app, world, smtp, monkeypatch):
    monkeypatch.setattr(queue_module, "RETRY_INTERVALS", [0, 0])
    smtp.fail_with = smtplib.SMTPConnectError(421, "try later")
    with app.app_context():
        message = queue_mail("notice", "kari@example.org", "notice:1", "Notice", "Read me", tenant_id=None)
        db.session.commit()
        message_id = message.id
        db.session.remove()
    rq.work()
    row = message_row(app, message_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert FailedJobRegistry(rq.queue_name, connection=rq.connection).count == 1


def test_send_smtp_speaks_to_the_configured_server(app, app_context, world, monkeypatch):
    sessions = []

    class FakeSMTP:
        def __init__(self, host, port, timeout=None):
            self.host, self.port, self.steps = host, port, []
            sessions.append(self)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.steps.append("quit")

        def starttls(self):
            self.steps.append("starttls")

        def login(self, user, password):
            self.steps.append(("login", user, password))

        def send_message(self, email):
            self.steps.append(("send", email["From"], email["To"], email["Subject"], email.get_content().strip()))

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    settings = app.extensions["dugnad.settings"]
    monkeypatch.setattr(settings, "smtp_url", "smtp+starttls://postmaster%40alfa.no:s%C3%A6cret@mail.alfa.no:587")
    message_id = new_message(app, recipient="kari@example.org", subject="Velkommen", body="Hei Kari")
    assert deliver(message_id) == "sent"
    (smtp,) = sessions
    assert (smtp.host, smtp.port) == ("mail.alfa.no", 587)
    assert smtp.steps == [
        "starttls",
        ("login", "postmaster@alfa.no", "sæcret"),
        ("send", settings.mail_sender, "kari@example.org", "Velkommen", "Hei Kari"),
        "quit",
    ]


# --- the outbox pages ------------------------------------------------------------------


@pytest.fixture
def mailbag(app, world):
    """One message for alpha, one for beta, one password reset (no municipality)."""
    ids = {}
    with app.app_context():
        for slug in ("alpha", "beta"):
            with tenant_context(world.tenants[slug]):
                ids[slug] = queue_mail("notice", f"reader@{slug}.example.org", "notice:1", f"News for {slug}",
                                       f"Body for {slug}").id
        ids["reset"] = queue_mail("password-reset", "forgetful@example.org", "reset:abc", "Reset your password",
                                  "Secret reset link", tenant_id=None).id
        db.session.commit()
        db.session.remove()
    return ids


def test_a_municipalitys_outbox_lists_only_its_own_messages(client_as, mailbag):
    page = client_as("alpha_admin").get("/alpha/admin/outbox/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "reader@alpha.example.org" in html and "News for alpha" in html
    assert "beta.example.org" not in html and "News for beta" not in html
    assert "forgetful@example.org" not in html and "Reset your password" not in html


def test_a_message_is_readable_only_in_its_own_municipality(client_as, mailbag):
    admin = client_as("alpha_admin")
    mine = admin.get(f"/alpha/admin/outbox/{mailbag['alpha']}")
    assert mine.status_code == 200 and "Body for alpha" in mine.get_data(as_text=True)
    for other in (mailbag["beta"], mailbag["reset"]):
        response = admin.get(f"/alpha/admin/outbox/{other}")
        assert response.status_code == 404
        assert "Body for beta" not in response.get_data(as_text=True)
        assert "Secret reset link" not in response.get_data(as_text=True)
    # beta's admin cannot read alpha's message through alpha's address either
    assert client_as("beta_admin").get(f"/alpha/admin/outbox/{mailbag['alpha']}").status_code == 404


def test_admins_and_coordinators_read_their_municipalitys_outbox_and_members_do_not(client_as, mailbag):
    assert client_as("alpha_member").get("/alpha/admin/outbox/").status_code == 403
    assert client_as("alpha_member").get(f"/alpha/admin/outbox/{mailbag['alpha']}").status_code == 403
    # coordinators send voting links and requests that, with no mail server, wait here
    coordinator = client_as("alpha_coordinator")
    listed = coordinator.get("/alpha/admin/outbox/")
    assert listed.status_code == 200 and "News for alpha" in listed.text and "News for beta" not in listed.text
    assert 'href="/alpha/admin/outbox/"' in listed.text  # in their menu
    assert "Body for alpha" in coordinator.get(f"/alpha/admin/outbox/{mailbag['alpha']}").text
    assert coordinator.get(f"/alpha/admin/outbox/{mailbag['beta']}").status_code == 404


def test_password_reset_mail_is_visible_only_in_the_region_outbox(client_as, mailbag):
    region = client_as("region")
    html = region.get("/region/outbox/").get_data(as_text=True)
    assert "forgetful@example.org" in html
    # the region's outbox holds the region's own mail, not the municipalities' (issue 16)
    for text in ("reader@alpha.example.org", "reader@beta.example.org"):
        assert text not in html
    message = region.get(f"/region/outbox/{mailbag['reset']}")
    assert message.status_code == 200 and "Secret reset link" in message.get_data(as_text=True)
    assert region.get("/region/outbox/999999").status_code == 404
    # a municipality's admin is not a region admin
    assert client_as("alpha_admin").get("/region/outbox/").status_code == 403
    assert client_as("alpha_admin").get(f"/region/outbox/{mailbag['reset']}").status_code == 403


def test_the_sweep_delivers_what_lost_jobs_left_behind_and_nothing_else(app, app_context, world, smtp):
    from dugnad.notifications.outbox import STALLED_QUEUE, retry_stalled

    lost = new_message(app, recipient="lost@example.org", created_at=utcnow() - STALLED_QUEUE - timedelta(minutes=1))
    fresh = new_message(app, recipient="fresh@example.org")  # its job may still be on its way
    crashed = new_message(app, recipient="crashed@example.org", status="sending", attempts=1,
                          claimed_at=utcnow() - STALE_CLAIM - timedelta(minutes=1))
    done = new_message(app, recipient="done@example.org", status="sent", created_at=utcnow() - timedelta(days=1))
    assert retry_stalled() == 2
    assert sorted(to for _, to, _ in smtp.sent) == ["crashed@example.org", "lost@example.org"]
    assert message_row(app, fresh).status == "queued" and message_row(app, done).status == "sent"
    assert message_row(app, lost).status == "sent" and message_row(app, crashed).status == "sent"
    assert retry_stalled() == 0  # nothing twice


def test_the_sweep_is_scheduled(app):
    from dugnad.notifications.outbox import retry_stalled

    schedules_ = app.extensions["dugnad.plugins"].registry.schedules
    assert any(s.job is retry_stalled and not s.per_tenant for _, s in schedules_)


def test_a_401_from_the_api_names_the_bearer_scheme(app):
    response = app.test_client().get("/api/v1/members/")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
