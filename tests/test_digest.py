"""The weekly staff digest: /staff here, the weekly-digest job (sent once per week and space), /digest, the chart,
and the staff dashboard."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image
from sqlalchemy import delete
from sqlmodel import select

from bot.app import RUNTIME, create_app
from bot.console import ConsoleChat
from bot.queues.outbox import OutboxWriter
from community import digest, engagement, events, members
from community.messages import GROUP, Place
from community.spaces import get_or_create_space
from handlers.features import all_jobs
from scheduler.runner import run_job, run_leased
from storage.models import Member, Space
from storage.models.events import Event, EventSpace
from tests.fixtures.board import thread_with_posts
from tests.fixtures.cities import city_with_targets

TOKYO = ZoneInfo("Asia/Tokyo")
MONDAY = datetime(2026, 4, 13, 9, 0, tzinfo=TOKYO)  # the job's slot for week 2026-W15 (April 6 to 12)
SECRET_PLATFORM_ID = "U0123456789abcdef0123456789abcdef"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


def weekly_job():
    return next(job for job in all_jobs() if job.name == "weekly-digest")


@pytest.fixture
async def staff_group(make_settings, tmp_path):
    settings = make_settings(CITY_CONFIG=str(city_with_targets(tmp_path)))
    chat = ConsoleChat(settings, user="staff-sato", group="職員室", staff=True)
    await chat.start()
    yield chat
    await chat.stop()


def seed(session, settings) -> None:
    """Two weeks of activity, and a quiet event group whose facilitators are named without platform ids."""
    rec = engagement.record
    author = Member(public_id="m-aaa", created_at=at("2026-03-01T00:00"))
    session.add(author)
    session.flush()
    # Two posts in week 14, three in week 15 (board posts are what the posts KPI counts).
    days = ("2026-04-01", "2026-04-02", "2026-04-06", "2026-04-08", "2026-04-12")
    posts = [(at(f"{day}T10:00"), None) for day in days]
    thread_with_posts(session, author, "地域ネタ", "春のまち", at("2026-04-01T00:00"), posts)
    rec(session, "qr_scan", at("2026-04-07T10:00"), space="touchpoint:checkup-4m", detail="ios")
    rec(session, "qr_scan", at("2026-04-07T11:00"), space="touchpoint:checkup-4m", detail="android")
    rec(session, "qr_push", at("2026-04-07T11:00"), member="m-ccc", space="touchpoint:checkup-4m")
    rec(session, "referral_click", at("2026-04-09T10:00"), detail="abcdefg")
    rec(session, "referral_click", at("2026-04-09T11:00"), detail="unattributed")
    rec(session, "donation", at("2026-04-10T12:00"), detail="abcdefg", amount=10000)
    rec(session, "donation", at("2026-04-10T12:00"), detail="unattributed", amount=99000)

    now = at("2026-04-01T09:00")
    named = members.get_or_create_member(session, "console", SECRET_PLATFORM_ID, now)
    named.display_name = "山田さん"
    unnamed = members.get_or_create_member(session, "console", "U-another-secret-id", now)
    event = events.create_event(
        session,
        settings.city,
        title="春のマルシェ",
        starts_at=at("2026-04-05T10:00"),
        location="四季文化館",
        organizer_id=named.id,
        now=now,
    )
    space = get_or_create_space(session, Place("console", GROUP, "マルシェの会"), now, name="マルシェの会")
    events.bind_space(session, event, space, now)
    events.assign_facilitator(session, event, named, now)
    events.assign_facilitator(session, event, unnamed, now)
    session.info["unnamed_public_id"] = unnamed.public_id


async def test_staff_here_binds_a_group_for_staff_only(staff_group):
    assert await staff_group.say("/staff here", as_user="taro") == [
        "「/staff here」は市の職員だけが使えるコマンドです。"
    ]
    [answer] = await staff_group.say("/staff here")
    assert "職員グループにしました" in answer
    [again] = await staff_group.say("/staff here")
    assert "すでに職員グループ" in again
    with staff_group.runtime.db.session() as session:
        space = session.exec(select(Space).where(Space.platform_space_id == "職員室")).one()
    assert space.purpose == "staff"
    [off] = await staff_group.say("/staff off")
    assert "外しました" in off


async def test_staff_here_needs_a_group(staff_chat):
    [answer] = await staff_chat.say("/staff here")
    assert "グループの中で送ってください" in answer


async def test_an_event_group_cannot_become_a_staff_group(make_settings):
    chat = ConsoleChat(make_settings(), user="staff-sato", group="マルシェの会", staff=True)
    await chat.start()
    try:
        await chat.runtime.db.run(seed, chat.settings)
        [answer] = await chat.say("/staff here")
    finally:
        await chat.stop()
    assert "別の用途" in answer and "使い方" in answer


async def test_weekly_digest_job_twice_sends_once_to_the_staff_group(staff_group):
    runtime = staff_group.runtime
    unnamed = await runtime.db.run(lambda s: (seed(s, staff_group.settings), s.info["unnamed_public_id"])[1])
    await staff_group.say("/staff here")
    start = len(staff_group.said)

    job = weekly_job()
    assert job.period == "week" and job.cron == {"day_of_week": "mon", "hour": "9", "minute": "0"}
    first = await runtime.db.run(run_job, job, staff_group.settings.site, MONDAY, OutboxWriter().write)
    second = await runtime.db.run(run_job, job, staff_group.settings.site, MONDAY, OutboxWriter().write)
    await runtime.sender.drain()
    assert "1件に送りました" in first and "0件に送りました" in second and "送信済み 1件" in second

    sent = staff_group.said[start:]
    assert [(method, target) for method, target, _ in sent] == [("push", "職員室"), ("push", "職員室")]
    text, image = sent[0][2], sent[1][2]
    assert image == "[画像] 週間グラフ 2026-W15"
    assert "週間レポート" in text and "4/6(月)〜4/12(日) (2026-W15)" in text
    assert "投稿数(累計): 5 / 6,000 (0.1%)" in text  # fiscal year to date against the FY 2026 target
    assert "投稿数: 3 (+1)" in text  # this week, and the change from last week's 2
    assert "・[地域ネタ] 春のまち (3件)" in text  # top threads of the week
    assert "ふるさと納税額(円): 10,000 / 800,000 (1.2%)" in text
    assert "春のマルシェ" in text and "山田さん" in text and unnamed in text
    assert "4か月児健診: 2 / 1" in text
    assert "紹介リンクのクリック: 2 (前週比 +2, うちコード不明 1)" in text
    assert "紹介経由の寄附: 1件 10,000円 (前週比 +10,000円)" in text
    assert "https://tsunagaru.example.jp/charts/weekly-2026-W15.png" in text
    for platform_id in (SECRET_PLATFORM_ID, "U-another-secret-id", "staff-sato"):
        assert platform_id not in text


async def test_scheduled_runs_take_one_lease_per_week(staff_group):
    runtime = staff_group.runtime
    await staff_group.say("/staff here")
    job = weekly_job()
    assert await runtime.db.run(run_leased, job, staff_group.settings.site, MONDAY, OutboxWriter().write) is not None
    assert (
        await runtime.db.run(run_leased, job, staff_group.settings.site, MONDAY.replace(hour=15), OutboxWriter().write)
        is None
    )


async def test_no_staff_group_sends_nothing(chat):
    detail = await chat.runtime.db.run(run_job, weekly_job(), chat.settings.site, MONDAY, OutboxWriter().write)
    await chat.runtime.sender.drain()
    assert "0件に送りました" in detail and chat.said == []


async def test_digest_command_answers_staff_now(staff_chat, chat):
    answers = await staff_chat.say("/digest")
    assert answers[0].startswith("📊") and "週間レポート" in answers[0]
    assert re.fullmatch(r"\[画像\] 週間グラフ \d{4}-W\d{2}", answers[1])
    [refused] = await chat.say("/digest")
    assert "市の職員だけ" in refused


async def test_digest_in_an_ordinary_group_goes_to_the_asker_privately(make_settings):
    chat = ConsoleChat(make_settings(), user="staff-sato", group="子育てサークル", staff=True)
    await chat.start()
    try:
        start = len(chat.said)
        await chat.say("/digest")
        sent = chat.said[start:]
    finally:
        await chat.stop()
    assert [target for _, target, _ in sent] == ["staff-sato", "staff-sato", "子育てサークル"]
    assert "1:1トークに送りました" in sent[-1][2]


# ---- chart and dashboard (HTTP) -------------------------------------------------------------------------------------


@pytest.fixture
async def web(make_settings):
    app = create_app(make_settings(STAFF_API_TOKEN="tok"), run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as client:
        yield client


async def test_chart_is_a_png_at_its_signed_address_without_a_login(web):
    """The digest's chart address works without a login (LINE fetches it); the bare address does not (issue #13)."""
    await web.app[RUNTIME].db.run(seed, web.app[RUNTIME].settings)
    signed = "/" + await web.app[RUNTIME].db.run(digest.chart_path, "2026-W15")
    assert (await web.get("/charts/weekly-2026-W15.png")).status == 404
    response = await web.get(signed)
    assert response.status == 200 and response.headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(await response.read()))
    assert image.format == "PNG" and image.size == (1040, 1040)
    for path in ("/charts/weekly-2026-W99.png", "/charts/weekly-2999-W01.png", "/charts/weekly-x.png"):
        assert (await web.get(path)).status == 404, path


