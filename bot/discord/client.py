"""The discord.py client on the service's event loop: intents, login, the setup after login, and the server it serves.

Intents: guilds (channel and category cache, event spaces), guild_messages and dm_messages (plain chat is fed to the
router as kind "message" so features can count engagement). message_content is privileged and OFF unless the city
TOML sets `[discord] message_content = true` (turn it on in the developer portal too): without it guild messages
arrive with empty text (DMs and messages that mention the bot still carry it); counting still works.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import aiohttp
import discord
from discord import app_commands

from bot.discord.commands import Invoked, SlashItem
from bot.queues.delivery import PermanentFailure

log = logging.getLogger(__name__)

# discord.py sleeps through shorter rate limits itself; longer ones come back to the outbox as TransientFailure.
MAX_RATELIMIT_WAIT = 30.0


class GatewayListener(Protocol):
    """What the client hands gateway events to (the adapter)."""

    async def setup(self) -> None: ...

    async def accept_interaction(self, interaction: discord.Interaction, invoked: Invoked | None = None) -> None: ...

    async def accept_message(self, message: discord.Message) -> None: ...

    async def accept_edit(self, payload: discord.RawMessageUpdateEvent) -> None: ...

    async def accept_delete(self, payload: discord.RawMessageDeleteEvent) -> None: ...


def intents(message_content: bool) -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    chosen.message_content = message_content
    return chosen


class DiscordClient(discord.Client):
    """A discord.py client that hands what arrives to its listener (buttons find it as client.listener)."""

    def __init__(
        self, listener: GatewayListener, *, message_content: bool, connector: aiohttp.BaseConnector | None = None
    ) -> None:
        super().__init__(
            intents=intents(message_content), connector=connector, max_ratelimit_timeout=MAX_RATELIMIT_WAIT
        )
        self.listener = listener
        self.tree: app_commands.CommandTree[DiscordClient] = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        await self.listener.setup()

    async def on_message(self, message: discord.Message) -> None:
        await self.listener.accept_message(message)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        await self.listener.accept_edit(payload)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.listener.accept_delete(payload)

    async def run_until_closed(self, token: str) -> None:
        """Log in and stay connected; a refused login is logged, not raised (the rest of the service runs on)."""
        try:
            await self.start(token)
        except discord.LoginFailure:
            log.error("Discord login failed: DISCORD_BOT_TOKEN is not valid")
        except discord.PrivilegedIntentsRequired:
            log.error(
                "Discord refused the message_content intent: enable it in the developer portal or set "
                "[discord] message_content = false"
            )

    async def sync_commands(self, items: Sequence[SlashItem], guild_id: int | None) -> list[app_commands.AppCommand]:
        """Replace the slash commands: in the server when one is set (instant), else globally."""
        guild = discord.Object(id=guild_id) if guild_id else None
        for item in items:
            self.tree.add_command(item, guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as exc:  # e.g. the bot was invited without the applications.commands scope
            log.error("slash command sync failed: %s %s", exc.status, exc.text[:200])
            return []
        log.info("synced %d slash commands to %s", len(synced), guild_id or "all servers")
        return synced

    async def home_guild(self, guild_id: int | None) -> discord.Guild:
        """The server the city uses: DISCORD_GUILD_ID, or the only server the bot is in."""
        if guild_id is None:
            if len(self.guilds) == 1:
                return self.guilds[0]
            raise PermanentFailure(
                f"DISCORD_GUILD_ID is needed to create event channels (the bot is in {len(self.guilds)} servers)"
            )
        return self.get_guild(guild_id) or await self.fetch_guild(guild_id)

    @property
    def ready_to_send(self) -> bool:
        return self.user is not None and not self.is_closed()
