"""貸畑 and 空き家 listings: members offer a plot or a house (地区 level only: never an address in public), staff
approve before it is public, it closes when its owner or staff close it or [listings] days after approval, and the
people interested write to the owner through the bot (community.relay).

States: pending (waiting for staff) -> open (public until expires_at) or rejected; open -> closed. An open listing
past expires_at is shown as expired and takes no new inquiries.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

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
from storage.models.listings import Listing

KINDS = ("plot", "house", "farmhouse")  # 貸畑, 空き家, 畑付き空き家
PENDING, OPEN, REJECTED, CLOSED = reviews.PENDING, reviews.OPEN, reviews.REJECTED, reviews.CLOSED
EXPIRED = "expired"
FIELDS = ("place", "size", "price", "conditions", "photo_url")
LIMITS = {"place": 40, "size": 60, "price": 60, "conditions": 500, "photo_url": 300}
REQUIRED = ("place", "size", "price")
# What an address looks like (a block number 1-2-3, 番地, 丁目, 号): a listing names its 地区, never where exactly.
ADDRESS = re.compile(r"\d+\s*[-\u2010-\u2015\u2212\u30fc\uff0d]\s*\d+|\d+\s*(?:番地?|丁目|号)|番地|丁目")
PHOTO_URL = re.compile(r"https://[^\s<>\"']{4,290}")


def kind_of(text: str) -> str | None:
    """plot / house / farmhouse for a typed answer (its button's label or a word for it)."""
    folded = fold(text)
    for kind in KINDS:
        if folded in words(f"listing.kind_words.{kind}"):
            return kind
    return None


def check_field(name: str, text: str) -> str:
    """A typed answer, trimmed: too long, an address or a photo link that is no https address is a Problem."""
    value = unicodedata.normalize("NFKC", text).strip() if name == "photo_url" else text.strip()
    if len(value) > LIMITS[name]:
        raise Problem("listing.too_long", limit=LIMITS[name], length=len(value), with_usage=False)
    if name in REQUIRED and not value:
        raise Problem("listing.required", with_usage=False)
    if name == "place" and ADDRESS.search(unicodedata.normalize("NFKC", value)):
        raise Problem("listing.no_address", with_usage=False)
    if name == "photo_url" and value and not PHOTO_URL.fullmatch(value):
        raise Problem("listing.bad_photo", with_usage=False)
    return value


def submit(session: Session, owner: Member, kind: str, answers: dict[str, str], now: datetime) -> Listing:
    """A new listing waiting for staff; every answer is checked again (a dialogue's data is only a draft)."""
    if kind not in KINDS:
        raise Problem("listing.bad_kind", with_usage=False)
    values = {name: check_field(name, str(answers.get(name, ""))) for name in FIELDS}
    listing = Listing(
        kind=kind,
        owner_member_id=id_of(owner),
        status=PENDING,
        created_at=as_utc(now),
        place=values["place"],
        size=values["size"],
        price=values["price"],
        conditions=values["conditions"],
        photo_url=values["photo_url"],
    )
    session.add(listing)
    session.flush()
    return listing


def get(session: Session, listing_id: int) -> Listing:
    return reviews.get(session, Listing, listing_id, "listing")


def parse_id(text: str) -> int:
    return reviews.parse_id(text, "listing")


def state(listing: Listing, now: datetime) -> str:
    if listing.status == OPEN and listing.expires_at is not None and as_utc(listing.expires_at) <= as_utc(now):
        return EXPIRED
    return listing.status


def open_listings(session: Session, now: datetime) -> list[Listing]:
    """Public listings, the newest approval first."""
    return list(
        session.exec(
            select(Listing)
            .where(Listing.status == OPEN, col(Listing.expires_at) > as_utc(now))
            .order_by(col(Listing.reviewed_at).desc(), col(Listing.id).desc())
        )
    )


def pending(session: Session) -> list[Listing]:
    return list(session.exec(select(Listing).where(Listing.status == PENDING).order_by(col(Listing.id))))


def of_owner(session: Session, member_id: int) -> list[Listing]:
    return list(session.exec(select(Listing).where(Listing.owner_member_id == member_id).order_by(col(Listing.id))))


def approve(session: Session, site: Site, listing: Listing, now: datetime, *, by: Member | None) -> None:
    reviews.review(session, listing, "listing", OPEN, now, by)
    listing.expires_at = as_utc(now) + timedelta(days=site.city.listings.days)
    engagement.record(session, "listing_published", now, detail=listing.kind)


def reject(session: Session, listing: Listing, now: datetime, *, by: Member | None, reason: str) -> None:
    reviews.review(session, listing, "listing", REJECTED, now, by, reason)


def close(session: Session, listing: Listing, now: datetime, *, by: Member | None) -> None:
    reviews.close(session, listing, "listing", now, by)


def may_close(member: Member | None, is_staff: bool, listing: Listing) -> bool:
    return member is not None and (is_staff or listing.owner_member_id == member.id)


def erase_member(session: Session, member: Member) -> int:
    """The member's listings and every conversation about them (/forget-me); returns the listings removed."""
    ids = [id_of(listing) for listing in of_owner(session, id_of(member))]
    relay.delete_about(session, relay.LISTING, ids)
    if ids:
        session.execute(delete(Listing).where(col(Listing.id).in_(ids)))
    return len(ids)


# ---- KPIs and the digest -------------------------------------------------------------------------------------------


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    """Listings staff made public in the period, and conversations started about listings (counts that stay when a
    listing or a person is erased: the engagement log has them)."""
    return {
        "listings_published": count_kind(session, "listing_published", since, until),
        "listing_inquiries": count_kind(session, "inquiry", since, until, detail=relay.LISTING),
    }


KPIS = KpiSource(
    ("listings_published", "listing_inquiries"), _kpi_values, weekly=("listings_published", "listing_inquiries")
)


def digest_lines(week: DigestWeek) -> list[str]:
    session = week.session
    waiting = int(session.exec(select(func.count()).select_from(Listing).where(Listing.status == PENDING)).one())
    public = len(open_listings(session, week.now))
    return [t("ja", "digest.listings"), t("ja", "digest.listings_line", pending=waiting, open=public)]
