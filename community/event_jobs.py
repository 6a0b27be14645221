"""The events feature's scheduled work, as domain functions of (session, site, now, postbox): nudging the
facilitators of quiet event spaces, and the venue's tips after an event. handlers/events wraps them as Jobs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from community import budget, members
from community.city import EventsSettings, Site, Tip, Venue
from community.events import QuietBinding, event_end, quiet_bindings, spaces_of
from community.messages import Postbox, Text
from community.texts import t
from storage.db import as_utc, id_of
from storage.models import Member, Role, Space
from storage.models.events import Event

# Posts in a group or channel go to many people at once: they are written in the city's language.
GROUP_LANG = "ja"


def notify_staff(session: Session, postbox: Postbox, compose: Callable[[str], str]) -> int:
    """To the staff space if the bot is in one (in the city's language), else 1:1 to every staff member in their
    own language. compose(lang) writes the text. Returns the sends made."""
    staff_space = session.exec(
        select(Space).where(Space.purpose == "staff", Space.bot_present == True)  # noqa: E712
    ).first()
    if staff_space is not None:
        postbox.push(staff_space.platform, staff_space.platform_space_id, Text(compose(GROUP_LANG)), kind=budget.STAFF)
        return 1
    staff_ids = session.exec(select(Role.member_id).where(Role.role == members.STAFF, Role.scope == "")).all()
    sent = 0
    for member_id in dict.fromkeys(staff_ids):
        member = session.get(Member, member_id)
        lang = member.lang if member is not None else GROUP_LANG
        sent += members.push_to_member(session, postbox, member_id, Text(compose(lang)), kind=budget.STAFF)
    return sent


# ---- quiet-groups ----------------------------------------------------------------------------------------------


class Nudged(Protocol):
    nudged_at: datetime | None
    nudges: int


class QuietPlace(Protocol):
    """A quiet space (an event's or a 区's): its binding, and the facilitators who may be nudged."""

    @property
    def bound(self) -> Nudged: ...

    @property
    def nudgeable(self) -> tuple[Member, ...]: ...


Quiet = TypeVar("Quiet", bound=QuietPlace)


def nudge_quiet(
    session: Session,
    postbox: Postbox,
    now: datetime,
    config: EventsSettings,
    quiet: list[Quiet],
    nudge: Callable[[Session, Postbox, EventsSettings, Quiet], int],
    report: Callable[[list[Quiet], str], str],
) -> tuple[int, int]:
    """Nudge each quiet space's facilitators at most once per quiet period (`nudge` returns how many got it), and
    report the spaces with no one to nudge to staff; returns (nudged, reported)."""
    again_after = as_utc(now - timedelta(days=config.quiet_days))
    nudged, orphans = 0, []
    for found in quiet:
        bound = found.bound
        if bound.nudged_at is not None and as_utc(bound.nudged_at) > again_after:
            continue
        if found.nudgeable:
            nudged += nudge(session, postbox, config, found)
            bound.nudges += 1
        else:
            orphans.append(found)
        bound.nudged_at = as_utc(now)
        session.add(bound)
    if orphans:
        notify_staff(session, postbox, lambda lang: report(orphans, lang))
    return nudged, len(orphans)


def starter(config: EventsSettings, lang: str, nudges: int) -> str:
    """The conversation starter in turn: the city's own, else the default in the member's language."""
    starters = config.conversation_starters or (t(lang, "event.nudge_default_starter"),)
    return starters[nudges % len(starters)]


def quiet_groups(session: Session, site: Site, now: datetime, postbox: Postbox) -> str:
    """Nudge the facilitators of quiet event spaces 1:1 (at most once per quiet period); report spaces with no
    facilitator who can be nudged to staff."""
    config = site.city.events
    quiet = quiet_bindings(session, now, config.quiet_days)
    nudged, orphans = nudge_quiet(session, postbox, now, config, quiet, _nudge, _orphan_report)
    return t("ja", "job.quiet-groups.result", nudged=nudged, orphans=orphans)


def _place(found: QuietBinding) -> str:
    return found.quiet.space_name or found.quiet.event_title


def _nudge(session: Session, postbox: Postbox, config: EventsSettings, found: QuietBinding) -> int:
    """One conversation starter (the next in turn) to each facilitator, in their language; returns how many got it."""
    event, sent = found.event, 0
    for member in found.nudgeable:
        text = t(
            member.lang,
            "event.nudge",
            place=_place(found),
            title=event.title,
            days=found.quiet.quiet_days,
            starter=starter(config, member.lang, found.bound.nudges),
            code=event.code,
        )
        sent += bool(members.push_to_member(session, postbox, id_of(member), Text(text), kind=budget.NUDGE))
    return sent


def _orphan_report(orphans: list[QuietBinding], lang: str) -> str:
    lines = [
        t(
            lang,
            "event.orphan_line",
            place=_place(found),
            title=found.event.title,
            code=found.event.code,
            days=found.quiet.quiet_days,
        )
        for found in orphans
    ]
    return t(lang, "event.orphan_report") + "\n" + "\n".join(lines)


# ---- after-event -----------------------------------------------------------------------------------------------


def after_event(session: Session, site: Site, now: datetime, postbox: Postbox) -> str:
    """Once per event, after it ends: post the venue's nearby spots and shop incentives in its spaces."""
    config = site.city.events
    now = as_utc(now)
    lookback = timedelta(days=config.after_event_days)
    candidates = session.exec(
        select(Event).where(
            col(Event.after_event_posted_at).is_(None),
            Event.starts_at <= now,
            Event.starts_at >= now - lookback,
        )
    ).all()
    posted = 0
    for event in candidates:
        if event_end(event, config.duration_hours) > now:
            continue
        event.after_event_posted_at = now  # once, even when there is nothing to say
        session.add(event)
        venue = config.venue(event.venue) if event.venue else None
        text = after_event_text(venue, event) if venue else None
        if text is None:
            continue
        for _, space in spaces_of(session, event):
            if not space.bot_present or (space.platform == "discord" and event.closed_at is not None):
                continue  # the bot was removed, or the channel is archived
            postbox.push(space.platform, space.platform_space_id, Text(text), kind=budget.TIP)
            posted += 1
    return t("ja", "job.after-event.result", posted=posted)


def after_event_text(venue: Venue, event: Event, lang: str = GROUP_LANG) -> str | None:
    spots = list(venue.nearby_spots)
    shops = list(venue.shop_incentives)
    if not spots and not shops:
        return None
    lines = [t(lang, "event.after_header", title=event.title, venue=venue.name or event.location)]
    if spots:
        lines.append(t(lang, "event.after_spots"))
        lines += [t(lang, "event.after_item", item=_venue_item(s, lang)) for s in spots]
    if shops:
        lines.append(t(lang, "event.after_shops"))
        lines += [t(lang, "event.after_item", item=_venue_item(s, lang)) for s in shops]
    return "\n".join(lines)


def _venue_item(item: Tip, lang: str) -> str:
    parts = [item.name, item.offer or item.note]
    text = t(lang, "event.tip_separator").join(p for p in parts if p)
    return f"{text} {item.url}" if item.url else text
