"""KPIs per Japanese fiscal year (年度: April to March) or per week, from what each feature contributes.

The operator contract (GET /api/kpi, `python -m bot kpi --json`, both printed by `report_json`):
{"fiscal_year": 2026, "from": "2026-04-01", "to": "2027-03-31",
 "kpis": {NAME: {"value": n, "target": t|null}}, "per_touchpoint": {ID: {"scans": n, "pushes": n}}}

Each feature declares `KpiSource`s (names and one function computing them for a period) and extra report sections
(childcare's `per_touchpoint`); a source may also compute figures shown only to people beside one of its KPIs
(`beside`: the total of imported donations next to those attributed to referrals), never in the JSON; the enabled
features' sources are on the `Site`, in the order of the feature list, which is the order of the JSON. What each KPI
counts is said where it is computed (community.board, .referrals, .events, .childcare) and in the README's operator
contract.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, select

# Re-exported: callers of the KPIs think in these periods.
from community.periods import bounds as bounds
from community.periods import fiscal_year_of as fiscal_year_of
from community.periods import fiscal_year_range as fiscal_year_range
from community.periods import week_range as week_range
from community.texts import t
from storage.db import as_utc
from storage.models import Engagement

if TYPE_CHECKING:
    from community.city import Site

# An extra report section's JSON object (childcare's per_touchpoint: {id: {"scans": n, "pushes": n}}).
SectionData = dict[str, Any]
CSV_COLUMNS = ("label", "name", "value", "target", "percent")


@dataclass(frozen=True)
class KpiSource:
    """KPIs a feature contributes: their names (in report order) and one function computing them all for a period
    [since, until). A cumulative KPI ignores since."""

    names: tuple[str, ...]
    compute: Callable[[Session, Site, datetime, datetime], Mapping[str, int]]
    weekly: tuple[str, ...] = ()  # shown in the digest's "this week" lines (running totals and money are not)
    # (KPI name, figure name): a figure compute also returns, shown beside that KPI in the terminal table, the CSV,
    # the digest and the dashboard; it is not a KPI (no target) and not in the JSON (the operator contract).
    beside: tuple[tuple[str, str], ...] = ()
    # (KPI name, part, whole): a KPI that is part's share of whole in whole percent (rounded down); a region
    # recomputes it from the summed part and whole instead of adding percentages.
    shares: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class ReportSection:
    """An extra part of the KPI report (childcare's per_touchpoint): its JSON, its rows in the CSV and its lines in
    the terminal table."""

    name: str
    compute: Callable[[Session, Site, datetime, datetime], SectionData]
    rows: Callable[[SectionData, Site], list[list[str]]]
    lines: Callable[[SectionData, Site], list[str]]


@dataclass(frozen=True)
class Figure:
    """One KPI of a report: its value and the fiscal year's target (None when the city set none)."""

    value: int
    target: int | None

    @property
    def percent(self) -> float | None:
        return progress(self.value, self.target)


@dataclass(frozen=True)
class Report:
    """The KPIs of one fiscal year, and each enabled feature's extra section."""

    fiscal_year: int
    start: date
    end: date
    kpis: dict[str, Figure]
    sections: dict[str, SectionData]
    beside: dict[str, tuple[str, int]] = field(default_factory=dict)  # KPI name -> (figure name, value); not JSON

    def as_json(self) -> dict[str, Any]:
        """The operator contract: keys in this order, the sections after the KPIs in feature order."""
        data: dict[str, Any] = {
            "fiscal_year": self.fiscal_year,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "kpis": {name: {"value": kpi.value, "target": kpi.target} for name, kpi in self.kpis.items()},
        }
        data.update(self.sections)
        return data


def label(name: str, lang: str = "ja") -> str:
    return t(lang, f"kpi.{name}")


def count_kind(session: Session, kind: str, since: datetime | None, until: datetime, detail: str | None = None) -> int:
    """Rows of one kind in the engagement log in [since, until) (since None: from the beginning)."""
    stmt = select(func.count()).select_from(Engagement).where(Engagement.kind == kind, Engagement.at < as_utc(until))
    if since is not None:
        stmt = stmt.where(Engagement.at >= as_utc(since))
    if detail is not None:
        stmt = stmt.where(Engagement.detail == detail)
    return int(session.exec(stmt).one())


def compute(session: Session, site: Site, start: date, end: date) -> dict[str, int]:
    """Every KPI value for start..end (inclusive dates, city time), in report order, then the figures shown beside
    them (KpiSource.beside)."""
    since, until = bounds(site.tz, start, end)
    values: dict[str, int] = {}
    extras: dict[str, int] = {}
    for source in site.kpis:
        found = source.compute(session, site, since, until)
        values.update((name, int(found[name])) for name in source.names)
        extras.update((figure, int(found[figure])) for _, figure in source.beside)
    return values | extras


def beside_figures(site: Site) -> dict[str, str]:
    """KPI name -> the name of the figure shown beside it."""
    return {name: figure for source in site.kpis for name, figure in source.beside}


def target_of(targets: Mapping[str, int], name: str) -> int | None:
    return targets.get(name)


def report(session: Session, site: Site, fiscal_year: int) -> Report:
    """The KPIs of one fiscal year against its targets, with every report section."""
    start, end = fiscal_year_range(fiscal_year)
    values = compute(session, site, start, end)
    targets = site.city.targets_for(fiscal_year)
    since, until = bounds(site.tz, start, end)
    names = [name for source in site.kpis for name in source.names]
    return Report(
        fiscal_year=fiscal_year,
        start=start,
        end=end,
        kpis={name: Figure(values[name], target_of(targets, name)) for name in names},
        sections={section.name: section.compute(session, site, since, until) for section in site.report_sections},
        beside={name: (figure, values[figure]) for name, figure in beside_figures(site).items()},
    )


def report_json(report: Report) -> str:
    """The one serialisation both the API and `python -m bot kpi --json` print (an operator contract)."""
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


def current_fiscal_year(site: Site, now: datetime | None = None) -> int:
    now = now or datetime.now(site.tz)
    return fiscal_year_of(now.astimezone(site.tz))


def fiscal_years_with_data(session: Session, site: Site, now: datetime | None = None) -> range:
    """From the fiscal year of the first thing recorded (engagement, donations) to this one; empty without data."""
    first = first_record(session)
    if first is None:
        return range(0)
    return range(fiscal_year_of(first.astimezone(site.tz)), current_fiscal_year(site, now) + 1)


def first_record(session: Session) -> datetime | None:
    """When the first thing was recorded in the engagement log (joins, posts, scans, clicks, donations)."""
    first = session.exec(select(func.min(Engagement.at))).one()
    return as_utc(first) if first is not None else None


def progress(value: int, target: int | None) -> float | None:
    """Percent of target reached (None without a target)."""
    if not target:
        return None
    return 100.0 * value / target


# ---- the report for people: a terminal table and a CSV (Japanese) ------------------------------------------------


def table_text(report: Report, site: Site) -> str:
    """A readable table of a report, for the terminal (Japanese)."""
    lines = [
        t(
            "ja",
            "kpi.table_header",
            city=site.city.name,
            fy=report.fiscal_year,
            start=report.start.isoformat(),
            end=report.end.isoformat(),
        ),
        "",
        *kpi_lines(report),
    ]
    for section in site.report_sections:
        lines += ["", *section.lines(report.sections[section.name], site)]
    return "\n".join(lines)


def kpi_lines(report: Report) -> list[str]:
    """The table's KPI lines: value, target, progress and bar, and the figure shown beside a KPI."""
    lines = []
    width = max((_display_width(label(name)) for name in report.kpis), default=0)
    for name, kpi in report.kpis.items():
        pad = " " * (width - _display_width(label(name)))
        pct = kpi.percent
        if pct is not None:
            lines.append(f"{label(name)}{pad}  {kpi.value:>12,} / {kpi.target:>12,}  {pct:5.1f}%  {bar(pct)}")
        else:
            lines.append(f"{label(name)}{pad}  {kpi.value:>12,}")
        if name in report.beside:
            figure, value = report.beside[name]
            lines.append(t("ja", "kpi.beside_line", label=label(figure), value=f"{value:,}"))
    return lines


def bar(percent: float | None, width: int = 10) -> str:
    if percent is None:
        return ""
    filled = max(0, min(width, round(percent / 100 * width)))
    return t("ja", "kpi.bar_full") * filled + t("ja", "kpi.bar_empty") * (width - filled)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def csv_rows(report: Report, site: Site) -> list[list[str]]:
    """The report as CSV rows (Japanese headers), KPIs then each extra section."""
    period = t("ja", "kpi.csv_period", start=report.start.isoformat(), end=report.end.isoformat())
    rows = [
        [t("ja", "kpi.csv_year", fy=report.fiscal_year), period, "", "", ""],
        csv_header(),
        *kpi_rows(report),
    ]
    for section in site.report_sections:
        rows.append([])
        rows.extend(padded(section.rows(report.sections[section.name], site)))
    return rows


def csv_header() -> list[str]:
    return [t("ja", f"kpi.csv_header.{column}") for column in CSV_COLUMNS]


def kpi_rows(report: Report) -> list[list[str]]:
    """One CSV row per KPI (label, name, value, target, percent), and one for the figure shown beside a KPI."""
    rows = []
    for name, kpi in report.kpis.items():
        pct = kpi.percent
        rows.append(
            [
                label(name),
                name,
                str(kpi.value),
                "" if kpi.target is None else str(kpi.target),
                "" if pct is None else f"{pct:.1f}",
            ]
        )
        if name in report.beside:
            figure, value = report.beside[name]
            rows.append([label(figure), figure, str(value), "", ""])
    return rows


def padded(rows: list[list[str]]) -> list[list[str]]:
    """A section's rows, as wide as the KPI rows."""
    return [row + [""] * (len(CSV_COLUMNS) - len(row)) for row in rows]


def csv_bytes(report: Report, site: Site) -> bytes:
    return encode_csv(csv_rows(report, site))


def encode_csv(rows: list[list[str]]) -> bytes:
    """The CSV file: UTF-8 with a BOM (otherwise Excel guesses Shift_JIS and the Japanese headers break), CRLF."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