async def test_dashboard_with_a_one_time_link(make_settings):
    # Plain http here: the session cookie is Secure whenever PUBLIC_BASE_URL is https, and the test server is http.
    settings = make_settings(PUBLIC_BASE_URL="http://127.0.0.1:8080")
    chat = ConsoleChat(settings, user="staff-sato", staff=True)
    await chat.start()
    try:
        [answer] = await chat.say("/dashboard")
    finally:
        await chat.stop()
    assert "1回だけ有効" in answer
    path = re.search(r"http://127\.0\.0\.1:8080(/dashboard/login/\S+)", answer).group(1)
    async with TestClient(TestServer(create_app(settings, run_workers=False, run_scheduler=False))) as web:
        await check_dashboard_login(web, path)


async def check_dashboard_login(web, path: str) -> None:

    assert (await web.get("/dashboard")).status == 401
    form = await web.get(path)  # a link preview must not spend the link
    assert form.status == 200 and "<form" in await form.text()
    login = await web.post(path, allow_redirects=False)
    assert login.status == 303 and login.headers["Location"] == "/dashboard"
    page = await web.get("/dashboard?fy=2026")
    body = await page.text()
    assert page.status == 200 and "参加者数" in body and 'role="progressbar"' in body and "4か月児健診" in body
    assert 'name="viewport"' in body
    csv_response = await web.get("/dashboard/kpi.csv?fy=2026")
    assert csv_response.status == 200 and (await csv_response.read()).startswith(b"\xef\xbb\xbf")

    web.session.cookie_jar.clear()
    assert (await web.post(path, allow_redirects=False)).status == 401  # used once
    assert (await web.get("/dashboard")).status == 401


