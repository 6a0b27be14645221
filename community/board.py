"""The 関係人口 community: members, the bulletin board (threads, posts, reactions, reports), safety limits and figures.

Platform-free: handlers (LINE, Discord, console) and the web board call these functions with a session.
Raised BoardError messages are short Japanese sentences meant for the person who caused them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import func
from sqlmodel import Session, select

from community import engagement
from community.city import CityConfig, Site
from community.digest import DigestWeek
from community.kpi import KpiSource
from community.texts import t
from storage.db import as_utc
from storage.models import DialogueState, Member
from storage.models.community import (
    BoardPost,
    BoardReaction,
    BoardReport,
    BoardThread,
    CommunityMember,
)

# How a member relates to the town: key -> (ja, en). Keys are stored; labels are shown.
RELATIONS: dict[str, tuple[str, str]] = {
    "resident": ("住んでいる", "I live here"),
    "native": ("出身・以前住んでいた", "I grew up / used to live here"),
    "visitor": ("訪れたことがある", "I have visited"),
    "fan": ("ファン・応援している", "I am a fan"),
}
NICKNAME_MAX = 20
TITLE_MAX = 60
STATE_TTL = timedelta(hours=24)  # an unanswered question is forgotten after this
LEFT_LABEL = "退会したメンバー"


class BoardError(Exception):
    """Bad input or a limit reached; str(exc) is the Japanese message to show."""


@dataclass(frozen=True)
class CommunityConfig:
    categories: tuple[str, ...]
    rules: str
    posts_per_hour: int
    max_post_chars: int
    link_hosts: tuple[str, ...]
    voice_category: str
    line_url: str
    discord_url: str
    official_label: str

    @classmethod
    def from_city(cls, city: CityConfig) -> CommunityConfig:
        section = city.community
        return cls(
            categories=section.categories,
            rules=section.rules,
            posts_per_hour=section.posts_per_hour,
            max_post_chars=section.max_post_chars,
            link_hosts=section.link_hosts,
            voice_category=section.voice_category or t("ja", "board.voice_category"),
            line_url=section.line_url,
            discord_url=section.discord_url,
            official_label=section.official_label or city.name,
        )


# ---- text checks ----------------------------------------------------------------------------------------------

_URL = re.compile(r"(?i)(?:https?://|www\.)([^\s/?#<>\"'）」]+)")
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control(text: str, allow_newlines: bool) -> bool:
    allowed = {"\n", "\t"} if allow_newlines else set()
    return any((unicodedata.category(c) == "Cc" and c not in allowed) or c in _BIDI for c in text)


def _check_links(text: str, cfg: CommunityConfig) -> None:
    for match in _URL.finditer(text):
        host = match.group(1).lower().split(":")[0].rstrip(".")
        if not any(host == h or host.endswith("." + h) for h in cfg.link_hosts):
            where = "・".join(cfg.link_hosts)
            raise BoardError(f"リンクは市のサイト（{where}）のものだけ貼れます。" if where else "リンクは貼れません。")


def check_post_text(text: str | None, cfg: CommunityConfig) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise BoardError("投稿が空です。本文を書いてください。")
    if len(text) > cfg.max_post_chars:
        raise BoardError(f"投稿は{cfg.max_post_chars}文字までです（いまは{len(text)}文字）。")
    if _has_control(text, allow_newlines=True):
        raise BoardError("投稿に使えない制御文字が含まれています。")
    _check_links(text, cfg)
    return text


def check_nickname(text: str | None) -> str:
    name = unicodedata.normalize("NFKC", text or "").strip()
    if not name:
        raise BoardError("ニックネームが空です。")
    if len(name) > NICKNAME_MAX:
        raise BoardError(f"ニックネームは{NICKNAME_MAX}文字までです。")
    if _has_control(name, allow_newlines=False) or _URL.search(name) or name.startswith("/"):
        raise BoardError("ニックネームに使えない文字が含まれています。")
    return name


def check_title(text: str | None, cfg: CommunityConfig) -> str:
    title = (text or "").strip()
    if not title:
        raise BoardError("タイトルが空です。")
    if len(title) > TITLE_MAX:
        raise BoardError(f"タイトルは{TITLE_MAX}文字までです。")
    if _has_control(title, allow_newlines=False):
        raise BoardError("タイトルに使えない文字が含まれています。")
    _check_links(title, cfg)
    return title


def find_category(name: str, cfg: CommunityConfig) -> str:
    wanted = unicodedata.normalize("NFKC", name).strip()
    for category in cfg.categories:
        if unicodedata.normalize("NFKC", category) == wanted:
            return category
    raise BoardError(f"カテゴリ「{wanted[:20]}」はありません。使えるカテゴリ: {'、'.join(cfg.categories)}")


def find_relation(text: str) -> str | None:
    wanted = unicodedata.normalize("NFKC", text).strip().lower()
    for key, (ja, en) in RELATIONS.items():
        if wanted in (key, ja, en.lower()):
            return key
    return None


# ---- members --------------------------------------------------------------------------------------------------


def community_member(session: Session, member_id: int) -> CommunityMember | None:
    return session.exec(select(CommunityMember).where(CommunityMember.member_id == member_id)).first()


def active_member(session: Session, member_id: int) -> CommunityMember | None:
    cm = community_member(session, member_id)
    return cm if cm is not None and cm.left_at is None else None


def join(session: Session, member: Member, platform: str, nickname: str, relation: str, now: datetime) -> CommunityMember:
    """Register (or re-register) a member who agreed to the rules; logs member_joined for the KPI."""
    if relation not in RELATIONS:
        raise BoardError("関わり方を選んでください。")
    nickname = check_nickname(nickname)
    cm = community_member(session, member.id)
    if cm is None:
        cm = CommunityMember(member_id=member.id, relation=relation, platform=platform, joined_at=as_utc(now))
    cm.nickname, cm.relation, cm.platform, cm.joined_at, cm.left_at = nickname, relation, platform, as_utc(now), None
    session.add(cm)
    engagement.record(session, "member_joined", now, member=member.public_id, platform=platform, space="community",
                      detail=relation)
    session.flush()
    return cm


def leave(session: Session, member_id: int, now: datetime) -> bool:
    """Stop participating: the nickname is dropped (posts then show as a former member)."""
    cm = active_member(session, member_id)
    if cm is None:
        return False
    cm.left_at = as_utc(now)
    cm.nickname = None
    session.add(cm)
    return True


def author_label(cm: CommunityMember | None, cfg: CommunityConfig) -> str:
    if cm is None:
        return cfg.official_label  # staff who post without joining speak for the city
    if cm.left_at is not None or not cm.nickname:
        return LEFT_LABEL
    return cm.nickname


# ---- conversation state ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinStep:
    """Where a member is in the community's own conversation (joining, renaming, writing a post)."""

    step: str
    data: str


