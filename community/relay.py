"""Conversations the bot relays between two members who never see each other's account: someone interested in a
listing (貸畑, 空き家) or a circle writes through the bot, its owner answers through the bot, and so on.

Only who, about what, when and how many messages are kept (the Inquiry row); the texts go straight into the
outbox, addressed to the other person as pushes of kind "relay" (the one person who just wrote gets a free reply).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from community import engagement, members
from community.messages import OutboundMessage, Postbox
from community.problems import Problem
from community.texts import t
from storage.db import as_utc, id_of
from storage.models import Member
from storage.models.circles import Circle
from storage.models.listings import Inquiry, Listing

LISTING, CIRCLE = "listing", "circle"
RELAY_KIND = "relay"  # Outgoing.kind of a relayed message (what the push budget counts it as)
MAX_TEXT = 1000
OPEN = "open"


@dataclass(frozen=True)
class Subject:
    """What a conversation is about, as its participants see it."""

    kind: str
    id: int
    owner_id: int
    open: bool  # new conversations may start (a closed or expired one keeps its running conversations)
    name: str  # public words: a listing's 地区, a circle's name
    variant: str = ""  # a listing's kind (plot, house, farmhouse)

    def title(self, lang: str) -> str:
        if self.kind == LISTING:
            kind = t(lang, f"listing.kind.{self.variant}")
            return t(lang, "relay.subject.listing", id=self.id, kind=kind, place=self.name)
        return t(lang, "relay.subject.circle", id=self.id, name=self.name)


def subject_of(session: Session, kind: str, subject_id: int, now: datetime) -> Subject | None:
    if kind == LISTING:
        listing = session.get(Listing, subject_id)
        if listing is None:
            return None
        still = listing.status == OPEN and listing.expires_at is not None and as_utc(listing.expires_at) > as_utc(now)
        return Subject(LISTING, subject_id, listing.owner_member_id, still, listing.place, listing.kind)
    if kind == CIRCLE:
        circle = session.get(Circle, subject_id)
        if circle is None:
            return None
        contact = circle.status == OPEN and not circle.join_url
        return Subject(CIRCLE, subject_id, circle.submitter_member_id, contact, circle.name)
    return None


def check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise Problem("relay.empty", with_usage=False)
    if len(text) > MAX_TEXT:
        raise Problem("relay.too_long", limit=MAX_TEXT, length=len(text), with_usage=False)
    return text


def start(session: Session, subject: Subject, asker_id: int, now: datetime) -> tuple[Inquiry, bool]:
    """The asker's conversation about the subject (one per asker and subject); True when it is new."""
    if subject.owner_id == asker_id:
        raise Problem("relay.own", with_usage=False)
    found = session.exec(
        select(Inquiry).where(
            Inquiry.subject == subject.kind, Inquiry.subject_id == subject.id, Inquiry.asker_member_id == asker_id
        )
    ).first()
    if found is not None:
        return found, False
    if not subject.open:
        raise Problem("relay.closed", with_usage=False)
    inquiry = Inquiry(
        subject=subject.kind,
        subject_id=subject.id,
        asker_member_id=asker_id,
        owner_member_id=subject.owner_id,
        created_at=as_utc(now),
        last_message_at=as_utc(now),
    )
    session.add(inquiry)
    session.flush()
    engagement.record(session, "inquiry", now, detail=subject.kind)
    return inquiry, True


def inquiry_for(session: Session, inquiry_id: int, member_id: int) -> Inquiry:
    """A conversation the member takes part in; anyone else's is refused as if it did not exist."""
    inquiry = session.get(Inquiry, inquiry_id)
    if inquiry is None or member_id not in (inquiry.asker_member_id, inquiry.owner_member_id):
        raise Problem("relay.no_such", id=inquiry_id, with_usage=False)
    return inquiry


def other_party(inquiry: Inquiry, member_id: int) -> int:
    return inquiry.owner_member_id if member_id == inquiry.asker_member_id else inquiry.asker_member_id


def count(session: Session, inquiry: Inquiry, sender_id: int, now: datetime) -> None:
    if sender_id == inquiry.asker_member_id:
        inquiry.from_asker += 1
    else:
        inquiry.from_owner += 1
    inquiry.last_message_at = as_utc(now)
    session.add(inquiry)


def push(session: Session, postbox: Postbox, member_id: int, *messages: OutboundMessage) -> int:
    """To every account of the member that can receive pushes, as a relay; returns how many."""
    sent = 0
    for account in members.accounts_of(session, member_id):
        if account.followed:
            postbox.push(account.platform, account.platform_user_id, *messages, kind=RELAY_KIND)
            sent += 1
    return sent


def language_of(session: Session, member_id: int) -> str:
    member = session.get(Member, member_id)
    return member.lang if member is not None else "ja"


def of_subject(session: Session, kind: str, subject_id: int) -> list[Inquiry]:
    return list(
        session.exec(
            select(Inquiry).where(Inquiry.subject == kind, Inquiry.subject_id == subject_id).order_by(col(Inquiry.id))
        )
    )


def counts_by_subject(session: Session, kind: str) -> dict[int, int]:
    rows = session.exec(
        select(Inquiry.subject_id, func.count()).where(Inquiry.subject == kind).group_by(col(Inquiry.subject_id))
    ).all()
    return {subject_id: int(n) for subject_id, n in rows}


def delete_about(session: Session, kind: str, subject_ids: list[int]) -> int:
    if not subject_ids:
        return 0
    result = session.execute(
        delete(Inquiry).where(col(Inquiry.subject) == kind, col(Inquiry.subject_id).in_(subject_ids))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def erase_member(session: Session, member: Member) -> int:
    """Every conversation the member asked or answered in (/forget-me)."""
    member_id = id_of(member)
    result = session.execute(
        delete(Inquiry).where(or_(col(Inquiry.asker_member_id) == member_id, col(Inquiry.owner_member_id) == member_id))
    )
    return int(getattr(result, "rowcount", 0) or 0)
