"""SQLModel tables for events: the event, the spaces (LINE groups, Discord channels) bound to it, who is in them,
and facilitators who asked not to be nudged. Messages themselves are never stored: the engagement log counts them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("code", name="uq_event_code"),
        Index("ix_event_starts_at", "starts_at"),
        Index("ix_event_organizer_id", "organizer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8)  # short, read-aloud code (community.events.CODE_ALPHABET)
    title: str = Field(max_length=100)
    starts_at: datetime
    location: str = Field(max_length=100)
    venue: str = Field(default="", max_length=40)  # venue id from the city config ([[events.venues]]), "" if none
    organizer_id: int = Field(foreign_key="member.id")
    invite_url: str | None = Field(default=None, max_length=300)  # the LINE group's invitation link
    created_at: datetime
    closed_at: datetime | None = None
    after_event_posted_at: datetime | None = None  # the after-event job posts once


class EventSpace(SQLModel, table=True):
    """A space bound to an event. A space belongs to at most one event."""

    __tablename__ = "event_space"
    __table_args__ = (
        UniqueConstraint("space_id", name="uq_event_space_space"),
        Index("ix_event_space_event_id", "event_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id")
    space_id: int = Field(foreign_key="space.id")
    bound_at: datetime
    last_message_at: datetime | None = None
    nudged_at: datetime | None = None  # last quiet-groups nudge or staff report for this space
    nudges: int = 0  # how many nudges so far: rotates the conversation starters


class EventSpaceMember(SQLModel, table=True):
    """Who is in an event space, from member_joined/member_left and from who speaks there."""

    __tablename__ = "event_space_member"
    __table_args__ = (UniqueConstraint("event_space_id", "member_id", name="uq_event_space_member"),)

    id: int | None = Field(default=None, primary_key=True)
    event_space_id: int = Field(foreign_key="event_space.id")
    member_id: int = Field(foreign_key="member.id")
    joined_at: datetime
    left_at: datetime | None = None


class FacilitatorOptOut(SQLModel, table=True):
    """A facilitator who sent `/event facilitator stop`: still listed, never nudged."""

    __tablename__ = "event_facilitator_optout"
    __table_args__ = (UniqueConstraint("event_id", "member_id", name="uq_facilitator_optout"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id")
    member_id: int = Field(foreign_key="member.id")
    at: datetime
