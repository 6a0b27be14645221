"""The community board's copies on platforms with forums of their own (Discord): which board thread or post is
which thread or message there, what to send so the copies follow the board, and how messages written there become
board posts. Platform-free: a platform is a name, and the adapter does the talking.

A copy written by us (MirrorThread, MirrorPost) is linked by the adapter once the platform has given it an id; a
message written on the platform is linked here with origin=True, so it is never copied back (no echo).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlmodel import Session, col, select

from community import board
from community.board import CommunityConfig
from community.messages import (
    ForumThread,
    MirrorPost,
    MirrorThread,
    OutboundMessage,
    Postbox,
    RetitleThread,
    UnmirrorPost,
    UnmirrorThread,
)
from community.problems import Problem
from storage.db import as_utc, id_of
from storage.models import Member
from storage.models.community import BoardLink, BoardPost, BoardThread

THREAD = "thread"
POST = "post"
TARGET = "board"  # the outbox target of mirror operations: the platform's board forum


# ---- links ----------------------------------------------------------------------------------------------------


def link_of(session: Session, platform: str, kind: str, board_id: int) -> BoardLink | None:
    return session.exec(
        select(BoardLink).where(BoardLink.platform == platform, BoardLink.kind == kind, BoardLink.board_id == board_id)
    ).first()


def link_to(session: Session, platform: str, kind: str, platform_id: str) -> BoardLink | None:
    return session.exec(
        select(BoardLink).where(
            BoardLink.platform == platform, BoardLink.kind == kind, BoardLink.platform_id == platform_id
        )
    ).first()


def set_link(
    session: Session, platform: str, kind: str, board_id: int, platform_id: str, place_id: str, origin: bool = False
) -> BoardLink:
    """Record (or move) where a board thread or post is on the platform."""
    row = link_of(session, platform, kind, board_id) or BoardLink(
        platform=platform, kind=kind, board_id=board_id, platform_id=platform_id, place_id=place_id
    )
    row.platform_id, row.place_id, row.origin = platform_id, place_id, origin
    session.add(row)
    session.flush()
    return row


def drop_link(session: Session, platform: str, kind: str, board_id: int) -> None:
    """The copy was taken down there; a thread's copy took the copies of its posts with it."""
    row = link_of(session, platform, kind, board_id)
    if row is None:
        return
    if kind == THREAD:
        for post_link in session.exec(
            select(BoardLink).where(
                BoardLink.platform == platform, BoardLink.kind == POST, BoardLink.place_id == row.platform_id
            )
        ):
            session.delete(post_link)
    session.delete(row)
    session.flush()


# ---- board -> platform ----------------------------------------------------------------------------------------


def mirror_thread(session: Session, postbox: Postbox, platform: str, thread: BoardThread) -> None:
    if link_of(session, platform, THREAD, id_of(thread)) is None:
        postbox.push(platform, TARGET, MirrorThread(id_of(thread), thread.category, thread.title))


def _post_copy(session: Session, cfg: CommunityConfig, post: BoardPost) -> MirrorPost:
    author = board.author_label(board.community_member(session, post.member_id), cfg)
    return MirrorPost(post.thread_id, id_of(post), author, post.text)


def mirror_post(session: Session, postbox: Postbox, platform: str, cfg: CommunityConfig, post: BoardPost) -> None:
    """Copy a post (a new one, or one staff restored) under the author's nickname; never a post written there, nor
    one in a thread staff hid (it comes back with its thread)."""
    thread = session.get(BoardThread, post.thread_id)
    if thread is None or thread.hidden_at is not None or link_of(session, platform, POST, id_of(post)) is not None:
        return
    thread_id = id_of(thread)
    linked = link_of(session, platform, THREAD, thread_id) is not None
    ops: list[OutboundMessage] = [] if linked else [MirrorThread(thread_id, thread.category, thread.title)]
    # One outbox row: the thread is there before the post goes into it.
    postbox.push(platform, TARGET, *ops, _post_copy(session, cfg, post))


def mirror_thread_and_posts(
    session: Session, postbox: Postbox, platform: str, cfg: CommunityConfig, thread: BoardThread
) -> None:
    """A thread staff restored: its copy again, then its visible posts oldest first (the outbox splits a long
    thread into rows; the adapter copies a post only once the thread's copy is there)."""
    thread_id = id_of(thread)
    ops: list[OutboundMessage] = []
    if link_of(session, platform, THREAD, thread_id) is None:
        ops.append(MirrorThread(thread_id, thread.category, thread.title))
    posts = session.exec(
        select(BoardPost)
        .where(BoardPost.thread_id == thread_id, board.visible())
        .order_by(col(BoardPost.created_at), col(BoardPost.id))
    ).all()
    ops += [_post_copy(session, cfg, post) for post in posts if link_of(session, platform, POST, id_of(post)) is None]
    postbox.push(platform, TARGET, *ops)


