"""Structured (JSON) logs: one line per event, with request, tenant and user when known."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, g, has_request_context

from dugnad.config import Settings
from dugnad.tenancy.context import current_tenant_id

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (tenant_id := current_tenant_id()) is not None:
            entry["tenant_id"] = tenant_id
        if has_request_context():
            entry["request_id"] = g.get("request_id")
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(app: Flask, settings: Settings) -> None:
    root = logging.getLogger("dugnad")
    if not any(getattr(h, "_dugnad", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler._dugnad = True  # type: ignore[attr-defined]
        handler.setFormatter(JsonFormatter() if settings.log_json else logging.Formatter("%(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = False
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
