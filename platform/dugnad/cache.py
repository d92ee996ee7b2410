"""A small shared cache for what is rendered once and served many times.

Keys carry the version of the data under them (the caller reads it), so a change is
seen at once: the next request asks for a new key and the old one is never read again.
With Redis configured (``DUGNAD_REDIS_URL``) the values live there, shared by every app
server and worker, and expire after ``ttl`` seconds; without it they live in this
process, the oldest dropped first beyond ``LOCAL_BYTES`` (a region table is ~600 KB).
Values are JSON.

Version stamps (``bump``) are values that move whenever the data under
them changes (``dugnad.versions`` bumps them as writes commit). ``get_fresh`` reads an
entry and the stamps it was built under in one round trip and answers it only while
those stamps have not moved: with Redis, every app server sees a change at once;
without it, every process of this machine (the stamps are one file in the instance folder,
mapped into memory: ``_stamp_table``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import mmap
import os
import secrets
import threading
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from flask import current_app, has_app_context, has_request_context

LOCAL_BYTES = 32 * 1024 * 1024
PREFIX = "dugnad:cache:"

_local: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # key -> (value, its size as JSON)
_used = 0
_lock = threading.Lock()


def _redis():
    return _redis_of(current_app._get_current_object())  # the app once, not through the proxy per look


def _redis_of(app):
    from dugnad.jobs.queue import redis_connection

    return redis_connection(app)


def get(key: str) -> Any | None:
    connection = _redis()
    if connection is not None:
        raw = connection.get(_prefix() + key)
        return None if raw is None else json.loads(raw)
    with _lock:
        found = _local.get(key)
        if found is None:
            return None
        _local.move_to_end(key)
        return found[0]


def put(key: str, value: Any, ttl: int = 3600) -> None:
    global _used
    encoded = json.dumps(value)
    connection = _redis()
    if connection is not None:
        connection.set(_prefix() + key, encoded, ex=ttl)
        return
    with _lock:
        if key in _local:
            _used -= _local.pop(key)[1]
        _local[key] = (value, len(encoded))
        _used += len(encoded)
        while _used > LOCAL_BYTES and len(_local) > 1:
            _used -= _local.popitem(last=False)[1][1]


def _prefix(app=None) -> str:
    """``PREFIX`` and the database's own mark: servers of one database share entries and
    stamps; another database on the same Redis (a test, a bench) never sees them."""
    app = app or current_app._get_current_object()
    prefix = app.extensions.get("dugnad.cache_prefix")
    if prefix is None:
        url = app.extensions["dugnad.settings"].database_url
        prefix = app.extensions["dugnad.cache_prefix"] = f"{PREFIX}{hashlib.sha1(url.encode()).hexdigest()[:10]}:"
    return prefix


def _stamp_key(name: str, app=None) -> str:
    return _prefix(app) + "stamp:" + name


_last_stamp_dir: Path | None = None  # for a commit outside any app context

# Without Redis the stamps are one small file in the instance folder, shared by every process
# of this machine (each gunicorn worker, a job, a command) through a shared memory map: a
# stamp is read with no system call, and a bump is seen by every process at once. A stamp's
# name picks one of ``STAMP_SLOTS`` slots of 8 bytes; a bump writes new random bytes there,
# never a value seen before (no read-modify-write, so no lock). Two names that share a slot
# only move together (more often rendered afresh, never stale). The file starts with random
# slots, so a recreated file never brings back a value an entry was kept under.
STAMP_SLOTS = 65536
_tables: dict[Path, mmap.mmap] = {}


def _stamp_dir(app=None) -> Path | None:
    global _last_stamp_dir
    app = app or _app()
    if app is None:
        return _last_stamp_dir
    folder = app.extensions.get("dugnad.stamp_dir")
    if folder is None:
        folder = Path(app.instance_path) / "stamps" / _prefix(app).removeprefix(PREFIX).rstrip(":")
        folder.mkdir(parents=True, exist_ok=True)
        app.extensions["dugnad.stamp_dir"] = folder
    _last_stamp_dir = folder
    return folder


def _stamp_table(folder: Path) -> mmap.mmap:
    table = _tables.get(folder)
    if table is not None:
        return table
    size = STAMP_SLOTS * 8
    with _lock:
        table = _tables.get(folder)
        if table is not None:
            return table
        path = folder / "stamps.bin"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # one process fills a new file; the others wait for it
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, 0)
                os.write(fd, os.urandom(size))
            fcntl.flock(fd, fcntl.LOCK_UN)
            table = _tables[folder] = mmap.mmap(fd, size)
        finally:
            os.close(fd)
    return table


def _slot(name: str) -> int:
    return (zlib.crc32(name.encode()) % STAMP_SLOTS) * 8  # the same in every process (not hash())


def _read_stamps(folder: Path, names) -> list[str]:
    table = _stamp_table(folder)
    return [table[at:at + 8].hex() for at in map(_slot, names)]


_last_app = None  # for a commit outside any app context (a connection returned to the pool late)


def _app():
    global _last_app
    if has_app_context():
        _last_app = current_app._get_current_object()
    return _last_app


def bump(*names: str, app=None) -> None:
    """Move the stamps ``names``: whatever was kept under their old values is never served again."""
    app = app or _app()
    connection = _redis_of(app) if app is not None else None
    if connection is not None:
        with connection.pipeline(transaction=False) as pipe:
            for name in names:  # a new random value, as without Redis: never one seen before
                pipe.set(_stamp_key(name, app), secrets.token_hex(8))
            pipe.execute()
        _forget_snapshot()
        return
    folder = _stamp_dir(app)
    if folder is None:
        return  # no app has run in this process: nothing it kept
    _forget_snapshot()
    table = _stamp_table(folder)
    for name in names:
        at = _slot(name)
        table[at:at + 8] = os.urandom(8)  # a new value every time, never one seen before


_stamp_readers: list[Callable[[tuple[str, ...], list[str]], None]] = []  # told every stamp a request reads


def on_stamps_read(reader: Callable[[tuple[str, ...], list[str]], None]) -> None:
    """Tell ``reader`` the stamps read from now on, with their values (``dugnad.web.replay``)."""
    if reader not in _stamp_readers:
        _stamp_readers.append(reader)


def _noted(names, now) -> None:
    for reader in _stamp_readers:
        reader(names, now)


def get_fresh(key: str, names: tuple[str, ...]) -> tuple[Any | None, list[str]]:
    """The value kept under ``key`` if the stamps ``names`` have not moved since, and the
    stamps as they are now (to ``put_fresh`` with on a miss): one round trip."""
    connection = _redis()
    if connection is not None:
        snapshot = _snapshot()
        if snapshot is not None and all(n in snapshot for n in names):
            now, raw = [snapshot[n] for n in names], connection.get(_prefix() + key)
        else:
            *raw_stamps, raw = connection.mget([_stamp_key(n) for n in names] + [_prefix() + key])
            now = _redis_stamps(connection, names, raw_stamps)
        entry = None if raw is None else json.loads(raw)
    else:
        now = _read_stamps(_stamp_dir(), names)
        with _lock:
            found = _local.get(key)
            entry = None if found is None else found[0]
            if found is not None:
                _local.move_to_end(key)
    _noted(names, now)
    if entry is None or entry.get("stamps") != now:
        return None, now
    return entry["value"], now


def put_fresh(key: str, value: Any, stamps: list[str], ttl: int = 3600) -> None:
    put(key, {"stamps": stamps, "value": value}, ttl)


# Small lookups made on every request (a login and its person): kept in this process only,
# as Python objects (no JSON, nothing secret sent to Redis), under stamps read from the shared
# place (Redis or the stamp files), so a change made anywhere is seen at the next request.
LOCAL_LOOKUPS = 50_000
_lookups: OrderedDict[str, tuple[list[str], Any]] = OrderedDict()


def stamps_now(names: tuple[str, ...]) -> list[str]:
    """The stamps ``names`` as they are now (with Redis: one round trip, or none for those
    this request has already read: ``read_stamps_ahead``)."""
    connection = _redis()
    if connection is None:
        now = _read_stamps(_stamp_dir(), names)
    else:
        snapshot = _snapshot()
        if snapshot is not None and all(n in snapshot for n in names):
            now = [snapshot[n] for n in names]
        else:
            now = _redis_stamps(connection, names, connection.mget([_stamp_key(n) for n in names]))
    _noted(names, now)
    return now


def stamps_of_app(app, names: tuple[str, ...]) -> list[str | None]:
    """The stamps ``names`` as they are now, outside any request or app context
    (``dugnad.web.replay``): read only, one stamp never moved reads as None."""
    connection = _redis_of(app)
    if connection is None:
        return _read_stamps(_stamp_dir(app), names)
    return [None if r is None else r.decode() for r in connection.mget([_stamp_key(n, app) for n in names])]


def _redis_stamps(connection, names, raw) -> list[str]:
    """The stamps as read; one that is not there (Redis restarted, or it was never moved) is
    given a random value first, so a value kept before a restart never matches again."""
    if None in raw:
        with connection.pipeline(transaction=False) as pipe:
            for name, value in zip(names, raw):
                if value is None:
                    pipe.set(_stamp_key(name), secrets.token_hex(8), nx=True)
            pipe.execute()
        raw = connection.mget([_stamp_key(n) for n in names])
    now = [r.decode() for r in raw]
    snapshot = _snapshot()
    if snapshot is not None:
        snapshot.update(zip(names, now))
    return now


def read_stamps_ahead(names) -> None:
    """With Redis: read the stamps this request will ask for in one round trip (a request
    reads the municipality's, the login's, the membership's and the page's). They are then
    taken as they were at this moment for the rest of the request — read before the data
    under them, as every reader does — until this process moves a stamp."""
    connection = _redis()
    if connection is None or not has_request_context():
        return
    from flask import g

    g._dugnad_stamps = {}
    _redis_stamps(connection, tuple(names), connection.mget([_stamp_key(n) for n in names]))


def _snapshot() -> dict | None:
    if not has_request_context():
        return None
    from flask import g

    return g.get("_dugnad_stamps")


def _forget_snapshot() -> None:
    if has_request_context():
        from flask import g

        g.pop("_dugnad_stamps", None)


def get_local_fresh(key: str, names: tuple[str, ...]) -> tuple[Any | None, list[str]]:
    """As ``get_fresh``, for a value kept in this process only (``put_local_fresh``)."""
    now = stamps_now(names)
    key = _prefix() + key  # two apps of one process (tests) on two databases never share one
    with _lock:
        found = _lookups.get(key)
        if found is not None:
            _lookups.move_to_end(key)
    if found is None or found[0] != now:
        return None, now
    return found[1], now


def put_local_fresh(key: str, value: Any, stamps: list[str]) -> None:
    key = _prefix() + key
    with _lock:
        _lookups[key] = (stamps, value)
        _lookups.move_to_end(key)
        while len(_lookups) > LOCAL_LOOKUPS:
            _lookups.popitem(last=False)


def remember(key: str, build: Callable[[], Any], ttl: int = 3600) -> Any:
    """The cached value of ``key``, built (and kept) on a miss."""
    value = get(key)
    if value is None:
        value = build()
        put(key, value, ttl)
    return value


def clear_local() -> None:
    """Forget this process's entries (tests)."""
    global _used
    with _lock:
        _local.clear()
        _lookups.clear()
        _used = 0
