"""Discord: a discord.py client on the service's event loop, slash commands mirrored from the Router, interactions
and chat stored in the inbox as neutral Inbound JSON, and outbox rows delivered through discord.py.

Everything Discord-specific lives here; the rest of the service sees community.messages types only.

Intents: guilds (channel and category cache, event spaces), guild_messages and dm_messages (plain chat is fed to the
router as kind "message" so features can count engagement). message_content is privileged and OFF unless the city
TOML sets `[discord] message_content = true` (turn it on in the developer portal too): without it guild messages
arrive with empty text (DMs and messages that mention the bot still carry it); counting still works.
Bot permissions for event spaces: Manage Channels, Manage Roles (channel overwrites), Manage Events, Send Messages.

The community board's forum (BoardForum): `[discord] board_forum_id` names the forum channel; without it the bot
looks for a forum called `board_forum_name` (default "関係人口-board") and, when it first has something to copy,
creates it with one tag per board category. Board threads are forum posts; posts from LINE, the web and the console
are sent through a webhook of the forum under the author's board nickname; messages written in the forum become
board posts (this needs `message_content = true`: without it their text does not reach the bot), and their edits
and deletions follow. Extra permissions: Manage Webhooks, Create Posts, Send Messages in Threads, Manage Messages
(staff /hide removes a post written on Discord too).

Slash commands are built from `router.commands` at login ("event new" -> group "event", subcommand "new"), each with
one optional string option for the arguments, and synced to DISCORD_GUILD_ID when set (instant) or globally.
Typed "/..." messages in guild channels are not commands (slash commands only) and are dropped; in DMs they pass
through, because guild-scoped slash commands do not exist in DMs.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, Optional

import aiohttp
import discord
from discord import app_commands

from bot.queues.outbox import Limits
from bot.queues.delivery import Delivered, PermanentFailure, ReplyTokenExpired, TransientFailure
from bot.queues.inbox import store_events
from community import board_mirror
from community import messages as m
from community.board import CommunityConfig
from handlers.router import DIRECT_PLACE, GROUP_PLACE, Command, Router, normalise_command_text
from storage.db import utcnow

log = logging.getLogger(__name__)

# Interaction tokens live 15 minutes; past this the sender pushes to the channel instead.
REPLY_TOKEN_TTL_SECONDS = 14 * 60
REPLY_TARGET_PREFIX = "interaction:"
# A one-word command that is also a group ("thread" next to "thread new") becomes this subcommand of the group.
BARE_SUBCOMMAND = "実行"
# A button whose custom_id starts with this sends the rest as if the user had typed it (LINE's message action).
SAY_PREFIX = "say:"
CONTENT_LIMIT = 2000
EMBED_LIMIT = 10
BUTTON_LIMIT = 25
# discord.py sleeps through shorter rate limits itself; longer ones come back to the outbox as TransientFailure.
MAX_RATELIMIT_WAIT = 30.0
EVENT_JOIN_PREFIX = "event-join:"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- slash commands mirrored from the router --------------------------------------------------------------------

OnCommand = Callable[[discord.Interaction], Awaitable[None]]


def _slash_command(name: str, cmd: Command, on_command: OnCommand) -> app_commands.Command:
    async def callback(interaction: discord.Interaction, args: Optional[str] = None) -> None:
        # The text is rebuilt from interaction.data (see command_text), so args is only declared here.
        await on_command(interaction)

    slash = app_commands.Command(name=name, description=_clip(cmd.summary[0], 100), callback=callback)
    app_commands.describe(args=_clip(f"コマンドに続けて書く内容 (使い方: {cmd.usage})", 100))(slash)
    app_commands.rename(args="引数")(slash)
    return slash


def slash_commands(router: Router, on_command: OnCommand) -> list[app_commands.Command | app_commands.Group]:
    """Top-level slash commands and groups for the router's commands. Aliases are text-only and not mirrored.
    Discord cannot invoke a group itself, so "/thread" next to "/thread new" becomes "/thread 実行"."""
    commands = [c for c in router.commands.values() if 1 <= len(c.name.split()) <= 3]
    group_paths = {tuple(c.name.split()[:i]) for c in commands for i in range(1, len(c.name.split()))}
    top: dict[str, app_commands.Command | app_commands.Group] = {}
    groups: dict[tuple[str, ...], app_commands.Group] = {}

    def group_for(path: tuple[str, ...]) -> app_commands.Group:
        if path not in groups:
            under = [c.summary[0] for c in commands
                     if len(c.name.split()) > len(path) and tuple(c.name.split()[: len(path)]) == path]
            description = _clip("・".join(under) or f"/{' '.join(path)}", 100)
            group = app_commands.Group(name=path[-1], description=description)
            if len(path) == 1:
                top[path[0]] = group
            else:
                group_for(path[:-1]).add_command(group)
            groups[path] = group
        return groups[path]

    for cmd in commands:
        parts = tuple(cmd.name.split())
        if parts in group_paths:
            parts += (BARE_SUBCOMMAND,)
        try:
            slash = _slash_command(parts[-1], cmd, on_command)
            if len(parts) == 1:
                top[parts[0]] = slash
            else:
                group_for(parts[:-1]).add_command(slash)
        except (ValueError, TypeError) as exc:  # a name Discord does not allow (spaces, capitals, symbols)
            log.warning("/%s cannot be a Discord slash command: %s", cmd.name, exc)
    return [item for item in top.values() if not isinstance(item, app_commands.Group) or item.commands]


# ---- inbound: interactions and messages -> Inbound --------------------------------------------------------------


def command_text(data: dict[str, Any]) -> str:
    """Application command data -> '/event new <args>' (subcommand groups and subcommands become words)."""
    words = [str(data.get("name", ""))]
    values: list[str] = []
    options = data.get("options") or []
    while options:
        first = options[0]
        if first.get("type") in (1, 2):  # SUB_COMMAND, SUB_COMMAND_GROUP
            if first.get("name") != BARE_SUBCOMMAND:
                words.append(str(first.get("name", "")))
            options = first.get("options") or []
            continue
        values = [str(o["value"]) for o in options if o.get("value") not in (None, "")]
        break
    args = " ".join(values).strip()
    return "/" + " ".join(words) + (" " + args if args else "")


def reply_target(application_id: int | str, token: str) -> str:
    return f"{REPLY_TARGET_PREFIX}{application_id}:{token}"


def _place(guild_id: int | None, channel_id: int | None, user_id: int) -> m.Place:
    if guild_id is None or channel_id is None:
        return m.Place("discord", m.DIRECT, str(user_id))
    return m.Place("discord", m.CHANNEL, str(channel_id))


def inbound_from_interaction(interaction: discord.Interaction) -> m.Inbound | None:
    """A slash command becomes a command message; a button becomes a postback (or a message for say: buttons)."""
    data = interaction.data or {}
    channel = interaction.channel
    common = dict(
        platform="discord",
        place=_place(interaction.guild_id, interaction.channel_id, interaction.user.id),
        occurred_at=interaction.created_at,
        sender_id=str(interaction.user.id),
        reply_token=reply_target(interaction.application_id, interaction.token),
        place_name=getattr(channel, "name", None) if interaction.guild_id else None,
    )
    if interaction.type is discord.InteractionType.application_command:
        return m.Inbound(kind=m.MESSAGE, text=command_text(data), message_kind="command", **common)
    if interaction.type is discord.InteractionType.component:
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith(SAY_PREFIX):
            return m.Inbound(kind=m.MESSAGE, text=custom_id[len(SAY_PREFIX):], message_kind="text", **common)
        if custom_id:
            return m.Inbound(kind=m.POSTBACK, postback_data=custom_id, **common)
    return None


def inbound_from_message(message: discord.Message) -> m.Inbound | None:
    """Plain chat -> kind message (no reply token: answers are pushed to the channel). Bots and system messages: None."""
    if message.author.bot or message.webhook_id is not None:
        return None
    if message.type not in (discord.MessageType.default, discord.MessageType.reply):
        return None
    in_guild = message.guild is not None
    text = message.content or None
    if in_guild and text and normalise_command_text(text) is not None:
        return None  # in channels commands are slash commands only
    kind = "text" if text else ("image" if message.attachments else "other")
    return m.Inbound(
        platform="discord",
        kind=m.MESSAGE,
        place=_place(message.guild.id if in_guild else None, message.channel.id, message.author.id),
        occurred_at=message.created_at,
        sender_id=str(message.author.id),
        text=text,
        mentions=tuple(m.Mention(str(u.id), "@" + u.display_name) for u in message.mentions),
        place_name=getattr(message.channel, "name", None) if in_guild else None,
        message_kind=kind,
        message_id=str(message.id),
    )


class DiscordTranslator:
    """The Discord adapter stores neutral Inbound JSON in the inbox; translating is decoding."""

    platform = "discord"

    async def translate(self, payload: str) -> m.Inbound | None:
        return m.Inbound.from_json(payload)


# ---- outbound rendering ----------------------------------------------------------------------------------------


class ActionButton(discord.ui.DynamicItem[discord.ui.Button], template=r"(?P<custom_id>.{1,100})"):
    """A postback (or say:) button. Dynamic, so clicks on messages sent before a restart still reach the bot."""

    def __init__(self, custom_id: str, label: str = "…", style: discord.ButtonStyle = discord.ButtonStyle.secondary):
        super().__init__(discord.ui.Button(label=_clip(label, 80), custom_id=custom_id, style=style))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["custom_id"], item.label or "…")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = getattr(interaction.client, "tsunagaru", None)
        if bot is not None:
            await bot.accept_interaction(interaction)


def _button(action: m.Action, primary: bool) -> discord.ui.Item:
    label = _clip(action.label or "…", 80)
    if action.url:
        return discord.ui.Button(label=label, url=action.url, style=discord.ButtonStyle.link)
    custom_id = action.data if action.data else SAY_PREFIX + (action.text or action.label)
    style = discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary
    return ActionButton(custom_id[:100], label, style)


def _view(actions: list[m.Action]) -> discord.ui.View | None:
    """Buttons below a message: links and postbacks; custom_ids must be unique within a message."""
    if not actions:
        return None
    view = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for action in actions:
        key = action.url or action.data or SAY_PREFIX + (action.text or action.label)
        if key[:100] in seen or len(view.children) >= BUTTON_LIMIT:
            continue
        seen.add(key[:100])
        view.add_item(_button(action, primary=not view.children))
    return view


def _card_embed(title: str, text: str, image_url: str | None) -> discord.Embed:
    embed = discord.Embed(title=_clip(title, 256) or None, description=_clip(text, 4096) or None)
    if image_url:
        embed.set_image(url=image_url)
    return embed


@dataclass
class DiscordMessage:
    """One Discord message: what an outbox row becomes (one request per row, as the outbox expects)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"content": self.content, "embeds": self.embeds}
        if self.view is not None:
            out["view"] = self.view
        return out


