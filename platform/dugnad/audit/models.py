from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.extensions import db
from dugnad.tenancy.context import current_tenant_id
from dugnad.clock import utcnow


class AuditEvent(db.Model):
    """One audited action. ``tenant_id`` NULL marks a region-level action.

    Global rather than tenant-scoped so that region actions about a municipality
    (suspending it, switching plugins) are kept even though they happen outside
    its context; views filter by tenant explicitly.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str | None] = mapped_column(String(80))
    object_id: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class UnknownAuditAction(LookupError):
    """An action the audit log has no sentence for (raised in tests only)."""


def _refuse_unknown(action: str) -> None:
    """Every action is read back as a sentence (``dugnad.admin.audit_reading``, hook
    ``register_audit_sentences``); one without would show its code name. A literal is checked from
    the source, but an action named by a variable or an f-string is only known when it is
    recorded: in tests, recording it is refused, so the test that runs it names it."""
    known = current_app.extensions.get("dugnad.audit_actions")
    if known is None:
        from dugnad.admin.audit_reading import actions

        known = current_app.extensions["dugnad.audit_actions"] = actions()
    if action not in known:
        raise UnknownAuditAction(f"the audit action {action!r} has no sentence: add one to SENTENCES in "
                                 "dugnad.admin.audit_reading, or to the plugin's register_audit_sentences")


def record(action: str, obj: Any = None, *, tenant_id: int | None = None, **detail: Any) -> AuditEvent:
    """Add an audit event to the current session (committed with the action itself)."""
    if current_app.testing:
        _refuse_unknown(action)
    user_id = None
    if has_request_context() and current_user and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        tenant_id=tenant_id if tenant_id is not None else current_tenant_id(),
        user_id=detail.pop("user_id", user_id),
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(getattr(obj, "id", "")) if obj is not None else None,
        detail=detail,
        address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
