"""Who may see the staff dashboard: /dashboard sends a one-time link, which the browser exchanges for a session
cookie. Only hashes of the tokens are stored; a link works once and briefly, a session for a working day, and
someone who loses the staff role loses the dashboard with it.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from community.members import STAFF, has_role
from storage.db import as_utc
from storage.models.staff import DashboardLogin

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
    session.add(DashboardLogin(token_hash=_token_hash(token), member_id=member_id, purpose=purpose,
                               created_at=as_utc(now), expires_at=as_utc(now + lifetime)))
    session.flush()
    return token


def check_token(session: Session, token: str | None, now: datetime, purpose: str) -> int | None:
    """The staff member's id for a valid token, else None. A link works once; a session until it expires."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    login = session.exec(select(DashboardLogin).where(DashboardLogin.token_hash == _token_hash(token),
                                                      DashboardLogin.purpose == purpose)).first()
    now = as_utc(now)
    if login is None or login.used_at is not None or login.expires_at <= now:
        return None
    if purpose == LINK:
        login.used_at = now
        session.add(login)
    # Someone who lost the staff role loses the dashboard too.
    return login.member_id if has_role(session, login.member_id, STAFF) else None


def exchange_link(session: Session, token: str, now: datetime) -> str | None:
    """Spend a one-time link: a new session token for its staff member, or None for a used, old or unknown link."""
    member_id = check_token(session, token, now, LINK)
    return create_login(session, member_id, now, SESSION) if member_id is not None else None


def forget_member(session: Session, member_id: int) -> None:
    """/forget-me: the member's links and sessions go."""
    session.execute(delete(DashboardLogin).where(col(DashboardLogin.member_id) == member_id))
