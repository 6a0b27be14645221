"""What the Discord adapter is given instead of the whole runtime: a way to store events in the inbox, the command
catalogue, the facts of the city it serves, and a read-only lookup of where a board thread or post lives on Discord.

The adapter writes no domain state: whatever it learns (a channel made, a board copy made or taken down) goes into
the inbox as an Inbound, and the feature that owns the state records it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Protocol

from community import messages as m
from community.city import DiscordSettings
from handlers.router import Command

PLATFORM = "discord"

# (event id, kind, redelivery, payload): one inbox row, as bot.queues.inbox.store_events takes it.
InboxRow = tuple[str, str, bool, str]
# Stores rows for platform "discord" (an event id already stored is ignored) and wakes the inbox worker.
InboxWriter = Callable[[Sequence[InboxRow]], Awaitable[None]]


def inbox_row(event_id: str, inbound: m.Inbound) -> InboxRow:
    return event_id, inbound.kind, False, inbound.to_json()


class CommandCatalogue(Protocol):
    """The chat commands, to mirror as slash commands (handlers.router.Router is one)."""

    @property
    def commands(self) -> Mapping[str, Command]: ...

    def find(self, command_text: str) -> tuple[Command | None, str, str]: ...


@dataclass(frozen=True)
class ForumLink:
    """Where a board thread or post lives on Discord: the thread or message id, and the forum or thread holding it.
    origin: written on Discord (the bot deletes it itself), else our webhook's copy."""

    platform_id: str
    place_id: str
    origin: bool = False


# (kind, board id) -> where that board thread ("thread") or post ("post") lives on Discord, or None.
BoardLinkLookup = Callable[[str, int], Awaitable[ForumLink | None]]


@dataclass(frozen=True)
class DiscordSite:
    """The facts of the city the adapter needs: its server, token, time zone, public address, the city file's
    [discord] section, and the board categories the forum offers as tags."""

    bot_token: str | None
    guild_id: int | None
    tz: tzinfo
    public_base_url: str
    city_name: str
    section: DiscordSettings
    board_tags: tuple[str, ...] = ()
    lang: str = "ja"  # the language of what everyone in the server reads (commands, forum, event channels)

    def public_url(self, path: str) -> str:
        return self.public_base_url.rstrip("/") + "/" + path.lstrip("/")
