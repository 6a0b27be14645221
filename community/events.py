"""Events and their community spaces: codes, binding a group or channel, facilitators, engagement, the figures for
status pages, KPIs and the digest. The scheduled jobs are in community.event_jobs. Platform-neutral: adapters
deliver what these modules put in a Postbox. Bad input or a wrong state raises community.problems.Problem."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, delete, func, literal
from sqlmodel import Session, col, select

from community import engagement, members, spaces
from community.city import CityConfig, Site
from community.digest import STAFF_PURPOSE, DigestWeek
from community.kpi import KpiSource, count_kind
from community.messages import ArchiveSpace, CreateSpace, Postbox
from community.problems import Problem
from community.texts import t
from storage.db import as_utc, id_of
from storage.models import Engagement, Member, Role, Space
from storage.models.events import (
    Event,
    EventAttendance,
    EventRegistration,
    EventSpace,
    EventSpaceMember,
    FacilitatorOptOut,
)

# Easy to read aloud and to type: no 0/O, 1/I.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6
# The secret that binds a group: longer than the public code, so one is never taken for the other.
BIND_CODE_LENGTH = 10
EVENT_PURPOSE = "event"
MAX_TITLE = 100
MAX_LOCATION = 100
DIGEST_QUIET_LIMIT = 10

_INVITE_URL = re.compile(r"^https://line\.me/(?:R/ti/g|ti/g2)/[A-Za-z0-9_\-]+/?(?:\?[\x21-\x7e]*)?$")


# ---- small helpers ---------------------------------------------------------------------------------------------


def space_key(code: str) -> str:
    """The engagement log's space name for an event."""
    return f"event:{code}"


def normalise_code(text: str) -> str | None:
    """' k7p-9qx ' -> 'K7P9QX'; None when it cannot be a code."""
    code = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if find_event(session, code) is None:
            return code


def new_bind_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(BIND_CODE_LENGTH))
        if session.exec(select(Event.id).where(Event.bind_code == code)).first() is None:
            return code


def bind_code_of(session: Session, event: Event) -> str:
    """The event's secret bind code (an event stored without one, e.g. by an import, gets one now)."""
    if not event.bind_code:
        event.bind_code = new_bind_code(session)
        session.add(event)
        session.flush()
    return event.bind_code


def _folded_code(text: str) -> str:
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).upper()


def event_by_bind_code(session: Session, text: str) -> Event:
    """The event whose secret bind code this is. The public code (or anything else) binds nothing, and says so."""
    code = _folded_code(text)
    event = None
    if len(code) == BIND_CODE_LENGTH and all(c in CODE_ALPHABET for c in code):
        event = session.exec(select(Event).where(Event.bind_code == code)).first()
    if event is not None:
        return event
    if normalise_code(text) is not None and find_event(session, code) is not None:
        raise Problem("event.bind_needs_secret", code=code)
    raise Problem("event.bind_code_wrong", code=(text or "").strip()[:12])


def format_when(moment: datetime, tz: ZoneInfo, lang: str = "ja") -> str:
    """A date and time in the city's time zone, as the reader's language writes it (the dashboard reads Japanese)."""
    local = as_utc(moment).astimezone(tz)
    weekday = t(lang, "event.weekdays").split()[local.weekday()]
    return t(
        lang, "event.when", year=local.year, month=local.month, day=local.day, weekday=weekday, time=f"{local:%H:%M}"
    )


def parse_when(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """'2026-12-05 14:00' (city time) -> aware datetime; full-width digits and / separators are fine."""
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).strip()).replace("/", "-")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            moment = datetime.strptime(cleaned, pattern).replace(tzinfo=tz)
            break
        except ValueError:
            continue
    else:
        raise Problem("event.bad_date", text=text.strip()[:30])
    if moment <= now:
        raise Problem("event.past_date")
    return moment


def valid_invite_url(url: str) -> bool:
    return bool(_INVITE_URL.match(url.strip()))


def member_label(member: Member) -> str:
    """Display name when the member has one, else the pseudonymous public id: never a platform id."""
    return member.display_name or member.public_id


def names_of(people: Iterable[Member], lang: str) -> str:
    """'jiro, ken' joined as the reader's language lists names."""
    return t(lang, "event.name_separator").join(member_label(m) for m in people)


