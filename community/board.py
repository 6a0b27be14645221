"""The 関係人口 community: members, the bulletin board (threads, posts, reactions, reports), safety limits and figures.

Platform-free: handlers (LINE, Discord, console) and the web board call these functions with a session. What a
request breaks is raised as a `Problem` whose text key says it to the person who caused it (in their language).
Reading a page of threads or posts is in community.board_views.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, col, select

from community import board_links, engagement
from community.city import CityConfig, Site
from community.digest import DigestWeek
from community.kpi import KpiSource
from community.problems import Problem
from community.texts import fold, t
from storage.db import as_utc, id_of
from storage.models import Engagement, Member
from storage.models.community import (
    BoardPost,
    BoardReaction,
    BoardThread,
    CommunityMember,
)

# How a member relates to the town. The keys are stored; their labels are the catalogue's board.relation.<key>.
RELATIONS: tuple[str, ...] = ("resident", "native", "visitor", "fan")
NICKNAME_MAX = 20
TITLE_MAX = 60


def _refused(key: str, **values: object) -> Problem:
    """A rule the request breaks (not the form of a command): said without the command's usage line."""
    return Problem(key, with_usage=False, **values)


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
    threads_per_hour: int = 3
    reports_per_hour: int = 10

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
            threads_per_hour=section.threads_per_hour,
            reports_per_hour=section.reports_per_hour,
        )

    def categories_listed(self) -> tuple[str, str]:
        """The categories in one line, listed the Japanese way and the English way."""
        return "\u3001".join(self.categories), ", ".join(self.categories)


# ---- text checks ----------------------------------------------------------------------------------------------

_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control(text: str, allow_newlines: bool) -> bool:
    allowed = {"\n", "\t"} if allow_newlines else set()
    return any((unicodedata.category(c) == "Cc" and c not in allowed) or c in _BIDI for c in text)


def check_links(text: str, cfg: CommunityConfig) -> None:
    """Every link must go to an allowed host (community.board_links reads the text as a reader's app would)."""
    if not board_links.refused_links(text, cfg.link_hosts):
        return
    if not cfg.link_hosts:
        raise _refused("board.no_links")
    hosts = cfg.link_hosts
    raise _refused("board.links_only", hosts_ja="\u30fb".join(hosts), hosts_en=", ".join(hosts))


def check_post_text(text: str | None, cfg: CommunityConfig) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise _refused("board.post_empty")
    if len(text) > cfg.max_post_chars:
        raise _refused("board.post_too_long", limit=cfg.max_post_chars, length=len(text))
    if _has_control(text, allow_newlines=True):
        raise _refused("board.post_control")
    check_links(text, cfg)
    return text


def check_nickname(text: str | None) -> str:
    name = unicodedata.normalize("NFKC", text or "").strip()
    if not name:
        raise _refused("board.nickname_empty")
    if len(name) > NICKNAME_MAX:
        raise _refused("board.nickname_too_long", limit=NICKNAME_MAX)
    if _has_control(name, allow_newlines=False) or board_links.links(name) or name.startswith("/"):
        raise _refused("board.nickname_bad")
    return name


def check_title(text: str | None, cfg: CommunityConfig) -> str:
    title = (text or "").strip()
    if not title:
        raise _refused("board.title_empty")
    if len(title) > TITLE_MAX:
        raise _refused("board.title_too_long", limit=TITLE_MAX)
    if _has_control(title, allow_newlines=False):
        raise _refused("board.title_bad")
    check_links(title, cfg)
    return title


def find_category(name: str, cfg: CommunityConfig) -> str:
    wanted = unicodedata.normalize("NFKC", name).strip()
    for category in cfg.categories:
        if unicodedata.normalize("NFKC", category) == wanted:
            return category
    listed_ja, listed_en = cfg.categories_listed()
    raise _refused("board.no_category", name=wanted[:20], categories_ja=listed_ja, categories_en=listed_en)


def relation_label(key: str, lang: str) -> str:
    return t(lang, f"board.relation.{key}")


def find_relation(text: str) -> str | None:
    """The relation a typed word names: its key, or its label in either language."""
    wanted = fold(text)
    for key in RELATIONS:
        if wanted in (key, fold(relation_label(key, "ja")), fold(relation_label(key, "en"))):
            return key
    return None


# ---- members --------------------------------------------------------------------------------------------------