def render(messages: list[m.OutboundMessage]) -> DiscordMessage:
    """Neutral messages -> content (texts), embeds (cards, images, QR; at most 10) and one view of buttons."""
    texts: list[str] = []
    embeds: list[discord.Embed] = []
    actions: list[m.Action] = []
    for message in messages:
        if isinstance(message, m.Text):
            texts.append(message.text)
            actions += message.quick_replies
        elif isinstance(message, m.Image):
            embed = discord.Embed(description=_clip(message.alt, 4096) or None)
            embeds.append(embed.set_image(url=message.url))
        elif isinstance(message, m.Card):
            embeds.append(_card_embed(message.title, message.text, message.image_url))
            actions += message.actions
        elif isinstance(message, m.QrCard):
            embeds.append(_card_embed(message.title, message.note, message.image_url))
            actions.append(m.Action(label=message.button_label, url=message.url))
        elif isinstance(message, m.Carousel):
            for card in message.cards:
                embeds.append(_card_embed(card.title, card.text, card.image_url))
                actions += card.actions
        else:
            raise TypeError(f"cannot render {type(message).__name__} as a Discord message")
    content = _clip("\n\n".join(t for t in texts if t), CONTENT_LIMIT) or None
    if content is None and not embeds:
        content = "\u200b"  # Discord refuses a message with nothing in it
    return DiscordMessage(content=content, embeds=embeds[:EMBED_LIMIT], view=_view(actions))


