"""An occasion's public addresses: its landing page (GET /o/<code>: the friend-add link and the link that opens the
chat with the code typed in; a visit is counted with the device family only, never an address or a cookie) and its
QR images (/o/<code>/qr.png and qr.svg for print, card.png at most 1024 px for chat cards)."""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from community import childcare, occasions, qr
from handlers.web import page, readable, services
from storage.db import utcnow
from storage.models.occasions import Occasion

log = logging.getLogger(__name__)

IMAGES = {"qr.png": "image/png", "qr.svg": "image/svg+xml", "card.png": "image/png"}


def not_found() -> web.HTTPNotFound:
    return web.HTTPNotFound(text=page("occasions/not_found.html").text, content_type="text/html")


async def landing(request: web.Request) -> web.Response:
    found = services(request)
    code = request.match_info["code"]
    try:
        if request.method == "GET":  # HEAD (link checkers) is not a visit
            device = childcare.device_family(request.headers.get("User-Agent"))
            occasion = await found.db.run(occasions.record_scan, code, utcnow(), device)
        else:
            occasion = await found.db.run(occasions.find, code)
    except SQLAlchemyError as exc:
        log.error("occasion page not counted: %s", str(exc)[:200])
        occasion = await found.db.run(occasions.find, code)
    if occasion is None:
        raise not_found()
    site = found.site
    return page(
        "occasions/landing.html",
        city=site.city.name,
        bot=site.city.bot_name,
        occasion=occasion,
        friend_url=occasions.friend_url(site),
        message_url=occasions.message_url(site, occasion),
        message=occasions.signup_message(occasion),
    )


async def image(request: web.Request) -> web.Response:
    found = services(request)
    occasion: Occasion | None = await found.db.run(occasions.find, request.match_info["code"])
    content_type = IMAGES.get(request.match_info["image"])
    if occasion is None or content_type is None:
        raise not_found()
    url = found.site.public_url(occasions.landing_path(occasion))
    name = request.match_info["image"]
    body = qr.card_png(url) if name == "card.png" else qr.png(url) if name == "qr.png" else qr.svg(url)
    return web.Response(body=body, content_type=content_type, headers={"Cache-Control": "public, max-age=86400"})


async def other(request: web.Request) -> web.Response:
    raise not_found()


ROUTES = readable(("/o/{code}", landing), ("/o/{code}/{image}", image), (r"/o/{tail:[\s\S]*}", other))
