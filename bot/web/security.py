"""Headers every answer carries: no sniffing, no framing, a strict content policy for pages (no scripts, nothing from
elsewhere), no caching of staff data, and a Server header that names no versions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

PAGE_POLICY = (
    "default-src 'none'; img-src 'self' data: https:; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'"
PRIVATE_PREFIXES = ("/api/", "/dashboard", "/healthz")


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:  # redirects and errors carry the headers too
        _apply(request, exc)
        raise
    _apply(request, response)
    return response


def _apply(request: web.Request, response: web.StreamResponse) -> None:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    is_page = (response.content_type or "").startswith("text/html")
    headers.setdefault("Content-Security-Policy", PAGE_POLICY if is_page else OTHER_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith(PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"


async def plain_server_header(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "tsunagaru"


def add_security_headers(app: web.Application) -> None:
    app.middlewares.append(security_headers)
    app.on_response_prepare.append(plain_server_header)
