"""A voting card's ballot in one round trip: the 500 phones of a workshop room pressing
"vote" at once.

``cast_card`` reads a ballot of a core method (dot, approval, single choice) from the
form without the poll's options, with the method's own ``dump``/``marks``/``weight``,
and hands it to one database function, ``dugnad_cast_card`` (migration ``0008_vote``),
which checks the card, this device's hold on it, the poll (open, method, options,
budget) and stores the ballot and its marks — what ``service.cast`` does in eight round
trips through the ORM. On SQLite (the embedded demo) the same steps run as a short
transaction of Core statements.

While it checks and stores, the ballot holds the poll's advisory lock shared (migration
``0010_vote_lock``; no row lock), which closing or changing the poll takes exclusively
(``models.hold_poll``). Over htmx the whole request usually never reaches Flask:
``voting.lean`` checks what Flask would and calls ``cast_card`` itself.

It stores only a ballot the general path would store too. Anything else — a plugin's
method, a form it cannot read, a card not yet held by this device, a closed poll, a
ballot over budget — gives ``None`` with nothing written, and the caller takes the
general path (``public.cast``), which decides and words the refusal exactly as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

from sqlalchemy import TextClause, delete, func, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dugnad.clock import utcnow
from dugnad.extensions import db
from dugnad.tenancy.context import current_tenant_id
from dugnad.tenancy.scoping import tenant_settings_cte
from dugnad.voting import builtin
from dugnad.voting.models import Ballot, BallotMark, Poll, PollOption, Voter
from dugnad.voting.service import CODE_LENGTH, code_hash, method_registry, normalise_code

# the methods served here, as the core registers them (a plugin's replacement is not)
SERVED = {"dot": builtin.DOT, "approval": builtin.APPROVAL, "single": builtin.SINGLE}

# after the tenant's settings (``scoping.tenant_settings_cte``), from which it takes the tenant
CAST_CARD = (
    "SELECT card.outcome, card.allow_change, card.anonymous FROM scope CROSS JOIN LATERAL dugnad_cast_card("
    "CAST(scope.tenant_id AS integer), :token, CAST(:devices AS text[]), :method, CAST(:options AS integer[]), "
    "CAST(:values AS integer[]), CAST(:content AS json), :weight, CAST(:now AS timestamp), :ballot_id, "
    "CAST(:mark_ids AS bigint[])) AS card")


@dataclass(frozen=True)
class Stored:
    """The ballot is stored; what the confirmation says depends on these."""

    allow_change: bool
    anonymous: bool


@dataclass(frozen=True)
class CardBallot:
    method: str
    options: list[int]
    values: list[int]
    content: Any
    weight: int


def read_ballot(form: Mapping[str, Any]) -> CardBallot | None:
    """The ballot a card's form describes, for the methods served here; None when the form
    is not plainly one of them (the general path reads it then, with the poll's options)."""
    dots = [name for name in form.keys() if name.startswith("dots-")]
    present = [key for key, there in (("dot", bool(dots)), ("approval", "approve" in form),
                                      ("single", "choice" in form)) if there]
    if len(present) != 1:
        return None
    key = present[0]
    method = SERVED[key]
    if method_registry().get(key) is not method:
        return None
    try:
        if key == "dot":
            ballot: Any = {}
            for name in dots:
                option = name.removeprefix("dots-")
                if not (option.isascii() and option.isdigit()) or str(int(option)) != option:
                    return None
                value = (form.get(name) or "").strip()
                if not value:
                    continue
                dots_given = int(value)
                if dots_given < 0:
                    return None
                if dots_given:
                    ballot[int(option)] = dots_given
        elif key == "approval":
            ballot = {int(value) for value in form.getlist("approve")}
        else:
            choice = form.get("choice")
            if not choice:
                return None
            ballot = int(choice)
    except ValueError:
        return None
    marks = method.marks(ballot)
    return CardBallot(key, [option for option, _criterion, _value in marks], [value for _o, _c, value in marks],
                      method.dump(ballot), method.weight(ballot))


def cast_card(code: str, device_secrets: Iterable[str], form: Mapping[str, Any]) -> Stored | None:
    """Store the card's ballot in one round trip, or None (nothing written) for the general path."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    ballot = read_ballot(form)
    if ballot is None:
        return None
    devices = [hashlib.sha256(secret.encode()).hexdigest() for secret in device_secrets if isinstance(secret, str)]
    if not devices:
        return None  # this device does not hold a card yet: claiming it is the general path's
    tenant_id, token, now = current_tenant_id(), code_hash(code), utcnow()
    ballot_id, mark_ids = secrets.randbits(62), [secrets.randbits(62) for _ in ballot.options]  # for anonymous polls
    if db.engine.dialect.name != "postgresql":
        return _cast_in_steps(db.session.connection(), tenant_id, token, devices, ballot, now, ballot_id, mark_ids)
    scope, settings = tenant_settings_cte()
    parameters = {**settings, "token": token, "devices": devices, "method": ballot.method, "options": ballot.options,
                  "values": ballot.values, "content": json.dumps(ballot.content), "weight": ballot.weight, "now": now,
                  "ballot_id": ballot_id, "mark_ids": mark_ids}
    if _session_has_work_open():  # the ballot joins that transaction (and sees what it wrote)
        outcome, allow_change, anonymous = db.session.connection().execute(_statement(scope), parameters).one()
    else:  # its own transaction: the statement is the whole round trip, BEGIN and COMMIT included
        outcome, allow_change, anonymous = _autocommit(_driver_statement(scope), parameters)
    return Stored(allow_change, anonymous) if outcome == "stored" else None


@functools.cache
def _statement(scope: str) -> TextClause:
    return text(scope + CAST_CARD)  # parsed once: text() costs more than the rest of the call


@functools.cache
def _driver_statement(scope: str) -> str:
    """The statement in psycopg's own placeholders (``%(name)s``), for the driver's cursor."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", scope + CAST_CARD)


