"""The outbox sender: claims due rows, delivers them through the platform's Delivery, records the outcome.

Exactly once: a row is claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), and retries of a push or multicast
reuse the row's X-Line-Retry-Key, so a retry after a lost answer is recognised by LINE (409) instead of sent twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, func, select

from bot.queues.delivery import Delivered, Delivery, PermanentFailure, ReplyTokenExpired, TransientFailure
from bot.queues.polling import drain
from community.budget import BILLED
from community.messages import PUSH, REPLY, load_messages
from storage import leases
from storage.db import Database, utcnow
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

# Short, and renewed every third of it while a batch is out (see _LeaseKeeper): after a crash, rows a dead process
# held are due again within one lease.
LEASE_SECONDS = 15.0


def claim_due(
    session: Session,
    now: datetime,
    platforms: list[str],
    limit: int,
    lease: timedelta,
    targets: tuple[str, ...] | None = None,
) -> list[OutboxMessage]:
    """targets: claim only rows sent to one of these (a console session takes only its own person's and group's)."""
    # A row taken over from a dead holder keeps its outcome_unknown: a reply is marked before each attempt
    # (_mark_attempt), so rows the holder claimed but never tried do not count as perhaps delivered.
    where = () if targets is None else (OutboxMessage.target.in_(targets),)
    return leases.claim_due(session, OutboxMessage, "sending", now, platforms, limit, lease, where)


class OutboxSender:
    def __init__(
        self,
        db: Database,
        deliveries: dict[str, Delivery],
        *,
        batch: int = 100,
        concurrency: int = 32,
        max_attempts: int = 12,
        base_backoff: float = 1.0,
        max_backoff: float = 300.0,
        lease_seconds: float = LEASE_SECONDS,
        clock: Callable[[], datetime] = utcnow,
        jitter: Callable[[], float] = random.random,
        targets: Iterable[str] | None = None,
    ):
        self.db = db
        self.deliveries = deliveries
        self.batch = batch
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.lease = timedelta(seconds=lease_seconds)
        self.clock = clock
        self.jitter = jitter
        self.targets = tuple(targets) if targets is not None else None  # None: rows to anyone
        self.wake = asyncio.Event()
        self._calls = asyncio.Semaphore(concurrency)  # API calls in flight at once
        self._out = 0  # rows claimed and not yet recorded
        self._tails: dict[tuple[str, str], asyncio.Task] = {}  # the last row started per destination
        self._freed = asyncio.Event()

    def backoff(self, attempts: int, retry_after: float | None) -> float:
        delay = min(self.max_backoff, self.base_backoff * 2 ** max(0, attempts - 1)) * (0.5 + self.jitter())
        return max(delay, retry_after or 0.0)

    async def run(self, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        """Claim due rows whenever fewer than `batch` are out, and send each as soon as it is claimed: a slow call
        holds only its own row (and the rows after it for the same destination), never a whole batch."""
        while not stop.is_set():
            started = 0
            room = self.batch - self._out
            if room > 0:
                try:
                    started = await self._claim_and_start(room)
                except Exception:  # the loop must survive a database hiccup: the next pass tries again
                    log.exception("outbox pass failed")
            if started == 0 or self._out >= self.batch:
                self.wake.clear()
                self._freed.clear()
                waiters = [asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(self._freed.wait())]
                await asyncio.wait(waiters, timeout=idle_seconds, return_when=asyncio.FIRST_COMPLETED)
                for waiter in waiters:
                    waiter.cancel()
        if self._tails:
            await asyncio.gather(*self._tails.values(), return_exceptions=True)

    async def drain(self, max_passes: int = 1000) -> int:
        """Send everything due now (console, tests, `job`); returns how many rows were attempted."""
        return await drain(self.process_due, max_passes)

    async def process_due(self) -> int:
        """One batch, sent completely before returning (drain, tests)."""
        started = await self._claim_and_start(self.batch)
        if self._tails:
            await asyncio.gather(*self._tails.values(), return_exceptions=True)
        return started

    async def _claim_and_start(self, limit: int) -> int:
        if not self.deliveries:
            return 0
        rows = await self.db.run(claim_due, self.clock(), list(self.deliveries), limit, self.lease, self.targets)
        if not rows:
            return 0
        keeper = _LeaseKeeper(self, rows)
        keeper.task = asyncio.create_task(keeper.run(), name="outbox-lease")
        self._out += len(rows)
        for row in rows:
            # Rows for one destination go in order (each waits for the one before); destinations go in parallel.
            key = (row.platform, row.target)
            before = self._tails.get(key)
            self._tails[key] = asyncio.create_task(self._send_after(before, row, keeper, key), name="outbox-send")
        return len(rows)

    async def _send_after(
        self, before: asyncio.Task | None, row: OutboxMessage, keeper: _LeaseKeeper, key: tuple[str, str]
    ) -> None:
        try:
            if before is not None:
                await asyncio.gather(before, return_exceptions=True)
            async with self._calls:
                await self._attempt(row, keeper)
        except Exception:
            log.exception("outbox row %s: unexpected failure", row.id)
        finally:
            self._out -= 1
            keeper.done(row.id)
            if self._tails.get(key) is asyncio.current_task():
                del self._tails[key]
            self._freed.set()

    async def _attempt(self, row: OutboxMessage, keeper: _LeaseKeeper) -> None:
        if row.id not in keeper.held:
            return  # the lease ran out and another holder has the row
        delivery = self.deliveries[row.platform]
        if row.method == REPLY and not row.outcome_unknown:
            # Persist "this reply may be consumed" before trying: a reply token is single-use and has no retry key,
            # so after a crash only this mark tells a possibly-sent reply from one never tried.
            async with keeper.lock:
                if not await self.db.run(_mark_attempt, row.id, row.lease_until):
                    keeper.held.discard(row.id)
                    return
        now = self.clock()
        # After an attempt whose answer was lost, ask LINE even if the token looks old: 400 means our attempt
        # used it (sent), 200 means it never arrived (sent now). Skipping the call would guess.
        age = (
            (now - row.reply_token_at).total_seconds()
            if (row.method == REPLY and row.reply_token_at and not row.outcome_unknown)
            else None
        )
        changes: dict = {}
        try:
            # A LINE announcement's multicast names its aggregation unit (only rows that have one pass it).
            extra = {"unit": row.unit} if row.unit else {}
            outcome = await delivery.send(
                row.method, row.target, load_messages(row.messages), row.retry_key, age, **extra
            )
            changes = {
                "status": "sent",
                "sent_at": self.clock(),
                "fallback_to": None,  # (only needed until delivered)
                "last_error": None if isinstance(outcome, Delivered) and outcome.detail == "sent" else outcome.detail,
            }
        except ReplyTokenExpired as exc:
            if row.outcome_unknown:
                # Our earlier attempt's answer was lost; the token being spent means that attempt delivered.
                changes = {
                    "status": "sent",
                    "sent_at": self.clock(),
                    "fallback_to": None,
                    "last_error": f"reply token spent by an earlier attempt ({exc})",
                }
            elif row.fallback_to:
                changes = {
                    "status": "pending",
                    "method": PUSH,
                    "cost": 1 if row.platform == BILLED else 0,  # a push is billed (the budget counts it)
                    "target": row.fallback_to,
                    "next_attempt_at": now,
                    "outcome_unknown": False,
                    "last_error": f"reply fell back to push: {exc}",
                }
            else:
                changes = {"status": "parked", "last_error": f"reply token expired and no place to push: {exc}"}
        except TransientFailure as exc:
            attempts = row.attempts + 1
            if attempts >= self.max_attempts:
                changes = {
                    "status": "parked",
                    "attempts": attempts,
                    "last_error": f"gave up after {attempts} attempts: {exc}",
                }
            else:
                delay = self.backoff(attempts, exc.retry_after)
                changes = {
                    "status": "pending",
                    "attempts": attempts,
                    "last_error": str(exc)[:500],
                    "next_attempt_at": now + timedelta(seconds=delay),
                    "outcome_unknown": row.outcome_unknown or (exc.outcome_unknown and row.method == REPLY),
                }
        except PermanentFailure as exc:
            changes = {"status": "parked", "attempts": row.attempts + 1, "last_error": str(exc)[:500]}
        except Exception as exc:  # a message the platform model rejects is a bug to see, not to retry forever
            log.exception("outbox row %s could not be sent", row.id)
            changes = {
                "status": "parked",
                "attempts": row.attempts + 1,
                "last_error": f"{type(exc).__name__}: {exc}"[:500],
            }
        if changes.get("status") == "parked":
            log.error("outbox row %s parked: %s", row.id, changes.get("last_error"))
        if "attempts" not in changes and changes.get("status") != "pending":
            changes["attempts"] = row.attempts + 1
        async with keeper.lock:
            await self.db.run(_record, row.id, row.lease_until, changes)
            keeper.held.discard(row.id)


class _LeaseKeeper:
    """Renews the lease of a claimed batch's unfinished rows while they are out.

    Every row of a batch shares one lease_until; the lock keeps a renewal from racing a row's _record (which checks
    the lease it holds).
    """

    def __init__(self, sender: OutboxSender, rows: list[OutboxMessage]):
        self.sender = sender
        self.rows = {row.id: row for row in rows}
        self.held = set(self.rows)
        self.pending = set(self.rows)  # not yet finished (recorded, skipped or failed)
        self.lock = asyncio.Lock()
        self.task: asyncio.Task | None = None

    def done(self, row_id: int) -> None:
        self.pending.discard(row_id)
        if not self.pending and self.task is not None:
            self.task.cancel()  # the whole batch is finished: no more renewals

    async def run(self) -> None:
        interval = self.sender.lease.total_seconds() / 3
        while self.held:
            await asyncio.sleep(interval)
            async with self.lock:
                await self.renew()

    async def renew(self) -> None:
        ids = sorted(self.held)
        if not ids:
            return
        held_until = self.rows[ids[0]].lease_until
        new_until = self.sender.clock() + self.sender.lease
        try:
            kept = await self.sender.db.run(leases.extend_leases, OutboxMessage, "sending", ids, held_until, new_until)
        except Exception:  # the database is away: the rows come back to whoever claims them after the lease
            log.exception("outbox lease renewal failed")
            return
        for row_id in ids:
            if row_id in kept:
                self.rows[row_id].lease_until = new_until
            else:
                self.held.discard(row_id)


def _mark_attempt(session: Session, row_id: int, lease_until: datetime) -> bool:
    table = OutboxMessage.__table__
    return bool(
        session.execute(
            update(table)
            .where(table.c.id == row_id, table.c.status == "sending", table.c.lease_until == lease_until)
            .values(outcome_unknown=True)
        ).rowcount
    )


def _record(session: Session, row_id: int, lease_until: datetime, changes: dict) -> None:
    # Only the lease holder records; a row taken over after an expired lease belongs to its new holder.
    # On the table, not the ORM entity: no per-row evaluation of the criteria against the session.
    table = OutboxMessage.__table__
    changes = dict(changes, lease_until=None)
    session.execute(
        update(table)
        .where(table.c.id == row_id, table.c.status == "sending", table.c.lease_until == lease_until)
        .values(**changes)
    )


def outbox_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    return {status: count for status, count in rows}


def recipients(row: OutboxMessage) -> Iterable[str]:
    return json.loads(row.target) if row.method == "multicast" else [row.target]
