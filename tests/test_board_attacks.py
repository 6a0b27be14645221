"""What an attack on the community board found (issue #13) and what a new user met (issue #12), kept as tests: each
failed on the code before its fix.

Spam and moderation (13.5): threads and reports are rate-limited per member; staff hide and restore whole threads
(LINE cards, the web board, the figures and the Discord forum alike); reports are gathered (one notice per reported
post, a queue staff list and resolve), and every staff decision is in the audit log. A reason after the post number
of /report (12.11). The link allow-list reads links as a reader's app does (13.6). /forget-me takes away the titles
of the threads a person opened, on every surface (13.3).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import Session, select

from bot.app import create_app
from community import board, board_moderation, board_views, kpi
from community import messages as m
from community.board import CommunityConfig
from community.board_links import links, refused_links
from community.messages import POSTBACK
from community.problems import Problem
from community.texts import t
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Member
from storage.models.audit import AuditEntry
from storage.models.community import BoardLink, BoardPost, BoardReport, BoardThread
from tests.discord_helpers import served
from tests.test_discord import _json
from tests.test_discord_board import (  # noqa: F401  (service: a fixture, used by name)
    HANAKO,
    SATO,
    FakeForumDiscord,
    forum_thread_id,
    open_thread_on_line,
    service,
)

FORGOTTEN_TITLE = t("ja", "board.forgotten_title")


async def join(chat, nickname="みかん", as_user=None):
    """The join conversation, typed (as_user: another person in the same console session)."""
    options = {"as_user": as_user} if as_user else {}
    await chat.say("/community join", **options)
    await chat.send(None, kind=POSTBACK, postback="community:agree", **options)
    await chat.say(nickname, **options)
    [welcome] = await chat.send(None, kind=POSTBACK, postback="community:relation:fan", **options)
    assert f"ようこそ、{nickname}さん" in welcome


def rows(chat, model, *where):
    with chat.runtime.db.session() as session:
        return list(session.exec(select(model).where(*where)))


def number_after_hash(answer: str) -> int:
    return int(answer.split("#", 1)[1].split("「", 1)[0].split("）", 1)[0].split(" ", 1)[0])


async def staff_thread(staff_chat, title="花火大会の思い出") -> int:
    [answer] = await staff_chat.say(f"/thread new 地域ネタ {title}")
    assert f"「{title}」を立てました" in answer
    return number_after_hash(answer)


async def staff_post(staff_chat, thread_id: int, text: str) -> int:
    [answer] = await staff_chat.say(f"/post {thread_id} {text}")
    assert "投稿しました" in answer
    return number_after_hash(answer)


def audit_actions(chat) -> list[tuple[str, str]]:
    """The board's entries (the staff role the console gives at start is in the log too, as role.grant)."""
    return [
        (entry.action, entry.target)
        for entry in sorted(rows(chat, AuditEntry), key=lambda e: e.id)
        if entry.action != "role.grant"
    ]


def pushes_to(chat, target: str, start: int = 0) -> list[str]:
    return [text for method, who, text in chat.said[start:] if who == target]


async def answer(chat, text: str, **options) -> str:
    """The bot's one answer in this chat (pushes to staff that the same step sent are left out)."""
    start = len(chat.said)
    await chat.say(text, **options)
    [said] = pushes_to(chat, chat.user, start)
    return said


# ---- 13.5: thread creation is rate-limited ---------------------------------------------------------------------


async def test_a_member_cannot_open_forty_threads_in_a_burst_but_staff_can(chat, staff_chat):
    await join(chat)
    limit = CommunityConfig.from_city(chat.settings.city).threads_per_hour
    answers = [(await chat.say(f"/thread new 地域ネタ 宣伝{i}"))[0] for i in range(limit + 3)]
    assert all("を立てました" in a for a in answers[:limit])
    refused = f"スレッドを立てられるのは1時間に{limit}件までです。少し時間をおいてからもう一度どうぞ。"
    assert answers[limit:] == [refused] * 3
    assert len(rows(chat, BoardThread)) == limit
    for i in range(limit + 2):  # city staff are not limited
        await staff_thread(staff_chat, f"お知らせ{i}")
    assert len(rows(chat, BoardThread)) == 2 * limit + 2


# ---- 13.5: staff hide and restore a whole thread ---------------------------------------------------------------


