"""The audit log as a default plugin: its table (its pages are ``dugnad.admin``)."""

from dugnad.audit.models import AuditEvent
from dugnad.hookspecs import hookimpl


@hookimpl
def register_models():
    return [AuditEvent]