def community_member(session: Session, member_id: int) -> CommunityMember | None:
    return session.exec(select(CommunityMember).where(CommunityMember.member_id == member_id)).first()


def active_member(session: Session, member_id: int) -> CommunityMember | None:
    cm = community_member(session, member_id)
    return cm if cm is not None and cm.left_at is None else None


def join(
    session: Session, member: Member, platform: str, nickname: str, relation: str, now: datetime
) -> CommunityMember:
    """Register (or re-register) a member who agreed to the rules; logs member_joined for the KPI."""
    if relation not in RELATIONS:
        raise _refused("board.choose_relation")
    nickname = check_nickname(nickname)
    cm = community_member(session, id_of(member))
    if cm is None:
        cm = CommunityMember(member_id=id_of(member), relation=relation, platform=platform, joined_at=as_utc(now))
    cm.nickname, cm.relation, cm.platform, cm.joined_at, cm.left_at = nickname, relation, platform, as_utc(now), None
    session.add(cm)
    engagement.record(
        session, "member_joined", now, member=member.public_id, platform=platform, space="community", detail=relation
    )
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
    member = session.get(Member, member_id)
    if member is not None:  # logged for the stock of members at a moment (participants_at_fy_end)
        engagement.record(session, "member_left", now, member=member.public_id, platform=cm.platform, space="community")
    return True


def author_label(cm: CommunityMember | None, cfg: CommunityConfig, lang: str = "ja") -> str:
    if cm is None:
        return cfg.official_label  # staff who post without joining speak for the city
    if cm.left_at is not None or not cm.nickname:
        return t(lang, "board.left_member")
    return cm.nickname


# ---- threads and posts ----------------------------------------------------------------------------------------


def visible_thread() -> ColumnElement[bool]:
    """Threads staff have not hidden."""
    return col(BoardThread.hidden_at).is_(None)


def visible() -> ColumnElement[bool]:
    """Posts staff have not hidden, in threads staff have not hidden (the hidden threads are few: NOT IN is cheap)."""
    hidden_threads = select(BoardThread.id).where(col(BoardThread.hidden_at).is_not(None)).correlate(None)
    return col(BoardPost.hidden_at).is_(None) & col(BoardPost.thread_id).not_in(hidden_threads)


def get_thread(session: Session, thread_id: int) -> BoardThread:
    """A thread people can read and write in (a hidden one is no thread to them)."""
    thread = session.get(BoardThread, thread_id)
    if thread is None or thread.hidden_at is not None:
        raise _refused("board.no_thread", id=thread_id)
    return thread


def visible_post(session: Session, post_id: int) -> BoardPost:
    post = session.get(BoardPost, post_id)
    thread = session.get(BoardThread, post.thread_id) if post is not None else None
    if post is None or post.hidden_at is not None or thread is None or thread.hidden_at is not None:
        raise _refused("board.no_post", id=post_id)
    return post


def _check_thread_rate(session: Session, cfg: CommunityConfig, member_id: int, now: datetime) -> None:
    since = as_utc(now) - timedelta(hours=1)
    recent = session.exec(
        select(func.count())
        .select_from(BoardThread)
        .where(BoardThread.author_member_id == member_id, col(BoardThread.created_at) >= since)
    ).one()
    if recent >= cfg.threads_per_hour:
        raise _refused("board.thread_rate_limit", limit=cfg.threads_per_hour)


def open_thread(
    session: Session,
    cfg: CommunityConfig,
    member: Member,
    category: str,
    title: str,
    now: datetime,
    *,
    official: bool = False,
    exempt_from_rate: bool = False,
) -> BoardThread:
    """A new thread; a member may open cfg.threads_per_hour an hour (staff, who are exempt, are not limited)."""
    category = cfg.voice_category if official else find_category(category, cfg)
    title = check_title(title, cfg)
    if not exempt_from_rate:
        _check_thread_rate(session, cfg, id_of(member), now)
    thread = BoardThread(
        category=category,
        title=title,
        author_member_id=member.id,
        official=official,
        created_at=as_utc(now),
        last_post_at=as_utc(now),
    )
    session.add(thread)
    session.flush()
    return thread


def check_rate(session: Session, cfg: CommunityConfig, member_id: int, now: datetime) -> None:
    since = as_utc(now) - timedelta(hours=1)
    recent = session.exec(
        select(func.count())
        .select_from(BoardPost)
        .where(BoardPost.member_id == member_id, col(BoardPost.created_at) >= since)
    ).one()
    if recent >= cfg.posts_per_hour:
        raise _refused("board.rate_limit", limit=cfg.posts_per_hour)


