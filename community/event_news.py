"""Hearing of new events: members opt in (/event news on) and get a short notice, with a join button, when an event
is created. What is kept: who opted in and on which platform the notices go. (When the city's announcements can be
sent to segments, this list is one; until then the notice is a push of kind "event_news".)"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from community.budget import EVENT_NEWS as NEWS  # the notice's kind: last in the budget's priorities
from community.city import Site
from community.events import format_when
from community.messages import Action, Card, Postbox
from community.texts import t
from storage.db import as_utc, id_of
from storage.models import Member, PlatformAccount
from storage.models.events import Event, EventNewsSubscriber

JOIN_POSTBACK = "event-join:{code}"


def subscription(session: Session, member_id: int) -> EventNewsSubscriber | None:
    return session.exec(select(EventNewsSubscriber).where(EventNewsSubscriber.member_id == member_id)).first()


def subscribe(session: Session, member: Member, platform: str, now: datetime) -> bool:
    """True when newly subscribed; an existing subscription moves its notices to this platform."""
    row = subscription(session, id_of(member))
    if row is not None:
        row.platform = platform
        session.add(row)
        return False
    session.add(EventNewsSubscriber(member_id=id_of(member), platform=platform, since=as_utc(now)))
    session.flush()
    return True


def unsubscribe(session: Session, member: Member) -> bool:
    row = subscription(session, id_of(member))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def announce(session: Session, site: Site, postbox: Postbox, event: Event, skip_member_id: int | None = None) -> int:
    """The new event to everyone who opted in (not its organizer): one multicast per platform and language, to an
    account that still follows the bot. Returns how many people it goes to."""
    rows = session.exec(
        select(EventNewsSubscriber, Member, PlatformAccount)
        .join(Member, col(Member.id) == col(EventNewsSubscriber.member_id))
        .join(PlatformAccount, col(PlatformAccount.member_id) == col(Member.id))
        .where(col(PlatformAccount.platform) == col(EventNewsSubscriber.platform), col(PlatformAccount.followed))
        .order_by(col(EventNewsSubscriber.id))
    ).all()
    groups: dict[tuple[str, str], list[str]] = {}
    for _, member, account in rows:
        if member.id != skip_member_id:
            groups.setdefault((account.platform, member.lang), []).append(account.platform_user_id)
    for (platform, lang), user_ids in groups.items():
        postbox.multicast(platform, user_ids, notice(site, event, lang), kind=NEWS)
    return sum(len(user_ids) for user_ids in groups.values())


def notice(site: Site, event: Event, lang: str) -> Card:
    when = format_when(event.starts_at, site.tz, lang)
    join = Action(label=t(lang, "event.news_join"), data=JOIN_POSTBACK.format(code=event.code))
    text = t(lang, "event.news_text", when=when, place=event.location, code=event.code)
    return Card(title=t(lang, "event.news_title", title=event.title), text=text, actions=(join,))
