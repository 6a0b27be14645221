"""What the staff dashboard shows, ready for its template (handlers/kpi/templates/dashboard.html): the fiscal year's
KPIs as progress bars, QR scans per touchpoint, the weekly chart (by its signed address), events with their
facilitators, and the newest entries of the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from community import audit, charts, digest, events, kpi
from community.city import Site

AUDIT_LINES = 20  # the newest entries; /audit in a 1:1 chat pages through the rest


@dataclass(frozen=True)
class KpiLine:
    label: str
    value: str
    target: str  # "" without a target (then there is no bar either)
    percent: str  # "12.3"
    bar_now: str  # aria-valuenow: "12"
    bar_width: str  # CSS width in percent, at most 100: "12.3"
    beside: str = ""  # a figure shown with it: "取り込んだ寄附の総額(円): 63,000"


@dataclass(frozen=True)
class TouchpointLine:
    name: str
    scans: str
    pushes: str


@dataclass(frozen=True)
class EventLine:
    title: str
    closed: bool
    when: str
    spaces: tuple[str, ...]  # group or channel names (the platform's name for an unnamed one)
    detached: bool  # the bot left one of its groups
    facilitators: tuple[str, ...]
    messages: str  # this week's, across its groups
    registered: str = "0"  # places taken, "/ capacity" when it has one
    waiting: str = "0"
    attended: str = "0"  # check-ins at the venue


@dataclass(frozen=True)
class DashboardView:
    city: str
    fiscal_year: int
    start: str
    end: str
    kpis: tuple[KpiLine, ...]
    touchpoints: tuple[TouchpointLine, ...]
    chart_week: str  # the last complete week, whose chart is shown
    chart_src: str  # its signed address; "" while there is no data to chart
    events: tuple[EventLine, ...]
    audit: tuple[audit.ShownLine, ...]  # newest first


def dashboard_view(session: Session, site: Site, fiscal_year: int, now: datetime) -> DashboardView:
    report = kpi.report(session, site, fiscal_year)
    since, until = kpi.bounds(site.tz, report.start, report.end)
    chart_monday, chart_sunday = digest.last_complete_week(now)
    chart_week = digest.week_label(chart_monday)
    return DashboardView(
        city=site.city.name,
        fiscal_year=report.fiscal_year,
        start=report.start.isoformat(),
        end=report.end.isoformat(),
        kpis=tuple(_kpi_line(name, figure, report.beside.get(name)) for name, figure in report.kpis.items()),
        touchpoints=_touchpoint_lines(report, site),
        chart_week=chart_week,
        chart_src="/" + digest.chart_path(session, chart_week) if charts.has_data(session, site, chart_sunday) else "",
        events=tuple(_event_line(row, site) for row in events.overview(session, now, since, until)),
        audit=tuple(audit.shown(line, "ja", site.tz) for line in audit.recent(session, AUDIT_LINES)),
    )


def _kpi_line(name: str, figure: kpi.Figure, beside: tuple[str, int] | None) -> KpiLine:
    pct = figure.percent
    extra = kpi.label(beside[0]) + f": {beside[1]:,}" if beside is not None else ""
    if pct is None or figure.target is None:
        return KpiLine(kpi.label(name), f"{figure.value:,}", "", "", "", "", extra)
    return KpiLine(
        kpi.label(name),
        f"{figure.value:,}",
        f"{figure.target:,}",
        f"{pct:.1f}",
        f"{pct:.0f}",
        f"{min(pct, 100):.1f}",
        extra,
    )


def _touchpoint_lines(report: kpi.Report, site: Site) -> tuple[TouchpointLine, ...]:
    """Childcare's per_touchpoint section, when that feature is on, with the touchpoints' names."""
    names = {tp.id: tp.name for tp in site.city.touchpoints}
    figures = report.sections.get("per_touchpoint", {})
    return tuple(
        TouchpointLine(names.get(touchpoint_id, touchpoint_id), f"{found['scans']:,}", f"{found['pushes']:,}")
        for touchpoint_id, found in figures.items()
        if isinstance(found, Mapping)
    )


def _event_line(row: events.EventOverview, site: Site) -> EventLine:
    return EventLine(
        title=row.title,
        closed=row.closed,
        when=events.format_when(row.starts_at, site.tz),
        spaces=tuple(space.name or space.platform for space in row.spaces),
        detached=any(space.detached_at for space in row.spaces),
        facilitators=row.facilitators,
        messages=f"{sum(space.messages_this_week for space in row.spaces):,}",
        registered=f"{row.registered:,}" + (f" / {row.capacity:,}" if row.capacity is not None else ""),
        waiting=f"{row.waiting:,}",
        attended=f"{row.attended:,}",
    )