# ---- delivery --------------------------------------------------------------------------------------------------


def _retry_after(exc: discord.HTTPException) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _nonce(retry_key: str) -> str:
    # Discord drops a second message with the same nonce (enforce_nonce), so a retried push is not doubled.
    return retry_key.replace("-", "")[:25]


class DiscordDelivery:
    """Sends one outbox row with discord.py and classifies the outcome for the sender."""

    platform = "discord"
    limits = Limits(messages=10, recipients=1)  # 10 embeds per message; no multicast

    def __init__(self, bot: "DiscordBot"):
        self.bot = bot
        self._user_ids: set[int] = set()  # ids learned to be users (pushes to them go to DMs)

    @property
    def client(self) -> discord.Client:
        return self.bot.client

    async def send(self, method: str, target: str, messages: list[m.OutboundMessage], retry_key: str,
                   reply_token_age: float | None) -> Delivered:
        if self.client.user is None or self.client.is_closed():
            raise TransientFailure("Discord client is not logged in yet", retry_after=5.0)
        try:
            spaces = [msg for msg in messages if isinstance(msg, (m.CreateSpace, m.ArchiveSpace) + BOARD_OPERATIONS)]
            if spaces:
                for op in spaces:
                    if isinstance(op, m.CreateSpace):
                        await self.bot.spaces.create(op, retry_key)
                    elif isinstance(op, m.ArchiveSpace):
                        await self.bot.spaces.archive(op)
                    else:
                        await self.bot.board.apply(op)
                messages = [msg for msg in messages if msg not in spaces]
                if not messages:
                    return Delivered("sent")
            if method == m.REPLY:
                await self._reply(target, render(messages), reply_token_age)
            elif method == m.PUSH:
                await self._push(target, render(messages), retry_key)
            elif method == m.MULTICAST:
                for user_id in json.loads(target):
                    await self._push(str(user_id), render(messages), retry_key)
            else:
                raise PermanentFailure(f"unknown method {method}")
        except discord.RateLimited as exc:
            raise TransientFailure(f"429 rate limited for {exc.retry_after:.0f}s", retry_after=exc.retry_after) from None
        except discord.HTTPException as exc:
            detail = f"{exc.status} {exc.code} {exc.text}"[:300]
            if exc.status == 429 or exc.status >= 500:
                raise TransientFailure(detail, retry_after=_retry_after(exc), outcome_unknown=exc.status >= 500) from None
            raise PermanentFailure(detail) from None
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            raise TransientFailure(f"{type(exc).__name__}: {exc}"[:300], outcome_unknown=True) from None
        return Delivered("sent")

    async def _reply(self, target: str, message: DiscordMessage, age: float | None) -> None:
        if not target.startswith(REPLY_TARGET_PREFIX):
            raise ReplyTokenExpired(f"not an interaction reply target: {target[:40]}")
        if age is not None and age > REPLY_TOKEN_TTL_SECONDS:
            raise ReplyTokenExpired(f"interaction older than {REPLY_TOKEN_TTL_SECONDS}s")
        application_id, _, token = target[len(REPLY_TARGET_PREFIX):].partition(":")
        webhook = discord.Webhook.partial(int(application_id), token, client=self.client)
        try:
            await webhook.send(wait=True, **message.kwargs())
        except discord.HTTPException as exc:
            if exc.status in (401, 404):  # unknown webhook / invalid token: the interaction is gone, push instead
                raise ReplyTokenExpired(f"{exc.status} {exc.text}"[:200]) from None
            raise

    async def _push(self, target: str, message: DiscordMessage, retry_key: str) -> None:
        snowflake = int(target)
        if snowflake not in self._user_ids and (self.client.get_channel(snowflake) is not None or self.client.get_user(snowflake) is None):
            try:
                await self.client.get_partial_messageable(snowflake).send(nonce=_nonce(retry_key), **message.kwargs())
                return
            except discord.NotFound as exc:
                if exc.code != 10003:  # Unknown Channel: the id is a user's, see below
                    raise
        user = self.client.get_user(snowflake) or await self.client.fetch_user(snowflake)
        self._user_ids.add(snowflake)
        await user.send(nonce=_nonce(retry_key), **message.kwargs())


