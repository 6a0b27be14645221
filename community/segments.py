"""Who an announcement goes to (issue 15): a segment, written as a short key stored with the announcement.

    all                    every community member (joined /community and has not left)
    relation:<r>           community members by relation to the town (resident, native, visitor, fan)
    platform:<p>           community members on one platform (line, discord, console)
    childcare              parents who opted in to checkup notices (/child)
    childcare:<a>-<b>      ... with a child aged a to b years (childcare:prenatal: expecting)
    event:<CODE>           people who joined an event: members of its groups and those registered or waiting
    area:<区>               members who recorded that 行政区 as theirs (/area mine)
    school:<小学校区>        members who recorded a 区 of that 小学校区

A segment's recipients are its members' accounts that can receive pushes, minus everyone who stopped announcements
(for every topic, or for the announcement's topic): people who opted out are never counted. Discord members are
reached by one post in the city's announcement channel (segments all and platform:discord), not one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from community import area_spaces, areas, board, events
from community.childcare import add_months
from community.city import Site
from community.problems import Problem
from community.texts import fold, t, words
from storage.db import id_of
from storage.models import Member, PlatformAccount
from storage.models.announce import AnnounceOptOut
from storage.models.childcare import ChildcareChild
from storage.models.community import CommunityMember
from storage.models.events import Event, EventRegistration, EventSpace, EventSpaceMember

ALL = "all"
RELATION = "relation"
PLATFORM = "platform"
CHILDCARE = "childcare"
EVENT = "event"
AREA = "area"
SCHOOL = "school"
PRENATAL = "prenatal"
PLATFORMS = ("line", "discord", "console")
ONE_BY_ONE = ("line", "console")  # platforms whose members get the announcement in their own chat
_BAND = re.compile(r"^(\d{1,2})\s*[-~\u301c\uff5e\u30fc]\s*(\d{1,2})$")


def key_of(kind: str, value: str = "") -> str:
    return f"{kind}:{value}" if value else kind


def split(segment: str) -> tuple[str, str]:
    kind, _, value = segment.partition(":")
    return kind, value


# ---- what staff type -----------------------------------------------------------------------------------------------


def parse(session: Session, text: str) -> str:
    """A typed segment ("全員", "ファン", "LINE", "子育て 0-2", "イベント AB12", or a key) -> its key."""
    typed = fold(text)
    first, _, rest = typed.partition(" ")
    rest = rest.strip()
    if typed in words("segment.all") or typed == ALL:
        return ALL
    relation = _relation(typed)
    if relation is not None:
        return key_of(RELATION, relation)
    if typed in PLATFORMS or (first == PLATFORM and rest in PLATFORMS):
        return key_of(PLATFORM, rest or typed)
    if first in words("segment.childcare") or first == CHILDCARE or typed in words("segment.prenatal"):
        return key_of(CHILDCARE, _band(typed if typed in words("segment.prenatal") else rest))
    if first in words("segment.event") or first == EVENT:
        if not rest:
            raise Problem("segment.event_code")
        return key_of(EVENT, events.event_by_code_text(session, rest).code)
    if first in words("segment.school") or first == SCHOOL:
        return key_of(SCHOOL, _school(session, rest))
    if first in words("segment.area") or first == AREA:
        return key_of(AREA, areas.area_named(session, rest).name)
    if ":" in typed:
        return checked(session, typed)
    raise Problem("segment.unknown", text=text.strip()[:30])


def _relation(typed: str) -> str | None:
    for key in board.RELATIONS:
        if typed in words(f"segment.relation.{key}"):
            return key
    return board.find_relation(typed)


def _band(text: str) -> str:
    """ "" (every parent), "prenatal" or "a-b" (years)."""
    if not text:
        return ""
    if text in words("segment.prenatal") or text == PRENATAL:
        return PRENATAL
    found = _BAND.match(text.replace("\u6b73", "").strip())
    if found is None or int(found.group(1)) > int(found.group(2)):
        raise Problem("segment.bad_band", text=text[:20])
    return f"{int(found.group(1))}-{int(found.group(2))}"


def checked(session: Session, segment: str) -> str:
    """A stored or submitted key, checked (the web form and the dialogue's buttons send keys)."""
    kind, value = split(segment.strip().lower())
    if kind == ALL and not value:
        return ALL
    if kind == RELATION and value in board.RELATIONS:
        return segment.lower()
    if kind == PLATFORM and value in PLATFORMS:
        return segment.lower()
    if kind == CHILDCARE:
        return key_of(CHILDCARE, _band(value))
    if kind == EVENT and value:
        return key_of(EVENT, events.event_by_code_text(session, value).code)
    if kind == AREA and value:
        return key_of(AREA, areas.area_named(session, value).name)
    if kind == SCHOOL and value:
        return key_of(SCHOOL, _school(session, value))
    raise Problem("segment.unknown", text=segment.strip()[:30])


def _school(session: Session, typed: str) -> str:
    """A 小学校区 the register knows ("小川小学校", or "小川小" / "小川" when only one school matches)."""
    known = areas.schools(areas.all_areas(session))
    wanted = areas.normalise(typed)
    if not wanted:
        raise Problem("segment.school_name")
    if wanted in known:
        return wanted
    matches = [school for school in known if school.startswith(wanted)]
    if len(matches) != 1:
        raise Problem("segment.no_such_school", name=wanted[:30])
    return matches[0]


def label(segment: str, lang: str) -> str:
    """How staff read a segment: 「ファン・応援している」, 「子育て中の保護者（0〜2歳）」, ..."""
    kind, value = split(segment)
    if kind == RELATION:
        return t(lang, "segment.label.relation", relation=board.relation_label(value, lang))
    if kind == PLATFORM:
        return t(lang, "segment.label.platform", platform=value.upper() if value == "line" else value.capitalize())
    if kind == CHILDCARE and value == PRENATAL:
        return t(lang, "segment.label.prenatal")
    if kind == CHILDCARE and value:
        low, high = value.split("-")
        return t(lang, "segment.label.childcare_band", low=low, high=high)
    if kind == CHILDCARE:
        return t(lang, "segment.label.childcare")
    if kind == EVENT:
        return t(lang, "segment.label.event", code=value)
    if kind == AREA:
        return t(lang, "segment.label.area", area=value)
    if kind == SCHOOL:
        return t(lang, "segment.label.school", school=value)
    return t(lang, "segment.label.all")


# ---- who is in a segment -------------------------------------------------------------------------------------------


def event_participants(event_id: int) -> SelectOfScalar[int]:
    """The members who joined an event: those in its groups now, and those registered or on its waiting list."""
    in_groups = (
        select(EventSpaceMember.member_id)
        .join(EventSpace, col(EventSpace.id) == col(EventSpaceMember.event_space_id))
        .where(EventSpace.event_id == event_id, col(EventSpaceMember.left_at).is_(None))
    )
    registered = select(EventRegistration.member_id).where(
        EventRegistration.event_id == event_id, EventRegistration.status != "cancelled"
    )
    either = select(Member.id).where(col(Member.id).in_(in_groups) | col(Member.id).in_(registered))
    return cast("SelectOfScalar[int]", either)  # Member.id is typed optional; a stored row's never is


def _children_born(low: int, high: int, today: date) -> tuple[date, date]:
    """Birth dates of children aged low to high years today: (earliest, latest) inclusive."""
    earliest = add_months(today, -12 * (high + 1))
    latest = add_months(today, -12 * low)
    return date.fromordinal(earliest.toordinal() + 1), latest


def member_ids(session: Session, segment: str, today: date) -> SelectOfScalar[int]:
    """The segment's members, as a query of member ids."""
    kind, value = split(segment)
    community = select(CommunityMember.member_id).where(col(CommunityMember.left_at).is_(None))
    if kind == RELATION:
        return community.where(CommunityMember.relation == value)
    if kind == CHILDCARE:
        parents = select(ChildcareChild.member_id)
        if value == PRENATAL:
            return parents.where(col(ChildcareChild.born_on) > today)
        if value:
            low, high = (int(part) for part in value.split("-"))
            earliest, latest = _children_born(low, high, today)
            return parents.where(col(ChildcareChild.born_on) >= earliest, col(ChildcareChild.born_on) <= latest)
        return parents
    if kind == EVENT:
        event = session.exec(select(Event).where(Event.code == value)).first()
        if event is None or event.id is None:
            raise Problem("event.no_such_code", code=value[:12])
        return event_participants(event.id)
    if kind == AREA:
        return area_spaces.residents_of_area(id_of(areas.area_named(session, value)))
    if kind == SCHOOL:
        return area_spaces.residents_of_school(value)
    return community  # all, and platform:<p> (the platform is chosen among their accounts)


def opted_out(topic: str) -> SelectOfScalar[int]:
    """Members who stopped every announcement, or this topic's."""
    topics = ("", topic) if topic else ("",)
    return select(AnnounceOptOut.member_id).where(col(AnnounceOptOut.topic).in_(topics))


def _platforms(segment: str, site: Site) -> list[str]:
    kind, value = split(segment)
    wanted = [value] if kind == PLATFORM else list(ONE_BY_ONE)
    return [p for p in wanted if p in ONE_BY_ONE and p in site.platforms]


@dataclass(frozen=True)
class Recipient:
    platform: str
    user_id: str
    lang: str


def recipients(session: Session, site: Site, segment: str, topic: str, today: date) -> list[Recipient]:
    """Every account the announcement goes to one by one (LINE, console): followed, not forgotten, not opted out."""
    platforms = _platforms(segment, site)
    if not platforms:
        return []
    rows = session.exec(
        select(PlatformAccount.platform, PlatformAccount.platform_user_id, Member.lang)
        .join(Member, col(Member.id) == col(PlatformAccount.member_id))
        .where(
            col(PlatformAccount.member_id).in_(member_ids(session, segment, today)),
            col(PlatformAccount.member_id).not_in(opted_out(topic)),
            col(PlatformAccount.followed).is_(True),
            col(PlatformAccount.platform).in_(platforms),
            col(Member.forgotten_at).is_(None),
        )
        .order_by(col(PlatformAccount.id))
    )
    return [Recipient(platform, user_id, lang) for platform, user_id, lang in rows]


def discord_post(segment: str, site: Site) -> bool:
    """Discord hears an announcement as one post in the announcement channel: for everyone, or Discord's members."""
    kind, value = split(segment)
    return (
        "discord" in site.platforms
        and site.city.discord.announcements_channel is not None
        and (kind == ALL or (kind == PLATFORM and value == "discord"))
    )


@dataclass(frozen=True)
class Count:
    members: int  # people reached one by one
    by_platform: dict[str, int]  # accounts per platform
    discord_post: bool

    def on(self, platform: str) -> int:
        return self.by_platform.get(platform, 0)


def count(session: Session, site: Site, segment: str, topic: str, today: date) -> Count:
    """How many the segment reaches now (shown before sending)."""
    platforms = _platforms(segment, site)
    by_platform: dict[str, int] = {}
    members = 0
    if platforms:
        base = (
            select(PlatformAccount.platform, func.count(), func.count(func.distinct(PlatformAccount.member_id)))
            .join(Member, col(Member.id) == col(PlatformAccount.member_id))
            .where(
                col(PlatformAccount.member_id).in_(member_ids(session, segment, today)),
                col(PlatformAccount.member_id).not_in(opted_out(topic)),
                col(PlatformAccount.followed).is_(True),
                col(PlatformAccount.platform).in_(platforms),
                col(Member.forgotten_at).is_(None),
            )
            .group_by(PlatformAccount.platform)
        )
        for platform, accounts, people in session.exec(base):
            by_platform[platform] = int(accounts)
            members += int(people)
    return Count(members, by_platform, discord_post(segment, site))


def local_today(site: Site, now: datetime) -> date:
    return now.astimezone(site.tz).date()
