"""Discord: a discord.py client on the service's event loop, slash commands mirrored from the command catalogue,
interactions and chat stored in the inbox as neutral Inbound JSON, and outbox rows delivered through discord.py.

This module puts the pieces together and is what the runtime holds: client.py (the client), commands.py (slash
commands), translate.py (gateway events -> Inbound), render.py (outbound -> Discord messages), deliver.py (one outbox
row), spaces.py (event channels), forum.py and mirror.py (the community board's forum). It is given narrow parts
of the service (ports.py), never the runtime, and writes no domain state: what it learns goes into the inbox.

One bot serves every city whose file names its server ([discord] guild_id): what happens in a server goes to that
city's inbox, with that city's commands; DMs (which belong to no server) go to the first city.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
import discord
from discord import app_commands

from bot.discord.client import DiscordClient
from bot.discord.commands import Invoked, answers_privately, slash_commands
from bot.discord.deliver import DiscordDelivery
from bot.discord.forum import BoardForum, forum_thread
from bot.discord.mirror import BoardMirror
from bot.discord.ports import BoardLinkLookup, CommandCatalogue, DiscordSite, InboxWriter, inbox_row
from bot.discord.render import ActionButton
from bot.discord.spaces import EventSpaces
from bot.discord.translate import (
    DiscordTranslator,
    inbound_from_delete,
    inbound_from_edit,
    inbound_from_interaction,
    inbound_from_message,
)
from community import messages as m
from storage.db import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CityPorts:
    """What one city gives the bot: its facts, its inbox, its commands and the board's record of forum copies."""

    site: DiscordSite
    inbox: InboxWriter
    commands: CommandCatalogue
    board_links: BoardLinkLookup


class CityDiscord:
    """One city's part of the bot: its server's event channels, board forum and deliveries, and where what happens
    there is stored."""

    def __init__(self, client: DiscordClient, ports: CityPorts) -> None:
        self.client = client
        self.site = ports.site
        self.inbox = ports.inbox
        self.commands = ports.commands
        self.spaces = EventSpaces(client, ports.site, ports.inbox)
        self.forum = BoardForum(client, ports.site)
        self.mirror = BoardMirror(self.forum, client, ports.site, ports.inbox, ports.board_links)
        self.delivery = DiscordDelivery(client, self.spaces, self.mirror, ports.inbox)

    async def store(self, event_id: str, inbound: m.Inbound) -> None:
        await self.inbox([inbox_row(event_id, inbound)])

    async def accept_interaction(self, interaction: discord.Interaction, invoked: Invoked | None = None) -> None:
        """Acknowledge at once (Discord allows 3 seconds), then leave the work to the inbox worker. invoked: a slash
        command as discord.py's command tree parsed it (buttons have none)."""
        inbound = inbound_from_interaction(interaction, self.site.lang, invoked)
        if inbound is None:
            return
        try:
            private = answers_privately(interaction, self.commands, self.site.lang)
            await interaction.response.defer(ephemeral=private, thinking=True)
        except discord.HTTPException as exc:  # expired or answered already: the reply falls back to a push
            log.warning("could not acknowledge interaction %s: %s", interaction.id, exc.status)
        await self.store(f"interaction:{interaction.id}", inbound)

    async def accept_message(self, message: discord.Message) -> None:
        inbound = inbound_from_message(message)
        if inbound is None:
            return
        if message.guild is not None:
            thread = await self.forum.thread_of(message.channel)
            if thread is not None:
                inbound = dataclasses.replace(inbound, forum_thread=forum_thread(thread))
        await self.store(f"message:{message.id}", inbound)

    async def accept_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """An edited text in the board forum (embeds unfolding a link also arrive as edits: those carry no content)."""
        message = payload.message
        if "content" not in payload.data or message.author.bot or message.webhook_id:
            return
        if await self.forum.thread_of(message.channel) is None:
            return
        edited = message.edited_at or utcnow()
        await self.store(
            f"edit:{message.id}:{int(edited.timestamp() * 1000)}",
            inbound_from_edit(message, payload.channel_id, edited),
        )

    async def accept_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        channel = self.client.get_channel(payload.channel_id) or discord.Object(payload.channel_id)
        if await self.forum.thread_of(channel) is None:
            return
        await self.store(
            f"delete:{payload.message_id}", inbound_from_delete(payload.message_id, payload.channel_id, utcnow())
        )


class DiscordBot:
    """Owns the discord.py client and routes each gateway event to the city of its server; the runtime starts run()
    as a task on its loop and awaits close() on shutdown. A one-city deployment reads .site, .delivery, ... of its
    only city directly."""

    def __init__(self, cities: Sequence[CityPorts], *, connector: aiohttp.BaseConnector | None = None) -> None:
        if not cities:
            raise ValueError("a Discord bot serves at least one city")
        message_content = any(c.site.section.message_content for c in cities)
        self.client = DiscordClient(self, message_content=message_content, connector=connector)
        self.translator = DiscordTranslator()
        self.cities = [CityDiscord(self.client, ports) for ports in cities]
        self.by_guild = {city.site.guild_id: city for city in self.cities}
        self.synced: list[app_commands.AppCommand] = []

    # The first city's parts (a one-city deployment, its tests).
    site = property(lambda self: self.cities[0].site)
    inbox = property(lambda self: self.cities[0].inbox)
    commands = property(lambda self: self.cities[0].commands)
    spaces = property(lambda self: self.cities[0].spaces)
    forum = property(lambda self: self.cities[0].forum)
    mirror = property(lambda self: self.cities[0].mirror)
    delivery = property(lambda self: self.cities[0].delivery)

    def city_of(self, guild_id: int | None) -> CityDiscord | None:
        """The city of a server (None: a DM, the first city's); a server no city names goes to a city that named
        none (the only server it is in), else nowhere."""
        if guild_id is None:
            return self.cities[0]
        return self.by_guild.get(guild_id) or self.by_guild.get(None)

    async def run(self) -> None:
        await self.client.run_until_closed(self.site.bot_token or "")

    async def close(self) -> None:
        await self.client.close()

    async def setup(self) -> None:
        """After login: each city's commands as slash commands in its server, and listen for buttons."""
        self.client.add_dynamic_items(ActionButton)
        self.synced = []
        for city in self.cities:
            items = slash_commands(city.commands, city.accept_interaction, city.site.lang)
            self.synced += await self.client.sync_commands(items, city.site.guild_id)

    async def accept_interaction(self, interaction: discord.Interaction, invoked: Invoked | None = None) -> None:
        city = self.city_of(interaction.guild_id)
        if city is not None:
            await city.accept_interaction(interaction, invoked)

    async def accept_message(self, message: discord.Message) -> None:
        city = self.city_of(message.guild.id if message.guild is not None else None)
        if city is not None:
            await city.accept_message(message)

    async def accept_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        city = self.city_of(payload.guild_id) if payload.guild_id is not None else None
        if city is not None:
            await city.accept_edit(payload)

    async def accept_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        city = self.city_of(payload.guild_id) if payload.guild_id is not None else None
        if city is not None:
            await city.accept_delete(payload)
