"""The voting core's figures for regional benchmarking (see ``dugnad.benchmarking.metrics``)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select

from dugnad.extensions import db
from dugnad.voting.models import Ballot, Poll


def _closed_between(start: date, end: date):
    return Poll.status == "closed", Poll.closed_at >= datetime.combine(start, time()), Poll.closed_at < datetime.combine(end, time())


def ballots_cast(tenant_id: int, start: date, end: date) -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot).join(
        Poll, (Poll.id == Ballot.poll_id) & (Poll.tenant_id == Ballot.tenant_id)).where(*_closed_between(start, end)))


def polls_closed(tenant_id: int, start: date, end: date) -> int:
    return db.session.scalar(select(func.count()).select_from(Poll).where(*_closed_between(start, end)))
