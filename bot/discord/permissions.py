"""What the bot needs on Discord, and what happens when Discord refuses for lack of it (error 50013 Missing
Permissions, 50001 Missing Access): the step that needed the permission names it, the outbox row is parked (never
retried: retrying cannot grant a permission), and staff get one message in Japanese naming the permission.

Server permissions the bot needs (README "Discord"): View Channels, Send Messages, Embed Links, Read Message History,
Manage Channels (event channels and their categories), Manage Roles (who may see an event's private channel),
Manage Events (the scheduled event), and for the board's forum Manage Webhooks, Manage Threads, Manage Messages,
Create Posts / Send Messages in Threads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord

from bot.queues.delivery import PermanentFailure

MISSING_PERMISSIONS = 50013
MISSING_ACCESS = 50001

# The permission keys the bot's steps need (discord.Permissions names); community/texts names them for staff.
VIEW_CHANNEL = "view_channel"
SEND_MESSAGES = "send_messages"
MANAGE_CHANNELS = "manage_channels"
MANAGE_ROLES = "manage_roles"
MANAGE_EVENTS = "manage_events"
MANAGE_WEBHOOKS = "manage_webhooks"
MANAGE_THREADS = "manage_threads"
MANAGE_MESSAGES = "manage_messages"
REQUIRED = (
    VIEW_CHANNEL,
    SEND_MESSAGES,
    "embed_links",
    "read_message_history",
    MANAGE_CHANNELS,
    MANAGE_ROLES,
    MANAGE_EVENTS,
    MANAGE_WEBHOOKS,
    MANAGE_THREADS,
    MANAGE_MESSAGES,
    "send_messages_in_threads",
)


class MissingPermission(PermanentFailure):
    """Discord refused a step for lack of `permission`; `what` says which step (an event channel, a message...)."""

    def __init__(self, permission: str, what: str, detail: str) -> None:
        super().__init__(f"missing permission {permission} ({what}): {detail}"[:300])
        self.permission = permission
        self.what = what


@asynccontextmanager
async def needs(permission: str, what: str) -> AsyncIterator[None]:
    """Run a step that needs `permission`; a 50013 (or 50001 for seeing a channel) becomes MissingPermission."""
    try:
        yield
    except discord.Forbidden as exc:
        if exc.code == MISSING_PERMISSIONS:
            raise MissingPermission(permission, what, f"{exc.status} {exc.code} {exc.text}") from None
        if exc.code == MISSING_ACCESS:
            raise MissingPermission(VIEW_CHANNEL, what, f"{exc.status} {exc.code} {exc.text}") from None
        raise


def bot_permissions() -> discord.Permissions:
    """The permissions to tick when inviting the bot (the README's invite link uses their value)."""
    return discord.Permissions(**dict.fromkeys(REQUIRED, True))
