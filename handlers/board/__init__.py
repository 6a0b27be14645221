"""The community board feature (関係人口): joining, threads, posts, reactions, reports, moderation, official
questions, the Discord forum mirror and the public web board."""
from __future__ import annotations

from sqlalchemy import update

from community import board, board_mirror
from community.privacy import Forget
from community.texts import t
from handlers.board import chat
from handlers.feature import Feature
from handlers.feature_legacy import legacy_routes
from storage.models.community import BoardLink, BoardPost, BoardReaction, BoardReport, BoardThread, CommunityMember


def erase(forget: Forget) -> dict[str, int]:
    """Post texts go (their place in the thread stays), the membership and nickname go, copies leave Discord."""
    session, member_id = forget.session, forget.member.id
    for platform in forget.site.mirrors:
        board_mirror.unmirror_posts_of(session, forget.postbox, platform, member_id)
    posts = session.execute(
        update(BoardPost).where(BoardPost.member_id == member_id).values(text=t("ja", "board.forgotten_post"))
    ).rowcount
    board.leave(session, member_id, forget.now)
    session.execute(update(CommunityMember).where(CommunityMember.member_id == member_id).values(nickname=None))
    return {"posts": posts}


FEATURE = Feature(
    "board",
    chat=legacy_routes("board", chat.register),
    tables=(CommunityMember, BoardThread, BoardPost, BoardReaction, BoardReport, BoardLink),
    erase=erase,
    kpis=(board.KPIS,),
    digest=board.digest_section,
)
