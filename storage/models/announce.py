"""SQLModel tables for announcements (issue 15): what staff send to a segment of members, and who asked not to get
them. The recipients themselves are not stored: they are chosen when the announcement goes out (people who opted out
in between are not reached), and the outbox rows carry them until the retention purge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Announcement(SQLModel, table=True):
    """One announcement: its content, its segment, when it goes out and what it achieved.

    status: scheduled (waits for send_at), sent, cancelled, held (at its time it no longer fitted the month's budget:
    staff decide again). The announcements job claims a scheduled one with a conditional update, in the transaction
    that writes its outbox rows, so two instances never both send it."""

    __tablename__ = "announcement"
    __table_args__ = (Index("ix_announcement_status_send_at", "status", "send_at"),)

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    image_url: str = Field(default="", max_length=500)
    link_label: str = Field(default="", max_length=20)
    link_url: str = Field(default="", max_length=500)
    topic: str = Field(default="", max_length=20)  # one of the city's [announce] topics, "" without topics
    segment: str = Field(max_length=60)  # community.segments: "all", "relation:fan", "event:AB12", ...
    status: str = Field(default="scheduled", max_length=12)
    send_at: datetime
    created_by: int | None = Field(default=None, foreign_key="member.id")  # the staff member (None: forgotten)
    created_at: datetime
    estimated: int = 0  # billable messages when it was confirmed (counted against the month until it goes out)
    over_budget: bool = False  # a staff admin confirmed it over the remaining budget (in the audit log)
    sent_at: datetime | None = None
    recipients: int = 0  # accounts it was sent to (LINE, console), when sent
    billable: int = 0  # LINE messages it cost
    discord_post: bool = False  # also posted in the Discord announcement channel
    unit: str = Field(default="", max_length=30)  # LINE's customAggregationUnits name: statistics per unit
    opened: int | None = None  # LINE: users who opened it (uniqueImpression), when LINE has the figure
    clicked: int | None = None  # LINE: users who opened a link in it (uniqueClick)
    stats_at: datetime | None = None  # when LINE's figures were read


class AnnounceOptOut(SQLModel, table=True):
    """A member who said /announce stop: for every topic (topic "") or one of the city's topics."""

    __tablename__ = "announce_optout"
    __table_args__ = (UniqueConstraint("member_id", "topic", name="uq_announce_optout_member_topic"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    topic: str = Field(default="", max_length=20)
    at: datetime
