"""LINE webhook events (as stored in the inbox) -> the neutral Inbound type.

Text messages and postbacks, nearly all of what a city's bot receives, are read straight from the JSON when they have
exactly the shape line-bot-sdk's models accept (the same checks: strict types, the source's kind, the mode); anything
else, or anything odd, goes through the SDK's models as before. Both roads give the same Inbound (a test compares them),
and the SDK, a large import, is loaded only when the slow road is first taken.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.queues.inbox import NeedsLoop
from community import messages as m

if TYPE_CHECKING:
    from linebot.v3.messaging import AsyncMessagingApi

log = logging.getLogger(__name__)


def _occurred_at(timestamp: int) -> datetime:
    """The event's time; an impossible timestamp (out of datetime's range) counts as now."""
    try:
        return datetime.fromtimestamp(timestamp / 1000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return datetime.now(UTC)


class LineTranslator:
    """Inbox payload (one LINE webhook event as JSON) -> Inbound, or None for events the service ignores.

    api: the Messaging API for group names on a join, or a function that makes it when first needed (the inbox
    worker's own process builds no API client until a bot is added to a group)."""

    platform = "line"

    def __init__(self, api: AsyncMessagingApi | Callable[[], AsyncMessagingApi] | None):
        self._api = api

    @property
    def api(self) -> AsyncMessagingApi | None:
        if callable(self._api) and not hasattr(self._api, "get_group_summary"):
            self._api = self._api()
        return self._api  # type: ignore[return-value]

    async def translate(self, payload: str) -> m.Inbound | None:
        raw = json.loads(payload)
        quick = read_plain_event(raw)
        if quick is not _SLOW:
            return quick  # type: ignore[return-value]
        read = read_with_sdk(raw)
        if isinstance(read, _Join):
            return m.Inbound(kind=m.JOIN, place_name=await self._group_name(read.place), **read.common)
        return read

    def translate_now(self, payload: str) -> m.Inbound | None:
        """translate() without awaiting: a join, which asks LINE for the group's name, raises NeedsLoop."""
        raw = json.loads(payload)
        quick = read_plain_event(raw)
        if quick is not _SLOW:
            return quick  # type: ignore[return-value]
        read = read_with_sdk(raw)
        if isinstance(read, _Join):
            raise NeedsLoop("a join asks LINE for the group's name")
        return read

    async def _group_name(self, place: m.Place) -> str | None:
        """The group's name from the Messaging API; a greeting without it is fine if the call fails."""
        api = self.api
        if api is None or place.kind != m.GROUP:
            return None
        import aiohttp  # noqa: PLC0415 - with the SDK, only on this road
        from linebot.v3.messaging import ApiException  # noqa: PLC0415

        try:
            summary = await api.get_group_summary(place.id, _request_timeout=5)
            return summary.group_name
        except (TimeoutError, ApiException, aiohttp.ClientError, ValueError) as exc:
            log.warning("group summary failed: %s", type(exc).__name__)
            return None


@dataclass
class _Join:
    """A join event read: its Inbound needs the group's name, which is asked for on the loop."""

    place: m.Place
    common: dict[str, Any]


def read_with_sdk(raw: Any) -> m.Inbound | _Join | None:
    """The slow road: line-bot-sdk's models read (or refuse) the event."""
    from linebot.v3.webhooks import (  # noqa: PLC0415 - the slow road only: the SDK's models are a large import
        Event,
        FollowEvent,
        JoinEvent,
        LeaveEvent,
        MemberJoinedEvent,
        MemberLeftEvent,
        MessageEvent,
        PostbackEvent,
        TextMessageContent,
        UnfollowEvent,
        UserMentionee,
    )

    try:
        event = Event.from_dict(raw)
    except Exception as exc:  # noqa: BLE001 - ValueError, TypeError, KeyError, pydantic's errors: all mean unreadable
        # Unknown event or message types (LINE adds them over time), or a shape the SDK cannot read: retrying
        # would fail the same way, so the event stays stored and is skipped.
        # The error's text quotes the event (a user id, what they wrote): log only what identifies no one.
        log.info(
            "skipping LINE event the SDK does not read: %s (type %s, event %s)",
            type(exc).__name__,
            _field(raw, "type"),
            _field(raw, "webhookEventId"),
        )
        return None
    mode = getattr(event, "mode", None)
    if event is None or (mode is not None and getattr(mode, "value", mode) != "active"):
        return None  # standby: another channel answers this chat
    source = getattr(event, "source", None)
    if source is None:
        return None
    place = _place_of(source.type, getattr(source, "user_id", None), _source_space(source))
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
        return _Join(place, common)
    if isinstance(event, LeaveEvent):
        return m.Inbound(kind=m.LEAVE, **common)
    if isinstance(event, MemberJoinedEvent):
        ids = tuple(s.user_id for s in event.joined.members if getattr(s, "user_id", None))
        return m.Inbound(kind=m.MEMBER_JOINED, member_ids=ids, **common)
    if isinstance(event, MemberLeftEvent):
        ids = tuple(s.user_id for s in event.left.members if getattr(s, "user_id", None))
        return m.Inbound(kind=m.MEMBER_LEFT, member_ids=ids, **common)
    return None


def _source_space(source: Any) -> str | None:
    return getattr(source, "group_id", None) or getattr(source, "room_id", None)


def _place_of(kind: str, user_id: str | None, space: str | None) -> m.Place:
    if kind == "group":
        return m.Place("line", m.GROUP, space or "")
    if kind == "room":
        return m.Place("line", m.ROOM, space or "")
    return m.Place("line", m.DIRECT, user_id or "")


def _field(raw: object, name: str) -> str:
    value = raw.get(name) if isinstance(raw, dict) else None
    return value[:64] if isinstance(value, str) else "?"


# ---- the quick road ------------------------------------------------------------------------------------------------

_SLOW = object()  # read_plain_event's "ask the SDK"
_SOURCE_SPACE = {"user": None, "group": "groupId", "room": "roomId"}


def _str_or_none(value: object) -> bool:
    return value is None or type(value) is str


def read_plain_event(raw: Any) -> m.Inbound | object | None:
    """A text message or a postback whose every field the SDK's models check has the type they require: its Inbound
    (None in standby mode). Anything else returns _SLOW, for the SDK to read or refuse exactly as it always has."""
    if type(raw) is not dict:
        return _SLOW
    kind = raw.get("type")
    if kind == "message":
        content = raw.get("message")
        if not (
            type(content) is dict
            and content.get("type") == "text"
            and type(content.get("id")) is str
            and type(content.get("text")) is str
            and type(content.get("quoteToken")) is str
            and _str_or_none(content.get("quotedMessageId"))
            and _str_or_none(content.get("markAsReadToken"))
            and content.get("emojis") is None
            and content.get("mention") is None
        ):
            return _SLOW
    elif kind == "postback":
        content = raw.get("postback")
        if not (type(content) is dict and type(content.get("data")) is str and content.get("params") is None):
            return _SLOW
    else:
        return _SLOW
    source, context, mode = raw.get("source"), raw.get("deliveryContext"), raw.get("mode")
    if not (
        mode in ("active", "standby")
        and type(mode) is str
        and type(raw.get("timestamp")) is int
        and type(raw.get("webhookEventId")) is str
        and type(context) is dict
        and type(context.get("isRedelivery")) is bool
        and _str_or_none(raw.get("replyToken"))
        and type(source) is dict
        and type(source.get("type")) is str
        and source["type"] in _SOURCE_SPACE
        and _str_or_none(source.get("userId"))
    ):
        return _SLOW
    space_key = _SOURCE_SPACE[source["type"]]
    space = source.get(space_key) if space_key else None
    if space_key and type(space) is not str:
        return _SLOW
    if mode != "active":
        return None  # standby: another channel answers this chat
    common: dict[str, Any] = dict(
        platform="line",
        place=_place_of(source["type"], source.get("userId"), space),
        occurred_at=_occurred_at(raw["timestamp"]),
        sender_id=source.get("userId"),
        reply_token=raw.get("replyToken"),
    )
    if kind == "message":
        return m.Inbound(kind=m.MESSAGE, text=content["text"], mentions=(), message_kind="text", **common)
    return m.Inbound(kind=m.POSTBACK, postback_data=content["data"], **common)
