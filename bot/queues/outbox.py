"""Writing sends into the outbox. Each row is exactly one platform API request, so its retry key means one thing;
how much one request may carry is declared by each platform's delivery (`Limits`)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from community.messages import MULTICAST, PUSH, REPLY, Outgoing, dump_messages
from storage.models import OutboxMessage


@dataclass(frozen=True)
class Limits:
    """What one API request of a platform may carry."""

    messages: int
    recipients: int


# A platform whose delivery is not running here (e.g. a job run from the CLI): LINE's limits, the strictest.
DEFAULT_LIMITS = Limits(messages=5, recipients=500)


def _chunks(items: tuple, size: int) -> list[tuple]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [()]


def enqueue(
    session: Session,
    outgoing: Outgoing,
    now: datetime,
    source_event_id: int | None = None,
    reply_token_at: datetime | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[OutboxMessage]:
    """Write one send as outbox rows. reply_token_at: when the platform issued the reply token (default: now)."""
    message_chunks = _chunks(tuple(outgoing.messages), limits.messages)
    rows: list[OutboxMessage] = []

    def add(method: str, target: str, messages: tuple, fallback_to: str | None = None) -> None:
        row = OutboxMessage(
            platform=outgoing.platform,
            method=method,
            target=target,
            fallback_to=fallback_to,
            messages=dump_messages(messages),
            retry_key=str(uuid.uuid4()),
            created_at=now,
            reply_token_at=min(reply_token_at or now, now) if method == REPLY else None,
            next_attempt_at=now,
            source_event_id=source_event_id,
        )
        session.add(row)
        rows.append(row)

    if outgoing.method == REPLY:
        # A reply token is single-use: the first request replies, any further messages are pushed after it.
        add(REPLY, str(outgoing.target), message_chunks[0], outgoing.fallback_to)
        for chunk in message_chunks[1:]:
            add(PUSH, str(outgoing.fallback_to), chunk)
    elif outgoing.method == PUSH:
        for chunk in message_chunks:
            add(PUSH, str(outgoing.target), chunk)
    elif outgoing.method == MULTICAST:
        recipients = tuple(outgoing.target)
        for batch in _chunks(recipients, limits.recipients):
            for chunk in message_chunks:
                add(MULTICAST, json.dumps(list(batch)), chunk)
    else:
        raise ValueError(f"unknown send method {outgoing.method!r}")
    return rows


class OutboxWriter:
    """Writes what a unit of work sends, split by the limits of each platform's delivery."""

    def __init__(self, limits: Mapping[str, Limits] | None = None):
        self.limits = dict(limits or {})

    def write(
        self,
        session: Session,
        items: Iterable[Outgoing],
        now: datetime,
        source_event_id: int | None = None,
        reply_token_at: datetime | None = None,
    ) -> None:
        for item in items:
            enqueue(session, item, now, source_event_id, reply_token_at, self.limits.get(item.platform, DEFAULT_LIMITS))
