"""What the inbox worker and the outbox sender share: the claim of due rows, and the loop (work while there is work,
then wait to be woken)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import ColumnElement, Table, or_, select, update
from sqlmodel import Session

log = logging.getLogger(__name__)


def claim_rows(
    session: Session,
    table: Table,
    busy_status: str,
    now: datetime,
    platforms: list[str],
    limit: int,
    lease: timedelta,
    where: tuple[ColumnElement[bool], ...] = (),
) -> list[SimpleNamespace]:
    """storage.leases.claim_due in one statement: UPDATE ... WHERE id IN (the due rows, oldest first, FOR UPDATE SKIP
    LOCKED on PostgreSQL) RETURNING every column. The rows come back as plain objects with the columns' names (their
    lease_until the value written, so a later "still mine?" compares it exactly): loading and flushing ORM objects
    cost more than the claim itself.
    """
    until = now + lease
    due = (
        select(table.c.id)
        .where(table.c.platform.in_(platforms), *where)
        .where(
            or_(
                (table.c.status == "pending") & (table.c.next_attempt_at <= now),
                (table.c.status == busy_status) & (table.c.lease_until < now),
            )
        )
        .order_by(table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = session.execute(
        update(table)
        .where(table.c.id.in_(due.scalar_subquery()))
        .values(status=busy_status, lease_until=until)
        .returning(*table.c)
    )
    rows = [SimpleNamespace(**{**row._mapping, "lease_until": until}) for row in claimed]
    rows.sort(key=lambda row: row.id)
    return rows


async def poll_until_stopped(
    step: Callable[[], Awaitable[int]], wake: asyncio.Event, stop: asyncio.Event, idle_seconds: float, what: str
) -> None:
    """Call step() (returns how many items it handled) until stop is set; idle, wait for wake or idle_seconds."""
    while not stop.is_set():
        try:
            handled = await step()
        except Exception:  # the loop must survive a database hiccup: the next pass tries again
            log.exception("%s pass failed", what)
            handled = 0
        if handled == 0:
            wake.clear()
            try:
                await asyncio.wait_for(wake.wait(), timeout=idle_seconds)
            except TimeoutError:
                pass


async def drain(step: Callable[[], Awaitable[int]], max_passes: int = 1000) -> int:
    """Call step() until it finds nothing due (console, tests, `job`); returns the items handled."""
    total = 0
    for _ in range(max_passes):
        handled = await step()
        if handled == 0:
            break
        total += handled
    return total
