"""Routes a neutral Inbound to the handler that wants it: commands (role and place checked first), postbacks by
pattern, the step of a dialogue the person is in, and hooks per event kind.

Handlers are module-level functions registered on a feature's `ChatRoutes` (decorators at import, no other magic);
the Router is assembled from the enabled features. Handlers run inside the inbox transaction, so what they change
and what they send commit together. A `Problem` a handler raises is answered in the person's language, and whatever
the handler changed before it is undone.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from typing import Any

from community.messages import DIRECT, MESSAGE, POSTBACK
from community.problems import Problem
from community.spaces import get_or_create_space
from community.texts import has, t, words
from handlers import dialogues
from handlers.context import ANYWHERE, DIRECT_PLACE, EVERYONE, GROUP_PLACE, Context
from storage.db import id_of

log = logging.getLogger(__name__)

__all__ = [
    "ANYWHERE",
    "DIRECT_PLACE",
    "EVERYONE",
    "GROUP_PLACE",
    "ChatRoutes",
    "Command",
    "Context",
    "Router",
    "normalise_command_text",
]


Handler = Callable[[Context], None]
PostbackHandler = Callable[..., None]
StepHandler = Callable[[Context, str], None]


@dataclass(frozen=True)
class Command:
    name: str  # one or more words: "help", "event new"
    fn: Handler
    summary: tuple[str, str]  # (ja, en)
    usage: str
    roles: frozenset[str] = EVERYONE
    places: frozenset[str] = ANYWHERE
    aliases: tuple[str, ...] = ()
    feature: str = ""
    usage_en: str = ""  # the usage line in English (the catalogue's); usage is the Japanese one

    def summary_in(self, lang: str) -> str:
        return self.summary[1] if lang == "en" else self.summary[0]

    def usage_in(self, lang: str) -> str:
        return self.usage_en if lang == "en" and self.usage_en else self.usage


_PARAM = re.compile(r"\{(\w+)(?::(int))?\}")


@dataclass(frozen=True)
class PostbackRoute:
    pattern: str  # "board:thread:{thread_id:int}:page:{page:int}"
    fn: PostbackHandler
    regex: re.Pattern[str] = field(compare=False, default=re.compile(""))
    ints: frozenset[str] = frozenset()

    @classmethod
    def build(cls, pattern: str, fn: PostbackHandler) -> PostbackRoute:
        ints: set[str] = set()
        parts, last = [], 0
        for match in _PARAM.finditer(pattern):
            parts.append(re.escape(pattern[last : match.start()]))
            name, kind = match.group(1), match.group(2)
            if kind == "int":
                ints.add(name)
                parts.append(rf"(?P<{name}>\d{{1,9}})")
            else:
                parts.append(rf"(?P<{name}>[^:]{{1,200}})")
            last = match.end()
        parts.append(re.escape(pattern[last:]))
        return cls(pattern, fn, re.compile("".join(parts)), frozenset(ints))

    def match(self, data: str) -> dict[str, Any] | None:
        found = self.regex.fullmatch(data)
        if found is None:
            return None
        return {k: int(v) if k in self.ints else v for k, v in found.groupdict().items()}


@dataclass(frozen=True)
class MenuEntry:
    """A main action a feature offers to someone who does not know what to type (the greeting's quick replies)."""

    label_key: str
    data: str | None = None  # a postback
    text: str | None = None  # or a command sent as the person


@dataclass(frozen=True)
class Dialogue:
    """A multi-step conversation in a 1:1 chat; where the person is lives in the database (handlers.dialogues)."""

    name: str
    steps: dict[str, StepHandler]


def _call_with(fn: PostbackHandler, params: dict[str, Any], ctx: Context) -> None:
    fn(ctx, **params)


def normalise_command_text(text: str) -> str | None:
    """'／ヘルプ' -> '/ヘルプ'. Returns None for plain chat (not a command). Arguments keep their exact text."""
    text = text.strip()
    if text[:1] == "\uff0f":  # the full-width slash a Japanese keyboard types
        text = "/" + text[1:]
    if not text.startswith("/") or len(text) < 2 or text[1].isspace() or text[1] == "/":
        return None
    return text


def _catalogue_summary(name: str) -> tuple[str, str]:
    key = f"cmd.{name}"
    return (t("ja", key), t("en", key)) if has(key) else (name, name)


def _catalogue_usage(name: str, lang: str = "ja") -> str:
    key = f"usage.{name}"
    return t(lang, key) if has(key) else f"/{name}"


def _catalogue_aliases(name: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(words(f"alias.{name}")))
    except KeyError:
        return ()


class ChatRoutes:
    """What one feature answers in chat. Texts of a command come from the catalogue: `cmd.<name>` (summary),
    `usage.<name>` and the typed aliases `alias.<name>` (WORDS)."""

    def __init__(self, feature: str = "") -> None:
        self.feature = feature
        self.commands: list[Command] = []
        self.postbacks: list[PostbackRoute] = []
        self.hooks: list[tuple[str, Handler]] = []
        self.chat: list[Callable[[Context], bool]] = []
        self.dialogues: dict[str, Dialogue] = {}
        self.menu: list[MenuEntry] = []
        self.unhandled: list[Handler] = []

    def offer(self, label_key: str, *, data: str | None = None, text: str | None = None) -> None:
        """Add a main action to the menu people are shown when they do not know what to type."""
        self.menu.append(MenuEntry(label_key, data, text))

    def on_unhandled(self, fn: Handler) -> Handler:
        """A plain 1:1 message nothing else took (no dialogue, no chat handler)."""
        self.unhandled.append(fn)
        return fn

    def command(
        self,
        name: str,
        *,
        summary: tuple[str, str] | None = None,
        usage: str | None = None,
        roles: Iterable[str] = EVERYONE,
        places: Iterable[str] = ANYWHERE,
        aliases: Iterable[str] | None = None,
    ) -> Callable[[Handler], Handler]:
        def decorator(fn: Handler) -> Handler:
            self.commands.append(
                Command(
                    name,
                    fn,
                    summary or _catalogue_summary(name),
                    usage or _catalogue_usage(name),
                    frozenset(roles),
                    frozenset(places),
                    tuple(aliases) if aliases is not None else _catalogue_aliases(name),
                    self.feature,
                    usage_en=usage or _catalogue_usage(name, "en"),
                )
            )
            return fn

        return decorator

    def postback(self, *patterns: str) -> Callable[[PostbackHandler], PostbackHandler]:
        def decorator(fn: PostbackHandler) -> PostbackHandler:
            self.postbacks.extend(PostbackRoute.build(p, fn) for p in patterns)
            return fn

        return decorator

    def on(self, kind: str) -> Callable[[Handler], Handler]:
        def decorator(fn: Handler) -> Handler:
            self.hooks.append((kind, fn))
            return fn

        return decorator

    def on_chat(self, fn: Callable[[Context], bool]) -> Callable[[Context], bool]:
        """Plain (non-command) messages no dialogue took; a handler returning True consumes the message."""
        self.chat.append(fn)
        return fn

    def step(self, dialogue: str, *steps: str) -> Callable[[StepHandler], StepHandler]:
        """The handler of a dialogue's step(s): called with the text the person typed while at that step."""

        def decorator(fn: StepHandler) -> StepHandler:
            found = self.dialogues.setdefault(dialogue, Dialogue(dialogue, {}))
            for name in steps:
                found.steps[name] = fn
            return fn

        return decorator


_WORD = re.compile(r"\S+")


class Router:
    def __init__(self, routes: Iterable[ChatRoutes] = ()) -> None:
        self.commands: dict[str, Command] = {}
        self._lookup: dict[str, Command] = {}
        self._on: dict[str, list[Handler]] = {}
        self.postbacks: list[PostbackRoute] = []
        self.chat_handlers: list[Callable[[Context], bool]] = []
        self.dialogues: dict[str, Dialogue] = {}
        self.menu: list[MenuEntry] = []
        self.unhandled: list[Handler] = []
        for part in routes:
            self.include(part)

    # ---- assembly ----
    def include(self, routes: ChatRoutes) -> None:
        for cmd in routes.commands:
            self._add_command(cmd)
        for kind, fn in routes.hooks:
            self._on.setdefault(kind, []).append(fn)
        self.postbacks.extend(routes.postbacks)
        self.chat_handlers.extend(routes.chat)
        self.menu.extend(routes.menu)
        self.unhandled.extend(routes.unhandled)
        for name, dialogue in routes.dialogues.items():
            if name in self.dialogues:
                raise ValueError(f"dialogue {name!r} registered twice")
            self.dialogues[name] = dialogue

    def _add_command(self, cmd: Command) -> None:
        self.commands[cmd.name] = cmd
        for key in (cmd.name, *cmd.aliases):
            if key in self._lookup:
                raise ValueError(f"command {key!r} registered twice")
            self._lookup[key] = cmd

    # Direct registration (tests, small tools): the same as a feature's ChatRoutes.
    def command(self, name: str, **options: Any) -> Callable[[Handler], Handler]:
        def decorator(fn: Handler) -> Handler:
            routes = ChatRoutes()
            routes.command(name, **options)(fn)
            self._add_command(routes.commands[0])
            return fn

        return decorator

    def on(self, kind: str) -> Callable[[Handler], Handler]:
        def decorator(fn: Handler) -> Handler:
            self._on.setdefault(kind, []).append(fn)
            return fn

        return decorator

    def on_chat(self, fn: Callable[[Context], bool]) -> Callable[[Context], bool]:
        self.chat_handlers.append(fn)
        return fn

    # ---- lookup ----
    def find(self, command_text: str) -> tuple[Command | None, str, str]:
        """Longest registered name that prefixes the text: ('/event new a | b', ...) -> (event new, 'a | b')."""
        body = command_text[1:]
        found = list(islice(_WORD.finditer(body), 3))
        for n in range(len(found), 0, -1):
            key = " ".join(unicodedata.normalize("NFKC", w.group()).lower() for w in found[:n])
            if key in self._lookup:
                return self._lookup[key], body[found[n - 1].end() :].strip(), key
        return None, body, found[0].group() if found else ""

    def allowed(self, cmd: Command, roles: set[str]) -> bool:
        return bool(cmd.roles & roles)

    def visible_commands(self, roles: set[str], place_kind: str) -> list[Command]:
        return [c for c in self.commands.values() if self.allowed(c, roles) and place_kind in c.places]

    # ---- dispatch ----
    def dispatch(self, ctx: Context) -> None:
        inbound = ctx.inbound
        ctx.router = self
        if inbound.place.kind != DIRECT:
            get_or_create_space(ctx.session, inbound.place, ctx.now, name=inbound.place_name)
        for fn in self._on.get(inbound.kind, ()):
            fn(ctx)
        if inbound.kind == POSTBACK and inbound.postback_data:
            self.dispatch_postback(ctx, inbound.postback_data)
            return
        if inbound.kind != MESSAGE or not inbound.text:
            return
        command_text = normalise_command_text(inbound.text)
        if command_text is None:
            self._plain(ctx)
            return
        self.dispatch_command(ctx, command_text)

    def dispatch_command(self, ctx: Context, command_text: str) -> None:
        cmd, args, name = self.find(command_text)
        if cmd is None:
            ctx.refuse("unknown", name="/" + (name if len(name) <= 20 else name[:20] + "\u2026"))
            return
        label = "/" + cmd.name
        if not self.allowed(cmd, ctx.roles):
            roles = ctx.t("list.separator").join(ctx.t(f"role.{r}") for r in sorted(cmd.roles))
            ctx.refuse("forbidden", name=label, roles=roles)
            return
        if ctx.place_kind not in cmd.places:
            ctx.refuse("place.direct" if DIRECT_PLACE in cmd.places else "place.group", name=label)
            return
        ctx.command, ctx.args = cmd, args
        self._guarded(ctx, cmd.fn, usage=cmd.usage_in(ctx.lang))

    def dispatch_postback(self, ctx: Context, data: str) -> bool:
        for route in self.postbacks:
            params = route.match(data)
            if params is not None:
                if ctx.member is not None:  # a postback without a sender (never from LINE's 1:1): nobody to answer
                    self._guarded(ctx, partial(_call_with, route.fn, params))
                return True
        return False

    def _plain(self, ctx: Context) -> None:
        """A message that is not a command: a pressed-by-typing button, a dialogue's answer, or chat."""
        if ctx.member is not None and ctx.place_kind == DIRECT_PLACE:
            state = dialogues.current(ctx.session, id_of(ctx.member), ctx.now)
            if state is not None and self._answer(ctx, state):
                return
        for chat in self.chat_handlers:
            if chat(ctx):
                return
        if ctx.place_kind == DIRECT_PLACE:
            for fn in self.unhandled:
                fn(ctx)

    def _answer(self, ctx: Context, state: Any) -> bool:
        text = ctx.inbound.text or ""
        if self._cancelled(ctx, state, text):
            return True
        choice = dialogues.match_choice(state, text)
        if choice is not None:
            dialogues.forget_choices(ctx.session, state)
            label, data, typed = choice
            if data:
                # The handler sees what pressing the button would have sent.
                ctx.inbound = replace(ctx.inbound, kind=POSTBACK, postback_data=data, text=None)
                self.dispatch_postback(ctx, data)
                return True
            command_text = normalise_command_text(typed) if typed else None
            if command_text is not None:
                ctx.inbound = replace(ctx.inbound, text=typed)
                self.dispatch_command(ctx, command_text)
                return True
            # A button that sends plain words (e.g. "やめる"): as if the person had typed them.
            text = typed or label
            ctx.inbound = replace(ctx.inbound, text=text)
            if self._cancelled(ctx, state, text):
                return True
        dialogue = self.dialogues.get(state.dialogue) if state.dialogue else None
        step = dialogue.steps.get(state.step) if dialogue else None
        if step is None:
            return False
        ctx.dialogue = state
        self._guarded(ctx, lambda c: step(c, text))
        return True

    def _cancelled(self, ctx: Context, state: Any, text: str) -> bool:
        if not (state.dialogue and dialogues.is_cancel(text) and ctx.member is not None):
            return False
        dialogues.end(ctx.session, id_of(ctx.member))
        ctx.say("dialogue.cancelled")
        return True

    def _guarded(self, ctx: Context, fn: Handler, usage: str | None = None) -> None:
        """Run a handler; a Problem undoes its changes and is answered in the person's language."""
        savepoint = ctx.session.begin_nested()
        sent_before = len(ctx.postbox.items)
        try:
            fn(ctx)
            savepoint.commit()
        except Problem as exc:
            savepoint.rollback()
            del ctx.postbox.items[sent_before:]
            problem = exc.text(ctx.lang)
            if usage is not None and exc.with_usage:
                ctx.say("bad_args", problem=problem, usage=usage)
            else:
                ctx.reply(problem)
