"""The public, read-only web board: GET /board and GET /board/thread/<id>. Mobile-first HTML from templates (every
user text escaped by Jinja2), each page inviting the reader to join on LINE or Discord. Ids and pages are plain
integers; anything else under /board is a 404 page in Japanese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from sqlmodel import Session

from community import board, board_views, events
from community.board import CommunityConfig
from community.board_views import PostView
from handlers.web import readable, render, services
from storage.db import as_utc
from storage.models.community import BoardThread

THREADS_PER_PAGE = 20
UPCOMING_EVENTS = 5  # the next events, on the board's first page (each links to its page under /events)
POSTS_PER_PAGE = 30
MAX_PAGE = 10_000


def _html(template: str, status: int = 200, **values: object) -> web.Response:
    # The board's pages carried no caching header before they moved to templates; they still do not.
    return web.Response(text=render(template, **values), status=status, content_type="text/html", charset="utf-8")


def _not_found(missing: str = "page") -> web.HTTPNotFound:
    """missing: "page" or "thread" (which sentence the page says)."""
    return web.HTTPNotFound(text=render("board/not_found.html", missing=missing), content_type="text/html")


def _number(text: str | None, default: int | None = None) -> int:
    """A positive integer in plain ASCII digits, or a 404 (no signs, no spaces, no full-width digits)."""
    if text is None and default is not None:
        return default
    if not text or not (text.isascii() and text.isdigit()) or len(text) > 9 or not 1 <= int(text) <= MAX_PAGE * 100:
        raise _not_found()
    return int(text)


def _formatter(request: web.Request) -> Callable[[datetime], str]:
    tz = services(request).site.tz
    return lambda moment: as_utc(moment).astimezone(tz).strftime("%Y/%m/%d %H:%M")


async def board_index(request: web.Request) -> web.Response:
    found = services(request)
    cfg = CommunityConfig.from_city(found.site.city)
    page = _number(request.query.get("page"), 1)
    threads, total = await found.db.run(board_views.recent_threads, page, THREADS_PER_PAGE)
    last = board.pages(total, THREADS_PER_PAGE)
    if page > last:
        raise _not_found()
    now = datetime.now(found.site.tz)
    upcoming = await found.db.run(events.upcoming_events, now, UPCOMING_EVENTS) if page == 1 else []
    return _html(
        "board/index.html",
        cfg=cfg,
        city=found.site.city.name,
        events=[(e.code, e.title, events.format_when(e.starts_at, found.site.tz)) for e in upcoming],
        threads=threads,
        page=page,
        last=last,
        base="/board",
        when=_formatter(request),
    )


async def board_thread(request: web.Request) -> web.Response:
    found = services(request)
    cfg = CommunityConfig.from_city(found.site.city)
    thread_id = _number(request.match_info["thread_id"])
    page = _number(request.query.get("page"), 1)

    def read(session: Session) -> tuple[BoardThread | None, list[PostView], int]:
        thread = session.get(BoardThread, thread_id)
        if thread is None or thread.hidden_at is not None:  # a thread staff hid is no page
            return None, [], 0
        posts, total = board_views.thread_posts(session, cfg, thread_id, page, POSTS_PER_PAGE)
        return thread, posts, total

    thread, posts, total = await found.db.run(read)
    if thread is None:
        raise _not_found("thread")
    last = board.pages(total, POSTS_PER_PAGE)
    if page > last:
        raise _not_found()
    return _html(
        "board/thread.html",
        cfg=cfg,
        city=found.site.city.name,
        thread=thread,
        posts=posts,
        page=page,
        last=last,
        base=f"/board/thread/{thread_id}",
        when=_formatter(request),
    )


async def board_other(request: web.Request) -> web.Response:
    raise _not_found()


# The catch-all ([\s\S]: a decoded %0a too) comes last, so
# every unknown or tricky path under /board gets the Japanese 404 page.
ROUTES = readable(
    ("/board", board_index),
    ("/board/thread/{thread_id}", board_thread),
    (r"/board/{tail:[\s\S]*}", board_other),
)
