"""The inbox: the webhook's only write (store_events), and the worker that turns stored events into handled ones.

An event's handling and the sends it causes commit in one transaction, then the row is marked done: a redelivered
or re-claimed event is handled once, and nothing it sent is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, text, update
from sqlmodel import Session, func, select

from bot.queues.outbox import OutboxWriter
from bot.queues.polling import claim_rows, drain, poll_until_stopped
from community import members
from community.city import Site
from community.messages import DIRECT, FOLLOW, MESSAGE, POSTBACK, Inbound, Postbox, Text
from community.texts import t
from handlers import dialogues
from handlers.context import Context
from handlers.router import Router, normalise_command_text
from storage import leases
from storage.db import Database, utcnow
from storage.models import InboxEvent

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Short, and renewed while a batch is being worked through: after a crash the rows a dead process held are due
# again within one lease, not minutes later. (Handling stays exactly once however the lease ends: _complete
# checks the lease in the same transaction as the handling.)
LEASE_SECONDS = 15.0


class Translator(Protocol):
    platform: str

    async def translate(self, payload: str) -> Inbound | None: ...

    # Optional: the same without waiting on anything (for a batch handled on the database thread); raises NeedsLoop
    # for an event whose translation must call out (a LINE join asks the group's name).
    # def translate_now(self, payload: str) -> Inbound | None: ...


class NeedsLoop(Exception):
    """translate_now cannot translate this event without awaiting something: handle it the ordinary way."""


class ConsoleTranslator:
    """The console adapter stores neutral Inbound JSON in the inbox; translating is decoding."""

    platform = "console"

    async def translate(self, payload: str) -> Inbound:
        return Inbound.from_json(payload)

    def translate_now(self, payload: str) -> Inbound:
        return Inbound.from_json(payload)


_INBOX_COLUMNS = (
    "platform",
    "event_id",
    "event_type",
    "is_redelivery",
    "redeliveries",
    "received_at",
    "payload",
    "status",
    "attempts",
    "next_attempt_at",
)


@lru_cache(maxsize=4)
def _insert_sql(paramstyle: str) -> str:
    marker = "?" if paramstyle == "qmark" else "%s"
    return (
        f"INSERT INTO inbox_event ({', '.join(_INBOX_COLUMNS)}) VALUES ({', '.join([marker] * len(_INBOX_COLUMNS))})"
        " ON CONFLICT (platform, event_id) DO NOTHING"
    )


def store_events(session: Session, platform: str, events: list[tuple[str, str, bool, str]], now: datetime) -> int:
    """Insert (event id, type, redelivery, payload) rows; an id already stored is ignored. Returns rows inserted.

    This is the webhook's hot path: one driver-level executemany of a fixed statement (valid on SQLite and
    PostgreSQL), with the time converted once by the column type's own bind processor, so rows are stored exactly as
    the ORM would store them. Building ORM/Core inserts per request cost more than the insert itself."""
    if not events:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    to_db = InboxEvent.__table__.c.received_at.type._cached_bind_processor(dialect)
    when = to_db(now) if to_db else now
    rows = [
        (platform, eid, etype, redelivery, 0, when, payload, "pending", 0, when)
        for eid, etype, redelivery, payload in events
    ]
    return connection.exec_driver_sql(_insert_sql(dialect.paramstyle), rows).rowcount


def store_batches(session: Session, batches: list[tuple[str, list[tuple[str, str, bool, str]]]], now: datetime) -> int:
    """store_events for several webhook requests in one transaction (one statement per platform)."""
    by_platform: dict[str, list[tuple[str, str, bool, str]]] = {}
    for platform, events in batches:
        by_platform.setdefault(platform, []).extend(events)
    return sum(store_events(session, platform, events, now) for platform, events in by_platform.items())


InboxRows = list[tuple[str, str, bool, str]]  # (event id, type, is redelivery, payload)

T = TypeVar("T")


async def writing(db: Database, on_busy: Callable[[bool], None] | None, fn: Callable[..., T], *args: Any) -> T:
    """db.run(fn, ...) with on_busy(True) before and on_busy(False) after (see InboxWriter.on_busy)."""
    if on_busy is None:
        return await db.run(fn, *args)
    on_busy(True)
    try:
        return await db.run(fn, *args)
    finally:
        on_busy(False)


class InboxWriter:
    """Group commit for the webhook: requests that arrive while a write is in flight share the next transaction.

    Each request is answered only after the commit that holds its events (a 200 still means stored); under load
    one transaction, and one trip to the database thread, carries many requests instead of one each.
    """

    def __init__(self, db: Database, max_requests: int = 200):
        self.db = db
        self.max_requests = max_requests
        self._waiting: list[tuple[str, list, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        # on_busy(True) as a write goes to the database, on_busy(False) when it is done: a worker in another process
        # that shares this SQLite file gives way by it (bot/queues/inbox_process.py), as quiet() lets one here.
        self.on_busy: Callable[[bool], None] | None = None

    async def store(self, platform: str, events: list[tuple[str, str, bool, str]]) -> None:
        """Returns once the events are committed; raises what the write raised (e.g. SQLAlchemyError)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((platform, events, future))
        self._idle.clear()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="inbox-writer")
        await future

    async def quiet(self, at_most: float = 0.02) -> None:
        """Wait (bounded) until no webhook request is waiting for its commit: the worker gives way to acks."""
        if not self._idle.is_set():
            try:
                await asyncio.wait_for(self._idle.wait(), timeout=at_most)
            except TimeoutError:
                pass

    async def _flush(self) -> None:
        try:
            await self._flush_waiting()
        finally:
            if not self._waiting:
                self._idle.set()

    async def _flush_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self.max_requests], self._waiting[self.max_requests :]
            try:
                await writing(self.db, self.on_busy, store_batches, [(p, events) for p, events, _ in batch], utcnow())
            except Exception:  # noqa: BLE001 - one request's input must not fail the others: each tries alone
                for platform, events, future in batch:
                    await self._store_alone(platform, events, future)
            else:
                for _, _, future in batch:
                    if not future.done():
                        future.set_result(None)

    async def _store_alone(self, platform: str, events: InboxRows, future: asyncio.Future) -> None:
        """One request in a transaction of its own; an event that cannot be stored as it is gets parked instead
        (answered 200: LINE would otherwise redeliver it forever). Raises to the request only what stops every
        write (the database is away)."""
        try:
            await writing(self.db, self.on_busy, store_or_park, platform, events, utcnow())
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request, which answers 503
            if not future.done():
                future.set_exception(exc)
        else:
            if not future.done():
                future.set_result(None)


