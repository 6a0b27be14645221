"""The childcare app (おみたま子育て) at every touchpoint: tracked QR codes, checkup notices for parents who opted in,
the 子育て広場 survey, and the figures staff (and the KPI digest) read.

Nothing here knows LINE or Discord. Personal data kept: a child's date and the parent's member id (deleted on
opt-out); survey answers lose their member link when the survey ends.
"""
from __future__ import annotations

import calendar
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Iterable

import segno
from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from community import engagement, members
from community.city import CityConfig, Site, Touchpoint
from community.digest import DigestWeek
from community.kpi import KpiSource, ReportSection, count_kind
from community.messages import Action, Postbox, QrCard, Text
from community.periods import bounds, fiscal_year_of, fiscal_year_range
from community.texts import t
from storage.db import as_utc
from storage.models import Engagement, Member
from storage.models.childcare import ChildcareChild, ChildcareNotice, HirobaSurvey

SCAN = "qr_scan"
PUSH = "qr_push"
OPTIN = "childcare_optin"
DEVICES = ("ios", "android", "other")
AGAIN_CHOICES = ("yes", "maybe", "no")
DEFAULT_NOTICE_DAYS = 14
MAX_CHILDREN = 10
MAX_COMMENT_CHARS = 500
SURVEY_OPEN_FOR = timedelta(days=1)  # an unfinished survey older than this no longer takes answers
PRINT_MIN_PX = 1000


# ---- touchpoints and the app -----------------------------------------------------------------------------------


def space_of(touchpoint_id: str) -> str:
    return f"touchpoint:{touchpoint_id}"


def checkups(city) -> list:
    return [tp for tp in city.touchpoints if tp.kind == "checkup"]


def age_label(months: int) -> str:
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}歳{rest}か月"
    return f"{years}歳" if years else f"{rest}か月"


def device_family(user_agent: str | None) -> str:
    """ios / android / other, from the User-Agent only (nothing else about the visitor is kept)."""
    ua = (user_agent or "").lower()
    if any(word in ua for word in ("iphone", "ipad", "ipod")):
        return "ios"
    if "android" in ua:
        return "android"
    return "other"


def app_url(city: CityConfig, device: str) -> str:
    """The configured store or web page for a device; only ever one of the [app] URLs."""
    app = city.app
    url = {"ios": app.ios_url, "android": app.android_url}.get(device) or app.web_url
    if not url:
        raise LookupError("[app] web_url is not configured")
    return str(url)


def tracked_url(site: Site, touchpoint_id: str) -> str:
    return site.public_url(f"/go/{touchpoint_id}")


def qr_card(site: Site, touchpoint: Touchpoint) -> QrCard:
    app = site.city.app
    return QrCard(
        title=t("ja", "childcare.card_title", app=app.name or t("ja", "childcare.app_fallback"), name=touchpoint.name),
        image_url=site.public_url(f"/qr/{touchpoint.id}.png"),
        url=tracked_url(site, touchpoint.id),
        note=app.why,
    )


def _qr(url: str) -> segno.QRCode:
    # A full QR code (never Micro QR), medium error correction: survives a little wear on printed paper.
    return segno.make_qr(url, error="m")


@lru_cache(maxsize=64)
def qr_png(url: str, min_px: int = PRINT_MIN_PX) -> bytes:
    """A print-ready PNG at least min_px wide, quiet zone included."""
    code = _qr(url)
    width, _ = code.symbol_size(scale=1)
    scale = -(-min_px // width)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale)
    return out.getvalue()


@lru_cache(maxsize=64)
def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="svg", scale=10, xmldecl=True, title=url)
    return out.getvalue()


def qr_svg_data_uri(url: str) -> str:
    return _qr(url).svg_data_uri(scale=10)


def record_scan(session: Session, touchpoint_id: str, at: datetime, device: str) -> None:
    engagement.record(session, SCAN, at, platform="web", space=space_of(touchpoint_id), detail=device)