# ---- event spaces (CreateSpace / ArchiveSpace) -----------------------------------------------------------------


class EventSpaces:
    """Makes and archives an event's channel. Each step looks before it creates, so a retried row does not double."""

    def __init__(self, bot: "DiscordBot"):
        self.bot = bot
        section = bot.settings.city.discord
        self.events_category = section.events_category
        self.archive_category = section.archive_category
        self.event_hours = section.event_hours

    @property
    def client(self) -> discord.Client:
        return self.bot.client

    async def guild(self) -> discord.Guild:
        guild_id = self.bot.settings.discord_guild_id
        if guild_id is None:
            if len(self.client.guilds) == 1:
                return self.client.guilds[0]
            raise PermanentFailure("DISCORD_GUILD_ID is needed to create event channels (the bot is in %d servers)"
                                   % len(self.client.guilds))
        return self.client.get_guild(guild_id) or await self.client.fetch_guild(guild_id)

    @staticmethod
    def topic_marker(code: str) -> str:
        return f"[{code}]"

    async def _category(self, guild: discord.Guild, channels: list, name: str) -> discord.CategoryChannel:
        for channel in channels:
            if isinstance(channel, discord.CategoryChannel) and channel.name.lower() == name.lower():
                return channel
        return await guild.create_category(name, reason="tsunagaru: event spaces")

    async def create(self, op: m.CreateSpace, retry_key: str) -> discord.TextChannel:
        guild = await self.guild()
        channels = list(await guild.fetch_channels())
        marker = self.topic_marker(op.event_code)
        starts = datetime.fromisoformat(op.starts_at)
        local = starts.astimezone(self.bot.settings.tz)
        when = f"{local:%Y-%m-%d %H:%M}"
        channel = next((c for c in channels if isinstance(c, discord.TextChannel) and (c.topic or "").startswith(marker)), None)
        if channel is None:
            category = await self._category(guild, channels, self.events_category)
            channel = await guild.create_text_channel(
                _clip(f"{op.title}-{op.event_code}", 100), category=category,
                topic=_clip(f"{marker} {op.title} / {when} / {op.location}", 1024), reason="tsunagaru: event space")
        for user_id in op.facilitator_ids:
            try:
                member = guild.get_member(int(user_id)) or await guild.fetch_member(int(user_id))
            except discord.NotFound:
                log.warning("facilitator %s is not in the server; no channel permission given", user_id[-4:])
                continue
            await channel.set_permissions(member, manage_messages=True, view_channel=True, send_messages=True,
                                          reason="tsunagaru: event facilitator")
        if starts > datetime.now(timezone.utc):
            existing = await guild.fetch_scheduled_events(with_counts=False)
            if not any(marker in (e.description or "") for e in existing):
                await guild.create_scheduled_event(
                    name=_clip(op.title, 100), start_time=starts, end_time=starts + timedelta(hours=self.event_hours),
                    entity_type=discord.EntityType.external, privacy_level=discord.PrivacyLevel.guild_only,
                    location=_clip(op.location or "未定", 100),
                    description=_clip(f"{marker} チャンネル: #{channel.name}", 1000), reason="tsunagaru: event")
        card = m.Card(title=op.title, text=f"日時: {when}\n場所: {op.location or '未定'}\n参加する人はボタンを押してください。",
                      actions=(m.Action(label="参加する", data=f"{EVENT_JOIN_PREFIX}{op.event_code}"),))
        await channel.send(nonce=_nonce(retry_key), **render([card]).kwargs())
        await self.bot.store(
            f"space:{op.event_code}:{channel.id}",
            m.Inbound(platform="discord", kind=m.SPACE_CREATED, place=m.Place("discord", m.CHANNEL, str(channel.id)),
                      occurred_at=utcnow(), text=op.event_code, place_name=channel.name),
        )
        return channel

    async def archive(self, op: m.ArchiveSpace) -> None:
        guild = await self.guild()
        channels = list(await guild.fetch_channels())
        channel = next((c for c in channels if c.id == int(op.space_id)), None)
        if not isinstance(channel, discord.TextChannel):
            raise PermanentFailure(f"event channel {op.space_id} ({op.event_code}) not found")
        category = await self._category(guild, channels, self.archive_category)
        if channel.category_id != category.id:
            await channel.edit(category=category, reason="tsunagaru: event archived")
        await channel.set_permissions(guild.default_role, send_messages=False, send_messages_in_threads=False,
                                      create_public_threads=False, add_reactions=False, reason="tsunagaru: read-only")


