"""KPIs per Japanese fiscal year (年度: April to March) or per week, from what each feature contributes.

The operator contract (GET /api/kpi, `python -m bot kpi --json`):
{"fiscal_year": 2026, "from": "2026-04-01", "to": "2027-03-31",
 "kpis": {NAME: {"value": n, "target": t|null}}, "per_touchpoint": {ID: {"scans": n, "pushes": n}}}

Each feature declares `KpiSource`s (names and one function computing them for a period) and extra report sections
(childcare's `per_touchpoint`); the enabled features' sources are on the `Site`, in the order of the feature list,
which is the order of the JSON. What each KPI counts is said where it is computed (community.board, .referrals,
.events, .childcare) and in the README's operator contract.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable, Mapping

from sqlalchemy import func
from sqlmodel import Session, select

from community.periods import bounds, fiscal_year_of, fiscal_year_range, week_range  # noqa: F401 (re-exported)
from community.texts import t
from storage.db import as_utc
from storage.models import Engagement

if TYPE_CHECKING:
    from community.city import Site

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KpiSource:
    """KPIs a feature contributes: their names (in report order) and one function computing them all for a period
    [since, until). A cumulative KPI ignores since."""

    names: tuple[str, ...]
    compute: Callable[[Session, "Site", datetime, datetime], Mapping[str, int]]
    weekly: tuple[str, ...] = ()  # shown in the digest's "this week" lines (running totals and money are not)


@dataclass(frozen=True)
class ReportSection:
    """An extra part of the KPI report (childcare's per_touchpoint): its JSON, its rows in the CSV and its lines in
    the terminal table."""

    name: str
    compute: Callable[[Session, "Site", datetime, datetime], dict[str, Any]]
    rows: Callable[[dict[str, Any], "Site"], list[list[str]]]
    lines: Callable[[dict[str, Any], "Site"], list[str]]


def kpi_names(site: Site) -> tuple[str, ...]:
    return tuple(name for source in site.kpis for name in source.names)


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
    """Every KPI value for start..end (inclusive dates, city time), in report order."""
    since, until = bounds(site.tz, start, end)
    values: dict[str, int] = {}
    for source in site.kpis:
        found = source.compute(session, site, since, until)
        values.update((name, int(found[name])) for name in source.names)
    return values


def target_of(targets: Mapping[str, Any], name: str) -> int | None:
    value = targets.get(name)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def report(session: Session, site: Site, fiscal_year: int) -> dict[str, Any]:
    """The operator contract JSON for one fiscal year."""
    start, end = fiscal_year_range(fiscal_year)
    values = compute(session, site, start, end)
    targets = site.city.targets_for(fiscal_year)
    since, until = bounds(site.tz, start, end)
    data: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "kpis": {name: {"value": value, "target": target_of(targets, name)} for name, value in values.items()},
    }
    for section in site.report_sections:
        data[section.name] = section.compute(session, site, since, until)
    return data


def current_fiscal_year(site: Site, now: datetime | None = None) -> int:
    now = now or datetime.now(site.tz)
    return fiscal_year_of(now.astimezone(site.tz))


def progress(value: int, target: int | None) -> float | None:
    """Percent of target reached (None without a target)."""
    if not target:
        return None
    return 100.0 * value / target


def table_text(data: dict[str, Any], site: Site) -> str:
    """A readable table of a report, for the terminal (Japanese)."""
    lines = [t("ja", "kpi.table_header", city=site.city.name, fy=data["fiscal_year"], start=data["from"],
               end=data["to"]), ""]
    names = list(data["kpis"])
    width = max((_display_width(label(n)) for n in names), default=0)
    for name in names:
        kpi = data["kpis"][name]
        pad = " " * (width - _display_width(label(name)))
        target = kpi["target"]
        if target:
            pct = progress(kpi["value"], target)
            lines.append(f"{label(name)}{pad}  {kpi['value']:>12,} / {target:>12,}  {pct:5.1f}%  {bar(pct)}")
        else:
            lines.append(f"{label(name)}{pad}  {kpi['value']:>12,}")
    for section in site.report_sections:
        lines += ["", *section.lines(data[section.name], site)]
    return "\n".join(lines)


def bar(percent: float | None, width: int = 10) -> str:
    if percent is None:
        return ""
    filled = max(0, min(width, round(percent / 100 * width)))
    return t("ja", "kpi.bar_full") * filled + t("ja", "kpi.bar_empty") * (width - filled)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def csv_rows(data: dict[str, Any], site: Site) -> list[list[str]]:
    """The report as CSV rows (Japanese headers), KPIs then each extra section."""
    rows = [[t("ja", "kpi.csv_year", fy=data["fiscal_year"]), f"{data['from']}\u301c{data['to']}", "", "", ""],
            [t("ja", f"kpi.csv_header.{column}") for column in ("label", "name", "value", "target", "percent")]]
    for name, kpi in data["kpis"].items():
        pct = progress(kpi["value"], kpi["target"])
        rows.append([label(name), name, str(kpi["value"]), "" if kpi["target"] is None else str(kpi["target"]),
                     "" if pct is None else f"{pct:.1f}"])
    for section in site.report_sections:
        rows.append([])
        rows.extend(row + [""] * (5 - len(row)) for row in section.rows(data[section.name], site))
    return rows


# ---- dashboard access: /dashboard sends a one-time link, which is exchanged for a session cookie ---------------

DASHBOARD_LINK_MINUTES = 15
DASHBOARD_SESSION_HOURS = 8


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_dashboard_login(session: Session, member_id: int, now: datetime, purpose: str = "link") -> str:
    """A fresh token (one-time link or session); only its hash is stored."""
    import secrets

    from storage.models.staff import DashboardLogin

    lifetime = timedelta(minutes=DASHBOARD_LINK_MINUTES) if purpose == "link" else timedelta(hours=DASHBOARD_SESSION_HOURS)
    token = secrets.token_urlsafe(24)
    session.add(DashboardLogin(token_hash=_token_hash(token), member_id=member_id, purpose=purpose,
                               created_at=as_utc(now), expires_at=as_utc(now + lifetime)))
    session.flush()
    return token


def check_dashboard_token(session: Session, token: str | None, now: datetime, purpose: str) -> int | None:
    """The staff member's id for a valid token, else None. A link works once; a session until it expires."""
    from community.members import STAFF, has_role
    from storage.models.staff import DashboardLogin

    if not token or len(token) > 64:
        return None
    login = session.exec(select(DashboardLogin).where(DashboardLogin.token_hash == _token_hash(token),
                                                      DashboardLogin.purpose == purpose)).first()
    now = as_utc(now)
    if login is None or login.used_at is not None or login.expires_at <= now:
        return None
    if purpose == "link":
        login.used_at = now
        session.add(login)
    # Someone who lost the staff role loses the dashboard too.
    return login.member_id if has_role(session, login.member_id, STAFF) else None
