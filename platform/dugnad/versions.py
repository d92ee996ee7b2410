"""Data versions: stamps that move when a write under them commits.

Role-level page caches (``dugnad.web.pagecache``) and the municipality lookup
(``dugnad.web.routing``) keep what they render or read under these stamps (see
``dugnad.cache``). Every INSERT, UPDATE or DELETE the app sends — through the ORM,
Core or plain SQL, from a request, job or command — is noted on its connection by the
table it writes and the municipality in context, and the stamps move when that
transaction commits (a rollback forgets them):

* ``tenants``: the municipalities, their settings and their plugins (``tenant``,
  ``tenant_plugin``);
* ``data:<tenant id>``: anything written while that municipality is in context;
* ``people``: tables of no municipality (people's names, the region's reference figures:
  ``GLOBAL_TABLES``), in any context, and anything written with no municipality in
  context — pages of every municipality may show them;
* ``logins``: what may end or change a login — any write to a person (``user_account``,
  in any context: deactivated, password changed, erased, renamed) and any write to
  ``login_session`` but a new login and the "last seen" touch (a login ended, all of a
  person's ended, expired). The login check of every request is kept under it
  (``dugnad.accounts.logins``), so an unchanged login costs no round trip.

Tables no role-level page shows (logins, throttling, the outbox, the audit log) move
nothing, so that logging in does not empty every cache. A database function that
writes inside a SELECT is not seen here: its caller bumps with ``data_changed``.
"""

from __future__ import annotations

import re
import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from dugnad import cache
from dugnad.tenancy.context import current_tenant_id

TENANTS = "tenants"
PEOPLE = "people"
LOGINS = "logins"
LOGIN_TABLES = frozenset({"user_account", "login_session"})
# what does not end or change a login: a new one, and the "last seen" touch of one in use
_HARMLESS_LOGIN_WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO\s+"?login_session\b'
    r'|UPDATE\s+"?login_session"?\s+SET\s+last_seen_at\s*=[^,]*?\sWHERE\b)',  # that one column alone
    re.IGNORECASE)
CONFIG_TABLES = frozenset({"tenant", "tenant_plugin"})
# tables of no municipality whose rows pages of every municipality may show (a person's name,
# the region's reference figures): a write to them moves ``people`` whichever municipality is
# in context, or the pages other municipalities keep would show the old row
GLOBAL_TABLES = frozenset({"user_account", "kostra_group", "ssb_figure", "benchmark_run"})
UNSHOWN_TABLES = frozenset({"login_session", "login_failure", "access_token", "outbox_message", "audit_event",
                            "alembic_version"})

MEMBERS_TABLES = frozenset({"membership", ""})  # "": a write whose table is not told plainly
_WRITE = re.compile(r'\s*(?:WITH\b.*?\b)?(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)',
                    re.IGNORECASE | re.DOTALL)
_PENDING = "dugnad.versions.pending"
_committed = threading.local()  # stamps whose transaction committed, to move once it is done
_installed = False


def data_stamp(tenant_id: int) -> str:
    return f"data:{tenant_id}"


def stamps_of(tenant_id: int | None) -> tuple[str, ...]:
    """The stamps a page of ``tenant_id`` rests on."""
    if tenant_id is None:
        return TENANTS, PEOPLE
    return TENANTS, PEOPLE, data_stamp(tenant_id)


def members_stamp(tenant_id: int) -> str:
    """Moved by writes to ``membership`` in the municipality (and by writes whose table is not
    told plainly): who may enter is kept under it, so adding rows elsewhere keeps it warm."""
    return f"members:{tenant_id}"


def stamp_for(table: str, tenant_id: int | None) -> str | None:
    """The stamp a write to ``table`` moves, with ``tenant_id`` in context (None: none)."""
    if table in CONFIG_TABLES:
        return TENANTS
    if table in UNSHOWN_TABLES:
        return None
    if table in GLOBAL_TABLES:
        return PEOPLE
    return PEOPLE if tenant_id is None else data_stamp(tenant_id)


def data_changed(tenant_id: int | None = None) -> None:
    """Move the stamp of ``tenant_id`` (default: the one in context) now, for a write the
    statement watch cannot see."""
    tenant_id = current_tenant_id() if tenant_id is None else tenant_id
    cache.bump(PEOPLE if tenant_id is None else data_stamp(tenant_id))


def _note_write(connection, cursor, statement, parameters, context, executemany) -> None:
    head = statement[:6].upper()
    if head not in ("INSERT", "UPDATE", "DELETE") and not head.lstrip().startswith(("WITH", "INSERT", "UPDATE", "DELETE")):
        return
    found = _WRITE.match(statement)
    if found is None and not head.startswith(("INSERT", "UPDATE", "DELETE")):
        return  # a WITH that only reads
    # a write whose table is not told plainly moves the municipality's stamp (too often beats stale)
    table, tenant_id = (found.group(1).lower() if found else ""), current_tenant_id()
    stamp = stamp_for(table, tenant_id)
    if stamp is not None:
        connection.info.setdefault(_PENDING, set()).add(stamp)
    if tenant_id is not None and table in MEMBERS_TABLES:
        connection.info.setdefault(_PENDING, set()).add(members_stamp(tenant_id))
    if (table in LOGIN_TABLES or table == "") and not _HARMLESS_LOGIN_WRITE.match(statement):
        connection.info.setdefault(_PENDING, set()).add(LOGINS)


def _commit(connection) -> None:
    # This runs just before the database commits: a reader that saw the new stamp now
    # could still read the old rows and keep them under it. So the stamps move only once
    # the commit is done: after the session's commit, or when the connection goes back
    # to the pool (a connection used without a session), on this same thread.
    pending = connection.info.pop(_PENDING, None)
    if pending:
        _committed.stamps = getattr(_committed, "stamps", set()) | pending


def _rollback(connection) -> None:
    connection.info.pop(_PENDING, None)


def _bump_committed(*_args) -> None:
    stamps = getattr(_committed, "stamps", None)
    if stamps:
        _committed.stamps = set()
        cache.bump(*sorted(stamps))


def install() -> None:
    global _installed
    if _installed:
        return
    event.listen(Engine, "before_cursor_execute", _note_write)
    event.listen(Engine, "commit", _commit)
    event.listen(Engine, "rollback", _rollback)
    event.listen(Session, "after_commit", _bump_committed)
    event.listen(Pool, "checkin", _bump_committed)
    _installed = True


def _writing(session) -> bool:
    """Whether ``session``'s transaction has written (or is about to write) something: what
    it reads then is not yet what everyone else sees under the stamps."""
    if session.new or session.dirty or session.deleted:
        return True
    if not session.in_transaction():
        return False
    return bool(session.connection().info.get(_PENDING))  # the transaction's own connection


def kept_while_unchanged(key: str):
    """The value kept under ``key`` for the municipality in context while nothing there has
    changed since (``None`` if something has), and the stamps to ``keep_while_unchanged``
    a new one under. Never kept nor served inside a transaction that has written."""
    from dugnad.extensions import db

    tenant_id = current_tenant_id()
    if tenant_id is None or _writing(db.session()):
        return None, None
    return cache.get_fresh(f"tenant:{tenant_id}:{key}", stamps_of(tenant_id))


def keep_while_unchanged(key: str, value, stamps, ttl: int = 3600) -> None:
    tenant_id = current_tenant_id()
    if stamps is not None and tenant_id is not None:
        cache.put_fresh(f"tenant:{tenant_id}:{key}", value, stamps, ttl)
