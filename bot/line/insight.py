"""LINE's figures per announcement (issue 15): each announcement's multicasts carry an aggregation unit
(customAggregationUnits), and this reads LINE's statistics per unit — users who opened it (uniqueImpression) and who
opened a link in it (uniqueClick) — for the announcements of the last 30 days, every few hours, into the database
(community.announce), where the digest and the dashboard show them. LINE aggregates with a delay: until it has the
figures they stay empty. Never on the webhook path: a background task asks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import aiohttp
from linebot.v3.insight import ApiException, AsyncApiClient, AsyncInsight, Configuration

from community import announce
from storage.db import Database, utcnow

log = logging.getLogger(__name__)

DEFAULT_EVERY_MINUTES = 60.0
SPAN_DAYS = 29  # LINE takes a period of at most 30 days (from .. to, inclusive)


def period_end(sent_on: str, now: datetime) -> str:
    """The last day to ask about: today in Japan, or 29 days after sending if that is earlier."""
    first = datetime.strptime(sent_on, "%Y%m%d").date()
    today = now.astimezone(announce.JAPAN).date()
    return min(today, first + timedelta(days=SPAN_DAYS)).strftime("%Y%m%d")


class UnitStatistics:
    def __init__(
        self,
        base_url: str,
        access_token: str,
        db: Database,
        *,
        every_minutes: float = DEFAULT_EVERY_MINUTES,
        timeout: float = 10.0,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.client = AsyncApiClient(Configuration(host=base_url, access_token=access_token))
        self.api = AsyncInsight(self.client)
        self.db = db
        self.every = timedelta(minutes=every_minutes)
        self.timeout = timeout
        self.clock = clock

    async def refresh(self) -> int:
        """Read the figures of every announcement that wants them; returns how many were read."""
        now = self.clock()
        read = 0
        for wanted in await self.db.run(announce.stats_wanted, now):
            try:
                found = await self.api.get_statistics_per_unit(
                    wanted.unit, wanted.sent_on, period_end(wanted.sent_on, now), _request_timeout=self.timeout
                )
            except (TimeoutError, ApiException, aiohttp.ClientError, ValueError) as exc:
                log.warning("LINE statistics for %s not read: %s", wanted.unit, str(exc)[:200])
                continue
            overview = found.overview
            await self.db.run(
                announce.save_stats, wanted.announcement_id, overview.unique_impression, overview.unique_click, now
            )
            read += 1
        return read

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.refresh()
            except Exception:  # a database hiccup must not end the loop
                log.exception("LINE statistics per unit failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.every.total_seconds())
            except TimeoutError:
                pass

    async def close(self) -> None:
        await self.client.close()
