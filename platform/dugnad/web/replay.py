"""Kept answers, given again to the browser that asked: a page the general path served
from the page cache (``pagecache``) is answered the next time the same browser asks the
same thing without Flask — no request context, no session, no login, no Jinja.

Why the answer is the same. The general path is a function of the request, the data and
the clock. A kept answer is recorded only when that request's path went through nothing
but checks and lookups whose inputs are all known here:

* the request: the same method, path, query, address and every header but those no check
  reads (``IGNORED``) — the session and remember-me cookies, the language asked for, the
  User-Agent Flask-Login's session protection hashes, htmx's headers — so it is the same
  browser, logged in as the same person, with the same session;
* the data: the general path read it only under version stamps (``dugnad.versions``: the
  municipality and its plugins, the login and its person, the membership, the page's data),
  and ran no SQL statement at all. Every stamp it read is recorded with its value, and
  read again here (with Redis, in one round trip): any write under them since — a login
  ended, a role changed, a plugin switched off, the municipality suspended, a name changed,
  anything in the municipality — and the general path answers;
* the clock: what it decided by the time — the page kept at most its ``ttl``, the day in
  the page's key, the login's expiry and its "last seen" touch, the session cookie's age —
  gives the moment the kept answer ends (``not_after``);
* and what it did besides: it set no cookie, answered 200, ran only the request hooks
  known to decide nothing else (``KNOWN_HOOKS``), and its body was exactly the kept page
  with this session's CSRF token in it.

The answer is then the same body and headers, with a new request id, and the request's
one log line, written as the general path writes it (region scopes and page-cache note
included). Kept per process, by the whole request key (so only the browser holding that
cookie finds it), bounded in bytes. Off with ``DUGNAD_REPLAY_KEPT_ANSWERS = False``.
"""

from __future__ import annotations

import logging
import math
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

from flask import Flask, has_request_context, request

log = logging.getLogger("dugnad.request")

RECORDING = "dugnad.replay"  # the environ key of the request being recorded
# headers no check of the general path reads: they do not make another answer
IGNORED = frozenset({
    "HTTP_X_REQUEST_ID", "HTTP_CONNECTION", "HTTP_KEEP_ALIVE", "HTTP_ACCEPT_ENCODING", "HTTP_CACHE_CONTROL",
    "HTTP_PRAGMA", "HTTP_UPGRADE_INSECURE_REQUESTS", "HTTP_PRIORITY", "HTTP_DNT", "HTTP_TE", "HTTP_REFERER",
    "HTTP_SEC_FETCH_SITE", "HTTP_SEC_FETCH_MODE", "HTTP_SEC_FETCH_DEST", "HTTP_SEC_FETCH_USER",
})
_IGNORED_PREFIX = "HTTP_SEC_CH_"  # browsers' client hints
KNOWN_HOOKS = frozenset({
    "dugnad.web.input_guard:init_app.<locals>._refuse_unusable_input",
    "flask_wtf.csrf:CSRFProtect.init_app.<locals>.csrf_protect",
    "dugnad.web.security:init_app.<locals>._start",
    "dugnad.web.routing:init_app.<locals>._enter_tenant",
    "flask_login.login_manager:LoginManager._update_remember_cookie",
    "dugnad.web.security:init_app.<locals>._headers",
    "dugnad.web.routing:init_app.<locals>._leave_tenant",
    # blueprints' checks of who may enter (they refuse, or let through)
    "dugnad.region.views:_only_region_admins",
    "dugnad.benchmarking.views:_only_region_admins",
    "dugnad_volunteers.web.region_pages:_only_region_admins",
    "dugnad_volunteers.web.bank:_staff_only",
})
KEPT_BYTES = 32 * 1024 * 1024
LARGEST = 1024 * 1024  # a larger answer is not kept here


@dataclass
class Recording:
    """What the general path read and decided, noted as it goes (``note_stamps``,
    ``not_after``, ``kept_answer``, ``note_log``)."""

    stamps: dict[str, str] = field(default_factory=dict)
    until: float = math.inf
    body: str | None = None
    blueprints: tuple[str, ...] = ()
    day: object = None
    log_extra: dict | None = None


@dataclass(frozen=True)
class Kept:
    until: float
    day: object
    stamp_names: tuple[str, ...]
    stamp_values: list[str]
    headers: list[tuple[str, str]]
    body: bytes
    log_extra: dict | None


# --- what the general path notes while it answers --------------------------------------------------


def _recording() -> Recording | None:
    if not has_request_context():
        return None
    return request.environ.get(RECORDING)


def note_stamps(names, values) -> None:
    """The stamps a lookup was kept under, as read (``dugnad.cache.on_stamps_read``)."""
    recording = _recording()
    if recording is not None:
        recording.stamps.update(zip(names, values))


def not_after(moment: float) -> None:
    """A time (seconds since the epoch) after which this request would be answered otherwise."""
    recording = _recording()
    if recording is not None and moment < recording.until:
        recording.until = moment


def kept_answer(body: str | None, until: float = math.inf, day=None) -> None:
    """The page cache answered with ``body`` (None: it rendered afresh, nothing to give again)."""
    recording = _recording()
    if recording is None:
        return
    recording.body = body
    if body is not None:
        recording.blueprints = tuple(request.blueprints)
        recording.day = day
        not_after(until)


