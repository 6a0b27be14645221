"""The console adapter: chat with the bot locally through the same inbox, handlers, outbox and database.

A line you type becomes a neutral Inbound stored in the inbox (platform "console"); the worker handles it as it
would a LINE event, and the console's delivery (ConsoleScreen) prints what the outbox sends. Buttons are shown as
numbered choices; typing a number (or a button's exact label) presses that button as LINE would. An interactive
session (`live`) also runs the outbox sender continuously for its own person and group only, so a push from a job or
from another console session appears promptly, marked as a push, in the window of the person it is meant for.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from bot.app import Runtime
from bot.config import Settings
from bot.queues.delivery import Delivered
from bot.queues.inbox import store_events
from bot.queues.outbox import Limits
from community import members
from community.messages import (
    DIRECT,
    GROUP,
    JOIN,
    MESSAGE,
    POSTBACK,
    Action,
    Card,
    Carousel,
    Inbound,
    Mention,
    OutboundMessage,
    Place,
    QrCard,
    Text,
    plain_text,
)
from community.texts import t
from handlers.feature import Feature
from storage.db import utcnow
from storage.models import InboxEvent, OutboxMessage

log = logging.getLogger(__name__)

MENTION_MARKS = "@\uff20"  # an ASCII or a full-width at sign


# ---- how messages look in a terminal ----------------------------------------------------------------------------


def _buttons(actions: tuple[Action, ...], choices: list[Action]) -> str:
    """One line of numbered buttons, numbered on from the choices already shown in this answer."""
    parts = []
    for action in actions:
        choices.append(action)
        part = f"{len(choices)}) {action.label}"
        parts.append(f"{part} <{action.url}>" if action.url else part)
    return "  " + "  ".join(parts)


def render(message: OutboundMessage, choices: list[Action]) -> str:
    """A message as the console shows it; its buttons are appended to choices and shown by their numbers."""
    if isinstance(message, Text):
        if not message.quick_replies:
            return message.text
        return message.text + "\n" + _buttons(message.quick_replies, choices)
    if isinstance(message, Card):
        lines = [message.title] if message.title else []
        lines.append(message.text)
        if message.actions:
            lines.append(_buttons(message.actions, choices))
        return "\n".join(lines)
    if isinstance(message, QrCard):
        button = Action(label=message.button_label, url=message.url)
        return f"{message.title}\n{message.note}\n  [QR] {message.image_url}\n" + _buttons((button,), choices)
    if isinstance(message, Carousel):
        return "\n---\n".join(render(card, choices) for card in message.cards)
    return plain_text(message)


def _has_buttons(message: OutboundMessage) -> bool:
    if isinstance(message, Text):
        return bool(message.quick_replies)
    if isinstance(message, Card):
        return bool(message.actions)
    if isinstance(message, Carousel):
        return any(card.actions for card in message.cards)
    return isinstance(message, QrCard)


def database_line(settings: Settings, city: str | None = None) -> str:
    """Which database this console uses (a console started in another folder would otherwise silently make a new,
    empty SQLite file there); a password in the URL is hidden; a city's PostgreSQL schema is named."""
    city_settings = settings.city_settings(city)
    url = make_url(city_settings.database_url)
    path = url.database
    if url.get_backend_name() == "sqlite" and path and path != ":memory:" and not path.startswith("file:"):
        url = url.set(database=os.path.abspath(path))
    where = url.render_as_string(hide_password=True)
    if city_settings.database_schema:
        where += f" (schema {city_settings.database_schema})"
    return t("ja", "console.database", url=where, cwd=os.getcwd())


def _answer_keys(session: Session, event_id: str) -> set[str]:
    """The outbox rows (by retry key) written in answer to one inbox event."""
    stmt = (
        select(OutboxMessage.retry_key)
        .join(InboxEvent, OutboxMessage.source_event_id == InboxEvent.id)
        .where(InboxEvent.platform == "console", InboxEvent.event_id == event_id)
    )
    return set(session.exec(stmt))


