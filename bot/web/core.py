"""The aiohttp application's routes: the LINE webhook, the health check, and every feature's pages (Feature.web);
the headers every answer carries and the public pages' rate limit are middlewares (bot/web/security.py, ratelimit.py).
"""
from __future__ import annotations

from aiohttp import web

from bot.line.webhook import LINE_WEBHOOK, LineWebhook, callback
from bot.queues.inbox import InboxWriter
from bot.web.health import healthz
from bot.web.keys import RUNTIME
from bot.web.security import add_security_headers
from handlers.features import FEATURES

INBOX_WRITER = web.AppKey("inbox_writer", InboxWriter)


async def _start_inbox_writer(app: web.Application) -> None:
    # Runs after the Runtime's start (cleanup contexts start first), so the database is open.
    runtime = app[RUNTIME]
    writer = app[INBOX_WRITER] = InboxWriter(runtime.db)
    runtime.worker.give_way = writer.quiet  # acknowledge fast, work later
    if runtime.line_validator is not None:
        app[LINE_WEBHOOK] = LineWebhook(runtime.line_validator, writer.store, runtime.worker.wake.set)


def add_routes(app: web.Application) -> None:
    add_security_headers(app)
    app.on_startup.append(_start_inbox_writer)
    app.router.add_post("/callback/line", callback)
    app.router.add_get("/healthz", healthz)
    for feature in FEATURES:
        for route in feature.web:
            app.router.add_route(route.method, route.path, route.handler)
