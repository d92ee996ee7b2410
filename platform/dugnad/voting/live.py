"""The live-count fragment, rendered once per version of the counts in each web process.

A projector and a hundred phones ask every few seconds; while the counts stand still
they get 204, and when they move everyone asking for the same version (in the same
language, at the same size) shares one rendering instead of recounting every ballot."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable

LIMIT = 512
_rendered: OrderedDict[Hashable, tuple] = OrderedDict()
_lock = threading.Lock()


def cached(key: Hashable, render: Callable[[], tuple]) -> tuple:
    with _lock:
        hit = _rendered.get(key)
        if hit is not None:
            _rendered.move_to_end(key)
            return hit
    made = render()
    with _lock:
        _rendered[key] = made
        while len(_rendered) > LIMIT:
            _rendered.popitem(last=False)
    return made


def clear() -> None:
    with _lock:
        _rendered.clear()
