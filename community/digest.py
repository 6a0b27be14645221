"""The weekly staff digest: KPIs against the fiscal-year targets, the week's change, quiet event groups, QR scans per
touchpoint, referral clicks and donations, and a chart image. Written for a phone screen, in Japanese.

It covers the last complete ISO week (Monday to Sunday) before `now`, so the Monday job and a `/digest` on any day
of the following week say the same. It names members only by display name (facilitators), never by platform id.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community import kpi, quota
from community.city import Site
from community.texts import t
from community.messages import Image, OutboundMessage, Postbox, Text
from storage.db import as_utc
from storage.models import Space
from storage.models.staff import SentDigest

WEEK_PATTERN = re.compile(r"(\d{4})-W(\d{2})")
STAFF_PURPOSE = "staff"
CHART_WEEKS = 8


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(label: str) -> tuple[date, date] | None:
    """'2026-W15' -> (Monday, Sunday); None for anything else."""
    match = WEEK_PATTERN.fullmatch(label or "")
    if not match:
        return None
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None
    return monday, monday + timedelta(days=6)


def last_complete_week(now: datetime) -> tuple[date, date]:
    return kpi.week_range(now.date() - timedelta(days=7))


def _day(d: date) -> str:
    return f"{d.month}/{d.day}({t('ja', 'weekday.short')[d.weekday()]})"


@dataclass
class Digest:
    week: str
    text: str
    chart_url: str

    def messages(self) -> list[OutboundMessage]:
        """The text, and the chart as an image when it has an https URL (LINE shows images only from https)."""
        out: list[OutboundMessage] = [Text(self.text)]
        if self.chart_url.startswith("https://"):
            out.append(Image(url=self.chart_url, preview_url=self.chart_url, alt=t("ja", "digest.chart_alt",
                                                                                  week=self.week)))
        return out


@dataclass(frozen=True)
class DigestWeek:
    """What a feature's digest section is given: the week and its KPIs, last week's and the fiscal year's so far."""

    session: Session
    site: Site
    now: datetime  # city time
    start: date  # Monday
    end: date  # Sunday
    since: datetime  # the week as aware times [since, until)
    until: datetime
    this_week: dict[str, int]
    last_week: dict[str, int]
    to_date: dict[str, int]


def signed(n: int) -> str:
    return f"+{n:,}" if n > 0 else f"{n:,}" if n < 0 else "\u00b10"


def build(session: Session, site: Site, now: datetime) -> Digest:
    now = now.astimezone(site.tz)
    start, end = last_complete_week(now)
    week = week_label(start)
    this_week = kpi.compute(session, site, start, end)
    last_week = kpi.compute(session, site, start - timedelta(days=7), end - timedelta(days=7))
    fiscal_year = kpi.fiscal_year_of(end)
    fy_start, _ = kpi.fiscal_year_range(fiscal_year)
    to_date = kpi.compute(session, site, fy_start, end)
    targets = site.city.targets_for(fiscal_year)

    lines = [t("ja", "digest.title", bot=site.city.bot_name), f"{_day(start)}\u301c{_day(end)} ({week})", ""]
    with_target = [n for n in to_date if kpi.target_of(targets, n)]
    if with_target:
        lines.append(t("ja", "digest.targets", fy=fiscal_year))
        for name in with_target:
            target = kpi.target_of(targets, name) or 0
            value = to_date[name]
            pct = kpi.progress(value, target)
            lines.append(f"{kpi.label(name)}: {value:,} / {target:,} ({pct:.1f}%)")
            lines.append(f"  {kpi.bar(pct)}")
        lines.append("")
    lines.append(t("ja", "digest.this_week"))
    for source in site.kpis:
        for name in source.weekly:
            lines.append(f"{kpi.label(name)}: {this_week[name]:,} ({signed(this_week[name] - last_week[name])})")
    lines.append("")
    since, until = kpi.bounds(site.tz, start, end)
    figures = DigestWeek(session, site, now, start, end, since, until, this_week, last_week, to_date)
    for section in site.digest_sections:
        lines.extend(section(figures))
        lines.append("")
    line_quota = quota.digest_lines(quota.latest(session, now, site.tz))
    if line_quota:
        lines.extend(line_quota)
        lines.append("")
    chart_url = site.public_url(f"charts/weekly-{week}.png")
    lines.append(t("ja", "digest.chart", url=chart_url))
    return Digest(week=week, text="\n".join(lines), chart_url=chart_url)


