"""SQLModel table for occasions (成人式, a school, a festival) whose sign-up QR brings people to the LINE account.
Scans and sign-ups are counted in the engagement log (pseudonymous), so this table names no one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Occasion(SQLModel, table=True):
    __tablename__ = "occasion"
    __table_args__ = (UniqueConstraint("code", name="uq_occasion_code"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8)  # short, typed code (community.events.CODE_ALPHABET)
    name: str = Field(max_length=60)
    created_at: datetime
