"""The childcare app (おみたま子育て) at every touchpoint: tracked QR codes, checkup notices for parents who opted in,
and the figures staff (and the KPI report and digest) read. The 子育て広場 survey is in community.hiroba, the QR
images in community.qr.

Nothing here knows LINE or Discord. Personal data kept: a child's date and the parent's member id (deleted on
opt-out).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from community import appstats, budget, engagement, hiroba, members
from community.city import CityConfig, Site, Touchpoint
from community.digest import DigestWeek
from community.kpi import KpiSource, ReportSection, count_kind
from community.messages import Postbox, QrCard, Text
from community.periods import bounds, fiscal_year_of, fiscal_year_range
from community.problems import Problem
from community.texts import fold, t, words
from storage.db import as_utc
from storage.models import Engagement, Member
from storage.models.childcare import ChildcareChild, ChildcareNotice

SCAN = "qr_scan"
PUSH = "qr_push"
OPTIN = "childcare_optin"
DEVICES = ("ios", "android", "other")
MAX_CHILDREN = 10
Figures = dict[str, int]  # {"scans": n, "pushes": n}


# ---- touchpoints and the app -----------------------------------------------------------------------------------


def space_of(touchpoint_id: str) -> str:
    return f"touchpoint:{touchpoint_id}"


def age_label(months: int, lang: str = "ja") -> str:
    years, rest = divmod(months, 12)
    if years and rest:
        return t(lang, "childcare.age.years_months", years=years, months=rest)
    return t(lang, "childcare.age.years", years=years) if years else t(lang, "childcare.age.months", months=rest)


def date_text(day: date, lang: str = "ja") -> str:
    """A date as people read it here: 2026年8月1日(土) in Japanese (as events write it), Sat 2026-08-01 in English."""
    weekday = t(lang, "childcare.weekdays").split()[day.weekday()]
    return t(lang, "childcare.date", year=day.year, month=day.month, day=day.day, weekday=weekday)


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


def card_image_url(site: Site, touchpoint_id: str) -> str:
    """The code at chat-card size (LINE shows at most 1024x1024 px); /qr/<id>.png stays the print size."""
    return site.public_url(f"/qr/card/{touchpoint_id}.png")


def qr_card(site: Site, touchpoint: Touchpoint) -> QrCard:
    app = site.city.app
    return QrCard(
        title=t("ja", "childcare.card_title", app=app.name or t("ja", "childcare.app_fallback"), name=touchpoint.name),
        image_url=card_image_url(site, touchpoint.id),
        url=tracked_url(site, touchpoint.id),
        note=app.why,
    )


def valid_ids_text(city: CityConfig, lang: str = "ja") -> str:
    items = (t(lang, "touchpoint.id_item", id=tp.id, name=tp.name) for tp in city.touchpoints)
    return t(lang, "childcare.separator").join(items)


def record_scan(session: Session, touchpoint_id: str, at: datetime, device: str) -> None:
    engagement.record(session, SCAN, at, platform="web", space=space_of(touchpoint_id), detail=device)


def record_push(
    session: Session, touchpoint_id: str, at: datetime, *, platform: str, how: str, member_public_id: str | None = None
) -> None:
    engagement.record(
        session, PUSH, at, member=member_public_id, platform=platform, space=space_of(touchpoint_id), detail=how
    )


# ---- children and checkup dates ---------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """day + months, on the last day of the month when that month is shorter (Jan 31 + 1 -> Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_DASHES = str.maketrans({"\u30fc": "-", "\u2212": "-"})  # the long-vowel mark and the minus sign people type
_WEEKDAY = re.compile(r"\s*\([^()]{1,3}\)$")  # "(土)" after a date copied from one of our answers
# Japanese eras: (the words for it, the year before its first year, its first day). Older dates are no child's.
_ERAS = (("child.era.reiwa", 2018, date(2019, 5, 1)), ("child.era.heisei", 1988, date(1989, 1, 8)))


@cache
def _date_pattern() -> re.Pattern[str]:
    """2026-05-01, 2026/5/1, 2026.5.1, 2026年5月1日, 令和8年5月1日, 令和元年5月1日, R8.5.1, 令和8/5/1 (folded: NFKC
    and lower case, so full-width digits and "r8" are the same)."""

    def alternatives(key: str) -> str:
        return "|".join(re.escape(word) for word in sorted(words(key), key=len, reverse=True))

    eras = "|".join(alternatives(key) for key, _, _ in _ERAS)
    year_mark, month_mark = alternatives("child.date.year"), alternatives("child.date.month")
    return re.compile(
        rf"(?:(?P<era>{eras})\s*(?P<era_year>\d{{1,2}}|{alternatives('child.era.first_year')})|(?P<year>\d{{4}}))\s*"
        rf"(?:{year_mark}|[-/.])\s*(?P<month>\d{{1,2}})\s*(?:{month_mark}|[-/.])\s*(?P<day>\d{{1,2}})\s*"
        rf"(?:{alternatives('child.date.day')})?"
    )


def parse_date(text: str) -> date | None:
    """A birth or due date as people type it (see _date_pattern), full-width or not; anything else None."""
    folded = _WEEKDAY.sub("", fold(text).translate(_DASHES))
    match = _date_pattern().fullmatch(folded)
    if not match:
        return None
    try:
        if match["year"]:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
        return _era_date(match["era"], match["era_year"], int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def _era_date(era: str, era_year: str, month: int, day: int) -> date | None:
    """令和8年 -> 2026; None for a date before its era began (令和1年4月1日 was 平成31年)."""
    _, year_zero, first_day = next(found for found in _ERAS if era in words(found[0]))
    year = 1 if era_year in words("child.era.first_year") else int(era_year)
    if year < 1:
        return None
    found = date(year_zero + year, month, day)
    return found if found >= first_day else None


def _check_date(day: date, today: date, lang: str) -> None:
    """A due date at most 10 months ahead, or the birth date of a child of checkup age (up to 6)."""
    if day > add_months(today, 10):
        raise Problem("child.too_future", date=date_text(day, lang))
    if day < add_months(today, -72):
        raise Problem("child.too_past", date=date_text(day, lang))


def children_of(session: Session, member_id: int) -> list[ChildcareChild]:
    return list(
        session.exec(
            select(ChildcareChild).where(ChildcareChild.member_id == member_id).order_by(col(ChildcareChild.born_on))
        )
    )


def add_child(session: Session, member: Member, born_on: date, now: datetime, platform: str = "") -> ChildcareChild:
    """Opt in to checkup notices for one child; `now` in the city's time zone."""
    assert member.id is not None
    _check_date(born_on, now.date(), member.lang)
    existing = children_of(session, member.id)
    if any(child.born_on == born_on for child in existing):
        raise Problem("child.duplicate", date=date_text(born_on, member.lang))
    if len(existing) >= MAX_CHILDREN:
        raise Problem("child.too_many", count=MAX_CHILDREN)
    child = ChildcareChild(member_id=member.id, born_on=born_on)
    session.add(child)
    session.flush()
    engagement.record(session, OPTIN, now, member=member.public_id, platform=platform)
    return child


def opt_out(session: Session, member_id: int) -> int:
    """Delete the member's children, their sent-notice marks and open survey links; returns children deleted."""
    child_ids = [child.id for child in children_of(session, member_id)]
    if child_ids:
        session.execute(delete(ChildcareNotice).where(col(ChildcareNotice.child_id).in_(child_ids)))
        session.execute(delete(ChildcareChild).where(col(ChildcareChild.id).in_(child_ids)))
    hiroba.unlink_member(session, member_id)
    return len(child_ids)


def checkup_dates(city: CityConfig, born_on: date) -> list[tuple[Touchpoint, date]]:
    return [
        (tp, add_months(born_on, tp.age_months))
        for tp in city.touchpoints
        if tp.kind == "checkup" and tp.age_months is not None
    ]


def next_checkup(city: CityConfig, born_on: date, today: date) -> tuple[Touchpoint, date] | None:
    return next(((tp, day) for tp, day in checkup_dates(city, born_on) if day >= today), None)


def notice_days(city: CityConfig) -> int:
    return city.childcare.notice_days_before


@dataclass(frozen=True)
class DueNotice:
    child: ChildcareChild
    touchpoint: Touchpoint
    checkup_on: date


def due_notices(session: Session, city: CityConfig, today: date) -> list[DueNotice]:
    """Notices whose window is open (from notice_days before the checkup age until that day) and not yet sent.
    A late or repeated run catches up inside the window; a checkup already passed is never announced."""
    days = notice_days(city)
    sent = {(n.child_id, n.touchpoint) for n in session.exec(select(ChildcareNotice))}
    due = []
    for child in session.exec(select(ChildcareChild).order_by(col(ChildcareChild.id))):
        for tp, checkup_on in checkup_dates(city, child.born_on):
            if checkup_on - timedelta(days=days) <= today <= checkup_on and (child.id, tp.id) not in sent:
                due.append(DueNotice(child, tp, checkup_on))
    return due


def send_checkup_notices(session: Session, site: Site, now: datetime, postbox: Postbox) -> str:
    """The checkup-notices job: push each due notice with its QR card, once per (child, checkup). Returns what it
    did, in Japanese (staff read it)."""
    today = now.astimezone(site.tz).date()
    sent = 0
    unreachable: set[int] = set()  # parents who blocked the bot: tried again tomorrow while the window is open
    for notice in due_notices(session, site.city, today):
        if _send_notice(session, site, notice, now, postbox):
            sent += 1
        else:
            unreachable.add(notice.child.member_id)
    session.flush()
    closed = hiroba.close_stale_surveys(session, now)
    detail = t("ja", "job.checkup-notices.result", sent=sent)
    if unreachable:
        detail += t("ja", "job.checkup-notices.unreachable", count=len(unreachable))
    if closed:
        detail += t("ja", "job.checkup-notices.closed", count=closed)
    return detail


def _child_text(born_on: date, today: date, lang: str) -> str:
    """The child born on the date or, while the date is still ahead, the child due on it."""
    return t(lang, "checkup.child_due" if born_on > today else "checkup.child_born", date=date_text(born_on, lang))


def _send_notice(session: Session, site: Site, notice: DueNotice, now: datetime, postbox: Postbox) -> bool:
    """Push one notice to every account of the parent that takes pushes; False when none does."""
    today = now.astimezone(site.tz).date()
    member = session.get(Member, notice.child.member_id)
    lang = member.lang if member else "ja"
    tp = notice.touchpoint
    text = Text(
        t(
            lang,
            "checkup.notice",
            child=_child_text(notice.child.born_on, today, lang),
            name=tp.name,
            age=age_label(tp.age_months or 0, lang),
            date=date_text(notice.checkup_on, lang),
            app=site.city.app.name,
        )
    )
    card = qr_card(site, tp)
    pushed_to = []
    for account in members.accounts_of(session, notice.child.member_id):
        if account.followed:
            postbox.push(account.platform, account.platform_user_id, text, card, kind=budget.CHECKUP)
            pushed_to.append(account.platform)
    if not pushed_to:
        return False
    assert notice.child.id is not None
    session.add(ChildcareNotice(child_id=notice.child.id, touchpoint=tp.id, sent_at=as_utc(now)))
    for platform in pushed_to:
        record_push(
            session, tp.id, now, platform=platform, how="notice", member_public_id=member.public_id if member else None
        )
    return True


# ---- figures for staff, the KPI report and the digest -------------------------------------------------------------


def touchpoint_figures(session: Session, city: CityConfig, start: datetime, end: datetime) -> dict[str, Figures]:
    """{touchpoint id: {"scans": n, "pushes": n}} for [start, end), every configured touchpoint in order."""
    figures = {tp.id: {"scans": 0, "pushes": 0} for tp in city.touchpoints}
    rows = session.exec(
        select(Engagement.kind, Engagement.space, func.count())
        # The configured spaces by name (not LIKE 'touchpoint:%'): an index range per touchpoint, nothing else read.
        .where(
            col(Engagement.kind).in_((SCAN, PUSH)),
            col(Engagement.space).in_([space_of(i) for i in figures]),
            Engagement.at >= as_utc(start),
            Engagement.at < as_utc(end),
        )
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
    optins = count_kind(session, OPTIN, start, end)
    parents = session.exec(select(func.count(func.distinct(ChildcareChild.member_id)))).one()
    children = session.exec(select(func.count()).select_from(ChildcareChild)).one()
    return {"optins": optins, "parents": int(parents), "children": int(children)}


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
    for name, plaza in hiroba.survey_figures(session, city, start, end).items():
        average = "\u2014" if plaza["ease_average"] is None else f"{plaza['ease_average']:.1f}"
        lines.append(
            t(
                lang,
                "childcare.stats.plaza",
                plaza=name,
                responses=plaza["responses"],
                average=average,
                comments=plaza["comments"],
                **plaza["again"],
            )
        )
    return "\n".join(lines)


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    return {
        "childcare_optins": count_kind(session, OPTIN, since, until),
        "app_downloads": appstats.downloads(session, site, until),  # cumulative, from the baseline
    }


KPIS = KpiSource(("childcare_optins", "app_downloads"), _kpi_values, weekly=("childcare_optins",))


def digest_section(week: DigestWeek) -> list[str]:
    """The week's QR scans and notices per touchpoint (only touchpoints with any)."""
    figures = touchpoint_figures(week.session, week.site.city, week.since, week.until)
    lines = [t("ja", "digest.qr")]
    for tp in week.site.city.touchpoints:
        found = figures[tp.id]
        if found["scans"] or found["pushes"]:
            lines.append(
                t("ja", "digest.qr_line", name=tp.name, scans=f"{found['scans']:,}", pushes=f"{found['pushes']:,}")
            )
    if len(lines) == 1:
        lines.append(t("ja", "digest.none_this_week"))
    return lines + appstats.digest_lines(week.session, week.site, week.now)


def _per_touchpoint(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, Figures]:
    """Every configured touchpoint, zeros included, in the city config's order."""
    figures = touchpoint_figures(session, site.city, since, until)
    return {
        tp.id: {"scans": int(figures[tp.id]["scans"]), "pushes": int(figures[tp.id]["pushes"])}
        for tp in site.city.touchpoints
    }


def _per_touchpoint_rows(data: dict[str, Figures], site: Site) -> list[list[str]]:
    names = {tp.id: tp.name for tp in site.city.touchpoints}
    rows = [[t("ja", f"childcare.csv_header.{column}") for column in ("name", "id", "scans", "pushes")]]
    rows += [[names.get(tid, tid), tid, str(f["scans"]), str(f["pushes"])] for tid, f in data.items()]
    return rows


def _per_touchpoint_lines(data: dict[str, Figures], site: Site) -> list[str]:
    names = {tp.id: tp.name for tp in site.city.touchpoints}
    return [t("ja", "childcare.table_header")] + [
        f"  {names.get(tid, tid)} ({tid}): {f['scans']:,} / {f['pushes']:,}" for tid, f in data.items()
    ]


PER_TOUCHPOINT = ReportSection("per_touchpoint", _per_touchpoint, _per_touchpoint_rows, _per_touchpoint_lines)
