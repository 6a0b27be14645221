"""DiscordDelivery: sends one outbox row through discord.py and classifies the outcome for the sender.

Replies go to the interaction's followup webhook while its token lives (15 minutes), pushes to a channel or, when the
id is a user's, to their DMs. Operations (event spaces, the board's forum) go to their owners. Outcomes: a 429 is
transient after its retry_after, 5xx and dropped connections are transient (perhaps delivered), other 4xx
(50013 Missing Permissions, 50001 Missing Access, ...) are permanent. A missing permission is also reported through
the inbox (PERMISSION_MISSING, at most once a day per permission and step), so staff hear which one to grant.
"""

from __future__ import annotations

import json

import aiohttp
import discord

from bot.discord.client import DiscordClient
from bot.discord.mirror import BOARD_OPERATIONS, BoardMirror
from bot.discord.permissions import SEND_MESSAGES, MissingPermission, needs
from bot.discord.ports import PLATFORM, InboxWriter, inbox_row
from bot.discord.render import DiscordMessage, nonce, render
from bot.discord.spaces import EventSpaces
from bot.discord.translate import REPLY_TARGET_PREFIX, inbound_from_refusal
from bot.queues.delivery import Delivered, PermanentFailure, ReplyTokenExpired, TransientFailure
from bot.queues.outbox import Limits
from community import messages as m
from storage.db import utcnow

# Interaction tokens live 15 minutes; past this the sender pushes to the channel instead.
REPLY_TOKEN_TTL_SECONDS = 14 * 60
UNKNOWN_CHANNEL = 10003
OPERATIONS = (m.CreateSpace, m.ArchiveSpace, m.SpaceAccess, *BOARD_OPERATIONS)


def retry_after_header(exc: discord.HTTPException) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def classify(exc: discord.HTTPException | discord.RateLimited) -> TransientFailure | PermanentFailure:
    """What the sender should do after Discord answered with an error."""
    if isinstance(exc, discord.RateLimited):  # a 429 longer than discord.py waits itself
        return TransientFailure(f"429 rate limited for {exc.retry_after:.0f}s", retry_after=exc.retry_after)
    detail = f"{exc.status} {exc.code} {exc.text}"[:300]
    if exc.status == 429 or exc.status >= 500:
        return TransientFailure(detail, retry_after=retry_after_header(exc), outcome_unknown=exc.status >= 500)
    return PermanentFailure(detail)


class DiscordDelivery:
    """Sends one outbox row with discord.py and classifies the outcome for the sender."""

    platform = PLATFORM
    limits = Limits(messages=10, recipients=1)  # 10 embeds per message; no multicast

    def __init__(
        self, client: DiscordClient, spaces: EventSpaces, mirror: BoardMirror, inbox: InboxWriter | None = None
    ) -> None:
        self.client = client
        self.spaces = spaces
        self.mirror = mirror
        self.inbox = inbox
        self._user_ids: set[int] = set()  # ids learned to be users (pushes to them go to DMs)

    async def send(
        self, method: str, target: str, messages: list[m.OutboundMessage], retry_key: str, reply_token_age: float | None
    ) -> Delivered:
        if not self.client.ready_to_send:
            raise TransientFailure("Discord client is not logged in yet", retry_after=5.0)
        try:
            await self._send(method, target, messages, retry_key, reply_token_age)
        except MissingPermission as exc:
            await self.report(exc)
            raise
        except (discord.RateLimited, discord.HTTPException) as exc:
            raise classify(exc) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise TransientFailure(f"{type(exc).__name__}: {exc}"[:300], outcome_unknown=True) from None
        return Delivered("sent")

    async def _send(
        self, method: str, target: str, messages: list[m.OutboundMessage], retry_key: str, reply_token_age: float | None
    ) -> None:
        operations = [msg for msg in messages if isinstance(msg, OPERATIONS)]
        for op in operations:
            await self._operate(op, retry_key)
        messages = [msg for msg in messages if msg not in operations]
        if not messages and operations:
            return
        if method == m.REPLY:
            await self._reply(target, render(messages), reply_token_age)
        elif method == m.PUSH:
            await self._push(target, render(messages), retry_key)
        elif method == m.MULTICAST:
            for user_id in json.loads(target):
                await self._push(str(user_id), render(messages), retry_key)
        else:
            raise PermanentFailure(f"unknown method {method}")

    async def report(self, missing: MissingPermission) -> None:
        """Staff hear which permission to grant: one inbox event per permission, step and day (a burst of refused
        rows says it once)."""
        if self.inbox is None:
            return
        now = utcnow()
        event_id = f"missing-permission:{missing.permission}:{missing.what}:{now:%Y-%m-%d}"
        await self.inbox([inbox_row(event_id, inbound_from_refusal(missing.permission, missing.what, now))])

    async def _operate(self, op: m.OutboundMessage, retry_key: str) -> None:
        if isinstance(op, m.CreateSpace):
            await self.spaces.create(op, retry_key)
        elif isinstance(op, m.ArchiveSpace):
            await self.spaces.archive(op)
        elif isinstance(op, m.SpaceAccess):
            await self.spaces.access(op)
        elif isinstance(op, BOARD_OPERATIONS):
            await self.mirror.apply(op)

    async def _reply(self, target: str, message: DiscordMessage, age: float | None) -> None:
        if not target.startswith(REPLY_TARGET_PREFIX):
            raise ReplyTokenExpired(f"not an interaction reply target: {target[:40]}")
        if age is not None and age > REPLY_TOKEN_TTL_SECONDS:
            raise ReplyTokenExpired(f"interaction older than {REPLY_TOKEN_TTL_SECONDS}s")
        application_id, _, token = target[len(REPLY_TARGET_PREFIX) :].partition(":")
        webhook = discord.Webhook.partial(int(application_id), token, client=self.client)
        try:
            await webhook.send(wait=True, **message.kwargs())
        except discord.HTTPException as exc:
            if exc.status in (401, 404):  # unknown webhook / invalid token: the interaction is gone, push instead
                raise ReplyTokenExpired(f"{exc.status} {exc.text}"[:200]) from None
            raise

    async def _push(self, target: str, message: DiscordMessage, retry_key: str) -> None:
        snowflake = int(target)
        known_channel = self.client.get_channel(snowflake) is not None
        if snowflake not in self._user_ids and (known_channel or self.client.get_user(snowflake) is None):
            try:
                async with needs(SEND_MESSAGES, "message"):
                    channel = self.client.get_partial_messageable(snowflake)
                    await channel.send(nonce=nonce(retry_key), **message.kwargs())
                return
            except discord.NotFound as exc:
                if exc.code != UNKNOWN_CHANNEL:  # the id is a user's, see below
                    raise
        user = self.client.get_user(snowflake) or await self.client.fetch_user(snowflake)
        self._user_ids.add(snowflake)
        await user.send(nonce=nonce(retry_key), **message.kwargs())
