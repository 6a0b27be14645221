"""A one-time code that links a member's account on one platform to their account on another (/link)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class LinkCode(SQLModel, table=True):
    """Only the code's hash is kept; it works once, briefly, and only from another platform than its own."""

    __tablename__ = "member_link_code"
    __table_args__ = (UniqueConstraint("code_hash", name="uq_member_link_code"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(max_length=16)  # where the code was given out
    code_hash: str = Field(max_length=64)
    created_at: datetime
    expires_at: datetime
