"""Routes a neutral Inbound to the command or event handler that wants it, checking role and place first.

Handlers are plain functions registered explicitly (`register(router)` in each handlers module): no import-time magic.
They run inside the inbox transaction, so what they change and what they send commit together.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import islice
from datetime import datetime
from typing import Any, Callable, Iterable

from sqlmodel import Session

from community import members
from community.messages import DIRECT, MESSAGE, Inbound, OutboundMessage, Postbox, Text
from community.spaces import get_or_create_space
from community.texts import t

log = logging.getLogger(__name__)

DIRECT_PLACE = "direct"
GROUP_PLACE = "group"
ANYWHERE = frozenset({DIRECT_PLACE, GROUP_PLACE})
EVERYONE = frozenset({members.RESIDENT})


class UsageError(Exception):
    """A command's arguments are wrong; the message (already localised) says what is wrong."""


@dataclass
class Context:
    session: Session
    settings: Any  # bot.config.Settings (duck-typed: handlers only read .city and .public_url)
    inbound: Inbound
    now: datetime  # aware, in the city's time zone
    member: members.Member | None
    roles: set[str]
    postbox: Postbox = field(default_factory=Postbox)
    command: "Command | None" = None
    args: str = ""

    @property
    def lang(self) -> str:
        return self.member.lang if self.member else "ja"

    @property
    def city(self):
        return self.settings.city

    @property
    def place_kind(self) -> str:
        return DIRECT_PLACE if self.inbound.place.kind == DIRECT else GROUP_PLACE

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def reply(self, *messages: OutboundMessage | str) -> None:
        self.postbox.reply_to(self.inbound, *(Text(m) if isinstance(m, str) else m for m in messages))

    def say(self, key: str, **values: object) -> None:
        self.reply(self.t(key, **values))

    def push_member(self, member_id: int, *messages: OutboundMessage) -> int:
        """Push to every account of a member that can receive pushes; returns how many."""
        return members.push_to_member(self.session, self.postbox, member_id, *messages)


Handler = Callable[[Context], None]


@dataclass(frozen=True)
class Command:
    name: str  # one or more words: "help", "event new"
    fn: Handler
    summary: tuple[str, str]  # (ja, en)
    usage: str
    roles: frozenset[str] = EVERYONE
    places: frozenset[str] = ANYWHERE
    aliases: tuple[str, ...] = ()


def normalise_command_text(text: str) -> str | None:
    """'／ヘルプ' -> '/ヘルプ'. Returns None for plain chat (not a command). Arguments keep their exact text."""
    text = text.strip()
    if text[:1] == "／":
        text = "/" + text[1:]
    if not text.startswith("/") or len(text) < 2 or text[1].isspace() or text[1] == "/":
        return None
    return text


_WORD = re.compile(r"\S+")


class Router:
    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self._lookup: dict[str, Command] = {}
        self._on: dict[str, list[Handler]] = {}
        self.chat_handlers: list[Callable[[Context], bool]] = []

    # ---- registration ----
    def command(
        self,
        name: str,
        *,
        summary: tuple[str, str],
        usage: str | None = None,
        roles: Iterable[str] = EVERYONE,
        places: Iterable[str] = ANYWHERE,
        aliases: Iterable[str] = (),
    ) -> Callable[[Handler], Handler]:
        def decorator(fn: Handler) -> Handler:
            cmd = Command(name, fn, summary, usage or f"/{name}", frozenset(roles), frozenset(places), tuple(aliases))
            self.commands[name] = cmd
            for key in (name, *cmd.aliases):
                if key in self._lookup:
                    raise ValueError(f"command {key!r} registered twice")
                self._lookup[key] = cmd
            return fn

        return decorator

    def on(self, kind: str) -> Callable[[Handler], Handler]:
        def decorator(fn: Handler) -> Handler:
            self._on.setdefault(kind, []).append(fn)
            return fn

        return decorator

    def on_chat(self, fn: Callable[[Context], bool]) -> Callable[[Context], bool]:
        """Plain (non-command) messages; a handler returning True consumes the message."""
        self.chat_handlers.append(fn)
        return fn

    # ---- dispatch ----
    def find(self, command_text: str) -> tuple[Command | None, str, str]:
        """Longest registered name that prefixes the text: ('/event new a | b', ...) -> (event new, 'a | b')."""
        body = command_text[1:]
        words = list(islice(_WORD.finditer(body), 3))
        for n in range(len(words), 0, -1):
            key = " ".join(unicodedata.normalize("NFKC", w.group()).lower() for w in words[:n])
            if key in self._lookup:
                return self._lookup[key], body[words[n - 1].end() :].strip(), key
        return None, body, words[0].group() if words else ""

    def allowed(self, cmd: Command, roles: set[str]) -> bool:
        return bool(cmd.roles & roles)

    def dispatch(self, ctx: Context) -> None:
        inbound = ctx.inbound
        if inbound.place.kind != DIRECT:
            get_or_create_space(ctx.session, inbound.place, ctx.now, name=inbound.place_name)
        for fn in self._on.get(inbound.kind, ()):
            fn(ctx)
        if inbound.kind != MESSAGE or not inbound.text:
            return
        command_text = normalise_command_text(inbound.text)
        if command_text is None:
            for chat in self.chat_handlers:
                if chat(ctx):
                    break
            return
        cmd, args, name = self.find(command_text)
        if cmd is None:
            ctx.say("unknown", name="/" + (name if len(name) <= 20 else name[:20] + "…"))
            return
        label = "/" + cmd.name
        if not self.allowed(cmd, ctx.roles):
            roles = "・".join(ctx.t(f"role.{r}") for r in sorted(cmd.roles))
            ctx.say("forbidden", name=label, roles=roles)
            return
        if ctx.place_kind not in cmd.places:
            ctx.say("place.direct" if DIRECT_PLACE in cmd.places else "place.group", name=label)
            return
        ctx.command, ctx.args = cmd, args
        savepoint = ctx.session.begin_nested()
        try:
            cmd.fn(ctx)
            savepoint.commit()
        except UsageError as exc:
            # Bad input changes nothing: undo whatever the handler did before it noticed.
            savepoint.rollback()
            ctx.postbox.items.clear()
            ctx.say("bad_args", problem=str(exc), usage=cmd.usage)

    def visible_commands(self, roles: set[str], place_kind: str) -> list[Command]:
        return [c for c in self.commands.values() if self.allowed(c, roles) and place_kind in c.places]