# ---- the community board's forum (MirrorThread / MirrorPost / UnmirrorPost, and messages written in it) --------

BOARD_OPERATIONS = (m.MirrorThread, m.MirrorPost, m.UnmirrorPost)
BOARD_FORUM_NAME = "関係人口-board"
BOARD_WEBHOOK_NAME = "tsunagaru-board"
_RESERVED_NAME = re.compile(r"(?i)discord|clyde")


def webhook_username(nickname: str) -> str:
    """Discord refuses webhook names containing "discord" or "clyde", or that are "everyone"/"here"; a zero-width
    space keeps such a nickname readable."""
    name = _RESERVED_NAME.sub(lambda found: found.group()[0] + "\u200b" + found.group()[1:], nickname.strip())
    if name.lower() in ("everyone", "here"):
        name = name[0] + "\u200b" + name[1:]
    return _clip(name or "…", 80)


class BoardForum:
    """Keeps the forum a copy of the board (through a webhook, so each post shows its author's nickname) and tells
    which messages are written in it. Each step looks before it creates, so a retried outbox row does not double."""

    def __init__(self, bot: "DiscordBot"):
        self.bot = bot
        section = bot.settings.city.discord
        self.configured_id = section.board_forum_id
        self.name = section.board_forum_name
        self._forum: discord.ForumChannel | None = None
        self._looked = False  # looked for the forum by name and found none (made later by the first copy)
        self._webhook: discord.Webhook | None = None
        self._lock = asyncio.Lock()

    @property
    def client(self) -> discord.Client:
        return self.bot.client

    @property
    def db(self):
        return self.bot.runtime.db

    async def forum(self, create: bool) -> discord.ForumChannel | None:
        if self._forum is not None or (self._looked and not create):
            return self._forum
        async with self._lock:
            if self._forum is None:
                self._forum = await self._find_or_create(create)
                self._looked = True
        return self._forum

    async def _find_or_create(self, create: bool) -> discord.ForumChannel | None:
        if self.configured_id is not None:
            channel = self.client.get_channel(self.configured_id) or await self.client.fetch_channel(self.configured_id)
            if not isinstance(channel, discord.ForumChannel):
                raise PermanentFailure(f"[discord] board_forum_id {self.configured_id} is not a forum channel")
            return channel
        guild = await self.bot.spaces.guild()
        channels = await guild.fetch_channels()
        found = next((c for c in channels if isinstance(c, discord.ForumChannel) and c.name.lower() == self.name.lower()), None)
        if found is not None or not create:
            return found
        cfg = CommunityConfig.from_city(self.bot.settings.city)
        names = list(dict.fromkeys((*cfg.categories, cfg.voice_category)))[:20]  # Discord allows 20 tags
        return await guild.create_forum(
            self.name, topic=_clip(f"{self.bot.settings.city.name}の関係人口コミュニティ掲示板（LINE・Webとつながっています）", 1024),
            available_tags=[discord.ForumTag(name=_clip(n, 20)) for n in names], reason="tsunagaru: community board")

    async def webhook(self) -> discord.Webhook:
        if self._webhook is None:
            forum = await self.forum(create=True)
            hooks = await forum.webhooks()
            self._webhook = next((h for h in hooks if h.name == BOARD_WEBHOOK_NAME and h.token), None) or \
                await forum.create_webhook(name=BOARD_WEBHOOK_NAME, reason="tsunagaru: board posts from LINE and the web")
        return self._webhook

    async def _link(self, kind: str, board_id: int):
        return await self.db.run(board_mirror.link_of, "discord", kind, board_id)

    async def apply(self, op: m.MirrorThread | m.MirrorPost | m.UnmirrorPost) -> None:
        if isinstance(op, m.MirrorThread):
            await self.copy_thread(op)
        elif isinstance(op, m.MirrorPost):
            await self.copy_post(op)
        else:
            await self.take_down(op)

    async def copy_thread(self, op: m.MirrorThread) -> None:
        if await self._link(board_mirror.THREAD, op.thread_id) is not None:
            return
        forum = await self.forum(create=True)
        tags = [tag for tag in forum.available_tags if tag.name == op.category][:1]
        url = self.bot.settings.public_url(f"/board/thread/{op.thread_id}")
        created = await forum.create_thread(
            name=_clip(op.title, 100), applied_tags=tags, allowed_mentions=discord.AllowedMentions.none(),
            content=_clip(f"【{op.category}】{op.title}\n掲示板 #{op.thread_id}（LINE・Webとつながっています）\n{url}", CONTENT_LIMIT),
            reason="tsunagaru: board thread")
        await self.db.run(board_mirror.set_link, "discord", board_mirror.THREAD, op.thread_id, str(created.thread.id),
                          str(forum.id), False)

    async def copy_post(self, op: m.MirrorPost) -> None:
        if await self._link(board_mirror.POST, op.post_id) is not None:
            return  # copied already, or written on Discord
        thread = await self._link(board_mirror.THREAD, op.thread_id)
        if thread is None:
            raise PermanentFailure(f"board thread #{op.thread_id} has no forum post to copy post #{op.post_id} into")
        webhook = await self.webhook()
        sent = await webhook.send(content=_clip(op.text, CONTENT_LIMIT), username=webhook_username(op.author),
                                  thread=discord.Object(int(thread.platform_id)), wait=True,
                                  allowed_mentions=discord.AllowedMentions.none())
        await self.db.run(board_mirror.set_link, "discord", board_mirror.POST, op.post_id, str(sent.id),
                          thread.platform_id, False)

    async def take_down(self, op: m.UnmirrorPost) -> None:
        link = await self._link(board_mirror.POST, op.post_id)
        if link is None:
            return
        message_id, thread_id = int(link.platform_id), int(link.place_id)
        try:
            if link.origin:  # written on Discord: the bot removes it (Manage Messages)
                await self.client.get_partial_messageable(thread_id).get_partial_message(message_id).delete()
            else:
                await (await self.webhook()).delete_message(message_id, thread=discord.Object(thread_id))
        except discord.NotFound:
            pass  # gone already
        await self.db.run(board_mirror.drop_link, "discord", board_mirror.POST, op.post_id)

    async def thread_of(self, channel: Any) -> discord.Thread | None:
        """The forum thread a message was written in, or None when it is not one of the board forum's."""
        if channel is None or isinstance(channel, (discord.TextChannel, discord.DMChannel, discord.VoiceChannel,
                                                   discord.CategoryChannel, discord.ForumChannel)):
            return None
        if not isinstance(channel, discord.Thread):
            try:
                channel = await self.client.fetch_channel(channel.id if hasattr(channel, "id") else int(channel))
            except (discord.NotFound, discord.Forbidden):
                return None
            if not isinstance(channel, discord.Thread):
                return None
        forum = await self.forum(create=False)
        return channel if forum is not None and channel.parent_id == forum.id else None

    @staticmethod
    def forum_thread(thread: discord.Thread) -> m.ForumThread:
        return m.ForumThread(title=thread.name, tags=tuple(tag.name for tag in thread.applied_tags))


