"""SQLModel tables for 貸畑 and 空き家 listings and the conversations the bot relays about them (and about circles).

Personal data: who owns a listing and who asked about what (member ids). The texts people relay are never stored:
they pass through the outbox only. /forget-me deletes a member's listings and every conversation they were in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Listing(SQLModel, table=True):
    """A plot (貸畑) or a house (空き家, with or without a field) a member offers. Public once staff approve it, until
    it is closed or expires ([listings] days after approval)."""

    __tablename__ = "listing"
    __table_args__ = (
        Index("ix_listing_status_expires", "status", "expires_at"),
        Index("ix_listing_owner", "owner_member_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # plot, house, farmhouse
    owner_member_id: int = Field(foreign_key="member.id")
    place: str = Field(max_length=40)  # 地区 level, never an address
    size: str = Field(max_length=60)
    price: str = Field(max_length=60)
    conditions: str = Field(default="", max_length=500)
    photo_url: str = Field(default="", max_length=300)
    status: str = Field(max_length=10)  # pending, open, rejected, closed
    created_at: datetime
    reviewed_at: datetime | None = None
    expires_at: datetime | None = None
    closed_at: datetime | None = None


class Inquiry(SQLModel, table=True):
    """A conversation the bot relays between someone interested and the owner of a listing (or the contact of a
    circle): neither sees the other's account. Only who, about what, when and how many messages; never the text."""

    __tablename__ = "inquiry"
    __table_args__ = (
        Index("ix_inquiry_subject", "subject", "subject_id"),
        Index("ix_inquiry_asker", "asker_member_id"),
        Index("ix_inquiry_owner", "owner_member_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=10)  # listing, circle
    subject_id: int
    asker_member_id: int = Field(foreign_key="member.id")
    owner_member_id: int = Field(foreign_key="member.id")
    created_at: datetime
    last_message_at: datetime
    from_asker: int = 0  # messages relayed each way
    from_owner: int = 0
