"""HTTP routes of referrals and KPIs: referral redirects (/r/<code>), the KPI API (JSON and CSV), the weekly chart and
the staff dashboard.

/api/* needs `Authorization: Bearer STAFF_API_TOKEN` (404 while the token is unset). `?city=ID` reads another city of
this process with that city's token; `?region=ID` a region's (広域) KPIs, summed over its member cities with each
city's report beside, with the region's token, which also reads each member city's KPIs and nothing else (no
dashboard, no chart, no personal data). The dashboard also accepts a
session cookie that a one-time link from the bot's /dashboard command gives. /r/ is public; /charts/ answers only
with the signature the digest and the dashboard put in its address, or the bearer token (handlers/kpi/chart.py).
Every CSV download is in the audit log (who, which year, through the API or the dashboard); the JSON that monitoring
reads is not an export and is not logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from community import audit, dashboard, kpi, referrals, region_kpi
from community.city import RegionConfig, Site
from community.problems import Problem
from community.texts import t
from handlers.kpi.chart import weekly_chart
from handlers.kpi.views import dashboard_view
from handlers.web import (
    CityDirectory,
    RegionAccess,
    WebRoute,
    WebServices,
    bearer_ok,
    directory,
    page,
    services,
)
from storage.db import utcnow

log = logging.getLogger(__name__)

SESSION_COOKIE = "tsunagaru_staff"
FY_RANGE = range(2000, 2101)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json_error(key: str, status: int, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": t("en", key)}, status=status, headers=headers)


# ---- referral redirect ----------------------------------------------------------------------------------------


async def referral_redirect(request: web.Request) -> web.StreamResponse:
    """Count the click and send the browser to the configured donation page, whatever the path holds."""
    found = services(request)
    site = found.site
    if not site.city.donation.url:
        return page("kpi/donation_unset.html", status=404)
    code = request.match_info.get("code", "").strip().lower()
    if request.method == "HEAD":  # link checkers and previews, not a person: nothing to count
        raise web.HTTPFound(referrals.donation_page(site))
    try:
        location = await found.db.run(referrals.record_click, site, code, utcnow())
    except SQLAlchemyError as exc:
        # The donor matters more than the count: redirect anyway, without a code we could not check.
        log.error("referral click not recorded: %s", str(exc)[:200])
        location = referrals.donation_page(site)
    raise web.HTTPFound(location, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


# ---- who may see the KPIs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffCaller:
    """Who is asking: a staff member by their dashboard session, or whoever holds the API token (member None)."""

    member_id: int | None
    via: str  # "token" or "dashboard": how the audit log names the way in


API_TOKEN = StaffCaller(None, "token")


def _api_refusal(request: web.Request) -> web.Response | None:
    token = services(request).staff_api_token
    if not token:
        return _json_error("kpi.api.disabled", 404)
    if not bearer_ok(request, token):
        return _json_error("kpi.api.unauthorized", 401, {"WWW-Authenticate": 'Bearer realm="tsunagaru"'})
    return None


async def _staff_caller(request: web.Request) -> StaffCaller | None:
    """The dashboard's check: the API token, or a session cookie from a one-time link; None for anyone else."""
    found = services(request)
    if bearer_ok(request, found.staff_api_token):
        return API_TOKEN
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    member_id = await found.db.run(dashboard.check_token, cookie, utcnow(), dashboard.SESSION)
    return StaffCaller(member_id, "dashboard") if member_id is not None else None


def _login_needed() -> web.Response:
    return page("kpi/login_needed.html", status=401)


# ---- KPI API ------------------------------------------------------------------------------------------------------


def _fiscal_year(request: web.Request) -> int:
    """?fy=2026, or this fiscal year without one."""
    text = request.query.get("fy")
    if not text:
        return kpi.current_fiscal_year(services(request).site)
    # ASCII digits only: str.isdigit() also takes "²²²²", which int() then refuses.
    if not (text.isascii() and text.isdigit()) or int(text) not in FY_RANGE:
        raise Problem("kpi.api.bad_fy")
    return int(text)