# ---- events ----------------------------------------------------------------------------------------------------


def find_event(session: Session, code: str) -> Event | None:
    return session.exec(select(Event).where(Event.code == code)).first()


def event_by_code_text(session: Session, text: str) -> Event:
    code = normalise_code(text)
    event = find_event(session, code) if code else None
    if event is None:
        raise Problem("event.no_such_code", code=(text or "").strip()[:12])
    return event


def create_event(
    session: Session,
    city: CityConfig,
    *,
    title: str,
    starts_at: datetime,
    location: str,
    organizer_id: int,
    now: datetime,
    capacity: int | None = None,
) -> Event:
    if not title or not location:
        raise Problem("event.new_fields")
    if len(title) > MAX_TITLE or len(location) > MAX_LOCATION:
        raise Problem("event.too_long", limit=MAX_TITLE)
    venue = city.events.venue_for(location)
    event = Event(
        code=new_code(session),
        title=title,
        starts_at=as_utc(starts_at),
        location=location,
        venue=venue.id if venue else "",
        organizer_id=organizer_id,
        created_at=as_utc(now),
        bind_code=new_bind_code(session),
        capacity=capacity,
    )
    session.add(event)
    session.flush()
    return event


UPCOMING, RUNNING, ENDED = "upcoming", "running", "ended"
# A registration's status (community.event_registration).
REGISTERED, WAITING, CANCELLED = "registered", "waiting", "cancelled"


def event_end(event: Event, duration_hours: float) -> datetime:
    """When the event is over: [events] duration_hours after its start, or when it was closed if that was earlier."""
    planned = as_utc(event.starts_at) + timedelta(hours=duration_hours)
    return min(planned, as_utc(event.closed_at)) if event.closed_at else planned


def event_state(event: Event, now: datetime, duration_hours: float) -> str:
    """UPCOMING before the start, RUNNING from the start until event_end, ENDED after it (or once closed)."""
    if event.closed_at is not None or as_utc(now) >= event_end(event, duration_hours):
        return ENDED
    return RUNNING if as_utc(now) >= as_utc(event.starts_at) else UPCOMING


def upcoming_events(session: Session, now: datetime, limit: int = 10) -> list[Event]:
    return list(
        session.exec(
            select(Event)
            .where(Event.closed_at == None, Event.starts_at >= as_utc(now))  # noqa: E711
            .order_by(col(Event.starts_at))
            .limit(limit)
        )
    )


def request_discord_space(session: Session, postbox: Postbox, event: Event) -> None:
    """Ask the Discord adapter for a channel; it answers with a SPACE_CREATED inbound that binds it."""
    facilitator_ids = tuple(
        account.platform_user_id
        for member in facilitators(session, event)
        for account in members.accounts_of(session, id_of(member))
        if account.platform == "discord"
    )
    postbox.push(
        "discord",
        "events",
        CreateSpace(
            event_code=event.code,
            title=event.title,
            starts_at=as_utc(event.starts_at).isoformat(),
            location=event.location,
            facilitator_ids=facilitator_ids,
        ),
    )


def close_event(session: Session, postbox: Postbox, event: Event, now: datetime) -> int:
    """End the event; archive its Discord channels. Returns how many channels were archived."""
    if event.closed_at is not None:
        raise Problem("event.already_closed", title=event.title)
    event.closed_at = as_utc(now)
    session.add(event)
    archived = 0
    for _, space in spaces_of(session, event):
        if space.platform == "discord":
            postbox.push("discord", "events", ArchiveSpace(event_code=event.code, space_id=space.platform_space_id))
            archived += 1
    return archived


# ---- spaces ----------------------------------------------------------------------------------------------------


def binding_of(session: Session, space: Space | None) -> tuple[EventSpace, Event] | None:
    if space is None or space.id is None:
        return None
    bound = session.exec(select(EventSpace).where(EventSpace.space_id == space.id)).first()
    event = session.get(Event, bound.event_id) if bound is not None else None
    if bound is None or event is None:
        return None
    return bound, event


