"""The childcare app's public addresses: the tracked QR images (/qr/<id>.png|.svg for print, /qr/card/<id>.png at
most 1024 px for chat cards) and the tracked link (/go/<id>).

A scan keeps the touchpoint, the time and the device family from the User-Agent: no IP address, no cookie.
Only touchpoint ids from the city config are served, and /go only ever redirects to the configured [app] URLs.
"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from community import childcare, qr
from community.city import Site
from handlers.web import readable, render, services
from storage.db import utcnow

log = logging.getLogger(__name__)

IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
CARD_PREFIX = "card/"  # /qr/card/<id>.png: the size a LINE Flex message may show


def not_found(site: Site) -> web.Response:
    """The Japanese page for a code or link that is not in use (no caching header: as it always was)."""
    app = site.city.app
    body = render("childcare/not_found.html", app_name=app.name, web_url=str(app.web_url or ""))
    return web.Response(status=404, text=body, content_type="text/html", charset="utf-8")


async def qr_image(request: web.Request) -> web.Response:
    site = services(request).site
    name = request.match_info["name"]
    card = name.startswith(CARD_PREFIX)
    stem, dot, suffix = name.removeprefix(CARD_PREFIX).rpartition(".")
    touchpoint = site.city.touchpoint(stem) if dot else None
    content_type = IMAGE_TYPES.get(suffix)
    if touchpoint is None or content_type is None or (card and suffix != "png"):
        return not_found(site)
    url = childcare.tracked_url(site, touchpoint.id)
    body = qr.card_png(url) if card else qr.png(url) if suffix == "png" else qr.svg(url)
    return web.Response(body=body, content_type=content_type, headers={"Cache-Control": "public, max-age=86400"})


async def go(request: web.Request) -> web.Response:
    found = services(request)
    touchpoint = found.site.city.touchpoint(request.match_info["touchpoint"])
    if touchpoint is None:
        return not_found(found.site)
    device = childcare.device_family(request.headers.get("User-Agent"))
    target = childcare.app_url(found.site.city, device)
    if request.method == "GET":  # HEAD (link checkers) is not a scan
        try:
            await found.db.run(childcare.record_scan, touchpoint.id, utcnow(), device)
        except SQLAlchemyError as exc:
            # The parent still gets the app; only the count is lost.
            log.error("could not record a QR scan for %s: %s", touchpoint.id, str(exc)[:200])
    raise web.HTTPFound(target, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


# Catch-all patterns ([\s\S]: a decoded %0a too), so every unknown or tricky path under /qr and /go gets the Japanese
# 404 page. A HEAD counts no scan.
ROUTES = readable((r"/qr/{name:[\s\S]*}", qr_image), (r"/go/{touchpoint:[\s\S]*}", go))
