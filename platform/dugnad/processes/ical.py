"""Meeting invitations as iCalendar (RFC 5545): one VEVENT with a VTIMEZONE for
Europe/Oslo, CRLF line ends, lines folded at 75 octets."""

from __future__ import annotations

from datetime import datetime, timezone

TZID = "Europe/Oslo"
PRODID = "-//Dugnad//Processes//EN"

# Central European time with the EU summer-time rules (last Sunday of March / October).
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _param(value: str) -> str:
    """A parameter value: quoted, with no quotes or control characters inside."""
    cleaned = "".join(ch for ch in value if ch >= " " and ch != '"')
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def unfold(text: str) -> list[str]:
    """Content lines of a calendar (for tests and for reading one back)."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _utc(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def event(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    organizer_name: str,
    organizer_email: str,
    attendees: list[tuple[str, str | None]],
    description: str | None = None,
    location: str | None = None,
    method: str = "REQUEST",
    stamp: datetime | None = None,
    url: str | None = None,
) -> str:
    """A complete VCALENDAR; ``starts_at``/``ends_at`` are naive local times in Europe/Oslo."""
    stamp = stamp or datetime.now(timezone.utc)
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN", f"METHOD:{method}", *VTIMEZONE,
             "BEGIN:VEVENT", f"UID:{uid}", f"SEQUENCE:{sequence}", f"DTSTAMP:{_utc(stamp)}",
             f"DTSTART;TZID={TZID}:{_local(starts_at)}", f"DTEND;TZID={TZID}:{_local(ends_at)}",
             f"SUMMARY:{escape_text(summary)}"]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append(f"ORGANIZER;CN={_param(organizer_name)}:mailto:{organizer_email}")
    for email, name in attendees:
        cn = f";CN={_param(name)}" if name else ""
        lines.append(f"ATTENDEE{cn};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{email}")
    lines.append("STATUS:CANCELLED" if method == "CANCEL" else "STATUS:CONFIRMED")
    lines += ["TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
