"""Leased work queues: the inbox and the outbox are both tables of rows that one holder at a time works on.

A row is claimed by setting its busy status and a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so instances never take
the same row); a holder that dies leaves a lease that expires, and the row is taken again. Holders renew the lease
while they work and record a row's outcome only while they still hold it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import Session, select

Row = TypeVar("Row")


def claim_due(
    session: Session,
    model: type[Row],
    busy_status: str,
    now: datetime,
    platforms: list[str],
    limit: int,
    lease: timedelta,
    where: tuple[ColumnElement[bool], ...] = (),
) -> list[Row]:
    """Claim up to limit rows that are pending and due, or whose holder's lease ran out, oldest first.
    where: further conditions a row must meet (e.g. only some targets)."""
    stmt = (
        select(model)
        .where(model.platform.in_(platforms), *where)
        .where(
            or_(
                (model.status == "pending") & (model.next_attempt_at <= now),
                (model.status == busy_status) & (model.lease_until < now),
            )
        )
        .order_by(model.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.exec(stmt))
    for row in rows:
        row.status = busy_status
        row.lease_until = now + lease
        session.add(row)
    return rows


def extend_leases(
    session: Session, model, busy_status: str, ids: list[int], held_until: datetime, new_until: datetime
) -> set[int]:
    """Move the lease of rows still held under `held_until` to `new_until`; returns the ids still ours."""
    if not ids:
        return set()
    table = model.__table__
    result = session.execute(
        update(table)
        .where(table.c.id.in_(ids), table.c.status == busy_status, table.c.lease_until == held_until)
        .values(lease_until=new_until)
        .returning(table.c.id)
    )
    return {row_id for (row_id,) in result}