def spaces_of(session: Session, event: Event) -> list[tuple[EventSpace, Space]]:
    rows = session.exec(
        select(EventSpace, Space)
        .join(Space, col(Space.id) == col(EventSpace.space_id))
        .where(EventSpace.event_id == event.id)
        .order_by(col(EventSpace.id))
    ).all()
    return [(bound, space) for bound, space in rows]


def bind_space(session: Session, event: Event, space: Space, now: datetime) -> EventSpace:
    if space.purpose == STAFF_PURPOSE:
        raise Problem("event.bind_staff_space")
    if space.purpose not in ("", EVENT_PURPOSE):
        raise Problem("event.bind_other_purpose")
    existing = binding_of(session, space)
    if existing is not None:
        _, other = existing
        if other.id == event.id:
            raise Problem("event.bind_same", title=event.title)
        raise Problem("event.bind_taken", title=other.title, code=other.code)
    if event.closed_at is not None:
        raise Problem("event.closed", title=event.title)
    bound = EventSpace(event_id=id_of(event), space_id=id_of(space), bound_at=as_utc(now))
    spaces.serve(session, space, EVENT_PURPOSE, bound)
    return bound


def unbind_space(session: Session, bound: EventSpace, space: Space) -> None:
    """The space serves the event no more: the binding and who was in it go; the event and its counts stay."""
    session.execute(delete(EventSpaceMember).where(col(EventSpaceMember.event_space_id) == bound.id))
    session.delete(bound)
    spaces.release(session, space, EVENT_PURPOSE)
    session.flush()


def _presence(session: Session, bound: EventSpace, member_id: int) -> EventSpaceMember | None:
    return session.exec(
        select(EventSpaceMember).where(
            EventSpaceMember.event_space_id == bound.id, EventSpaceMember.member_id == member_id
        )
    ).first()


def mark_present(session: Session, bound: EventSpace, member_id: int, now: datetime) -> bool:
    """Remember that the member is in the space; True if they were not already."""
    row = _presence(session, bound, member_id)
    if row is None:
        session.add(EventSpaceMember(event_space_id=id_of(bound), member_id=member_id, joined_at=as_utc(now)))
        session.flush()
        return True
    if row.left_at is not None:
        row.left_at = None
        row.joined_at = as_utc(now)
        session.add(row)
        return True
    return False


def mark_left(session: Session, bound: EventSpace, member_id: int, now: datetime) -> None:
    row = _presence(session, bound, member_id)
    if row is not None and row.left_at is None:
        row.left_at = as_utc(now)
        session.add(row)


def record_members_joined(
    session: Session, bound: EventSpace, event: Event, platform: str, user_ids: Iterable[str], now: datetime
) -> int:
    joined = 0
    for user_id in user_ids:
        member = members.get_or_create_member(session, platform, user_id, as_utc(now))
        if mark_present(session, bound, id_of(member), now):
            engagement.record(
                session, "member_joined", now, member=member.public_id, platform=platform, space=space_key(event.code)
            )
            joined += 1
    return joined


def record_members_left(
    session: Session, bound: EventSpace, platform: str, user_ids: Iterable[str], now: datetime
) -> None:
    for user_id in user_ids:
        member = members.find_member(session, platform, user_id)
        if member is not None:
            mark_left(session, bound, id_of(member), now)


def record_message(
    session: Session, bound: EventSpace, event: Event, platform: str, sender_id: str, now: datetime
) -> None:
    """Count one message: when, in which event, by which pseudonymous member. Never the text."""
    member = members.get_or_create_member(session, platform, sender_id, as_utc(now))
    mark_present(session, bound, id_of(member), now)
    engagement.record(
        session, "event_message", now, member=member.public_id, platform=platform, space=space_key(event.code)
    )
    bound.last_message_at = as_utc(now)
    session.add(bound)


# ---- facilitators and permissions ------------------------------------------------------------------------------


def facilitators(session: Session, event: Event) -> list[Member]:
    return members.holders(session, members.FACILITATOR, event.code)


def opted_out_ids(session: Session, event: Event) -> set[int]:
    return set(session.exec(select(FacilitatorOptOut.member_id).where(FacilitatorOptOut.event_id == event.id)))


def is_facilitator(session: Session, member_id: int, event: Event) -> bool:
    return members.has_role(session, member_id, members.FACILITATOR, event.code)


