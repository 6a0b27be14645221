"""The inbox: the webhook's only write (store_events), and the worker that turns stored events into handled ones.

An event's handling and the sends it causes commit in one transaction, then the row is marked done: a redelivered
or re-claimed event is handled once, and nothing it sent is lost.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, func, select

from community import members
from community.messages import FOLLOW, MESSAGE, POSTBACK, Inbound, Postbox, Text
from community.texts import t
from handlers.router import Context, Router, normalise_command_text
from storage.db import Database, utcnow
from storage.models import InboxEvent
from storage.outbox import enqueue

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class Translator(Protocol):
    platform: str

    async def translate(self, payload: str) -> Inbound | None: ...


def store_events(session: Session, platform: str, events: list[tuple[str, str, bool, str]], now: datetime) -> int:
    """Insert (event id, type, redelivery, payload) rows; an id already stored is ignored. Returns rows inserted."""
    if not events:
        return 0
    values = [
        dict(platform=platform, event_id=eid, event_type=etype, is_redelivery=redelivery, redeliveries=0,
             received_at=now, payload=payload, status="pending", attempts=0, next_attempt_at=now)
        for eid, etype, redelivery, payload in events
    ]
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    stmt = insert(InboxEvent.__table__).values(values).on_conflict_do_nothing(index_elements=["platform", "event_id"])
    return session.execute(stmt).rowcount or 0


def claim_due(session: Session, now: datetime, platforms: list[str], limit: int, lease: timedelta) -> list[InboxEvent]:
    stmt = (
        select(InboxEvent)
        .where(InboxEvent.platform.in_(platforms))
        .where(
            or_(
                (InboxEvent.status == "pending") & (InboxEvent.next_attempt_at <= now),
                (InboxEvent.status == "processing") & (InboxEvent.lease_until < now),
            )
        )
        .order_by(InboxEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.exec(stmt))
    for row in rows:
        row.status = "processing"
        row.lease_until = now + lease
        session.add(row)
    return rows


def handle_inbound(session: Session, router: Router, settings: Any, inbound: Inbound, source_event_id: int | None = None) -> Postbox:
    """Dispatch one inbound event and write what it sends to the outbox (caller commits)."""
    now_utc = utcnow()
    now = now_utc.astimezone(settings.tz)
    member = None
    if inbound.sender_id:
        wants_member = inbound.kind in (FOLLOW, POSTBACK) or (
            inbound.kind == MESSAGE and inbound.text and normalise_command_text(inbound.text) is not None
        )
        if wants_member:
            member = members.get_or_create_member(session, inbound.platform, inbound.sender_id, now_utc)
        else:
            member = members.find_member(session, inbound.platform, inbound.sender_id)
    roles = members.roles_of(session, member.id if member else None)
    ctx = Context(session=session, settings=settings, inbound=inbound, now=now, member=member, roles=roles)
    router.dispatch(ctx)
    for item in ctx.postbox.items:
        enqueue(session, item, now_utc, source_event_id)
    return ctx.postbox


def _complete(session: Session, row_id: int, lease_until: datetime, status: str, router: Router | None, settings: Any,
              inbound: Inbound | None, error: str | None = None) -> bool:
    done = session.execute(
        update(InboxEvent)
        .where(InboxEvent.id == row_id, InboxEvent.status == "processing", InboxEvent.lease_until == lease_until)
        .values(status=status, processed_at=utcnow(), lease_until=None, last_error=error)
    ).rowcount
    if not done:
        session.rollback()  # someone else holds it now
        return False
    if inbound is not None and router is not None:
        handle_inbound(session, router, settings, inbound, row_id)
    return True


def _record_failure(session: Session, row_id: int, lease_until: datetime, error: str, settings: Any,
                    inbound: Inbound | None) -> str:
    row = session.get(InboxEvent, row_id)
    if row is None or row.status != "processing" or row.lease_until != lease_until:
        return "lost-lease"
    row.attempts += 1
    row.last_error = error[:2000]
    row.lease_until = None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "parked"
        if inbound is not None and inbound.kind in (MESSAGE, POSTBACK):
            # The person should not meet silence: tell them it failed (the event stays parked for staff).
            box = Postbox()
            box.reply_to(inbound, Text(t("ja", "failed")))
            for item in box.items:
                enqueue(session, item, utcnow(), row_id)
    else:
        row.status = "pending"
        row.next_attempt_at = utcnow() + timedelta(seconds=2 ** row.attempts)
    session.add(row)
    return row.status


class InboxWorker:
    def __init__(self, db: Database, translators: dict[str, Translator], router: Router, settings: Any,
                 *, batch: int = 100, lease_seconds: float = 120.0, on_sent=None):
        self.db = db
        self.translators = translators
        self.router = router
        self.settings = settings
        self.batch = batch
        self.lease = timedelta(seconds=lease_seconds)
        self.on_sent = on_sent  # called after events produced outbox rows (wakes the sender)
        self.wake = asyncio.Event()

    async def run(self, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
        while not stop.is_set():
            try:
                n = await self.process_due()
            except Exception:
                log.exception("inbox pass failed")
                n = 0
            if n == 0:
                self.wake.clear()
                try:
                    await asyncio.wait_for(self.wake.wait(), timeout=idle_seconds)
                except asyncio.TimeoutError:
                    pass

    async def drain(self, max_passes: int = 1000) -> int:
        total = 0
        for _ in range(max_passes):
            n = await self.process_due()
            if n == 0:
                break
            total += n
        return total

    async def process_due(self) -> int:
        rows = await self.db.run(claim_due, utcnow(), list(self.translators), self.batch, self.lease)
        for row in rows:
            await self.process(row)
        if rows and self.on_sent:
            self.on_sent()
        return len(rows)

    async def process(self, row: InboxEvent) -> None:
        inbound = None
        try:
            if row.payload is None:
                await self.db.run(_complete, row.id, row.lease_until, "skipped", None, None, None, "payload purged")
                return
            inbound = await self.translators[row.platform].translate(row.payload)
            if inbound is None:
                await self.db.run(_complete, row.id, row.lease_until, "skipped", None, None, None)
                return
            await self.db.run(_complete, row.id, row.lease_until, "done", self.router, self.settings, inbound)
        except Exception as exc:
            log.exception("inbox event %s (%s) failed", row.id, row.event_type)
            status = await self.db.run(_record_failure, row.id, row.lease_until, f"{type(exc).__name__}: {exc}",
                                       self.settings, inbound)
            if status == "parked":
                log.error("inbox event %s parked after %d attempts", row.id, MAX_ATTEMPTS)


def inbox_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(InboxEvent.status, func.count()).group_by(InboxEvent.status)).all()
    return {status: count for status, count in rows}