class ConsoleScreen:
    """The console's delivery: shows each message with numbered buttons, an answer as an answer and anything else
    as a push."""

    platform = "console"
    limits = Limits(messages=50, recipients=1000)

    def __init__(self, chat: ConsoleChat):
        self.chat = chat

    async def send(
        self, method: str, target: str, messages: list[OutboundMessage], retry_key: str, reply_token_age: float | None
    ) -> Delivered:
        for message in messages:
            self.chat.show(method, target, message, retry_key)
        return Delivered()


# ---- a session ------------------------------------------------------------------------------------------------


@dataclass
class ConsoleChat:
    """A console session; also the `testbot` of the test suite: say() a line, get back what the bot answered.

    say() sends exactly what is typed (as LINE would); enter() is the console's keyboard: a number or a label of the
    last answer's buttons presses that button. live: run the sender continuously, delivering only the rows for this
    session's person and group (a push to someone else waits for that person's own session)."""

    settings: Settings
    user: str = "you"
    group: str | None = None
    staff: bool = False
    echo: bool = False
    features: tuple[Feature, ...] | None = None  # default: the city's own (its file's [city] features)
    city: str | None = None  # the city's id (default: the first city)
    said: list[tuple[str, str, str]] = field(default_factory=list)  # (method, target, text) in send order
    live: bool = False
    out: TextIO | None = None  # where echo prints (default: standard output)
    poll_seconds: float = 0.5  # live: how often to look for pushes another process queued
    choices: list[Action] = field(default_factory=list)  # the buttons shown last, numbered from 1

    def __post_init__(self) -> None:
        options = {"targets": self.targets} if self.live else {}
        # The console delivery Runtime builds is replaced by a ConsoleScreen once started (see start()).
        self.runtime = Runtime(
            self.settings,
            console_write=lambda *_: None,
            run_workers=False,
            run_scheduler=False,
            features=self.features,
            sender_options=options,
            city=self.city,
        )
        self._turn = asyncio.Lock()  # one of: handling a typed line, or delivering pushes
        self._answering: str | None = None  # the inbox event whose answer is being delivered
        self._answer_rows: set[str] = set()  # its outbox rows (retry keys)
        self._choices_from: str | None = None  # the answer (event id) or push (retry key) the choices belong to
        self._pushes: asyncio.Task | None = None
        self._closing = asyncio.Event()

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.user, self.group) if self.group else (self.user,)

    @property
    def place(self) -> Place:
        if self.group:
            return Place("console", GROUP, self.group)
        return Place("console", DIRECT, self.user)

    async def start(self) -> None:
        await self.runtime.start()
        self.runtime.sender.deliveries["console"] = ConsoleScreen(self)
        if self.staff:
            await self.runtime.db.run(members.ensure_admins, "console", (self.user,), utcnow())
        if self.live:
            self._pushes = asyncio.create_task(self._deliver_pushes(), name="console-pushes")
        if self.group:
            await self.send(kind=JOIN, text=None)

    async def stop(self) -> None:
        if self._pushes is not None:
            # Let a delivery under way finish and be recorded: cut off, its row would be printed again later.
            self._closing.set()
            self.runtime.sender.wake.set()
            try:
                await asyncio.wait_for(self._pushes, timeout=30)
            except TimeoutError:
                pass  # wait_for cancelled it; its rows come back after their lease
        await self.runtime.stop()

    # ---- what the bot sends ----

    def write_line(self, line: str) -> None:
        if self.echo:
            print(line, file=self.out or sys.stdout, flush=True)

    def show(self, method: str, target: str, message: OutboundMessage, retry_key: str) -> None:
        answer = retry_key in self._answer_rows
        source = self._answering if answer else retry_key
        if source != self._choices_from and (answer or _has_buttons(message)):
            # Each answer brings its own buttons (or none); a push replaces them only when it has buttons.
            self.choices, self._choices_from = [], source
        text = render(message, self.choices)
        self.said.append((method, target, text))
        where = "" if target in self.targets else f"(→ {target}) "
        if not answer:
            mark = (
                t("ja", "console.push_direct", user=self.user)
                if self.group and target == self.user
                else t("ja", "console.push")
            )
            where = f"{where}{mark} "
        self.write_line(f"{self.runtime.site.city.bot_name}> {where}{text}")

    async def _deliver_pushes(self) -> None:
        """live: deliver this session's pushes as they come (a wake from this process, or a look every poll)."""
        sender = self.runtime.sender
        while not self._closing.is_set():
            sender.wake.clear()
            try:
                async with self._turn:
                    await sender.drain()
            except Exception:  # a database hiccup: the next look tries again
                log.exception("console: delivering pushes failed")
            try:
                await asyncio.wait_for(sender.wake.wait(), self.poll_seconds)
            except TimeoutError:
                pass

    # ---- what the person sends ----

    async def send(
        self,
        text: str | None,
        *,
        kind: str = MESSAGE,
        as_user: str | None = None,
        mentions: tuple[str, ...] = (),
        postback: str | None = None,
    ) -> list[str]:
        """Store one event in the inbox, let the worker and sender run, return the texts the bot sent."""
        inbound = Inbound(
            platform="console",
            kind=kind,
            place=self.place,
            occurred_at=datetime.now(UTC),
            sender_id=as_user or self.user,
            text=text,
            mentions=tuple(Mention(user_id=m, text="@" + m) for m in mentions),
            postback_data=postback,
            place_name=self.group,
        )
        event_id = f"console-{uuid.uuid4().hex}"
        async with self._turn:
            start = len(self.said)
            db = self.runtime.db
            await db.run(store_events, "console", [(event_id, kind, False, inbound.to_json())], utcnow())
            await self.runtime.worker.drain()
            self._answering, self._answer_rows = event_id, await db.run(_answer_keys, event_id)
            try:
                await self.runtime.sender.drain()
            finally:
                self._answering, self._answer_rows = None, set()
            return [text for _, _, text in self.said[start:]]

    async def say(self, text: str, **kwargs) -> list[str]:
        return await self.send(text, **kwargs)

    def buttons(self) -> list[tuple[str, str]]:
        """The buttons shown last, in their numbered order: (label, what pressing sends: postback data, text or URL)."""
        return [(a.label, a.data or a.text or a.url or "") for a in self.choices]

    def choice(self, line: str) -> Action | None:
        """The button a typed line presses: its number in the last answer, or its exact label (when only one has it)."""
        typed = unicodedata.normalize("NFKC", line.strip())
        if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(self.choices):
            return self.choices[int(typed) - 1]
        labelled = [action for action in self.choices if unicodedata.normalize("NFKC", action.label) == typed]
        return labelled[0] if len(labelled) == 1 else None

    async def press(self, action: Action) -> list[str]:
        """As LINE does: a link opens (here: is printed), a postback button sends its data and shows its display text
        as the person's message, a text button sends its text."""
        if action.url:
            self.write_line(t("ja", "console.link", label=action.label, url=action.url))
            return []
        shown = action.text or action.label
        self.write_line(f"{self.user}> {shown}")
        if action.data:
            return await self.send(None, kind=POSTBACK, postback=action.data)
        return await self.send(shown)

    async def enter(self, line: str) -> list[str]:
        """A line typed at the console: a button's number or label presses it; anything else is a message."""
        action = self.choice(line)
        if action is not None:
            return await self.press(action)
        # "@name" stands for a LINE mention of that console user (e.g. /event facilitator @jiro).
        mentions = tuple(word[1:] for word in line.split() if len(word) > 1 and word[0] in MENTION_MARKS)
        return await self.say(line, mentions=mentions)


async def run_console(settings: Settings, user: str, group: str | None, staff: bool, city: str | None = None) -> int:
    city_settings = settings.city_settings(city)
    print(database_line(settings, city_settings.id), flush=True)
    where = t("ja", "console.in_group", group=group) if group else t("ja", "console.direct")
    print(t("ja", "console.banner", bot=city_settings.config.bot_name, user=user, where=where))
    print(t("ja", "console.howto"), flush=True)
    chat = ConsoleChat(settings, user=user, group=group, staff=staff, echo=True, live=True, city=city_settings.id)
    await chat.start()
    try:
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            line = line.rstrip("\n")
            if line.strip():
                await chat.enter(line)
    finally:
        await chat.stop()
    return 0
