"""Building the Discord adapter from the service's parts: the only module of bot/discord that sees the settings and
the database, and it hands the adapter narrow views of them (bot/discord/ports.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import aiohttp
from sqlmodel import Session

from bot.config import CitySettings, Settings
from bot.discord.adapter import CityPorts, DiscordBot
from bot.discord.ports import PLATFORM, BoardLinkLookup, CommandCatalogue, DiscordSite, ForumLink, InboxRow, InboxWriter
from bot.queues.inbox import store_events
from community import board_mirror
from community.board import CommunityConfig
from storage.db import Database, utcnow


def discord_site(settings: Settings, city: CitySettings | None = None) -> DiscordSite:
    """A city's facts for the adapter (default: the first city's)."""
    city = city or settings.default_city
    board = CommunityConfig.from_city(city.config)
    return DiscordSite(
        bot_token=settings.discord_bot_token,
        guild_id=city.discord_guild_id,
        tz=city.tz,
        public_base_url=city.public_base_url,
        city_name=city.config.name,
        section=city.config.discord,
        board_tags=tuple(dict.fromkeys((*board.categories, board.voice_category))),
    )


def inbox_writer(db: Database, wake: Callable[[], None]) -> InboxWriter:
    """Stores Discord events in the inbox (an id stored already is ignored), then wakes the inbox worker."""

    async def store(rows: Sequence[InboxRow]) -> None:
        await db.run(store_events, PLATFORM, list(rows), utcnow())
        wake()

    return store


def _forum_link(session: Session, kind: str, board_id: int) -> ForumLink | None:
    row = board_mirror.link_of(session, PLATFORM, kind, board_id)
    return None if row is None else ForumLink(row.platform_id, row.place_id, row.origin)


def board_links(db: Database) -> BoardLinkLookup:
    """Where a board thread or post lives on Discord, as the board has recorded it (read only)."""

    async def lookup(kind: str, board_id: int) -> ForumLink | None:
        return await db.run(_forum_link, kind, board_id)

    return lookup


# One city as the bot is given it: its settings, database, command catalogue and how to wake its inbox worker.
CityParts = tuple[CitySettings, Database, CommandCatalogue, Callable[[], None]]


def discord_bot_for(
    settings: Settings, cities: Sequence[CityParts], *, connector: aiohttp.BaseConnector | None = None
) -> DiscordBot:
    """One bot for the cities that are on Discord, each in its own server."""
    ports = [
        CityPorts(discord_site(settings, city), inbox_writer(db, wake), commands, board_links(db))
        for city, db, commands, wake in cities
    ]
    return DiscordBot(ports, connector=connector)


def discord_bot(
    settings: Settings,
    db: Database,
    commands: CommandCatalogue,
    wake_inbox: Callable[[], None],
    *,
    connector: aiohttp.BaseConnector | None = None,
) -> DiscordBot:
    """The bot for the first city alone."""
    return discord_bot_for(settings, [(settings.default_city, db, commands, wake_inbox)], connector=connector)
