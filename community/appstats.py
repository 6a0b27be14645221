"""The childcare app's downloads: Omitama's indicator "from 456 downloads to 5,000".

The stores count downloads, not this service, so staff copy the figures from App Store Connect and the Google Play
Console once a month: `python -m bot appstats record --month 2026-10 --ios 120 --android 85`, or a CSV of several
months (`appstats import FILE.csv`, columns month, ios, android). A figure is the month's downloads (first-time
downloads or installs, as both consoles report them per month); recording a month again replaces its figures (the
stores revise theirs). The KPI `app_downloads` is cumulative: [app] downloads_baseline (the count at the end of
downloads_baseline_month, 456 for Omitama) plus every recorded month after it up to the period's end. Each record
and import is in the audit log.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from community import audit
from community.city import AppLinks, Site
from community.donations import decode_csv
from community.problems import Problem
from community.texts import fold, t
from storage.db import as_utc
from storage.models.childcare import AppDownloadMonth

RECORD = "appstats.record"
MAX_MONTHLY = 10_000_000  # a typo guard: no town's app gets ten million downloads a month
_MONTH = re.compile(r"(\d{4})\s*[-/.\u5e74]\s*(\d{1,2})\s*\u6708?")  # 2026-10, 2026/10, 2026年10月
_NOT_DIGITS = re.compile("[,\uff0c\\s]")
# Header names the CSV may use for each column (compared folded: case and full width do not matter).
HEADERS = {"month": ("month", "\u6708"), "ios": ("ios",), "android": ("android",)}


def parse_month(text: str) -> str:
    """'2026-10', '2026/10' or '2026年10月' -> '2026-10'."""
    match = _MONTH.fullmatch((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise Problem("appstats.bad_month", text=text)
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def parse_count(text: str) -> int:
    cleaned = _NOT_DIGITS.sub("", text or "")
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) > MAX_MONTHLY:
        raise Problem("appstats.bad_count", text=text)
    return int(cleaned)


@dataclass(frozen=True)
class Recorded:
    month: str
    ios: int
    android: int
    previous: tuple[int, int] | None  # (ios, android) the month had before, None when it was new


def record(
    session: Session, site: Site, month: str, ios: int, android: int, now: datetime, source: str = "cli"
) -> Recorded:
    """Record (or replace) one month's store figures."""
    app = site.city.app
    month = parse_month(month)
    if app.downloads_baseline_month and month <= app.downloads_baseline_month:
        raise Problem("appstats.before_baseline", month=month, baseline_month=app.downloads_baseline_month)
    if month > now.astimezone(site.tz).strftime("%Y-%m"):
        raise Problem("appstats.future_month", month=month)
    row = session.exec(select(AppDownloadMonth).where(AppDownloadMonth.month == month)).first()
    previous = (row.ios, row.android) if row is not None else None
    if row is None:
        row = AppDownloadMonth(month=month, recorded_at=as_utc(now))
    row.ios, row.android, row.source, row.recorded_at = ios, android, source[:80], as_utc(now)
    session.add(row)
    audit.record(session, None, RECORD, f"month:{month}", f"ios={ios} android={android} via={source[:40]}", now)
    return Recorded(month, ios, android, previous)


@dataclass
class ImportResult:
    recorded: list[Recorded] = field(default_factory=list)
    errors: list[tuple[int, Problem]] = field(default_factory=list)  # (line in the file, problem)


def import_csv(session: Session, site: Site, data: bytes, now: datetime, source: str) -> ImportResult:
    """Record every good row of a CSV (UTF-8 or Shift_JIS; a header row naming month, ios and android); a bad row
    is reported by its line and skipped."""
    result = ImportResult()
    rows = list(csv.reader(io.StringIO(decode_csv(data))))
    if not rows:
        result.errors.append((1, Problem("appstats.no_header")))
        return result
    header = [fold(cell) for cell in rows[0]]
    index = {key: next((header.index(n) for n in names if n in header), None) for key, names in HEADERS.items()}
    missing = [key for key, i in index.items() if i is None]
    if missing:
        result.errors.append((1, Problem("appstats.no_header")))
        return result
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: row[i].strip() if i is not None and i < len(row) else "" for key, i in index.items()}
        try:
            ios, android = parse_count(cells["ios"]), parse_count(cells["android"])
        except Problem as problem:
            result.errors.append((line, problem))
            continue
        savepoint = session.begin_nested()
        try:
            found = record(session, site, cells["month"], ios, android, now, source)
        except Problem as problem:
            savepoint.rollback()
            result.errors.append((line, problem))
            continue
        savepoint.commit()
        result.recorded.append(found)
    return result


def _last_month(until: datetime, site: Site) -> str:
    """The last month that starts before `until` (city time)."""
    return (until.astimezone(site.tz) - timedelta(microseconds=1)).strftime("%Y-%m")


def downloads(session: Session, site: Site, until: datetime) -> int:
    """The app's downloads to `until`: the baseline plus each recorded month after it that starts before `until`."""
    app = site.city.app
    stmt = select(func.coalesce(func.sum(col(AppDownloadMonth.ios) + col(AppDownloadMonth.android)), 0)).where(
        col(AppDownloadMonth.month) <= _last_month(until, site),
        col(AppDownloadMonth.month) > app.downloads_baseline_month,
    )
    return app.downloads_baseline + int(session.exec(stmt).one())


def months(session: Session, site: Site) -> list[AppDownloadMonth]:
    """Every recorded month after the baseline, oldest first."""
    stmt = select(AppDownloadMonth).where(col(AppDownloadMonth.month) > site.city.app.downloads_baseline_month)
    return list(session.exec(stmt.order_by(col(AppDownloadMonth.month))))


def digest_lines(session: Session, site: Site, now: datetime) -> list[str]:
    """The latest recorded month, and a reminder when last month's store figures are not in yet (the digest)."""
    app: AppLinks = site.city.app
    recorded = months(session, site)
    if not recorded and not app.downloads_baseline_month:
        return []  # the city does not track the app's downloads
    lines = [t("ja", "appstats.digest.title", app=app.name)]
    if recorded:
        latest = recorded[-1]
        lines.append(
            t(
                "ja",
                "appstats.digest.latest",
                month=latest.month,
                ios=f"{latest.ios:,}",
                android=f"{latest.android:,}",
                total=f"{downloads(session, site, now):,}",
            )
        )
    last_month = (now.astimezone(site.tz).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    if last_month > app.downloads_baseline_month and all(row.month != last_month for row in recorded):
        lines.append(t("ja", "appstats.digest.missing", month=last_month))
    return lines if len(lines) > 1 else []
