"""SQLModel tables for events: the event, the spaces (LINE groups, Discord channels) bound to it, who is in them,
and facilitators who asked not to be nudged; registrations (with a waiting list), attendance at the venue, visitor
counts staff enter per venue and month, and who asked to hear of new events. Messages themselves are never stored:
the engagement log counts them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("code", name="uq_event_code"),
        UniqueConstraint("bind_code", name="uq_event_bind_code"),
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
    # The secret that binds a group to the event (/event bind): shown only to its organizer, facilitators and staff.
    bind_code: str | None = Field(default=None, max_length=12)
    capacity: int | None = None  # places; registrations past it wait; None: no limit


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


class EventRegistration(SQLModel, table=True):
    """Someone who said they will come (/join, the join button): registered, waiting for a place, or cancelled."""

    __tablename__ = "event_registration"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id", name="uq_event_registration"),
        Index("ix_event_registration_registered_at", "registered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id")
    member_id: int = Field(foreign_key="member.id")
    platform: str = Field(max_length=16)  # where they registered: their reminder goes there
    status: str = Field(max_length=12)  # registered, waiting, cancelled
    registered_at: datetime  # when they (last) asked for a place: the waiting list's order
    promoted_at: datetime | None = None  # moved up from the waiting list
    cancelled_at: datetime | None = None
    reminded_at: datetime | None = None  # the day-before reminder went out (once)


class EventAttendance(SQLModel, table=True):
    """Someone who checked in at the venue (the event's QR): a member once per event, or an anonymous visit of which
    only the device family is kept (member_id empty)."""

    __tablename__ = "event_attendance"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id", name="uq_event_attendance"),
        Index("ix_event_attendance_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    at: datetime
    how: str = Field(max_length=16)  # line, discord, console (through the bot) or web (anonymous)
    device: str = Field(default="", max_length=8)  # ios, android, other: anonymous visits only


class VenueCount(SQLModel, table=True):
    """Visitors staff counted at a venue in a month (a gate count, a shop's till): part of 交流人口 (`visitors`)."""

    __tablename__ = "venue_count"
    __table_args__ = (UniqueConstraint("venue", "month", name="uq_venue_count_month"),)

    id: int | None = Field(default=None, primary_key=True)
    venue: str = Field(max_length=60)
    month: date  # the first day of the month
    visitors: int
    source: str = Field(default="", max_length=80)  # the command line or the CSV file it came from
    entered_at: datetime


class EventNewsSubscriber(SQLModel, table=True):
    """A member who asked to hear of new events (/event news on)."""

    __tablename__ = "event_news_subscriber"
    __table_args__ = (UniqueConstraint("member_id", name="uq_event_news_member"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    platform: str = Field(max_length=16)  # where the notices go
    since: datetime
