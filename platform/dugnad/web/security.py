"""Security headers, request ids and one log line per request (with its cross-municipality reads)."""

from __future__ import annotations

import logging
import secrets
import time

from flask import Flask, g, request
from flask_login import current_user

from dugnad.tenancy.context import current_tenant_id

log = logging.getLogger("dugnad.request")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)


def add_headers(app: Flask, headers, request_id: str, endpoint: str | None) -> None:
    """What every answer carries (also the card vote's lean path, ``voting.lean``)."""
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers["X-Request-Id"] = request_id
    if endpoint != "static":
        headers.add("Vary", "HX-Request")
        headers.setdefault("Cache-Control", "no-store")
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


def init_app(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_id = request.headers.get("X-Request-Id") or secrets.token_hex(8)
        g.started = time.perf_counter()

    @app.after_request
    def _headers(response):
        add_headers(app, response.headers, g.get("request_id", ""), request.endpoint)
        if request.endpoint not in ("static", "public.healthz"):
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
                    "user_id": getattr(current_user, "id", None) if current_user else None,
                    "tenant_id": current_tenant_id(),
                    # cross-municipality reads and why: on this line, not one line each
                    **({"region_scopes": g.region_scopes} if g.get("region_scopes") else {}),
                    # each role-level fragment served from the cache ("hit") or rendered and kept ("miss")
                    **({"page_cache": g.page_cache} if g.get("page_cache") else {}),
                },
            )
        return response
