"""Event channels (CreateSpace / SpaceAccess / ArchiveSpace): a private text channel per event under the events
category (only the people the events feature lets in see it: those registered, its facilitators, organizer and
staff), its join card in a public lobby channel of the category, a scheduled event, and when the event is closed the
channel moved to the archive category, read-only.

Bot permissions: Manage Channels, Manage Roles (channel overwrites), Manage Events, Send Messages (bot.discord
.permissions names each step's). Each step looks before it creates, so a retried outbox row does not double.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import discord

from bot.discord.client import DiscordClient
from bot.discord.permissions import MANAGE_CHANNELS, MANAGE_EVENTS, MANAGE_ROLES, SEND_MESSAGES, needs
from bot.discord.ports import DiscordSite, InboxWriter, inbox_row
from bot.discord.render import clip, nonce, render
from bot.discord.translate import inbound_from_space
from bot.queues.delivery import PermanentFailure
from community import messages as m
from community.texts import t
from storage.db import utcnow

log = logging.getLogger(__name__)

EVENT_JOIN_PREFIX = "event-join:"  # the events feature's join postback (deployed cards carry it)
HIDDEN = discord.PermissionOverwrite(view_channel=False)
# The bot sees and writes in the channels it makes private; others get in by SpaceAccess.
BOT_IN_CHANNEL = discord.PermissionOverwrite(
    view_channel=True, send_messages=True, embed_links=True, read_message_history=True
)
LOBBY = discord.PermissionOverwrite(send_messages=False, create_public_threads=False, add_reactions=False)


def topic_marker(code: str) -> str:
    return f"[{code}]"


def let_in(manage: bool) -> discord.PermissionOverwrite:
    """A person let into an event's channel: they see it (and write as the server lets everyone); a facilitator
    moderates it too."""
    return discord.PermissionOverwrite(view_channel=True, read_message_history=True, manage_messages=manage or None)


class EventSpaces:
    """Makes an event's channel, lets people in and out, archives it; reports a made channel back through the inbox
    (SPACE_CREATED)."""

    def __init__(self, client: DiscordClient, site: DiscordSite, inbox: InboxWriter) -> None:
        self.client = client
        self.site = site
        self.inbox = inbox

    def t(self, key: str, **values: object) -> str:
        return t(self.site.lang, key, **values)

    async def _category(
        self, guild: discord.Guild, channels: list[discord.abc.GuildChannel], name: str
    ) -> discord.CategoryChannel:
        """The category of that name; made (and added to `channels`, so the next step finds it) when missing."""
        for channel in channels:
            if isinstance(channel, discord.CategoryChannel) and channel.name.lower() == name.lower():
                return channel
        async with needs(MANAGE_CHANNELS, "event_channel"):
            made = await guild.create_category(name, reason="tsunagaru: event spaces")
        channels.append(made)
        return made

    async def create(self, op: m.CreateSpace, retry_key: str) -> discord.TextChannel:
        guild = await self.client.home_guild(self.site.guild_id)
        channels = list(await guild.fetch_channels())
        starts = datetime.fromisoformat(op.starts_at)
        when = f"{starts.astimezone(self.site.tz):%Y-%m-%d %H:%M}"
        channel = await self._channel(guild, channels, op, when)
        await self._allow_facilitators(guild, channel, op.facilitator_ids)
        if starts > datetime.now(UTC):
            await self._schedule(guild, channel, op, starts)
        location = op.location or self.t("discord.space.no_location")
        join = m.Action(label=self.t("discord.space.join"), data=f"{EVENT_JOIN_PREFIX}{op.event_code}")
        card = m.Card(title=op.title, text=self.t("discord.space.card", when=when, location=location), actions=(join,))
        lobby = await self._lobby(guild, channels)
        async with needs(SEND_MESSAGES, "event_card"):
            await lobby.send(nonce=nonce(retry_key), **render([card]).kwargs())
            welcome = self.t("discord.space.welcome", when=when, location=location)
            await channel.send(nonce=nonce(retry_key[::-1]), **render([m.Card(title=op.title, text=welcome)]).kwargs())
        reported = inbound_from_space(op.event_code, channel.id, channel.name, utcnow())
        await self.inbox([inbox_row(f"space:{op.event_code}:{channel.id}", reported)])
        return channel

    async def _channel(
        self, guild: discord.Guild, channels: list[discord.abc.GuildChannel], op: m.CreateSpace, when: str
    ) -> discord.TextChannel:
        """The event's channel: found by the marker in its topic, or made (private) under the events category."""
        marker = topic_marker(op.event_code)
        for channel in channels:
            if isinstance(channel, discord.TextChannel) and (channel.topic or "").startswith(marker):
                return channel
        category = await self._category(guild, channels, self.site.section.events_category)
        topic = self.t("discord.space.topic", marker=marker, title=op.title, when=when, location=op.location)
        me = discord.Object(id=self.client.user.id if self.client.user else 0)
        async with needs(MANAGE_ROLES, "event_channel"):
            return await guild.create_text_channel(
                clip(f"{op.title}-{op.event_code}", 100),
                category=category,
                topic=clip(topic, 1024),
                overwrites={guild.default_role: HIDDEN, me: BOT_IN_CHANNEL},
                reason="tsunagaru: event space (private)",
            )

    async def _lobby(self, guild: discord.Guild, channels: list[discord.abc.GuildChannel]) -> discord.TextChannel:
        """The public channel of the events category where each event's join card is posted (read-only for all)."""
        name = self.t("discord.space.lobby")
        for channel in channels:
            if isinstance(channel, discord.TextChannel) and channel.name == name:
                return channel
        category = await self._category(guild, channels, self.site.section.events_category)
        async with needs(MANAGE_ROLES, "event_channel"):
            return await guild.create_text_channel(
                name,
                category=category,
                topic=clip(self.t("discord.space.lobby_topic"), 1024),
                overwrites={guild.default_role: LOBBY},
                reason="tsunagaru: event lobby",
            )

    async def _member(self, guild: discord.Guild, user_id: str) -> discord.Member | None:
        try:
            return guild.get_member(int(user_id)) or await guild.fetch_member(int(user_id))
        except discord.NotFound:
            log.warning("user %s is not in the server; no channel permission given", user_id[-4:])
            return None

    async def _allow_facilitators(
        self, guild: discord.Guild, channel: discord.TextChannel, user_ids: Sequence[str]
    ) -> None:
        for user_id in user_ids:
            member = await self._member(guild, user_id)
            if member is None:
                continue
            async with needs(MANAGE_ROLES, "space_access"):
                await channel.set_permissions(member, overwrite=let_in(True), reason="tsunagaru: event facilitator")

    async def access(self, op: m.SpaceAccess) -> None:
        """Let a person into the event's channel (a facilitator to moderate it), or take them out."""
        guild = await self.client.home_guild(self.site.guild_id)
        try:
            channel = guild.get_channel(int(op.space_id)) or await self.client.fetch_channel(int(op.space_id))
        except discord.NotFound:
            raise PermanentFailure(f"event channel {op.space_id} ({op.event_code}) not found") from None
        if not isinstance(channel, discord.TextChannel):
            raise PermanentFailure(f"event channel {op.space_id} ({op.event_code}) is not a text channel")
        member = await self._member(guild, op.user_id)
        if member is None:
            return  # not (or no longer) in the server: nothing to let in or out
        overwrite = let_in(op.manage) if op.allow else None
        async with needs(MANAGE_ROLES, "space_access"):
            await channel.set_permissions(member, overwrite=overwrite, reason="tsunagaru: event registration")

    async def _schedule(
        self, guild: discord.Guild, channel: discord.TextChannel, op: m.CreateSpace, starts: datetime
    ) -> None:
        """A scheduled event for a future start, unless one with the marker exists already."""
        marker = topic_marker(op.event_code)
        existing = await guild.fetch_scheduled_events(with_counts=False)
        if any(marker in (event.description or "") for event in existing):
            return
        description = self.t("discord.space.event_description", marker=marker, channel=channel.name)
        ends = starts + timedelta(hours=self.site.section.event_hours)
        async with needs(MANAGE_EVENTS, "scheduled_event"):
            await guild.create_scheduled_event(
                name=clip(op.title, 100),
                start_time=starts,
                end_time=ends,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=clip(op.location or self.t("discord.space.no_location"), 100),
                description=clip(description, 1000),
                reason="tsunagaru: event",
            )

    async def archive(self, op: m.ArchiveSpace) -> None:
        guild = await self.client.home_guild(self.site.guild_id)
        channels = list(await guild.fetch_channels())
        channel = next((c for c in channels if c.id == int(op.space_id)), None)
        if not isinstance(channel, discord.TextChannel):
            raise PermanentFailure(f"event channel {op.space_id} ({op.event_code}) not found")
        category = await self._category(guild, channels, self.site.section.archive_category)
        if channel.category_id != category.id:
            async with needs(MANAGE_CHANNELS, "archive"):
                await channel.edit(category=category, reason="tsunagaru: event archived")
        # Read-only for everyone, and still hidden from the server where it was private.
        everyone = channel.overwrites_for(guild.default_role)
        everyone.update(send_messages=False, send_messages_in_threads=False, create_public_threads=False)
        everyone.update(add_reactions=False)
        async with needs(MANAGE_ROLES, "archive"):
            await channel.set_permissions(guild.default_role, overwrite=everyone, reason="tsunagaru: read-only")
