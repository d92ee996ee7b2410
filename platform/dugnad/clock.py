"""The platform's clock: what people read is Norwegian time; what is stored is naive UTC
(``utcnow``) or naive Oslo time for planned times (``local_now``, as activities store them)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def utcnow() -> datetime:
    """Now in UTC, naive (as created/changed times are stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_now() -> datetime:
    """Now in Norway, naive (as planned times are stored)."""
    return datetime.now(OSLO).replace(tzinfo=None, microsecond=0)


def today() -> date:
    """Today's date in Norway."""
    return local_now().date()


def to_oslo(moment: datetime | None) -> datetime | None:
    """A stored naive UTC time as an aware Oslo time, for showing and for exports."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(OSLO)


def exported(value: datetime | date | None) -> str | None:
    """A stored value as exports write it: a naive UTC time (created, sent, read …) as
    Oslo time with its offset ("2026-03-02T17:38:00+01:00"); a date as a date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_oslo(value).isoformat()
    return value.isoformat()


def exported_local(value: datetime | None) -> str | None:
    """A planned time stored as naive Oslo time (a need's or meeting's start), with its offset."""
    if value is None:
        return None
    return value.replace(tzinfo=OSLO).isoformat() if value.tzinfo is None else value.isoformat()
