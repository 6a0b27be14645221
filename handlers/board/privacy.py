"""What /forget-me erases of the community board."""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, update
from sqlmodel import col, select

from community import board, board_mirror
from community.privacy import Forget
from community.texts import t
from storage.db import id_of
from storage.models.community import BoardPost, BoardReport, BoardThread, CommunityMember


def erase(forget: Forget) -> dict[str, int]:
    """Post texts go (their place in the thread stays), the titles of threads they opened go (the threads stay:
    others wrote in them), the reasons of their reports go, the membership and nickname go; copies leave the forums
    or take the new title there."""
    session, member_id = forget.session, id_of(forget.member)
    profile = board.community_member(session, member_id)
    if profile is not None and profile.nickname:
        forget.traces.add(profile.nickname)
    titles = [
        thread.title
        for thread in session.exec(
            select(BoardThread).where(
                col(BoardThread.author_member_id) == member_id, col(BoardThread.official).is_(False)
            )
        )
    ]
    forget.traces.update(titles)
    forget.traces.update(
        reason
        for reason in session.exec(select(BoardReport.reason).where(col(BoardReport.member_id) == member_id))
        if reason
    )
    for platform in forget.site.mirrors:
        board_mirror.unmirror_posts_of(session, forget.postbox, platform, member_id)
    retitled = board.forget_threads_of(session, member_id)
    for platform in forget.site.mirrors:
        for thread in retitled:
            board_mirror.retitle_thread(session, forget.postbox, platform, thread)
    forgotten = t("ja", "board.forgotten_post")
    erased = session.execute(update(BoardPost).where(col(BoardPost.member_id) == member_id).values(text=forgotten))
    posts = cast("CursorResult[tuple[()]]", erased).rowcount  # an UPDATE's result is a cursor's
    # Their reports stay counted (staff decided on them), without the words they wrote.
    session.execute(update(BoardReport).where(col(BoardReport.member_id) == member_id).values(reason=""))
    board.leave(session, member_id, forget.now)
    session.execute(update(CommunityMember).where(col(CommunityMember.member_id) == member_id).values(nickname=None))
    return {"posts": posts, "thread_titles": len(retitled)}
