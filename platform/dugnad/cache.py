"""A small shared cache for what is rendered once and served many times.

Keys carry the version of the data under them (the caller reads it), so a change is
seen at once: the next request asks for a new key and the old one is never read again.
With Redis configured (``DUGNAD_REDIS_URL``) the values live there, shared by every app
server and worker, and expire after ``ttl`` seconds; without it they live in this
process, the oldest dropped first beyond ``LOCAL_BYTES`` (a region table is ~600 KB).
Values are JSON.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Callable

from flask import current_app

LOCAL_BYTES = 32 * 1024 * 1024
PREFIX = "dugnad:cache:"

_local: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # key -> (value, its size as JSON)
_used = 0
_lock = threading.Lock()


def _redis():
    from dugnad.jobs.queue import redis_connection

    return redis_connection(current_app)


def get(key: str) -> Any | None:
    connection = _redis()
    if connection is not None:
        raw = connection.get(PREFIX + key)
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
        connection.set(PREFIX + key, encoded, ex=ttl)
        return
    with _lock:
        if key in _local:
            _used -= _local.pop(key)[1]
        _local[key] = (value, len(encoded))
        _used += len(encoded)
        while _used > LOCAL_BYTES and len(_local) > 1:
            _used -= _local.popitem(last=False)[1][1]


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
        _used = 0
