"""Keeping the forum a copy of the board (MirrorThread / MirrorPost / UnmirrorPost; a hidden thread's forum post
deleted with UnmirrorThread, a forgotten author's title replaced with RetitleThread: these need Manage Threads).

The adapter writes no domain state: after it makes (or takes down) a copy it stores a MIRROR_LINKED Inbound in the
inbox, and the board feature records the link. The record therefore lags a moment behind: RecentLinks remembers
what this process just did until the record agrees, so the next rows of a burst neither wait nor copy twice. A post
whose thread copy is not recorded yet (made by a process that has since stopped) waits: the row comes back shortly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import discord

from bot.discord.forum import BoardForum, webhook_username
from bot.discord.permissions import MANAGE_MESSAGES, MANAGE_THREADS, SEND_MESSAGES, needs
from bot.discord.ports import BoardLinkLookup, DiscordSite, ForumLink, InboxWriter, inbox_row
from bot.discord.render import CONTENT_LIMIT, clip
from bot.discord.translate import inbound_from_mirror
from bot.queues.delivery import TransientFailure
from community import messages as m
from community.board_mirror import POST, THREAD
from community.texts import t
from storage.db import utcnow

BOARD_OPERATIONS = (m.MirrorThread, m.MirrorPost, m.UnmirrorPost, m.UnmirrorThread, m.RetitleThread)
BoardOperation = m.MirrorThread | m.MirrorPost | m.UnmirrorPost | m.UnmirrorThread | m.RetitleThread
# A post waiting for its thread's link asks to be retried after this long (the inbox records links within seconds).
LINK_WAIT_SECONDS = 2.0
# How long this process trusts its own memory of a link over the record (should the report never be recorded).
RECENT_LINK_SECONDS = 600.0


def _same(recorded: ForumLink | None, remembered: ForumLink | None) -> bool:
    if recorded is None or remembered is None:
        return recorded is remembered
    return recorded.platform_id == remembered.platform_id


class RecentLinks:
    """Where board copies are: the recorded links, corrected by the copies this process made or took down and
    reported but the board has not recorded yet."""

    def __init__(
        self,
        lookup: BoardLinkLookup,
        keep_seconds: float = RECENT_LINK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lookup = lookup
        self.keep_seconds = keep_seconds
        self.clock = clock
        self._recent: dict[tuple[str, int], tuple[ForumLink | None, float]] = {}

    def remember(self, kind: str, board_id: int, link: ForumLink | None) -> None:
        now = self.clock()
        # Kept in the order remembered, so the stale entries are the first ones.
        while self._recent:
            oldest = next(iter(self._recent))
            if now - self._recent[oldest][1] <= self.keep_seconds:
                break
            del self._recent[oldest]
        self._recent.pop((kind, board_id), None)
        self._recent[(kind, board_id)] = (link, now)

    def forget_place(self, kind: str, place_id: str) -> None:
        """Copies this process made inside a place that is gone (a deleted forum thread) are gone with it."""
        for (known_kind, board_id), (link, _) in list(self._recent.items()):
            if known_kind == kind and link is not None and link.place_id == place_id:
                self.remember(kind, board_id, None)

    async def get(self, kind: str, board_id: int) -> ForumLink | None:
        recorded = await self.lookup(kind, board_id)
        key = (kind, board_id)
        if key not in self._recent:
            return recorded
        remembered, since = self._recent[key]
        if _same(recorded, remembered) or self.clock() - since > self.keep_seconds:
            del self._recent[key]  # the record has caught up (or never will): it is the truth from now on
            return recorded
        return remembered


class BoardMirror:
    """Copies board threads and posts into the forum and takes copies down. Each step looks before it creates, so a
    retried outbox row does not double."""

    def __init__(
        self, forum: BoardForum, client: discord.Client, site: DiscordSite, inbox: InboxWriter, links: BoardLinkLookup
    ) -> None:
        self.forum = forum
        self.client = client
        self.site = site
        self.inbox = inbox
        self.links = RecentLinks(links)

    async def apply(self, op: BoardOperation) -> None:
        if isinstance(op, m.MirrorThread):
            await self.copy_thread(op)
        elif isinstance(op, m.MirrorPost):
            await self.copy_post(op)
        elif isinstance(op, m.UnmirrorThread):
            await self.take_down_thread(op)
        elif isinstance(op, m.RetitleThread):
            await self.retitle_thread(op)
        else:
            await self.take_down(op)

    async def copy_thread(self, op: m.MirrorThread) -> None:
        if await self.links.get(THREAD, op.thread_id) is not None:
            return
        forum = await self.forum.made_forum()
        tags = [tag for tag in forum.available_tags if tag.name == op.category][:1]
        async with needs(SEND_MESSAGES, "board_forum"):
            created = await forum.create_thread(
                name=clip(op.title, 100),
                applied_tags=tags,
                allowed_mentions=discord.AllowedMentions.none(),
                content=self._opener(op.thread_id, op.category, op.title),
                reason="tsunagaru: board thread",
            )
        await self._made(THREAD, op.thread_id, ForumLink(str(created.thread.id), str(forum.id)))

    async def copy_post(self, op: m.MirrorPost) -> None:
        if await self.links.get(POST, op.post_id) is not None:
            return  # copied already, or written on Discord
        thread = await self.links.get(THREAD, op.thread_id)
        if thread is None:
            raise TransientFailure(
                f"board thread #{op.thread_id} has no recorded forum post yet to copy post #{op.post_id} into",
                retry_after=LINK_WAIT_SECONDS,
            )
        webhook = await self.forum.webhook()
        sent = await webhook.send(
            content=clip(op.text, CONTENT_LIMIT),
            username=webhook_username(op.author),
            thread=discord.Object(int(thread.platform_id)),
            wait=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        await self._made(POST, op.post_id, ForumLink(str(sent.id), thread.platform_id))

    async def take_down(self, op: m.UnmirrorPost) -> None:
        link = await self.links.get(POST, op.post_id)
        if link is None:
            return
        message_id, thread_id = int(link.platform_id), int(link.place_id)
        try:
            if link.origin:  # written on Discord: the bot removes it (Manage Messages)
                async with needs(MANAGE_MESSAGES, "board_forum"):
                    await self.client.get_partial_messageable(thread_id).get_partial_message(message_id).delete()
            else:
                await (await self.forum.webhook()).delete_message(message_id, thread=discord.Object(thread_id))
        except discord.NotFound:
            pass  # gone already
        self.links.remember(POST, op.post_id, None)
        taken_down = m.MirrorLink(POST, op.post_id, "", link.place_id)
        await self._report(f"unmirror:{POST}:{op.post_id}:{link.platform_id}", taken_down)

    async def take_down_thread(self, op: m.UnmirrorThread) -> None:
        """Delete the thread's forum post (its messages go with it); the board then drops the links into it."""
        link = await self.links.get(THREAD, op.thread_id)
        if link is None:
            return
        try:
            forum_post = await self._forum_post(link)
            if forum_post is not None:
                async with needs(MANAGE_THREADS, "board_forum"):
                    await forum_post.delete(reason="tsunagaru: board thread hidden by staff")
        except discord.NotFound:
            pass  # gone already
        self.links.remember(THREAD, op.thread_id, None)
        self.links.forget_place(POST, link.platform_id)
        taken_down = m.MirrorLink(THREAD, op.thread_id, "", link.place_id)
        await self._report(f"unmirror:{THREAD}:{op.thread_id}:{link.platform_id}", taken_down)

    async def retitle_thread(self, op: m.RetitleThread) -> None:
        """Rename the forum post, and rewrite our opener (a post opened on Discord has its author's, erased apart)."""
        link = await self.links.get(THREAD, op.thread_id)
        if link is None:
            return
        thread_id = int(link.platform_id)
        try:
            forum_post = await self._forum_post(link)
            if forum_post is not None:
                # An archived thread cannot be changed: it is reopened in the same request (it archives again).
                async with needs(MANAGE_THREADS, "board_forum"):
                    reason = "tsunagaru: author's title erased"
                    await forum_post.edit(name=clip(op.title, 100), archived=False, reason=reason)
            if not link.origin:  # a forum post's first message has the thread's id
                starter = self.client.get_partial_messageable(thread_id).get_partial_message(thread_id)
                await starter.edit(content=self._opener(op.thread_id, op.category, op.title))
        except discord.NotFound:
            pass  # the forum post is gone: nothing there shows the title any more

    async def _forum_post(self, link: ForumLink) -> discord.Thread | None:
        """The forum post a thread's link names, from the cache or else asked for (NotFound if it is gone)."""
        thread_id = int(link.platform_id)
        channel = self.client.get_channel(thread_id) or await self.client.fetch_channel(thread_id)
        return channel if isinstance(channel, discord.Thread) else None

    def _opener(self, thread_id: int, category: str, title: str) -> str:
        """The first message of a board thread's forum post: what it is, and where to read it on the web."""
        url = self.site.public_url(f"/board/thread/{thread_id}")
        opener = t(self.site.lang, "discord.forum.opener", category=category, title=title, thread_id=thread_id, url=url)
        return clip(opener, CONTENT_LIMIT)

    async def _made(self, kind: str, board_id: int, link: ForumLink) -> None:
        self.links.remember(kind, board_id, link)
        made = m.MirrorLink(kind, board_id, link.platform_id, link.place_id)
        await self._report(f"mirror:{kind}:{board_id}:{link.platform_id}", made)

    async def _report(self, event_id: str, link: m.MirrorLink) -> None:
        """Tell the board where its copy now is (no platform id: taken down); the board records it (MIRROR_LINKED).
        The event id names this very change, so a retried row reports it once."""
        await self.inbox([inbox_row(event_id, inbound_from_mirror(link, utcnow()))])