def record_push(session: Session, touchpoint_id: str, at: datetime, *, platform: str, how: str,
                member_public_id: str | None = None) -> None:
    engagement.record(session, PUSH, at, member=member_public_id, platform=platform,
                      space=space_of(touchpoint_id), detail=how)


# ---- children and checkup dates ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """day + months, on the last day of the month when that month is shorter (Jan 31 + 1 -> Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(text: str) -> date | None:
    """'2026-05-01', '2026/5/1', '２０２６－０５－０１' -> date; anything else None."""
    match = _DATE.match(unicodedata.normalize("NFKC", text).strip().replace("ー", "-").replace("−", "-"))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def date_problem(day: date, today: date) -> str | None:
    """A texts key when the date cannot be a due date or the birth date of a child of checkup age."""
    if day > add_months(today, 10):
        return "child.too_future"
    if day < add_months(today, -72):
        return "child.too_past"
    return None


class ChildcareError(Exception):
    """A request that cannot be done; the first argument is a texts key, the rest its values."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def children_of(session: Session, member_id: int) -> list[ChildcareChild]:
    return list(session.exec(
        select(ChildcareChild).where(ChildcareChild.member_id == member_id).order_by(ChildcareChild.born_on)
    ))


def add_child(session: Session, member, born_on: date, now: datetime, platform: str = "") -> ChildcareChild:
    existing = children_of(session, member.id)
    if any(child.born_on == born_on for child in existing):
        raise ChildcareError("child.duplicate", date=born_on.isoformat())
    if len(existing) >= MAX_CHILDREN:
        raise ChildcareError("child.too_many", count=MAX_CHILDREN)
    child = ChildcareChild(member_id=member.id, born_on=born_on)
    session.add(child)
    session.flush()
    engagement.record(session, OPTIN, now, member=member.public_id, platform=platform)
    return child


def opt_out(session: Session, member_id: int) -> int:
    """Delete the member's children, their sent-notice marks and open survey links; returns children deleted."""
    child_ids = [child.id for child in children_of(session, member_id)]
    if child_ids:
        session.execute(delete(ChildcareNotice).where(ChildcareNotice.child_id.in_(child_ids)))
        session.execute(delete(ChildcareChild).where(ChildcareChild.id.in_(child_ids)))
    session.execute(update(HirobaSurvey).where(HirobaSurvey.member_id == member_id).values(member_id=None))
    return len(child_ids)


def checkup_dates(city, born_on: date) -> list[tuple[Any, date]]:
    return [(tp, add_months(born_on, tp.age_months)) for tp in checkups(city)]


def next_checkup(city, born_on: date, today: date) -> tuple[Any, date] | None:
    return next(((tp, day) for tp, day in checkup_dates(city, born_on) if day >= today), None)


def notice_days(city) -> int:
    return city.childcare.notice_days_before


@dataclass(frozen=True)
class DueNotice:
    child: ChildcareChild
    touchpoint: Any
    checkup_on: date


def due_notices(session: Session, city, today: date) -> list[DueNotice]:
    """Notices whose window is open (from notice_days before the checkup age until that day) and not yet sent.
    A late or repeated run catches up inside the window; a checkup already passed is never announced."""
    days = notice_days(city)
    sent = {(n.child_id, n.touchpoint) for n in session.exec(select(ChildcareNotice))}
    due = []
    for child in session.exec(select(ChildcareChild).order_by(ChildcareChild.id)):
        for tp, checkup_on in checkup_dates(city, child.born_on):
            if checkup_on - timedelta(days=days) <= today <= checkup_on and (child.id, tp.id) not in sent:
                due.append(DueNotice(child, tp, checkup_on))
    return due