def add_post(
    session: Session,
    cfg: CommunityConfig,
    member: Member,
    thread_id: int,
    text: str | None,
    now: datetime,
    platform: str,
    *,
    reply_to: int | None = None,
    exempt_from_rate: bool = False,
) -> BoardPost:
    thread = get_thread(session, thread_id)
    body = check_post_text(text, cfg)
    if not exempt_from_rate:
        check_rate(session, cfg, id_of(member), now)
    post = BoardPost(
        thread_id=id_of(thread),
        member_id=id_of(member),
        reply_to=reply_to,
        text=body,
        platform=platform,
        created_at=as_utc(now),
    )
    thread.last_post_at = as_utc(now)
    session.add(post)
    session.add(thread)
    engagement.record(
        session,
        "post",
        now,
        member=member.public_id,
        platform=platform,
        space=f"thread:{thread.id}",
        detail=thread.category,
    )
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
    session.add(BoardReaction(post_id=id_of(post), member_id=id_of(member), created_at=as_utc(now)))
    thread = session.get(BoardThread, post.thread_id)
    engagement.record(
        session,
        "reaction",
        now,
        member=member.public_id,
        platform=platform,
        space=f"thread:{post.thread_id}",
        detail=thread.category if thread else "",
    )
    session.flush()
    return True


def forget_threads_of(session: Session, member_id: int) -> list[BoardThread]:
    """/forget-me: the threads a member opened stay (others wrote in them) but link to no one, and lose the title
    they wrote; a city question keeps its title (the city's words). Returns the threads whose title changed."""
    forgotten = t("ja", "board.forgotten_title")
    retitled = []
    for thread in session.exec(select(BoardThread).where(BoardThread.author_member_id == member_id)).all():
        thread.author_member_id = None
        if not thread.official:
            thread.title = forgotten
            retitled.append(thread)
        session.add(thread)
    session.flush()
    return retitled


def set_hidden(session: Session, post_id: int, staff_member_id: int, now: datetime, hidden: bool) -> BoardPost:
    post = session.get(BoardPost, post_id)
    if post is None:
        raise _refused("board.no_post", id=post_id)
    post.hidden_at = as_utc(now) if hidden else None
    post.hidden_by = staff_member_id if hidden else None
    session.add(post)
    session.flush()
    return post


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


# ---- figures (KPIs) -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A KPI value with its breakdowns. by_category: relation to the town for participants, board category for posts."""

    total: int
    by_platform: dict[str, int]
    by_category: dict[str, int]


def _participant_filter(start: datetime | None, end: datetime) -> list[ColumnElement[bool]]:
    where = [
        col(Engagement.kind) == "member_joined",
        col(Engagement.space) == "community",
        col(Engagement.at) < as_utc(end),
    ]
    if start is not None:
        where.append(col(Engagement.at) >= as_utc(start))
    return where


def participant_count(session: Session, start: datetime | None, end: datetime) -> int:
    """The participants figure's total alone (no breakdowns): read from an index, cheap enough for every digest."""
    distinct = func.count(func.distinct(Engagement.member))
    return int(session.exec(select(distinct).where(*_participant_filter(start, end))).one())


def _participants(session: Session, start: datetime | None, end: datetime) -> Figure:
    where = _participant_filter(start, end)
    distinct = func.count(func.distinct(Engagement.member))
    total = participant_count(session, start, end)
    by_platform = dict(
        session.exec(select(Engagement.platform, distinct).where(*where).group_by(Engagement.platform)).all()
    )
    by_relation = dict(
        session.exec(select(Engagement.detail, distinct).where(*where).group_by(Engagement.detail)).all()
    )
    return Figure(total, by_platform, by_relation)


def participants(session: Session, start: datetime, end: datetime) -> Figure:
    """Distinct members who joined in [start, end), from the engagement log (member_joined, space community)."""
    return _participants(session, start, end)


def participants_total(session: Session, end: datetime) -> Figure:
    """Distinct members who ever joined before end (leaving later does not undo having taken part)."""
    return _participants(session, None, end)


