"""Registrations for an event (RSVP): /join and the join button register a person, up to the event's capacity; past it
they wait, and the first waiting moves up when someone cancels (/event cancel) or the capacity grows. On a platform
where the bot decides who sees an event's space (a private Discord channel), registering lets the person in.

Also: the day-before reminder (job event-reminders) and the one push helper these use, which sends to one account of
a member (the platform they registered on first): one reminder per person, however many accounts they linked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from community import members
from community.budget import REMINDER  # the day-before reminder's and a freed place's kind
from community.city import Site
from community.events import (
    CANCELLED,
    ENDED,
    REGISTERED,
    WAITING,
    event_state,
    facilitators,
    format_when,
    spaces_of,
)
from community.messages import OutboundMessage, Postbox, SpaceAccess, Text
from community.problems import Problem
from community.texts import fold, is_word, t, words
from storage.db import as_utc, id_of
from storage.models import Member, Role
from storage.models.events import Event, EventRegistration

DISCORD = "discord"
MAX_CAPACITY = 100_000


def parse_capacity(text: str) -> int | None:
    """'定員 30', '30人', 'capacity 30', '30' -> 30; 'なし', 'none', '0' -> None (no limit); else a Problem."""
    cleaned = fold(text or "")
    if is_word("event.capacity_none", cleaned):
        return None
    for prefix in sorted(words("event.capacity_prefix"), key=len, reverse=True):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :].lstrip(" :=")
            break
    for suffix in sorted(words("event.capacity_suffix"), key=len, reverse=True):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)].rstrip()
            break
    if not (cleaned.isascii() and cleaned.isdigit()) or not 0 < int(cleaned) <= MAX_CAPACITY:
        raise Problem("event.capacity_bad", text=(text or "").strip()[:20])
    return int(cleaned)


@dataclass(frozen=True)
class Counts:
    registered: int
    waiting: int


def counts(session: Session, event: Event) -> Counts:
    rows = dict(
        session.exec(
            select(EventRegistration.status, func.count())
            .where(EventRegistration.event_id == event.id)
            .group_by(col(EventRegistration.status))
        ).all()
    )
    return Counts(rows.get(REGISTERED, 0), rows.get(WAITING, 0))


def registration_of(session: Session, event: Event, member_id: int) -> EventRegistration | None:
    return session.exec(
        select(EventRegistration).where(
            EventRegistration.event_id == event.id, EventRegistration.member_id == member_id
        )
    ).first()


def waiting_list(session: Session, event: Event) -> list[EventRegistration]:
    """Who waits for a place, first come first."""
    return list(
        session.exec(
            select(EventRegistration)
            .where(EventRegistration.event_id == event.id, EventRegistration.status == WAITING)
            .order_by(col(EventRegistration.registered_at), col(EventRegistration.id))
        )
    )


def position(session: Session, event: Event, row: EventRegistration) -> int:
    """1 for the first on the waiting list."""
    return next((i for i, waiting in enumerate(waiting_list(session, event), 1) if waiting.id == row.id), 0)


def people(session: Session, event: Event, status: str) -> list[Member]:
    return list(
        session.exec(
            select(Member)
            .join(EventRegistration, col(EventRegistration.member_id) == col(Member.id))
            .where(EventRegistration.event_id == event.id, EventRegistration.status == status)
            .order_by(col(EventRegistration.registered_at), col(EventRegistration.id))
        )
    )


@dataclass(frozen=True)
class Registered:
    """What /join did: the person's status now, their place on the waiting list, and whether it was so already."""

    row: EventRegistration
    already: bool
    position: int = 0


def register(session: Session, event: Event, member: Member, platform: str, now: datetime, hours: float) -> Registered:
    if event.closed_at is not None or event_state(event, now, hours) == ENDED:
        raise Problem("event.closed", title=event.title)
    row = registration_of(session, event, id_of(member))
    if row is not None and row.status != CANCELLED:
        return Registered(row, True, position(session, event, row) if row.status == WAITING else 0)
    full = event.capacity is not None and counts(session, event).registered >= event.capacity
    if row is None:
        row = EventRegistration(
            event_id=id_of(event), member_id=id_of(member), platform=platform, status="", registered_at=as_utc(now)
        )
    row.status = WAITING if full else REGISTERED
    row.registered_at, row.cancelled_at, row.promoted_at = as_utc(now), None, None
    row.platform = platform
    session.add(row)
    session.flush()
    return Registered(row, False, position(session, event, row) if full else 0)


def cancel(session: Session, event: Event, member: Member, now: datetime) -> tuple[str, list[EventRegistration]]:
    """Give up a place (or a place on the waiting list); returns the status it had and who moved up."""
    row = registration_of(session, event, id_of(member))
    if row is None or row.status == CANCELLED:
        raise Problem("event.cancel_none", title=event.title)
    was = row.status
    row.status, row.cancelled_at = CANCELLED, as_utc(now)
    session.add(row)
    session.flush()
    return was, move_up(session, event, now)


def set_capacity(session: Session, event: Event, capacity: int | None, now: datetime) -> list[EventRegistration]:
    """A new capacity; those it makes room for move up (nobody registered loses a place when it shrinks)."""
    event.capacity = capacity
    session.add(event)
    session.flush()
    return move_up(session, event, now)