async def test_staff_hide_a_thread_everywhere_and_restore_it(chat, staff_chat):
    abusive = "悪口だらけのスレッド"
    thread_id = await staff_thread(staff_chat, abusive)  # opened by anyone; staff for brevity
    kept_id = await staff_thread(staff_chat, "朝ごはんの店")
    await join(chat)
    await chat.say(f"/post {thread_id} ひどい書き込み")
    [_posted] = await chat.say(f"/post {kept_id} パン屋さんがおいしい")
    fy = kpi.fiscal_year_of(datetime.now(ZoneInfo("Asia/Tokyo")))

    def figures(session):
        start, end = kpi.fiscal_year_range(fy)
        return kpi.compute(session, chat.settings.site, start, end)

    assert (await chat.runtime.db.run(figures))["posts"] == 2

    assert "市の職員だけ" in (await chat.say(f"/thread hide {thread_id}"))[0]
    [hidden] = await staff_chat.say(f"/thread hide {thread_id}")
    assert f"スレッド #{thread_id} を非表示にしました" in hidden

    [cards] = await chat.say("/board")
    assert abusive not in cards and "朝ごはんの店" in cards and f"board:thread:{thread_id}" not in cards
    assert await chat.say(f"/thread {thread_id}") == [f"スレッド #{thread_id} はありません。"]
    assert "ありません" in (await chat.say(f"/post {thread_id} まだ書ける？"))[0]
    [hidden_post] = rows(chat, BoardPost, BoardPost.thread_id == thread_id)
    assert "ありません" in (await chat.say(f"/react {hidden_post.id}"))[0]
    assert "ありません" in (await chat.say(f"/report {hidden_post.id}"))[0]
    assert (await chat.runtime.db.run(figures))["posts"] == 1  # its posts leave the figures
    with chat.runtime.db.session() as session:
        ever = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
        assert abusive not in [title for _, title, _ in board.top_threads(session, *ever)]

    app = create_app(chat.settings, run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        index = await (await client.get("/board")).text()
        assert abusive not in index and "朝ごはんの店" in index
        page = await client.get(f"/board/thread/{thread_id}")
        assert page.status == 404 and abusive not in await page.text()

        assert "すでに非表示" in (await staff_chat.say(f"/thread hide {thread_id}"))[0]
        [restored] = await staff_chat.say(f"/thread restore {thread_id}")
        assert f"スレッド #{thread_id}「{abusive}」を表示に戻しました" in restored
        assert (await client.get(f"/board/thread/{thread_id}")).status == 200
    assert "ひどい書き込み" in (await chat.say(f"/thread {thread_id}"))[0]
    assert (await chat.runtime.db.run(figures))["posts"] == 2
    assert "非表示になっていません" in (await staff_chat.say(f"/thread restore {thread_id}"))[0]
    assert audit_actions(chat) == [("thread.hide", f"thread:{thread_id}"), ("thread.restore", f"thread:{thread_id}")]
    assert "/thread hide" in (await staff_chat.say("/help"))[0]


async def test_hiding_and_restoring_a_post_is_in_the_audit_log(chat, staff_chat):
    thread_id = await staff_thread(staff_chat)
    post_id = await staff_post(staff_chat, thread_id, "間違えて書いた")
    await staff_chat.say(f"/hide {post_id}")
    await staff_chat.say(f"/restore {post_id}")
    [entry, _] = sorted((e for e in rows(chat, AuditEntry) if e.action != "role.grant"), key=lambda e: e.id)
    assert audit_actions(chat) == [("post.hide", f"post:{post_id}"), ("post.restore", f"post:{post_id}")]
    assert entry.actor_member_id is not None


# ---- 13.5 and 12.11: reports -----------------------------------------------------------------------------------


async def test_a_report_takes_a_reason_and_staff_read_it(chat, staff_chat):
    thread_id = await staff_thread(staff_chat)
    post_id = await staff_post(staff_chat, thread_id, "今だけ！儲かる話があります")
    start = len(chat.said)
    assert "通報を受け付けました" in await answer(chat, f"/report {post_id} スパムっぽい")
    [note] = pushes_to(chat, "staff-sato", start)
    assert "理由: スパムっぽい" in note and "儲かる話" in note and f"/reports dismiss {post_id}" in note
    [report] = rows(chat, BoardReport)
    assert report.reason == "スパムっぽい"
    # Typed with a Japanese keyboard's full-width space, the number is still a number.
    assert "通報を受け付けました" in await answer(chat, f"/report {post_id}\u3000宣伝です", as_user="shiro")
    assert "宣伝です" in [r.reason for r in rows(chat, BoardReport)]
    [queue] = await staff_chat.say("/reports")
    assert f"#{post_id}" in queue and "通報2件" in queue and "「宣伝です」「スパムっぽい」" in queue
    # A reason is kept short, on one line, without direction overrides; a link in it follows the board's rule.
    long_one = await answer(chat, f"/report {post_id} " + "長い\u202e理由" * 100, as_user="jiro")
    assert "通報を受け付けました" in long_one
    [kept] = [r.reason for r in rows(chat, BoardReport) if r.reason.startswith("長い")]
    assert len(kept) <= 100 and "\u202e" not in kept
    assert "リンクは市のサイト" in (await chat.say(f"/report {post_id} https://evil.example/", as_user="saburo"))[0]


async def test_reports_are_gathered_one_notice_per_post_and_a_queue_staff_resolve(chat, staff_chat):
    thread_id = await staff_thread(staff_chat)
    spam = await staff_post(staff_chat, thread_id, "怪しい勧誘です")
    other = await staff_post(staff_chat, thread_id, "ふつうの投稿")
    start = len(chat.said)
    for i in range(30):  # 30 people report the same post: staff are told once
        assert "通報を受け付けました" in await answer(chat, f"/report {spam} 勧誘{i % 3}", as_user=f"r{i}")
    await chat.say(f"/report {other}", as_user="r0")
    notes = pushes_to(chat, "staff-sato", start)
    assert len(notes) == 2 and f"投稿 #{spam}" in notes[0] and f"投稿 #{other}" in notes[1]

    [queue] = await staff_chat.say("/reports")
    assert "2件の投稿" in queue
    assert queue.index(f"#{other}（") < queue.index(f"#{spam}（")  # the most recently reported first
    assert "通報30件" in queue and "勧誘2" in queue and "（書かれていません）" in queue
    assert "市の職員だけ" in (await chat.say("/reports"))[0]

    [dismissed] = await staff_chat.say(f"/reports dismiss {other}")
    assert "通報1件を「問題なし」として閉じました" in dismissed
    assert "確認待ちの通報はありません" in (await staff_chat.say(f"/reports dismiss {other}"))[0]
    await staff_chat.say(f"/hide {spam}")  # hiding resolves its reports
    assert await staff_chat.say("/reports") == ["確認待ちの通報はありません。"]
    assert audit_actions(chat) == [("report.dismiss", f"post:{other}"), ("post.hide", f"post:{spam}")]

    start = len(chat.said)  # a post reported again after staff dismissed it is news again, once
    await chat.say(f"/report {other} やっぱり変", as_user="r1")
    await chat.say(f"/report {other}", as_user="r2")
    assert len(pushes_to(chat, "staff-sato", start)) == 1


async def test_one_member_cannot_report_without_limit(chat, staff_chat):
    limit = CommunityConfig.from_city(chat.settings.city).reports_per_hour
    thread_id = await staff_thread(staff_chat)
    post_ids = [await staff_post(staff_chat, thread_id, f"投稿{i}") for i in range(limit + 2)]
    start = len(chat.said)
    answers = [await answer(chat, f"/report {post_id}") for post_id in post_ids]
    assert all("通報を受け付けました" in a for a in answers[:limit])
    assert answers[limit:] == [f"通報は1時間に{limit}件までです。急ぎの場合は市の窓口へご連絡ください。"] * 2
    assert len(pushes_to(chat, "staff-sato", start)) == limit
    assert len(rows(chat, BoardReport)) == limit
    # Reporting the same post again is no new report (and no push), and is not refused.
    assert "通報を受け付けました" in (await chat.say(f"/report {post_ids[0]}"))[0]


def test_hidden_threads_and_the_report_queue_on_both_backends(database_url):
    """The SQL behind hiding a thread (posts leave the figures by category too) and the report queue."""
    upgrade(database_url)
    engine = make_engine(database_url)
    cfg = CommunityConfig(("地域ネタ", "グルメ"), "", 100, 1000, (), "市からの質問", "", "", "市")
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    try:
        with Session(engine) as session:
            staff, resident = (Member(public_id=f"m-{name}", created_at=at) for name in ("staff", "resident"))
            session.add_all([staff, resident])
            session.flush()
            spam = board.open_thread(session, cfg, resident, "グルメ", "宣伝", at)
            kept = board.open_thread(session, cfg, resident, "地域ネタ", "祭り", at)
            spam_post = board.add_post(session, cfg, resident, spam.id, "買って", at, "line")
            kept_post = board.add_post(session, cfg, resident, kept.id, "楽しみ", at, "line")
            for post, reason in ((spam_post, "宣伝"), (kept_post, "")):
                assert board_moderation.report(session, cfg, staff.id, post.id, reason, at).tell_staff
            board_moderation.hide_thread(session, staff, spam.id, at)
            session.commit()
            day = (at, at + timedelta(days=1))
            assert board.post_count(session, *day) == board.posts(session, *day).total == 1
            assert board.posts(session, *day).by_category == {"地域ネタ": 1}
            assert [th.id for th in board_views.recent_threads(session)[0]] == [kept.id]
            queue, total = board_moderation.report_queue(session)
            assert ([(e.post_id, e.reports, e.reasons) for e in queue], total) == ([(kept_post.id, 1, ())], 1)
            board_moderation.restore_thread(session, staff, spam.id, at)
            assert board.post_count(session, *day) == 2
            assert board_moderation.report_queue(session)[1] == 1  # hiding resolved its reports for good
            assert [th.title for th in board.forget_threads_of(session, resident.id)] == [FORGOTTEN_TITLE] * 2
            session.commit()
            assert [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))] == [
                "thread.hide",
                "thread.restore",
            ]
    finally:
        engine.dispose()


