"""Security headers, request ids and one log line per request (with its cross-municipality reads)."""

from __future__ import annotations

import logging
import secrets
import time

from flask import Flask, g, request
from flask_login import current_user

from dugnad.tenancy.context import current_tenant_id
from dugnad.web import replay

log = logging.getLogger("dugnad.request")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)


# Set on every response unless the view set its own (computed once, not per request).
_DEFAULTS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000")


def add_headers(app: Flask, headers, request_id: str, endpoint: str | None) -> None:
    """What every answer carries (also the card vote's lean path, ``voting.lean``)."""
    present = {key.lower() for key in headers.keys()}  # one pass, not a search per header
    missing = [pair for pair in _DEFAULTS if pair[0].lower() not in present]
    if app.config.get("SESSION_COOKIE_SECURE") and "strict-transport-security" not in present:
        missing.append(_HSTS)
    if "x-request-id" in present:
        del headers["X-Request-Id"]
    missing.append(("X-Request-Id", request_id))
    if endpoint != "static":
        missing.append(("Vary", "HX-Request"))
        if "cache-control" not in present:
            missing.append(("Cache-Control", "no-store"))
    headers.extend(missing)


def init_app(app: Flask) -> None:

    @app.before_request
    def _start() -> None:
        g.request_id = request.headers.get("X-Request-Id") or secrets.token_hex(8)
        g.started = time.perf_counter()

    @app.after_request
    def _headers(response):
        # the request and g once each: every look through Flask's proxies walks the context stack
        req, here = request._get_current_object(), g._get_current_object()
        endpoint = req.endpoint
        add_headers(app, response.headers, here.get("request_id", ""), endpoint)
        if endpoint not in ("static", "public.healthz"):
            _log_request(response, req, here)
        return response


def _log_request(response, req, here) -> None:
    if not log.isEnabledFor(logging.INFO):
        replay.note_log({})  # no line to write again either
        return
    extra = {
        "method": req.method,
        "path": req.path,
        "status": response.status_code,
        "ms": round((time.perf_counter() - here.get("started", time.perf_counter())) * 1000, 1),
        "user_id": getattr(user, "id", None) if (user := current_user._get_current_object()) else None,
        "tenant_id": current_tenant_id(),
    }
    # cross-municipality reads and why: on this line, not one line each
    if here.get("region_scopes"):
        extra["region_scopes"] = here.region_scopes
    # each role-level fragment served from the cache ("hit") or rendered and kept ("miss")
    if here.get("page_cache"):
        extra["page_cache"] = here.page_cache
    replay.note_log(extra)  # a kept answer given again writes the same line
    # the record as log.info makes it, without looking up the caller's file and line (no
    # formatter here prints them): that frame walk was a good part of the line's cost
    log.handle(log.makeRecord(log.name, logging.INFO, "(request)", 0, "request", (), None, func="request", extra=extra))
