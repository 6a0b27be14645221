"""What a platform delivery reports back to the outbox sender, and the console delivery."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.queues.outbox import Limits
from community.messages import OutboundMessage, plain_text


@dataclass(frozen=True)
class Endpoint:
    """How the sender may use one of a platform's endpoints (a send method): calls in flight at once, and calls per
    second (the platform's documented rate limit)."""

    in_flight: int
    per_second: float


@dataclass
class Delivered:
    detail: str = "sent"


class TransientFailure(Exception):
    """429, 5xx, timeouts, dropped connections: try again later with the same retry key."""

    def __init__(self, detail: str, retry_after: float | None = None, outcome_unknown: bool = False):
        super().__init__(detail)
        self.retry_after = retry_after
        self.outcome_unknown = outcome_unknown


class PermanentFailure(Exception):
    """A 4xx the request cannot recover from: the row is parked with this error."""


class ReplyTokenExpired(Exception):
    """The reply token is used up or too old: push to the place instead."""


class Delivery(Protocol):
    platform: str
    limits: Limits  # what one request may carry (the outbox splits sends by it)
    # Optional, by send method: what the sender may do at once and per second (unbounded for a method not named;
    # the sender's own total bound still holds).
    # endpoints: Mapping[str, Endpoint]

    # A delivery that sends announcements' multicasts (LINE) also takes `unit=`: the row's aggregation unit, passed
    # only for rows that have one.
    async def send(
        self, method: str, target: str, messages: list[OutboundMessage], retry_key: str, reply_token_age: float | None
    ) -> Delivered: ...


class ConsoleDelivery:
    """Prints (or hands to a callback) what the bot says in the local console."""

    platform = "console"
    limits = Limits(messages=50, recipients=1000)

    def __init__(self, write: Callable[[str, str, str], None]):
        self.write = write  # (method, target, text)

    async def send(self, method, target, messages, retry_key, reply_token_age) -> Delivered:
        for message in messages:
            self.write(method, target, plain_text(message))
        return Delivered()
