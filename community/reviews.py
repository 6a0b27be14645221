"""What members submit and staff review before it is public (circles, listings): pending -> open or rejected;
open -> closed. `kind` names both the texts (circle.not_pending) and the audit (circle.approve, circle:12)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Protocol, TypeVar

from sqlmodel import Session, SQLModel

from community import audit
from community.problems import Problem
from storage.db import as_utc
from storage.models import Member

PENDING, OPEN, REJECTED, CLOSED = "pending", "open", "rejected", "closed"


class Submission(Protocol):
    id: int | None
    status: str
    reviewed_at: datetime | None
    closed_at: datetime | None


Row = TypeVar("Row", bound=SQLModel)


def parse_id(text: str, kind: str) -> int:
    """'#12', '12', '１２' -> 12; anything else is a Problem (with the usage line)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lstrip("#")
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 9:
        raise Problem(f"{kind}.id_missing")
    return int(cleaned)


def get(session: Session, model: type[Row], row_id: int, kind: str) -> Row:
    row = session.get(model, row_id)
    if row is None:
        raise Problem(f"{kind}.no_such", id=row_id, with_usage=False)
    return row


def review(
    session: Session, row: Submission, kind: str, status: str, now: datetime, by: Member | None, reason: str = ""
) -> None:
    """Staff approve (OPEN) or reject (REJECTED) a pending submission; the audit keeps a short reason."""
    if row.status != PENDING:
        raise Problem(f"{kind}.not_pending", id=row.id, with_usage=False)
    row.status, row.reviewed_at = status, as_utc(now)
    session.add(row)
    action = "approve" if status == OPEN else "reject"
    audit.record(session, by, f"{kind}.{action}", f"{kind}:{row.id}", reason[:100], now)


def close(session: Session, row: Submission, kind: str, now: datetime, by: Member | None) -> None:
    if row.status in (CLOSED, REJECTED):
        raise Problem(f"{kind}.already_closed", id=row.id, with_usage=False)
    row.status, row.closed_at = CLOSED, as_utc(now)
    session.add(row)
    audit.record(session, by, f"{kind}.close", f"{kind}:{row.id}", "", now)
