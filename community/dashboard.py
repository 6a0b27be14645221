"""Who may see staff material: /dashboard sends a one-time link, which the browser exchanges for a session cookie.
Only hashes of the tokens are stored; a link works once (spent by one conditional UPDATE, so concurrent uses cannot
both win) and briefly, a session for a working day, and someone who loses the staff role loses the dashboard with it.

Links that must work without a login (the weekly chart, which LINE fetches for the digest) carry an HMAC signature
made with a random key kept in the database (`signing_key`), so nobody can name a page of their own choosing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from community.members import STAFF, has_role
from storage.db import as_utc, utcnow
from storage.models.staff import DashboardLogin, SigningKey

LINK_MINUTES = 15
SESSION_HOURS = 8
LINK = "link"
SESSION = "session"
MAX_TOKEN_LENGTH = 64  # longer is not one of ours: no query for it


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_login(session: Session, member_id: int, now: datetime, purpose: str = LINK) -> str:
    """A fresh token (one-time link or session); only its hash is stored."""
    lifetime = timedelta(minutes=LINK_MINUTES) if purpose == LINK else timedelta(hours=SESSION_HOURS)
    token = secrets.token_urlsafe(24)
    session.add(
        DashboardLogin(
            token_hash=_token_hash(token),
            member_id=member_id,
            purpose=purpose,
            created_at=as_utc(now),
            expires_at=as_utc(now + lifetime),
        )
    )
    session.flush()
    return token


def check_token(session: Session, token: str | None, now: datetime, purpose: str) -> int | None:
    """The staff member's id for a valid token, else None. A link works once (checking it spends it); a session
    until it expires."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    if purpose == LINK:
        member_id = _spend_link(session, token, as_utc(now))
    else:
        login = session.exec(
            select(DashboardLogin).where(
                DashboardLogin.token_hash == _token_hash(token), DashboardLogin.purpose == purpose
            )
        ).first()
        valid = login is not None and login.used_at is None and as_utc(login.expires_at) > as_utc(now)
        member_id = login.member_id if login is not None and valid else None
    # Someone who lost the staff role loses the dashboard too.
    return member_id if member_id is not None and has_role(session, member_id, STAFF) else None


def _spend_link(session: Session, token: str, now: datetime) -> int | None:
    """Mark an unused, unexpired link used and return its member, in one statement: of several requests racing
    with the same link, the database lets exactly one change the row (SQLite >= 3.35 and PostgreSQL: RETURNING)."""
    spent = session.execute(
        update(DashboardLogin)
        .where(
            col(DashboardLogin.token_hash) == _token_hash(token),
            col(DashboardLogin.purpose) == LINK,
            col(DashboardLogin.used_at).is_(None),
            col(DashboardLogin.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(DashboardLogin.member_id))
        .execution_options(synchronize_session=False)
    ).first()
    return int(spent[0]) if spent is not None else None


def exchange_link(session: Session, token: str, now: datetime) -> str | None:
    """Spend a one-time link: a new session token for its staff member, or None for a used, old or unknown link."""
    member_id = check_token(session, token, now, LINK)
    return create_login(session, member_id, now, SESSION) if member_id is not None else None


# ---- signed links -------------------------------------------------------------------------------------------------

CHART_KEY = "chart"
SIGNATURE_LENGTH = 32  # hex characters: 128 bits


def signing_key(session: Session, purpose: str = CHART_KEY) -> bytes:
    """The database's random key for signed links, made on first use (the same for every process)."""
    found = session.exec(select(SigningKey.secret).where(SigningKey.purpose == purpose)).first()
    if found is not None:
        return bytes.fromhex(found)
    savepoint = session.begin_nested()
    session.add(SigningKey(purpose=purpose, secret=secrets.token_hex(32), created_at=utcnow()))
    try:
        savepoint.commit()
    except IntegrityError:
        savepoint.rollback()  # another process made it first: use theirs
    return bytes.fromhex(session.exec(select(SigningKey.secret).where(SigningKey.purpose == purpose)).one())


def signature(key: bytes, subject: str) -> str:
    return hmac.new(key, subject.encode("utf-8"), hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def signature_ok(key: bytes, subject: str, given: str | None) -> bool:
    """Compared in constant time; a missing or malformed signature is simply wrong."""
    if not given or len(given) != SIGNATURE_LENGTH:
        return False
    return hmac.compare_digest(signature(key, subject).encode(), given.encode("utf-8", "replace"))


def forget_member(session: Session, member_id: int) -> None:
    """/forget-me: the member's links and sessions go."""
    session.execute(delete(DashboardLogin).where(col(DashboardLogin.member_id) == member_id))
