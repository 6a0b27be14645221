"""LINE webhook bodies: verify the signature over the raw bytes and split the events for the inbox."""
from __future__ import annotations

import hashlib
import json

from linebot.v3.webhook import SignatureValidator

MAX_BODY = 1024 * 1024


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