COMMUNITY_DIALOGUE = "community"


def get_state(session: Session, member_id: int, now: datetime) -> JoinStep | None:
    state = session.get(DialogueState, member_id)
    if state is None or state.dialogue != COMMUNITY_DIALOGUE:
        return None
    if as_utc(state.updated_at) < as_utc(now) - STATE_TTL:
        session.delete(state)
        return None
    return JoinStep(state.step, json.loads(state.data) if state.data else "")


def set_state(session: Session, member_id: int, step: str, now: datetime, data: str = "") -> None:
    state = session.get(DialogueState, member_id) or DialogueState(member_id=member_id, updated_at=as_utc(now))
    state.dialogue, state.step, state.updated_at = COMMUNITY_DIALOGUE, step, as_utc(now)
    state.data, state.choices = json.dumps(data[:40], ensure_ascii=False), None
    session.add(state)


def clear_state(session: Session, member_id: int) -> None:
    state = session.get(DialogueState, member_id)
    if state is not None and state.dialogue == COMMUNITY_DIALOGUE:
        session.delete(state)


# ---- threads and posts ----------------------------------------------------------------------------------------


def get_thread(session: Session, thread_id: int) -> BoardThread:
    thread = session.get(BoardThread, thread_id)
    if thread is None:
        raise BoardError(f"スレッド #{thread_id} はありません。")
    return thread


def visible_post(session: Session, post_id: int) -> BoardPost:
    post = session.get(BoardPost, post_id)
    if post is None or post.hidden_at is not None:
        raise BoardError(f"投稿 #{post_id} はありません。")
    return post


def open_thread(session: Session, cfg: CommunityConfig, member: Member, category: str, title: str, now: datetime,
                *, official: bool = False) -> BoardThread:
    category = cfg.voice_category if official else find_category(category, cfg)
    thread = BoardThread(category=category, title=check_title(title, cfg), author_member_id=member.id,
                         official=official, created_at=as_utc(now), last_post_at=as_utc(now))
    session.add(thread)
    session.flush()
    return thread


def check_rate(session: Session, cfg: CommunityConfig, member_id: int, now: datetime) -> None:
    since = as_utc(now) - timedelta(hours=1)
    recent = session.exec(
        select(func.count()).select_from(BoardPost).where(BoardPost.member_id == member_id, BoardPost.created_at >= since)
    ).one()
    if recent >= cfg.posts_per_hour:
        raise BoardError(f"投稿は1時間に{cfg.posts_per_hour}件までです。少し時間をおいてからもう一度どうぞ。")


