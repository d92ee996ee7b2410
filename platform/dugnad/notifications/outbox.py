from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlparse

from flask import current_app
from sqlalchemy import JSON, ForeignKey, String, Text, and_, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from dugnad.extensions import db
from dugnad.jobs import enqueue, enqueue_after_commit, will_retry
from dugnad.tenancy.context import current_tenant_id
from dugnad.clock import utcnow

log = logging.getLogger("dugnad.mail")
STALE_CLAIM = timedelta(minutes=10)
STALLED_QUEUE = timedelta(minutes=15)  # longer than all of a job's retries take


class OutboxMessage(db.Model):
    """An e-mail to send. ``dedupe_key`` = kind:recipient:subject_ref is unique.

    ``status``: queued → sent, or held (no SMTP configured: readable by admins in
    the outbox page), or failed (after the job's last retry).
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    recipient: Mapped[str] = mapped_column(String(254))
    subject_ref: Mapped[str] = mapped_column(String(120))
    dedupe_key: Mapped[str] = mapped_column(String(440), unique=True)
    subject: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


def queue_mail(
    kind: str,
    recipient: str,
    subject_ref: str,
    subject: str,
    body: str,
    attachments: list[dict[str, Any]] | None = None,
    tenant_id: int | None = None,
) -> OutboxMessage:
    """Put a message in the outbox (once per kind, recipient and subject) and
    deliver it after the current transaction commits."""
    key = f"{kind}:{recipient.lower()}:{subject_ref}"
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
    if existing is not None:
        return existing
    message = OutboxMessage(
        tenant_id=tenant_id if tenant_id is not None else current_tenant_id(),
        kind=kind,
        recipient=recipient,
        subject_ref=subject_ref,
        dedupe_key=key,
        subject=subject,
        body=body,
        attachments=attachments or [],
    )
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(deliver, message.id, job_id=f"outbox-{message.id}")
    return message


def deliver(message_id: int) -> str:
    """Send one outbox message. Safe to run twice: only a queued message is claimed."""
    now = utcnow()
    claimable = or_(
        OutboxMessage.status.in_(["queued", "failed"]),
        # a worker that died mid-send leaves "sending"; take it over after a while
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM),
    )
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, claimable)
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        return "skipped"
    message = db.session.get(OutboxMessage, message_id)
    smtp_url = current_app.extensions["dugnad.settings"].smtp_url
    if not smtp_url:
        message.status = "held"
        db.session.commit()
        return "held"
    try:
        _send_smtp(smtp_url, message)
    except Exception as exc:
        # the job's retry claims it again; with none coming (inline, or the last
        # attempt) the outbox page says it failed rather than that it waits
        message.status = "queued" if will_retry() else "failed"
        message.last_error = str(exc)[:500]
        db.session.commit()
        raise
    message.status, message.sent_at, message.last_error = "sent", utcnow(), None
    db.session.commit()
    return "sent"


def retry_stalled() -> int:
    """Deliver again what a lost job left behind: queued for too long, or claimed by a
    worker that died mid-send. Runs every few minutes (``register_schedules``)."""
    now = utcnow()
    stalled = db.session.scalars(
        select(OutboxMessage.id).where(
            or_(
                and_(OutboxMessage.status == "queued", OutboxMessage.created_at < now - STALLED_QUEUE),
                and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM),
            )
        )
    ).all()
    for message_id in stalled:
        enqueue(deliver, message_id, tenant_id=None, job_id=f"outbox-{message_id}-again-{now:%Y%m%d%H%M}")
    return len(stalled)


def _send_smtp(url: str, message: OutboxMessage) -> None:
    parts = urlparse(url)
    email = EmailMessage()
    email["From"] = current_app.extensions["dugnad.settings"].mail_sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    for item in message.attachments:
        maintype, subtype = item["content_type"].split("/", 1)
        email.add_attachment(item["content"].encode(), maintype=maintype, subtype=subtype, filename=item["filename"])
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_class(parts.hostname or "localhost", parts.port or (465 if parts.scheme == "smtps" else 25), timeout=30) as smtp:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(email)
    log.info("mail sent", extra={"outbox_id": message.id, "kind": message.kind})
