"""Delivering one outbox row through the Messaging API, and classifying the outcome for the sender."""

from __future__ import annotations

import json
import ssl
from typing import ClassVar

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from linebot.v3.messaging import (
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
)
from yarl import URL

from bot.line.render import render
from bot.queues.delivery import Delivered, Endpoint, PermanentFailure, ReplyTokenExpired, TransientFailure
from bot.queues.outbox import Limits
from community import messages as m

REPLY_TOKEN_TTL_SECONDS = 50  # LINE's tokens last about a minute; past this a push is the safe choice

# Calls one process may have open to the Messaging API at once: the sender's in-flight bound, so no call waits for a
# connection (the SDK's own default, cpu_count() * 5, held a whole process to 10 calls: 330 answers/s at 30 ms).
CONNECTIONS = 64


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
    limits = Limits(messages=5, recipients=500)  # LINE: 5 messages per request, 500 multicast recipients
    # LINE's rate limits are per channel and endpoint: 2,000 requests/s for reply and push ("other endpoints"), 200/s
    # for multicast (developers.line.biz/en/reference/messaging-api/#rate-limits). A multicast carries up to 500
    # recipients, so a few at a time are plenty.
    endpoints: ClassVar[dict[str, Endpoint]] = {
        m.REPLY: Endpoint(in_flight=CONNECTIONS, per_second=2000),
        m.PUSH: Endpoint(in_flight=CONNECTIONS, per_second=2000),
        m.MULTICAST: Endpoint(in_flight=8, per_second=200),
    }

    def __init__(self, api: AsyncMessagingApi, timeout: float = 10.0):
        self.api = api
        self.timeout = timeout

    @classmethod
    async def open_client(cls, base_url: str, access_token: str, connections: int = CONNECTIONS) -> AsyncApiClient:
        """The SDK's client with a connection pool of `connections`, and a session that does not read ~/.netrc and the
        proxy variables on every request (aiohttp's trust_env does both in a thread per call, half the SDK's cost per
        call): a proxy named in the environment for the API's address is looked up once, here."""
        configuration = Configuration(host=base_url, access_token=access_token)
        configuration.connection_pool_maxsize = connections
        try:
            configuration.proxy = str(get_env_proxy_for_url(URL(base_url))[0])
        except LookupError:
            pass
        client = AsyncApiClient(configuration)
        rest = client.rest_client
        await rest.pool_manager.close()
        context = ssl.create_default_context(cafile=configuration.ssl_ca_cert)
        rest.pool_manager = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections, ssl=context), trust_env=False
        )
        return client

    async def send(
        self,
        method: str,
        target: str,
        messages: list[m.OutboundMessage],
        retry_key: str,
        reply_token_age: float | None,
        unit: str = "",
    ):
        """unit: an announcement's aggregation unit (customAggregationUnits): LINE's statistics per unit."""
        rendered = [render(msg) for msg in messages]
        try:
            if method == m.REPLY:
                if reply_token_age is not None and reply_token_age > REPLY_TOKEN_TTL_SECONDS:
                    raise ReplyTokenExpired(f"reply token older than {REPLY_TOKEN_TTL_SECONDS}s")
                await self.api.reply_message_with_http_info(
                    ReplyMessageRequest(reply_token=target, messages=rendered), _request_timeout=self.timeout
                )
            elif method == m.PUSH:
                await self.api.push_message_with_http_info(
                    PushMessageRequest(to=target, messages=rendered),
                    x_line_retry_key=retry_key,
                    _request_timeout=self.timeout,
                )
            elif method == m.MULTICAST:
                await self.api.multicast_with_http_info(
                    MulticastRequest(
                        to=json.loads(target), messages=rendered, custom_aggregation_units=[unit] if unit else None
                    ),
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
                raise TransientFailure(
                    detail, retry_after=_retry_after(exc), outcome_unknown=exc.status >= 500
                ) from None
            raise PermanentFailure(detail) from None
        except (TimeoutError, aiohttp.ClientError, ConnectionError) as exc:
            raise TransientFailure(f"{type(exc).__name__}: {exc}"[:300], outcome_unknown=True) from None
        return Delivered("sent")
