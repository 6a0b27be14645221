"""A per-address rate limit for the public pages (/go, /qr, /r, /board, /charts, /o, /areas, /listings, /circles):
a token bucket per client address.

A loop of requests (a stuck link checker, a script) gets 429 before any handler runs, so it cannot fill the
engagement log with scans and clicks. The LINE webhook and /healthz are never limited: LINE redelivers and
monitors poll, and neither is a person clicking.

City config, all optional:
    [web]
    public_requests_per_minute = 60   # refill rate per address
    public_burst = 60                 # bucket size (requests allowed at once)
    trust_forwarded_for = false       # behind a reverse proxy: the client is the last X-Forwarded-For hop
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from handlers.web import page

# /o, /areas, /listings, /circles: living in the town (issue 17); a visit to /o/<code> is counted, like a scan.
PUBLIC_PREFIXES = (
    "/go",
    "/qr",
    "/r",
    "/board",
    "/charts",
    "/events",
    "/events.ics",
    "/o",
    "/areas",
    "/listings",
    "/circles",
)
MAX_BUCKETS = 10_000  # addresses remembered at once; idle ones are forgotten first


def is_public_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in PUBLIC_PREFIXES)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by client address. clock: seconds, monotonic (tests pass a controllable one)."""

    def __init__(
        self,
        per_minute: float = 60,
        burst: int | None = None,
        *,
        trust_forwarded_for: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ):
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0  # tokens per second
        self.burst = int(burst if burst is not None else per_minute)
        self.trust_forwarded_for = trust_forwarded_for
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    @classmethod
    def from_settings(cls, settings) -> RateLimiter:
        section = settings.city.web
        per_minute = section.public_requests_per_minute
        burst = section.public_burst
        return cls(
            per_minute, int(burst) if burst is not None else None, trust_forwarded_for=section.trust_forwarded_for
        )

    def client(self, request: web.Request) -> str:
        if self.trust_forwarded_for:
            hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
            if hops:
                return hops[-1]  # added by our proxy; earlier hops are whatever the client claimed
        return request.remote or "unknown"

    def take(self, key: str) -> float:
        """Spend one token for key: 0 if allowed, else the seconds until one is available."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        else:
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.rate
        idle = [k for k, b in self._buckets.items() if now - b.updated >= full_after]
        for key in idle:
            del self._buckets[key]  # a full bucket is the same as no bucket
        if len(self._buckets) >= MAX_BUCKETS:  # everyone is busy: drop the oldest half
            for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1].updated)[: MAX_BUCKETS // 2]:
                del self._buckets[key]


RATE_LIMITER = web.AppKey("rate_limiter", RateLimiter)


def too_many_requests(wait: float) -> web.Response:
    seconds = max(1, math.ceil(wait))
    return page("too_many.html", status=429, headers={"Retry-After": str(seconds)}, seconds=seconds)


@web.middleware
async def rate_limit(request: web.Request, handler):
    if is_public_path(request.path):
        limiter = request.app[RATE_LIMITER]
        wait = limiter.take(limiter.client(request))
        if wait > 0:
            return too_many_requests(wait)
    return await handler(request)


def add_rate_limit(app: web.Application, settings) -> RateLimiter:
    """Install the middleware with a limiter from the city config; the limiter is app[RATE_LIMITER]."""
    limiter = RateLimiter.from_settings(settings)
    app[RATE_LIMITER] = limiter
    app.middlewares.append(rate_limit)
    return limiter
