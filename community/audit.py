"""The audit log of staff actions (issue #13): every feature records here what staff did — hiding and restoring,
granting roles, exporting data, importing donations — and staff read it with /audit and on the dashboard.

Entries are only added: the ORM refuses to change or delete one (`_append_only`), no command or page offers to, and
only the retention job (purge-raw) removes those older than [city] audit_retention_days. Who acted is shown by
display name or public id, never by a platform id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, cast

from sqlalchemy import CursorResult, delete, event, func
from sqlmodel import Session, col, select

from community.texts import has, t
from storage.db import as_utc, utcnow
from storage.models import Member
from storage.models.audit import AuditEntry

PAGE_SIZE = 20

# What the entries' action names say; the views name each in the reader's language (community/texts/staff.py).
ROLE_GRANT = "role.grant"
EXPORT_KPI_CSV = "export.kpi_csv"
DONATIONS_IMPORT = "donations.import"


class AuditEntryIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry through the ORM."""


def _append_only(_mapper: Any, _connection: Any, target: AuditEntry) -> None:
    raise AuditEntryIsAppendOnly(f"audit entry {target.id} cannot be changed or deleted")


# Mapper events cost nothing for other tables; the retention purge is a bulk DELETE and does not pass here.
event.listen(AuditEntry, "before_update", _append_only)
event.listen(AuditEntry, "before_delete", _append_only)


def record(
    session: Session,
    actor: Member | int | None,
    action: str,
    target: str = "",
    detail: str = "",
    now: datetime | None = None,
) -> None:
    """Add one entry. actor: the member who acted (or their id); None for the system or the command line."""
    actor_id = actor.id if isinstance(actor, Member) else actor
    session.add(
        AuditEntry(
            at=as_utc(now) if now else utcnow(),
            actor_member_id=actor_id,
            action=action[:40],
            target=target[:80],
            detail=detail[:200],
        )
    )


def member_target(session: Session, member_id: int) -> str:
    """How an entry names a member it was about: by public id (never a platform id)."""
    member = session.get(Member, member_id)
    return f"member:{member.public_id}" if member is not None else f"member:#{member_id}"


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str  # display name, or the public id (always once the person is forgotten); "" for the system
    action: str
    target: str
    detail: str


def _lines(session: Session, limit: int, offset: int = 0, before_id: int | None = None) -> list[AuditLine]:
    stmt = (
        select(AuditEntry, Member)
        .join(Member, col(Member.id) == col(AuditEntry.actor_member_id), isouter=True)
        .order_by(col(AuditEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    if before_id is not None:
        stmt = stmt.where(col(AuditEntry.id) < before_id)
    return [
        AuditLine(as_utc(entry.at), _actor_name(member), entry.action, entry.target, entry.detail)
        for entry, member in session.exec(stmt)
    ]


def _actor_name(member: Member | None) -> str:
    if member is None:
        return ""
    return member.display_name or member.public_id


def recent(session: Session, limit: int = PAGE_SIZE, before_id: int | None = None) -> list[AuditLine]:
    """The newest entries first, with who acted shown without platform ids."""
    return _lines(session, limit, before_id=before_id)


@dataclass(frozen=True)
class AuditPage:
    number: int  # 1: the newest entries
    last: int  # the number of the oldest page (1 when there are no entries)
    total: int
    lines: tuple[AuditLine, ...]


def page(session: Session, number: int, size: int = PAGE_SIZE) -> AuditPage:
    """One page of the log, newest first: page 1 holds the newest `size` entries."""
    total = int(session.exec(select(func.count()).select_from(AuditEntry)).one())
    last = max(1, -(-total // size))
    number = max(1, number)
    lines = _lines(session, size, offset=(number - 1) * size) if number <= last else []
    return AuditPage(number, last, total, tuple(lines))


def purge(session: Session, now: datetime, days: int) -> int:
    """Remove entries older than the retention period; returns how many."""
    cutoff = as_utc(now - timedelta(days=days))
    result = cast("CursorResult[Any]", session.execute(delete(AuditEntry).where(col(AuditEntry.at) < cutoff)))
    return result.rowcount or 0


@dataclass(frozen=True)
class ShownLine:
    """An entry as a person reads it: local time, who (or "system"), the action in their language."""

    when: str  # 2026-04-13 09:00, city time
    actor: str
    action: str
    target: str
    detail: str


def shown(line: AuditLine, lang: str, tz: tzinfo) -> ShownLine:
    key = f"audit.action.{line.action}"
    return ShownLine(
        when=line.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        actor=line.actor or t(lang, "audit.system"),
        action=t(lang, key) if has(key) else line.action,
        target=line.target,
        detail=line.detail,
    )