def may_manage(session: Session, member: Member | None, roles: set[str], event: Event) -> bool:
    """Staff, the event's organizer, or one of its facilitators."""
    if member is None:
        return False
    return members.STAFF in roles or event.organizer_id == member.id or is_facilitator(session, id_of(member), event)


def may_close(member: Member | None, roles: set[str], event: Event) -> bool:
    return member is not None and (members.STAFF in roles or event.organizer_id == member.id)


def assign_facilitator(
    session: Session, event: Event, member: Member, now: datetime, *, by: Member | None = None
) -> bool:
    """Grant the facilitator role for this event (and forget an earlier opt-out). True if newly granted; the grant
    is in the audit log with who gave it (`by`)."""
    optout = session.exec(
        select(FacilitatorOptOut).where(
            FacilitatorOptOut.event_id == event.id, FacilitatorOptOut.member_id == member.id
        )
    ).first()
    if optout is not None:
        session.delete(optout)
    return members.grant(session, id_of(member), members.FACILITATOR, as_utc(now), scope=event.code, by=by)


def opt_out(session: Session, event: Event, member: Member, now: datetime) -> bool:
    """The facilitator stays listed but is no longer nudged. False if already opted out."""
    if member.id in opted_out_ids(session, event):
        return False
    session.add(FacilitatorOptOut(event_id=id_of(event), member_id=id_of(member), at=as_utc(now)))
    session.flush()
    return True


def facilitated_events(session: Session, member_id: int) -> list[Event]:
    codes = session.exec(select(Role.scope).where(Role.member_id == member_id, Role.role == members.FACILITATOR)).all()
    if not codes:
        return []
    return list(session.exec(select(Event).where(col(Event.code).in_(codes)).order_by(col(Event.starts_at))))


# ---- status ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpaceFigures:
    name: str
    platform: str
    members: int
    messages_this_week: int
    last_activity: datetime | None
    detached_at: datetime | None


def space_figures(session: Session, event: Event, now: datetime) -> list[SpaceFigures]:
    week_ago = as_utc(now - timedelta(days=7))
    figures = []
    for bound, space in spaces_of(session, event):
        present = session.exec(
            select(func.count())
            .select_from(EventSpaceMember)
            .where(EventSpaceMember.event_space_id == bound.id, col(EventSpaceMember.left_at).is_(None))
        ).one()
        # Messages per space: the engagement log names the event, so count by platform within it.
        messages = session.exec(
            select(func.count())
            .select_from(Engagement)
            .where(
                Engagement.kind == "event_message",
                Engagement.space == space_key(event.code),
                Engagement.platform == space.platform,
                Engagement.at >= week_ago,
            )
        ).one()
        figures.append(
            SpaceFigures(
                name=space.name or "",
                platform=space.platform,
                members=present,
                messages_this_week=messages,
                last_activity=bound.last_message_at,
                detached_at=None if space.bot_present else space.detached_at,
            )
        )
    return figures


@dataclass(frozen=True)
class EventOverview:
    """One event for the staff dashboard: no platform ids, facilitators by display name or public id."""

    code: str
    title: str
    starts_at: datetime
    closed: bool
    facilitators: tuple[str, ...]
    spaces: tuple[SpaceFigures, ...]
    capacity: int | None = None
    registered: int = 0
    waiting: int = 0
    attended: int = 0  # check-ins at the venue: members and anonymous visits


def rsvp_figures(session: Session, event_ids: Iterable[int]) -> dict[int, tuple[int, int, int]]:
    """Per event: (registered, waiting, attended), in two statements for any number of events."""
    ids = list(event_ids)
    found: dict[int, list[int]] = {event_id: [0, 0, 0] for event_id in ids}
    if not ids:
        return {}
    for event_id, status, count in session.exec(
        select(EventRegistration.event_id, EventRegistration.status, func.count())
        .where(col(EventRegistration.event_id).in_(ids), col(EventRegistration.status).in_((REGISTERED, WAITING)))
        .group_by(col(EventRegistration.event_id), col(EventRegistration.status))
    ):
        found[event_id][0 if status == REGISTERED else 1] = count
    for event_id, count in session.exec(
        select(EventAttendance.event_id, func.count())
        .where(col(EventAttendance.event_id).in_(ids))
        .group_by(col(EventAttendance.event_id))
    ):
        found[event_id][2] = count
    return {event_id: (a, b, c) for event_id, (a, b, c) in found.items()}


