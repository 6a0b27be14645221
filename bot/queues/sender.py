"""The outbox sender: claims due rows, delivers them through the platform's Delivery, records the outcome.

Exactly once: a row is claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), and retries of a push or multicast
reuse the row's X-Line-Retry-Key, so a retry after a lost answer is recognised by LINE (409) instead of sent twice.

Throughput (issue 18): rows are claimed while fewer than `batch` are out, and each is sent as soon as it is claimed, so
a slow call holds only its own row. Calls in flight are bounded in all (`concurrency`, which the HTTP connection pool
matches) and per endpoint, and each endpoint is paced under the platform's documented rate (Delivery.endpoints). The
sender's own writes (a reply's in-flight mark just before its call, each row's outcome after it, lease renewals) go
through one writer, the ledger, which puts whatever is waiting into one transaction: a thousand answers a second cost
a few dozen transactions, not two thousand.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, func, select

from bot.queues.delivery import Delivered, Delivery, Endpoint, PermanentFailure, ReplyTokenExpired, TransientFailure
from bot.queues.polling import claim_rows, drain
from community.budget import BILLED
from community.messages import PUSH, REPLY, load_messages
from storage.db import Database, utcnow
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

# Short, and renewed every third of it while rows are out: after a crash, rows a dead process held are due again
# within one lease.
LEASE_SECONDS = 15.0


def claim_due(
    session: Session,
    now: datetime,
    platforms: list[str],
    limit: int,
    lease: timedelta,
    targets: tuple[str, ...] | None = None,
) -> list[Any]:
    """Claim up to limit due rows (see polling.claim_rows): objects with OutboxMessage's columns.
    targets: claim only rows sent to one of these (a console session takes only its own person's and group's)."""
    # A row taken over from a dead holder keeps its outcome_unknown: a reply is marked before each attempt
    # (the ledger's mark), so rows the holder claimed but never tried do not count as perhaps delivered.
    where = () if targets is None else (_outbox.c.target.in_(targets),)
    return claim_rows(session, _outbox, "sending", now, platforms, limit, lease, where)


async def _first_of(seconds: float, *events: asyncio.Event) -> None:
    """Wait until one of the events is set, at most `seconds`."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()


class Pace:
    """Keeps calls to one endpoint at `per_second` on average, letting a tenth of a second's worth go at once (the
    generic cell rate algorithm: each call is due one interval after the one before; it waits only when that moment
    is more than the allowed burst ahead of now)."""

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second
        self.tolerance = max(1.0, per_second / 10) * self.interval
        self.due = 0.0

    def delay(self, now: float) -> float:
        """Seconds the call asked for at `now` must wait (taking its slot)."""
        self.due = max(self.due, now)
        wait = max(0.0, self.due - now - self.tolerance)
        self.due += self.interval
        return wait

    async def wait(self) -> None:
        wait = self.delay(asyncio.get_running_loop().time())
        if wait > 0:
            await asyncio.sleep(wait)


