"""The community on LINE (signed webhook against the fake Messaging API, the rich menu deploy) and the public web
board (aiohttp test client, and one page rendered by headless Chromium)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from bot.app import create_app
from bot.console import ConsoleChat
from community.messages import POSTBACK
from tests import line_payloads as lp
from tests.chromium import FLAGS as CHROMIUM_FLAGS
from tests.chromium import require_chromium
from tests.fake_line import REPLY

HANAKO = lp.user_id("hanako")


def _flex_texts(node) -> list[str]:
    """Every text shown in a Flex message (bubble bodies and button labels)."""
    found = []
    if isinstance(node, dict):
        if node.get("type") == "text" and "text" in node:
            found.append(node["text"])
        for value in node.values():
            found += _flex_texts(value)
    elif isinstance(node, list):
        for item in node:
            found += _flex_texts(item)
    return found


async def _seed_board(settings, *texts: str) -> tuple[int, list[int]]:
    """A staff member opens a thread and posts, through the console (same database as the app under test)."""
    staff = ConsoleChat(settings, user="staff-web", staff=True)
    await staff.start()
    try:
        [opened] = await staff.say("/thread new 観光スポット 春の桜と<script>alert(1)</script>")
        thread_id = int(opened.split("#", 1)[1].split("「", 1)[0])
        post_ids = []
        for text in texts:
            [posted] = await staff.say(f"/post {thread_id} {text}")
            post_ids.append(int(posted.split("#")[1].split("）")[0]))
        return thread_id, post_ids
    finally:
        await staff.stop()


# ---- LINE -------------------------------------------------------------------------------------------------------


async def test_line_member_joins_and_posts_through_the_signed_webhook(line_bot, fake_line):
    thread_id, _ = await _seed_board(line_bot.settings, "桜が満開です")

    async def tap(event):
        response = await line_bot.post(event)
        assert response.status == 200
        await line_bot.settle()
        return fake_line.replies()[-1]["messages"]

    [rules] = await tap(lp.postback_event("community:join", HANAKO))  # the rich menu's "参加する"
    assert "ルール" in rules["text"]
    assert [i["action"]["data"] for i in rules["quickReply"]["items"]] == ["community:agree", "community:cancel"]
    [ask] = await tap(lp.postback_event("community:agree", HANAKO))
    assert "ニックネーム" in ask["text"]
    [relation] = await tap(lp.text_event("さくらファン", HANAKO))
    assert "community:relation:fan" in [i["action"]["data"] for i in relation["quickReply"]["items"]]
    [welcome] = await tap(lp.postback_event("community:relation:fan", HANAKO))
    assert welcome["type"] == "flex" and "ようこそ、さくらファンさん！" in _flex_texts(welcome["contents"])

    [carousel] = await tap(lp.postback_event("board", HANAKO))
    assert carousel["type"] == "flex" and carousel["contents"]["type"] == "carousel"
    buttons = [
        b["action"]["data"]
        for bubble in carousel["contents"]["contents"]
        for b in (bubble.get("footer") or {}).get("contents", [])
        if b["action"]["type"] == "postback"
    ]
    assert f"board:post:{thread_id}" in buttons and f"board:thread:{thread_id}" in buttons
    [ask_text] = await tap(lp.postback_event(f"board:post:{thread_id}", HANAKO))
    assert "投稿する文章を送ってください" in ask_text["text"]
    [posted] = await tap(lp.text_event("LINEから初投稿です", HANAKO))
    assert posted["text"].startswith("投稿しました")

    [thread] = await tap(lp.postback_event(f"board:thread:{thread_id}", HANAKO))
    shown = _flex_texts(thread["contents"])
    assert "LINEから初投稿です" in shown and any("さくらファン" in t for t in shown)
    # Each tap got exactly one accepted reply, every one valid for the fake (SDK models, official schema, limits).
    # (A slow first answer can make the sender retry a reply; the fake then refuses the used token: still one.)
    accepted = Counter(c.json["replyToken"] for c in fake_line.requests(REPLY) if c.status == 200)
    assert len(accepted) == 8 and set(accepted.values()) == {1}
    # Nobody's LINE id is in the engagement log; the member's pseudonymous id is.
    from sqlmodel import select

    from storage.models import Engagement

    with line_bot.db.session() as session:
        log = session.exec(select(Engagement)).all()
    assert {e.kind for e in log} == {"member_joined", "post"}
    assert all(e.member and e.member.startswith("m-") and HANAKO not in (e.member + e.space + e.detail) for e in log)


async def test_rich_menu_deploy_against_the_fake(make_settings, fake_line, monkeypatch, tmp_path):
    from bot import cli

    env = dict(
        LINE_CHANNEL_SECRET="s",
        LINE_CHANNEL_ACCESS_TOKEN=fake_line.token,
        LINE_API_BASE_URL=fake_line.url,
        LINE_DATA_API_BASE_URL=fake_line.url,
        DATABASE_URL=f"sqlite:///{tmp_path}/menu.db",
        PUBLIC_BASE_URL="https://tsunagaru.example.jp",
    )
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    # The operator's command, run in a thread: it has its own event loop while the fake serves on this one.
    assert await asyncio.to_thread(cli.main, ["richmenu", "deploy"]) == 0
    [first] = fake_line.rich_menus
    assert fake_line.default_rich_menu == first
    assert fake_line.rich_menu_images[first][0] == "image/png"
    menu = fake_line.rich_menus[first]
    assert [a["action"]["data"] for a in menu["areas"]] == ["board", "community:join", "profile", "community:help"]
    [upload] = [c for c in fake_line.calls if c.path.endswith("/content")]
    assert Image.open(__import__("io").BytesIO(upload.body)).size == (menu["size"]["width"], menu["size"]["height"])
    # A second deploy replaces the first: one menu remains, and it is the default.
    assert await asyncio.to_thread(cli.main, ["richmenu", "deploy"]) == 0
    [second] = fake_line.rich_menus
    assert second != first and fake_line.default_rich_menu == second


# ---- the web board ----------------------------------------------------------------------------------------------


@pytest.fixture
async def web_board(make_settings):
    settings = make_settings()
    thread_id, post_ids = await _seed_board(settings, "駅から歩いて10分です\n<b>おすすめ</b>", "夜桜もきれい")
    app = create_app(settings, run_workers=False, run_scheduler=False)
    client = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    client.thread_id, client.post_ids, client.settings = thread_id, post_ids, settings
    yield client
    await client.close()


async def test_board_index_and_thread_render_escaped_mobile_html(web_board):
    response = await web_board.get("/board")
    assert response.status == 200 and response.charset == "utf-8"
    html = await response.text()
    assert '<html lang="ja">' in html and 'name="viewport"' in html
    assert "観光スポット" in html and f'href="/board/thread/{web_board.thread_id}"' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "https://lin.ee/omitama-tsunagaru" in html and "https://discord.gg/omitama" in html
    assert 'name="robots"' not in html  # the public board is meant to be found
    assert (await web_board.head("/board")).status == 200

    response = await web_board.get(f"/board/thread/{web_board.thread_id}")
    assert response.status == 200
    html = await response.text()
    assert "駅から歩いて10分です<br>&lt;b&gt;おすすめ&lt;/b&gt;" in html and "夜桜もきれい" in html
    assert "<b>おすすめ</b>" not in html
    assert "LINEで参加する" in html


@pytest.mark.parametrize(
    "path",
    [
        "/board/thread/abc",
        "/board/thread/1.0",
        "/board/thread/-1",
        "/board/thread/%EF%BC%91",
        "/board/thread/999",
        "/board/thread/1/../../healthz",
        "/board/thread/",
        "/board/thread/1/edit",
        "/board/thread/1%2F2",
        "/board?page=0",
        "/board?page=x",
        "/board?page=99",
        "/board/thread/1?page=abc",
    ],
)
async def test_path_tricks_are_a_japanese_404(web_board, path):
    response = await web_board.get(path)
    assert response.status == 404
    assert "見つかりませんでした" in await response.text()


async def test_hidden_post_vanishes_from_the_web_and_line_alike(web_board):
    hidden_id = web_board.post_ids[0]
    staff = ConsoleChat(web_board.settings, user="staff-web", staff=True)
    await staff.start()
    try:
        await staff.say(f"/hide {hidden_id}")
        [carousel] = await staff.send(None, kind=POSTBACK, postback=f"board:thread:{web_board.thread_id}")
    finally:
        await staff.stop()
    assert "駅から歩いて" not in carousel and "夜桜もきれい" in carousel
    html = await (await web_board.get(f"/board/thread/{web_board.thread_id}")).text()
    assert "駅から歩いて" not in html and "夜桜もきれい" in html
    index = await (await web_board.get("/board")).text()
    assert "1件の投稿" in index


async def test_long_threads_page_on_the_web(make_settings):
    from handlers.board import web as board_web

    settings = make_settings()
    per_page = board_web.POSTS_PER_PAGE
    # More posts than a page holds; the staff poster is exempt from the hourly limit.
    thread_id, _ = await _seed_board(settings, *[f"投稿{i:02d}" for i in range(per_page + 2)])
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        first = await (await client.get(f"/board/thread/{thread_id}")).text()
        second = await (await client.get(f"/board/thread/{thread_id}?page=2")).text()
    assert "投稿00" in first and f"投稿{per_page - 1:02d}" in first and f"投稿{per_page:02d}" not in first
    assert f'href="/board/thread/{thread_id}?page=2"' in first
    assert f"投稿{per_page + 1:02d}" in second and "投稿00" not in second


async def test_board_thread_in_headless_chromium(web_board, tmp_path):
    url = str(web_board.make_url(f"/board/thread/{web_board.thread_id}"))
    process = await asyncio.create_subprocess_exec(
        require_chromium(),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--dump-dom",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        dom, errors = await asyncio.wait_for(process.communicate(), timeout=120)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    text = dom.decode("utf-8")
    assert process.returncode == 0, errors.decode("utf-8", "replace")[-2000:]
    assert "夜桜もきれい" in text and "駅から歩いて10分です" in text
    assert "<b>おすすめ</b>" not in text  # escaped user text stays text in the browser's DOM too
