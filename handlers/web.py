"""What a feature's web pages are given, and how they answer: a narrow set of services (not the Runtime), Jinja2
templates with autoescaping and one shared layout, and the headers every page sends.

A feature lists its routes as `WebRoute`s in its FEATURE; bot/web mounts them. Templates live in
`handlers/templates/` (shared: layout.html, error.html) and `handlers/<feature>/templates/`, named
"<feature>/<file>.html".
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import jinja2
from aiohttp import web

from community.city import RegionConfig, Site
from storage.db import Database

HANDLERS = Path(__file__).parent


class WebServices(Protocol):
    """What the process gives web pages."""

    @property
    def db(self) -> Database: ...

    @property
    def site(self) -> Site: ...

    @property
    def staff_api_token(self) -> str | None: ...


SERVICES: web.AppKey[WebServices] = web.AppKey("services")


def services(request: web.Request) -> WebServices:
    return request.app[SERVICES]


@dataclass(frozen=True)
class RegionAccess:
    """A region (広域) as the KPI API sees it: its file, and the token that reads its and its cities' KPIs."""

    config: RegionConfig
    staff_api_token: str | None


class CityDirectory(Protocol):
    """The other cities and the regions of this process, for the one page that reads across cities (the KPI API's
    ?city= and ?region=). A city is its WebServices, nothing more of the process."""

    def city(self, city_id: str) -> WebServices | None: ...

    def region(self, region_id: str) -> RegionAccess | None: ...

    def regions_of(self, city_id: str) -> tuple[RegionAccess, ...]: ...


DIRECTORY: web.AppKey[CityDirectory] = web.AppKey("directory")


def directory(request: web.Request) -> CityDirectory | None:
    """The process's directory of cities (on the root application, so a city's sub-application finds it too)."""
    return request.config_dict.get(DIRECTORY)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class WebRoute:
    method: str  # GET, POST, ...
    path: str  # aiohttp route pattern
    handler: Handler


@cache
def templates() -> jinja2.Environment:
    features = {
        folder.parent.name: jinja2.FileSystemLoader(folder)
        for folder in sorted(HANDLERS.glob("*/templates"))
        if folder.is_dir()
    }
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(HANDLERS / "templates"), jinja2.PrefixLoader(features)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **values: Any) -> str:
    return templates().get_template(template).render(**values)


def page(template: str, *, status: int = 200, headers: dict[str, str] | None = None, **values: Any) -> web.Response:
    """An HTML page from a template; pages are per person or change often, so none is cached by default."""
    return web.Response(
        text=render(template, **values),
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def readable(*routes: tuple[str, Handler]) -> tuple[WebRoute, ...]:
    """A HEAD and a GET route for each (path, handler), in the order given: HEAD is answered like GET, as aiohttp's
    add_get mounts them."""
    return tuple(WebRoute(method, path, handler) for path, handler in routes for method in ("HEAD", "GET"))


async def directory_other(request: web.Request) -> web.Response:
    """Any other path under a public directory (circles, listings): the 区 directory's 404 page."""
    raise web.HTTPNotFound(text=page("areas/not_found.html").text, content_type="text/html")


def bearer_ok(request: web.Request, token: str | None) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time; never true while no token is configured."""
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
