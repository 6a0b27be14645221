"""Furusato-nozei referral links, the clicks on them and the donations they bring (the KPIs and the digest's lines).

A referral code is short and random, one per owner (a member, a thread, an event) and reused. The link
PUBLIC_BASE_URL/r/<code> records a click and redirects to the city's donation page ([donation] url) with the code in
the tracking parameter. Donations come back as the portal's CSV export (community.donations).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import case, delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from community import engagement
from community.city import Site
from community.digest import DigestWeek, signed
from community.kpi import KpiSource, count_kind
from community.texts import t
from storage.db import as_utc, utcnow
from storage.models import Engagement
from storage.models.staff import ReferralCode

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes get read aloud and typed
CODE_LENGTH = 7
CODE_PATTERN = re.compile(r"[a-z2-9]{4,12}")
KINDS = frozenset({"member", "thread", "event"})
UNATTRIBUTED = "unattributed"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def create_referral(session: Session, kind: str, owner_ref: str, now: datetime | None = None) -> ReferralCode:
    """The owner's code (kind member, thread or event), made on first request: the same code every time after."""
    now = now or utcnow()
    if kind not in KINDS:
        raise ValueError(f"unknown referral kind {kind!r}")
    owner_ref = str(owner_ref)[:40]
    existing = session.exec(
        select(ReferralCode).where(ReferralCode.kind == kind, ReferralCode.owner_ref == owner_ref)
    ).first()
    if existing is not None:
        return existing
    for _ in range(5):
        row = ReferralCode(code=new_code(), kind=kind, owner_ref=owner_ref, created_at=as_utc(now))
        savepoint = session.begin_nested()
        session.add(row)
        try:
            savepoint.commit()
            return row
        except IntegrityError:
            # A code collision (31^7 codes, so rare) or the same owner made concurrently: look again, then retry.
            savepoint.rollback()
            existing = session.exec(
                select(ReferralCode).where(ReferralCode.kind == kind, ReferralCode.owner_ref == owner_ref)
            ).first()
            if existing is not None:
                return existing
    raise RuntimeError("could not make a unique referral code")


def referral_url(site: Site, code: str) -> str:
    return site.public_url(f"r/{code}")


def donation_page(site: Site, code: str | None = None) -> str:
    """The configured donation URL, with the code added as the tracking parameter (replacing one already there)."""
    section = site.city.donation
    url = section.url
    if not code:
        return url
    param = section.tracking_param
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, code))
    return urlunsplit(parts._replace(query=urlencode(query)))


def find_code(session: Session, text: str | None) -> ReferralCode | None:
    """The stored code for well-formed text; None for unknown or malformed text (no query for junk)."""
    if not text or not CODE_PATTERN.fullmatch(text):
        return None
    return session.exec(select(ReferralCode).where(ReferralCode.code == text)).first()


def codes_of(session: Session, public_id: str) -> list[str]:
    """The member's own referral codes."""
    return list(
        session.exec(
            select(ReferralCode.code).where(
                col(ReferralCode.kind) == "member", col(ReferralCode.owner_ref) == public_id
            )
        )
    )


def forget_member(session: Session, public_id: str) -> None:
    """/forget-me: the member's own referral code goes (its clicks and donations stay, as counts)."""
    session.execute(
        delete(ReferralCode).where(col(ReferralCode.kind) == "member", col(ReferralCode.owner_ref) == public_id)
    )


def record_click(session: Session, site: Site, text: str | None, now: datetime) -> str:
    """Count one click on /r/<text> and return where to send the browser: always the configured donation page."""
    known = find_code(session, text)
    code = known.code if known else None
    engagement.record(session, "referral_click", now, detail=code or UNATTRIBUTED)
    return donation_page(site, code)


# ---- KPIs and the digest ----------------------------------------------------------------------------------------


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    """Donations attributed to the community (a code or keyword), every imported donation's total beside them, and
    clicks on /r/ links (unattributed: unknown codes)."""
    ours = col(Engagement.detail) != UNATTRIBUTED
    count, total, imported = session.exec(
        select(
            func.count(case((ours, 1))),
            func.coalesce(func.sum(case((ours, col(Engagement.amount)))), 0),
            func.coalesce(func.sum(Engagement.amount), 0),
        ).where(
            Engagement.kind == "donation",
            Engagement.at >= as_utc(since),
            Engagement.at < as_utc(until),
        )
    ).one()
    return {
        "donations_yen": int(total or 0),
        "donations_count": int(count),
        "donations_imported_yen": int(imported or 0),
        "referral_clicks": count_kind(session, "referral_click", since, until),
        "referral_clicks_unattributed": count_kind(session, "referral_click", since, until, detail=UNATTRIBUTED),
    }


KPIS = KpiSource(
    ("donations_yen", "donations_count", "referral_clicks", "referral_clicks_unattributed"),
    _kpi_values,
    beside=(("donations_yen", "donations_imported_yen"),),
)


def digest_section(week: DigestWeek) -> list[str]:
    """Referral clicks and the donations they brought, against last week."""
    this, last = week.this_week, week.last_week
    clicks, yen = this["referral_clicks"], this["donations_yen"]
    return [
        t("ja", "digest.donations"),
        t(
            "ja",
            "digest.referral_clicks",
            clicks=f"{clicks:,}",
            change=signed(clicks - last["referral_clicks"]),
            unattributed=f"{this['referral_clicks_unattributed']:,}",
        ),
        t(
            "ja",
            "digest.donated",
            count=f"{this['donations_count']:,}",
            yen=f"{yen:,}",
            change=signed(yen - last["donations_yen"]),
        ),
        t("ja", "digest.donated_imported", yen=f"{this['donations_imported_yen']:,}"),
    ]
