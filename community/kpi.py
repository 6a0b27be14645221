"""KPIs from the engagement log, per Japanese fiscal year (年度: April to March) or per week.

The operator contract (GET /api/kpi, `python -m bot kpi --json`):
{"fiscal_year": 2026, "from": "2026-04-01", "to": "2027-03-31",
 "kpis": {NAME: {"value": n, "target": t|null}}, "per_touchpoint": {ID: {"scans": n, "pushes": n}}}

What each KPI counts (period = from..to inclusive, in the city's time zone):
- participants / participants_total: members who joined the community in the period / ever, up to its end
  (Kashima's definition; community.board is the one place that defines it)
- posts / posts_cumulative: visible board posts in the period / up to its end (posts staff hid as spam do not count)
- donations_yen / donations_count: imported donations attributed to the community (a code or keyword)
- referral_clicks / referral_clicks_unattributed: clicks on /r/ links / those with no known code
- event_spaces / event_spaces_with_active_facilitator: from community.events.event_space_figures
- event_messages, childcare_optins: log rows of those kinds
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from community import board, childcare, events
from community.periods import bounds, fiscal_year_of, fiscal_year_range, week_range  # noqa: F401 (re-exported)
from storage.db import as_utc
from storage.models import Engagement

log = logging.getLogger(__name__)

KPI_NAMES = (
    "participants", "participants_total", "posts", "posts_cumulative", "donations_yen", "donations_count",
    "referral_clicks", "referral_clicks_unattributed", "event_spaces", "event_spaces_with_active_facilitator",
    "event_messages", "childcare_optins",
)

LABELS = {  # Japanese names for tables, the digest and the CSV
    "participants": "参加者数",
    "participants_total": "参加者数(累計)",
    "posts": "投稿数",
    "posts_cumulative": "投稿数(累計)",
    "donations_yen": "ふるさと納税額(円)",
    "donations_count": "ふるさと納税件数",
    "referral_clicks": "紹介リンクのクリック",
    "referral_clicks_unattributed": "うちコード不明",
    "event_spaces": "イベントグループ数",
    "event_spaces_with_active_facilitator": "世話人が活動中のグループ",
    "event_messages": "イベントグループの発言",
    "childcare_optins": "子育てアプリ案内の登録",
}


def _count(session: Session, kind: str, since: datetime | None, until: datetime, detail: str | None = None) -> int:
    stmt = select(func.count()).select_from(Engagement).where(Engagement.kind == kind, Engagement.at < until)
    if since is not None:
        stmt = stmt.where(Engagement.at >= since)
    if detail is not None:
        stmt = stmt.where(Engagement.detail == detail)
    return int(session.exec(stmt).one())


def _donations(session: Session, since: datetime, until: datetime) -> tuple[int, int]:
    stmt = select(func.count(), func.coalesce(func.sum(Engagement.amount), 0)).where(
        Engagement.kind == "donation", Engagement.detail != "unattributed",
        Engagement.at >= since, Engagement.at < until,
    )
    count, total = session.exec(stmt).one()
    return int(count), int(total)


def touchpoint_counts(session: Session, settings: Any, since: datetime, until: datetime) -> dict[str, dict[str, int]]:
    """Every configured touchpoint, zeros included, in the city config's order."""
    figures = childcare.touchpoint_figures(session, settings.city, since, until)
    result = {}
    for touchpoint in settings.city.touchpoints:
        found = figures.get(touchpoint.id, {})
        result[touchpoint.id] = {"scans": int(found.get("scans", 0)), "pushes": int(found.get("pushes", 0))}
    return result