def send_checkup_notices(session: Session, site: Site, now: datetime, postbox: Postbox) -> str:
    """The checkup-notices job: push each due notice with its QR card, once per (child, checkup)."""
    city = site.city
    today = now.astimezone(site.tz).date()
    sent = unreachable = 0
    for notice in due_notices(session, city, today):
        member = session.get(Member, notice.child.member_id)
        lang = member.lang if member else "ja"
        text = Text(t(lang, "checkup.notice", born=_ja_date(notice.child.born_on), name=notice.touchpoint.name,
                      age=age_label(notice.touchpoint.age_months), date=_ja_date(notice.checkup_on),
                      app=city.app.name))
        card = qr_card(site, notice.touchpoint)
        pushed_to = []
        for account in members.accounts_of(session, notice.child.member_id):
            if account.followed:
                postbox.push(account.platform, account.platform_user_id, text, card)
                pushed_to.append(account.platform)
        if not pushed_to:
            unreachable += 1  # blocked the bot: try again tomorrow while the window is open
            continue
        session.add(ChildcareNotice(child_id=notice.child.id, touchpoint=notice.touchpoint.id, sent_at=as_utc(now)))
        for platform in pushed_to:
            record_push(session, notice.touchpoint.id, now, platform=platform, how="notice",
                        member_public_id=member.public_id if member else None)
        sent += 1
    session.flush()
    closed = close_stale_surveys(session, now)
    detail = f"sent {sent} checkup notices"
    if unreachable:
        detail += f", {unreachable} unreachable"
    if closed:
        detail += f", {closed} unfinished surveys closed"
    return detail


def _ja_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---- 子育て広場 survey --------------------------------------------------------------------------------------------


def plazas(city) -> list[str]:
    names = city.childcare.plazas or (t("ja", "hiroba.default_plaza"),)
    return [str(name) for name in names]


def find_plaza(city, text: str) -> str | None:
    wanted = unicodedata.normalize("NFKC", text).strip()
    names = plazas(city)
    for name in names:
        if unicodedata.normalize("NFKC", name) == wanted:
            return name
    matches = [name for name in names if wanted and wanted in unicodedata.normalize("NFKC", name)]
    return matches[0] if len(matches) == 1 else None


def open_survey(session: Session, member_id: int, now: datetime) -> HirobaSurvey | None:
    return session.exec(
        select(HirobaSurvey)
        .where(HirobaSurvey.member_id == member_id, HirobaSurvey.completed_at.is_(None),
               HirobaSurvey.started_at >= as_utc(now - SURVEY_OPEN_FOR))
        .order_by(HirobaSurvey.id.desc())
    ).first()


def survey_step(survey: HirobaSurvey) -> str:
    if survey.ease is None:
        return "ease"
    if survey.again is None:
        return "again"
    return "comment" if survey.completed_at is None else "done"


def start_survey(session: Session, member_id: int, plaza: str, now: datetime) -> HirobaSurvey:
    # Only one survey at a time: an earlier unfinished one keeps its answers but loses the member link.
    session.execute(update(HirobaSurvey)
                    .where(HirobaSurvey.member_id == member_id, HirobaSurvey.completed_at.is_(None))
                    .values(member_id=None))
    survey = HirobaSurvey(plaza=plaza, member_id=member_id, started_at=as_utc(now))
    session.add(survey)
    session.flush()
    return survey


def answer_survey(session: Session, survey: HirobaSurvey, step: str, value: str | None, now: datetime) -> None:
    """Store one answer for the step the survey is on; raises ChildcareError when it does not fit."""
    if survey_step(survey) != step:
        raise ChildcareError("hiroba.stale")
    if step == "ease":
        if value not in {"1", "2", "3", "4", "5"}:
            raise ChildcareError("hiroba.stale")
        survey.ease = int(value)
    elif step == "again":
        if value not in AGAIN_CHOICES:
            raise ChildcareError("hiroba.stale")
        survey.again = value
    elif step == "comment":
        survey.comment = (value or "").strip()[:MAX_COMMENT_CHARS] or None
        survey.completed_at = as_utc(now)
        survey.member_id = None  # the answers are anonymous from here on
    session.add(survey)


def close_stale_surveys(session: Session, now: datetime) -> int:
    result = session.execute(
        update(HirobaSurvey)
        .where(HirobaSurvey.member_id.is_not(None), HirobaSurvey.started_at < as_utc(now - SURVEY_OPEN_FOR))
        .values(member_id=None)
    )
    return result.rowcount or 0