def overview(session: Session, now: datetime, start: datetime, end: datetime, limit: int = 50) -> list[EventOverview]:
    """Events starting in [start, end), the latest first (a fiscal year on the dashboard)."""
    rows = session.exec(
        select(Event)
        .where(Event.starts_at >= as_utc(start), Event.starts_at < as_utc(end))
        .order_by(col(Event.starts_at).desc())
        .limit(limit)
    ).all()
    rsvp = rsvp_figures(session, (id_of(event) for event in rows))
    return [
        EventOverview(
            code=event.code,
            title=event.title,
            starts_at=event.starts_at,
            closed=event.closed_at is not None,
            facilitators=tuple(member_label(m) for m in facilitators(session, event)),
            spaces=tuple(space_figures(session, event, now)),
            capacity=event.capacity,
            registered=rsvp[id_of(event)][0],
            waiting=rsvp[id_of(event)][1],
            attended=rsvp[id_of(event)][2],
        )
        for event in rows
    ]


# ---- for the KPI helper and the weekly digest ------------------------------------------------------------------


def event_space_figures(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """Event spaces that existed in [start, end) (bound before end, bot not removed before start), and how many had
    a facilitator (not opted out) who posted in that space in the range."""
    start, end = as_utc(start), as_utc(end)
    # One statement, not three queries per space: the digest computes this for three periods.
    facilitator_spoke = (
        select(Engagement.id)
        .join(Member, col(Member.public_id) == col(Engagement.member))
        .join(
            Role,
            and_(
                col(Role.member_id) == col(Member.id),
                col(Role.role) == members.FACILITATOR,
                col(Role.scope) == col(Event.code),
            ),
        )
        .where(
            Engagement.kind == "event_message",
            Engagement.space == literal(space_key("")) + Event.code,
            Engagement.platform == Space.platform,
            Engagement.at >= start,
            Engagement.at < end,
            ~select(FacilitatorOptOut.id)
            .where(FacilitatorOptOut.event_id == Event.id, FacilitatorOptOut.member_id == Member.id)
            .correlate(Event, Member)
            .exists(),
        )
        .correlate(Event, Space)
        .exists()
    )
    rows = session.exec(
        select(Space.bot_present, Space.detached_at, facilitator_spoke)
        .select_from(EventSpace)
        .join(Space, col(Space.id) == col(EventSpace.space_id))
        .join(Event, col(Event.id) == col(EventSpace.event_id))
        .where(EventSpace.bound_at < end)
    ).all()
    spaces = active = 0
    for bot_present, detached_at, spoke in rows:
        if not bot_present and detached_at is not None and as_utc(detached_at) < start:
            continue
        spaces += 1
        active += bool(spoke)
    return {"event_spaces": spaces, "event_spaces_with_active_facilitator": active}


def event_rule_figures(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """Omitama's rule, "every event has a LINE group with a 世話人": events held in [start, end) (by start time), those
    with a bound group or channel and a facilitator who has not opted out, and their share in whole percent (rounded
    down, so 100 means every one; 0 when no event was held)."""
    has_space = select(EventSpace.id).where(EventSpace.event_id == Event.id).correlate(Event).exists()
    has_facilitator = (
        select(Role.id)
        .where(
            Role.role == members.FACILITATOR,
            Role.scope == Event.code,
            ~select(FacilitatorOptOut.id)
            .where(FacilitatorOptOut.event_id == Event.id, FacilitatorOptOut.member_id == Role.member_id)
            .correlate(Event, Role)
            .exists(),
        )
        .correlate(Event)
        .exists()
    )
    held, ruled = session.exec(
        select(func.count(), func.count(case((and_(has_space, has_facilitator), 1)))).where(
            col(Event.starts_at) >= as_utc(start), col(Event.starts_at) < as_utc(end)
        )
    ).one()
    return {
        "events_held": int(held),
        "events_with_group_and_facilitator": int(ruled),
        "events_with_group_and_facilitator_percent": int(ruled) * 100 // int(held) if held else 0,
    }


@dataclass(frozen=True)
class QuietSpace:
    """An event space with no message for more than `days` days (no platform ids: safe for digests)."""

    event_code: str
    event_title: str
    space_name: str
    platform: str
    last_activity: datetime  # last message, or when it was bound if nobody has spoken yet
    quiet_days: int
    facilitators: tuple[str, ...]  # display names or public ids, opted-out ones excluded
    event_space_id: int


@dataclass(frozen=True)
class QuietBinding:
    """A quiet space with its rows, for the quiet-groups job: whom to nudge (opted-out facilitators left out)."""

    quiet: QuietSpace
    bound: EventSpace
    event: Event
    nudgeable: tuple[Member, ...]


def quiet_bindings(session: Session, now: datetime, days: int) -> list[QuietBinding]:
    cutoff = as_utc(now - timedelta(days=days))
    rows = session.exec(
        select(EventSpace, Space, Event)
        .join(Space, col(Space.id) == col(EventSpace.space_id))
        .join(Event, col(Event.id) == col(EventSpace.event_id))
        .where(Space.bot_present == True)  # noqa: E712
        .order_by(col(EventSpace.id))
    ).all()
    # Every facilitator and opt-out in two queries rather than two per space.
    by_code: dict[str, list[Member]] = {}
    for scope, member in session.exec(
        select(Role.scope, Member)
        .join(Member, col(Member.id) == col(Role.member_id))
        .where(Role.role == members.FACILITATOR)
        .order_by(col(Role.id))
    ):
        by_code.setdefault(scope, []).append(member)
    opted_out = set(session.exec(select(FacilitatorOptOut.event_id, FacilitatorOptOut.member_id)).all())
    quiet = []
    for bound, space, event in rows:
        last = as_utc(bound.last_message_at or bound.bound_at)
        if last >= cutoff:
            continue
        nudgeable = tuple(m for m in by_code.get(event.code, ()) if (event.id, m.id) not in opted_out)
        found = QuietSpace(
            event_code=event.code,
            event_title=event.title,
            space_name=space.name or "",
            platform=space.platform,
            last_activity=last,
            quiet_days=(as_utc(now) - last).days,
            facilitators=tuple(member_label(m) for m in nudgeable),
            event_space_id=id_of(bound),
        )
        quiet.append(QuietBinding(found, bound, event, nudgeable))
    return quiet


def quiet_spaces(session: Session, now: datetime, days: int) -> list[QuietSpace]:
    return [found.quiet for found in quiet_bindings(session, now, days)]


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    spaces = event_space_figures(session, since, until)
    return {
        "event_spaces": spaces["event_spaces"],
        "event_spaces_with_active_facilitator": spaces["event_spaces_with_active_facilitator"],
        "event_messages": count_kind(session, "event_message", since, until),  # counted, never kept
        **event_rule_figures(session, since, until),
    }


KPIS = KpiSource(
    (
        "event_spaces",
        "event_spaces_with_active_facilitator",
        "event_messages",
        "events_held",
        "events_with_group_and_facilitator",
        "events_with_group_and_facilitator_percent",
    ),
    _kpi_values,
    weekly=("event_spaces", "event_spaces_with_active_facilitator", "event_messages"),
    shares=(("events_with_group_and_facilitator_percent", "events_with_group_and_facilitator", "events_held"),),
)


def digest_section(week: DigestWeek) -> list[str]:
    """Event groups nobody wrote in for [events] quiet_days, with their facilitators (the digest is in Japanese)."""
    quiet = quiet_spaces(week.session, week.now, week.site.city.events.quiet_days)
    lines = [t("ja", "digest.quiet_groups")]
    separator = t("ja", "event.name_separator")
    for space in quiet[:DIGEST_QUIET_LIMIT]:
        who = separator.join(space.facilitators) if space.facilitators else t("ja", "digest.nobody")
        lines.append(t("ja", "digest.quiet_group", title=space.event_title, days=space.quiet_days, who=who))
    if len(quiet) > DIGEST_QUIET_LIMIT:
        lines.append(t("ja", "digest.more", count=len(quiet) - DIGEST_QUIET_LIMIT))
    if not quiet:
        lines.append(t("ja", "digest.none"))
    return lines
