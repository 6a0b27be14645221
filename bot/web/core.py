"""The aiohttp application's routes: the LINE webhook of each city, the health check, and every city's pages (its
features' Feature.web). The first city's pages are at the root, as a one-city deployment always had them; another
city's are mounted under the path of its public address (https://host/kashima/board) or, on a host of its own, by
host name. The headers every answer carries and the public pages' rate limit are middlewares."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import web

from bot.line.webhook import LINE_WEBHOOKS, LineWebhook, callback
from bot.queues.inbox import InboxWriter
from bot.web.health import healthz
from bot.web.keys import RUNTIME
from bot.web.security import add_security_headers
from handlers.web import DIRECTORY, SERVICES, RegionAccess, WebServices

if TYPE_CHECKING:
    from bot.app import CityRuntime, Runtime

INBOX_WRITERS = web.AppKey("inbox_writers", dict)


async def _start_inbox_writers(app: web.Application) -> None:
    # Runs after the Runtime's start (cleanup contexts start first), so the databases are open.
    runtime = app[RUNTIME]
    writers, webhooks = app[INBOX_WRITERS], app[LINE_WEBHOOKS]
    for city in runtime.cities.values():
        writer = writers[city.id] = InboxWriter(city.db)
        city.worker.give_way = writer.quiet  # acknowledge fast, work later
        if city.line_validator is not None:
            webhooks[city.id] = LineWebhook(city.line_validator, writer.store, city.worker.wake.set)
    if runtime.default.id in webhooks:
        webhooks[""] = webhooks[runtime.default.id]  # POST /callback/line: the first city's channel


class RuntimeDirectory:
    """handlers.web.CityDirectory over the Runtime: each city's web services, and the regions whose member cities
    all run here, with their staff tokens."""

    def __init__(self, runtime: Runtime):
        self._runtime = runtime

    def city(self, city_id: str) -> WebServices | None:
        return self._runtime.cities.get(city_id)

    def region(self, region_id: str) -> RegionAccess | None:
        settings = self._runtime.settings
        found = next((r for r in settings.regions if r.id == region_id), None)
        if found is None or any(c not in self._runtime.cities for c in found.info.cities):
            return None
        return RegionAccess(found, settings.region_staff_token(region_id))

    def regions_of(self, city_id: str) -> tuple[RegionAccess, ...]:
        found = (self.region(r.id) for r in self._runtime.settings.regions if city_id in r.info.cities)
        return tuple(region for region in found if region is not None)


def _mount(app: web.Application, city: CityRuntime) -> None:
    for feature in city.features:
        for route in feature.web:
            app.router.add_route(route.method, route.path, route.handler)


def add_routes(app: web.Application, runtime: Runtime) -> None:
    add_security_headers(app)
    app[INBOX_WRITERS], app[LINE_WEBHOOKS] = {}, {}
    app.on_startup.append(_start_inbox_writers)
    app.router.add_post("/callback/line", callback)
    app.router.add_post("/callback/line/{city}", callback)
    app.router.add_get("/healthz", healthz)
    app[SERVICES] = runtime.default
    app[DIRECTORY] = RuntimeDirectory(runtime)
    _mount(app, runtime.default)
    default = urlsplit(runtime.default.site.public_base_url)
    for city in list(runtime.cities.values())[1:]:
        sub = web.Application()
        sub[SERVICES] = city
        _mount(sub, city)
        address = urlsplit(city.site.public_base_url)
        prefix = address.path.rstrip("/")
        if prefix:
            app.add_subapp(prefix, sub)
        elif address.hostname and address.hostname != default.hostname:
            app.add_domain(address.hostname, sub)
        else:
            raise ValueError(f"city {city.id}: give its public_base_url a path or a host of its own")
