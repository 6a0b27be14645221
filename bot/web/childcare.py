"""HTTP routes for childcare: the tracked QR images (/qr/<id>.png|.svg) and the tracked link (/go/<id>).

A scan keeps the touchpoint, the time and the device family from the User-Agent: no IP address, no cookie.
Only touchpoint ids from the city config are served, and /go only ever redirects to the configured [app] URLs.
"""
from __future__ import annotations

import html
import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from community import childcare
from storage.db import utcnow

log = logging.getLogger(__name__)

_IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}


def _runtime(request: web.Request):
    from bot.web.keys import RUNTIME

    return request.app[RUNTIME]


def _not_found(site) -> web.Response:
    app = site.city.app
    name = html.escape(app.name)
    web_url = app.web_url
    link = f'<p><a href="{html.escape(str(web_url), quote=True)}">{name}の案内ページへ</a></p>' if web_url else ""
    body = (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>ページが見つかりません</title></head><body>"
        "<h1>ページが見つかりません</h1>"
        "<p>このQRコードまたはリンクは使われていません。お手数ですが、窓口の職員にお声がけください。</p>"
        f"{link}</body></html>"
    )
    return web.Response(status=404, text=body, content_type="text/html", charset="utf-8")


async def qr_image(request: web.Request) -> web.Response:
    settings = _runtime(request).site
    name = request.match_info["name"]
    stem, dot, suffix = name.rpartition(".")
    touchpoint = settings.city.touchpoint(stem) if dot else None
    content_type = _IMAGE_TYPES.get("." + suffix)
    if touchpoint is None or content_type is None:
        return _not_found(settings)
    url = childcare.tracked_url(settings, touchpoint.id)
    body = childcare.qr_png(url) if suffix == "png" else childcare.qr_svg(url)
    return web.Response(body=body, content_type=content_type, headers={"Cache-Control": "public, max-age=86400"})


async def go(request: web.Request) -> web.Response:
    runtime = _runtime(request)
    settings = runtime.site
    touchpoint = settings.city.touchpoint(request.match_info["touchpoint"])
    if touchpoint is None:
        return _not_found(settings)
    device = childcare.device_family(request.headers.get("User-Agent"))
    target = childcare.app_url(settings.city, device)
    if request.method == "GET":  # HEAD (link checkers) is not a scan
        try:
            await runtime.db.run(childcare.record_scan, touchpoint.id, utcnow(), device)
        except SQLAlchemyError as exc:
            # The parent still gets the app; only the count is lost.
            log.error("could not record a QR scan for %s: %s", touchpoint.id, str(exc)[:200])
    raise web.HTTPFound(target, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def add_routes(app: web.Application) -> None:
    # Catch-all patterns ([\s\S]: a decoded %0a too) so every unknown or tricky path under /qr and /go gets the
    # Japanese 404 page.
    app.router.add_get(r"/qr/{name:[\s\S]*}", qr_image)
    app.router.add_get(r"/go/{touchpoint:[\s\S]*}", go)
