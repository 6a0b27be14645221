"""Forgetting a member (/forget-me): personal data goes on every platform, the KPI counts stay.

What stays is pseudonymous and links to no one: the Member row keeps only its public id (engagement rows carry that id,
so participants and posts still count), board posts keep their place in the thread with the text removed.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlmodel import Session, select

from community import board, board_mirror, childcare
from community.messages import Postbox
from storage.db import as_utc
from storage.models import InboxEvent, Member, PlatformAccount, Role
from storage.models.community import BoardPost, CommunityMember, CommunityState
from storage.models.events import EventSpaceMember, FacilitatorOptOut
from storage.models.staff import DashboardLogin, ReferralCode

FORGOTTEN_POST = "（この投稿は投稿者の依頼により削除されました）"


def forget_member(session: Session, member_id: int, now: datetime, postbox: Postbox | None = None,
                  mirrored_on: tuple[str, ...] = ()) -> dict[str, int]:
    """Delete the member's personal data; returns what was removed, per kind, for the confirmation message.
    mirrored_on: platforms holding copies of board posts (Discord), which the postbox asks to delete."""
    member = session.get(Member, member_id)
    if member is None:
        return {}
    if postbox is not None:
        for platform in mirrored_on:
            board_mirror.unmirror_posts_of(session, postbox, platform, member_id)
    accounts = list(session.exec(select(PlatformAccount).where(PlatformAccount.member_id == member_id)))
    removed = {
        "accounts": len(accounts),
        "children": childcare.opt_out(session, member_id),
        "posts": session.execute(
            update(BoardPost).where(BoardPost.member_id == member_id).values(text=FORGOTTEN_POST)
        ).rowcount,
    }
    board.leave(session, member_id, now)
    session.execute(update(CommunityMember).where(CommunityMember.member_id == member_id).values(nickname=None))
    session.execute(delete(CommunityState).where(CommunityState.member_id == member_id))
    session.execute(delete(ReferralCode).where(ReferralCode.kind == "member", ReferralCode.owner_ref == member.public_id))
    session.execute(delete(DashboardLogin).where(DashboardLogin.member_id == member_id))
    session.execute(delete(EventSpaceMember).where(EventSpaceMember.member_id == member_id))
    session.execute(delete(FacilitatorOptOut).where(FacilitatorOptOut.member_id == member_id))
    session.execute(delete(Role).where(Role.member_id == member_id))
    # Raw webhook payloads that name the member's platform ids go now, not after the retention period.
    for account in accounts:
        session.execute(
            update(InboxEvent)
            .where(InboxEvent.platform == account.platform, InboxEvent.payload.contains(account.platform_user_id),
                   or_(InboxEvent.status == "done", InboxEvent.status == "skipped", InboxEvent.status == "parked"))
            .values(payload=None)
        )
        session.delete(account)
    member.display_name = None
    member.lang = "ja"
    member.forgotten_at = as_utc(now)
    session.add(member)
    return removed
