"""Attendance and 交流人口 (visitors): people check in at the venue by scanning the event's QR code
(/qr/event/<code>.png, which opens /events/<code>/checkin), then either open the bot through a LINE link that carries
the event (/checkin CODE, recorded once per member) or tap "record my visit" without an account (an anonymous visit:
the device family only, as the childcare QR keeps). Staff add the visitors counted at venues per month (a gate count,
a shop's till): `visitors` = check-ins + those counts, against the city's 交流人口 target ([targets.YYYY] visitors).

Check-ins are taken from an hour before the start until the event ends. Anyone who knows the (public) code can check
in during that time: attendance is what people report, not a ticket check.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import func
from sqlmodel import Session, col, select

from community.city import Site
from community.events import REGISTERED, event_end
from community.kpi import KpiSource
from community.problems import Problem
from community.texts import t
from storage.db import as_utc, id_of
from storage.models import Member
from storage.models.events import Event, EventAttendance, EventRegistration, VenueCount

OPENS_BEFORE = timedelta(hours=1)
EARLY, OPEN, OVER = "early", "open", "over"
WEB = "web"
MAX_VENUE = 60
MAX_VISITORS = 10_000_000


def checkin_path(code: str) -> str:
    return f"/events/{code}/checkin"


def checkin_url(site: Site, code: str) -> str:
    """What the event's QR code encodes."""
    return site.public_url(checkin_path(code))


def qr_url(site: Site, code: str) -> str:
    """The print-ready QR image (PNG, at least 1,000 px)."""
    return site.public_url(f"/qr/event/{code}.png")


def line_checkin_link(site: Site, code: str) -> str | None:
    """A LINE link that opens the bot with "/checkin CODE" typed in ([events] line_account_id, e.g. "@omitama"),
    or None when the city has not set its LINE account's id."""
    account = site.city.events.line_account_id.strip()
    if not account:
        return None
    return f"https://line.me/R/oaMessage/{quote(account, safe='@')}/?{quote('/checkin ' + code, safe='')}"


def window_state(event: Event, now: datetime, hours: float) -> str:
    """EARLY before check-in opens (an hour before the start), OPEN until the event ends, OVER after."""
    moment = as_utc(now)
    if event.closed_at is not None or moment >= event_end(event, hours):
        return OVER
    return OPEN if moment >= as_utc(event.starts_at) - OPENS_BEFORE else EARLY


def _must_be_open(event: Event, now: datetime, hours: float) -> None:
    state = window_state(event, now, hours)
    if state == EARLY:
        raise Problem("event.checkin_early", title=event.title)
    if state == OVER:
        raise Problem("event.checkin_over", title=event.title)


def check_in(session: Session, event: Event, member: Member, how: str, now: datetime, hours: float) -> bool:
    """Record that the member came; False when they had checked in already (counted once per person)."""
    _must_be_open(event, now, hours)
    found = session.exec(
        select(EventAttendance.id).where(EventAttendance.event_id == event.id, EventAttendance.member_id == member.id)
    ).first()
    if found is not None:
        return False
    session.add(EventAttendance(event_id=id_of(event), member_id=id_of(member), at=as_utc(now), how=how[:16]))
    session.flush()
    return True


def record_visit(session: Session, event: Event, device: str, now: datetime, hours: float) -> None:
    """An anonymous visit from the check-in page: the device family only."""
    _must_be_open(event, now, hours)
    session.add(EventAttendance(event_id=id_of(event), member_id=None, at=as_utc(now), how=WEB, device=device[:8]))


def was_registered(session: Session, event: Event, member: Member) -> bool:
    return (
        session.exec(
            select(EventRegistration.id).where(
                EventRegistration.event_id == event.id,
                EventRegistration.member_id == member.id,
                EventRegistration.status == REGISTERED,
            )
        ).first()
        is not None
    )


# ---- visitors counted at venues ----------------------------------------------------------------------------------


def parse_month(text: str) -> date:
    """'2026-05' or '2026/5' -> 2026-05-01."""
    cleaned = (text or "").strip().replace("/", "-")
    year, _, month = cleaned.partition("-")
    if not (year.isascii() and year.isdigit() and len(year) == 4 and month.isascii() and month.isdigit()):
        raise Problem("visitors.bad_month", text=cleaned[:20])
    if not 1 <= int(month) <= 12:
        raise Problem("visitors.bad_month", text=cleaned[:20])
    return date(int(year), int(month), 1)


