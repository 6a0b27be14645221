"""SQLModel table for the circles directory (子育てサークル and others).

Personal data: who submitted a circle (a member id; /forget-me deletes the circles they submitted)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Circle(SQLModel, table=True):
    """A circle, public once staff approve it. People join by its link (a LINE open chat or group invitation) or, with
    no link, by a first message the bot relays to the member who submitted it."""

    __tablename__ = "circle"
    __table_args__ = (
        Index("ix_circle_status", "status"),
        Index("ix_circle_submitter", "submitter_member_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    category: str = Field(max_length=10)  # kosodate, other
    activity: str = Field(max_length=300)
    area: str = Field(max_length=40)
    join_url: str = Field(default="", max_length=300)  # "" : contact through the bot
    submitter_member_id: int = Field(foreign_key="member.id")
    status: str = Field(max_length=10)  # pending, open, rejected, closed
    created_at: datetime
    reviewed_at: datetime | None = None
    closed_at: datetime | None = None
