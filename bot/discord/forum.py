"""The community board's forum on Discord: finding (or making) the forum channel and its webhook, and telling which
messages are written in it.

`[discord] board_forum_id` names the forum channel; without it the bot looks for a forum called `board_forum_name`
and, when it first has something to copy, creates it with one tag per board category. Board threads are forum posts;
posts from LINE, the web and the console are sent through a webhook of the forum under the author's board nickname
(bot/discord/mirror.py); messages written in the forum become board posts (this needs `message_content = true`:
without it their text does not reach the bot), and their edits and deletions follow. Extra permissions: Manage
Webhooks, Create Posts, Send Messages in Threads, Manage Messages (staff /hide removes a post written on Discord too),
Manage Threads (staff /thread hide deletes a forum post; /forget-me renames one).
"""

from __future__ import annotations

import asyncio
import re

import discord

from bot.discord.client import DiscordClient
from bot.discord.permissions import MANAGE_CHANNELS, MANAGE_WEBHOOKS, needs
from bot.discord.ports import DiscordSite
from bot.discord.render import clip
from bot.queues.delivery import PermanentFailure
from community import messages as m
from community.texts import t

BOARD_WEBHOOK_NAME = "tsunagaru-board"
TAG_LIMIT = 20  # Discord allows 20 tags on a forum
_RESERVED_NAME = re.compile(r"(?i)discord|clyde")
_NOT_THREADS = (
    discord.TextChannel,
    discord.DMChannel,
    discord.VoiceChannel,
    discord.CategoryChannel,
    discord.ForumChannel,
)


def webhook_username(nickname: str) -> str:
    """Discord refuses webhook names containing "discord" or "clyde", or that are "everyone"/"here"; a zero-width
    space keeps such a nickname readable."""
    name = _RESERVED_NAME.sub(lambda found: found.group()[0] + "\u200b" + found.group()[1:], nickname.strip())
    if name.lower() in ("everyone", "here"):
        name = name[0] + "\u200b" + name[1:]
    return clip(name or "\u2026", 80)


def forum_thread(thread: discord.Thread) -> m.ForumThread:
    """What the board needs of a forum thread a message was written in: its title and tags."""
    return m.ForumThread(title=thread.name, tags=tuple(tag.name for tag in thread.applied_tags))


class BoardForum:
    """The forum channel that mirrors the board, and the webhook that posts into it. Found once and remembered."""

    def __init__(self, client: DiscordClient, site: DiscordSite) -> None:
        self.client = client
        self.site = site
        self.configured_id = site.section.board_forum_id
        self.name = site.section.board_forum_name
        self._forum: discord.ForumChannel | None = None
        self._looked = False  # looked for the forum by name and found none (made later by the first copy)
        self._webhook: discord.Webhook | None = None
        self._lock = asyncio.Lock()

    async def forum(self, create: bool) -> discord.ForumChannel | None:
        if self._forum is not None or (self._looked and not create):
            return self._forum
        async with self._lock:
            if self._forum is None:
                self._forum = await self._find_or_create(create)
                self._looked = True
        return self._forum

    async def made_forum(self) -> discord.ForumChannel:
        forum = await self.forum(create=True)
        if forum is None:  # _find_or_create makes one when asked to
            raise PermanentFailure("the board forum could not be made")
        return forum

    async def _find_or_create(self, create: bool) -> discord.ForumChannel | None:
        if self.configured_id is not None:
            channel = self.client.get_channel(self.configured_id) or await self.client.fetch_channel(self.configured_id)
            if not isinstance(channel, discord.ForumChannel):
                raise PermanentFailure(f"[discord] board_forum_id {self.configured_id} is not a forum channel")
            return channel
        guild = await self.client.home_guild(self.site.guild_id)
        channels = await guild.fetch_channels()
        found = next(
            (c for c in channels if isinstance(c, discord.ForumChannel) and c.name.lower() == self.name.lower()), None
        )
        if found is not None or not create:
            return found
        names = list(dict.fromkeys(self.site.board_tags))[:TAG_LIMIT]
        topic = t(self.site.lang, "discord.forum.topic", city=self.site.city_name)
        async with needs(MANAGE_CHANNELS, "board_forum"):
            return await guild.create_forum(
                self.name,
                topic=clip(topic, 1024),
                available_tags=[discord.ForumTag(name=clip(n, 20)) for n in names],
                reason="tsunagaru: community board",
            )

    async def webhook(self) -> discord.Webhook:
        if self._webhook is None:
            forum = await self.made_forum()
            async with needs(MANAGE_WEBHOOKS, "board_forum"):
                hooks = await forum.webhooks()
                found = next((h for h in hooks if h.name == BOARD_WEBHOOK_NAME and h.token), None)
                self._webhook = found or await forum.create_webhook(
                    name=BOARD_WEBHOOK_NAME, reason="tsunagaru: board posts from LINE and the web"
                )
        return self._webhook

    async def thread_of(self, channel: object) -> discord.Thread | None:
        """The forum thread a message was written in, or None when it is not one of the board forum's."""
        if channel is None or isinstance(channel, _NOT_THREADS):
            return None
        if not isinstance(channel, discord.Thread):
            channel_id = getattr(channel, "id", None)
            try:
                channel = await self.client.fetch_channel(channel_id if channel_id is not None else int(str(channel)))
            except (discord.NotFound, discord.Forbidden):
                return None
            if not isinstance(channel, discord.Thread):
                return None
        forum = await self.forum(create=False)
        return channel if forum is not None and channel.parent_id == forum.id else None