@dataclass(frozen=True)
class KpiScope:
    """What a KPI request reads, once its token is checked: one city, or a region's member cities."""

    cities: tuple[WebServices, ...]
    region: RegionConfig | None
    caller: StaffCaller


def _scope(request: web.Request) -> KpiScope | web.Response:
    """The city of the address (or ?city=ID) or a region (?region=ID), and the token that may read it: a city's own
    staff token reads that city only; a region's token reads the region and its member cities, nothing else."""
    city_id, region_id = request.query.get("city"), request.query.get("region")
    cities = directory(request)
    if city_id is not None and region_id is not None:
        return _json_error("kpi.api.city_or_region", 400)
    if region_id is not None:
        region = cities.region(region_id) if cities is not None else None
        if region is None:
            return _json_error("kpi.api.no_such_region", 404)
        members = tuple(found for c in region.config.info.cities if (found := _city(cities, c)) is not None)
        caller = _caller(request, [(region.staff_api_token, _region_caller(region))])
        return caller if isinstance(caller, web.Response) else KpiScope(members, region.config, caller)
    city = services(request) if city_id is None else _city(cities, city_id)
    if city is None:
        return _json_error("kpi.api.no_such_city", 404)
    regions = cities.regions_of(city.site.id) if cities is not None else ()
    caller = _caller(
        request, [(city.staff_api_token, API_TOKEN)] + [(r.staff_api_token, _region_caller(r)) for r in regions]
    )
    return caller if isinstance(caller, web.Response) else KpiScope((city,), None, caller)


def _city(cities: CityDirectory | None, city_id: str) -> WebServices | None:
    return cities.city(city_id) if cities is not None else None


def _region_caller(region: RegionAccess) -> StaffCaller:
    return StaffCaller(None, f"region:{region.config.id}")


def _caller(request: web.Request, tokens: list[tuple[str | None, StaffCaller]]) -> StaffCaller | web.Response:
    """Who holds one of tokens (the bearer token); else 404 while none of them is configured, 401 otherwise."""
    if not any(token for token, _ in tokens):
        return _json_error("kpi.api.disabled", 404)
    for token, caller in tokens:
        if bearer_ok(request, token):
            return caller
    return _json_error("kpi.api.unauthorized", 401, {"WWW-Authenticate": 'Bearer realm="tsunagaru"'})


async def _region_report(scope: KpiScope, fiscal_year: int, logged: StaffCaller | None) -> region_kpi.RegionReport:
    """Each member city's report, read from its own database at the same time, and the region's sum of them."""
    assert scope.region is not None
    found = await asyncio.gather(*(city.db.run(_city_report, city.site, fiscal_year, logged) for city in scope.cities))
    reports = [region_kpi.CityReport(city.site, report) for city, report in zip(scope.cities, found, strict=True)]
    return region_kpi.region_report(scope.region, fiscal_year, reports)


def _city_report(session: Session, site: Site, fiscal_year: int, caller: StaffCaller | None) -> kpi.Report:
    """A city's report; when caller is given (a CSV download), its export in that city's audit log, in one
    transaction."""
    report = kpi.report(session, site, fiscal_year)
    if caller is not None:
        audit.record(session, caller.member_id, audit.EXPORT_KPI_CSV, f"fy:{fiscal_year}", f"via={caller.via}")
    return report


async def api_kpi(request: web.Request) -> web.Response:
    scope = _scope(request)
    if isinstance(scope, web.Response):
        return scope
    try:
        fiscal_year = _fiscal_year(request)
    except Problem as problem:
        return web.json_response({"error": problem.text("en")}, status=400)
    if scope.region is not None:
        text = region_kpi.report_json(await _region_report(scope, fiscal_year, None))
    else:
        [city] = scope.cities
        text = kpi.report_json(await city.db.run(kpi.report, city.site, fiscal_year))
    return web.Response(text=text, content_type="application/json", charset="utf-8")


