"""The open 貸畑 and 空き家 listings on the web: GET /listings, readable on a phone. A listing names its 地区, never an
address; who owns it is never shown (people write to the owner through the bot's 「問い合わせ」)."""

from __future__ import annotations

from aiohttp import web
from sqlmodel import Session

from community import listings
from community.texts import t
from handlers.web import directory_other, page, readable, services
from storage.db import utcnow
from storage.models.listings import Listing


async def listings_page(request: web.Request) -> web.Response:
    found = services(request)
    now = utcnow()

    def read(session: Session) -> list[Listing]:
        return listings.open_listings(session, now)

    rows = await found.db.run(read)
    kinds = {kind: t("ja", f"listing.kind.{kind}") for kind in listings.KINDS}
    tz = found.site.tz
    return page(
        "listings/index.html",
        noindex=False,
        city=found.site.city.name,
        rows=rows,
        kinds=kinds,
        until=lambda listing: listing.expires_at.astimezone(tz).strftime("%Y/%m/%d") if listing.expires_at else "",
        line_url=found.site.city.community.line_url,
    )


ROUTES = readable(("/listings", listings_page), (r"/listings/{tail:[\s\S]*}", directory_other))