def store_or_park(session: Session, platform: str, events: InboxRows, now: datetime) -> int:
    """Each event alone; one the database refuses is stored as a parked row without its payload."""
    stored = 0
    for event_id, event_type, redelivery, payload in events:
        savepoint = session.begin_nested()
        try:
            stored += store_events(session, platform, [(event_id, event_type, redelivery, payload)], now)
            savepoint.commit()
        except Exception as exc:  # noqa: BLE001 - the event's own data was refused; park it, keep the rest
            savepoint.rollback()
            log.warning(
                "inbox event %s could not be stored as received (%s): parked", event_id[:24], type(exc).__name__
            )
            session.execute(
                _PARK,
                {
                    "platform": platform,
                    "event_id": event_id,
                    "event_type": event_type,
                    "redelivery": redelivery,
                    "now": now,
                    "error": f"not storable: {type(exc).__name__}",
                },
            )
            stored += 1
    return stored


_PARK = text(
    "INSERT INTO inbox_event (platform, event_id, event_type, is_redelivery, redeliveries, received_at, payload,"
    " status, attempts, next_attempt_at, last_error) VALUES (:platform, :event_id, :event_type, :redelivery, 0, :now,"
    " NULL, 'parked', 0, :now, :error) ON CONFLICT (platform, event_id) DO NOTHING"
).bindparams(bindparam("now", type_=InboxEvent.__table__.c.received_at.type))


