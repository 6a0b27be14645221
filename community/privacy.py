"""Forgetting a member (/forget-me): personal data goes on every platform, the KPI counts stay.

Each feature says what it erases (`Feature.erase`, collected on the Site in reverse feature order so the core's
eraser, which removes the platform accounts, runs last). What stays is pseudonymous and links to no one: the Member
row keeps only its public id (engagement rows carry that id, so participants and posts still count).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, update
from sqlmodel import Session, select

from community.messages import Postbox
from storage.db import as_utc
from storage.models import DialogueState, InboxEvent, Member, PlatformAccount, Role

if TYPE_CHECKING:
    from community.city import Site


@dataclass
class Forget:
    """What an eraser is given: the member and their platform accounts (still there while the erasers run)."""

    session: Session
    member: Member
    accounts: list[PlatformAccount]
    now: datetime
    postbox: Postbox
    site: Site


def forget_member(session: Session, member_id: int, now: datetime, postbox: Postbox, site: Site) -> dict[str, int]:
    """Delete the member's personal data everywhere; returns what was removed, per kind."""
    member = session.get(Member, member_id)
    if member is None:
        return {}
    accounts = list(session.exec(select(PlatformAccount).where(PlatformAccount.member_id == member_id)))
    forget = Forget(session, member, accounts, now, postbox, site)
    removed: dict[str, int] = {}
    for erase in site.erasers:
        removed.update(erase(forget))
    return removed


def erase_core(forget: Forget) -> dict[str, int]:
    """The core's part, last: roles, a half-finished dialogue, raw payloads naming the person, the accounts."""
    session, member = forget.session, forget.member
    session.execute(delete(DialogueState).where(DialogueState.member_id == member.id))
    session.execute(delete(Role).where(Role.member_id == member.id))
    # Raw webhook payloads that name the member's platform ids go now, not after the retention period.
    for account in forget.accounts:
        session.execute(
            update(InboxEvent)
            .where(InboxEvent.platform == account.platform, InboxEvent.payload.contains(account.platform_user_id),
                   or_(InboxEvent.status == "done", InboxEvent.status == "skipped", InboxEvent.status == "parked"))
            .values(payload=None)
        )
        session.delete(account)
    member.display_name = None
    member.lang = "ja"
    member.forgotten_at = as_utc(forget.now)
    session.add(member)
    return {"accounts": len(forget.accounts)}