def unmirror_post(postbox: Postbox, platform: str, post_id: int) -> None:
    postbox.push(platform, TARGET, UnmirrorPost(post_id))


def unmirror_thread(postbox: Postbox, platform: str, thread_id: int) -> None:
    """Take a hidden thread's copy down there, with every message in it."""
    postbox.push(platform, TARGET, UnmirrorThread(thread_id))


def retitle_thread(session: Session, postbox: Postbox, platform: str, thread: BoardThread) -> None:
    """The thread's copy takes the thread's (new) title, when there is a copy."""
    if link_of(session, platform, THREAD, id_of(thread)) is not None:
        postbox.push(platform, TARGET, RetitleThread(id_of(thread), thread.category, thread.title))


def unmirror_posts_of(session: Session, postbox: Postbox, platform: str, member_id: int) -> int:
    """Take every copy of a member's posts away from the platform (for /forget-me); returns how many."""
    post_ids = session.exec(
        select(BoardLink.board_id)
        .join(BoardPost, col(BoardPost.id) == col(BoardLink.board_id))
        .where(BoardLink.platform == platform, BoardLink.kind == POST, BoardPost.member_id == member_id)
        .order_by(col(BoardLink.board_id))
    ).all()
    for post_id in post_ids:
        unmirror_post(postbox, platform, post_id)
    return len(post_ids)


# ---- platform -> board ----------------------------------------------------------------------------------------


def category_for(tags: tuple[str, ...], cfg: CommunityConfig) -> str:
    """The first tag that names a board category, else the first category."""
    for tag in tags:
        try:
            return board.find_category(tag, cfg)
        except Problem:
            continue
    if not cfg.categories:
        raise Problem("board.no_categories", with_usage=False)
    return cfg.categories[0]


def post_from_platform(
    session: Session,
    cfg: CommunityConfig,
    member: Member,
    platform: str,
    place_id: str,
    message_id: str,
    forum_thread: ForumThread,
    text: str | None,
    now: datetime,
    *,
    exempt_from_rate: bool = False,
) -> BoardPost:
    """A message written in a thread of the platform's board forum becomes a post (the thread a board thread)."""
    thread_link = link_to(session, platform, THREAD, place_id)
    if thread_link is None:
        title = unicodedata.normalize("NFKC", forum_thread.title).strip()[: board.TITLE_MAX]
        thread = board.open_thread(
            session, cfg, member, category_for(forum_thread.tags, cfg), title, now, exempt_from_rate=exempt_from_rate
        )
        set_link(session, platform, THREAD, id_of(thread), place_id, "", origin=True)
        thread_id = id_of(thread)
    else:
        thread_id = thread_link.board_id
    post = board.add_post(session, cfg, member, thread_id, text, now, platform, exempt_from_rate=exempt_from_rate)
    set_link(session, platform, POST, id_of(post), message_id, place_id, origin=True)
    return post


def edit_from_platform(
    session: Session, cfg: CommunityConfig, member_id: int | None, platform: str, message_id: str, text: str | None
) -> BoardPost | None:
    """The author edited their message there: the post's text follows. None when it is not such a post."""
    row = link_to(session, platform, POST, message_id)
    post = session.get(BoardPost, row.board_id) if row is not None and row.origin else None
    if post is None or post.hidden_at is not None or member_id is None or post.member_id != member_id:
        return None
    body = board.check_post_text(text, cfg)
    if body != post.text:
        post.text = body
        session.add(post)
        session.flush()
    return post


def delete_from_platform(session: Session, platform: str, message_id: str, now: datetime) -> BoardPost | None:
    """A message went away there. Written there: the post is hidden too (by its author or that platform's
    moderators). Our copy: only the link goes (the board's own staff decide what the board shows)."""
    row = link_to(session, platform, POST, message_id)
    if row is None:
        return None
    session.delete(row)
    post = session.get(BoardPost, row.board_id)
    if post is None or not row.origin:
        session.flush()
        return None
    if post.hidden_at is None:
        post.hidden_at, post.hidden_by = as_utc(now), None
        session.add(post)
    session.flush()
    return post
