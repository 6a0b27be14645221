"""The LINE webhook: verify the signature over the raw bytes, store each event in the inbox, answer 200.

Nothing else happens on this path (the inbox worker does the work). One request's odd input never fails another's:
an event that cannot be stored as it is is stored parked (bot.queues.inbox.InboxWriter), and an unusable body gets
a 4xx, never a 500.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from linebot.v3.webhook import SignatureValidator

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
BODY_TIMEOUT_SECONDS = 10.0  # a body trickled in a byte at a time does not hold a connection for minutes


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
    except (ValueError, RecursionError):  # RecursionError: nested deeper than any LINE body
        raise WebhookRejected(400, "signed body is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise WebhookRejected(400, "signed body has no events array")
    return [e for e in payload["events"] if isinstance(e, dict)]


def inbox_key(event: dict) -> tuple[str, str, bool]:
    """(event id, type, is redelivery) for the inbox row. Events without an id get a content hash."""
    event_id = event.get("webhookEventId")
    # LINE's ids are short printable ASCII; anything else (a NUL, which PostgreSQL refuses) gets a content hash.
    if (
        not isinstance(event_id, str)
        or not 0 < len(event_id) <= 64
        or not (event_id.isascii() and event_id.isprintable())
    ):
        event_id = "sha256:" + hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()[:56]
    event_type = event.get("type")
    if not isinstance(event_type, str) or not (event_type.isascii() and event_type.isprintable()):
        event_type = "unknown"
    context = event.get("deliveryContext")
    redelivery = bool(context.get("isRedelivery")) if isinstance(context, dict) else False
    return event_id, event_type[:40], redelivery


def inbox_payload(event: dict) -> str:
    """The event as stored: compact UTF-8 JSON, or ASCII escapes when the text holds what UTF-8 cannot carry
    (a lone surrogate from a "\\udc80" escape), so every payload can be stored."""
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(event, separators=(",", ":"))
    return text


InboxRows = list[tuple[str, str, bool, str]]


@dataclass
class LineWebhook:
    """What the webhook route needs, and nothing more: the signature check, the inbox writer, the worker's bell."""

    validator: SignatureValidator
    store: Callable[[str, InboxRows], Awaitable[None]]
    wake: Callable[[], None]


# Each city's LINE channel by city id; "" is the first city's (POST /callback/line).
LINE_WEBHOOKS: web.AppKey[dict[str, LineWebhook]] = web.AppKey("line_webhooks", dict)


async def callback(request: web.Request) -> web.Response:
    """POST /callback/line/<city id> (and /callback/line for the first city): each channel its own secret."""
    webhook = request.app.get(LINE_WEBHOOKS, {}).get(request.match_info.get("city", ""))
    if webhook is None:
        return web.json_response({"error": "LINE is not configured"}, status=404)
    try:
        body = await asyncio.wait_for(request.read(), BODY_TIMEOUT_SECONDS)
    except web.HTTPRequestEntityTooLarge:
        return web.json_response({"error": "body over 1 MiB"}, status=413)
    except TimeoutError:
        return web.json_response({"error": "body not received in time"}, status=408)
    try:
        events = split_webhook(body, request.headers.get("X-Line-Signature"), webhook.validator)
    except WebhookRejected as exc:
        log.warning("LINE webhook rejected: %s", exc)
        return web.json_response({"error": str(exc)}, status=exc.status)
    if not events:
        return web.json_response({})  # LINE's "verify" button sends no events
    rows = [(*inbox_key(event), inbox_payload(event)) for event in events]
    try:
        await webhook.store("line", rows)
    except Exception as exc:  # noqa: BLE001 - whatever stopped the write, LINE must redeliver, not lose the events
        log.error("could not store LINE events: %s", type(exc).__name__)
        return web.json_response({"error": "storage unavailable"}, status=503)
    webhook.wake()
    return web.json_response({})
