"""Gateway events -> neutral Inbound: slash commands and buttons, chat messages, and the edits and deletions of
messages in the community board's forum.

Typed "/..." messages in guild channels are not commands (slash commands only) and are dropped; in DMs they pass
through, because guild-scoped slash commands do not exist in DMs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import discord

from bot.discord.commands import Invoked, command_mentions, command_text
from bot.discord.ports import PLATFORM
from bot.discord.render import SAY_PREFIX
from community import messages as m
from handlers.router import normalise_command_text

REPLY_TARGET_PREFIX = "interaction:"


def reply_target(application_id: int | str, token: str) -> str:
    return f"{REPLY_TARGET_PREFIX}{application_id}:{token}"


def _place(guild_id: int | None, channel_id: int | None, user_id: int) -> m.Place:
    if guild_id is None or channel_id is None:
        return m.Place(PLATFORM, m.DIRECT, str(user_id))
    return m.Place(PLATFORM, m.CHANNEL, str(channel_id))


def inbound_from_interaction(
    interaction: discord.Interaction, lang: str = "ja", invoked: Invoked | None = None
) -> m.Inbound | None:
    """A slash command becomes a command message (the person a user option names, a mention); a button becomes a
    postback (or a message for say: buttons). invoked: the command as discord.py parsed it (else read from the raw
    data)."""
    data: Mapping[str, object] = interaction.data or {}
    place = _place(interaction.guild_id, interaction.channel_id, interaction.user.id)
    place_name = getattr(interaction.channel, "name", None) if interaction.guild_id else None
    reply_token = reply_target(interaction.application_id, interaction.token)

    def inbound(
        kind: str,
        text: str | None = None,
        message_kind: str | None = None,
        postback_data: str | None = None,
        mentions: tuple[m.Mention, ...] = (),
    ) -> m.Inbound:
        return m.Inbound(
            platform=PLATFORM,
            kind=kind,
            place=place,
            occurred_at=interaction.created_at,
            sender_id=str(interaction.user.id),
            reply_token=reply_token,
            place_name=place_name,
            text=text,
            message_kind=message_kind,
            postback_data=postback_data,
            mentions=mentions,
        )

    if interaction.type is discord.InteractionType.application_command:
        if invoked is not None:
            person = invoked.person
            named = (m.Mention(str(person.id), "@" + person.display_name),) if person is not None else ()
            return inbound(m.MESSAGE, text=invoked.text, message_kind="command", mentions=named)
        named = tuple(m.Mention(user_id, "@" + name) for user_id, name in command_mentions(data))
        return inbound(m.MESSAGE, text=command_text(data, lang), message_kind="command", mentions=named)
    if interaction.type is discord.InteractionType.component:
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith(SAY_PREFIX):
            return inbound(m.MESSAGE, text=custom_id[len(SAY_PREFIX) :], message_kind="text")
        if custom_id:
            return inbound(m.POSTBACK, postback_data=custom_id)
    return None


def inbound_from_message(message: discord.Message) -> m.Inbound | None:
    """Plain chat -> kind message (no reply token: answers are pushed to the channel). Bots, system messages: None."""
    if message.author.bot or message.webhook_id is not None:
        return None
    if message.type not in (discord.MessageType.default, discord.MessageType.reply):
        return None
    in_guild = message.guild is not None
    text = message.content or None
    if in_guild and text and normalise_command_text(text) is not None:
        return None  # in channels commands are slash commands only
    kind = "text" if text else ("image" if message.attachments else "other")
    return m.Inbound(
        platform=PLATFORM,
        kind=m.MESSAGE,
        place=_place(message.guild.id if message.guild is not None else None, message.channel.id, message.author.id),
        occurred_at=message.created_at,
        sender_id=str(message.author.id),
        text=text,
        mentions=tuple(m.Mention(str(u.id), "@" + u.display_name) for u in message.mentions),
        place_name=getattr(message.channel, "name", None) if in_guild else None,
        message_kind=kind,
        message_id=str(message.id),
    )


def inbound_from_edit(message: discord.Message, channel_id: int, edited: datetime) -> m.Inbound:
    """An edited text (of a message in the board forum)."""
    return m.Inbound(
        platform=PLATFORM,
        kind=m.MESSAGE_EDITED,
        place=m.Place(PLATFORM, m.CHANNEL, str(channel_id)),
        occurred_at=edited,
        sender_id=str(message.author.id),
        text=message.content or None,
        message_id=str(message.id),
    )


def inbound_from_delete(message_id: int, channel_id: int, when: datetime) -> m.Inbound:
    """A deleted message (in the board forum)."""
    return m.Inbound(
        platform=PLATFORM,
        kind=m.MESSAGE_DELETED,
        place=m.Place(PLATFORM, m.CHANNEL, str(channel_id)),
        occurred_at=when,
        message_id=str(message_id),
    )


def inbound_from_space(event_code: str, channel_id: int, channel_name: str, when: datetime) -> m.Inbound:
    """The channel made for an event (CreateSpace), reported back as SPACE_CREATED."""
    return m.Inbound(
        platform=PLATFORM,
        kind=m.SPACE_CREATED,
        place=m.Place(PLATFORM, m.CHANNEL, str(channel_id)),
        occurred_at=when,
        text=event_code,
        place_name=channel_name,
    )


def inbound_from_refusal(permission: str, what: str, when: datetime) -> m.Inbound:
    """Discord refused a step for lack of a permission: reported so staff hear which one to grant. It belongs to no
    chat place (a direct place keeps the router from recording one)."""
    return m.Inbound(
        platform=PLATFORM,
        kind=m.PERMISSION_MISSING,
        place=m.Place(PLATFORM, m.DIRECT, "bot"),
        occurred_at=when,
        text=permission,
        postback_data=what,
    )


def inbound_from_mirror(link: m.MirrorLink, when: datetime) -> m.Inbound:
    """Where a board copy now lives (or that it was taken down): reported to the board feature through the inbox.
    It belongs to no chat place; a direct place keeps the router from recording the forum as a space."""
    return m.Inbound(
        platform=PLATFORM,
        kind=m.MIRROR_LINKED,
        place=m.Place(PLATFORM, m.DIRECT, "board"),
        occurred_at=when,
        mirror=link,
    )


class DiscordTranslator:
    """The Discord adapter stores neutral Inbound JSON in the inbox; translating is decoding."""

    platform = PLATFORM

    async def translate(self, payload: str) -> m.Inbound | None:
        return m.Inbound.from_json(payload)