def compute(session: Session, settings: Any, start: date, end: date) -> dict[str, int]:
    """Every KPI value for start..end (inclusive dates, city time)."""
    since, until = bounds(settings.tz, start, end)
    values = {
        "participants": board.participant_count(session, since, until),
        "participants_total": board.participant_count(session, None, until),
        "posts": board.post_count(session, since, until),
        "posts_cumulative": board.post_count(session, None, until),
        "referral_clicks": _count(session, "referral_click", since, until),
        "referral_clicks_unattributed": _count(session, "referral_click", since, until, detail="unattributed"),
        "event_messages": _count(session, "event_message", since, until),
        "childcare_optins": _count(session, "childcare_optin", since, until),
    }
    values["donations_count"], values["donations_yen"] = _donations(session, since, until)
    spaces = events.event_space_figures(session, since, until)
    values["event_spaces"] = int(spaces.get("event_spaces", 0))
    values["event_spaces_with_active_facilitator"] = int(spaces.get("event_spaces_with_active_facilitator", 0))
    return {name: values[name] for name in KPI_NAMES}


def target_of(targets: Any, name: str) -> int | None:
    value = targets.get(name)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def report(session: Session, settings: Any, fiscal_year: int) -> dict[str, Any]:
    """The operator contract JSON for one fiscal year."""
    start, end = fiscal_year_range(fiscal_year)
    values = compute(session, settings, start, end)
    targets = settings.city.targets(fiscal_year)
    since, until = bounds(settings.tz, start, end)
    return {
        "fiscal_year": fiscal_year,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "kpis": {name: {"value": values[name], "target": target_of(targets, name)} for name in KPI_NAMES},
        "per_touchpoint": touchpoint_counts(session, settings, since, until),
    }


def current_fiscal_year(settings: Any, now: datetime | None = None) -> int:
    now = now or datetime.now(settings.tz)
    return fiscal_year_of(now.astimezone(settings.tz))


def progress(value: int, target: int | None) -> float | None:
    """Percent of target reached (None without a target)."""
    if not target:
        return None
    return 100.0 * value / target


def table_text(data: dict[str, Any], settings: Any) -> str:
    """A readable Japanese table of a report, for the terminal."""
    lines = [f"{settings.city.name} KPI {data['fiscal_year']}年度 ({data['from']}〜{data['to']})", ""]
    width = max(_display_width(LABELS[n]) for n in KPI_NAMES)
    for name in KPI_NAMES:
        kpi = data["kpis"][name]
        label = LABELS[name]
        pad = " " * (width - _display_width(label))
        target = kpi["target"]
        if target:
            pct = progress(kpi["value"], target)
            lines.append(f"{label}{pad}  {kpi['value']:>12,} / {target:>12,}  {pct:5.1f}%  {bar(pct)}")
        else:
            lines.append(f"{label}{pad}  {kpi['value']:>12,}")
    lines += ["", "接点ごとのQR (読み取り / 案内送信)"]
    names = {t.id: t.name for t in settings.city.touchpoints}
    for touchpoint_id, figures in data["per_touchpoint"].items():
        lines.append(f"  {names.get(touchpoint_id, touchpoint_id)} ({touchpoint_id}): {figures['scans']:,} / {figures['pushes']:,}")
    return "\n".join(lines)


def bar(percent: float | None, width: int = 10) -> str:
    if percent is None:
        return ""
    filled = max(0, min(width, round(percent / 100 * width)))
    return "■" * filled + "□" * (width - filled)


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


CSV_HEADER = ("指標", "指標名", "実績", "目標", "達成率(%)")


def csv_rows(data: dict[str, Any], settings: Any) -> list[list[str]]:
    """The report as CSV rows (Japanese headers), KPIs then touchpoints."""
    rows = [[f"{data['fiscal_year']}年度", f"{data['from']}〜{data['to']}", "", "", ""], list(CSV_HEADER)]
    for name in KPI_NAMES:
        kpi = data["kpis"][name]
        pct = progress(kpi["value"], kpi["target"])
        rows.append([LABELS[name], name, str(kpi["value"]), "" if kpi["target"] is None else str(kpi["target"]),
                     "" if pct is None else f"{pct:.1f}"])
    rows.append([])
    rows.append(["接点", "接点ID", "QR読み取り", "案内送信", ""])
    names = {t.id: t.name for t in settings.city.touchpoints}
    for touchpoint_id, figures in data["per_touchpoint"].items():
        rows.append([names.get(touchpoint_id, touchpoint_id), touchpoint_id, str(figures["scans"]),
                     str(figures["pushes"]), ""])
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