def participants_at(session: Session, end: datetime, ever: int | None = None) -> int:
    """Members of the community at `end` (a stock, Kashima's KPI: participants at the end of the fiscal year): those
    who joined before `end` less those whose last leave before `end` came after their last join. From the engagement
    log, so a past year is counted as it stood then; leaves before migration 0015 were logged by it from
    community_member.left_at. ever: participant_count(session, None, end) when the caller has it already."""
    if ever is None:
        ever = participant_count(session, None, end)
    community = (col(Engagement.space) == "community", col(Engagement.at) < as_utc(end))
    # Leaves are few: only the leavers' joins and leaves are read, each leaver's last of each compared.
    leaver_ids = select(col(Engagement.member)).where(col(Engagement.kind) == "member_left", *community)
    last = (
        select(
            func.max(case((col(Engagement.kind) == "member_left", col(Engagement.at)))).label("left_at"),
            func.max(case((col(Engagement.kind) == "member_joined", col(Engagement.at)))).label("joined_at"),
        )
        .where(
            col(Engagement.kind).in_(("member_joined", "member_left")),
            *community,
            col(Engagement.member).in_(leaver_ids),
        )
        .group_by(col(Engagement.member))
        .subquery()
    )
    gone = session.exec(select(func.count()).select_from(last).where(last.c.left_at > last.c.joined_at)).one()
    return ever - int(gone)


def _post_filter(start: datetime | None, end: datetime) -> list[ColumnElement[bool]]:
    where = [visible(), col(BoardPost.created_at) < as_utc(end)]
    if start is not None:
        where.append(col(BoardPost.created_at) >= as_utc(start))
    return where


def post_count(session: Session, start: datetime | None, end: datetime) -> int:
    """The posts figure's total alone (no breakdowns): read from an index, cheap enough for every digest."""
    return int(session.exec(select(func.count()).select_from(BoardPost).where(*_post_filter(start, end))).one())


def _posts(session: Session, start: datetime | None, end: datetime) -> Figure:
    where = _post_filter(start, end)
    n = func.count(col(BoardPost.id))
    total = post_count(session, start, end)
    by_platform = dict(session.exec(select(BoardPost.platform, n).where(*where).group_by(BoardPost.platform)).all())
    by_category = dict(
        session.exec(
            select(BoardThread.category, n)
            .join(BoardThread, col(BoardThread.id) == col(BoardPost.thread_id))
            .where(*where)
            .group_by(BoardThread.category)
        ).all()
    )
    return Figure(total, by_platform, by_category)


def posts(session: Session, start: datetime, end: datetime) -> Figure:
    """Board posts made in [start, end), from the board tables: posts staff hid (spam) do not count."""
    return _posts(session, start, end)


def posts_cumulative(session: Session, end: datetime) -> Figure:
    return _posts(session, None, end)


def top_threads(session: Session, start: datetime, end: datetime, limit: int = 3) -> list[tuple[str, str, int]]:
    """The threads with the most visible posts in [start, end): (category, title, posts), for the weekly digest."""
    n = func.count(col(BoardPost.id))
    rows = session.exec(
        select(BoardThread.category, BoardThread.title, n)
        .join(BoardThread, col(BoardThread.id) == col(BoardPost.thread_id))
        .where(visible(), col(BoardPost.created_at) >= as_utc(start), col(BoardPost.created_at) < as_utc(end))
        .group_by(col(BoardThread.id), col(BoardThread.category), col(BoardThread.title))
        .order_by(n.desc(), col(BoardThread.id))
        .limit(limit)
    ).all()
    return [(category, title, int(count)) for category, title, count in rows]


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    # Participants: members who joined the community in the period (Kashima's definition); posts: visible posts.
    ever = participant_count(session, None, until)
    return {
        "participants": participant_count(session, since, until),
        "participants_total": ever,
        "posts": post_count(session, since, until),
        "posts_cumulative": post_count(session, None, until),
        "participants_at_fy_end": participants_at(session, until, ever),  # a stock: at the period's end
    }


KPIS = KpiSource(
    ("participants", "participants_total", "posts", "posts_cumulative", "participants_at_fy_end"),
    _kpi_values,
    weekly=("participants", "posts"),
)


def digest_section(week: DigestWeek) -> list[str]:
    """The week's most talked-about threads."""
    top = top_threads(week.session, week.since, week.until)
    lines = [t("ja", "digest.top_threads")]
    lines.extend(
        t("ja", "digest.top_thread", category=category, title=title, count=count) for category, title, count in top
    )
    if not top:
        lines.append(t("ja", "digest.none_this_week"))
    return lines
