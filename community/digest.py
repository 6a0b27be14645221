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

from community import board, events, kpi, quota
from community.messages import Image, OutboundMessage, Postbox, Text
from storage.db import as_utc
from storage.models import Space
from storage.models.staff import SentDigest

WEEK_PATTERN = re.compile(r"(\d{4})-W(\d{2})")
WEEKDAYS = "月火水木金土日"
STAFF_PURPOSE = "staff"
CHART_WEEKS = 8
DONATION_KPIS = ("donations_yen", "donations_count", "referral_clicks", "referral_clicks_unattributed")


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
    return f"{d.month}/{d.day}({WEEKDAYS[d.weekday()]})"


def _signed(n: int) -> str:
    return f"+{n:,}" if n > 0 else f"{n:,}" if n < 0 else "±0"


@dataclass
class Digest:
    week: str
    text: str
    chart_url: str

    def messages(self) -> list[OutboundMessage]:
        """The text, and the chart as an image when it has an https URL (LINE shows images only from https)."""
        out: list[OutboundMessage] = [Text(self.text)]
        if self.chart_url.startswith("https://"):
            out.append(Image(url=self.chart_url, preview_url=self.chart_url, alt=f"週間グラフ {self.week}"))
        return out


def quiet_event_spaces(session: Session, settings: Any, now: datetime) -> list[events.QuietSpace]:
    days = int(settings.city.section("events").get("quiet_days", events.DEFAULT_QUIET_DAYS))
    return events.quiet_spaces(session, now, days)


def build(session: Session, settings: Any, now: datetime) -> Digest:
    now = now.astimezone(settings.tz)
    start, end = last_complete_week(now)
    week = week_label(start)
    this_week = kpi.compute(session, settings, start, end)
    last_week = kpi.compute(session, settings, start - timedelta(days=7), end - timedelta(days=7))
    fiscal_year = kpi.fiscal_year_of(end)
    fy_start, _ = kpi.fiscal_year_range(fiscal_year)
    to_date = kpi.compute(session, settings, fy_start, end)
    targets = settings.city.targets(fiscal_year)
    labels = kpi.LABELS

    lines = [f"📊 {settings.city.bot_name} 週間レポート", f"{_day(start)}〜{_day(end)} ({week})", ""]
    with_target = [n for n in kpi.KPI_NAMES if kpi.target_of(targets, n)]
    if with_target:
        lines.append(f"■ {fiscal_year}年度の目標に対して")
        for name in with_target:
            target = kpi.target_of(targets, name)
            value = to_date[name]
            pct = kpi.progress(value, target)
            lines.append(f"{labels[name]}: {value:,} / {target:,} ({pct:.1f}%)")
            lines.append(f"  {kpi.bar(pct)}")
        lines.append("")
    lines.append("■ 今週の数字 (前週比)")
    for name in kpi.KPI_NAMES:
        if name in ("participants_total", "posts_cumulative") or name in DONATION_KPIS:
            continue  # running totals are shown against their targets; donations have their own section
        lines.append(f"{labels[name]}: {this_week[name]:,} ({_signed(this_week[name] - last_week[name])})")
    lines.append("")

    quiet = quiet_event_spaces(session, settings, now)
    lines.append("■ 静かなイベントグループ")
    if quiet:
        for space in quiet[:10]:
            who = "、".join(space.facilitators) if space.facilitators else "なし"
            lines.append(f"・{space.event_title} ({space.quiet_days}日発言なし / 世話人: {who})")
        if len(quiet) > 10:
            lines.append(f"  ほか{len(quiet) - 10}件")
    else:
        lines.append("なし")
    lines.append("")

    since, until = kpi.bounds(settings.tz, start, end)
    lines.append("■ よく話されたスレッド")
    top = board.top_threads(session, since, until)
    lines.extend(f"・[{category}] {title} ({count}件)" for category, title, count in top)
    if not top:
        lines.append("今週はありません")
    lines.append("")

    touchpoints = kpi.touchpoint_counts(session, settings, since, until)
    names = {t.id: t.name for t in settings.city.touchpoints}
    lines.append("■ QR読み取り (接点別: 読み取り / 案内)")
    active = [(tid, f) for tid, f in touchpoints.items() if f["scans"] or f["pushes"]]
    for touchpoint_id, figures in active:
        lines.append(f"・{names.get(touchpoint_id, touchpoint_id)}: {figures['scans']:,} / {figures['pushes']:,}")
    if not active:
        lines.append("今週はありません")
    lines.append("")
    lines.append("■ ふるさと納税")
    clicks, yen = this_week["referral_clicks"], this_week["donations_yen"]
    lines.append(f"紹介リンクのクリック: {clicks:,} (前週比 {_signed(clicks - last_week['referral_clicks'])}, "
                 f"うちコード不明 {this_week['referral_clicks_unattributed']:,})")
    lines.append(f"紹介経由の寄附: {this_week['donations_count']:,}件 {yen:,}円 "
                 f"(前週比 {_signed(yen - last_week['donations_yen'])}円)")
    line_quota = quota.digest_lines(quota.latest(session, now, settings.tz))
    if line_quota:
        lines.append("")
        lines.extend(line_quota)
    chart_url = settings.public_url(f"charts/weekly-{week}.png")
    lines.append("")
    lines.append(f"📈 グラフ: {chart_url}")
    return Digest(week=week, text="\n".join(lines), chart_url=chart_url)


