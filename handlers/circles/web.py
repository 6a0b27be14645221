"""The circles directory on the web: GET /circles (子育てサークル first), readable on a phone. Who submitted a circle
is never shown; a circle without a link is reached through the bot (/circles, 「連絡する」)."""

from __future__ import annotations

from aiohttp import web

from community import circles
from community.texts import t
from handlers.web import directory_other, page, readable, services


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


ROUTES = readable(("/circles", circles_page), (r"/circles/{tail:[\s\S]*}", directory_other))
