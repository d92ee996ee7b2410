"""Date-time fields for API schemas that always say their offset (RFC 3339, as the
OpenAPI ``date-time`` format demands).

The database keeps naive date-times: moments in UTC (``created_at``, ``closes_at`` …) or
wall-clock times in Europe/Oslo (a meeting's ``starts_at``). ``UtcDateTime`` and
``LocalDateTime`` say which, write the offset out, and read either form back into the
naive value the models hold (a value without offset means UTC, or Oslo time, as named).
"""

from __future__ import annotations

from datetime import datetime, timezone

from marshmallow import fields

from dugnad.clock import OSLO


class _ZonedDateTime(fields.DateTime):
    zone = timezone.utc

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(self.zone).replace(tzinfo=None)
        return parsed


class UtcDateTime(_ZonedDateTime):
    """A moment, kept in UTC: written with ``+00:00``."""

    zone = timezone.utc


class LocalDateTime(_ZonedDateTime):
    """A wall-clock time in Europe/Oslo: written with Oslo's offset that day."""

    zone = OSLO