# ---- 13.6: the link allow-list ---------------------------------------------------------------------------------

HOSTS = ("city.omitama.lg.jp",)
REFUSED = [
    "https://city.omitama.lg.jp:443@evil.example/phish",  # userinfo: the host is evil.example
    "https://city.omitama.lg.jp@evil.example/",
    "ｈｔｔｐｓ://evil.com",  # full-width
    "ｈｔｔｐｓ：／／ｅｖｉｌ．ｃｏｍ／",
    "evil.com/login",  # no scheme
    "見てね evil.example/login",
    "www.evil.example",
    "詳しくはwww.evil.example",
    "https:/\\evil.com",  # backslash tricks
    "https:\\\\evil.com/x",
    "https:evil.com",
    "HTTPS://EVIL.COM",
    "1https://evil.example",
    "https://city.omitama.lg.jp.evil.example/",  # the allowed host as a prefix
    "https://evilcity.omitama.lg.jp.example/",
    "https://notcity.omitama.lg.jp/",  # not a subdomain
    "https://city.omitama.lg.jp。evil.example/",  # an ideographic full stop inside a host
    "https://evil\u200b.com/",  # a zero-width space
    "ht\u200btps://evil.example",
    "https://сity.omitama.lg.jp/",  # Cyrillic с (IDN homograph)
    "https://xn--ity-3ed.omitama.lg.jp/",  # its punycode
    "https://例え.jp/",
    "xn--r8jz45g.jp",
    "line://ti/p/@evil",  # other schemes that name a host
    "http://192.0.2.1/",
    "https://evil%2Ecom/",
    "[city.omitama.lg.jp](https://evil.example)",  # a Discord masked link
    "https://www.city.omitama.lg.jp/ https://evil.example/",  # every link counts
    "(https://evil.com)city.omitama.lg.jp",
]
ALLOWED = [
    "https://city.omitama.lg.jp/",
    "https://www.city.omitama.lg.jp/event/",
    "詳しくは https://www.city.omitama.lg.jp/event/ へ",
    "詳しくはhttps://www.city.omitama.lg.jp/event/へ",
    "ＨＴＴＰＳ：／／ＷＷＷ．ＣＩＴＹ．ＯＭＩＴＡＭＡ．ＬＧ．ＪＰ／",
    "https://www.city.omitama.lg.jp:443/kurashi/page001.html",
    "https://www.city.omitama.lg.jp/ 。ありがとう",
    "https://city.omitama.lg.jp\\@evil.com",  # a browser ends the host at the backslash
    "www.city.omitama.lg.jp",
    "city.omitama.lg.jp/event",
    "問い合わせ kikaku@city.omitama.lg.jp",
    "「https://city.omitama.lg.jp/」をご覧ください",
    "ミスチル(Mr.Children)のライブ",
    "ありがとう。またね",
    "e.g. 午後3:30から",
    "バージョン1.2.3",
    "時間は10:00〜12:00",
    "news:今日は雨",
    "詳細（https://www.city.omitama.lg.jp/）",
    "(see https://www.city.omitama.lg.jp)",
    "https://city.omitama.lg.jp, thanks!",
    "https://city.omitama.lg.jp.",
    "sftp:の設定",
]


