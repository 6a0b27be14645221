"""The events' public pages: the upcoming events (/events) with a page each (/events/<code>), the calendar feed
(/events.ics, RFC 5545), the check-in page the event's QR code opens (/events/<code>/checkin; a POST records an
anonymous visit) and the print-ready QR code itself (/qr/event/<code>.png or .svg).

Pages show what the public may know of an event (title, time, place, its public code), never the bind code, who
registered or who came. A check-in keeps the device family only: no IP address, no cookie.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from community import childcare, qr
from community import event_calendar as calendar
from community import event_checkin as checkin
from community import event_registration as reg
from community import events as ev
from community.board import CommunityConfig
from community.city import Site
from community.problems import Problem
from handlers.web import WebRoute, page, readable, render, services
from storage.db import utcnow
from storage.models.events import Event

UPCOMING_LIMIT = 50
IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def not_found() -> web.HTTPNotFound:
    return web.HTTPNotFound(text=render("events/not_found.html"), content_type="text/html")


def _event(session: Session, code: str) -> Event | None:
    normal = ev.normalise_code(code)
    return ev.find_event(session, normal) if normal and normal == code.upper() else None


async def find(request: web.Request) -> Event:
    code = request.match_info["code"]
    event = await services(request).db.run(_event, code)
    if event is None:
        raise not_found()
    return event


def _view(site: Site, event: Event, now: datetime, places_left: int | None = None) -> dict[str, object]:
    return {
        "code": event.code,
        "title": event.title,
        "when": ev.format_when(event.starts_at, site.tz),
        "place": event.location,
        "state": ev.event_state(event, now, site.city.events.duration_hours),
        "capacity": event.capacity,
        "places_left": places_left,
    }


def _page(template: str, site: Site, **values: Any) -> web.Response:
    """A public page with the board's look: its invitation to join on LINE or Discord, the city's name."""
    return page(template, cfg=CommunityConfig.from_city(site.city), city=site.city.name, **values)


async def events_index(request: web.Request) -> web.Response:
    found = services(request)
    now = utcnow()
    upcoming = await found.db.run(lambda session: ev.upcoming_events(session, now, UPCOMING_LIMIT))
    views = [_view(found.site, event, now) for event in upcoming]
    return _page("events/index.html", found.site, events=views)


async def event_page(request: web.Request) -> web.Response:
    found = services(request)
    event = await find(request)
    counts = await found.db.run(reg.counts, event)
    left = max(0, event.capacity - counts.registered) if event.capacity is not None else None
    view = _view(found.site, event, utcnow(), left)
    return _page("events/event.html", found.site, event=view)


async def events_ics(request: web.Request) -> web.Response:
    found = services(request)
    now = utcnow()
    events = await found.db.run(calendar.feed_events, now)
    body = calendar.calendar(found.site, events, now)
    return web.Response(
        body=body.encode("utf-8"),
        content_type="text/calendar",
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=900", "Content-Disposition": 'inline; filename="events.ics"'},
    )


async def checkin_page(request: web.Request) -> web.Response:
    found = services(request)
    event = await find(request)
    now = utcnow()
    hours = found.site.city.events.duration_hours
    state = checkin.window_state(event, now, hours)
    recorded = False
    if request.method == "POST" and state == checkin.OPEN:
        device = childcare.device_family(request.headers.get("User-Agent"))
        try:
            await found.db.run(lambda session: checkin.record_visit(session, event, device, now, hours))
            recorded = True
        except (Problem, SQLAlchemyError):  # the window closed meanwhile, or the count is lost: say nothing more
            recorded = False
    return _page(
        "events/checkin.html",
        found.site,
        event=_view(found.site, event, now),
        window=state,
        recorded=recorded,
        line_link=checkin.line_checkin_link(found.site, event.code),
    )


async def qr_image(request: web.Request) -> web.Response:
    stem, dot, suffix = request.match_info["name"].rpartition(".")
    content_type = IMAGE_TYPES.get(suffix)
    event = await services(request).db.run(_event, stem) if dot and content_type else None
    if event is None or content_type is None:
        raise not_found()
    url = checkin.checkin_url(services(request).site, event.code)
    body = qr.png(url) if suffix == "png" else qr.svg(url)
    return web.Response(body=body, content_type=content_type, headers={"Cache-Control": "public, max-age=86400"})


async def other(request: web.Request) -> web.Response:
    raise not_found()


# /qr/event/... is mounted before the childcare feature's catch-all /qr/{name} (the events feature comes first).
ROUTES: tuple[WebRoute, ...] = (
    *readable(
        ("/events", events_index),
        ("/events.ics", events_ics),
        ("/events/{code}", event_page),
        ("/events/{code}/checkin", checkin_page),
    ),
    WebRoute("POST", "/events/{code}/checkin", checkin_page),
    *readable((r"/events/{tail:[\s\S]*}", other), (r"/qr/event/{name:[\s\S]*}", qr_image)),
)
