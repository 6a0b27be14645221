"""The public, read-only web board: GET /board and GET /board/thread/<id>. Mobile-first HTML, every user text escaped,
each page inviting the reader to join on LINE or Discord. Ids and pages are plain integers; anything else is a 404."""
from __future__ import annotations

from html import escape

from aiohttp import web

from community import board
from community.board import CommunityConfig
from storage.db import as_utc
from storage.models.community import BoardThread

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 30
MAX_PAGE = 10_000


def _runtime(request: web.Request):
    from bot.web.keys import RUNTIME

    return request.app[RUNTIME]


def _number(text: str | None, default: int | None = None) -> int:
    """A positive integer in plain ASCII digits, or a 404 (no signs, no spaces, no full-width digits)."""
    if text is None and default is not None:
        return default
    if not text or not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1 or int(text) > MAX_PAGE * 100:
        raise _not_found()
    return int(text)


def _not_found(message: str = "お探しのページは見つかりませんでした。") -> web.HTTPNotFound:
    return web.HTTPNotFound(text=_page("ページが見つかりません", f"<p>{escape(message)}</p>"
                                       '<p><a href="/board">掲示板のトップへ</a></p>', None),
                            content_type="text/html")


def _invite(cfg: CommunityConfig) -> str:
    links = []
    if cfg.line_url:
        links.append(f'<a class="join line" href="{escape(cfg.line_url)}">LINEで参加する</a>')
    if cfg.discord_url:
        links.append(f'<a class="join discord" href="{escape(cfg.discord_url)}">Discordで参加する</a>')
    if not links:
        return ""
    return ('<aside class="invite"><p>読むだけでなく、書き込んでみませんか？新しいアプリは要りません。</p>'
            + "".join(links) + "</aside>")


_STYLE = """
body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;margin:0;padding:0 1rem 2rem;
line-height:1.7;color:#222;background:#fafaf7;max-width:42rem;margin-inline:auto}
header{padding:1rem 0;border-bottom:1px solid #ddd}h1{font-size:1.3rem;margin:.2rem 0}
a{color:#0b6e4f}ul{list-style:none;padding:0}li{background:#fff;border:1px solid #e4e4e0;border-radius:8px;
padding:.7rem .9rem;margin:.6rem 0}.meta{color:#666;font-size:.85rem}.post p{margin:.3rem 0;white-space:normal;
overflow-wrap:anywhere}.invite{background:#eef7f1;border-radius:8px;padding:.8rem;margin:1rem 0}
.join{display:inline-block;margin:.3rem .5rem .3rem 0;padding:.5rem .9rem;border-radius:6px;color:#fff;
text-decoration:none}.line{background:#06c755}.discord{background:#5865f2}.official{color:#b3261e;font-weight:bold}
nav.pages a{margin-right:1rem}
"""


def _page(title: str, body: str, cfg: CommunityConfig | None, site: str = "") -> str:
    invite = _invite(cfg) if cfg else ""
    return (
        '<!doctype html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}{' | ' + escape(site) if site else ''}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<header><h1>{escape(title)}</h1></header>\n<main>\n{body}\n</main>\n{invite}\n</body>\n</html>\n"
    )


def _pager(base: str, page: int, last: int) -> str:
    links = []
    if page > 1:
        links.append(f'<a href="{base}?page={page - 1}" rel="prev">← 前へ</a>')
    if page < last:
        links.append(f'<a href="{base}?page={page + 1}" rel="next">次へ →</a>')
    return f'<nav class="pages">{"".join(links)} <span class="meta">{page} / {last}ページ</span></nav>'


async def board_index(request: web.Request) -> web.Response:
    runtime = _runtime(request)
    settings = runtime.site
    cfg = CommunityConfig.from_city(settings.city)
    page = _number(request.query.get("page"), 1)
    threads, total = await runtime.db.run(board.recent_threads, page, THREADS_PER_PAGE)
    last = board.pages(total, THREADS_PER_PAGE)
    if page > last:
        raise _not_found()
    categories = "・".join(escape(c) for c in (*cfg.categories, cfg.voice_category))
    items = []
    for th in threads:
        mark = '<span class="official">市からの質問</span> ' if th.official else f"[{escape(th.category)}] "
        when = as_utc(th.last_post_at).astimezone(settings.tz).strftime("%Y/%m/%d %H:%M")
        items.append(f'<li>{mark}<a href="/board/thread/{th.id}">{escape(th.title)}</a>'
                     f'<div class="meta">{th.post_count}件の投稿・最終 {when}</div></li>')
    listing = "<ul>" + "".join(items) + "</ul>" if items else "<p>まだスレッドがありません。</p>"
    body = (f'<p>{escape(settings.city.name)}が好きな人たちの掲示板です。</p>'
            f'<p class="meta">カテゴリ: {categories}</p>{listing}{_pager("/board", page, last)}')
    return web.Response(text=_page(f"{settings.city.name} つながる掲示板", body, cfg), content_type="text/html",
                        charset="utf-8")


async def board_thread(request: web.Request) -> web.Response:
    runtime = _runtime(request)
    settings = runtime.site
    cfg = CommunityConfig.from_city(settings.city)
    thread_id = _number(request.match_info["thread_id"])
    page = _number(request.query.get("page"), 1)

    def read(session):
        thread = session.get(BoardThread, thread_id)
        if thread is None:
            return None, [], 0
        posts, total = board.thread_posts(session, cfg, thread.id, page, POSTS_PER_PAGE)
        return thread, posts, total

    thread, posts, total = await runtime.db.run(read)
    if thread is None:
        raise _not_found("このスレッドは見つかりませんでした。")
    last = board.pages(total, POSTS_PER_PAGE)
    if page > last:
        raise _not_found()
    items = []
    for post in posts:
        when = as_utc(post.created_at).astimezone(settings.tz).strftime("%Y/%m/%d %H:%M")
        reply = f'<div class="meta">↩ #{post.reply_to} への返信</div>' if post.reply_to else ""
        text = "<br>".join(escape(line) for line in post.text.split("\n"))
        likes = f"・👍 {post.reactions}" if post.reactions else ""
        items.append(f'<li class="post" id="p{post.id}"><div class="meta">#{post.id} {escape(post.author)}・{when}{likes}'
                     f"</div>{reply}<p>{text}</p></li>")
    listing = "<ul>" + "".join(items) + "</ul>" if items else "<p>まだ投稿がありません。</p>"
    label = "市からの質問" if thread.official else thread.category
    body = (f'<p><a href="/board">← 掲示板</a>　<span class="meta">[{escape(label)}]</span></p>{listing}'
            f"{_pager(f'/board/thread/{thread.id}', page, last)}")
    return web.Response(text=_page(thread.title, body, cfg, settings.city.name), content_type="text/html",
                        charset="utf-8")


async def board_other(request: web.Request) -> web.Response:
    raise _not_found()


def add_routes(app: web.Application) -> None:
    app.router.add_get("/board", board_index)
    app.router.add_get("/board/thread/{thread_id}", board_thread)
    app.router.add_get(r"/board/{tail:[\s\S]*}", board_other)