def add_post(session: Session, cfg: CommunityConfig, member: Member, thread_id: int, text: str | None, now: datetime,
             platform: str, *, reply_to: int | None = None, exempt_from_rate: bool = False) -> BoardPost:
    thread = get_thread(session, thread_id)
    body = check_post_text(text, cfg)
    if not exempt_from_rate:
        check_rate(session, cfg, member.id, now)
    post = BoardPost(thread_id=thread.id, member_id=member.id, reply_to=reply_to, text=body, platform=platform,
                     created_at=as_utc(now))
    thread.last_post_at = as_utc(now)
    session.add(post)
    session.add(thread)
    engagement.record(session, "post", now, member=member.public_id, platform=platform, space=f"thread:{thread.id}",
                      detail=thread.category)
    session.flush()
    return post


def react(session: Session, member: Member, post_id: int, now: datetime, platform: str) -> bool:
    """One reaction per member and post; False when they had already reacted."""
    post = visible_post(session, post_id)
    exists = session.exec(
        select(BoardReaction.id).where(BoardReaction.post_id == post.id, BoardReaction.member_id == member.id)
    ).first()
    if exists is not None:
        return False
    session.add(BoardReaction(post_id=post.id, member_id=member.id, created_at=as_utc(now)))
    thread = session.get(BoardThread, post.thread_id)
    engagement.record(session, "reaction", now, member=member.public_id, platform=platform,
                      space=f"thread:{post.thread_id}", detail=thread.category if thread else "")
    session.flush()
    return True


def report(session: Session, member_id: int, post_id: int, now: datetime) -> tuple[BoardPost, bool]:
    post = visible_post(session, post_id)
    exists = session.exec(
        select(BoardReport.id).where(BoardReport.post_id == post.id, BoardReport.member_id == member_id)
    ).first()
    if exists is None:
        session.add(BoardReport(post_id=post.id, member_id=member_id, created_at=as_utc(now)))
        session.flush()
    return post, exists is None


def set_hidden(session: Session, post_id: int, staff_member_id: int, now: datetime, hidden: bool) -> BoardPost:
    post = session.get(BoardPost, post_id)
    if post is None:
        raise BoardError(f"投稿 #{post_id} はありません。")
    post.hidden_at = as_utc(now) if hidden else None
    post.hidden_by = staff_member_id if hidden else None
    session.add(post)
    session.flush()
    return post


# ---- reading (chat, web) --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadView:
    id: int
    category: str
    title: str
    official: bool
    post_count: int
    last_post_at: datetime
    latest_post_id: int | None
    latest_text: str


@dataclass(frozen=True)
class PostView:
    id: int
    thread_id: int
    author: str
    text: str
    created_at: datetime
    reply_to: int | None
    reactions: int


def _visible():
    return BoardPost.hidden_at.is_(None)


