"""Staff accounts without a restart (issue 15): a staff admin (the ADMIN_* ids) adds and removes staff from chat, and
every change goes to the audit log. Staff admins themselves come only from the settings, so nobody can make or
unmake one from chat, and the settings are read again at every start (`sync_admins`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from community import audit, members
from community.problems import Problem
from storage.db import id_of
from storage.models import Member, PlatformAccount, Role

ROLE_REVOKE = "role.revoke"
CONFIGURED = ("line", "discord")  # platforms whose admins the settings name (the console's are local)


def add(session: Session, member: Member, by: Member | None, now: datetime) -> bool:
    """Make someone staff; False when they already are. Audited (community.members.grant)."""
    if member.forgotten_at is not None:
        raise Problem("staff.account_forgotten", with_usage=False)
    return members.grant(session, id_of(member), members.STAFF, now, by=by, source="chat")


def remove(session: Session, member: Member, by: Member | None, now: datetime) -> bool:
    """Take the staff role away; False when they were not staff. A staff admin is staff by the settings: refused."""
    member_id = id_of(member)
    if members.has_role(session, member_id, members.ADMIN):
        raise Problem("staff.remove_admin", with_usage=False)
    if not members.has_role(session, member_id, members.STAFF):
        return False
    session.execute(
        delete(Role).where(col(Role.member_id) == member_id, col(Role.role) == members.STAFF, col(Role.scope) == "")
    )
    audit.record(session, by, ROLE_REVOKE, audit.member_target(session, member_id), members.STAFF, now)
    return True


@dataclass(frozen=True)
class StaffLine:
    name: str  # the display name the bot knows, else the public id (never a platform id)
    public_id: str
    admin: bool


def listing(session: Session) -> list[StaffLine]:
    rows = session.exec(
        select(Member)
        .join(Role, col(Role.member_id) == col(Member.id))
        .where(Role.role == members.STAFF, Role.scope == "")
        .order_by(col(Role.id))
    )
    found = []
    for member in {m.id: m for m in rows}.values():
        admin = members.has_role(session, id_of(member), members.ADMIN)
        found.append(StaffLine(member.display_name or member.public_id, member.public_id, admin))
    return sorted(found, key=lambda line: (not line.admin, line.public_id))


def sync_admins(session: Session, configured: Mapping[str, tuple[str, ...]], now: datetime) -> int:
    """At start: the settings' ids are staff admins (members.ensure_admins), and nobody else from LINE or Discord is:
    an id taken out of ADMIN_* loses the admin role (they stay staff until an admin removes them). Returns how many
    lost it."""
    for platform, user_ids in configured.items():
        members.ensure_admins(session, platform, user_ids, now)
    named = {(platform, user_id) for platform, user_ids in configured.items() for user_id in user_ids}
    admins = session.exec(select(Role).where(Role.role == members.ADMIN)).all()
    dropped = 0
    for role in admins:
        accounts = session.exec(select(PlatformAccount).where(PlatformAccount.member_id == role.member_id)).all()
        configured_here = [a for a in accounts if a.platform in CONFIGURED]
        if not configured_here or any((a.platform, a.platform_user_id) in named for a in configured_here):
            continue  # still named, or a console user (local only)
        session.delete(role)
        dropped += 1
    session.flush()
    return dropped
