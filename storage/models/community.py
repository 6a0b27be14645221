"""SQLModel tables for the 関係人口 community: members' community profile, a small conversation state per member,
and the bulletin board (threads, posts, reactions, reports).

Kept to the least: a nickname the member chose and how they relate to the town; no platform names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class CommunityMember(SQLModel, table=True):
    """A member who agreed to the community rules. left_at set: no longer participating (nickname cleared)."""

    __tablename__ = "community_member"
    __table_args__ = (UniqueConstraint("member_id", name="uq_community_member_member"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    nickname: str | None = Field(default=None, max_length=20)
    relation: str = Field(max_length=12)  # resident, native, visitor, fan (community.board.RELATIONS)
    platform: str = Field(max_length=16)  # where they joined
    joined_at: datetime
    left_at: datetime | None = None


class BoardThread(SQLModel, table=True):
    """A thread. hidden_at set by staff (/thread hide): gone from every surface with its posts, kept for the record.
    author_member_id None: written by someone who was forgotten (/forget-me), whose title was replaced."""

    __tablename__ = "board_thread"
    __table_args__ = (
        Index("ix_board_thread_last_post_at", "last_post_at"),
        Index("ix_board_thread_author_created", "author_member_id", "created_at"),  # threads per hour
    )

    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=40)
    title: str = Field(max_length=100)
    author_member_id: int | None = Field(default=None, foreign_key="member.id")
    official: bool = False  # a city question (/voice new): answers are read together
    created_at: datetime
    last_post_at: datetime
    hidden_at: datetime | None = None
    hidden_by: int | None = None  # staff Member.id


class BoardPost(SQLModel, table=True):
    """A post or reply. hidden_at set by staff: gone from every surface, kept for the record."""

    __tablename__ = "board_post"
    __table_args__ = (
        Index("ix_board_post_thread_created", "thread_id", "created_at"),
        Index("ix_board_post_member_created", "member_id", "created_at"),
        Index("ix_board_post_created_hidden", "created_at", "hidden_at"),  # visible posts per period (KPIs)
    )

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="board_thread.id")
    member_id: int = Field(foreign_key="member.id")
    reply_to: int | None = None  # a post id in the same thread
    text: str = Field(sa_column=Column(Text, nullable=False))
    platform: str = Field(max_length=16)
    created_at: datetime
    hidden_at: datetime | None = None
    hidden_by: int | None = None  # staff Member.id; None when deleted where it was written (Discord)


class BoardReaction(SQLModel, table=True):
    __tablename__ = "board_reaction"
    __table_args__ = (UniqueConstraint("post_id", "member_id", name="uq_board_reaction_post_member"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="board_post.id")
    member_id: int = Field(foreign_key="member.id")
    created_at: datetime


class BoardReport(SQLModel, table=True):
    """One member's report of a post (once per post), with the reason they gave. resolved_at set: staff hid the post
    or dismissed its reports; it has left the queue staff read (/reports)."""

    __tablename__ = "board_report"
    __table_args__ = (
        UniqueConstraint("post_id", "member_id", name="uq_board_report_post_member"),
        Index("ix_board_report_member_created", "member_id", "created_at"),  # reports per hour
        Index("ix_board_report_resolved_post", "resolved_at", "post_id"),  # the open queue
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="board_post.id")
    member_id: int = Field(foreign_key="member.id")
    created_at: datetime
    reason: str = Field(default="", max_length=100)  # community.board.REPORT_REASON_MAX
    resolved_at: datetime | None = None


class BoardLink(SQLModel, table=True):
    """Where a board thread or post also lives on another platform: a Discord forum post, a message in it.
    origin: it was written there (its author may edit or delete it there); otherwise it is our copy."""

    __tablename__ = "board_link"
    __table_args__ = (
        UniqueConstraint("platform", "kind", "board_id", name="uq_board_link_board"),
        UniqueConstraint("platform", "kind", "platform_id", name="uq_board_link_platform"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=8)  # thread (board_id: BoardThread.id) or post (board_id: BoardPost.id)
    board_id: int
    platform_id: str = Field(max_length=32)  # the platform's thread or message id
    place_id: str = Field(max_length=32)  # what holds it there: the forum of a thread, the thread of a post
    origin: bool = False
