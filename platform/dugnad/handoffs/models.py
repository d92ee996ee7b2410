"""A handoff: one module's request for another module's help, and its short timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.clock import utcnow
from dugnad.extensions import db
from dugnad.tenancy.models import TenantScoped, tenant_fk

STATUSES = {
    "sent": _l("Sent"),
    "received": _l("Received"),
    "working": _l("Being worked on"),
    "done": _l("Done"),
    "declined": _l("Declined"),
}
# how far along each status is: a change may only move forward, and done or declined end it
RANK = {"sent": 0, "received": 1, "working": 2, "done": 3, "declined": 3}
FINAL = ("done", "declined")


class Handoff(TenantScoped, db.Model):
    """A request from an object of one module (the origin, e.g. a workshop pilot) to a
    module that can receive that kind of help (e.g. the volunteer bank), which turned it
    into its own object (the target, e.g. a need). Both sides are kept as labels and
    references, so either module may be switched off without anything being lost."""

    __tablename__ = "handoff"
    tenant_table_args = (
        tenant_fk("participant_id", "participant", ondelete=None),
        Index("ix_handoff_origin", "tenant_id", "origin_type", "origin_id"),
        Index("ix_handoff_target", "tenant_id", "target_key"),
        Index("ix_handoff_created", "tenant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    kind_label: Mapped[str] = mapped_column(String(200))  # as it read when sent: kinds may go away
    receiver: Mapped[str] = mapped_column(String(63))  # the receiving plugin
    origin_type: Mapped[str] = mapped_column(String(80))
    origin_id: Mapped[int] = mapped_column()
    origin_label: Mapped[str] = mapped_column(String(200))
    origin_endpoint: Mapped[str] = mapped_column(String(120))
    origin_args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    contact: Mapped[str | None] = mapped_column(String(254))  # told when done or declined
    participant_id: Mapped[int | None] = mapped_column()  # the person it is about, if any
    purpose: Mapped[str] = mapped_column(Text)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # only the receiving form's fields
    status: Mapped[str] = mapped_column(String(16), default="sent")
    outcome: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    target_key: Mapped[str | None] = mapped_column(String(120))
    target_label: Mapped[str | None] = mapped_column(String(200))
    target_endpoint: Mapped[str | None] = mapped_column(String(120))
    target_args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]  # when it was done or declined

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL


class HandoffEvent(TenantScoped, db.Model):
    """One step of a handoff's timeline: its status then, and a short note (the outcome or reason)."""

    __tablename__ = "handoff_event"
    tenant_table_args = (
        tenant_fk("handoff_id", "handoff"),
        Index("ix_handoff_event_handoff", "tenant_id", "handoff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))
