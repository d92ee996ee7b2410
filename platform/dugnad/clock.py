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