def recent_threads(session: Session, page: int = 1, per_page: int = 10, category: str | None = None
                   ) -> tuple[list[ThreadView], int]:
    """Threads by latest activity, one page; and how many threads there are."""
    query = select(BoardThread)
    count = select(func.count()).select_from(BoardThread)
    if category:
        query, count = query.where(BoardThread.category == category), count.where(BoardThread.category == category)
    total = session.exec(count).one()
    threads = session.exec(
        query.order_by(BoardThread.last_post_at.desc(), BoardThread.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    views = []
    for thread in threads:
        n = session.exec(
            select(func.count()).select_from(BoardPost).where(BoardPost.thread_id == thread.id, _visible())
        ).one()
        latest = session.exec(
            select(BoardPost).where(BoardPost.thread_id == thread.id, _visible()).order_by(BoardPost.id.desc())
        ).first()
        views.append(ThreadView(thread.id, thread.category, thread.title, thread.official, n, thread.last_post_at,
                                latest.id if latest else None, latest.text if latest else ""))
    return views, total


def thread_posts(session: Session, cfg: CommunityConfig, thread_id: int, page: int = 1, per_page: int = 20
                 ) -> tuple[list[PostView], int]:
    """Visible posts of a thread, oldest first, one page; and how many visible posts there are."""
    total = session.exec(
        select(func.count()).select_from(BoardPost).where(BoardPost.thread_id == thread_id, _visible())
    ).one()
    rows = session.exec(
        select(BoardPost, CommunityMember)
        .join(CommunityMember, CommunityMember.member_id == BoardPost.member_id, isouter=True)
        .where(BoardPost.thread_id == thread_id, _visible())
        .order_by(BoardPost.created_at, BoardPost.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    views = []
    for post, cm in rows:
        reactions = session.exec(
            select(func.count()).select_from(BoardReaction).where(BoardReaction.post_id == post.id)
        ).one()
        views.append(PostView(post.id, post.thread_id, author_label(cm, cfg), post.text, post.created_at,
                              post.reply_to, reactions))
    return views, total


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


# ---- figures (KPIs) -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A KPI value with its breakdowns. by_category: relation to the town for participants, board category for posts."""

    total: int
    by_platform: dict[str, int]
    by_category: dict[str, int]


def _participant_filter(start: datetime | None, end: datetime) -> list:
    from storage.models import Engagement

    where = [Engagement.kind == "member_joined", Engagement.space == "community", Engagement.at < as_utc(end)]
    if start is not None:
        where.append(Engagement.at >= as_utc(start))
    return where


def participant_count(session: Session, start: datetime | None, end: datetime) -> int:
    """The participants figure's total alone (no breakdowns): read from an index, cheap enough for every digest."""
    from storage.models import Engagement

    return int(session.exec(select(func.count(func.distinct(Engagement.member))).where(*_participant_filter(start, end))).one())


def _participants(session: Session, start: datetime | None, end: datetime) -> Figure:
    from storage.models import Engagement

    where = _participant_filter(start, end)
    distinct = func.count(func.distinct(Engagement.member))
    total = participant_count(session, start, end)
    by_platform = dict(session.exec(select(Engagement.platform, distinct).where(*where).group_by(Engagement.platform)).all())
    by_relation = dict(session.exec(select(Engagement.detail, distinct).where(*where).group_by(Engagement.detail)).all())
    return Figure(total, by_platform, by_relation)


def participants(session: Session, start: datetime, end: datetime) -> Figure:
    """Distinct members who joined in [start, end), from the engagement log (member_joined, space community)."""
    return _participants(session, start, end)


def participants_total(session: Session, end: datetime) -> Figure:
    """Distinct members who ever joined before end (leaving later does not undo having taken part)."""
    return _participants(session, None, end)


def _post_filter(start: datetime | None, end: datetime) -> list:
    where = [_visible(), BoardPost.created_at < as_utc(end)]
    if start is not None:
        where.append(BoardPost.created_at >= as_utc(start))
    return where


def post_count(session: Session, start: datetime | None, end: datetime) -> int:
    """The posts figure's total alone (no breakdowns): read from an index, cheap enough for every digest."""
    return int(session.exec(select(func.count()).select_from(BoardPost).where(*_post_filter(start, end))).one())


def _posts(session: Session, start: datetime | None, end: datetime) -> Figure:
    where = _post_filter(start, end)
    n = func.count(BoardPost.id)
    total = post_count(session, start, end)
    by_platform = dict(session.exec(select(BoardPost.platform, n).where(*where).group_by(BoardPost.platform)).all())
    by_category = dict(session.exec(
        select(BoardThread.category, n).join(BoardThread, BoardThread.id == BoardPost.thread_id)
        .where(*where).group_by(BoardThread.category)
    ).all())
    return Figure(total, by_platform, by_category)


def posts(session: Session, start: datetime, end: datetime) -> Figure:
    """Board posts made in [start, end), from the board tables: posts staff hid (spam) do not count."""
    return _posts(session, start, end)


def posts_cumulative(session: Session, end: datetime) -> Figure:
    return _posts(session, None, end)


def top_threads(session: Session, start: datetime, end: datetime, limit: int = 3) -> list[tuple[str, str, int]]:
    """The threads with the most visible posts in [start, end): (category, title, posts), for the weekly digest."""
    n = func.count(BoardPost.id)
    rows = session.exec(
        select(BoardThread.category, BoardThread.title, n)
        .join(BoardThread, BoardThread.id == BoardPost.thread_id)
        .where(_visible(), BoardPost.created_at >= as_utc(start), BoardPost.created_at < as_utc(end))
        .group_by(BoardThread.id, BoardThread.category, BoardThread.title)
        .order_by(n.desc(), BoardThread.id)
        .limit(limit)
    ).all()
    return [(category, title, int(count)) for category, title, count in rows]


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    # Participants: members who joined the community in the period (Kashima's definition); posts: visible posts.
    return {
        "participants": participant_count(session, since, until),
        "participants_total": participant_count(session, None, until),
        "posts": post_count(session, since, until),
        "posts_cumulative": post_count(session, None, until),
    }


KPIS = KpiSource(("participants", "participants_total", "posts", "posts_cumulative"), _kpi_values,
                 weekly=("participants", "posts"))


def digest_section(week: DigestWeek) -> list[str]:
    """The week's most talked-about threads."""
    top = top_threads(week.session, week.since, week.until)
    lines = [t("ja", "digest.top_threads")]
    lines.extend(t("ja", "digest.top_thread", category=category, title=title, count=count)
                 for category, title, count in top)
    if not top:
        lines.append(t("ja", "digest.none_this_week"))
    return lines
