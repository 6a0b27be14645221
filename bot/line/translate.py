"""LINE webhook events (as stored in the inbox) -> the neutral Inbound type."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import aiohttp
from linebot.v3.messaging import ApiException, AsyncMessagingApi
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

log = logging.getLogger(__name__)


def _occurred_at(timestamp: int) -> datetime:
    """The event's time; an impossible timestamp (out of datetime's range) counts as now."""
    try:
        return datetime.fromtimestamp(timestamp / 1000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return datetime.now(UTC)


class LineTranslator:
    """Inbox payload (one LINE webhook event as JSON) -> Inbound, or None for events the service ignores."""

    platform = "line"

    def __init__(self, api: AsyncMessagingApi | None):
        self.api = api

    async def translate(self, payload: str) -> m.Inbound | None:
        raw = json.loads(payload)
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
        except (TimeoutError, ApiException, aiohttp.ClientError, ValueError) as exc:
            log.warning("group summary failed: %s", type(exc).__name__)
            return None


def _place(source) -> m.Place:
    if isinstance(source, GroupSource):
        return m.Place("line", m.GROUP, source.group_id)
    if isinstance(source, RoomSource):
        return m.Place("line", m.ROOM, source.room_id)
    return m.Place("line", m.DIRECT, source.user_id or "")


def _field(raw: object, name: str) -> str:
    value = raw.get(name) if isinstance(raw, dict) else None
    return value[:64] if isinstance(value, str) else "?"
