"""Process wiring: one Runtime owns the database, the platform clients, the workers and the scheduler, on one loop.

Nothing is built at import time; `create_app(settings)` returns an aiohttp app whose cleanup context starts and stops
everything (the pattern of discord.py's advanced_startup example).
"""
from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

from aiohttp import web
from linebot.v3.messaging import AsyncMessagingApi
from linebot.v3.webhook import SignatureValidator

from bot.config import Settings
from bot.queues.delivery import ConsoleDelivery, Delivery
from bot.queues.inbox import Dispatcher, InboxWorker, Translator
from bot.queues.outbox import OutboxWriter
from bot.line.deliver import LineDelivery
from bot.line.translate import LineTranslator
from bot.line.quota import QuotaMonitor
from bot.queues.sender import OutboxSender
from bot.web import core as routes
from bot.web.keys import RUNTIME
from bot.web.ratelimit import add_rate_limit
from community import members
from community.messages import Inbound
from handlers.feature import Feature
from handlers.features import FEATURES, build_router
from handlers.web import SERVICES
from scheduler.jobs import collect_jobs
from scheduler.runner import build_scheduler
from storage.db import Database, utcnow
from storage.migrate import upgrade

log = logging.getLogger(__name__)


class ConsoleTranslator:
    """The console adapter stores neutral Inbound JSON in the inbox; translating is decoding."""

    platform = "console"

    async def translate(self, payload: str) -> Inbound:
        return Inbound.from_json(payload)


class Runtime:
    """The one owner of the database, the platform clients, the queues and the scheduler (discord.py's
    advanced_startup pattern). What it gives adapters and pages are narrow parts of it, never itself."""

    def __init__(self, settings: Settings, *, sender_options: dict[str, Any] | None = None,
                 console_write=None, run_workers: bool = True, run_scheduler: bool = True,
                 features: tuple[Feature, ...] = FEATURES):
        self.settings = settings
        self.site = settings.site
        self.features = features
        self.sender_options = sender_options or {}
        self.console_write = console_write
        self.run_workers = run_workers
        self.run_scheduler = run_scheduler
        self.db: Database | None = None
        self.line_client = None
        self.line_api: AsyncMessagingApi | None = None
        self.line_validator: SignatureValidator | None = None
        self.discord = None
        self.router = build_router(features)
        self.jobs = collect_jobs(features)
        self.stop_event = asyncio.Event()
        self.tasks: list[asyncio.Task] = []
        self.scheduler = None
        self.line_quota: QuotaMonitor | None = None
        self.outbox = OutboxWriter()

    @property
    def staff_api_token(self) -> str | None:
        return self.settings.staff_api_token

    async def start(self) -> None:
        settings = self.settings
        await asyncio.to_thread(upgrade, settings.database_url)
        self.db = Database(settings.database_url)
        translators: dict[str, Translator] = {"console": ConsoleTranslator()}
        deliveries: dict[str, Delivery] = {}
        if self.console_write is not None:
            deliveries["console"] = ConsoleDelivery(self.console_write)
        if settings.line_enabled:
            self.line_client = LineDelivery.client(settings.line_api_base_url, settings.line_channel_access_token)
            self.line_api = AsyncMessagingApi(self.line_client)
            self.line_validator = SignatureValidator(settings.line_channel_secret)
            translators["line"] = LineTranslator(self.line_api)
            deliveries["line"] = LineDelivery(self.line_api)
            self.line_quota = QuotaMonitor(self.line_api, self.db, settings.tz)
            log.info("LINE is on (API %s)", settings.line_api_base_url)
        else:
            missing = [n for n, v in (("LINE_CHANNEL_SECRET", settings.line_channel_secret),
                                      ("LINE_CHANNEL_ACCESS_TOKEN", settings.line_channel_access_token)) if not v]
            log.info("LINE is off (%s not set)", ", ".join(missing))
        now = utcnow()
        await self.db.run(members.ensure_admins, "line", settings.admin_line_user_ids, now)
        await self.db.run(members.ensure_admins, "discord", settings.admin_discord_user_ids, now)
        self.sender = OutboxSender(self.db, deliveries, **self.sender_options)
        self.worker = InboxWorker(self.db, translators, Dispatcher(self.router, self.site, self.outbox),
                                  on_sent=self.sender.wake.set)
        if settings.discord_enabled:
            # Imported only when on: discord.py costs start-up time and memory a LINE-only city does not need.
            from bot.discord.wiring import discord_bot  # noqa: PLC0415

            self.discord = discord_bot(settings, self.db, self.router, self.worker.wake.set)
            deliveries["discord"] = self.discord.delivery
            translators["discord"] = self.discord.translator
            self.tasks.append(asyncio.create_task(self.discord.run(), name="discord"))
            log.info("Discord is on")
        else:
            log.info("Discord is off (DISCORD_BOT_TOKEN not set)")
        # Each delivery says how much one request may carry; the outbox splits sends by that.
        self.outbox.limits.update({platform: delivery.limits for platform, delivery in deliveries.items()})
        if self.run_workers:
            self.tasks.append(asyncio.create_task(self.worker.run(self.stop_event), name="inbox"))
            self.tasks.append(asyncio.create_task(self.sender.run(self.stop_event), name="outbox"))
            if self.line_quota is not None:
                self.tasks.append(asyncio.create_task(self.line_quota.run(self.stop_event), name="line-quota"))
        if self.run_scheduler:
            self.scheduler = build_scheduler(self.db, self.jobs, self.site, self.outbox.write,
                                             after_run=self.sender.wake.set)
            self.scheduler.start()
        # Everything built so far (libraries, models, clients) lives as long as the process: keep it out of the
        # cyclic GC's full passes, which otherwise scan it all and stall the loop for tens of milliseconds.
        gc.collect()
        gc.freeze()

    @property
    def platforms(self) -> dict[str, bool]:
        return {"line": self.settings.line_enabled, "discord": self.settings.discord_enabled}

    async def stop(self) -> None:
        self.stop_event.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        if self.discord is not None:
            await self.discord.close()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.line_client is not None:
            await self.line_client.close()
        if self.db is not None:
            await asyncio.to_thread(self.db.close)


def create_app(settings: Settings, **runtime_options: Any) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    runtime = Runtime(settings, **runtime_options)
    app[RUNTIME] = runtime
    app[SERVICES] = runtime  # what feature pages see of it: db, site, staff token

    async def lifecycle(_app: web.Application):
        await runtime.start()
        yield
        await runtime.stop()

    app.cleanup_ctx.append(lifecycle)
    routes.add_routes(app)
    add_rate_limit(app, settings)  # public pages only: a loop of requests must not fill the engagement log
    return app
