"""Neutral outbound messages -> line-bot-sdk message models, within LINE's documented limits."""

from __future__ import annotations

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexImage,
    FlexMessage,
    FlexText,
    ImageMessage,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
    URIAction,
)

from community import messages as m
from community.texts import t

TEXT_LIMIT = 5000


def line_length(text: str) -> int:
    """Length as LINE counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _clip(text: str, limit: int) -> str:
    """text within limit UTF-16 units, ending in an ellipsis when cut; never splits a surrogate pair."""
    if line_length(text) <= limit:
        return text
    units, kept = 0, []
    for char in text:
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit - 1:  # room for the ellipsis (one unit)
            break
        kept.append(char)
    return "".join(kept) + "\u2026"


def _action(action: m.Action):
    label = _clip(action.label, 20)
    if action.url:
        return URIAction(label=label, uri=action.url)
    if action.data:
        return PostbackAction(label=label, data=action.data[:300], display_text=_clip(action.text or action.label, 300))
    return MessageAction(label=label, text=_clip(action.text or action.label, 300))


def _bubble(title: str, text: str, actions: tuple[m.Action, ...], image_url: str | None) -> FlexBubble:
    body = []
    if title:
        body.append(FlexText(text=_clip(title, 200), weight="bold", size="lg", wrap=True))
    if text:
        body.append(FlexText(text=_clip(text, 2000), size="sm", wrap=True))
    return FlexBubble(
        hero=FlexImage(url=image_url, size="full", aspect_ratio="1:1", aspect_mode="fit") if image_url else None,
        body=FlexBox(layout="vertical", spacing="md", contents=body or [FlexText(text=" ")]),
        footer=FlexBox(
            layout="vertical",
            spacing="sm",
            contents=[
                FlexButton(action=_action(a), style="primary" if i == 0 else "secondary")
                for i, a in enumerate(actions[:4])
            ],
        )
        if actions
        else None,
    )


def render(message: m.OutboundMessage):
    """Neutral message -> a line-bot-sdk message model."""
    if isinstance(message, m.Text):
        quick = None
        if message.quick_replies:
            quick = QuickReply(items=[QuickReplyItem(action=_action(a)) for a in message.quick_replies[:13]])
        return TextMessage(text=_clip(message.text, TEXT_LIMIT) or " ", quick_reply=quick)
    if isinstance(message, m.Image):
        return ImageMessage(original_content_url=message.url, preview_image_url=message.preview_url or message.url)
    if isinstance(message, m.Card):
        alt = _clip(message.title or message.text, 400)
        return FlexMessage(
            alt_text=alt or " ", contents=_bubble(message.title, message.text, message.actions, message.image_url)
        )
    if isinstance(message, m.QrCard):
        action = m.Action(label=message.button_label, url=message.url)
        return FlexMessage(
            alt_text=_clip(message.title, 400),
            contents=_bubble(message.title, message.note, (action,), message.image_url),
        )
    if isinstance(message, m.Carousel):
        bubbles = [_bubble(c.title, c.text, c.actions, c.image_url) for c in message.cards[:12]]
        return FlexMessage(
            alt_text=_clip(message.alt or t("ja", "render.list_alt"), 400), contents=FlexCarousel(contents=bubbles)
        )
    raise TypeError(f"cannot render {type(message).__name__} for LINE")
