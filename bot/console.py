"""The console adapter: chat with the bot locally through the same inbox, handlers, outbox and database.

A line you type becomes a neutral Inbound stored in the inbox (platform "console"); the worker handles it as it
would a LINE event, and the console delivery prints what the outbox sends.
"""
from __future__ import annotations

import asyncio
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.app import Runtime
from bot.config import Settings
from bot.queues.inbox import store_events
from community import members
from community.texts import t
from handlers.feature import Feature
from handlers.features import FEATURES
from community.messages import DIRECT, GROUP, JOIN, MESSAGE, Inbound, Mention, Place
from storage.db import utcnow

MENTION_MARKS = "@\uff20"  # an ASCII or a full-width at sign


@dataclass
class ConsoleChat:
    """A console session; also the `testbot` of the test suite: say() a line, get back what the bot answered."""

    settings: Settings
    user: str = "you"
    group: str | None = None
    staff: bool = False
    echo: bool = False
    features: tuple[Feature, ...] = FEATURES
    said: list[tuple[str, str, str]] = field(default_factory=list)  # (method, target, text) in send order

    def __post_init__(self) -> None:
        self.runtime = Runtime(self.settings, console_write=self._write, run_workers=False, run_scheduler=False,
                               features=self.features)

    def _write(self, method: str, target: str, text: str) -> None:
        self.said.append((method, target, text))
        if self.echo:
            where = "" if target in (self.user, self.group) else f"(→ {target}) "
            print(f"{self.settings.city.bot_name}> {where}{text}", flush=True)

    async def start(self) -> None:
        await self.runtime.start()
        if self.staff:
            await self.runtime.db.run(members.ensure_admins, "console", (self.user,), utcnow())
        if self.group:
            await self.send(kind=JOIN, text=None)

    async def stop(self) -> None:
        await self.runtime.stop()

    @property
    def place(self) -> Place:
        if self.group:
            return Place("console", GROUP, self.group)
        return Place("console", DIRECT, self.user)

    async def send(self, text: str | None, *, kind: str = MESSAGE, as_user: str | None = None,
                   mentions: tuple[str, ...] = (), postback: str | None = None) -> list[str]:
        """Store one event in the inbox, let the worker and sender run, return the texts the bot sent."""
        start = len(self.said)
        sender = as_user or self.user
        inbound = Inbound(
            platform="console",
            kind=kind,
            place=self.place,
            occurred_at=datetime.now(timezone.utc),
            sender_id=sender,
            text=text,
            mentions=tuple(Mention(user_id=m, text="@" + m) for m in mentions),
            postback_data=postback,
            place_name=self.group,
        )
        row = (f"console-{uuid.uuid4().hex}", kind, False, inbound.to_json())
        await self.runtime.db.run(store_events, "console", [row], utcnow())
        await self.runtime.worker.drain()
        await self.runtime.sender.drain()
        return [text for _, _, text in self.said[start:]]

    async def say(self, text: str, **kwargs) -> list[str]:
        return await self.send(text, **kwargs)


async def run_console(settings: Settings, user: str, group: str | None, staff: bool) -> int:
    chat = ConsoleChat(settings, user=user, group=group, staff=staff, echo=True)
    await chat.start()
    where = t("ja", "console.in_group", group=group) if group else t("ja", "console.direct")
    print(t("ja", "console.banner", bot=settings.city.bot_name, user=user, where=where))
    try:
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            line = line.rstrip("\n")
            if line.strip():
                # "@name" stands for a LINE mention of that console user (e.g. /event facilitator @jiro).
                await chat.say(line, mentions=tuple(word[1:] for word in line.split() if len(word) > 1 and word[0] in MENTION_MARKS))
    finally:
        await chat.stop()
    return 0
