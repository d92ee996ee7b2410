"""Scheduled work: close polls whose closing time has come, and tell their organisers.

Reads stay correct without it (an open poll past its closing time already counts as
closed and accepts no ballot); the job records the close and sends the note. One job
a minute for the whole region, not one per municipality: it finds the due polls in a
region scope (read-only) and closes each inside its own municipality."""

from __future__ import annotations

from sqlalchemy import select

from dugnad.extensions import db
from dugnad.jobs import enqueue_after_commit
from dugnad.tenancy.context import region_scope, tenant_context
from dugnad.tenancy.models import Tenant
from dugnad.clock import utcnow
from dugnad.voting.mail import closed_note
from dugnad.voting.models import Poll


def close_due_polls() -> int:
    now = utcnow()
    with region_scope("voting: find polls whose closing time has passed"):
        due = db.session.execute(
            select(Poll.tenant_id, Poll.id).join(Tenant, Tenant.id == Poll.tenant_id)
            .where(Poll.status == "open", Poll.closes_at.is_not(None), Poll.closes_at <= now, Tenant.status == "active")
            .order_by(Poll.tenant_id, Poll.id)
        ).all()
    db.session.commit()  # end the read-only transaction before writing as each municipality
    closed = 0
    for tenant_id, poll_id in due:
        with tenant_context(tenant_id):
            from dugnad.voting.service import close_poll, get_poll

            poll = get_poll(poll_id)
            if poll is not None and close_poll(poll):
                enqueue_after_commit(closed_note, poll.id, job_id=f"poll-closed-{tenant_id}-{poll.id}")
                closed += 1
            db.session.commit()
    return closed
