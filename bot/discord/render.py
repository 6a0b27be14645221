"""Neutral outbound messages -> one Discord message: texts as content, cards, images and QR codes as embeds, actions
as one view of buttons."""

from __future__ import annotations

import re
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Protocol

import discord

from community import messages as m

CONTENT_LIMIT = 2000
EMBED_LIMIT = 10
BUTTON_LIMIT = 25
# A button whose custom_id starts with this sends the rest as if the user had typed it (LINE's message action).
SAY_PREFIX = "say:"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def nonce(retry_key: str) -> str:
    """A message's nonce from its outbox row's retry key: Discord drops a second message with the same nonce
    (enforce_nonce), so a retried push is not doubled."""
    return retry_key.replace("-", "")[:25]


class InteractionListener(Protocol):
    def accept_interaction(self, interaction: discord.Interaction) -> Awaitable[None]: ...


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?P<custom_id>.{1,100})"):
    """A postback (or say:) button. Dynamic, so clicks on messages sent before a restart still reach the bot."""

    def __init__(
        self, custom_id: str, label: str = "\u2026", style: discord.ButtonStyle = discord.ButtonStyle.secondary
    ) -> None:
        super().__init__(discord.ui.Button(label=clip(label, 80), custom_id=custom_id, style=style))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ActionButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["custom_id"], label or "\u2026")

    async def callback(self, interaction: discord.Interaction) -> None:
        # The client carries the adapter that stores interactions (bot.discord.client.DiscordClient.listener).
        listener: InteractionListener | None = getattr(interaction.client, "listener", None)
        if listener is not None:
            await listener.accept_interaction(interaction)


def _custom_id(action: m.Action) -> str:
    return (action.data if action.data else SAY_PREFIX + (action.text or action.label))[:100]


def _button(action: m.Action, primary: bool) -> discord.ui.Item[Any]:
    label = clip(action.label or "\u2026", 80)
    if action.url:
        return discord.ui.Button(label=label, url=action.url, style=discord.ButtonStyle.link)
    style = discord.ButtonStyle.primary if primary else discord.ButtonStyle.secondary
    return ActionButton(_custom_id(action), label, style)


def _view(actions: list[m.Action]) -> discord.ui.View | None:
    """Buttons below a message: links and postbacks; custom_ids must be unique within a message."""
    if not actions:
        return None
    view = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for action in actions:
        key = (action.url or "")[:100] or _custom_id(action)
        if key in seen or len(view.children) >= BUTTON_LIMIT:
            continue
        seen.add(key)
        view.add_item(_button(action, primary=not view.children))
    return view


def _card_embed(title: str, text: str, image_url: str | None) -> discord.Embed:
    embed = discord.Embed(title=clip(title, 256) or None, description=clip(text, 4096) or None)
    if image_url:
        embed.set_image(url=image_url)
    return embed


@dataclass
class DiscordMessage:
    """One Discord message: what an outbox row becomes (one request per row, as the outbox expects)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"content": self.content, "embeds": self.embeds}
        if self.view is not None:
            out["view"] = self.view
        return out


def _parts(message: m.OutboundMessage) -> tuple[list[str], list[discord.Embed], list[m.Action]]:
    """(texts, embeds, actions) of one neutral message."""
    if isinstance(message, m.Text):
        return [message.text], [], list(message.quick_replies)
    if isinstance(message, m.Image):
        embed = discord.Embed(description=clip(message.alt, 4096) or None)
        return [], [embed.set_image(url=message.url)], []
    if isinstance(message, m.Card):
        return [], [_card_embed(message.title, message.text, message.image_url)], list(message.actions)
    if isinstance(message, m.QrCard):
        button = m.Action(label=message.button_label, url=message.url)
        return [], [_card_embed(message.title, message.note, message.image_url)], [button]
    if isinstance(message, m.Carousel):
        embeds = [_card_embed(card.title, card.text, card.image_url) for card in message.cards]
        return [], embeds, [action for card in message.cards for action in card.actions]
    raise TypeError(f"cannot render {type(message).__name__} as a Discord message")


def render(messages: list[m.OutboundMessage]) -> DiscordMessage:
    """Neutral messages -> content (texts), embeds (cards, images, QR; at most 10) and one view of buttons."""
    texts: list[str] = []
    embeds: list[discord.Embed] = []
    actions: list[m.Action] = []
    for message in messages:
        more_texts, more_embeds, more_actions = _parts(message)
        texts += more_texts
        embeds += more_embeds
        actions += more_actions
    content = clip("\n\n".join(t for t in texts if t), CONTENT_LIMIT) or None
    if content is None and not embeds:
        content = "\u200b"  # Discord refuses a message with nothing in it
    return DiscordMessage(content=content, embeds=embeds[:EMBED_LIMIT], view=_view(actions))