async def test_dashboard_accepts_the_bearer_token(web):
    ok = await web.get("/dashboard", headers={"Authorization": "Bearer tok"})
    assert ok.status == 200 and "ふるさと納税額" in await ok.text()
    assert (await web.get("/dashboard", headers={"Authorization": "Bearer nope"})).status == 401


async def test_dashboard_command_is_for_staff(chat):
    [answer] = await chat.say("/dashboard")
    assert "市の職員だけ" in answer


async def test_dashboard_in_headless_chromium_at_phone_width(make_settings, tmp_path):
    """The page as a phone shows it: KPIs as progress bars, the weekly chart loaded, events with their facilitators,
    the touchpoint table, and nothing wider than the screen."""
    from tests.chromium import Browser, require_chromium

    require_chromium()
    settings = make_settings(STAFF_API_TOKEN="tok", CITY_CONFIG=str(city_with_targets(tmp_path)))
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestServer(app, host="127.0.0.1", port=0) as server:
        await app[RUNTIME].db.run(seed, settings)
        async with Browser(tmp_path / "chromium", width=390, height=844) as browser:
            await browser.open(str(server.make_url("/dashboard?fy=2026")), headers={"Authorization": "Bearer tok"})
            text = await browser.evaluate("document.body.innerText")
            bars = await browser.evaluate("document.querySelectorAll('[role=progressbar]').length")
            chart = await browser.evaluate(
                "(() => { const i = document.querySelector('img.chart');"
                " return i ? [i.complete, i.naturalWidth] : null })()"
            )
            overflow = await browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert "参加者数" in text and "4か月児健診" in text
    assert "イベントと世話人" in text and "春のマルシェ" in text and "山田さん" in text
    assert bars == 3  # the KPIs with a FY 2026 target in the city config
    assert chart is not None and chart[0] and chart[1] > 0  # the weekly chart PNG loaded in the browser
    assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"


# ---- staff groups in English, the dashboard's events, the login tokens ----------------------------------------------


