"""LINE: verify and split webhook bodies, translate events into Inbound, render outbound messages, deliver outbox rows.

Everything LINE-specific lives here; the rest of the service sees community.messages types only.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from datetime import datetime, timezone

import aiohttp
from linebot.v3.messaging import (
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexImage,
    FlexMessage,
    FlexText,
    ImageMessage,
    MessageAction,
    MulticastRequest,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
    URIAction,
)
from linebot.v3.webhook import SignatureValidator
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    GroupSource,
    JoinEvent,
    LeaveEvent,
    MemberJoinedEvent,
    MemberLeftEvent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    TextMessageContent,
    UnfollowEvent,
    UserMentionee,
)

from community import messages as m
from bot.delivery import Delivered, PermanentFailure, ReplyTokenExpired, TransientFailure

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
TEXT_LIMIT = 5000
REPLY_TOKEN_TTL_SECONDS = 50  # LINE's tokens last about a minute; past this a push is the safe choice


class WebhookRejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def split_webhook(body: bytes, signature: str | None, validator: SignatureValidator) -> list[dict]:
    """Verify the signature over the raw bytes and return the events. Raises WebhookRejected(400)."""
    if not signature:
        raise WebhookRejected(400, "missing X-Line-Signature")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookRejected(400, "body is not UTF-8") from None
    if not validator.validate(text, signature):
        raise WebhookRejected(400, "invalid signature")
    try:
        payload = json.loads(text)
    except ValueError:
        raise WebhookRejected(400, "signed body is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise WebhookRejected(400, "signed body has no events array")
    return [e for e in payload["events"] if isinstance(e, dict)]


def inbox_key(event: dict) -> tuple[str, str, bool]:
    """(event id, type, is redelivery) for the inbox row. Events without an id get a content hash."""
    event_id = event.get("webhookEventId")
    if not isinstance(event_id, str) or not event_id or len(event_id) > 64:
        event_id = "sha256:" + hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()[:56]
    event_type = event.get("type") if isinstance(event.get("type"), str) else "unknown"
    context = event.get("deliveryContext")
    redelivery = bool(context.get("isRedelivery")) if isinstance(context, dict) else False
    return event_id, event_type[:40], redelivery


# ---- inbound ---------------------------------------------------------------------------------------------------


def _occurred_at(timestamp: int) -> datetime:
    """The event's time; an impossible timestamp (out of datetime's range) counts as now."""
    try:
        return datetime.fromtimestamp(timestamp / 1000, tz=timezone.utc)
    except (OverflowError, ValueError, OSError):
        return datetime.now(timezone.utc)


class LineTranslator:
    """Inbox payload (one LINE webhook event as JSON) -> Inbound, or None for events the service ignores."""

    platform = "line"

    def __init__(self, api: AsyncMessagingApi | None):
        self.api = api

    async def translate(self, payload: str) -> m.Inbound | None:
        try:
            event = Event.from_dict(json.loads(payload))
        except Exception as exc:  # ValueError, TypeError, KeyError (a source without type), pydantic's errors
            # Unknown event or message types (LINE adds them over time), or a shape the SDK cannot read: retrying
            # would fail the same way, so the event stays stored and is skipped.
            log.info("skipping LINE event the SDK does not read: %s: %s", type(exc).__name__, str(exc)[:200])
            return None
        mode = getattr(event, "mode", None)
        if event is None or (mode is not None and getattr(mode, "value", mode) != "active"):
            return None  # standby: another channel answers this chat
        source = getattr(event, "source", None)
        if source is None:
            return None
        place = _place(source)
        occurred = _occurred_at(event.timestamp)
        common = dict(
            platform="line",
            place=place,
            occurred_at=occurred,
            sender_id=getattr(source, "user_id", None),
            reply_token=getattr(event, "reply_token", None),
        )
        if isinstance(event, MessageEvent):
            content = event.message
            if isinstance(content, TextMessageContent):
                mentions = ()
                if content.mention and content.mention.mentionees:
                    mentions = tuple(
                        m.Mention(mt.user_id, content.text[mt.index : mt.index + mt.length])
                        for mt in content.mention.mentionees
                        if isinstance(mt, UserMentionee) and mt.user_id
                    )
                return m.Inbound(kind=m.MESSAGE, text=content.text, mentions=mentions, message_kind="text", **common)
            return m.Inbound(kind=m.MESSAGE, message_kind=content.type, **common)
        if isinstance(event, PostbackEvent):
            return m.Inbound(kind=m.POSTBACK, postback_data=event.postback.data, **common)
        if isinstance(event, FollowEvent):
            return m.Inbound(kind=m.FOLLOW, **common)
        if isinstance(event, UnfollowEvent):
            return m.Inbound(kind=m.UNFOLLOW, **common)
        if isinstance(event, JoinEvent):
            return m.Inbound(kind=m.JOIN, place_name=await self._group_name(place), **common)
        if isinstance(event, LeaveEvent):
            return m.Inbound(kind=m.LEAVE, **common)
        if isinstance(event, MemberJoinedEvent):
            ids = tuple(s.user_id for s in event.joined.members if getattr(s, "user_id", None))
            return m.Inbound(kind=m.MEMBER_JOINED, member_ids=ids, **common)
        if isinstance(event, MemberLeftEvent):
            ids = tuple(s.user_id for s in event.left.members if getattr(s, "user_id", None))
            return m.Inbound(kind=m.MEMBER_LEFT, member_ids=ids, **common)
        return None

    async def _group_name(self, place: m.Place) -> str | None:
        """The group's name from the Messaging API; a greeting without it is fine if the call fails."""
        if self.api is None or place.kind != m.GROUP:
            return None
        try:
            summary = await self.api.get_group_summary(place.id, _request_timeout=5)
            return summary.group_name
        except (ApiException, aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            log.warning("group summary for %s failed: %s", place.id[:8], str(exc)[:120])
            return None


def _place(source) -> m.Place:
    if isinstance(source, GroupSource):
        return m.Place("line", m.GROUP, source.group_id)
    if isinstance(source, RoomSource):
        return m.Place("line", m.ROOM, source.room_id)
    return m.Place("line", m.DIRECT, source.user_id or "")


# ---- outbound rendering ----------------------------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _action(action: m.Action):
    label = _clip(action.label, 20)
    if action.url:
        return URIAction(label=label, uri=action.url)
    if action.data:
        return PostbackAction(label=label, data=action.data[:300], display_text=action.text or action.label)
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
            contents=[FlexButton(action=_action(a), style="primary" if i == 0 else "secondary") for i, a in enumerate(actions[:4])],
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
        return FlexMessage(alt_text=alt or " ", contents=_bubble(message.title, message.text, message.actions, message.image_url))
    if isinstance(message, m.QrCard):
        action = m.Action(label=message.button_label, url=message.url)
        return FlexMessage(alt_text=_clip(message.title, 400), contents=_bubble(message.title, message.note, (action,), message.image_url))
    if isinstance(message, m.Carousel):
        bubbles = [_bubble(c.title, c.text, c.actions, c.image_url) for c in message.cards[:12]]
        return FlexMessage(alt_text=_clip(message.alt or "一覧", 400), contents=FlexCarousel(contents=bubbles))
    raise TypeError(f"cannot render {type(message).__name__} for LINE")


# ---- delivery --------------------------------------------------------------------------------------------------


def _error_message(exc: ApiException) -> str:
    try:
        return str(json.loads(exc.body or "{}").get("message", ""))
    except (ValueError, AttributeError):
        return str(exc.body or "")[:200]


def _retry_after(exc: ApiException) -> float | None:
    value = (exc.headers or {}).get("Retry-After") if exc.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class LineDelivery:
    """Sends one outbox row with AsyncMessagingApi and classifies the outcome for the sender."""

    platform = "line"

    def __init__(self, api: AsyncMessagingApi, timeout: float = 10.0):
        self.api = api
        self.timeout = timeout

    @classmethod
    def client(cls, base_url: str, access_token: str) -> AsyncApiClient:
        return AsyncApiClient(Configuration(host=base_url, access_token=access_token))

    async def send(self, method: str, target: str, messages: list[m.OutboundMessage], retry_key: str, reply_token_age: float | None):
        rendered = [render(msg) for msg in messages]
        try:
            if method == m.REPLY:
                if reply_token_age is not None and reply_token_age > REPLY_TOKEN_TTL_SECONDS:
                    raise ReplyTokenExpired("reply token older than %ds" % REPLY_TOKEN_TTL_SECONDS)
                await self.api.reply_message_with_http_info(
                    ReplyMessageRequest(reply_token=target, messages=rendered), _request_timeout=self.timeout
                )
            elif method == m.PUSH:
                await self.api.push_message_with_http_info(
                    PushMessageRequest(to=target, messages=rendered), x_line_retry_key=retry_key, _request_timeout=self.timeout
                )
            elif method == m.MULTICAST:
                await self.api.multicast_with_http_info(
                    MulticastRequest(to=json.loads(target), messages=rendered),
                    x_line_retry_key=retry_key,
                    _request_timeout=self.timeout,
                )
            else:
                raise PermanentFailure(f"unknown method {method}")
        except ApiException as exc:
            detail = f"{exc.status} {_error_message(exc)}".strip()
            if exc.status == 409 and method != m.REPLY:
                return Delivered("accepted earlier (409 for this retry key)")
            if exc.status == 400 and method == m.REPLY and "reply token" in detail.lower():
                raise ReplyTokenExpired(detail) from None
            if exc.status == 429 or exc.status >= 500:
                raise TransientFailure(detail, retry_after=_retry_after(exc), outcome_unknown=exc.status >= 500) from None
            raise PermanentFailure(detail) from None
        except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError) as exc:
            raise TransientFailure(f"{type(exc).__name__}: {exc}"[:300], outcome_unknown=True) from None
        return Delivered("sent")
