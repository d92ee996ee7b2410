"""Logins that end: one row per login, referenced from the session and the remember cookie.

Flask-Login keeps ``user.get_id()`` in the session and signs the same value into the
"keep me logged in" cookie. Here that value is ``"<user id>:<login id>"``, so both cookies
name a row of ``login_session`` — and a login whose row is ended, expired or gone no
longer works, whatever cookie a browser (or an attacker) kept. Logging out ends that
login, a password reset ends all of a person's logins, and a person can see theirs on the
profile page and end any of them.

The check is one indexed lookup (the row by primary key, with its user) in :func:`load`,
the user loader, kept in this process under the ``logins`` stamp (``dugnad.versions``):
any write that may end or change a login moves it — a login ended, all of a person's
ended (password changed or reset), the person deactivated, changed or erased — so such a
change counts at the next request, on every server (the stamp lives in Redis when it is
configured), and an unchanged login costs no round trip. Expiry is checked against the
clock on every request. ``last_seen_at`` is written at most every few minutes (that touch
does not move the stamp). On PostgreSQL the lookup runs on its own in autocommit: login
and person are global tables, so it needs no tenant setting and no transaction (one round
trip, not four: BEGIN, SET LOCAL, the SELECT, ROLLBACK). The membership in a municipality
is kept per data version (``dugnad.accounts.permissions.membership_here``), so a removed
member is refused at the next request.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import ForeignKey, Integer, String, bindparam, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dugnad import cache, versions
from dugnad.accounts.models import User
from dugnad.extensions import attach_loaded, db
from dugnad.tenancy.models import utcnow
from dugnad.web import replay

REMEMBER_FOR = timedelta(days=30)  # "keep me logged in"
SESSION_FOR = timedelta(hours=12)  # otherwise: a working day, then log in again
SEEN_EVERY = timedelta(minutes=5)  # how stale "last seen" may be (saves a write per request)


class LoginSession(db.Model):
    """One login of one person, in one browser. Global, as people are."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(80), default="")
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def active(self) -> bool:
        return self.ended_at is None and self.expires_at > utcnow()


def describe_agent(header: str | None) -> str:
    """"Firefox on Linux" from a User-Agent header: enough to tell one's logins apart."""
    header = header or ""
    browsers = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"), ("Safari/", "Safari"))
    systems = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
               ("Mac OS X", "macOS"), ("Linux", "Linux"))
    browser = next((name for mark, name in browsers if mark in header), "")
    system = next((name for mark, name in systems if mark in header), "")
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or re.sub(r"[^\w./ -]", "", header)[:40]


def start(user: User, remember: bool, user_agent: str | None) -> LoginSession:
    now = utcnow()
    login = LoginSession(user_id=user.id, created_at=now, last_seen_at=now, remember=remember,
                         expires_at=now + (REMEMBER_FOR if remember else SESSION_FOR),
                         user_agent=describe_agent(user_agent))
    db.session.add(login)
    db.session.flush()
    user.login_id = login.id
    return login


def load(value: str) -> User | None:
    """The user loader: the person of a live login named by ``"<user id>:<login id>"``."""
    user_id, _, login_id = value.partition(":")
    if not (user_id.isdigit() and login_id.isdigit()) or len(login_id) > 18:
        return None  # a cookie from before logins were recorded, or not one of ours
    key = "login:" + login_id
    row, stamps = cache.get_local_fresh(key, (versions.LOGINS,))
    if row is None:
        found = _read_login(int(login_id))
        if found is None or found.ended_at is not None:
            return None
        row = found._asdict()
        cache.put_local_fresh(key, row, stamps)
    now = utcnow()
    if row["user_id"] != int(user_id) or row["expires_at"] <= now:
        return None
    user = attach_loaded(User, {c: row[c] for c in _USER_COLUMNS})
    if now - row["last_seen_at"] > SEEN_EVERY:
        db.session.execute(update(LoginSession).where(LoginSession.id == row["login_id"]).values(last_seen_at=now))
        db.session.commit()
        cache.put_local_fresh(key, {**row, "last_seen_at": now}, stamps)
    user.login_id = row["login_id"]
    # past this moment the login has expired or is touched again: a kept answer ends there
    replay.not_after(min(row["expires_at"], row["last_seen_at"] + SEEN_EVERY).replace(tzinfo=timezone.utc).timestamp())
    return user


_USER_COLUMNS = ("id", "email", "name", "password_hash", "is_region_admin", "locale", "active", "created_at",
                 "last_login_at")


def _login_statement():
    """The login and its person in one plain statement read on every request: an ended
    login or a reset password count at once. Plain rows, not ORM objects: this runs before
    every page."""
    login, user = LoginSession.__table__, User.__table__
    return (
        select(login.c.id.label("login_id"), login.c.user_id, login.c.expires_at, login.c.ended_at,
               login.c.last_seen_at, *(user.c[c] for c in _USER_COLUMNS))
        .select_from(login.join(user, user.c.id == login.c.user_id))
        .where(login.c.id == bindparam("login_id", type_=Integer))
    )


def _read_login(login_id: int):
    """The row of ``_LOGIN``: on PostgreSQL alone in autocommit (no transaction to open and
    end, no tenant to set: both tables are global), elsewhere in the request's session."""
    if db.engine.dialect.name != "postgresql":
        return db.session.connection().execute(_LOGIN, {"login_id": login_id}).first()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return connection.execute(_LOGIN, {"login_id": login_id}).first()


_LOGIN = _login_statement()


def end(login_id: int | None) -> None:
    if login_id is not None:
        db.session.execute(update(LoginSession).where(LoginSession.id == login_id, LoginSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))


def end_all(user_id: int, keep: int | None = None) -> int:
    """End every login of a person (but ``keep``): after a password change or reset."""
    query = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(LoginSession.id != keep)
    return db.session.execute(query.values(ended_at=utcnow())).rowcount


def active_logins(user_id: int) -> list[LoginSession]:
    return list(db.session.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None), LoginSession.expires_at > utcnow())
        .order_by(LoginSession.last_seen_at.desc())
    ))
