"""Discord: a discord.py client on the service's event loop, slash commands mirrored from the command catalogue,
interactions and chat stored in the inbox as neutral Inbound JSON, and outbox rows delivered through discord.py.

This module puts the pieces together and is what the runtime holds: client.py (the client), commands.py (slash
commands), translate.py (gateway events -> Inbound), render.py (outbound -> Discord messages), deliver.py (one outbox
row), spaces.py (event channels), forum.py and mirror.py (the community board's forum). It is given narrow parts
of the service (ports.py), never the runtime, and writes no domain state: what it learns goes into the inbox.
"""

from __future__ import annotations

import dataclasses
import logging

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


class DiscordBot:
    """Owns the discord.py client; the runtime starts run() as a task on its loop and awaits close() on shutdown."""

    def __init__(
        self,
        site: DiscordSite,
        inbox: InboxWriter,
        commands: CommandCatalogue,
        board_links: BoardLinkLookup,
        *,
        connector: aiohttp.BaseConnector | None = None,
    ) -> None:
        self.site = site
        self.inbox = inbox
        self.commands = commands
        self.client = DiscordClient(self, message_content=site.section.message_content, connector=connector)
        self.translator = DiscordTranslator()
        self.spaces = EventSpaces(self.client, site, inbox)
        self.forum = BoardForum(self.client, site)
        self.mirror = BoardMirror(self.forum, self.client, site, inbox, board_links)
        self.delivery = DiscordDelivery(self.client, self.spaces, self.mirror, inbox)
        self.synced: list[app_commands.AppCommand] = []

    async def run(self) -> None:
        await self.client.run_until_closed(self.site.bot_token or "")

    async def close(self) -> None:
        await self.client.close()

    async def setup(self) -> None:
        """After login: mirror the catalogue's commands as slash commands and listen for buttons."""
        self.client.add_dynamic_items(ActionButton)
        items = slash_commands(self.commands, self.accept_interaction, self.site.lang)
        self.synced = await self.client.sync_commands(items, self.site.guild_id)

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
        if payload.guild_id is None or "content" not in payload.data or message.author.bot or message.webhook_id:
            return
        if await self.forum.thread_of(message.channel) is None:
            return
        edited = message.edited_at or utcnow()
        await self.store(
            f"edit:{message.id}:{int(edited.timestamp() * 1000)}",
            inbound_from_edit(message, payload.channel_id, edited),
        )

    async def accept_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if payload.guild_id is None:
            return
        channel = self.client.get_channel(payload.channel_id) or discord.Object(payload.channel_id)
        if await self.forum.thread_of(channel) is None:
            return
        await self.store(
            f"delete:{payload.message_id}", inbound_from_delete(payload.message_id, payload.channel_id, utcnow())
        )