# ---- delivery to staff spaces -----------------------------------------------------------------------------------


def staff_spaces(session: Session, site: Site) -> list[Space]:
    rows = session.exec(
        select(Space).where(Space.purpose == STAFF_PURPOSE, Space.bot_present.is_(True)).order_by(Space.id)
    )
    return [space for space in rows if space.platform in site.platforms]


def send_weekly(session: Session, site: Site, now: datetime, postbox: Postbox) -> tuple[str, int, int]:
    """Push this week's digest to every staff space that has not had it; returns (week, sent, already sent)."""
    spaces = staff_spaces(session, site)
    if not spaces:
        return week_label(last_complete_week(now.astimezone(site.tz))[0]), 0, 0
    digest = build(session, site, now)
    sent = skipped = 0
    for space in spaces:
        savepoint = session.begin_nested()
        session.add(SentDigest(week=digest.week, space_id=space.id, sent_at=as_utc(now)))
        try:
            savepoint.commit()
        except IntegrityError:
            savepoint.rollback()  # this week's digest already went to this space
            skipped += 1
            continue
        postbox.push(space.platform, space.platform_space_id, *digest.messages())
        sent += 1
    return digest.week, sent, skipped


# ---- the chart ----------------------------------------------------------------------------------------------------

CHART_SERIES = (
    ("participants", "Participants"),
    ("posts", "Posts"),
    ("event_messages", "Event messages"),
    ("referral_clicks", "Referral clicks"),
)


def chart_weeks(site: Site, session: Session, end_monday: date) -> list[tuple[str, dict[str, int]]]:
    weeks = []
    for back in range(CHART_WEEKS - 1, -1, -1):
        monday = end_monday - timedelta(days=7 * back)
        weeks.append((week_label(monday), kpi.compute(session, site, monday, monday + timedelta(days=6))))
    return weeks


def _lighter(colour: str) -> str:
    """Earlier weeks in a paler shade of the series colour (an RGB image has no transparency)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{(c + 2 * 255) // 3:02x}" for c in rgb)


def render_chart(session: Session, site: Site, week: str) -> bytes | None:
    """A PNG of the last 8 weeks' counts up to `week` (aggregates only: no names, no ids). None for a bad label."""
    from PIL import Image as PILImage, ImageDraw, ImageFont

    parsed = parse_week(week)
    if parsed is None:
        return None
    weeks = chart_weeks(site, session, parsed[0])
    series = [(name, title) for name, title in CHART_SERIES if name in weeks[0][1]]
    width, height = 1040, 1040
    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=36)
    font = ImageFont.load_default(size=22)
    small = ImageFont.load_default(size=18)
    draw.text((40, 24), f"Weekly activity, {weeks[0][0]} to {week}", fill="#222222", font=title_font)
    colours = ("#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a")
    panel_h = (height - 100) // max(1, len(series))
    for row, ((name, label), colour) in enumerate(zip(series, colours)):
        top = 90 + row * panel_h
        values = [figures[name] for _, figures in weeks]
        peak = max(values) or 1
        draw.text((40, top + 4), f"{label} (this week {values[-1]:,})", fill="#222222", font=font)
        chart_top, chart_bottom = top + 40, top + panel_h - 40
        slot = (width - 80) / len(values)
        for i, value in enumerate(values):
            x0 = 40 + i * slot + slot * 0.15
            x1 = 40 + (i + 1) * slot - slot * 0.15
            bar_top = chart_bottom - (chart_bottom - chart_top) * value / peak
            draw.rectangle((x0, bar_top, x1, chart_bottom), fill=colour if i == len(values) - 1 else _lighter(colour))
            draw.text((x0, bar_top - 20), f"{value:,}", fill="#222222", font=small)
            draw.text((x0, chart_bottom + 6), weeks[i][0][5:], fill="#555555", font=small)
        draw.line((40, chart_bottom, width - 40, chart_bottom), fill="#999999", width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