@pytest.mark.parametrize("text", REFUSED)
def test_links_to_other_hosts_are_refused_however_they_are_written(text):
    cfg = CommunityConfig(("地域ネタ",), "", 10, 1000, HOSTS, "市からの質問", "", "", "市")
    assert refused_links(text, HOSTS), links(text)
    with pytest.raises(Problem) as refused:
        board.check_post_text(f"見てね {text} よろしく", cfg)
    assert refused.value.key == "board.links_only"
    with pytest.raises(Problem):
        board.check_title(text[:60], cfg)


@pytest.mark.parametrize("text", ALLOWED)
def test_links_to_the_city_and_text_that_only_looks_technical_are_allowed(text):
    cfg = CommunityConfig(("地域ネタ",), "", 10, 1000, HOSTS, "市からの質問", "", "", "市")
    assert refused_links(text, HOSTS) == []
    assert board.check_post_text(text, cfg) == text


def test_without_allowed_hosts_no_link_passes():
    cfg = CommunityConfig(("地域ネタ",), "", 10, 1000, (), "市からの質問", "", "", "市")
    with pytest.raises(Problem) as refused:
        board.check_post_text("https://city.omitama.lg.jp/", cfg)
    assert refused.value.key == "board.no_links"


@pytest.mark.parametrize("name", ["evil.com/x", "ｗｗｗ．evil．example", "https:/\\evil.com"])
def test_a_nickname_cannot_be_a_link(name):
    with pytest.raises(Problem):
        board.check_nickname(name)


