"""Exports for reports and partners (issue 15): posts, voices, surveys, events, touchpoints and referrals, for one
fiscal year (April to March) or everything, as CSV (UTF-8 with a BOM: Excel opens it in Japanese) or JSON.

No platform ids and no names: members appear by their public id (`m-…`, the pseudonym the engagement log and the
digest use), nicknames and display names never. Hidden posts and threads are left out; a forgotten member's posts
are already without their text. Events also come in the Digital Agency's 自治体標準オープンデータセット form for
イベント一覧 (its column names and order, community/texts/exports.py). Every export is in the audit log: who, what,
which year, in which format and how (the command line, the dashboard, the API token).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from community import audit, childcare, periods, segments
from community.city import Site
from community.events import event_end, space_key
from community.texts.exports import OPENDATA_EVENT_COLUMNS
from storage.db import as_utc
from storage.models import Engagement, Member
from storage.models.childcare import HirobaSurvey
from storage.models.community import BoardPost, BoardReaction, BoardThread, CommunityMember
from storage.models.events import Event, EventSpace
from storage.models.staff import ReferralCode

KINDS = ("posts", "voices", "surveys", "events", "touchpoints", "referrals")
FORMATS = ("csv", "json")
OPENDATA = "events-opendata"
EXPORT_DATA = "export.data"

Value = str | int | None
# Where what the bot knows of an event goes among the standard's columns (OPENDATA_EVENT_COLUMNS; a test checks
# each position holds the column it should: 都道府県コード又は市区町村コード, NO, 都道府県名, 市区町村名,
# イベント名, 開始日, 終了日, 開始時間, 終了時間, 場所名称).
OPENDATA_POSITIONS = {
    "city_code": 0,
    "no": 1,
    "prefecture": 2,
    "city": 3,
    "title": 4,
    "start_date": 7,
    "end_date": 8,
    "start_time": 9,
    "end_time": 10,
    "place": 19,
}


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Value, ...]]


@dataclass(frozen=True)
class Period:
    """A fiscal year as aware times [since, until), or everything (since and until None)."""

    fiscal_year: int | None
    since: datetime | None
    until: datetime | None

    @classmethod
    def of(cls, site: Site, fiscal_year: int | None) -> Period:
        if fiscal_year is None:
            return cls(None, None, None)
        since, until = periods.bounds(site.tz, *periods.fiscal_year_range(fiscal_year))
        return cls(fiscal_year, since, until)

    def holds(self, column: Any) -> list[Any]:
        if self.since is None or self.until is None:
            return []
        return [column >= as_utc(self.since), column < as_utc(self.until)]


def _when(site: Site, moment: datetime | None) -> str | None:
    return as_utc(moment).astimezone(site.tz).isoformat(timespec="seconds") if moment else None


def _public_ids(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Member.id, Member.public_id).where(col(Member.id).in_(sorted(ids))))
    return {member_id: public_id for member_id, public_id in rows if member_id is not None}


# ---- the tables --------------------------------------------------------------------------------------------------


def _visible_posts(session: Session, period: Period, official: bool | None) -> list[tuple[BoardPost, BoardThread]]:
    stmt = (
        select(BoardPost, BoardThread)
        .join(BoardThread, col(BoardThread.id) == col(BoardPost.thread_id))
        .where(col(BoardPost.hidden_at).is_(None), col(BoardThread.hidden_at).is_(None))
        .where(*period.holds(col(BoardPost.created_at)))
        .order_by(col(BoardPost.id))
    )
    if official is not None:
        stmt = stmt.where(BoardThread.official == official)
    return [(post, thread) for post, thread in session.exec(stmt)]


def posts(session: Session, site: Site, period: Period) -> Table:
    found = _visible_posts(session, period, None)
    who = _public_ids(session, {post.member_id for post, _ in found})
    reactions = dict(
        session.exec(
            select(BoardReaction.post_id, func.count())
            .where(col(BoardReaction.post_id).in_([post.id for post, _ in found] or [0]))
            .group_by(col(BoardReaction.post_id))
        ).all()
    )
    columns = ("post_id", "thread_id", "category", "thread_title", "official", "reply_to", "member", "platform")
    rows: list[tuple[Value, ...]] = [
        (
            post.id,
            thread.id,
            thread.category,
            thread.title,
            int(thread.official),
            post.reply_to,
            who.get(post.member_id),
            post.platform,
            _when(site, post.created_at),
            post.text,
            int(reactions.get(post.id or 0, 0)),
        )
        for post, thread in found
    ]
    return Table("posts", (*columns, "posted_at", "text", "reactions"), rows)


def voices(session: Session, site: Site, period: Period) -> Table:
    """Posts in the city's question threads (/voice new): the question and every answer, with the relation to the
    town the answerer gave."""
    found = _visible_posts(session, period, True)
    ids = {post.member_id for post, _ in found}
    who = _public_ids(session, ids)
    relations = dict(
        session.exec(
            select(CommunityMember.member_id, CommunityMember.relation).where(
                col(CommunityMember.member_id).in_(sorted(ids) or [0])
            )
        ).all()
    )
    rows: list[tuple[Value, ...]] = [
        (
            thread.id,
            thread.title,
            post.id,
            "question" if post.member_id == thread.author_member_id else "answer",
            who.get(post.member_id),
            relations.get(post.member_id),
            _when(site, post.created_at),
            post.text,
        )
        for post, thread in found
    ]
    columns = ("thread_id", "question", "post_id", "role", "member", "relation", "posted_at", "text")
    return Table("voices", columns, rows)


def surveys(session: Session, site: Site, period: Period) -> Table:
    """Finished 子育て広場 surveys: anonymous (the link to the parent is cleared when a survey ends)."""
    found = session.exec(
        select(HirobaSurvey)
        .where(col(HirobaSurvey.completed_at).is_not(None), *period.holds(col(HirobaSurvey.started_at)))
        .order_by(col(HirobaSurvey.id))
    ).all()
    rows: list[tuple[Value, ...]] = [
        (s.id, s.plaza, _when(site, s.started_at), _when(site, s.completed_at), s.ease, s.again, s.comment)
        for s in found
    ]
    return Table("surveys", ("survey_id", "plaza", "started_at", "completed_at", "ease", "again", "comment"), rows)


def _events(session: Session, period: Period) -> list[Event]:
    return list(session.exec(select(Event).where(*period.holds(col(Event.starts_at))).order_by(col(Event.starts_at))))


def events(session: Session, site: Site, period: Period) -> Table:
    found = _events(session, period)
    who = _public_ids(session, {e.organizer_id for e in found})
    hours = site.city.events.duration_hours
    rows: list[tuple[Value, ...]] = []
    for event in found:
        assert event.id is not None
        groups = session.exec(select(func.count()).select_from(EventSpace).where(EventSpace.event_id == event.id))
        people = session.exec(select(func.count()).select_from(segments.event_participants(event.id).subquery()))
        messages = session.exec(
            select(func.count())
            .select_from(Engagement)
            .where(Engagement.kind == "event_message", Engagement.space == space_key(event.code))
        )
        rows.append(
            (
                event.code,
                event.title,
                _when(site, event.starts_at),
                _when(site, event_end(event, hours)),
                event.location,
                event.venue,
                who.get(event.organizer_id),
                _when(site, event.closed_at),
                int(groups.one()),
                int(people.one()),
                int(messages.one()),
            )
        )
    columns = ("code", "title", "starts_at", "ends_at", "location", "venue", "organizer", "closed_at")
    return Table("events", (*columns, "groups", "participants", "messages"), rows)


def events_opendata(session: Session, site: Site, period: Period) -> Table:
    """Events in the standard open dataset's columns. What the bot does not hold (kana, description, address, fees,
    contact, capacity) is left empty for staff to complete before publishing."""
    city, hours = site.city, site.city.events.duration_hours
    rows: list[tuple[Value, ...]] = []
    for event in _events(session, period):
        start = as_utc(event.starts_at).astimezone(site.tz)
        end = event_end(event, hours).astimezone(site.tz)
        venue = city.events.venue(event.venue) if event.venue else None
        values: dict[str, Value] = {
            "city_code": city.opendata.code,
            "no": event.code,
            "prefecture": city.opendata.prefecture,
            "city": city.name,
            "title": event.title,
            "start_date": start.date().isoformat(),
            "end_date": end.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
            "place": venue.name if venue else event.location,
        }
        row: list[Value] = [""] * len(OPENDATA_EVENT_COLUMNS)
        for field, value in values.items():
            row[OPENDATA_POSITIONS[field]] = value
        rows.append(tuple(row))
    return Table(OPENDATA, OPENDATA_EVENT_COLUMNS, rows)


def touchpoints(session: Session, site: Site, period: Period) -> Table:
    """Scans and pushes per touchpoint and month."""
    now = datetime.now(site.tz)
    if period.since is None:
        oldest = session.exec(
            select(func.min(Engagement.at)).where(col(Engagement.kind).in_((childcare.SCAN, childcare.PUSH)))
        ).one()
        start = as_utc(oldest).astimezone(site.tz).date() if oldest else now.date()
        end = now.date()
    else:
        assert period.until is not None
        start = period.since.astimezone(site.tz).date()
        end = date.fromordinal(period.until.astimezone(site.tz).date().toordinal() - 1)
    rows: list[tuple[Value, ...]] = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        following = childcare.add_months(cursor, 1)
        since, until = periods.bounds(site.tz, cursor, date.fromordinal(following.toordinal() - 1))
        figures = childcare.touchpoint_figures(session, site.city, since, until)
        for touchpoint in site.city.touchpoints:
            counts = figures[touchpoint.id]
            rows.append(
                (
                    f"{cursor.year:04d}-{cursor.month:02d}",
                    touchpoint.id,
                    touchpoint.name,
                    touchpoint.kind,
                    touchpoint.age_months,
                    counts["scans"],
                    counts["pushes"],
                )
            )
        cursor = following
    return Table("touchpoints", ("month", "touchpoint", "name", "kind", "age_months", "scans", "pushes"), rows)


def referrals(session: Session, site: Site, period: Period) -> Table:
    """Referral codes with their clicks and the donations attributed to them in the period. A member's code names its
    owner by public id; a thread's by thread id, an event's by its code."""
    codes = session.exec(select(ReferralCode).order_by(col(ReferralCode.id))).all()
    clicks = dict(
        session.exec(
            select(Engagement.detail, func.count())
            .where(Engagement.kind == "referral_click", *period.holds(col(Engagement.at)))
            .group_by(Engagement.detail)
        ).all()
    )
    donations = {
        detail: (int(count), int(total or 0))
        for detail, count, total in session.exec(
            select(Engagement.detail, func.count(), func.sum(Engagement.amount))
            .where(Engagement.kind == "donation", *period.holds(col(Engagement.at)))
            .group_by(Engagement.detail)
        )
    }
    rows: list[tuple[Value, ...]] = [
        (
            code.code,
            code.kind,
            code.owner_ref,
            _when(site, code.created_at),
            int(clicks.get(code.code, 0)),
            donations.get(code.code, (0, 0))[0],
            donations.get(code.code, (0, 0))[1],
        )
        for code in codes
    ]
    return Table("referrals", ("code", "kind", "owner", "created_at", "clicks", "donations", "donations_yen"), rows)


BUILDERS = {
    "posts": posts,
    "voices": voices,
    "surveys": surveys,
    "events": events,
    "touchpoints": touchpoints,
    "referrals": referrals,
    OPENDATA: events_opendata,
}


# ---- formats and the audit log -------------------------------------------------------------------------------------


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(["" if value is None else value for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM: Excel reads the Japanese right


def json_bytes(table: Table) -> bytes:
    records = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def filename(name: str, fiscal_year: int | None, fmt: str) -> str:
    return f"{name}-{fiscal_year if fiscal_year is not None else 'all'}.{fmt}"


@dataclass(frozen=True)
class Export:
    name: str
    rows: int
    body: bytes
    filename: str
    content_type: str


def export(
    session: Session,
    site: Site,
    name: str,
    fiscal_year: int | None,
    fmt: str,
    actor: int | None,
    via: str,
    record: bool = True,
) -> Export:
    """Build one export and (record) write who took it to the audit log, in the same transaction."""
    table = BUILDERS[name](session, site, Period.of(site, fiscal_year))
    body = csv_bytes(table) if fmt == "csv" else json_bytes(table)
    if record:
        detail = f"fy={fiscal_year if fiscal_year is not None else 'all'} format={fmt} rows={len(table.rows)} via={via}"
        audit.record(session, actor, EXPORT_DATA, f"export:{name}", detail)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
    return Export(name, len(table.rows), body, filename(name, fiscal_year, fmt), content_type)
