"""GET /healthz: a bare liveness answer for anyone (a load balancer's probe); the backlog, parked counts and LINE
quota only with the staff token (`Authorization: Bearer STAFF_API_TOKEN`)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlmodel import Session

from bot.queues.inbox import inbox_counts
from bot.queues.sender import outbox_counts
from bot.web.keys import RUNTIME
from handlers.web import bearer_ok

log = logging.getLogger(__name__)


def _read(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    session.exec(text("SELECT 1"))
    return inbox_counts(session), outbox_counts(session)


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    try:
        inbox, outbox = await runtime.db.run(_read)
        database_ok = True
    except Exception as exc:  # noqa: BLE001 - any failure to read is "unavailable"
        log.error("health check: database unavailable: %s", type(exc).__name__)
        inbox, outbox, database_ok = {}, {}, False
    status = 200 if database_ok else 503
    if not bearer_ok(request, runtime.staff_api_token):
        return web.json_response({"ok": database_ok}, status=status, headers={"Cache-Control": "no-store"})
    body: dict[str, Any] = {
        "ok": database_ok,
        "database": "ok" if database_ok else "unavailable",
        "platforms": runtime.platforms,
        "inbox": {"backlog": inbox.get("pending", 0) + inbox.get("processing", 0), "parked": inbox.get("parked", 0)},
        "outbox": {"backlog": outbox.get("pending", 0) + outbox.get("sending", 0), "parked": outbox.get("parked", 0)},
    }
    body["parked"] = body["inbox"]["parked"] + body["outbox"]["parked"]
    if runtime.line_quota is not None and database_ok:
        # Read from LINE at most every few minutes (bot/line/quota.py); warning: this month's pace passes the limit.
        try:
            quota = await runtime.line_quota.status()
        except Exception:  # noqa: BLE001 - the quota is extra detail; its absence is shown as null
            quota = None
        body["line_quota"] = quota.as_dict() if quota is not None else None
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})
