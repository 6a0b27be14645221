"""The weekly staff digest: KPIs against the fiscal-year targets, the week's change, each feature's section (top
threads, referrals, quiet event groups, QR scans per touchpoint, in feature order), the LINE quota and a chart
image. Written for a phone screen, in Japanese. Staff groups (spaces with the staff purpose) receive it weekly.

It covers the last complete ISO week (Monday to Sunday) before `now`, so the Monday job and a `/digest` on any day
of the following week say the same. It names members only by display name (facilitators), never by platform id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from community import budget, dashboard, kpi, quota
from community.city import Site
from community.messages import Image, OutboundMessage, Place, Postbox, Text
from community.problems import Problem
from community.spaces import get_or_create_space
from community.texts import t
from storage.db import as_utc
from storage.models import Space
from storage.models.staff import SentDigest

WEEK_PATTERN = re.compile(r"(\d{4})-W(\d{2})")
STAFF_PURPOSE = "staff"


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
        return monday, monday + timedelta(days=6)
    except (ValueError, OverflowError):  # week 53 of a 52-week year; the last week of year 9999 ends past date.max
        return None


def last_complete_week(now: datetime) -> tuple[date, date]:
    return kpi.week_range(now.date() - timedelta(days=7))


def _day(d: date) -> str:
    return t("ja", "digest.day", month=d.month, day=d.day, weekday=t("ja", "weekday.short")[d.weekday()])


@dataclass
class Digest:
    week: str
    text: str
    chart_url: str

    def messages(self) -> list[OutboundMessage]:
        """The text, and the chart as an image when it has an https URL (LINE shows images only from https)."""
        out: list[OutboundMessage] = [Text(self.text)]
        if self.chart_url.startswith("https://"):
            out.append(
                Image(url=self.chart_url, preview_url=self.chart_url, alt=t("ja", "digest.chart_alt", week=self.week))
            )
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
    since, until = kpi.bounds(site.tz, start, end)
    fiscal_year = kpi.fiscal_year_of(end)
    figures = DigestWeek(
        session,
        site,
        now,
        start,
        end,
        since,
        until,
        this_week=kpi.compute(session, site, start, end),
        last_week=kpi.compute(session, site, start - timedelta(days=7), end - timedelta(days=7)),
        to_date=kpi.compute(session, site, kpi.fiscal_year_range(fiscal_year)[0], end),
    )
    lines = [
        t("ja", "digest.title", bot=site.city.bot_name),
        t("ja", "digest.week", start=_day(start), end=_day(end), week=week),
        "",
    ]
    lines += _against_targets(site, figures.to_date, site.city.targets_for(fiscal_year), fiscal_year)
    lines += _this_week(figures)
    for section in site.digest_sections:
        lines += [*section(figures), ""]
    line_quota = quota.digest_lines(quota.latest(session, now, site.tz))
    if line_quota:
        lines += [*line_quota, ""]
    chart_url = site.public_url(chart_path(session, week))
    lines.append(t("ja", "digest.chart", url=chart_url))
    return Digest(week=week, text="\n".join(lines), chart_url=chart_url)


def chart_subject(week: str) -> str:
    """What a chart link's signature signs."""
    return f"weekly-chart:{week}"


def chart_path(session: Session, week: str) -> str:
    """The weekly chart's signed address (no leading slash): the chart route answers only with the signature, so
    LINE can fetch it for the digest without a login while nobody can make the server draw weeks of their choice."""
    sig = dashboard.signature(dashboard.signing_key(session), chart_subject(week))
    return f"charts/weekly-{week}.png?sig={sig}"


def _against_targets(site: Site, to_date: dict[str, int], targets: dict[str, int], fiscal_year: int) -> list[str]:
    """The fiscal year so far against each KPI that has a target (nothing when none has), with the figure shown
    beside a KPI (all imported donations beside those through referrals)."""
    names = [name for source in site.kpis for name in source.names]
    with_target = [(name, target) for name in names if (target := kpi.target_of(targets, name))]
    if not with_target:
        return []
    beside = kpi.beside_figures(site)
    lines = [t("ja", "digest.targets", fy=fiscal_year)]
    for name, target in with_target:
        value = to_date[name]
        pct = kpi.progress(value, target)
        lines.append(f"{kpi.label(name)}: {value:,} / {target:,} ({pct:.1f}%)")
        lines.append(f"  {kpi.bar(pct)}")
        if name in beside:
            figure = beside[name]
            lines.append(t("ja", "kpi.beside_line", label=kpi.label(figure), value=f"{to_date[figure]:,}"))
    return [*lines, ""]


def _this_week(figures: DigestWeek) -> list[str]:
    """The week's weekly KPIs, each with its change from the week before."""
    lines = [t("ja", "digest.this_week")]
    for source in figures.site.kpis:
        for name in source.weekly:
            value, before = figures.this_week[name], figures.last_week[name]
            lines.append(f"{kpi.label(name)}: {value:,} ({signed(value - before)})")
    return [*lines, ""]


# ---- staff spaces: where the digest goes -------------------------------------------------------------------------


def make_staff_space(session: Session, place: Place, now: datetime, name: str | None = None) -> bool:
    """Make a group a staff group: True when it became one, False when it already was. A group that serves
    something else (an event) cannot."""
    space = get_or_create_space(session, place, now, name=name)
    if space.purpose == STAFF_PURPOSE:
        return False
    if space.purpose:
        raise Problem("staff.other_purpose", purpose=space.purpose)
    space.purpose = STAFF_PURPOSE
    session.add(space)
    return True


def stop_staff_space(session: Session, place: Place, now: datetime) -> None:
    space = get_or_create_space(session, place, now)
    if space.purpose != STAFF_PURPOSE:
        raise Problem("staff.not_staff_space")
    space.purpose = ""
    session.add(space)


def is_staff_space(session: Session, place: Place, now: datetime) -> bool:
    return get_or_create_space(session, place, now).purpose == STAFF_PURPOSE


def staff_spaces(session: Session, site: Site) -> list[Space]:
    rows = session.exec(
        select(Space).where(Space.purpose == STAFF_PURPOSE, col(Space.bot_present).is_(True)).order_by(col(Space.id))
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
        assert space.id is not None
        savepoint = session.begin_nested()
        session.add(SentDigest(week=digest.week, space_id=space.id, sent_at=as_utc(now)))
        try:
            savepoint.commit()
        except IntegrityError:
            savepoint.rollback()  # this week's digest already went to this space
            skipped += 1
            continue
        postbox.push(space.platform, space.platform_space_id, *digest.messages(), kind=budget.STAFF)
        sent += 1
    return digest.week, sent, skipped
