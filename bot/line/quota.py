"""Reads the LINE monthly message quota and its use from the Messaging API, at most every few minutes.

The reading is kept in the database (community.quota), so every instance, the weekly digest and `python -m bot job`
share it and the API is asked rarely. Never called on the webhook path: /healthz and a background task ask.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import aiohttp
from linebot.v3.messaging import ApiException, AsyncMessagingApi

from community import quota
from storage.db import Database, as_utc, utcnow

log = logging.getLogger(__name__)

DEFAULT_EVERY_MINUTES = 30.0


class QuotaMonitor:
    def __init__(
        self,
        api: AsyncMessagingApi,
        db: Database,
        tz,
        *,
        every_minutes: float = DEFAULT_EVERY_MINUTES,
        timeout: float = 5.0,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.api = api
        self.db = db
        self.tz = tz
        self.every = timedelta(minutes=every_minutes)
        self.timeout = timeout
        self.clock = clock
        self._lock = asyncio.Lock()

    async def status(self) -> quota.QuotaStatus | None:
        """This month's figures: the saved reading while it is fresh, else a new one (the old one if LINE fails)."""
        async with self._lock:  # concurrent health checks make one API call, not several
            now = self.clock()
            saved = await self.db.run(quota.latest, now, self.tz)
            if saved is not None and now - as_utc(saved.read_at) < self.every:
                return saved
            try:
                limit, used = await self._read()
            except (TimeoutError, ApiException, aiohttp.ClientError, ValueError) as exc:
                log.warning("LINE quota not read: %s", str(exc)[:200])
                return saved
            status = await self.db.run(quota.save_reading, limit, used, now, self.tz)
            if status.warning:
                log.warning("LINE quota: %d of %d used, about %d by the month's end", used, limit, status.projected)
            return status

    async def _read(self) -> tuple[int | None, int]:
        limit = await self.api.get_message_quota(_request_timeout=self.timeout)
        used = await self.api.get_message_quota_consumption(_request_timeout=self.timeout)
        kind = getattr(limit.type, "value", limit.type)
        return (int(limit.value) if kind == "limited" and limit.value is not None else None), int(used.total_usage)

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the reading fresh for the digest while nobody polls /healthz."""
        while not stop.is_set():
            try:
                await self.status()
            except Exception:  # a database hiccup must not end the loop
                log.exception("LINE quota check failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.every.total_seconds())
            except TimeoutError:
                pass
