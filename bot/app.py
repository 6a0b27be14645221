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

from bot.config import CitySettings, Settings
from bot.line.deliver import LineDelivery
from bot.line.insight import UnitStatistics
from bot.line.quota import QuotaMonitor
from bot.line.translate import LineTranslator
from bot.queues.delivery import ConsoleDelivery, Delivery
from bot.queues.inbox import ConsoleTranslator, Dispatcher, InboxWorker, Translator
from bot.queues.outbox import OutboxWriter
from bot.queues.queue_process import PLATFORMS as ELSEWHERE
from bot.queues.queue_process import Elsewhere, QueueProcess
from bot.queues.sender import OutboxSender
from bot.web import core as routes
from bot.web.keys import RUNTIME
from bot.web.ratelimit import add_rate_limit
from community import staff_accounts
from handlers.feature import Feature
from handlers.features import build_router, site_for
from scheduler.jobs import collect_jobs
from scheduler.runner import build_scheduler, schedule_jobs
from storage.db import Database, utcnow
from storage.migrate import upgrade

log = logging.getLogger(__name__)


class CityRuntime:
    """One city as this process runs it: its database, LINE channel, router (its enabled features), queues and jobs.
    Cities share nothing but the process: a city's data lives in its own database (a SQLite file or a PostgreSQL
    schema), so nothing of one city can be read or changed through another."""

    def __init__(self, runtime: Runtime, city: CitySettings, features: tuple[Feature, ...] | None = None):
        self.runtime = runtime
        self.city = city
        self.id = city.id
        self.features = features if features is not None else city.features
        self.site = (
            city.site
            if features is None
            else site_for(city.config, city.public_base_url, city.tz, city.platforms, self.features, city.id)
        )
        self.router = build_router(self.features)
        self.jobs = collect_jobs(self.features)
        self.outbox = OutboxWriter(site=self.site)  # keeps the city's [budget] (community.budget)
        self.db: Database | None = None
        self.line_client: Any = None
        self.line_api: AsyncMessagingApi | None = None
        self.line_validator: SignatureValidator | None = None
        self.line_quota: QuotaMonitor | None = None
        self.line_insight: UnitStatistics | None = None
        self.deliveries: dict[str, Delivery] = {}
        self.translators: dict[str, Translator] = {"console": ConsoleTranslator()}

    @property
    def staff_api_token(self) -> str | None:
        return self.city.staff_api_token

    @property
    def platforms(self) -> dict[str, bool]:
        return {"line": self.city.line_enabled, "discord": "discord" in self.city.platforms}

    async def start(self) -> None:
        city, settings = self.city, self.runtime.settings
        await asyncio.to_thread(upgrade, city.database_url, "head", city.database_schema)
        self.db = Database(city.database_url, city.database_schema)
        if self.runtime.console_write is not None:
            self.deliveries["console"] = ConsoleDelivery(self.runtime.console_write)
        if city.line_enabled:
            self.line_client = await LineDelivery.open_client(
                settings.line_api_base_url, city.line_channel_access_token or ""
            )
            self.line_api = AsyncMessagingApi(self.line_client)
            self.line_validator = SignatureValidator(city.line_channel_secret or "")
            self.translators["line"] = LineTranslator(self.line_api)
            self.deliveries["line"] = LineDelivery(self.line_api)
            self.line_quota = QuotaMonitor(self.line_api, self.db, city.tz)
            self.line_insight = UnitStatistics(
                settings.line_api_base_url, city.line_channel_access_token or "", self.db
            )
            log.info("%s: LINE is on (API %s)", self.id, settings.line_api_base_url)
        else:
            log.info("%s: LINE is off (no channel secret and access token)", self.id)
        now = utcnow()
        admins = {"line": city.admin_line_user_ids, "discord": city.admin_discord_user_ids}
        await self.db.run(staff_accounts.sync_admins, admins, now)  # staff admins: exactly the ADMIN_* ids
        self.sender = OutboxSender(self.db, self.deliveries, **self.runtime.sender_options)
        # The inbox worker in this process; when the queue process handles LINE and the console (serve), `worker` is
        # what wakes the worker there, and this one and the sender here are left Discord's events and sends.
        self.here = InboxWorker(
            self.db, self.translators, Dispatcher(self.router, self.site, self.outbox), on_sent=self.sender.wake.set
        )
        self.worker: InboxWorker | Elsewhere = self.here

    def wake_senders(self) -> None:
        """A job queued sends: wake the sender here and the one in the queue process."""
        self.sender.wake.set()
        if self.runtime.queue_process is not None:
            self.runtime.queue_process.wake_sender(self.id)

    def run_workers(self, stop: asyncio.Event) -> list[asyncio.Task]:
        # Each delivery says how much one request may carry; the outbox splits sends by that.
        self.outbox.limits.update({platform: delivery.limits for platform, delivery in self.deliveries.items()})
        tasks = [
            asyncio.create_task(self.here.run(stop), name=f"{self.id}-inbox"),
            asyncio.create_task(self.sender.run(stop), name=f"{self.id}-outbox"),
        ]
        if self.line_quota is not None:
            tasks.append(asyncio.create_task(self.line_quota.run(stop), name=f"{self.id}-line-quota"))
        if self.line_insight is not None:
            tasks.append(asyncio.create_task(self.line_insight.run(stop), name=f"{self.id}-line-insight"))
        return tasks

    async def stop(self) -> None:
        if self.line_client is not None:
            await self.line_client.close()
        if self.line_insight is not None:
            await self.line_insight.close()
        if self.db is not None:
            await asyncio.to_thread(self.db.close)