def note_log(extra: dict) -> None:
    """The request's log line, as written (``security``)."""
    recording = _recording()
    if recording is not None:
        recording.log_extra = extra


# --- statements: a recorded request ran none ---------------------------------------------------------

_statements = threading.local()


def _count_statement(*_args) -> None:
    _statements.count = getattr(_statements, "count", 0) + 1


def _statements_so_far() -> int:
    return getattr(_statements, "count", 0)


# --- the middleware ------------------------------------------------------------------------------------


class KeptAnswers:
    """WSGI middleware: a GET answered again from what was recorded, everything else to ``inner``."""

    def __init__(self, app: Flask, inner: Callable):
        self.app, self.inner = app, inner
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._used = 0
        self._lock = threading.RLock()  # _keep forgets the old answer under it

    def __call__(self, environ: dict, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or not self.app.config.get("DUGNAD_REPLAY_KEPT_ANSWERS", True):
            return self.inner(environ, start_response)
        key = _key(environ)
        if key is None:
            return self.inner(environ, start_response)
        kept = self._kept.get(key)
        if kept is not None:
            if self._still_true(kept):
                return self._answer(environ, start_response, kept)
            self._forget(key)
        return self._record(environ, start_response, key)

    def _still_true(self, kept: Kept) -> bool:
        from dugnad import cache, clock

        if time.time() >= kept.until or clock.today() != kept.day:
            return False
        try:
            return cache.stamps_of_app(self.app, kept.stamp_names) == kept.stamp_values
        except Exception:  # Redis away: Flask answers, and reports it as it always does
            return False

    def _answer(self, environ: dict, start_response, kept: Kept):
        started = time.perf_counter()
        request_id = environ.get("HTTP_X_REQUEST_ID") or secrets.token_hex(8)
        start_response("200 OK", [*kept.headers, ("X-Request-Id", request_id)])
        if kept.log_extra and log.isEnabledFor(logging.INFO):
            extra = {**kept.log_extra, "ms": round((time.perf_counter() - started) * 1000, 1), "request_id": request_id}
            log.handle(log.makeRecord(log.name, logging.INFO, "(request)", 0, "request", (), None, func="request",
                                      extra=extra))
        return [kept.body]

    def _record(self, environ: dict, start_response, key: tuple):
        recording = environ[RECORDING] = Recording()
        statements = _statements_so_far()
        answered: list = []

        def capture(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.inner(environ, capture)
        if recording.body is None:
            return body
        try:
            whole = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if self._may_keep(recording, answered, whole, statements):
            self._keep(key, recording, answered[1], whole)
        return [whole]

    def _may_keep(self, recording: Recording, answered: list, whole: bytes, statements: int) -> bool:
        app = self.app
        if not answered or not answered[0].startswith("200 ") or _statements_so_far() != statements:
            return False
        if any(name.lower() == "set-cookie" for name, _value in answered[1]):
            return False
        if app.config.get("WTF_CSRF_TIME_LIMIT") is not None:  # the token in the page would expire
            return False
        if len(whole) > LARGEST or whole != recording.body.encode() or recording.log_extra is None:
            return False
        return all(_name(hook) in KNOWN_HOOKS for scope in (None, *recording.blueprints)
                   for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
                   for hook in hooks.get(scope, ()))

    def _keep(self, key: tuple, recording: Recording, headers: list, whole: bytes) -> None:
        names = tuple(recording.stamps)
        kept = Kept(until=recording.until, day=recording.day, stamp_names=names,
                    stamp_values=[recording.stamps[n] for n in names],
                    headers=[(k, v) for k, v in headers if k.lower() != "x-request-id"], body=whole,
                    log_extra={k: v for k, v in recording.log_extra.items() if k not in ("ms", "request_id")})
        with self._lock:
            self._forget(key)
            self._kept[key] = kept
            self._used += len(whole)
            while self._used > KEPT_BYTES and self._kept:
                self._used -= len(self._kept.popitem(last=False)[1].body)

    def _forget(self, key: tuple) -> None:
        with self._lock:
            gone = self._kept.pop(key, None)
            if gone is not None:
                self._used -= len(gone.body)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._used = 0


def _key(environ: dict) -> tuple | None:
    """The request as far as any check reads it; None for a request with a body."""
    if environ.get("CONTENT_LENGTH") not in (None, "", "0") or environ.get("HTTP_TRANSFER_ENCODING"):
        return None
    headers = tuple(sorted((name, value) for name, value in environ.items()
                           if name.startswith("HTTP_") and name not in IGNORED and not name.startswith(_IGNORED_PREFIX)))
    return (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
            environ.get("REMOTE_ADDR"), environ.get("wsgi.url_scheme"), environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"), headers)


def _name(hook) -> str:
    return f"{getattr(hook, '__module__', '')}:{getattr(hook, '__qualname__', '')}"


def install(app: Flask) -> None:
    """Put the kept answers in front of Flask's WSGI app, and count statements per thread."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from dugnad import cache

    if not event.contains(Engine, "before_cursor_execute", _count_statement):
        event.listen(Engine, "before_cursor_execute", _count_statement)
    cache.on_stamps_read(note_stamps)
    app.wsgi_app = app.extensions["dugnad.kept_answers"] = KeptAnswers(app, app.wsgi_app)