# ---- delivery to staff spaces -----------------------------------------------------------------------------------


def enabled_platforms(settings: Any) -> set[str]:
    platforms = {"console"}
    if settings.line_enabled:
        platforms.add("line")
    if settings.discord_enabled:
        platforms.add("discord")
    return platforms


def staff_spaces(session: Session, settings: Any) -> list[Space]:
    rows = session.exec(
        select(Space).where(Space.purpose == STAFF_PURPOSE, Space.bot_present.is_(True)).order_by(Space.id)
    )
    platforms = enabled_platforms(settings)
    return [space for space in rows if space.platform in platforms]


def send_weekly(session: Session, settings: Any, now: datetime, postbox: Postbox) -> tuple[str, int, int]:
    """Push this week's digest to every staff space that has not had it; returns (week, sent, already sent)."""
    spaces = staff_spaces(session, settings)
    if not spaces:
        return week_label(last_complete_week(now.astimezone(settings.tz))[0]), 0, 0
    digest = build(session, settings, now)
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


def chart_weeks(settings: Any, session: Session, end_monday: date) -> list[tuple[str, dict[str, int]]]:
    weeks = []
    for back in range(CHART_WEEKS - 1, -1, -1):
        monday = end_monday - timedelta(days=7 * back)
        weeks.append((week_label(monday), kpi.compute(session, settings, monday, monday + timedelta(days=6))))
    return weeks


def _lighter(colour: str) -> str:
    """Earlier weeks in a paler shade of the series colour (an RGB image has no transparency)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{(c + 2 * 255) // 3:02x}" for c in rgb)


def render_chart(session: Session, settings: Any, week: str) -> bytes | None:
    """A PNG of the last 8 weeks' counts up to `week` (aggregates only: no names, no ids). None for a bad label."""
    from PIL import Image as PILImage, ImageDraw, ImageFont

    parsed = parse_week(week)
    if parsed is None:
        return None
    weeks = chart_weeks(settings, session, parsed[0])
    width, height = 1040, 1040
    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=36)
    font = ImageFont.load_default(size=22)
    small = ImageFont.load_default(size=18)
    draw.text((40, 24), f"Weekly activity, {weeks[0][0]} to {week}", fill="#222222", font=title_font)
    colours = ("#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a")
    panel_h = (height - 100) // len(CHART_SERIES)
    for row, ((name, label), colour) in enumerate(zip(CHART_SERIES, colours)):
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
