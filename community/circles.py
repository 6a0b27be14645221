"""The circles directory: 子育てサークル and other circles, submitted by members and public once staff approve them.
People join by the circle's LINE open chat or group link, or (with no link) by a first message the bot relays to the
member who submitted it (community.relay)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from community import engagement, relay, reviews
from community.city import Site
from community.digest import DigestWeek
from community.kpi import KpiSource, count_kind
from community.problems import Problem
from community.texts import fold, t, words
from storage.db import as_utc, id_of
from storage.models import Member
from storage.models.circles import Circle

CATEGORIES = ("kosodate", "other")
PENDING, OPEN, REJECTED, CLOSED = reviews.PENDING, reviews.OPEN, reviews.REJECTED, reviews.CLOSED
FIELDS = ("name", "activity", "area")
LIMITS = {"name": 60, "activity": 300, "area": 40, "join_url": 300}
# A LINE open chat or group invitation (line.me) or a LINE short link (lin.ee): where the circle's members are.
JOIN_URL = re.compile(r"https://(?:line\.me|lin\.ee)/[\x21-\x7e]{2,280}")


def category_of(text: str) -> str | None:
    folded = fold(text)
    return next((c for c in CATEGORIES if folded in words(f"circle.category_words.{c}")), None)


def check_field(name: str, text: str) -> str:
    value = text.strip()
    if not value:
        raise Problem("circle.required", with_usage=False)
    if len(value) > LIMITS[name]:
        raise Problem("circle.too_long", limit=LIMITS[name], length=len(value), with_usage=False)
    return value


def check_join_url(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).strip()
    if not JOIN_URL.fullmatch(value):
        raise Problem("circle.bad_link", with_usage=False)
    return value


def submit(session: Session, submitter: Member, answers: dict[str, str], now: datetime) -> Circle:
    category = answers.get("category", "")
    if category not in CATEGORIES:
        raise Problem("circle.bad_category", with_usage=False)
    values = {name: check_field(name, str(answers.get(name, ""))) for name in FIELDS}
    join_url = check_join_url(answers["join_url"]) if answers.get("join_url") else ""
    circle = Circle(
        name=values["name"],
        category=category,
        activity=values["activity"],
        area=values["area"],
        join_url=join_url,
        submitter_member_id=id_of(submitter),
        status=PENDING,
        created_at=as_utc(now),
    )
    session.add(circle)
    session.flush()
    return circle


def get(session: Session, circle_id: int) -> Circle:
    return reviews.get(session, Circle, circle_id, "circle")


def parse_id(text: str) -> int:
    return reviews.parse_id(text, "circle")


def listed(session: Session, text: str = "") -> list[Circle]:
    """Approved circles, 子育て first, by name; optionally those whose name, activity or area has every word."""
    wanted = [fold(word) for word in unicodedata.normalize("NFKC", text).split()]
    rows = session.exec(select(Circle).where(Circle.status == OPEN)).all()
    found = [c for c in rows if all(w in fold(f"{c.name} {c.activity} {c.area}") for w in wanted)]
    return sorted(found, key=lambda c: (c.category != "kosodate", c.name))


def pending(session: Session) -> list[Circle]:
    return list(session.exec(select(Circle).where(Circle.status == PENDING).order_by(col(Circle.id))))


def approve(session: Session, circle: Circle, now: datetime, *, by: Member | None) -> None:
    reviews.review(session, circle, "circle", OPEN, now, by)
    engagement.record(session, "circle_listed", now, detail=circle.category)


def reject(session: Session, circle: Circle, now: datetime, *, by: Member | None, reason: str) -> None:
    reviews.review(session, circle, "circle", REJECTED, now, by, reason)


def close(session: Session, circle: Circle, now: datetime, *, by: Member | None) -> None:
    reviews.close(session, circle, "circle", now, by)


def of_submitter(session: Session, member_id: int) -> list[Circle]:
    return list(session.exec(select(Circle).where(Circle.submitter_member_id == member_id)))


def erase_member(session: Session, member: Member) -> int:
    """The circles the member submitted (a circle reached through them cannot be reached any more) and the
    conversations about them."""
    ids = [id_of(c) for c in of_submitter(session, id_of(member))]
    relay.delete_about(session, relay.CIRCLE, ids)
    if ids:
        session.execute(delete(Circle).where(col(Circle.id).in_(ids)))
    return len(ids)


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    """Circles staff approved in the period (the engagement log keeps the count if a circle is later erased)."""
    return {"circles_listed": count_kind(session, "circle_listed", since, until)}


KPIS = KpiSource(("circles_listed",), _kpi_values, weekly=("circles_listed",))


def digest_lines(week: DigestWeek) -> list[str]:
    session = week.session
    waiting = int(session.exec(select(func.count()).select_from(Circle).where(Circle.status == PENDING)).one())
    public = int(session.exec(select(func.count()).select_from(Circle).where(Circle.status == OPEN)).one())
    return [t("ja", "digest.circles"), t("ja", "digest.circles_line", pending=waiting, open=public)]
