"""The current tenant, held in a context variable.

Requests set it from the URL, jobs and commands with ``tenant_context``. Region
pages and benchmarking use ``region_scope``: the one named, audited way to read
across municipalities.
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager
from typing import Iterator

log = logging.getLogger("dugnad.tenancy")

_tenant_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("dugnad_tenant_id", default=None)
_region_scope: contextvars.ContextVar[str | None] = contextvars.ContextVar("dugnad_region_scope", default=None)


class TenantContextMissing(RuntimeError):
    """A tenant-owned table was queried with no municipality in context."""


class CrossTenantWrite(RuntimeError):
    """A row of one municipality was written while another was in context."""


def current_tenant_id() -> int | None:
    return _tenant_id.get()


def in_region_scope() -> str | None:
    """The reason given for the current cross-tenant scope, or None."""
    return _region_scope.get()


def _sync_database() -> None:
    # Keep PostgreSQL's per-transaction setting in step when the context changes
    # inside an open transaction (see tenancy.scoping.set_database_tenant).
    from dugnad.tenancy.scoping import sync_open_session

    sync_open_session()


@contextmanager
def tenant_context(tenant: int | object) -> Iterator[int]:
    """Run the block as municipality ``tenant`` (an id or a Tenant)."""
    tenant_id = tenant if isinstance(tenant, int) else getattr(tenant, "id")
    if tenant_id is None:
        raise TenantContextMissing("tenant_context() needs a saved tenant")
    token = _tenant_id.set(tenant_id)
    region_token = _region_scope.set(None)
    _sync_database()
    try:
        yield tenant_id
    finally:
        _region_scope.reset(region_token)
        _tenant_id.reset(token)
        _sync_database()


@contextmanager
def region_scope(reason: str) -> Iterator[None]:
    """Read across municipalities, for ``reason``. Logged; writes still need a tenant."""
    if not reason:
        raise ValueError("region_scope() needs a reason")
    _note_region_scope(reason)
    # inside another region scope PostgreSQL's settings are already these: no round trips
    nested = _region_scope.get() is not None and _tenant_id.get() is None
    token = _region_scope.set(reason)
    tenant_token = _tenant_id.set(None)
    if not nested:
        _sync_database()
    try:
        yield
    finally:
        _tenant_id.reset(tenant_token)
        _region_scope.reset(token)
        if not nested:
            _sync_database()


def _note_region_scope(reason: str) -> None:
    """Every cross-municipality read is logged with its reason: in a request, on the
    request's one log line (``region_scopes``); elsewhere (jobs, commands) on its own line."""
    from flask import g, has_request_context

    if has_request_context():
        reasons = g.setdefault("region_scopes", [])
        if reason not in reasons:
            reasons.append(reason)
        return
    log.info("region scope entered", extra={"reason": reason})


def set_request_tenant(tenant_id: int | None) -> contextvars.Token:
    return _tenant_id.set(tenant_id)


def reset_request_tenant(token: contextvars.Token) -> None:
    _tenant_id.reset(token)
