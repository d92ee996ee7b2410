"""A small shared cache for what is rendered once and served many times.

Keys carry the version of the data under them (the caller reads it), so a change is
seen at once: the next request asks for a new key and the old one is never read again.
With Redis configured (``DUGNAD_REDIS_URL``) the values live there, shared by every app
server and worker, and expire after ``ttl`` seconds; without it they live in this
process, the oldest dropped first beyond ``LOCAL_SIZE`` entries. Values are JSON.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Callable

from flask import current_app

LOCAL_SIZE = 256
PREFIX = "dugnad:cache:"

_local: OrderedDict[str, Any] = OrderedDict()
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
        value = _local.get(key)
        if value is not None:
            _local.move_to_end(key)
        return value


def put(key: str, value: Any, ttl: int = 3600) -> None:
    connection = _redis()
    if connection is not None:
        connection.set(PREFIX + key, json.dumps(value), ex=ttl)
        return
    with _lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)


def remember(key: str, build: Callable[[], Any], ttl: int = 3600) -> Any:
    """The cached value of ``key``, built (and kept) on a miss."""
    value = get(key)
    if value is None:
        value = build()
        put(key, value, ttl)
    return value


def clear_local() -> None:
    """Forget this process's entries (tests)."""
    with _lock:
        _local.clear()