async def api_kpi_csv(request: web.Request) -> web.Response:
    scope = _scope(request)
    if isinstance(scope, web.Response):
        return scope
    if scope.region is None:
        [city] = scope.cities
        return await _kpi_csv(request, scope.caller, city)
    try:
        fiscal_year = _fiscal_year(request)
    except Problem as problem:
        return web.json_response({"error": problem.text("en")}, status=400)
    logged = scope.caller if request.method == "GET" else None  # HEAD sends no data: nothing was exported
    body = region_kpi.csv_bytes(await _region_report(scope, fiscal_year, logged))
    return _csv_response(body, f"kpi-{scope.region.id}-{fiscal_year}.csv")


async def _kpi_csv(request: web.Request, caller: StaffCaller, city: WebServices | None = None) -> web.Response:
    """The fiscal year's KPIs as CSV (?fy=), for a caller already let in; a download (GET) is in the audit log."""
    found = city or services(request)
    try:
        fiscal_year = _fiscal_year(request)
    except Problem as problem:
        return web.json_response({"error": problem.text("en")}, status=400)
    logged = caller if request.method == "GET" else None  # HEAD sends no data: nothing was exported
    body = await found.db.run(_export_csv, found.site, fiscal_year, logged)
    return _csv_response(body, f"kpi-{fiscal_year}.csv")


def _csv_response(body: bytes, filename: str) -> web.Response:
    return web.Response(
        body=body,
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def _export_csv(session: Session, site: Site, fiscal_year: int, caller: StaffCaller | None) -> bytes:
    """The CSV, and its download in the audit log, in one transaction."""
    return kpi.csv_bytes(_city_report(session, site, fiscal_year, caller), site)


# ---- dashboard --------------------------------------------------------------------------------------------------


async def dashboard_page(request: web.Request) -> web.Response:
    if await _staff_caller(request) is None:
        return _login_needed()
    try:
        fiscal_year = _fiscal_year(request)
    except Problem:
        raise web.HTTPFound("/dashboard") from None
    found = services(request)
    view = await found.db.run(dashboard_view, found.site, fiscal_year, datetime.now(found.site.tz))
    return page("kpi/dashboard.html", view=view)


async def dashboard_csv(request: web.Request) -> web.Response:
    caller = await _staff_caller(request)
    if caller is None:
        return _login_needed()
    return await _kpi_csv(request, caller)


async def dashboard_login_form(request: web.Request) -> web.Response:
    # GET never spends the link: chat apps fetch links for previews. The button POSTs.
    return page("kpi/login.html")


async def dashboard_login(request: web.Request) -> web.Response:
    found = services(request)
    session_token = await found.db.run(dashboard.exchange_link, request.match_info["token"], utcnow())
    if session_token is None:
        return page("kpi/link_invalid.html", status=401)
    response = web.HTTPSeeOther("/dashboard")
    response.set_cookie(
        SESSION_COOKIE,
        session_token,
        max_age=dashboard.SESSION_HOURS * 3600,
        path="/dashboard",
        httponly=True,
        samesite="Lax",
        secure=found.site.public_base_url.startswith("https://"),
    )
    raise response


def _get(path: str, handler: Handler) -> tuple[WebRoute, WebRoute]:
    """A GET route and its HEAD, as aiohttp's add_get would mount them."""
    return WebRoute("GET", path, handler), WebRoute("HEAD", path, handler)


ROUTES: tuple[WebRoute, ...] = (
    *_get("/r", referral_redirect),
    *_get(r"/r/{code:[\s\S]*}", referral_redirect),
    *_get("/api/kpi", api_kpi),
    *_get("/api/kpi.csv", api_kpi_csv),
    *_get(r"/charts/weekly-{week:\d{4}-W\d{2}}.png", weekly_chart),
    *_get("/dashboard", dashboard_page),
    *_get("/dashboard/kpi.csv", dashboard_csv),
    *_get("/dashboard/login/{token}", dashboard_login_form),
    WebRoute("POST", "/dashboard/login/{token}", dashboard_login),
)