def _autocommit(statement: str, parameters: dict) -> tuple:
    """Run the statement as its own transaction on a pooled connection's psycopg cursor,
    prepared on the server (``prepare=True``: parsed and planned once per connection): what
    ``engine.connect()`` with AUTOCOMMIT did, without SQLAlchemy's connection, execution
    context and isolation-level setting and resetting around one SELECT (most of the vote's
    Python time after the network). The statement only reads as far as SQLAlchemy's
    statement watch can tell (the function writes inside a SELECT): the caller moves the
    municipality's stamp, as before."""
    pooled = db.engine.raw_connection()
    try:
        connection = pooled.driver_connection
        connection.autocommit = True  # idle between checkouts: no round trip
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, parameters, prepare=True)
                return cursor.fetchone()
        finally:
            connection.autocommit = False  # as the pool gives it to everyone else
    except BaseException:
        pooled.invalidate()  # whatever state it is in, no one else gets it
        raise
    finally:
        pooled.close()


def _session_has_work_open() -> bool:
    transaction = db.session().get_transaction()
    return transaction is not None and bool(transaction._connections)


# --- SQLite: the function's steps, in the same order, as Core statements -------------------------------


def _refused(method: str, settings: dict[str, Any], values: list[int]) -> bool:
    """The method's rules as ``dugnad_cast_card`` applies them (a setting of an unexpected
    shape refuses here, and the general path decides)."""
    def number(name: str, default: Any) -> Any:
        value = settings.get(name, default)
        return value if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)) else False

    if method == "dot":
        budget, cap, stacking = number("dots_per_person", 2), number("max_per_option", None), settings.get("stacking", True)
        if budget is None or budget is False or cap is False or not isinstance(stacking, bool):
            return True
        if budget < 1 or (cap is not None and cap < 1):  # PollRules refuses these
            return True
        most = max(values, default=0)
        return sum(values) > budget or (not stacking and most > 1) or (cap is not None and most > cap)
    if method == "approval":
        limit = number("max_approvals", None)
        return (limit is False or (limit is not None and (limit < 1 or len(values) > limit))
                or any(v != 1 for v in values))
    return len(values) != 1 or values[0] != 1


