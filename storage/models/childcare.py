"""SQLModel tables for childcare.

Personal data kept: a child's birth (or due) date and the parent's member id, nothing else; opting out deletes both.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ChildcareChild(SQLModel, table=True):
    """A parent's opt-in for checkup notices: one row per child."""

    __tablename__ = "childcare_child"
    __table_args__ = (
        UniqueConstraint("member_id", "born_on", name="uq_childcare_child_member_date"),
        Index("ix_childcare_child_member", "member_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    born_on: date  # birth date, or the due date before birth


class ChildcareNotice(SQLModel, table=True):
    """A checkup notice already pushed; the unique key makes the daily job safe to run twice or late."""

    __tablename__ = "childcare_notice"
    __table_args__ = (UniqueConstraint("child_id", "touchpoint", name="uq_childcare_notice_child_touchpoint"),)

    id: int | None = Field(default=None, primary_key=True)
    child_id: int = Field(foreign_key="childcare_child.id", ondelete="CASCADE")
    touchpoint: str = Field(max_length=40)
    sent_at: datetime


class HirobaSurvey(SQLModel, table=True):
    """One answer to the 子育て広場 survey. member_id links an unfinished survey to the parent answering it and is
    cleared when the survey ends, so stored answers are anonymous."""

    __tablename__ = "childcare_hiroba_survey"
    __table_args__ = (
        Index("ix_hiroba_survey_plaza_started", "plaza", "started_at"),
        Index("ix_hiroba_survey_member", "member_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plaza: str = Field(max_length=40)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    started_at: datetime
    ease: int | None = None  # 1 (hard to go in) .. 5 (easy)
    again: str | None = Field(default=None, max_length=8)  # yes, maybe, no
    comment: str | None = Field(default=None, sa_column=Column(Text))
    completed_at: datetime | None = None


class AppDownloadMonth(SQLModel, table=True):
    """The childcare app's downloads in one month, as the stores report them (App Store Connect, Google Play
    Console), recorded by staff with `python -m bot appstats`. A month recorded again takes the new figures."""

    __tablename__ = "app_download"
    __table_args__ = (UniqueConstraint("month", name="uq_app_download_month"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7)  # "2026-10"
    ios: int = 0
    android: int = 0
    source: str = Field(default="", max_length=80)  # "cli", or the imported CSV file's name
    recorded_at: datetime
