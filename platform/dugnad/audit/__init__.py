"""An append-only log of who did what: region actions, role changes, reads of sensitive data."""

from dugnad.audit.models import AuditEvent, record

__all__ = ["AuditEvent", "record"]
