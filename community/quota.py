"""The LINE message quota in the domain's terms: the month's limit, what was used, and where the month is heading.

Pushes and multicasts count against the monthly limit (replies are free). bot/line/quota.py reads the figures from the
Messaging API and saves them here; the weekly digest and /healthz warn staff when the month's pace would pass the
limit. Nothing here talks to LINE.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlmodel import Session, select

from community.texts import t
from storage.db import as_utc
from storage.models.quota import LineQuotaReading


@dataclass(frozen=True)
class QuotaStatus:
    limit: int | None  # None: no limit on this plan
    used: int
    projected: int  # at this month's pace, by the month's end
    read_at: datetime

    @property
    def warning(self) -> bool:
        return self.limit is not None and self.projected > self.limit

    def as_dict(self) -> dict[str, int | bool | str | None]:
        return {
            "limit": self.limit,
            "used": self.used,
            "projected": self.projected,
            "warning": self.warning,
            "read_at": as_utc(self.read_at).isoformat(),
        }


def month_key(local: datetime) -> str:
    return f"{local.year:04d}-{local.month:02d}"


def project(used: int, local: datetime) -> int:
    """Messages by the end of local's month at the pace so far (the first day counts as a whole day)."""
    days_in_month = calendar.monthrange(local.year, local.month)[1]
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elapsed_days = max((local - month_start).total_seconds() / 86400, 1.0)
    return math.ceil(used * days_in_month / elapsed_days)


def save_reading(session: Session, limit: int | None, used: int, now: datetime, tz: tzinfo) -> QuotaStatus:
    local = now.astimezone(tz)
    month = month_key(local)
    row = session.exec(select(LineQuotaReading).where(LineQuotaReading.month == month)).first()
    if row is None:
        row = LineQuotaReading(month=month, quota=limit, used=used, read_at=as_utc(now))
    else:
        row.quota, row.used, row.read_at = limit, used, as_utc(now)
    session.add(row)
    return QuotaStatus(limit, used, project(used, local), as_utc(now))


def latest(session: Session, now: datetime, tz: tzinfo) -> QuotaStatus | None:
    """This month's last reading (None before the first one of the month)."""
    row = session.exec(select(LineQuotaReading).where(LineQuotaReading.month == month_key(now.astimezone(tz)))).first()
    if row is None:
        return None
    return QuotaStatus(row.quota, row.used, project(row.used, as_utc(row.read_at).astimezone(tz)), as_utc(row.read_at))


def digest_lines(status: QuotaStatus | None) -> list[str]:
    """The weekly digest's LINE section: the month's use, and a warning when the pace passes the limit."""
    if status is None or status.limit is None:
        return []
    lines = [
        t("ja", "digest.line_quota"),
        t(
            "ja",
            "digest.line_quota_figures",
            used=f"{status.used:,}",
            limit=f"{status.limit:,}",
            projected=f"{status.projected:,}",
        ),
    ]
    if status.warning:
        lines.append(t("ja", "digest.line_quota_warning"))
    return lines
