"""Polls, their options, who may vote in them, and the ballots.

The database itself keeps the rules that concurrency could break:

- one ballot per voter per poll (``UNIQUE (tenant_id, poll_id, voter_id)``); a change of
  mind replaces the ballot in one statement (an upsert), it never adds a second;
- a ballot's voter and every mark's option belong to the ballot's own poll (composite
  keys on ``(tenant_id, poll_id, …)``), so a vote on an option of another poll is refused
  by the database as well as by the service;
- in an anonymous poll the ballot has no voter at all: ``poll_voter.has_voted`` flips from
  false to true in one conditional UPDATE, so a second ballot is refused, and nothing links
  the ballot back to the person (no voter id, no time stamps, random ids).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, BigInteger, CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Text,
                        UniqueConstraint, event, inspect, update)
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.extensions import db
from dugnad.tenancy import TenantScoped, tenant_fk
from dugnad.clock import utcnow
from dugnad.voting.rules import Criterion, PollRules

STATUSES = {
    "draft": _l("Draft"),
    "proposals": _l("Collecting proposals"),
    "scheduled": _l("Opens later"),
    "open": _l("Open"),
    "closed": _l("Closed for voting"),
}
VISIBILITY = {
    "live": _l("Everyone sees the results at any time"),
    "after_vote": _l("People see the results once they have voted"),
    "after_close": _l("Nobody sees the results until the poll closes"),
}
# Ballots and marks of anonymous polls get random ids (so their order tells nothing): 64 bits.
BIG_ID = BigInteger().with_variant(Integer, "sqlite")  # SQLite's INTEGER is 64-bit and keeps autoincrement

VOTER_KINDS = {"member": _l("Logged in"), "link": _l("Personal link"), "paper": _l("Paper ballot")}


def effective_state(status: str, opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str:
    """The status as people see it: an open poll outside its times is scheduled or closed
    (the scheduled job records the close; nobody has to wait for it)."""
    if status == "open":
        if opens_at and now < opens_at:
            return "scheduled"
        if closes_at and now >= closes_at:
            return "closed"
    return status


class Poll(TenantScoped, db.Model):
    """A vote on a process, optionally on one of its phases or activities."""

    __tablename__ = "poll"
    tenant_table_args = (
        tenant_fk("process_id", "process"),
        tenant_fk("phase_id", "phase", ondelete=None),
        tenant_fk("activity_id", "activity", ondelete=None),
        CheckConstraint("status IN ('draft', 'proposals', 'open', 'closed')", name="status"),
        CheckConstraint("results_visibility IN ('live', 'after_vote', 'after_close')", name="visibility"),
        # an anonymous ballot cannot be changed (nothing links it to its voter), and live
        # counts would show what the person who just voted chose
        CheckConstraint("NOT anonymous OR (NOT allow_change AND results_visibility = 'after_close')", name="anonymous"),
        Index("ix_poll_due", "status", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(index=True)
    phase_id: Mapped[int | None] = mapped_column()
    activity_id: Mapped[int | None] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    option_mode: Mapped[str] = mapped_column(String(16), default="fixed")  # fixed | proposals
    status: Mapped[str] = mapped_column(String(16), default="draft")
    results_visibility: Mapped[str] = mapped_column(String(16), default="live")
    anonymous: Mapped[bool] = mapped_column(default=False)
    allow_change: Mapped[bool] = mapped_column(default=True)
    member_voting: Mapped[bool] = mapped_column(default=True)  # members vote when logged in
    opens_at: Mapped[datetime | None]  # UTC
    closes_at: Mapped[datetime | None]  # UTC
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    source_ref: Mapped[str | None] = mapped_column(String(120), index=True)  # a plugin's object, e.g. "workshops.series:12"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def state(self, now: datetime | None = None) -> str:
        return effective_state(self.status, self.opens_at, self.closes_at, now or utcnow())

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        from dugnad.voting.rules import DEFAULT_CRITERIA

        given = (self.settings or {}).get("criteria")
        if not given:
            return DEFAULT_CRITERIA
        return tuple(Criterion(c["key"], c["label"], float(c.get("weight", 1))) for c in given)

    def rules(self, option_ids: tuple[int, ...], labels: tuple[tuple[int, str], ...] = ()) -> PollRules:
        settings = self.settings or {}
        known = {k: settings[k] for k in ("dots_per_person", "max_per_option", "stacking", "max_approvals",
                                           "score_min", "score_max", "ranked_variant") if k in settings}
        return PollRules(method=self.method, options=option_ids, criteria=self.criteria, labels=labels, **known)


class PollOption(TenantScoped, db.Model):
    __tablename__ = "poll_option"
    tenant_table_args = (tenant_fk("poll_id", "poll"), UniqueConstraint("tenant_id", "poll_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(index=True)
    label: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    source_ref: Mapped[str | None] = mapped_column(String(120))  # e.g. "workshops.solution:55"
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    proposed_by_voter_id: Mapped[int | None] = mapped_column()  # a link holder who proposed it
    withdrawn_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Voter(TenantScoped, db.Model):
    """One person's right to vote in one poll: a member, a personal link, or a paper ballot."""

    __tablename__ = "poll_voter"
    tenant_table_args = (
        tenant_fk("poll_id", "poll"),
        tenant_fk("participant_id", "participant", ondelete=None),
        UniqueConstraint("tenant_id", "poll_id", "id"),
        UniqueConstraint("tenant_id", "poll_id", "user_id"),
        UniqueConstraint("tenant_id", "poll_id", "participant_id"),
        UniqueConstraint("tenant_id", "token_hash"),  # cards are looked up under /<tenant>/vote/
        CheckConstraint("kind IN ('member', 'link', 'paper')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    participant_id: Mapped[int | None] = mapped_column()
    label: Mapped[str | None] = mapped_column(String(120))  # "Card 12", "Paper ballot 3"
    token_hash: Mapped[str | None] = mapped_column(String(64))  # personal links
    nonce: Mapped[str | None] = mapped_column(String(32))  # with the secret key, gives the link again for printing
    device_hash: Mapped[str | None] = mapped_column(String(64))  # the phone or browser that claimed the link
    claimed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    has_voted: Mapped[bool] = mapped_column(default=False)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ballot(TenantScoped, db.Model):
    """A voter's ballot: ``content`` in the method's shape (see ``dugnad.voting.tally``)."""

    __tablename__ = "poll_ballot"
    tenant_table_args = (
        tenant_fk("poll_id", "poll"),
        ForeignKeyConstraint(["tenant_id", "poll_id", "voter_id"],
                             ["poll_voter.tenant_id", "poll_voter.poll_id", "poll_voter.id"], ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "poll_id", "voter_id"),
        UniqueConstraint("tenant_id", "poll_id", "id"),
        CheckConstraint("weight >= 0", name="weight"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    poll_id: Mapped[int] = mapped_column(index=True)
    voter_id: Mapped[int | None] = mapped_column()  # None in anonymous polls
    content: Mapped[Any] = mapped_column(JSON)
    weight: Mapped[int] = mapped_column(default=0)  # dots used, options ticked or ranked, scores given
    on_paper: Mapped[bool] = mapped_column(default=False)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    cast_at: Mapped[datetime | None]  # None in anonymous polls
    updated_at: Mapped[datetime | None]


class BallotMark(TenantScoped, db.Model):
    """What a ballot gives one option (dots, a tick, a rank, a score; per criterion in the matrix)."""

    __tablename__ = "poll_mark"
    tenant_table_args = (
        ForeignKeyConstraint(["tenant_id", "poll_id", "ballot_id"],
                             ["poll_ballot.tenant_id", "poll_ballot.poll_id", "poll_ballot.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "poll_id", "option_id"],
                             ["poll_option.tenant_id", "poll_option.poll_id", "poll_option.id"], ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "ballot_id", "option_id", "criterion"),
        CheckConstraint("value >= 0", name="value"),
        Index("ix_poll_mark_option", "tenant_id", "poll_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    poll_id: Mapped[int] = mapped_column()
    ballot_id: Mapped[int] = mapped_column(BIG_ID)
    option_id: Mapped[int] = mapped_column()
    criterion: Mapped[str] = mapped_column(String(63), default="")
    value: Mapped[int] = mapped_column(default=1)


# A poll stays with its process when the phase or activity it was tied to goes away.
def _detach(column: str):
    def listener(_mapper, connection, target) -> None:
        table = Poll.__table__
        connection.execute(update(table).where(table.c.tenant_id == target.tenant_id, table.c[column] == target.id)
                           .values({column: None}))

    return listener


# A card's ballot (``dugnad_cast_card``, migration ``0010_vote_lock``) holds its poll's
# advisory lock shared while it is checked and stored. Whatever changes what it is checked
# against takes that lock exclusively first, on the connection of the change: it waits for
# the ballots in flight, and a ballot after it sees the change. The ORM's updates of these
# columns take it here; ``service.close_poll`` (a Core UPDATE) calls ``hold_poll`` itself.
POLL_LOCK_SPACE = 1886350444  # "poll" in ASCII: the first key of the lock, as in the migration
BALLOT_RULES = ("status", "opens_at", "closes_at", "method", "settings", "anonymous", "allow_change")


def hold_poll(connection, poll_id: int) -> None:
    """Wait for the card ballots of ``poll_id`` in flight; hold them off until this transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(space)s, %(poll)s)",
                                   {"space": POLL_LOCK_SPACE, "poll": int(poll_id)})


def _changes(target, names) -> bool:
    state = inspect(target)
    return any(state.attrs[name].history.has_changes() for name in names)


def _hold_changed_poll(_mapper, connection, target) -> None:
    if _changes(target, BALLOT_RULES):
        hold_poll(connection, target.id)


def _hold_poll_of_option(_mapper, connection, target) -> None:
    if _changes(target, ("withdrawn_at", "poll_id")):
        hold_poll(connection, target.poll_id)


def _listen() -> None:
    from dugnad.processes.models import Activity, Phase

    event.listen(Activity, "before_delete", _detach("activity_id"))
    event.listen(Phase, "before_delete", _detach("phase_id"))
    event.listen(Poll, "before_update", _hold_changed_poll)
    event.listen(PollOption, "before_update", _hold_poll_of_option)


_listen()
