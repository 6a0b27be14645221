"""The circles directory on the web: GET /circles (子育てサークル first), readable on a phone. Who submitted a circle
is never shown; a circle without a link is reached through the bot (/circles, 「連絡する」)."""

from __future__ import annotations

from aiohttp import web

from community import circles
from community.texts import t
from handlers.web import WebRoute, page, services


async def circles_page(request: web.Request) -> web.Response:
    found = services(request)
    rows = await found.db.run(circles.listed)
    return page(
        "circles/index.html",
        noindex=False,
        city=found.site.city.name,
        rows=rows,
        categories={c: t("ja", f"circle.category.{c}") for c in circles.CATEGORIES},
        line_url=found.site.city.community.line_url,
    )


async def circles_other(request: web.Request) -> web.Response:
    raise web.HTTPNotFound(text=page("areas/not_found.html").text, content_type="text/html")


ROUTES: tuple[WebRoute, ...] = tuple(
    WebRoute(method, path, handler)
    for path, handler in (("/circles", circles_page), (r"/circles/{tail:[\s\S]*}", circles_other))
    for method in ("GET", "HEAD")
)
