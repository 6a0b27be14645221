"""The loop the inbox worker and the outbox sender share: work while there is work, then wait to be woken."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def poll_until_stopped(
    step: Callable[[], Awaitable[int]], wake: asyncio.Event, stop: asyncio.Event, idle_seconds: float, what: str
) -> None:
    """Call step() (returns how many items it handled) until stop is set; idle, wait for wake or idle_seconds."""
    while not stop.is_set():
        try:
            handled = await step()
        except Exception:  # the loop must survive a database hiccup: the next pass tries again
            log.exception("%s pass failed", what)
            handled = 0
        if handled == 0:
            wake.clear()
            try:
                await asyncio.wait_for(wake.wait(), timeout=idle_seconds)
            except TimeoutError:
                pass


async def drain(step: Callable[[], Awaitable[int]], max_passes: int = 1000) -> int:
    """Call step() until it finds nothing due (console, tests, `job`); returns the items handled."""
    total = 0
    for _ in range(max_passes):
        handled = await step()
        if handled == 0:
            break
        total += handled
    return total
