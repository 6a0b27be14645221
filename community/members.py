"""Members, their platform accounts and roles."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from community import audit
from community.messages import OutboundMessage, Postbox
from storage.db import id_of
from storage.models import Member, PlatformAccount, Role

STAFF = "staff"
ADMIN = "admin"  # a staff admin: the ADMIN_* ids; manages staff accounts, may send over the month's budget
ORGANIZER = "organizer"
FACILITATOR = "facilitator"
RESIDENT = "resident"  # everyone; never stored

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_public_id() -> str:
    return "m-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


# Built once: every inbound event looks its sender up, and building the statement cost more than running it.
_MEMBER_BY_ACCOUNT = (
    select(Member)
    .join(PlatformAccount, col(PlatformAccount.member_id) == col(Member.id))
    .where(PlatformAccount.platform == bindparam("platform"), PlatformAccount.platform_user_id == bindparam("user_id"))
)


def find_member(session: Session, platform: str, platform_user_id: str) -> Member | None:
    return session.exec(_MEMBER_BY_ACCOUNT, params={"platform": platform, "user_id": platform_user_id}).first()


def get_or_create_member(session: Session, platform: str, platform_user_id: str, now: datetime) -> Member:
    member = find_member(session, platform, platform_user_id)
    if member is not None:
        return member
    member = Member(public_id=new_public_id(), created_at=now)
    session.add(member)
    session.flush()
    session.add(PlatformAccount(member_id=id_of(member), platform=platform, platform_user_id=platform_user_id))
    session.flush()
    return member


def accounts_of(session: Session, member_id: int) -> list[PlatformAccount]:
    return list(session.exec(select(PlatformAccount).where(PlatformAccount.member_id == member_id)))


def push_to_member(
    session: Session, postbox: Postbox, member_id: int, *messages: OutboundMessage, kind: str = ""
) -> int:
    """Push to every account of the member that can receive pushes (not blocked); returns how many. kind: what the
    push is for (community.budget; "" for an answer to the person)."""
    sent = 0
    for account in accounts_of(session, member_id):
        if account.followed:
            postbox.push(account.platform, account.platform_user_id, *messages, kind=kind)
            sent += 1
    return sent


def roles_of(session: Session, member_id: int | None) -> set[str]:
    """Role names (without scope) the member holds; every member is a resident."""
    roles = {RESIDENT}
    if member_id is not None:
        roles.update(session.exec(select(Role.role).where(Role.member_id == member_id)))
    return roles


def has_role(session: Session, member_id: int, role: str, scope: str = "") -> bool:
    return (
        session.exec(select(Role.id).where(Role.member_id == member_id, Role.role == role, Role.scope == scope)).first()
        is not None
    )


def holders(session: Session, role: str, scope: str) -> list[Member]:
    """The members holding `role` in `scope`, in the order they were given it."""
    return list(
        session.exec(
            select(Member)
            .join(Role, col(Role.member_id) == col(Member.id))
            .where(Role.role == role, Role.scope == scope)
            .order_by(col(Role.id))
        )
    )


def grant(
    session: Session,
    member_id: int,
    role: str,
    now: datetime,
    scope: str = "",
    *,
    by: Member | None = None,
    source: str = "",
) -> bool:
    """Give a role; False if the member already had it. A new grant goes into the audit log: who gave it (`by`;
    None for the system), to whom, and where it came from (`source`, e.g. the setting that named them)."""
    if has_role(session, member_id, role, scope):
        return False
    session.add(Role(member_id=member_id, role=role, scope=scope, created_at=now))
    session.flush()
    detail = " ".join(part for part in (role, scope, source) if part)
    audit.record(session, by, audit.ROLE_GRANT, audit.member_target(session, member_id), detail, now)
    return True


def ensure_admins(session: Session, platform: str, platform_user_ids: tuple[str, ...], now: datetime) -> int:
    """Staff named in ADMIN_*_USER_IDS get the staff role, and are staff admins, at start; returns how many were
    new staff."""
    added = 0
    for user_id in platform_user_ids:
        member = get_or_create_member(session, platform, user_id, now)
        added += grant(session, id_of(member), STAFF, now, source=f"config:{platform}")
        if not has_role(session, id_of(member), ADMIN):
            # Mirrors the setting (the staff grant above, from the same setting, is what the audit log records).
            session.add(Role(member_id=id_of(member), role=ADMIN, scope="", created_at=now))
            session.flush()
    return added
