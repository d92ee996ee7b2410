"""E-mail through an outbox: a unique key per message, so a retried job never sends twice."""

from dugnad.notifications.outbox import OutboxMessage, queue_mail

__all__ = ["OutboxMessage", "queue_mail"]
