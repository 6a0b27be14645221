"""The audit log of staff actions: who did what to whom or what, and when. Rows are only ever added (and removed by
the retention job after [city] audit_retention_days); no command lets the actor change or delete them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    # The member who acted (None: the system or the command line). Shown by nickname or public id, never platform id;
    # a /forget-me of the actor keeps the row (the log is not theirs to erase), pseudonymous from then on.
    actor_member_id: int | None = Field(default=None, foreign_key="member.id")
    action: str = Field(max_length=40)  # e.g. post.hide, thread.restore, role.grant, export.posts, announce.send
    target: str = Field(default="", max_length=80)  # what it was done to: "post:12", "member:m-abc…", "fy:2026"
    detail: str = Field(default="", max_length=200)