def move_up(session: Session, event: Event, now: datetime) -> list[EventRegistration]:
    """The first waiting take the places that are free."""
    registered = counts(session, event).registered
    free = None if event.capacity is None else event.capacity - registered
    moved = []
    for row in waiting_list(session, event):
        if free is not None and free <= 0:
            break
        row.status, row.promoted_at = REGISTERED, as_utc(now)
        session.add(row)
        moved.append(row)
        if free is not None:
            free -= 1
    session.flush()
    return moved


# ---- pushing to a person once --------------------------------------------------------------------------------------


def push_once(
    session: Session, postbox: Postbox, member_id: int, prefer: str, *messages: OutboundMessage, kind: str = ""
) -> bool:
    """Push to one account of the member that can receive it: the one on `prefer` first (one message per person,
    however many platforms they linked). False when none can."""
    accounts = [a for a in members.accounts_of(session, member_id) if a.followed]
    accounts.sort(key=lambda account: account.platform != prefer)
    if not accounts:
        return False
    postbox.push(accounts[0].platform, accounts[0].platform_user_id, *messages, kind=kind)
    return True


def tell_moved_up(
    session: Session, postbox: Postbox, site: Site, event: Event, moved: Iterable[EventRegistration]
) -> int:
    """Those who moved up from the waiting list hear so (and get into the event's private channel)."""
    told = 0
    for row in moved:
        member = session.get(Member, row.member_id)
        if member is None:
            continue
        when = format_when(event.starts_at, site.tz, member.lang)
        text = t(member.lang, "event.moved_up", title=event.title, when=when, place=event.location, code=event.code)
        told += push_once(session, postbox, row.member_id, row.platform, Text(text), kind=REMINDER)
        grant_access(session, postbox, event, row.member_id, allow=True)
    return told


# ---- who may see the event's private spaces (Discord channels) ---------------------------------------------------


def discord_ids(session: Session, member_id: int) -> list[str]:
    return [a.platform_user_id for a in members.accounts_of(session, member_id) if a.platform == DISCORD]


def grant_access(
    session: Session, postbox: Postbox, event: Event, member_id: int, *, allow: bool, manage: bool = False
) -> int:
    """Let the member into (or out of) every Discord channel of the event; returns the requests made. Someone who
    organizes, facilitates or is staff keeps their access when their registration goes."""
    if not allow and keeps_access(session, event, member_id):
        return 0
    made = 0
    for _, space in spaces_of(session, event):
        if space.platform != DISCORD or not space.bot_present or event.closed_at is not None:
            continue
        for user_id in discord_ids(session, member_id):
            access = SpaceAccess(event.code, space.platform_space_id, user_id, allow=allow, manage=manage)
            postbox.push(DISCORD, "events", access)
            made += 1
    return made


def keeps_access(session: Session, event: Event, member_id: int) -> bool:
    return (
        event.organizer_id == member_id
        or members.has_role(session, member_id, members.STAFF)
        or members.has_role(session, member_id, members.FACILITATOR, event.code)
    )


def open_space(session: Session, postbox: Postbox, event: Event, platform_space_id: str) -> int:
    """A new private channel of the event: its organizer, facilitators (who moderate), staff and everyone registered
    are let in. Returns the requests made."""
    manage = {id_of(m) for m in facilitators(session, event)}
    staff = set(session.exec(select(Role.member_id).where(Role.role == members.STAFF, Role.scope == "")))
    registered = {id_of(m) for m in people(session, event, REGISTERED)}
    made = 0
    for member_id in sorted({event.organizer_id} | manage | staff | registered):
        for user_id in discord_ids(session, member_id):
            access = SpaceAccess(event.code, platform_space_id, user_id, allow=True, manage=member_id in manage)
            postbox.push(DISCORD, "events", access)
            made += 1
    return made


# ---- the day-before reminder (job event-reminders) ---------------------------------------------------------------


def send_reminders(session: Session, site: Site, now: datetime, postbox: Postbox) -> str:
    """Everyone registered for an event that starts tomorrow (city time) gets one reminder, once."""
    tomorrow = now.astimezone(site.tz).date() + timedelta(days=1)
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=site.tz)
    events = session.exec(
        select(Event).where(
            col(Event.closed_at).is_(None),
            Event.starts_at >= as_utc(start),
            Event.starts_at < as_utc(start + timedelta(days=1)),
        )
    ).all()
    sent = 0
    for event in events:
        rows = session.exec(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id,
                EventRegistration.status == REGISTERED,
                col(EventRegistration.reminded_at).is_(None),
            )
        ).all()
        for row in rows:
            row.reminded_at = as_utc(now)  # once, even when nobody could be reached
            session.add(row)
            member = session.get(Member, row.member_id)
            if member is None:
                continue
            text = reminder_text(site, event, member.lang)
            sent += push_once(session, postbox, row.member_id, row.platform, Text(text), kind=REMINDER)
    return t("ja", "job.event-reminders.result", sent=sent, events=len(events))


def reminder_text(site: Site, event: Event, lang: str) -> str:
    return t(
        lang,
        "event.reminder",
        title=event.title,
        when=format_when(event.starts_at, site.tz, lang),
        place=event.location,
        code=event.code,
    )
