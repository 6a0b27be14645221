"""The weekly chart route, /charts/weekly-YYYY-Www.png, built so that no request for it can delay the webhook.

- Only complete weeks that have data exist (the running week, the future, year 1 and weeks before the first record
  are 404), and only with the signature the digest and the dashboard put in the address (`?sig=`, an HMAC with the
  database's random key) or the staff bearer token: nobody can make the server chart weeks of their choosing.
- A week is charted once per process: the PNG is kept in a small LRU, and requests that arrive while it is being
  made wait for that one making.
- The figures come from one short database call; the drawing runs on a thread of its own, never the database's.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

from aiohttp import web

from community import charts, dashboard, digest
from community.texts import t
from handlers.web import WebServices, bearer_ok, services
from storage.db import Database

CACHED_WEEKS = 64  # about 100 kB each
# One drawing at a time, off the database's threads: a burst of weeks queues here, not in front of the webhook.
DRAWING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")


class ChartCache:
    """What one database's charts need in memory: the signing key, read once, and the PNGs of recent weeks."""

    def __init__(self, size: int = CACHED_WEEKS) -> None:
        self.size = size
        self._key: bytes | None = None
        self._pngs: OrderedDict[str, bytes] = OrderedDict()
        self._making: dict[str, asyncio.Future[bytes | None]] = {}

    async def signing_key(self, db: Database) -> bytes:
        if self._key is None:
            self._key = await db.run(dashboard.signing_key)
        return self._key

    async def png(self, week: str, make: Callable[[], Awaitable[bytes | None]]) -> bytes | None:
        """The week's PNG from memory, or made once however many ask at the same time (None: no chart)."""
        found = self._pngs.get(week)
        if found is not None:
            self._pngs.move_to_end(week)
            return found
        making = self._making.get(week)
        if making is None:
            making = asyncio.ensure_future(make())
            self._making[week] = making
            making.add_done_callback(lambda done: self._made(week, done))
        # A client that goes away does not cancel the making the others wait for.
        return await asyncio.shield(making)

    def _made(self, week: str, done: asyncio.Future[bytes | None]) -> None:
        self._making.pop(week, None)
        if done.cancelled() or done.exception() is not None:
            return
        png = done.result()
        if png is not None:  # "no data" is not kept: a late import may give the week data
            self._pngs[week] = png
            while len(self._pngs) > self.size:
                self._pngs.popitem(last=False)


_CACHES: weakref.WeakKeyDictionary[Database, ChartCache] = weakref.WeakKeyDictionary()


def chart_cache(db: Database) -> ChartCache:
    cache = _CACHES.get(db)
    if cache is None:
        cache = _CACHES[db] = ChartCache()
    return cache


def _not_found() -> web.HTTPNotFound:
    return web.HTTPNotFound(text=t("en", "kpi.chart.no_such_week"))


async def weekly_chart(request: web.Request) -> web.Response:
    found = services(request)
    week = request.match_info["week"]
    period = charts.complete_week(week, datetime.now(found.site.tz).date())
    if period is None:
        raise _not_found()
    cache = chart_cache(found.db)
    if not bearer_ok(request, found.staff_api_token):
        key = await cache.signing_key(found.db)
        if not dashboard.signature_ok(key, digest.chart_subject(week), request.query.get("sig")):
            raise _not_found()
    png = await cache.png(week, lambda: _make_chart(found, period[0]))
    if png is None:
        raise _not_found()
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


async def _make_chart(found: WebServices, monday: date) -> bytes | None:
    weeks = await found.db.run(charts.chart_weeks, found.site, monday)
    if weeks is None:
        return None
    return await asyncio.get_running_loop().run_in_executor(DRAWING, charts.draw_chart, weeks)