class OutboxSender:
    def __init__(
        self,
        db: Database,
        deliveries: dict[str, Delivery],
        *,
        batch: int = 200,
        concurrency: int = 64,
        max_attempts: int = 12,
        base_backoff: float = 1.0,
        max_backoff: float = 300.0,
        lease_seconds: float = LEASE_SECONDS,
        gather_seconds: float = 0.01,
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
        self.gather_seconds = gather_seconds  # after a claim that emptied the queue: let rows gather before the next
        self.clock = clock
        self.jitter = jitter
        self.targets = tuple(targets) if targets is not None else None  # None: rows to anyone
        self.wake = asyncio.Event()
        self.ledger = Ledger(db)
        self._calls = asyncio.Semaphore(concurrency)  # API calls in flight at once, all endpoints together
        self._endpoints: dict[tuple[str, str], tuple[asyncio.Semaphore, Pace | None]] = {}
        self._held: dict[int, OutboxMessage] = {}  # claimed, lease ours, outcome not yet recorded
        self._out = 0  # rows claimed and not yet finished
        self._tails: dict[tuple[str, str], asyncio.Task] = {}  # the last row started per destination
        self._freed = asyncio.Event()
        self._keeper: asyncio.Task | None = None
        # Platforms whose rows another process sends (bot/queues/queue_process.py): not claimed here.
        self.elsewhere: frozenset[str] = frozenset()

    def backoff(self, attempts: int, retry_after: float | None) -> float:
        delay = min(self.max_backoff, self.base_backoff * 2 ** max(0, attempts - 1)) * (0.5 + self.jitter())
        return max(delay, retry_after or 0.0)

    async def run(self, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        """Claim due rows whenever a quarter of `batch` is free, and send each as soon as it is claimed."""
        while not stop.is_set():
            room = self.batch - self._out
            started = 0
            try:
                started = await self._claim_and_start(room)
            except Exception:  # the loop must survive a database hiccup: the next pass tries again
                log.exception("outbox pass failed")
            if self._out > self.batch - self.batch // 4:
                self._freed.clear()  # full: wait for room
                await _first_of(idle_seconds, self._freed, stop)
            elif started == 0:
                await _first_of(idle_seconds, self.wake, stop)  # nothing due: wait for new rows (or retries)
            elif started < room:
                # The queue is empty for now: let rows gather a moment rather than claim them one at a time.
                await _first_of(self.gather_seconds, stop)
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
        # Cleared first: a wake this sender cannot act on (every platform sent elsewhere) would otherwise stay set, and
        # run() would pass through its wait without waiting, at a full core.
        self.wake.clear()
        platforms = [platform for platform in self.deliveries if platform not in self.elsewhere]
        if not platforms or limit <= 0:
            return 0
        rows = await self.db.run(claim_due, self.clock(), platforms, limit, self.lease, self.targets)
        if not rows:
            return 0
        self._out += len(rows)
        for row in rows:
            self._held[row.id] = row
            # Rows for one destination go in order (each waits for the one before); destinations go in parallel.
            key = (row.platform, row.target)
            before = self._tails.get(key)
            self._tails[key] = asyncio.create_task(self._send_after(before, row, key), name="outbox-send")
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.create_task(self._keep_leases(), name="outbox-lease")
        return len(rows)

    def _endpoint(self, row: OutboxMessage) -> tuple[asyncio.Semaphore, Pace | None]:
        key = (row.platform, row.method)
        found = self._endpoints.get(key)
        if found is None:
            limits: Endpoint | None = getattr(self.deliveries[row.platform], "endpoints", {}).get(row.method)
            in_flight = min(self.concurrency, limits.in_flight) if limits else self.concurrency
            found = self._endpoints[key] = (
                asyncio.Semaphore(in_flight),
                Pace(limits.per_second) if limits else None,
            )
        return found

    async def _send_after(self, before: asyncio.Task | None, row: OutboxMessage, key: tuple[str, str]) -> None:
        try:
            if before is not None:
                await asyncio.gather(before, return_exceptions=True)
            slots, pace = self._endpoint(row)
            async with self._calls, slots:
                if pace is not None:
                    await pace.wait()
                await self._attempt(row)
        except Exception:
            log.exception("outbox row %s: unexpected failure", row.id)
        finally:
            self._held.pop(row.id, None)
            self._out -= 1
            if self._tails.get(key) is asyncio.current_task():
                del self._tails[key]
            if self._out <= self.batch - self.batch // 4:
                self._freed.set()

    async def _attempt(self, row: OutboxMessage) -> None:
        if row.id not in self._held:
            return  # the lease ran out and another holder has the row
        delivery = self.deliveries[row.platform]
        # Persist "this reply may be consumed" before trying: a reply token is single-use and has no retry key,
        # so after a crash only this mark tells a possibly-sent reply from one never tried.
        if row.method == REPLY and not row.outcome_unknown and not await self.ledger.mark(row):
            return
        now = self.clock()
        # After an attempt whose answer was lost, ask LINE even if the token looks old: 400 means our attempt
        # used it (sent), 200 means it never arrived (sent now). Skipping the call would guess.
        age = (
            (now - row.reply_token_at).total_seconds()
            if (row.method == REPLY and row.reply_token_at and not row.outcome_unknown)
            else None
        )
        try:
            # A LINE announcement's multicast names its aggregation unit (only rows that have one pass it).
            extra = {"unit": row.unit} if row.unit else {}
            outcome = await delivery.send(
                row.method, row.target, load_messages(row.messages), row.retry_key, age, **extra
            )
            changes: dict[str, Any] = {
                "status": "sent",
                "sent_at": self.clock(),
                "fallback_to": None,  # (only needed until delivered)
                "last_error": None if isinstance(outcome, Delivered) and outcome.detail == "sent" else outcome.detail,
            }
        except ReplyTokenExpired as exc:
            changes = self._token_spent(row, now, exc)
        except TransientFailure as exc:
            changes = self._retry_later(row, now, exc)
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
        self._held.pop(row.id, None)  # no more renewals: the outcome is on its way to the database
        await self.ledger.record(row, changes)

    def _token_spent(self, row: OutboxMessage, now: datetime, exc: ReplyTokenExpired) -> dict[str, Any]:
        if row.outcome_unknown:
            # Our earlier attempt's answer was lost; the token being spent means that attempt delivered.
            return {
                "status": "sent",
                "sent_at": self.clock(),
                "fallback_to": None,
                "last_error": f"reply token spent by an earlier attempt ({exc})",
            }
        if row.fallback_to:
            return {
                "status": "pending",
                "method": PUSH,
                "cost": 1 if row.platform == BILLED else 0,  # a push is billed (the budget counts it)
                "target": row.fallback_to,
                "next_attempt_at": now,
                "outcome_unknown": False,
                "last_error": f"reply fell back to push: {exc}",
            }
        return {"status": "parked", "last_error": f"reply token expired and no place to push: {exc}"}

    def _retry_later(self, row: OutboxMessage, now: datetime, exc: TransientFailure) -> dict[str, Any]:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            return {"status": "parked", "attempts": attempts, "last_error": f"gave up after {attempts} attempts: {exc}"}
        return {
            "status": "pending",
            "attempts": attempts,
            "last_error": str(exc)[:500],
            "next_attempt_at": now + timedelta(seconds=self.backoff(attempts, exc.retry_after)),
            "outcome_unknown": row.outcome_unknown or (exc.outcome_unknown and row.method == REPLY),
        }

    async def _keep_leases(self) -> None:
        """While rows are out, renew their leases every third of a lease (one statement per shared lease)."""
        interval = self.lease.total_seconds() / 3
        while self._held:
            await asyncio.sleep(interval)
            rows = list(self._held.values())
            if not rows:
                break
            try:
                kept = await self.ledger.renew(rows, self.clock() + self.lease)
            except Exception:  # the database is away: the rows come back to whoever claims them after the lease
                log.exception("outbox lease renewal failed")
                continue
            for row in rows:
                if row.id not in kept:
                    self._held.pop(row.id, None)


# ---- the ledger: the sender's writes, group-committed --------------------------------------------------------------


@dataclass
class _Op:
    kind: str  # "mark", "record", "renew"
    rows: list[OutboxMessage]
    changes: dict[str, Any] = field(default_factory=dict)
    until: datetime | None = None  # renew: the new lease
    future: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class Ledger:
    """Marks, outcomes and lease renewals of outbox rows, each written only while the row's lease is ours (the lease
    it was claimed or last renewed with), and whatever is waiting written in one transaction. One write at a time, so
    a renewal never races an outcome; a failed shared write is tried again op by op, so one op's failure is its own.

    give_way: awaited before each write (in the queue process on SQLite: the webhook's writes go first, see
    bot/queues/queue_process.py)."""

    def __init__(self, db: Database, max_ops: int = 500):
        self.db = db
        self.max_ops = max_ops
        self.give_way: Callable[[], Awaitable[None]] | None = None
        self._waiting: list[_Op] = []
        self._writer: asyncio.Task | None = None

    async def mark(self, row: OutboxMessage) -> bool:
        """Mark a reply "perhaps delivered" before its call; False when the row is no longer ours."""
        return bool(await self._submit(_Op("mark", [row])))

    async def record(self, row: OutboxMessage, changes: dict[str, Any]) -> None:
        await self._submit(_Op("record", [row], changes))

    async def renew(self, rows: list[OutboxMessage], until: datetime) -> set[int]:
        """Move the rows' leases to `until`; returns the ids still ours (their lease_until is updated)."""
        kept = await self._submit(_Op("renew", rows, until=until))
        return kept if isinstance(kept, set) else set()

    async def _submit(self, op: _Op) -> Any:
        self._waiting.append(op)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="outbox-ledger")
        return await op.future

    async def _write(self) -> None:
        while self._waiting:
            if self.give_way is not None:
                await self.give_way()
            ops, self._waiting = self._waiting[: self.max_ops], self._waiting[self.max_ops :]
            try:
                results, leases_now = await self.db.run(_apply, ops)
            except Exception:  # noqa: BLE001 - one op's failure must not fail the others: each tries alone
                for op in ops:
                    await self._alone(op)
            else:
                _settle(ops, results, leases_now)

    async def _alone(self, op: _Op) -> None:
        try:
            results, leases_now = await self.db.run(_apply, [op])
        except Exception as exc:  # noqa: BLE001 - handed to the op's caller
            if not op.future.done():
                op.future.set_exception(exc)
        else:
            _settle([op], results, leases_now)


def _settle(ops: list[_Op], results: list[Any], leases_now: dict[int, datetime]) -> None:
    for op in ops:
        for row in op.rows:
            if row.id in leases_now:
                row.lease_until = leases_now[row.id]
    for op, result in zip(ops, results, strict=True):
        if not op.future.done():
            op.future.set_result(result)


_outbox = OutboxMessage.__table__
# The common outcome, built once and run as one executemany for every row sent in a flush.
_SENT = (
    update(_outbox)
    .where(
        _outbox.c.id == bindparam("row_id"),
        _outbox.c.status == "sending",
        _outbox.c.lease_until == bindparam("held_until"),
    )
    .values(
        status="sent",
        sent_at=bindparam("at"),
        fallback_to=None,
        last_error=bindparam("error"),
        attempts=bindparam("tries"),
        lease_until=None,
    )
)
_SENT_KEYS = {"status", "sent_at", "fallback_to", "last_error", "attempts"}


def _held_ids(session: Session, values: dict[str, Any], rows: list[OutboxMessage], leases_now: dict) -> set[int]:
    """Apply `values` to the rows still held under the lease we know for each; returns their ids."""
    by_lease: dict[datetime | None, list[int]] = {}
    for row in rows:
        by_lease.setdefault(leases_now.get(row.id, row.lease_until), []).append(row.id)
    done: set[int] = set()
    for lease, ids in by_lease.items():
        result = session.execute(
            update(_outbox)
            .where(_outbox.c.id.in_(ids), _outbox.c.status == "sending", _outbox.c.lease_until == lease)
            .values(**values)
            .returning(_outbox.c.id)
        )
        done |= {row_id for (row_id,) in result}
    return done


def _apply(session: Session, ops: list[_Op]) -> tuple[list[Any], dict[int, datetime]]:
    """One transaction: marks first, then outcomes, then renewals (so a renewal written with them never moves a lease
    an earlier op of the same flush still names). Returns each op's result and the leases renewals moved."""
    results: dict[int, Any] = {}
    leases_now: dict[int, datetime] = {}
    marks = [(i, op) for i, op in enumerate(ops) if op.kind == "mark"]
    if marks:
        marked = _held_ids(session, {"outcome_unknown": True}, [op.rows[0] for _, op in marks], leases_now)
        for i, op in marks:
            results[i] = op.rows[0].id in marked
    sent = []
    for i, op in enumerate(ops):
        if op.kind != "record":
            continue
        row, changes = op.rows[0], op.changes
        if changes.get("status") == "sent" and set(changes) == _SENT_KEYS and changes["fallback_to"] is None:
            sent.append(
                {
                    "row_id": row.id,
                    "held_until": row.lease_until,
                    "at": changes["sent_at"],
                    "error": changes["last_error"],
                    "tries": changes["attempts"],
                }
            )
        else:
            # Only the lease holder records; a row taken over after an expired lease belongs to its new holder.
            session.execute(
                update(_outbox)
                .where(_outbox.c.id == row.id, _outbox.c.status == "sending", _outbox.c.lease_until == row.lease_until)
                .values(**changes, lease_until=None)
            )
        results[i] = None
    if sent:
        session.execute(_SENT, sent)
    for i, op in enumerate(ops):
        if op.kind == "renew":
            kept = _held_ids(session, {"lease_until": op.until}, op.rows, leases_now)
            leases_now.update({row_id: op.until for row_id in kept})
            results[i] = kept
    return [results[i] for i in range(len(ops))], leases_now


def outbox_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    return {status: count for status, count in rows}


def recipients(row: OutboxMessage) -> Iterable[str]:
    return json.loads(row.target) if row.method == "multicast" else [row.target]
