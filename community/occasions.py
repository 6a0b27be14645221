"""Occasions that bring people to the LINE account (成人式 2027, a school, a festival): each has a short code and a
print-ready QR for its landing page (/o/<code>), which offers the friend-add link and a link that opens the chat with
the code already typed. The first message that carries the code records the occasion for that person (once per
person and occasion); scans of the page and sign-ups are counted per occasion in the engagement log, pseudonymously.

LINE's friend-add link carries no parameter through to the follow event, so the occasion cannot ride on the follow
itself; the code in a first message is how it is recorded (README, "Sign-up QR for occasions").
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlmodel import Session, col, select

from community import engagement
from community.city import Site
from community.digest import DigestWeek
from community.events import CODE_ALPHABET, CODE_LENGTH
from community.kpi import KpiSource, ReportSection, count_kind
from community.problems import Problem
from community.texts import t
from storage.db import as_utc
from storage.models import Engagement, Member
from storage.models.occasions import Occasion

MAX_NAME = 60
SCAN, SIGNUP = "occasion_scan", "occasion_signup"
# A code in a message: six letters and digits standing alone (after "#", a space or the start).
CODE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])#?([0-9A-Za-z]{6})(?![0-9A-Za-z])")
MAX_LOOKUPS = 5  # code-shaped words looked up per message: plain chat stays cheap
LINE_FRIEND = "https://line.me/R/ti/p/"
LINE_MESSAGE = "https://line.me/R/oaMessage/"


def space_key(code: str) -> str:
    """The engagement log's space for an occasion."""
    return f"occasion:{code}"


def landing_path(occasion: Occasion) -> str:
    return f"o/{occasion.code}"


def new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if find(session, code) is None:
            return code


def create(session: Session, name: str, now: datetime) -> Occasion:
    name = " ".join(unicodedata.normalize("NFKC", name).split())
    if not name:
        raise Problem("occasion.name_missing")
    if len(name) > MAX_NAME:
        raise Problem("occasion.name_too_long", limit=MAX_NAME)
    occasion = Occasion(code=new_code(session), name=name, created_at=as_utc(now))
    session.add(occasion)
    session.flush()
    return occasion


def find(session: Session, code: str) -> Occasion | None:
    cleaned = unicodedata.normalize("NFKC", code or "").strip().lstrip("#").upper()
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return session.exec(select(Occasion).where(Occasion.code == cleaned)).first()


def all_occasions(session: Session) -> list[Occasion]:
    return list(session.exec(select(Occasion).order_by(col(Occasion.id))))


def in_text(session: Session, text: str) -> Occasion | None:
    """The occasion whose code a message carries (the first that exists; at most a few look-ups per message)."""
    candidates = [
        match.group(1).upper()
        for match in CODE_IN_TEXT.finditer(unicodedata.normalize("NFKC", text or "")[:500])
        if all(c in CODE_ALPHABET for c in match.group(1).upper())
    ]
    for code in candidates[:MAX_LOOKUPS]:
        found = find(session, code)
        if found is not None:
            return found
    return None


# ---- links ---------------------------------------------------------------------------------------------------------


def signup_message(occasion: Occasion) -> str:
    """What the landing page's link types into the chat: the occasion's name and its code."""
    return t("ja", "occasion.signup_message", name=occasion.name, code=occasion.code)


def friend_url(site: Site) -> str:
    """The LINE account's friend-add link ([occasions] line_id), else the community's LINE link, else ""."""
    line_id = site.city.occasions.line_id
    return LINE_FRIEND + quote(line_id, safe="") if line_id else site.city.community.line_url


def message_url(site: Site, occasion: Occasion) -> str:
    """A link that opens the chat with the account, the sign-up message typed in (needs [occasions] line_id)."""
    line_id = site.city.occasions.line_id
    if not line_id:
        return ""
    return f"{LINE_MESSAGE}{quote(line_id, safe='')}/?{quote(signup_message(occasion), safe='')}"


# ---- counting ------------------------------------------------------------------------------------------------------


def record_scan(session: Session, code: str, now: datetime, device: str) -> Occasion | None:
    """A visit to the landing page (the device family only: no address, no cookie)."""
    occasion = find(session, code)
    if occasion is not None:
        engagement.record(session, SCAN, now, platform="web", space=space_key(occasion.code), detail=device)
    return occasion


def sign_up(session: Session, member: Member, occasion: Occasion, now: datetime, platform: str) -> bool:
    """Record that the occasion brought this member; False when it already had."""
    already = session.exec(
        select(Engagement.id).where(
            Engagement.kind == SIGNUP,
            Engagement.space == space_key(occasion.code),
            Engagement.member == member.public_id,
        )
    ).first()
    if already is not None:
        return False
    engagement.record(session, SIGNUP, now, member=member.public_id, platform=platform, space=space_key(occasion.code))
    return True


def figures(session: Session, since: datetime | None, until: datetime) -> dict[str, dict[str, Any]]:
    """Per occasion (by code, in the order they were made): its name, page scans and sign-ups in [since, until)."""
    counts: dict[tuple[str, str], int] = {}
    stmt = select(Engagement.kind, Engagement.space).where(
        col(Engagement.kind).in_((SCAN, SIGNUP)), Engagement.at < as_utc(until)
    )
    if since is not None:
        stmt = stmt.where(Engagement.at >= as_utc(since))
    for kind, space in session.exec(stmt):
        counts[(kind, space)] = counts.get((kind, space), 0) + 1
    return {
        o.code: {
            "name": o.name,
            "scans": counts.get((SCAN, space_key(o.code)), 0),
            "signups": counts.get((SIGNUP, space_key(o.code)), 0),
        }
        for o in all_occasions(session)
    }


def _kpi_values(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, int]:
    """People an occasion's QR brought in the period (each person once per occasion)."""
    return {"occasion_signups": count_kind(session, SIGNUP, since, until)}


KPIS = KpiSource(("occasion_signups",), _kpi_values, weekly=("occasion_signups",))


def _section(session: Session, site: Site, since: datetime, until: datetime) -> dict[str, Any]:
    return figures(session, since, until)


def _rows(data: dict[str, Any], site: Site) -> list[list[str]]:
    rows = [[t("ja", f"occasion.csv_header.{column}") for column in ("name", "code", "scans", "signups")]]
    rows += [[f["name"], code, str(f["scans"]), str(f["signups"])] for code, f in data.items()]
    return rows


def _lines(data: dict[str, Any], site: Site) -> list[str]:
    return [t("ja", "occasion.table_header")] + [
        f"  {f['name']} ({code}): {f['scans']:,} / {f['signups']:,}" for code, f in data.items()
    ]


PER_OCCASION = ReportSection("per_occasion", _section, _rows, _lines)

DIGEST_LIMIT = 10


def digest_lines(week: DigestWeek) -> list[str]:
    """Sign-ups per occasion this week and in all (the digest is Japanese)."""
    this_week = figures(week.session, week.since, week.until)
    ever = figures(week.session, None, week.until)
    lines = [t("ja", "digest.occasions")]
    for code, found in list(ever.items())[-DIGEST_LIMIT:]:
        lines.append(
            t("ja", "digest.occasion_line", name=found["name"], week=this_week[code]["signups"], total=found["signups"])
        )
    if not ever:
        lines.append(t("ja", "digest.none"))
    return lines
