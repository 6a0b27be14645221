"""Building the Discord adapter from the service's parts: the only module of bot/discord that sees the settings and
the database, and it hands the adapter narrow views of them (bot/discord/ports.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import aiohttp
from sqlmodel import Session

from bot.config import Settings
from bot.discord.adapter import DiscordBot
from bot.discord.ports import PLATFORM, BoardLinkLookup, CommandCatalogue, DiscordSite, ForumLink, InboxRow, InboxWriter
from bot.queues.inbox import store_events
from community import board_mirror
from community.board import CommunityConfig
from storage.db import Database, utcnow


def discord_site(settings: Settings) -> DiscordSite:
    board = CommunityConfig.from_city(settings.city)
    return DiscordSite(
        bot_token=settings.discord_bot_token,
        guild_id=settings.discord_guild_id,
        tz=settings.tz,
        public_base_url=settings.public_base_url,
        city_name=settings.city.name,
        section=settings.city.discord,
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


def discord_bot(
    settings: Settings,
    db: Database,
    commands: CommandCatalogue,
    wake_inbox: Callable[[], None],
    *,
    connector: aiohttp.BaseConnector | None = None,
) -> DiscordBot:
    return DiscordBot(
        discord_site(settings), inbox_writer(db, wake_inbox), commands, board_links(db), connector=connector
    )