async def test_staff_commands_answer_in_the_members_language(staff_group):
    await staff_group.say("/lang en")
    [refused] = await staff_group.say("/staff off")
    assert refused == "This group is not a staff group.\nUsage: /staff off"
    [help_text] = await staff_group.say("/help")
    assert "/staff here … make this group a staff group (gets the weekly digest)" in help_text
    assert "/digest … get the weekly digest now" in help_text
    assert await staff_group.say("/staff here") == [
        "This group is now a staff group. The weekly digest arrives here on Mondays at 9:00."
    ]
    assert await staff_group.say("/staff here") == ["This group is already a staff group."]
    assert await staff_group.say("/staff off") == ["This group is no longer a staff group."]


async def test_the_digest_reaches_a_staff_group_in_the_group(staff_group):
    await staff_group.say("/staff here")
    start = len(staff_group.said)
    await staff_group.say("/レポート")  # the catalogue's alias
    sent = staff_group.said[start:]
    assert [target for _, target, _ in sent] == ["職員室", "職員室"]  # the digest and its chart, not a 1:1 chat
    assert "週間レポート" in sent[0][2] and sent[1][2].startswith("[画像]")


def _awkward_events(session) -> None:
    """A closed event whose title is markup, with no facilitator and a group the bot left; one with no group."""
    now = at("2026-04-01T09:00")
    organizer = members.get_or_create_member(session, "console", "organizer", now)
    closed = Event(
        code="AAAAAA",
        title="<script>alert(1)</script>",
        starts_at=at("2026-05-01T10:00"),
        location="公民館",
        organizer_id=organizer.id,
        created_at=now,
        closed_at=at("2026-05-02T10:00"),
    )
    lonely = Event(
        code="BBBBBB",
        title="グループのない会",
        starts_at=at("2026-06-01T10:00"),
        location="公民館",
        organizer_id=organizer.id,
        created_at=now,
    )
    space = Space(
        platform="console",
        kind="group",
        platform_space_id="left-group",
        name="<b>去った会</b>",
        purpose="event",
        created_at=now,
        bot_present=False,
        detached_at=at("2026-05-03T10:00"),
    )
    session.add_all([closed, lonely, space])
    session.flush()
    session.add(EventSpace(event_id=closed.id, space_id=space.id, bound_at=now))


async def test_dashboard_events_are_escaped_and_flagged(web):
    await web.app[RUNTIME].db.run(_awkward_events)
    page = await (await web.get("/dashboard?fy=2026", headers={"Authorization": "Bearer tok"})).text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;（終了）" in page
    assert "&lt;b&gt;去った会&lt;/b&gt; ・ ボット退出" in page
    assert page.count('<b class="warn">未指名</b>') == 2
    assert "グループのない会" in page and "グループ未登録" in page
    empty = await (await web.get("/dashboard?fy=2020", headers={"Authorization": "Bearer tok"})).text()
    assert "この年度のイベントはまだありません。" in empty and "<title>KPI 2020年度</title>" in empty


def test_dashboard_links_work_once_briefly_and_only_for_staff(make_settings):
    from community import dashboard
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.models import Role

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    now = at("2026-04-13T09:00")
    try:
        staff_id = db.call(lambda s: members.get_or_create_member(s, "console", "staff-sato", now).id)
        db.call(lambda s: members.grant(s, staff_id, members.STAFF, now))
        link = db.call(dashboard.create_login, staff_id, now)
        late = db.call(dashboard.create_login, staff_id, now)
        session_token = db.call(dashboard.exchange_link, link, now)
        assert session_token is not None
        assert db.call(dashboard.exchange_link, link, now) is None  # once
        assert db.call(dashboard.exchange_link, late, now + timedelta(minutes=dashboard.LINK_MINUTES)) is None
        assert db.call(dashboard.check_token, session_token, now, dashboard.LINK) is None  # not a link
        assert db.call(dashboard.check_token, "x" * 65, now, dashboard.SESSION) is None
        assert db.call(dashboard.check_token, session_token, now + timedelta(hours=7), dashboard.SESSION) == staff_id
        assert db.call(dashboard.check_token, session_token, now + timedelta(hours=8), dashboard.SESSION) is None
        db.call(lambda s: s.execute(delete(Role).where(Role.member_id == staff_id)))
        assert db.call(dashboard.check_token, session_token, now, dashboard.SESSION) is None  # no longer staff
    finally:
        db.close()
