"""The dashboard's downloads (issue 15): GET /dashboard/export lists them, GET /dashboard/export/<kind>.<csv|json>
[?fy=YYYY] downloads one (`events-opendata` for the standard open dataset form). For a staff session (the dashboard's
cookie) or the staff API token; every download (not a HEAD) is in the audit log."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from community import dashboard, exports, kpi
from community.texts import t
from handlers.kpi.web import SESSION_COOKIE
from handlers.web import WebRoute, bearer_ok, page, services
from storage.db import utcnow

FY_RANGE = range(2000, 2101)
NAMES = (*exports.KINDS, exports.OPENDATA)


async def _caller(request: web.Request) -> tuple[int | None, str] | None:
    """(member id, how) for the API token or a staff session; None for anyone else."""
    found = services(request)
    if bearer_ok(request, found.staff_api_token):
        return None, "token"
    member_id = await found.db.run(
        dashboard.check_token, request.cookies.get(SESSION_COOKIE), utcnow(), dashboard.SESSION
    )
    return (member_id, "dashboard") if member_id is not None else None


def _fiscal_year(request: web.Request) -> int | bool | None:
    """?fy=2026, None without one (everything), False for anything else."""
    text = request.query.get("fy", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) not in FY_RANGE:
        return False
    return int(text)


async def export_page(request: web.Request) -> web.Response:
    if await _caller(request) is None:
        return page("kpi/login_needed.html", status=401)
    site = services(request).site
    current = kpi.current_fiscal_year(site)
    kinds = [(name, t("ja", f"export.kind.{name}")) for name in NAMES]
    return page("exports/export.html", kinds=kinds, years=[current, current - 1], now=datetime.now(site.tz))


async def download(request: web.Request) -> web.StreamResponse:
    caller = await _caller(request)
    if caller is None:
        return page("kpi/login_needed.html", status=401)
    name, fmt = request.match_info["name"], request.match_info["fmt"]
    fiscal_year = _fiscal_year(request)
    if name not in NAMES or fmt not in exports.FORMATS or fiscal_year is False:
        raise web.HTTPNotFound()
    found = services(request)
    member_id, via = caller
    year = fiscal_year if isinstance(fiscal_year, int) else None
    done = await found.db.run(exports.export, found.site, name, year, fmt, member_id, via, request.method == "GET")
    return web.Response(
        body=done.body,
        headers={"Content-Type": done.content_type, "Content-Disposition": f'attachment; filename="{done.filename}"'},
    )


ROUTES: tuple[WebRoute, ...] = (
    WebRoute("GET", "/dashboard/export", export_page),
    WebRoute("HEAD", "/dashboard/export", export_page),
    WebRoute("GET", r"/dashboard/export/{name:[a-z-]{1,20}}.{fmt:[a-z]{3,4}}", download),
    WebRoute("HEAD", r"/dashboard/export/{name:[a-z-]{1,20}}.{fmt:[a-z]{3,4}}", download),
)
