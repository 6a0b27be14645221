"""HTTP routes. The LINE webhook only verifies, stores and answers: the inbox worker does the work."""
from __future__ import annotations

import json
import logging

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.queues.inbox import InboxWriter, inbox_counts
from bot.line.webhook import WebhookRejected, inbox_key, split_webhook
from bot.queues.sender import outbox_counts
from handlers.features import FEATURES

log = logging.getLogger(__name__)

INBOX_WRITER = web.AppKey("inbox_writer", InboxWriter)


def _runtime(request: web.Request):
    from bot.web.keys import RUNTIME

    return request.app[RUNTIME]


async def line_callback(request: web.Request) -> web.Response:
    runtime = _runtime(request)
    if runtime.line_validator is None:
        return web.json_response({"error": "LINE is not configured"}, status=404)
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return web.json_response({"error": "body over 1 MiB"}, status=413)
    try:
        events = split_webhook(body, request.headers.get("X-Line-Signature"), runtime.line_validator)
    except WebhookRejected as exc:
        log.warning("LINE webhook rejected: %s", exc)
        return web.json_response({"error": str(exc)}, status=exc.status)
    if not events:
        return web.json_response({})  # LINE's "verify" button sends no events
    rows = [(*inbox_key(e), json.dumps(e, ensure_ascii=False, separators=(",", ":"))) for e in events]
    try:
        await request.app[INBOX_WRITER].store("line", rows)
    except SQLAlchemyError as exc:
        # Not stored: answer 503 so LINE redelivers rather than losing the event.
        log.error("could not store LINE events: %s", str(exc)[:200])
        return web.json_response({"error": "storage unavailable"}, status=503)
    runtime.worker.wake.set()
    return web.json_response({})


async def healthz(request: web.Request) -> web.Response:
    runtime = _runtime(request)

    def read(session):
        session.exec(text("SELECT 1"))
        return inbox_counts(session), outbox_counts(session)

    try:
        inbox, outbox = await runtime.db.run(read)
        database_ok = True
    except SQLAlchemyError as exc:
        log.error("health check: database unavailable: %s", str(exc)[:200])
        inbox, outbox, database_ok = {}, {}, False
    body = {
        "ok": database_ok,
        "database": "ok" if database_ok else "unavailable",
        "platforms": runtime.platforms,
        "inbox": {"backlog": inbox.get("pending", 0) + inbox.get("processing", 0), "parked": inbox.get("parked", 0)},
        "outbox": {"backlog": outbox.get("pending", 0) + outbox.get("sending", 0), "parked": outbox.get("parked", 0)},
    }
    body["parked"] = body["inbox"]["parked"] + body["outbox"]["parked"]
    if runtime.line_quota is not None and database_ok:
        # Read from LINE at most every few minutes (bot/quota.py); warning: this month's pace passes the limit.
        try:
            quota = await runtime.line_quota.status()
        except SQLAlchemyError:
            quota = None
        body["line_quota"] = quota.as_dict() if quota is not None else None
    return web.json_response(body, status=200 if database_ok else 503)


def add_routes(app: web.Application) -> None:
    from bot.web import childcare as web_childcare, community as web_community

    async def start_inbox_writer(app: web.Application) -> None:
        # Runs after the Runtime's start (cleanup contexts start first), so the database is open.
        from bot.web.keys import RUNTIME

        writer = app[INBOX_WRITER] = InboxWriter(app[RUNTIME].db)
        app[RUNTIME].worker.give_way = writer.quiet  # acknowledge fast, work later

    app.on_startup.append(start_inbox_writer)
    app.router.add_post("/callback/line", line_callback)
    app.router.add_get("/healthz", healthz)
    for module in (web_childcare, web_community):  # being moved into their features' FEATURE.web
        module.add_routes(app)
    for feature in FEATURES:
        for route in feature.web:
            app.router.add_route(route.method, route.path, route.handler)
