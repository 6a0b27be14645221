"""The keys the aiohttp application holds its services under (no import of the Runtime: no cycle)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

RUNTIME: web.AppKey[Any] = web.AppKey("runtime")
