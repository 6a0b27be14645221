"""The LINE monthly message quota as last read from the Messaging API (bot/quota.py writes, the digest reads)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class LineQuotaReading(SQLModel, table=True):
    """One row per month, overwritten by each reading: shared by every instance and by `python -m bot job`."""

    __tablename__ = "line_quota_reading"
    __table_args__ = (UniqueConstraint("month", name="uq_line_quota_month"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7)  # "2026-11", in the city's time zone
    quota: int | None = None  # messages allowed this month; None: the plan has no limit
    used: int  # messages counted by LINE so far this month (pushes and multicasts; replies are free)
    read_at: datetime
