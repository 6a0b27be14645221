"""Reporting periods: the Japanese fiscal year (年度, April to March) and ISO weeks, in the city's time zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.db import as_utc


def fiscal_year_of(day: date | datetime) -> int:
    """年度: April 1 starts the year; 2027-03-31 is still FY 2026. A datetime must already be in city time."""
    if isinstance(day, datetime):
        day = day.date()
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    """First and last day (inclusive): FY 2026 = 2026-04-01..2027-03-31."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def week_range(day: date) -> tuple[date, date]:
    """Monday..Sunday of the ISO week holding day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def bounds(tz: ZoneInfo, start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in the city's zone, as aware UTC for the queries."""
    return (
        as_utc(datetime.combine(start, time(0), tzinfo=tz)),
        as_utc(datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)),
    )
