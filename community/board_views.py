"""Reading the community board a page at a time, for chat cards and the public web board: threads by latest
activity, a thread's visible posts oldest first, each with what a reader sees (the author's label, reactions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from community.board import CommunityConfig, author_label, visible, visible_thread
from storage.db import id_of
from storage.models.community import BoardPost, BoardReaction, BoardThread, CommunityMember


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


def _thread_view(session: Session, thread: BoardThread) -> ThreadView:
    in_thread = col(BoardPost.thread_id) == thread.id
    count = session.exec(select(func.count()).select_from(BoardPost).where(in_thread, visible())).one()
    latest = session.exec(select(BoardPost).where(in_thread, visible()).order_by(col(BoardPost.id).desc())).first()
    return ThreadView(
        id_of(thread),
        thread.category,
        thread.title,
        thread.official,
        count,
        thread.last_post_at,
        latest.id if latest else None,
        latest.text if latest else "",
    )


def recent_threads(session: Session, page: int = 1, per_page: int = 10) -> tuple[list[ThreadView], int]:
    """Threads staff have not hidden, by latest activity, one page; and how many such threads there are."""
    total = session.exec(select(func.count()).select_from(BoardThread).where(visible_thread())).one()
    threads = session.exec(
        select(BoardThread)
        .where(visible_thread())
        .order_by(col(BoardThread.last_post_at).desc(), col(BoardThread.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [_thread_view(session, thread) for thread in threads], total


def thread_posts(
    session: Session, cfg: CommunityConfig, thread_id: int, page: int = 1, per_page: int = 20, lang: str = "ja"
) -> tuple[list[PostView], int]:
    """Visible posts of a thread, oldest first, one page; and how many visible posts there are."""
    in_thread = col(BoardPost.thread_id) == thread_id
    total = session.exec(select(func.count()).select_from(BoardPost).where(in_thread, visible())).one()
    rows = session.exec(
        select(BoardPost, CommunityMember)
        .join(CommunityMember, col(CommunityMember.member_id) == col(BoardPost.member_id), isouter=True)
        .where(in_thread, visible())
        .order_by(col(BoardPost.created_at), col(BoardPost.id))
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    views = []
    for post, cm in rows:
        reactions = session.exec(
            select(func.count()).select_from(BoardReaction).where(BoardReaction.post_id == post.id)
        ).one()
        views.append(
            PostView(
                id_of(post),
                post.thread_id,
                author_label(cm, cfg, lang),
                post.text,
                post.created_at,
                post.reply_to,
                reactions,
            )
        )
    return views, total
