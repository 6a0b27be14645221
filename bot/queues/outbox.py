"""Writing sends into the outbox. Each row is exactly one platform API request, so its retry key means one thing;
how much one request may carry is declared by each platform's delivery (`Limits`).

Every send is written here, so this is where the month's LINE budget is kept (community.budget, issue 15): each row
records what it is for (`kind`) and what it costs, and an automated push the month cannot take any more is written
"held" (the sender never takes it) instead of pending. Replies and answers are never held."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from community import budget
from community.city import Site
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
    group_size: int = budget.GROUP_SIZE,
) -> list[OutboxMessage]:
    """Write one send as outbox rows. reply_token_at: when the platform issued the reply token (default: now).
    group_size: what a push to a group the bot knows nothing of costs (community.budget.request_cost)."""
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
            kind=outgoing.kind,
            cost=budget.request_cost(session, outgoing.platform, method, target, group_size),
            unit=outgoing.unit if outgoing.platform == budget.BILLED else "",
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
    """Writes what a unit of work sends, split by the limits of each platform's delivery. With a site, keeps its
    [budget]: an automated push the month cannot take is held (None: nothing is held, costs are still recorded)."""

    def __init__(self, limits: Mapping[str, Limits] | None = None, site: Site | None = None):
        self.limits = dict(limits or {})
        self.site = site

    def write(
        self,
        session: Session,
        items: Iterable[Outgoing],
        now: datetime,
        source_event_id: int | None = None,
        reply_token_at: datetime | None = None,
    ) -> None:
        group_size = self.site.city.budget.group_size if self.site is not None else budget.GROUP_SIZE
        month: budget.Month | None = None
        for item in items:
            paid = self.site is not None and item.platform == budget.BILLED and item.method != REPLY
            if paid and month is None and item.kind in budget.HOLDABLE:
                assert self.site is not None
                month = budget.month(session, self.site, now)  # before this item's rows exist: counted once
            limits = self.limits.get(item.platform, DEFAULT_LIMITS)
            rows = enqueue(session, item, now, source_event_id, reply_token_at, limits, group_size)
            if paid and month is not None and not month.admit(item.kind, sum(row.cost for row in rows)):
                budget.hold(rows)