async def test_the_phishing_link_of_the_attack_is_refused_in_chat(chat, staff_chat):
    thread_id = await staff_thread(staff_chat)
    await join(chat)
    for text in (
        "https://city.omitama.lg.jp:443@evil.example/phish",
        "ｈｔｔｐｓ://evil.com",
        "evil.com/login",
        "https:/\\evil.com",
    ):
        [refused] = await chat.say(f"/post {thread_id} {text}")
        assert "リンクは市のサイト（city.omitama.lg.jp）のものだけ貼れます" in refused
    assert rows(chat, BoardPost) == []


# ---- 13.3: /forget-me takes away the titles a person wrote -----------------------------------------------------


async def test_forget_me_replaces_the_titles_of_their_threads_everywhere(chat, staff_chat):
    secret = "田中花子の引っ越し相談"
    await join(chat)
    [opened] = await chat.say(f"/thread new 地域ネタ {secret}")
    thread_id = number_after_hash(opened)
    await staff_post(staff_chat, thread_id, "市役所の窓口へどうぞ")  # someone else's post keeps the thread
    await staff_chat.say("/voice new 駅前にほしいお店は？")  # a city question keeps its title
    other_post = await staff_post(staff_chat, thread_id, "ほかの投稿")
    assert "通報を受け付けました" in await answer(chat, f"/report {other_post} 田中です、この人は知り合い")
    assert (await chat.say("/forget-me confirm"))[0].startswith("削除しました")
    assert [r.reason for r in rows(chat, BoardReport)] == [""]  # the report counts, their words go

    [thread] = rows(chat, BoardThread, BoardThread.id == thread_id)
    assert (thread.title, thread.author_member_id) == (FORGOTTEN_TITLE, None)
    [cards] = await staff_chat.say("/board")
    assert secret not in cards and FORGOTTEN_TITLE in cards and "駅前にほしいお店は？" in cards
    [read] = await staff_chat.say(f"/thread {thread_id}")
    assert secret not in read and "市役所の窓口へどうぞ" in read
    app = create_app(chat.settings, run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        for path in ("/board", f"/board/thread/{thread_id}"):
            html = await (await client.get(path)).text()
            assert secret not in html and FORGOTTEN_TITLE in html


# ---- Discord: the forum copy follows ---------------------------------------------------------------------------


class FakeModeratedForum(FakeForumDiscord):
    """The forum fake, plus deleting and renaming a forum post and editing a message (what moderation calls)."""

    def __init__(self) -> None:
        super().__init__()
        self.edited: list[tuple[str, str, dict]] = []  # (channel id, message id, body)

    async def handle(self, request: web.Request) -> web.Response:
        parts = request.path[len("/api/v10") :].strip("/").split("/")
        on_thread = parts[0] == "channels" and len(parts) == 2 and request.method in ("DELETE", "PATCH")
        on_message = parts[0] == "channels" and len(parts) == 4 and parts[2] == "messages" and request.method == "PATCH"
        if not (on_thread or on_message):
            return await super().handle(request)
        text = await request.text() if request.can_read_body else ""
        body = json.loads(text) if text else None
        self.requests.append((request.method, request.path_qs, body))
        thread = self.threads.get(int(parts[1]))
        if thread is None:
            return _json({"message": "Unknown Channel", "code": 10003}, 404)
        if on_message:
            self.edited.append((parts[1], parts[3], body))
            return _json(dict(self.message(parts[1], body), id=parts[3]))
        if request.method == "DELETE":
            return _json(self.threads.pop(int(parts[1])))
        thread["name"] = body.get("name", thread["name"])
        thread["thread_metadata"]["archived"] = body.get("archived", thread["thread_metadata"]["archived"])
        return _json(thread)


@pytest.fixture
async def fake(tmp_path):
    """The fake Discord of test_discord_board.py (its `service` fixture takes this one), with moderation routes."""
    async with served(FakeModeratedForum(), tmp_path) as fake:
        yield fake


async def test_a_hidden_thread_leaves_the_discord_forum_and_comes_back_on_restore(service, fake):  # noqa: F811
    assert isinstance(fake, FakeModeratedForum)  # service (imported) takes this module's fake
    thread_id = await open_thread_on_line(service, "ひどいタイトル")
    await service.line_says(HANAKO, f"/post {thread_id} 最初の投稿")
    await service.line_says(HANAKO, f"/post {thread_id} 二つめの投稿")
    forum_thread = forum_thread_id(service, thread_id)
    assert len(service.rows(BoardLink)) == 3

    assert "非表示にしました" in await service.line_says(SATO, f"/thread hide {thread_id}")
    assert forum_thread not in fake.threads  # the forum post is deleted, its messages with it
    assert [path for verb, path, _ in fake.requests if verb == "DELETE"] == [f"/api/v10/channels/{forum_thread}"]
    assert service.rows(BoardLink) == []  # the thread's link and its posts' links are dropped

    assert "表示に戻しました" in await service.line_says(SATO, f"/thread restore {thread_id}")
    [(again, opened)] = [(i, th) for i, th in fake.threads.items()]
    assert opened["name"] == "ひどいタイトル" and again != forum_thread
    copies = [(into, body["content"]) for into, body in fake.webhook_posts()]
    assert copies[-2:] == [(str(again), "最初の投稿"), (str(again), "二つめの投稿")]
    assert len(service.rows(BoardLink)) == 3


async def test_forget_me_renames_their_thread_on_discord(service, fake):  # noqa: F811
    secret = "田中花子の引っ越し相談"
    answer = await service.line_says(HANAKO, f"/thread new 地域ネタ {secret}")
    assert "を立てました" in answer
    [thread] = service.rows(BoardThread, BoardThread.title == secret)
    forum_thread = forum_thread_id(service, thread.id)
    await service.line_says(SATO, f"/post {thread.id} 窓口へどうぞ")

    await service.line_says(HANAKO, "/forget-me confirm")
    assert fake.threads[forum_thread]["name"] == FORGOTTEN_TITLE
    [renamed] = [
        body for verb, path, body in fake.requests if verb == "PATCH" and path == f"/api/v10/channels/{forum_thread}"
    ]
    assert renamed["name"] == FORGOTTEN_TITLE
    [(channel, message, opener)] = fake.edited
    assert (channel, message) == (str(forum_thread), str(forum_thread))  # the forum post's first message
    assert FORGOTTEN_TITLE in opener["content"] and secret not in opener["content"]
    [kept] = service.rows(BoardThread, BoardThread.id == thread.id)
    assert kept.author_member_id is None


def test_the_new_forum_operations_survive_the_outbox_json():
    ops = [m.UnmirrorThread(7), m.RetitleThread(7, "地域ネタ", FORGOTTEN_TITLE)]
    assert m.load_messages(m.dump_messages(ops)) == ops
    assert [m.plain_text(op) for op in ops] == [
        "[掲示板のスレッドを取り下げ] #7",
        f"[掲示板のスレッド名を変更] #7 {FORGOTTEN_TITLE}",
    ]
