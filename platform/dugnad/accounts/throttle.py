"""Login throttling: growing delays per account *and* address, never a lock-out of the owner.

Three counters of attempts in a sliding window (15 minutes):

- the account from one address — the guesser at one keyboard: after 5 failures each
  next try waits 1 s, 2 s, 4 s … up to 15 minutes;
- the account from any address — a guesser spread over many addresses: after 20, the
  same growth but at most a minute, so the real owner, elsewhere, waits a minute at worst;
- the address for any account — one machine spraying many accounts: after 50 (an office
  behind one NAT address is many people, not one), growing to 15 minutes.

An attempt is *reserved* before the password is checked, atomically (one Lua script in
Redis when there is Redis; in the database otherwise), so twelve simultaneous guesses
cannot all be checked against a limit of five. A login that succeeds gives the reservation
back and clears the account's counters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from dugnad.accounts.models import LoginFailure
from dugnad.extensions import db
from dugnad.tenancy.models import utcnow

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Rule:
    prefix: str
    free: int  # attempts before delays start
    cap: int  # longest delay, seconds


PAIR = Rule("pair", 5, 15 * 60)
ACCOUNT = Rule("account", 20, 60)
ADDRESS = Rule("address", 50, 15 * 60)
RULES = (PAIR, ACCOUNT, ADDRESS)


def delay(attempts: int, rule: Rule) -> int:
    """Seconds until the next attempt, after ``attempts`` in the window."""
    if attempts < rule.free:
        return 0
    return int(min(2 ** (attempts - rule.free), rule.cap))


def _keys(email: str, address: str) -> list[str]:
    account = email.strip().lower()
    return [f"pair:{account}|{address}", f"account:{account}", f"address:{address}"]


_RESERVE = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wait = 0
for i, key in ipairs(KEYS) do
  local nxt = tonumber(redis.call('HGET', key, 'next') or '0')
  if nxt > now and nxt - now > wait then wait = nxt - now end
end
if wait > 0 then return math.ceil(wait) end
for i, key in ipairs(KEYS) do
  local n = redis.call('HINCRBY', key, 'n', 1)
  local free = tonumber(ARGV[1 + 2 * i])
  local cap = tonumber(ARGV[2 + 2 * i])
  if n >= free then redis.call('HSET', key, 'next', now + math.min(2 ^ (n - free), cap)) end
  redis.call('EXPIRE', key, window)
end
return 0
"""


def _redis():
    from dugnad.jobs.queue import redis_connection

    return redis_connection()


def reserve(email: str, address: str) -> int:
    """Take one attempt for this account and address: 0 when it may go ahead, else the
    seconds to wait (nothing is taken then)."""
    keys = _keys(email, address)
    redis = _redis()
    if redis is not None:
        args = [time.time(), int(WINDOW.total_seconds())]
        for rule in RULES:
            args += [rule.free, rule.cap]
        return int(redis.eval(_RESERVE, len(keys), *[f"dugnad:throttle:{k}" for k in keys], *args))
    return _reserve_in_database(keys)


def _reserve_in_database(keys: list[str]) -> int:
    now = utcnow()
    since = now - WINDOW
    rows = dict(
        (key, (count, last))
        for key, count, last in db.session.execute(
            select(LoginFailure.key, func.count(), func.max(LoginFailure.created_at))
            .where(LoginFailure.key.in_(keys), LoginFailure.created_at > since)
            .group_by(LoginFailure.key)
        ).all()
    )
    wait = 0.0
    for key, rule in zip(keys, RULES):
        count, last = rows.get(key, (0, None))
        if last is not None:
            # the attempt that made it ``count`` set the wait from its own moment
            wait = max(wait, (last + timedelta(seconds=delay(count, rule)) - now).total_seconds())
    if wait > 0:
        return int(wait) + 1
    db.session.add_all([LoginFailure(key=key, created_at=now) for key in keys])
    db.session.execute(delete(LoginFailure).where(LoginFailure.created_at < since))
    db.session.commit()
    return 0


def succeeded(email: str, address: str) -> None:
    """The password was right: clear the account's counters, give the address its attempt back."""
    pair, account, address_key = _keys(email, address)
    redis = _redis()
    if redis is not None:
        with redis.pipeline() as pipe:  # MULTI/EXEC
            pipe.delete(f"dugnad:throttle:{pair}", f"dugnad:throttle:{account}")
            pipe.hincrby(f"dugnad:throttle:{address_key}", "n", -1)
            pipe.hset(f"dugnad:throttle:{address_key}", "next", 0)
            pipe.execute()
        return
    db.session.execute(delete(LoginFailure).where(LoginFailure.key.in_([pair, account])))
    newest = db.session.scalar(select(func.max(LoginFailure.id)).where(LoginFailure.key == address_key))
    if newest is not None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.id == newest))


def clear_account(email: str) -> None:
    """A password reset: the owner proved themselves by e-mail; the account starts afresh."""
    account = email.strip().lower()
    redis = _redis()
    if redis is not None:
        keys = [k for k in redis.scan_iter(match=f"dugnad:throttle:pair:{account}|*")]
        redis.delete(f"dugnad:throttle:account:{account}", *keys)
        return
    db.session.execute(delete(LoginFailure).where(
        (LoginFailure.key == f"account:{account}") | LoginFailure.key.startswith(f"pair:{account}|")))