class Runtime:
    """The one owner of the process's cities, the Discord client and the scheduler, on one loop (discord.py's
    advanced_startup pattern). What it gives adapters and pages are narrow parts of it, never itself. A one-city
    deployment is a Runtime with one CityRuntime; `runtime.db`, `.worker`, ... are the first city's."""

    def __init__(
        self,
        settings: Settings,
        *,
        sender_options: dict[str, Any] | None = None,
        console_write: Any = None,
        run_workers: bool = True,
        run_scheduler: bool = True,
        features: tuple[Feature, ...] | None = None,
        city: str | None = None,
        inbox_process: bool = True,
    ):
        self.settings = settings
        self.sender_options = sender_options or {}
        self.console_write = console_write
        self.run_workers = run_workers
        self.run_scheduler = run_scheduler
        # With run_workers: LINE's and the console's events are handled and answered in a process of their own.
        self.use_queue_process = inbox_process and run_workers
        self.queue_process: QueueProcess | None = None
        chosen = [settings.city_settings(city)] if city is not None else list(settings.cities)
        self.cities = {c.id: CityRuntime(self, c, features if i == 0 else None) for i, c in enumerate(chosen)}
        self.default = next(iter(self.cities.values()))
        self.discord: Any = None
        self.stop_event = asyncio.Event()
        self.tasks: list[asyncio.Task] = []
        self.scheduler: Any = None

    # The first city's parts, for a one-city deployment and its tests.
    site = property(lambda self: self.default.site)
    features = property(lambda self: self.default.features)
    router = property(lambda self: self.default.router)
    jobs = property(lambda self: self.default.jobs)
    outbox = property(lambda self: self.default.outbox)
    db = property(lambda self: self.default.db)
    worker = property(lambda self: self.default.worker)
    sender = property(lambda self: self.default.sender)
    line_quota = property(lambda self: self.default.line_quota)
    line_api = property(lambda self: self.default.line_api)
    line_validator = property(lambda self: self.default.line_validator)
    line_client = property(lambda self: self.default.line_client)
    staff_api_token = property(lambda self: self.default.staff_api_token)
    platforms = property(lambda self: self.default.platforms)

    def city(self, city_id: str) -> CityRuntime:
        return self.cities[city_id]

    async def start(self) -> None:
        for city in self.cities.values():
            await city.start()
        on_discord = [city for city in self.cities.values() if "discord" in city.city.platforms]
        if self.settings.discord_enabled and on_discord:
            # Imported only when on: discord.py costs start-up time and memory a LINE-only city does not need.
            from bot.discord.wiring import discord_bot_for  # noqa: PLC0415

            # One bot for every city on Discord; what happens in a city's server goes to that city.
            parts = [(city.city, city.db, city.router, city.here.wake.set) for city in on_discord]
            self.discord = discord_bot_for(self.settings, parts)
            for city, served in zip(on_discord, self.discord.cities, strict=True):
                city.deliveries["discord"] = served.delivery
                city.translators["discord"] = self.discord.translator
            self.tasks.append(asyncio.create_task(self.discord.run(), name="discord"))
            log.info("Discord is on for %s", ", ".join(city.id for city in on_discord))
        else:
            log.info("Discord is off (DISCORD_BOT_TOKEN not set)")
        for city in self.cities.values():
            city.outbox.limits.update({p: d.limits for p, d in city.deliveries.items()})
        if self.use_queue_process:
            await self._start_queue_process()
        for city in self.cities.values():
            if self.run_workers:
                self.tasks += city.run_workers(self.stop_event)
        if self.run_scheduler:
            self.scheduler = build_scheduler(self.settings.tz)
            for city in self.cities.values():
                schedule_jobs(
                    self.scheduler, city.db, city.jobs, city.site, city.outbox.write, after_run=city.wake_senders
                )
            self.scheduler.start()
        # Everything built so far (libraries, models, clients) lives as long as the process: keep it out of the
        # cyclic GC's full passes, which otherwise scan it all and stall the loop for tens of milliseconds.
        gc.collect()
        gc.freeze()

    async def _start_queue_process(self) -> None:
        cities = self.cities
        process = QueueProcess(
            self.settings,
            {city.id: dict(city.outbox.limits) for city in cities.values()},
            lambda city_id: cities[city_id].sender.wake.set(),
            tell_sent=frozenset(c.id for c in cities.values() if set(c.deliveries) - ELSEWHERE),
            sqlite_cities=frozenset(c.id for c in cities.values() if c.db is not None and c.db.is_sqlite),
            sender_options=self.sender_options,
        )
        await process.start()
        self.queue_process = process
        for city in cities.values():
            city.here.elsewhere = city.sender.elsewhere = ELSEWHERE
            city.worker = Elsewhere(lambda city_id=city.id: process.wake_inbox(city_id))

    def give_way_to_acks(self, writers: dict[str, Any]) -> None:
        """On SQLite, the queue process lets each webhook write through before its next event (see queue_process)."""
        if self.queue_process is not None:
            for city_id, writer in writers.items():
                writer.on_busy = self.queue_process.busy(city_id)

    async def stop(self) -> None:
        self.stop_event.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        if self.discord is not None:
            await self.discord.close()
        if self.queue_process is not None:
            await self.queue_process.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for city in self.cities.values():
            await city.stop()


def create_app(settings: Settings, **runtime_options: Any) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    runtime = Runtime(settings, **runtime_options)
    app[RUNTIME] = runtime

    async def lifecycle(_app: web.Application) -> Any:
        await runtime.start()
        yield
        await runtime.stop()

    app.cleanup_ctx.append(lifecycle)
    routes.add_routes(app, runtime)

    async def give_way(_app: web.Application) -> None:  # after add_routes' startup, which makes the writers
        runtime.give_way_to_acks(app[routes.INBOX_WRITERS])

    app.on_startup.append(give_way)
    add_rate_limit(app, settings)  # public pages only: a loop of requests must not fill the engagement log
    return app