def claim_due(session: Session, now: datetime, platforms: list[str], limit: int, lease: timedelta) -> list[Any]:
    """Claim up to limit due events (see polling.claim_rows): objects with InboxEvent's columns."""
    return claim_rows(session, _inbox, "processing", now, platforms, limit, lease)


class Dispatcher:
    """Handles one inbound event inside the inbox transaction: the sender's member and roles, the router, and the
    outbox rows for what the handlers sent."""

    def __init__(self, router: Router, site: Site, outbox: OutboxWriter):
        self.router = router
        self.site = site
        self.outbox = outbox

    def handle(self, session: Session, inbound: Inbound, source_event_id: int | None = None) -> Postbox:
        """Dispatch one inbound event and write what it sends to the outbox (caller commits)."""
        now_utc = utcnow()
        now = now_utc.astimezone(self.site.tz)
        member = None
        if inbound.sender_id:
            # A command, a button or a 1:1 message comes from someone talking to the bot; chat in a group does not.
            wants_member = inbound.kind in (FOLLOW, POSTBACK) or (
                inbound.kind == MESSAGE
                and (
                    inbound.place.kind == DIRECT
                    or bool(inbound.text and normalise_command_text(inbound.text) is not None)
                )
            )
            if wants_member:
                member = members.get_or_create_member(session, inbound.platform, inbound.sender_id, now_utc)
            else:
                member = members.find_member(session, inbound.platform, inbound.sender_id)
        roles = members.roles_of(session, member.id if member else None)
        ctx = Context(session=session, site=self.site, inbound=inbound, now=now, member=member, roles=roles)
        self.router.dispatch(ctx)
        if (
            member is not None
            and inbound.place.kind == DIRECT
            and inbound.kind in (MESSAGE, POSTBACK, FOLLOW)
            and not ctx.refused
        ):
            dialogues.remember_question(session, member.id, inbound.place.id, ctx.postbox, now)
        # A reply token's age counts from the event, not from when a retry finally handled it.
        self.outbox.write(session, ctx.postbox.items, now_utc, source_event_id, reply_token_at=inbound.occurred_at)
        return ctx.postbox

    def apologise(self, session: Session, inbound: Inbound, source_event_id: int, now: datetime) -> None:
        """The person should not meet silence when their event could not be handled (it stays parked for staff)."""
        box = Postbox()
        box.reply_to(inbound, Text(t("ja", "failed")))
        self.outbox.write(session, box.items, now, source_event_id, reply_token_at=inbound.occurred_at)


# Built once, on the table rather than the ORM entity: per event, building an ORM update (and its in-session
# evaluation) cost several times more than running it.
_inbox = InboxEvent.__table__
_FINISH = (
    update(_inbox)
    .where(
        _inbox.c.id == bindparam("row_id"),
        _inbox.c.status == "processing",
        _inbox.c.lease_until == bindparam("held_until"),
    )
    .values(
        status=bindparam("new_status"),
        processed_at=bindparam("finished_at"),
        lease_until=None,
        last_error=bindparam("error"),
    )
)


_FORGET_PAYLOAD = update(_inbox).where(_inbox.c.id == bindparam("row_id")).values(payload=None)


def _complete(
    session: Session,
    row_id: int,
    lease_until: datetime,
    status: str,
    dispatcher: Dispatcher | None,
    inbound: Inbound | None,
    error: str | None = None,
) -> bool:
    done = session.execute(
        _FINISH,
        {"row_id": row_id, "held_until": lease_until, "new_status": status, "finished_at": utcnow(), "error": error},
    ).rowcount
    if not done:
        session.rollback()  # someone else holds it now
        return False
    if inbound is not None and dispatcher is not None:
        dispatcher.handle(session, inbound, row_id)
        if _group_chat(inbound):
            # What people say to each other in a group is counted while handling, never kept.
            session.execute(_FORGET_PAYLOAD, {"row_id": row_id})
    return True