def _cast_in_steps(connection, tenant_id: int, token: str, devices: list[str], ballot: CardBallot, now: datetime,
                   ballot_id: int, mark_ids: list[int]) -> Stored | None:
    voters, polls, options = Voter.__table__, Poll.__table__, PollOption.__table__
    ballots, marks = Ballot.__table__, BallotMark.__table__
    card = connection.execute(select(voters.c.id, voters.c.poll_id, voters.c.device_hash, voters.c.revoked_at,
                                     voters.c.has_voted).where(
        voters.c.tenant_id == tenant_id, voters.c.token_hash == token)).first()
    if card is None or card.revoked_at is not None or card.device_hash not in devices:
        return None
    poll = connection.execute(select(polls.c.status, polls.c.opens_at, polls.c.closes_at, polls.c.method,
                                     polls.c.settings, polls.c.anonymous, polls.c.allow_change)
                              .where(polls.c.tenant_id == tenant_id, polls.c.id == card.poll_id)).one()
    if (poll.status != "open" or (poll.opens_at is not None and now < poll.opens_at)
            or (poll.closes_at is not None and now >= poll.closes_at)):
        return None
    if poll.method != ballot.method or len(set(ballot.options)) != len(ballot.options) or min(ballot.values, default=1) < 1:
        return None
    known = connection.execute(select(func.count()).select_from(options).where(
        options.c.tenant_id == tenant_id, options.c.poll_id == card.poll_id, options.c.withdrawn_at.is_(None),
        options.c.id.in_(ballot.options))).scalar() if ballot.options else 0
    if known != len(ballot.options) or _refused(ballot.method, poll.settings or {}, ballot.values):
        return None
    rows = [{"tenant_id": tenant_id, "poll_id": card.poll_id, "option_id": option, "criterion": "", "value": value}
            for option, value in zip(ballot.options, ballot.values)]
    if poll.anonymous:
        flipped = connection.execute(update(voters).where(
            voters.c.tenant_id == tenant_id, voters.c.poll_id == card.poll_id, voters.c.id == card.id,
            voters.c.has_voted.is_(False)).values(has_voted=True)).rowcount
        if not flipped:
            return None
        connection.execute(insert(ballots).values(tenant_id=tenant_id, id=ballot_id, poll_id=card.poll_id,
                                                  voter_id=None, content=ballot.content, weight=ballot.weight,
                                                  on_paper=False, entered_by_id=None))
        if rows:
            connection.execute(insert(marks), [{**row, "id": mark_id, "ballot_id": ballot_id}
                                               for row, mark_id in zip(rows, mark_ids)])
        return Stored(poll.allow_change, poll.anonymous)
    values = {"tenant_id": tenant_id, "poll_id": card.poll_id, "voter_id": card.id, "content": ballot.content,
              "weight": ballot.weight, "on_paper": False, "entered_by_id": None, "cast_at": now, "updated_at": now}
    statement = sqlite_insert(ballots).values(**values)
    keys = ["tenant_id", "poll_id", "voter_id"]
    if poll.allow_change:
        statement = statement.on_conflict_do_update(index_elements=keys, set_={
            "content": ballot.content, "weight": ballot.weight, "on_paper": False, "entered_by_id": None,
            "updated_at": now})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    stored_id = connection.execute(statement.returning(ballots.c.id)).scalar()
    if stored_id is None:
        return None
    connection.execute(delete(marks).where(marks.c.tenant_id == tenant_id, marks.c.poll_id == card.poll_id,
                                           marks.c.ballot_id == stored_id))
    if rows:
        connection.execute(insert(marks), [{**row, "ballot_id": stored_id} for row in rows])
    if not card.has_voted:  # a change of mind leaves the card's row alone
        connection.execute(update(voters).where(voters.c.tenant_id == tenant_id, voters.c.id == card.id)
                           .values(has_voted=True))
    return Stored(poll.allow_change, poll.anonymous)
