"""The audit log of staff actions (issue #13): every feature records here what staff did — hiding and restoring,
granting roles, exporting data, sending announcements — and staff read it with /audit and on the dashboard.

Entries are only added; the retention job (purge-raw) removes those older than [city] audit_retention_days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from storage.db import as_utc, utcnow
from storage.models import Member
from storage.models.audit import AuditEntry


def record(session: Session, actor: Member | None, action: str, target: str = "", detail: str = "",
           now: datetime | None = None) -> None:
    """Add one entry. actor None: the system or the command line."""
    session.add(AuditEntry(at=as_utc(now) if now else utcnow(), actor_member_id=actor.id if actor else None,
                           action=action[:40], target=target[:80], detail=detail[:200]))


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str  # display name, or the public id once the person is forgotten; "" for the system
    action: str
    target: str
    detail: str


def recent(session: Session, limit: int = 20, before_id: int | None = None) -> list[AuditLine]:
    """The newest entries first, with who acted shown without platform ids."""
    stmt = (select(AuditEntry, Member).join(Member, Member.id == AuditEntry.actor_member_id, isouter=True)
            .order_by(AuditEntry.id.desc()).limit(limit))
    if before_id is not None:
        stmt = stmt.where(AuditEntry.id < before_id)
    return [AuditLine(entry.at, (member.display_name or member.public_id) if member else "", entry.action,
                      entry.target, entry.detail) for entry, member in session.exec(stmt)]


def purge(session: Session, now: datetime, days: int) -> int:
    """Remove entries older than the retention period; returns how many."""
    cutoff = as_utc(now - timedelta(days=days))
    return session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount or 0

