"""Who may do what in a municipality: role defaults, overridable by plugins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from dugnad import cache, versions
from dugnad.accounts.models import Membership
from dugnad.extensions import db



def load_membership(user) -> Membership | None:
    """The user's membership in the municipality in context."""
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


@dataclass(frozen=True, slots=True)
class KeptMembership:
    """A person's membership here as plain values (what the request's checks read: the role),
    not an ORM object: no Session work on every request. Frozen, so a change made to it
    fails loudly instead of being silently dropped; to change a membership, load the
    ``Membership`` row."""

    id: int
    tenant_id: int
    user_id: int
    role: str
    created_at: datetime


def membership_here(tenant_id: int, user) -> KeptMembership | None:
    """``load_membership`` as plain values, kept in this process per (municipality, person) while no
    membership of the municipality is written, nor anything of people (``versions.members_stamp``):
    on a warm request no round trip and no ORM object, however much else is written, and still
    refused at once after a removal."""
    key = f"membership:{tenant_id}:{user.id}"
    kept, stamps = cache.get_local_fresh(key, (versions.PEOPLE, versions.members_stamp(tenant_id)))
    if kept is None:
        membership = load_membership(user)
        kept = None if membership is None else KeptMembership(
            membership.id, tenant_id, user.id, membership.role, membership.created_at)
        cache.put_local_fresh(key, kept or {"id": None}, stamps)
        return kept
    return kept if isinstance(kept, KeptMembership) else None


def can(permission: str) -> bool:
    """Whether the current user holds ``permission`` in the current municipality."""
    from dugnad.plugins import plugins

    tenant, membership = g.get("tenant"), g.get("membership")
    if tenant is None or membership is None:
        return False
    decided = g.setdefault("_permissions", {})  # asked many times per page (navigation)
    if permission not in decided:
        user = current_user._get_current_object()
        if not user.is_authenticated:
            return False
        loaded = plugins()
        answer = loaded.hook("permission_allowed", tenant.id)(tenant=tenant, user=user, permission=permission)
        if answer is None:
            known = loaded.registry.permissions.get(permission)
            if known is None:
                raise KeyError(f"unknown permission {permission!r}")
            answer = membership.role in known.roles
        decided[permission] = bool(answer)
    return decided[permission]


def require(permission: str):
    """View decorator: 403 unless the current user holds ``permission`` here."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def require_region_admin(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            from dugnad.extensions import login_manager

            return login_manager.unauthorized()
        if not current_user.is_region_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
