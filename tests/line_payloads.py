"""LINE webhook event builders (valid against the official webhook.yml), the request body and its signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import uuid
from collections.abc import Iterable

DESTINATION = "U" + "0" * 32  # the bot's own user id, as LINE sends it

_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def user_id(name: str) -> str:
    """A stable LINE-shaped user id (U + 32 hex) for a readable test name."""
    return "U" + hashlib.md5(name.encode()).hexdigest()


def group_id(name: str) -> str:
    return "C" + hashlib.md5(name.encode()).hexdigest()


def webhook_event_id() -> str:
    """A fresh ULID-shaped webhookEventId (26 Crockford base32 characters)."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(_ULID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def _source(user: str | None, group: str | None) -> dict:
    if group:
        source = {"type": "group", "groupId": group}
        if user:
            source["userId"] = user
        return source
    return {"type": "user", "userId": user}


def _base(
    event_type: str,
    user: str | None,
    group: str | None,
    *,
    redelivery: bool = False,
    mode: str = "active",
    timestamp: int | None = None,
    event_id: str | None = None,
) -> dict:
    return {
        "type": event_type,
        "mode": mode,
        "timestamp": timestamp if timestamp is not None else int(time.time() * 1000),
        "source": _source(user, group),
        "webhookEventId": event_id or webhook_event_id(),
        "deliveryContext": {"isRedelivery": redelivery},
    }


def _token(reply_token: str | None) -> str:
    return reply_token or uuid.uuid4().hex


def text_event(
    text: str,
    user_id: str,
    group_id: str | None = None,
    mentions: Iterable[tuple[str, int, int] | str] = (),
    reply_token: str | None = None,
    **options,
) -> dict:
    """A text message. mentions: user ids (matched as '@' + the id's last 4 in text, else appended) or
    (user id, index, length) triples."""
    mentionees = []
    for mention in mentions:
        if isinstance(mention, str):
            label = "@" + mention[-4:]
            if label not in text:
                text = f"{text} {label}"
            mentionees.append({"index": text.index(label), "length": len(label), "type": "user", "userId": mention})
        else:
            uid, index, length = mention
            mentionees.append({"index": index, "length": length, "type": "user", "userId": uid})
    message = {"id": str(uuid.uuid4().int)[:18], "type": "text", "text": text, "quoteToken": uuid.uuid4().hex}
    if mentionees:
        message["mention"] = {"mentionees": mentionees}
    event = _base("message", user_id, group_id, **options)
    event["replyToken"] = _token(reply_token)
    event["message"] = message
    return event


def image_event(user_id: str, group_id: str | None = None, reply_token: str | None = None, **options) -> dict:
    event = _base("message", user_id, group_id, **options)
    event["replyToken"] = _token(reply_token)
    event["message"] = {
        "id": str(uuid.uuid4().int)[:18],
        "type": "image",
        "quoteToken": uuid.uuid4().hex,
        "contentProvider": {"type": "line"},
    }
    return event


def follow_event(user_id: str, reply_token: str | None = None, unblocked: bool = False, **options) -> dict:
    event = _base("follow", user_id, None, **options)
    event["replyToken"] = _token(reply_token)
    event["follow"] = {"isUnblocked": unblocked}
    return event


def unfollow_event(user_id: str, **options) -> dict:
    return _base("unfollow", user_id, None, **options)


def join_event(group_id: str, reply_token: str | None = None, **options) -> dict:
    event = _base("join", None, group_id, **options)
    event["replyToken"] = _token(reply_token)
    return event


def leave_event(group_id: str, **options) -> dict:
    return _base("leave", None, group_id, **options)


def member_joined_event(group_id: str, user_ids: Iterable[str], reply_token: str | None = None, **options) -> dict:
    event = _base("memberJoined", None, group_id, **options)
    event["replyToken"] = _token(reply_token)
    event["joined"] = {"members": [{"type": "user", "userId": u} for u in user_ids]}
    return event


def member_left_event(group_id: str, user_ids: Iterable[str], **options) -> dict:
    event = _base("memberLeft", None, group_id, **options)
    event["left"] = {"members": [{"type": "user", "userId": u} for u in user_ids]}
    return event


def postback_event(
    data: str,
    user_id: str,
    group_id: str | None = None,
    params: dict | None = None,
    reply_token: str | None = None,
    **options,
) -> dict:
    event = _base("postback", user_id, group_id, **options)
    event["replyToken"] = _token(reply_token)
    event["postback"] = {"data": data, **({"params": params} if params else {})}
    return event


def unknown_event(user_id: str, event_type: str = "futureFeature", **options) -> dict:
    """An event type LINE may add one day (not in the spec, not in the SDK)."""
    event = _base(event_type, user_id, None, **options)
    event["futureFeature"] = {"detail": "something new"}
    return event


def redelivered(event: dict) -> dict:
    """The same event as LINE sends it again (same webhookEventId, isRedelivery true)."""
    return {**event, "deliveryContext": {"isRedelivery": True}}


def callback(events: Iterable[dict], destination: str = DESTINATION) -> dict:
    return {"destination": destination, "events": list(events)}


def body(events: Iterable[dict], destination: str = DESTINATION) -> bytes:
    return json.dumps(callback(events, destination), ensure_ascii=False).encode("utf-8")


def sign(body_bytes: bytes, secret: str) -> str:
    """X-Line-Signature: base64(HMAC-SHA256(channel secret, raw body))."""
    digest = hmac.new(secret.encode("utf-8"), body_bytes, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")