# ---- figures for staff and the KPI digest ------------------------------------------------------------------------


def touchpoint_figures(session: Session, city, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """{touchpoint id: {"scans": n, "pushes": n}} for [start, end), every configured touchpoint in order."""
    figures = {tp.id: {"scans": 0, "pushes": 0} for tp in city.touchpoints}
    rows = session.exec(
        select(Engagement.kind, Engagement.space, func.count())
        # The configured spaces by name (not LIKE 'touchpoint:%'): an index range per touchpoint, nothing else read.
        .where(Engagement.kind.in_((SCAN, PUSH)), Engagement.space.in_([space_of(tp_id) for tp_id in figures]),
               Engagement.at >= as_utc(start), Engagement.at < as_utc(end))
        .group_by(Engagement.kind, Engagement.space)
    )
    for kind, space, count in rows:
        touchpoint_id = space.removeprefix("touchpoint:")
        if touchpoint_id in figures:
            figures[touchpoint_id]["scans" if kind == SCAN else "pushes"] += count
    return figures


def scans_by_device(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    counts = dict.fromkeys(DEVICES, 0)
    rows = session.exec(
        select(Engagement.detail, func.count())
        .where(Engagement.kind == SCAN, Engagement.at >= as_utc(start), Engagement.at < as_utc(end))
        .group_by(Engagement.detail)
    )
    for device, count in rows:
        counts[device if device in counts else "other"] += count
    return counts


def optin_figures(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    """{"optins": children registered in [start, end), "parents"/"children": opted in right now}."""
    optins = session.exec(
        select(func.count()).select_from(Engagement)
        .where(Engagement.kind == OPTIN, Engagement.at >= as_utc(start), Engagement.at < as_utc(end))
    ).one()
    parents = session.exec(select(func.count(func.distinct(ChildcareChild.member_id)))).one()
    children = session.exec(select(func.count()).select_from(ChildcareChild)).one()
    return {"optins": optins, "parents": parents, "children": children}


def survey_figures(session: Session, city, start: datetime, end: datetime) -> dict[str, dict[str, Any]]:
    """Per plaza, for surveys started in [start, end): responses (surveys with at least one answer), the ease
    average and counts, would-come-again counts, and how many left a comment."""
    def empty() -> dict[str, Any]:
        return {"responses": 0, "ease_average": None, "ease": {n: 0 for n in range(1, 6)},
                "again": dict.fromkeys(AGAIN_CHOICES, 0), "comments": 0}

    figures = {name: empty() for name in plazas(city)}
    surveys = session.exec(
        select(HirobaSurvey).where(HirobaSurvey.ease.is_not(None), HirobaSurvey.started_at >= as_utc(start),
                                   HirobaSurvey.started_at < as_utc(end))
    )
    for survey in surveys:
        plaza = figures.setdefault(survey.plaza, empty())
        plaza["responses"] += 1
        plaza["ease"][survey.ease] += 1
        if survey.again in plaza["again"]:
            plaza["again"][survey.again] += 1
        plaza["comments"] += bool(survey.comment)
    for plaza in figures.values():
        answered = sum(plaza["ease"].values())
        if answered:
            plaza["ease_average"] = round(sum(n * c for n, c in plaza["ease"].items()) / answered, 2)
    return figures


def survey_comments(session: Session, plaza: str, start: datetime, end: datetime, limit: int = 20) -> list[str]:
    return list(session.exec(
        select(HirobaSurvey.comment)
        .where(HirobaSurvey.plaza == plaza, HirobaSurvey.comment.is_not(None),
               HirobaSurvey.started_at >= as_utc(start), HirobaSurvey.started_at < as_utc(end))
        .order_by(HirobaSurvey.id.desc()).limit(limit)
    ))


def stats_text(session: Session, site: Site, now: datetime, lang: str = "ja") -> str:
    """This fiscal year's figures, for `/childcare stats`."""
    city = site.city
    fiscal_year = fiscal_year_of(now.astimezone(site.tz).date())
    start, end = bounds(site.tz, *fiscal_year_range(fiscal_year))
    lines = [t(lang, "childcare.stats.header", fy=fiscal_year, app=city.app.name)]
    figures = touchpoint_figures(session, city, start, end)
    for tp in city.touchpoints:
        lines.append(t(lang, "childcare.stats.touchpoint", name=tp.name, **figures[tp.id]))
    total_scans = sum(f["scans"] for f in figures.values())
    total_pushes = sum(f["pushes"] for f in figures.values())
    devices = scans_by_device(session, start, end)
    lines.append(t(lang, "childcare.stats.total", scans=total_scans, pushes=total_pushes, **devices))
    lines.append(t(lang, "childcare.stats.optin", **optin_figures(session, start, end)))
    for name, plaza in survey_figures(session, city, start, end).items():
        average = "—" if plaza["ease_average"] is None else f"{plaza['ease_average']:.1f}"
        lines.append(t(lang, "childcare.stats.plaza", plaza=name, responses=plaza["responses"], average=average,
                       comments=plaza["comments"], **plaza["again"]))
    return "\n".join(lines)


def touchpoint_rows(city) -> list[dict[str, Any]]:
    """For `python -m bot touchpoints --json`: [{"id", "name", "age_months"}] in order."""
    return [{"id": tp.id, "name": tp.name, "age_months": tp.age_months if tp.kind == "checkup" else None}
            for tp in city.touchpoints]


def valid_ids_text(city) -> str:
    return "、".join(f"{tp.id}（{tp.name}）" for tp in city.touchpoints)


def plaza_choices(city) -> Iterable[Action]:
    return tuple(Action(label=name[:20], data=f"hiroba:plaza:{i}") for i, name in enumerate(plazas(city)))


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    return {"childcare_optins": count_kind(session, OPTIN, since, until)}


KPIS = KpiSource(("childcare_optins",), _kpi_values, weekly=("childcare_optins",))


def digest_section(week: DigestWeek) -> list[str]:
    """The week's QR scans and notices per touchpoint (only touchpoints with any)."""
    figures = touchpoint_figures(week.session, week.site.city, week.since, week.until)
    lines = [t("ja", "digest.qr")]
    for tp in week.site.city.touchpoints:
        found = figures[tp.id]
        if found["scans"] or found["pushes"]:
            lines.append(t("ja", "digest.qr_line", name=tp.name, scans=f"{found['scans']:,}",
                           pushes=f"{found['pushes']:,}"))
    if len(lines) == 1:
        lines.append(t("ja", "digest.none_this_week"))
    return lines


def _per_touchpoint(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, Any]:
    """Every configured touchpoint, zeros included, in the city config's order."""
    figures = touchpoint_figures(session, site.city, since, until)
    return {tp.id: {"scans": int(figures[tp.id]["scans"]), "pushes": int(figures[tp.id]["pushes"])}
            for tp in site.city.touchpoints}


def _per_touchpoint_rows(data: dict[str, Any], site: Site) -> list[list[str]]:
    names = {tp.id: tp.name for tp in site.city.touchpoints}
    rows = [[t("ja", f"childcare.csv_header.{column}") for column in ("name", "id", "scans", "pushes")]]
    rows += [[names.get(tid, tid), tid, str(f["scans"]), str(f["pushes"])] for tid, f in data.items()]
    return rows


def _per_touchpoint_lines(data: dict[str, Any], site: Site) -> list[str]:
    names = {tp.id: tp.name for tp in site.city.touchpoints}
    return [t("ja", "childcare.table_header")] + [
        f"  {names.get(tid, tid)} ({tid}): {f['scans']:,} / {f['pushes']:,}" for tid, f in data.items()]


PER_TOUCHPOINT = ReportSection("per_touchpoint", _per_touchpoint, _per_touchpoint_rows, _per_touchpoint_lines)