def _group_chat(inbound: Inbound) -> bool:
    return (
        inbound.kind == MESSAGE
        and inbound.place.kind != DIRECT
        and not (inbound.text and normalise_command_text(inbound.text) is not None)
    )


def _record_failure(
    session: Session,
    row_id: int,
    lease_until: datetime,
    error: str,
    dispatcher: Dispatcher,
    inbound: Inbound | None,
    now: datetime | None = None,
) -> str:
    now = now or utcnow()
    row = session.get(InboxEvent, row_id)
    if row is None or row.status != "processing" or row.lease_until != lease_until:
        return "lost-lease"
    row.attempts += 1
    row.last_error = error[:2000]
    row.lease_until = None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "parked"
        if inbound is not None and inbound.kind in (MESSAGE, POSTBACK):
            dispatcher.apologise(session, inbound, row_id, now)
    else:
        row.status = "pending"
        row.next_attempt_at = now + timedelta(seconds=2**row.attempts)
    session.add(row)
    return row.status


class InboxWorker:
    def __init__(
        self,
        db: Database,
        translators: dict[str, Translator],
        dispatcher: Dispatcher,
        *,
        batch: int = 20,
        lease_seconds: float = LEASE_SECONDS,
        on_sent=None,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.db = db
        self.translators = translators
        self.dispatcher = dispatcher
        self.batch = batch
        self.lease = timedelta(seconds=lease_seconds)
        self.on_sent = on_sent  # called after events produced outbox rows (wakes the sender)
        self.clock = clock  # when retries are due (tests pass a controllable clock)
        self.wake = asyncio.Event()
        # Awaited before each event: the web app sets it to the webhook writer's quiet(), so acks go first.
        self.give_way: Callable[[], Awaitable[None]] | None = None
        # Platforms whose events another process's worker handles (bot/queues/queue_process.py): not claimed here.
        self.elsewhere: frozenset[str] = frozenset()
        # The queue process sets these: a claimed batch is handled on the database thread in one trip (each event
        # still in its own transaction), with give_way_now() before each event instead of give_way.
        self.in_thread = False
        self.give_way_now: Callable[[], None] | None = None

    @property
    def platforms(self) -> list[str]:
        return [platform for platform in self.translators if platform not in self.elsewhere]

    async def run(self, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        await poll_until_stopped(self.process_due, self.wake, stop, idle_seconds, "inbox")

    async def drain(self, max_passes: int = 1000) -> int:
        return await drain(self.process_due, max_passes)

    async def process_due(self) -> int:
        platforms = self.platforms
        if not platforms:
            return 0
        rows = await self.db.run(claim_due, self.clock(), platforms, self.batch, self.lease)
        if self.in_thread and rows:
            for row in await self.db.run(self._handle_batch, rows):
                await self.process(row)  # what could not be translated without the loop
            if self.on_sent:
                self.on_sent()
            return len(rows)
        lost: set[int] = set()
        for i, row in enumerate(rows):
            if row.id in lost:
                continue
            if row.lease_until - self.clock() < self.lease / 2:
                lost |= await self._renew([r for r in rows[i:] if r.id not in lost])
                if row.id in lost:
                    continue
            if self.give_way is not None:
                await self.give_way()
            await self.process(row)
            if self.on_sent:
                self.on_sent()  # each event's answers go as soon as they are committed
        return len(rows)

    async def _renew(self, rows: list[InboxEvent]) -> set[int]:
        """Extend the lease of the batch's unprocessed rows (they share one lease); returns the ids no longer ours."""
        held_until, new_until = rows[0].lease_until, self.clock() + self.lease
        kept = await self.db.run(
            leases.extend_leases, InboxEvent, "processing", [r.id for r in rows], held_until, new_until
        )
        for row in rows:
            if row.id in kept:
                row.lease_until = new_until
        return {row.id for row in rows} - kept

    def _handle_batch(self, session: Session, rows: list[InboxEvent]) -> list[InboxEvent]:
        """On the database thread: each event of a claimed batch in its own transaction, as process() does them one
        trip at a time (without the two thread switches per event, which cost more than handling /help when the
        loop is busy sending). Returns the rows to handle the ordinary way (see NeedsLoop)."""
        later: list[InboxEvent] = []
        lost: set[int] = set()
        for i, row in enumerate(rows):
            if row.id in lost:
                continue
            if row.lease_until - self.clock() < self.lease / 2:
                lost |= _renew_now(session, [r for r in rows[i:] if r.id not in lost], self.clock() + self.lease)
                if row.id in lost:
                    continue
            if self.give_way_now is not None:
                self.give_way_now()
            inbound = None
            try:
                if row.payload is None:
                    _complete(session, row.id, row.lease_until, "skipped", None, None, "payload purged")
                else:
                    inbound = self.translators[row.platform].translate_now(row.payload)  # type: ignore[attr-defined]
                    status = "done" if inbound is not None else "skipped"
                    _complete(session, row.id, row.lease_until, status, self.dispatcher, inbound)
                session.commit()
            except NeedsLoop:
                session.rollback()
                later.append(row)
            except Exception as exc:  # noqa: BLE001 - logged and recorded by _failed_now, as process() does
                session.rollback()
                self._failed_now(session, row, exc, inbound)
        return later

    def _failed_now(self, session: Session, row: InboxEvent, exc: Exception, inbound: Inbound | None) -> None:
        log.exception("inbox event %s (%s) failed", row.id, row.event_type)
        try:
            error = f"{type(exc).__name__}: {exc}"
            status = _record_failure(session, row.id, row.lease_until, error, self.dispatcher, inbound, self.clock())
            session.commit()
        except Exception:  # the database is away: the lease runs out and the event is tried again
            session.rollback()
            log.exception("inbox event %s: its failure could not be recorded", row.id)
            return
        if status == "parked":
            log.error("inbox event %s parked after %d attempts", row.id, MAX_ATTEMPTS)

    async def process(self, row: InboxEvent) -> None:
        inbound = None
        try:
            if row.payload is None:
                await self.db.run(_complete, row.id, row.lease_until, "skipped", None, None, "payload purged")
                return
            inbound = await self.translators[row.platform].translate(row.payload)
            if inbound is None:
                await self.db.run(_complete, row.id, row.lease_until, "skipped", None, None)
                return
            await self.db.run(_complete, row.id, row.lease_until, "done", self.dispatcher, inbound)
        except Exception as exc:
            log.exception("inbox event %s (%s) failed", row.id, row.event_type)
            status = await self.db.run(
                _record_failure,
                row.id,
                row.lease_until,
                f"{type(exc).__name__}: {exc}",
                self.dispatcher,
                inbound,
                self.clock(),
            )
            if status == "parked":
                log.error("inbox event %s parked after %d attempts", row.id, MAX_ATTEMPTS)


def _renew_now(session: Session, rows: list[InboxEvent], new_until: datetime) -> set[int]:
    """_renew on the database thread (committed here): returns the ids no longer ours."""
    held_until = rows[0].lease_until
    kept = leases.extend_leases(session, InboxEvent, "processing", [r.id for r in rows], held_until, new_until)
    session.commit()
    for row in rows:
        if row.id in kept:
            row.lease_until = new_until
    return {row.id for row in rows} - kept


def inbox_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(InboxEvent.status, func.count()).group_by(InboxEvent.status)).all()
    return {status: count for status, count in rows}