def set_venue_count(session: Session, venue: str, month: date, visitors: int, source: str, now: datetime) -> bool:
    """Set a venue's count for a month (a second entry replaces the first); True when it replaced one."""
    venue = venue.strip()
    if not venue or len(venue) > MAX_VENUE:
        raise Problem("visitors.bad_venue", limit=MAX_VENUE)
    if not 0 <= visitors <= MAX_VISITORS:
        raise Problem("visitors.bad_count", text=str(visitors)[:20])
    row = session.exec(select(VenueCount).where(VenueCount.venue == venue, VenueCount.month == month)).first()
    replaced = row is not None
    row = row or VenueCount(venue=venue, month=month, visitors=0, entered_at=as_utc(now))
    row.visitors, row.source, row.entered_at = visitors, source[:80], as_utc(now)
    session.add(row)
    session.flush()
    return replaced


@dataclass
class VenueImport:
    added: int = 0
    replaced: int = 0
    errors: list[tuple[int, Problem]] = field(default_factory=list)


def import_venue_counts(session: Session, data: bytes, source: str, now: datetime) -> VenueImport:
    """A CSV with the columns venue, month (YYYY-MM), visitors (a header row is optional; UTF-8 or Shift_JIS)."""
    text = _decode(data)
    result = VenueImport()
    for line, row in enumerate(csv.reader(io.StringIO(text)), 1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (line == 1 and not _looks_like_count(cells)):
            continue  # blank, or the header
        try:
            if len(cells) < 3:
                raise Problem("visitors.bad_row")
            visitors = cells[2].replace(",", "")
            if not (visitors.isascii() and visitors.isdigit()):
                raise Problem("visitors.bad_count", text=cells[2][:20])
            replaced = set_venue_count(session, cells[0], parse_month(cells[1]), int(visitors), source, now)
        except Problem as problem:
            result.errors.append((line, problem))
            continue
        result.replaced += replaced
        result.added += not replaced
    return result


def _looks_like_count(cells: list[str]) -> bool:
    return len(cells) >= 3 and cells[2].replace(",", "").isdigit()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Problem("visitors.bad_encoding")


def venue_counts(session: Session, site: Site, since: datetime, until: datetime) -> list[VenueCount]:
    """The counts of the months that begin in [since, until) (city time)."""
    rows = session.exec(select(VenueCount).order_by(col(VenueCount.month), col(VenueCount.venue))).all()
    return [row for row in rows if since <= _month_start(row.month, site) < until]


def _month_start(month: date, site: Site) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=site.tz)


# ---- KPIs --------------------------------------------------------------------------------------------------------


def registrations(session: Session, since: datetime, until: datetime) -> int:
    """Places taken in [since, until): registrations not cancelled and not (still) waiting."""
    return int(
        session.exec(
            select(func.count())
            .select_from(EventRegistration)
            .where(
                EventRegistration.status == REGISTERED,
                EventRegistration.registered_at >= as_utc(since),
                EventRegistration.registered_at < as_utc(until),
            )
        ).one()
    )


def attendance(session: Session, since: datetime, until: datetime) -> int:
    """Check-ins in [since, until): each member once per event, and each anonymous visit."""
    return int(
        session.exec(
            select(func.count())
            .select_from(EventAttendance)
            .where(EventAttendance.at >= as_utc(since), EventAttendance.at < as_utc(until))
        ).one()
    )


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    attended = attendance(session, since, until)
    counted = sum(row.visitors for row in venue_counts(session, site, since, until))
    return {
        "event_registrations": registrations(session, since, until),
        "event_attendance": attended,
        "visitors": attended + counted,
    }


KPIS = KpiSource(
    ("event_registrations", "event_attendance", "visitors"),
    _kpi_values,
    weekly=("event_registrations", "event_attendance"),
)


def venue_lines(session: Session, site: Site, since: datetime, until: datetime, lang: str = "ja") -> list[str]:
    """The venue counts of a period, one line each (the CLI's list)."""
    return [
        t(lang, "visitors.line", venue=row.venue, month=f"{row.month:%Y-%m}", visitors=f"{row.visitors:,}")
        for row in venue_counts(session, site, since, until)
    ]
