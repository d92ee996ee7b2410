"""The voting core's figures for regional benchmarking (see ``dugnad.benchmarking.metrics``)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import and_, func, select

from dugnad.benchmarking.metrics import period_table
from dugnad.extensions import db
from dugnad.voting.models import Ballot, Poll


def _closed_between(start: date, end: date):
    return Poll.status == "closed", Poll.closed_at >= datetime.combine(start, time()), Poll.closed_at < datetime.combine(end, time())


def ballots_cast(tenant_id: int, start: date, end: date) -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot).join(
        Poll, (Poll.id == Ballot.poll_id) & (Poll.tenant_id == Ballot.tenant_id)).where(*_closed_between(start, end)))


def polls_closed(tenant_id: int, start: date, end: date) -> int:
    return db.session.scalar(select(func.count()).select_from(Poll).where(*_closed_between(start, end)))


# --- set-based: every municipality and period in one query each (for the recompute) ---


def _closed_in(p):
    return Poll.status == "closed", Poll.closed_at >= p.c.start_at, Poll.closed_at < p.c.end_at


def _with_zeros(periods, rows):
    """A count of 0 (not 'no data') where a municipality had nothing in a period."""
    from dugnad.tenancy.models import Tenant

    have = {(n, t): count for n, t, count in rows}
    return [(n, t, have.get((n, t), 0)) for t in db.session.scalars(select(Tenant.id)) for n in range(len(periods))]


def ballots_cast_all(periods):
    p = period_table(periods)
    return _with_zeros(periods, db.session.execute(
        select(p.c.n, Poll.tenant_id, func.count(Ballot.id))
        .join(Poll, and_(*_closed_in(p)))
        .join(Ballot, (Ballot.poll_id == Poll.id) & (Ballot.tenant_id == Poll.tenant_id))
        .group_by(p.c.n, Poll.tenant_id)).all())


def polls_closed_all(periods):
    p = period_table(periods)
    return _with_zeros(periods, db.session.execute(
        select(p.c.n, Poll.tenant_id, func.count()).join(Poll, and_(*_closed_in(p)))
        .group_by(p.c.n, Poll.tenant_id)).all())
