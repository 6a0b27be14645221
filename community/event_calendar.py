"""The events as an iCalendar feed (RFC 5545) that phones and Google Calendar subscribe to: GET /events.ics.

Times are written in UTC ("...Z"), so the feed needs no VTIMEZONE; each event's UID is its code at the city's host, so
a calendar updates an event instead of adding it twice. Text is escaped (backslash, semicolon, comma, newline) and
lines longer than 75 octets are folded without splitting a UTF-8 character.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from community.city import Site
from community.events import event_end
from community.texts import t
from storage.db import as_utc
from storage.models.events import Event

PAST_DAYS = 30  # a subscribed calendar keeps the events of the last month
LIMIT = 500
PRODUCT = "-//tsunagaru//events//JA"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """Lines of at most 75 octets; each continuation starts with a space (RFC 5545 3.1)."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return out


def _stamp(moment: datetime) -> str:
    return f"{as_utc(moment):%Y%m%dT%H%M%SZ}"


def feed_events(session: Session, now: datetime) -> list[Event]:
    return list(
        session.exec(
            select(Event)
            .where(Event.starts_at >= as_utc(now - timedelta(days=PAST_DAYS)))
            .order_by(col(Event.starts_at))
            .limit(LIMIT)
        )
    )


def calendar(site: Site, events: list[Event], now: datetime) -> str:
    host = urlsplit(site.public_base_url).hostname or "tsunagaru.invalid"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(t('ja', 'event.calendar_name', city=site.city.name))}",
        f"X-WR-TIMEZONE:{site.tz.key}",
    ]
    for event in events:
        url = site.public_url(f"/events/{event.code}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.code}@{host}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(event.starts_at)}",
            f"DTEND:{_stamp(event_end(event, site.city.events.duration_hours))}",
            f"SUMMARY:{escape(event.title)}",
            f"LOCATION:{escape(event.location)}",
            f"DESCRIPTION:{escape(t('ja', 'event.calendar_description', code=event.code, url=url))}",
            f"URL:{url}",
            f"STATUS:{'CANCELLED' if _cancelled(event) else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))


def _cancelled(event: Event) -> bool:
    """Closed before it began: called off."""
    return event.closed_at is not None and as_utc(event.closed_at) < as_utc(event.starts_at)