# ---- the client ------------------------------------------------------------------------------------------------


def intents(message_content: bool) -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    chosen.message_content = message_content
    return chosen


class _Client(discord.Client):
    def __init__(self, bot: "DiscordBot", **options: Any):
        super().__init__(**options)
        self.tsunagaru = bot
        self.tree = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        await self.tsunagaru.setup()

    async def on_message(self, message: discord.Message) -> None:
        await self.tsunagaru.accept_message(message)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        await self.tsunagaru.accept_edit(payload)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.tsunagaru.accept_delete(payload)


class DiscordBot:
    """Owns the discord.py client; Runtime starts run() as a task on its loop and awaits close() on shutdown."""

    def __init__(self, runtime: Any, *, connector: aiohttp.BaseConnector | None = None):
        self.runtime = runtime
        self.settings = runtime.settings
        self.client = _Client(self, intents=intents(self.settings.city.discord.message_content), connector=connector,
                              max_ratelimit_timeout=MAX_RATELIMIT_WAIT)
        self.delivery = DiscordDelivery(self)
        self.translator = DiscordTranslator()
        self.spaces = EventSpaces(self)
        self.board = BoardForum(self)
        self.synced: list[app_commands.AppCommand] = []

    @property
    def guild(self) -> discord.Object | None:
        guild_id = self.settings.discord_guild_id
        return discord.Object(id=guild_id) if guild_id else None

    async def run(self) -> None:
        try:
            await self.client.start(self.settings.discord_bot_token)
        except discord.LoginFailure:
            log.error("Discord login failed: DISCORD_BOT_TOKEN is not valid")
        except discord.PrivilegedIntentsRequired:
            log.error("Discord refused the message_content intent: enable it in the developer portal or set "
                      "[discord] message_content = false")

    async def close(self) -> None:
        await self.client.close()

    async def setup(self) -> None:
        """After login: mirror the router's commands as slash commands and listen for buttons."""
        self.client.add_dynamic_items(ActionButton)
        tree = self.client.tree
        for item in slash_commands(self.runtime.router, self.accept_interaction):
            tree.add_command(item, guild=self.guild)
        try:
            self.synced = await tree.sync(guild=self.guild)
            log.info("synced %d slash commands to %s", len(self.synced), self.guild.id if self.guild else "all servers")
        except discord.HTTPException as exc:  # e.g. the bot was invited without the applications.commands scope
            log.error("slash command sync failed: %s %s", exc.status, exc.text[:200])

    async def store(self, event_id: str, inbound: m.Inbound) -> None:
        await self.runtime.db.run(store_events, "discord", [(event_id, inbound.kind, False, inbound.to_json())], utcnow())
        self.runtime.worker.wake.set()

    def _ephemeral(self, interaction: discord.Interaction) -> bool:
        """Answers only the user needs: buttons, and 1:1 commands used in a channel."""
        if interaction.guild_id is None:
            return False
        if interaction.type is discord.InteractionType.component:
            return True
        text = command_text(interaction.data or {})
        cmd, _, _ = self.runtime.router.find(text)
        return cmd is not None and GROUP_PLACE not in cmd.places and DIRECT_PLACE in cmd.places

    async def accept_interaction(self, interaction: discord.Interaction) -> None:
        """Acknowledge at once (Discord allows 3 seconds), then leave the work to the inbox worker."""
        inbound = inbound_from_interaction(interaction)
        if inbound is None:
            return
        try:
            await interaction.response.defer(ephemeral=self._ephemeral(interaction), thinking=True)
        except discord.HTTPException as exc:  # expired or answered already: the reply falls back to a push
            log.warning("could not acknowledge interaction %s: %s", interaction.id, exc.status)
        await self.store(f"interaction:{interaction.id}", inbound)

    async def accept_message(self, message: discord.Message) -> None:
        inbound = inbound_from_message(message)
        if inbound is None:
            return
        if message.guild is not None:
            thread = await self.board.thread_of(message.channel)
            if thread is not None:
                inbound = dataclasses.replace(inbound, forum_thread=self.board.forum_thread(thread))
        await self.store(f"message:{message.id}", inbound)

    async def accept_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """An edited text in the board forum (embeds unfolding a link also arrive as edits: those carry no content)."""
        message = payload.message
        if payload.guild_id is None or "content" not in payload.data or message.author.bot or message.webhook_id:
            return
        if await self.board.thread_of(message.channel) is None:
            return
        edited = message.edited_at or utcnow()
        await self.store(f"edit:{message.id}:{int(edited.timestamp() * 1000)}", m.Inbound(
            platform="discord", kind=m.MESSAGE_EDITED, place=m.Place("discord", m.CHANNEL, str(payload.channel_id)),
            occurred_at=edited, sender_id=str(message.author.id), text=message.content or None,
            message_id=str(message.id)))

    async def accept_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if payload.guild_id is None:
            return
        channel = self.client.get_channel(payload.channel_id) or discord.Object(payload.channel_id)
        if await self.board.thread_of(channel) is None:
            return
        await self.store(f"delete:{payload.message_id}", m.Inbound(
            platform="discord", kind=m.MESSAGE_DELETED, place=m.Place("discord", m.CHANNEL, str(payload.channel_id)),
            occurred_at=utcnow(), message_id=str(payload.message_id)))
