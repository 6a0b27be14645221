"""Announcements (issue 15), through the signed webhook and the fake LINE API: the /announce dialogue (typed answers),
the preview and cost, multicasts valid against LINE's spec with at most 500 ids and an aggregation unit, nobody who
stopped announcements reached or counted, the cap enforced exactly at its edge (and a staff admin's audited override),
topics, scheduling, /announce list and cancel, and a scheduled announcement sent once by two instances on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.config import DEFAULT_CITY_CONFIG
from bot.line.insight import UnitStatistics, period_end
from community import announce, budget, digest, segments
from community.announce import Draft
from community.messages import Postbox
from community.problems import Problem
from scheduler.runner import run_job
from storage.db import utcnow
from storage.models import Member, OutboxMessage, PlatformAccount
from storage.models.announce import Announcement, AnnounceOptOut
from storage.models.audit import AuditEntry
from tests import line_payloads as lp
from tests.announce_helpers import budget_toml, city_file, say, seed_members
from tests.conftest import postgres_database
from tests.fake_line import MULTICAST, UNIT_STATISTICS

TOKYO = ZoneInfo("Asia/Tokyo")
ADMIN = lp.user_id("admin-sato")
STAFF = lp.user_id("staff-suzuki")


def multicast_calls(fake):
    return fake.requests(MULTICAST)


def assert_valid_multicasts(fake) -> list[dict]:
    """Every multicast was accepted by the fake (SDK model + OpenAPI schema + LINE's rules) with <= 500 ids."""
    calls = multicast_calls(fake)
    assert calls and all(c.status == 200 for c in calls), [(c.status, c.answer) for c in calls if c.status != 200]
    assert fake.openapi_checked > 0
    bodies = [c.json for c in calls]
    assert all(1 <= len(b["to"]) <= 500 for b in bodies)
    assert all(c.retry_key for c in calls) and len({c.retry_key for c in calls}) == len(calls)
    return bodies


# ---- the dialogue, end to end ------------------------------------------------------------------------------------


async def test_the_dialogue_sends_multicasts_to_the_segment_minus_who_stopped(make_line_bot, tmp_path):
    default_reserves = "[budget]\nmonthly_cap = 30000\n"
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN, CITY_CONFIG=city_file(tmp_path, default_reserves))
    fans = await bot.db.run(seed_members, 1203, "fan", "fan")
    residents = await bot.db.run(seed_members, 7, "resident", "resident")
    stoppers = fans[:3]
    for user in stoppers:
        [stopped] = await say(bot, user, "/announce stop")
        assert "止めました" in stopped and "/announce start" in stopped
    await bot.post(lp.unfollow_event(fans[3]))  # blocked the bot: cannot be reached, not counted
    await bot.settle()

    [ask_text] = await say(bot, ADMIN, "/announce")
    assert "本文" in ask_text
    body = "秋の収穫祭のお知らせです。\n11月23日、四季文化館みの〜れで開催します。"
    [ask_image] = await say(bot, ADMIN, body)
    assert "画像" in ask_image
    [ask_link] = await say(bot, ADMIN, "なし")
    assert "リンク" in ask_link
    [ask_segment] = await say(bot, ADMIN, "申し込む https://www.city.omitama.lg.jp/matsuri")
    assert "だれに送りますか" in ask_segment
    preview = await say(bot, ADMIN, "ファン")
    # The announcement as members see it (a card with the link, then the line on how to stop), then the figures.
    assert preview[0] == "― 市からのお知らせを止めるには「/announce stop」と送ってください。"
    figures = preview[-1]
    assert "対象: 1,199人（うち LINE 1,199人）" in figures
    assert "この配信は 1,199 通分です。今月の残りは 27,600 通です。" in figures  # 30,000 less 8% kept for automated
    [sent] = await say(bot, ADMIN, "今すぐ送る")
    assert sent == "お知らせ #1 を送りました（1,199人、LINE 1,199通分）。"
    assert bot.fake.pushes() == []  # every answer went as a (free) reply
    bodies = assert_valid_multicasts(bot.fake)
    assert sorted(len(b["to"]) for b in bodies) == [199, 500, 500]
    reached = [uid for b in bodies for uid in b["to"]]
    assert sorted(reached) == sorted(fans[4:]) and len(reached) == len(set(reached))
    assert not set(reached) & (set(stoppers) | set(residents) | {fans[3]})
    assert {tuple(b["customAggregationUnits"]) for b in bodies} == {("announce_1",)}
    first = bodies[0]["messages"]
    assert [m["type"] for m in first] == ["flex", "text"]
    assert first[0]["contents"]["footer"]["contents"][0]["action"] == {
        "type": "uri",
        "label": "申し込む",
        "uri": "https://www.city.omitama.lg.jp/matsuri",
    }
    assert first[1]["text"].startswith("― 市からのお知らせを止めるには")
    assert first[1]["quickReply"]["items"][0]["action"]["text"] == "/announce stop"
    assert bot.fake.units_sent["announce_1"] == 1199
    with bot.db.session() as session:
        row = session.exec(select(Announcement)).one()
        assert (row.status, row.recipients, row.billable, row.unit) == ("sent", 1199, 1199, "announce_1")
        assert {r.kind for r in session.exec(select(OutboxMessage).where(OutboxMessage.method == "multicast"))} == {
            "announcement"
        }


async def test_typed_numbers_press_the_dialogue_buttons_and_cancel_ends_it(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    await bot.db.run(seed_members, 5, "visitor", "visitor")
    await say(bot, ADMIN, "/announce")
    await say(bot, ADMIN, "バス停が移動します")
    await say(bot, ADMIN, "1")  # 1) なし
    [ask_segment] = await say(bot, ADMIN, "１")  # full-width: 1) なし
    assert "だれに送りますか" in ask_segment
    preview = await say(bot, ADMIN, "4")  # 1) 全員 2) 住んでいる 3) 出身 4) 訪れた
    assert preview[0].startswith("バス停が移動します\n\n― 市からのお知らせを止めるには")
    assert "対象: 5人" in preview[-1] and "この配信は 5 通分です（月の上限は設定されていません）。" in preview[-1]
    [cancelled] = await say(bot, ADMIN, "やめる")
    assert cancelled == "取り消しました。"
    assert multicast_calls(bot.fake) == []
    [plain] = await say(bot, ADMIN, "今すぐ送る")  # the dialogue is over: nothing is sent
    assert "送りました" not in plain and multicast_calls(bot.fake) == []


async def test_residents_cannot_announce_and_the_command_is_one_to_one_only(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    [refused] = await say(bot, lp.user_id("resident"), "/announce")
    assert "市の職員" in refused
    [place] = await say(bot, ADMIN, "/announce", group=lp.group_id("some group"))
    assert "1:1" in place


# ---- the cap, exactly at its edge ----------------------------------------------------------------------------------


def _announce_now(session, site, segment: str, by_user: str | None = None, override: bool = False):
    by = None
    if by_user is not None:
        by = session.exec(select(Member).join(PlatformAccount).where(PlatformAccount.platform_user_id == by_user)).one()
    now = datetime.now(site.tz)
    return announce.create(session, site, Draft("お知らせ", segment), now, by, now, override=override).id


async def test_the_cap_is_enforced_exactly_at_its_edge(make_line_bot, tmp_path):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN, CITY_CONFIG=city_file(tmp_path, budget_toml(1000)))
    site = bot.runtime.site
    await bot.db.run(seed_members, 1000, "fan", "fan")
    await bot.db.run(seed_members, 1, "resident", "resident")
    # 1,000 fans cost exactly the 1,000 left: accepted.
    assert await bot.db.run(_announce_now, site, "relation:fan") == 1
    # Nothing is left: one more message is refused, with the figures.
    with pytest.raises(Problem) as refused:
        await bot.db.run(_announce_now, site, "relation:resident")
    assert str(refused.value) == "この配信は 1 通分です。今月の残りは 0 通です。残りを超えるため送れません。"


async def test_one_over_the_remaining_budget_is_refused_unless_an_admin_overrides(make_line_bot, tmp_path):
    bot = await make_line_bot(
        ADMIN_LINE_USER_IDS=ADMIN, CITY_CONFIG=city_file(tmp_path, budget_toml(1000, checkup=10, tip=5))
    )
    fans = await bot.db.run(seed_members, 986, "fan", "fan")  # 1,000 - 15 reserved + 1: one too many
    await say(bot, STAFF, "/help")  # a staff member who is not an admin
    await bot.db.run(_grant_staff, STAFF)

    async def compose(user: str) -> list[str]:
        await say(bot, user, "/announce")
        await say(bot, user, "図書館の休館日のお知らせ")
        await say(bot, user, "なし")
        await say(bot, user, "なし")
        return await say(bot, user, "ファン")

    preview = await compose(STAFF)
    assert "この配信は 986 通分です。今月の残りは 985 通です。" in preview[-1]
    assert "今月の残りを超えるため、このままでは送れません。" in preview[-1]
    [refusal] = await say(bot, STAFF, "今すぐ送る")
    assert refusal.startswith("この配信は 986 通分です。今月の残りは 985 通です。残りを超えるため送れません。")
    assert "上限を超えて送る" not in refusal and "管理者だけ" in refusal
    assert multicast_calls(bot.fake) == []
    await say(bot, STAFF, "やめる")

    await compose(ADMIN)
    [offer] = await say(bot, ADMIN, "今すぐ送る")
    assert "残りを超えるため送れません" in offer and "監査ログ" in offer
    [sent] = await say(bot, ADMIN, "はい")  # the override button, by typing
    assert sent.startswith("お知らせ #1 を送りました（986人")
    assert sorted(uid for b in assert_valid_multicasts(bot.fake) for uid in b["to"]) == sorted(fans)
    with bot.db.session() as session:
        logged = [(e.action, e.target) for e in session.exec(select(AuditEntry)) if e.action.startswith("announce")]
        assert logged == [("announce.create", "announcement:1"), ("announce.override", "announcement:1")]
        assert session.get(Announcement, 1).over_budget


def _grant_staff(session, user: str) -> None:
    from community import members

    member = members.find_member(session, "line", user)
    members.grant(session, member.id, members.STAFF, utcnow())


async def test_the_remaining_budget_counts_lines_reading_and_what_was_sent_since(make_line_bot, tmp_path):
    bot = await make_line_bot(CITY_CONFIG=city_file(tmp_path, budget_toml(5000)))
    site = bot.runtime.site
    bot.fake.quota, bot.fake.used_before = 3000, 1200  # LINE's own plan is tighter than the city's cap
    await bot.runtime.line_quota.status()
    month = await bot.db.run(lambda s: budget.month(s, site, utcnow()))
    assert (month.cap, month.used, month.queued, month.remaining) == (3000, 1200, 0, 1800)


# ---- topics ------------------------------------------------------------------------------------------------------


async def test_stopping_one_topic_keeps_the_others(make_line_bot, tmp_path):
    topics = '[announce]\ntopics = ["子育て", "イベント"]\n'
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN, CITY_CONFIG=city_file(tmp_path, topics))
    site = bot.runtime.site
    hana, taro = await bot.db.run(seed_members, 2, "resident", "topic")
    [asked] = await say(bot, hana, "/announce stop")
    assert asked == "どのお知らせを止めますか？"
    event = lp.text_event("/announce stop 子育て", hana)  # the button under the question sends this
    await bot.post(event)
    await bot.settle()
    assert "「子育て」のお知らせを止めました" in bot.fake.reply_texts(event["replyToken"])[0]

    def send(session, topic: str) -> int:
        now = datetime.now(site.tz)
        created = announce.create(session, site, Draft("健診の日程", "all", topic), now, None, now)
        return announce.deliver(session, site, created, now, Postbox())

    assert await bot.db.run(send, "子育て") == 1  # taro only
    assert await bot.db.run(send, "イベント") == 2
    with pytest.raises(Problem):
        await bot.db.run(send, "防災")  # not one of the city's topics
    await say(bot, hana, "/announce start 子育て")
    assert await bot.db.run(send, "子育て") == 2
    # The line under a topic's announcement names the topic's own stop command.
    text = announce.messages(Draft("健診の日程", "all", "子育て"), "ja")[-1]
    assert text.text.endswith("「子育て」のお知らせを止めるには「/announce stop 子育て」と送ってください。")
    assert text.quick_replies[0].text == "/announce stop 子育て"
    with bot.db.session() as session:
        assert session.exec(select(AnnounceOptOut)).all() == []  # started again: no stop left
    assert taro != hana


async def test_english_readers_get_the_stop_line_in_english_in_their_own_multicast(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    ja, en = await bot.db.run(seed_members, 2, "fan", "lang")
    await say(bot, en, "/lang en")
    await say(bot, ADMIN, "/announce Road works on Route 6")
    await say(bot, ADMIN, "none")
    await say(bot, ADMIN, "none")
    await say(bot, ADMIN, "ファン")
    await say(bot, ADMIN, "今すぐ")
    bodies = assert_valid_multicasts(bot.fake)
    by_reader = {b["to"][0]: b["messages"][-1]["text"] for b in bodies}
    assert by_reader[ja].endswith("と送ってください。")
    assert by_reader[en].endswith('― To stop the city\'s announcements, send "/announce stop".')


# ---- scheduling, list, cancel ----------------------------------------------------------------------------------------


async def test_a_scheduled_announcement_waits_for_the_job_and_can_be_cancelled(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    await bot.db.run(seed_members, 3, "native", "native")
    later = (datetime.now(TOKYO) + timedelta(days=2)).replace(second=0, microsecond=0)
    for text in ("成人式のご案内", "同窓会のお知らせ"):
        await say(bot, ADMIN, f"/announce {text}")
        await say(bot, ADMIN, "なし")
        await say(bot, ADMIN, "なし")
        await say(bot, ADMIN, "出身")
        [scheduled] = await say(bot, ADMIN, later.strftime("%Y-%m-%d %H:%M"))
        assert "に予約しました（3通分）" in scheduled
    [listed] = await say(bot, ADMIN, "/announce list")
    assert "#1" in listed and "#2" in listed and "成人式のご案内" in listed and "出身" in listed
    [cancelled] = await say(bot, ADMIN, "/announce cancel 2")
    assert cancelled == "お知らせ #2（同窓会のお知らせ）を取り消しました。"
    [again] = await say(bot, ADMIN, "/announce cancel 2")
    assert "取り消せません" in again
    job = next(j for j in bot.runtime.jobs if j.name == "announcements")
    site = bot.runtime.site
    await bot.db.run(run_job, job, site, datetime.now(TOKYO), bot.runtime.outbox.write)
    await bot.settle()
    assert multicast_calls(bot.fake) == []  # not due yet
    await bot.db.run(run_job, job, site, later + timedelta(minutes=1), bot.runtime.outbox.write)
    await bot.settle()
    bodies = assert_valid_multicasts(bot.fake)
    assert len(bodies) == 1 and bodies[0]["messages"][0]["text"].startswith("成人式のご案内")
    with bot.db.session() as session:
        statuses = {a.id: a.status for a in session.exec(select(Announcement))}
        assert statuses == {1: "sent", 2: "cancelled"}
        actions = [e.action for e in session.exec(select(AuditEntry)) if e.action.startswith("announce")]
        assert actions == ["announce.create", "announce.create", "announce.cancel"]


async def test_a_bad_answer_is_explained_and_the_question_stands(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    await say(bot, ADMIN, "/announce お知らせ")
    [bad] = await say(bot, ADMIN, "http://insecure.example.jp/a.png")
    assert "https://" in bad and "もう一度" in bad
    [ask_link] = await say(bot, ADMIN, "なし")
    assert "リンク" in ask_link
    [bad_link] = await say(bot, ADMIN, "とても長いボタンの文字はここまでにしておきます https://example.jp")
    assert "20字まで" in bad_link
    await say(bot, ADMIN, "なし")
    [bad_segment] = await say(bot, ADMIN, "宇宙人")
    assert "分かりませんでした" in bad_segment
    await say(bot, ADMIN, "全員")
    [past] = await say(bot, ADMIN, "2020-01-01 09:00")
    assert "過ぎた日時" in past


# ---- a scheduled announcement is sent once with two instances on PostgreSQL -------------------------------------------


@pytest.fixture
def shared_database_url():
    return postgres_database()


def _schedule_many(session, site, count: int, at: datetime) -> None:
    now = datetime.now(site.tz)
    for n in range(count):
        announce.create(session, site, Draft(f"お知らせ {n}", "relation:fan"), at, None, now)


async def test_a_scheduled_announcement_is_sent_once_by_two_instances_on_postgres(make_line_bot, shared_database_url):
    first = await make_line_bot(DATABASE_URL=shared_database_url)
    second = await make_line_bot(DATABASE_URL=shared_database_url)
    fans = await first.db.run(seed_members, 1100, "fan", "fan")
    site = first.runtime.site
    soon = datetime.now(TOKYO) + timedelta(minutes=1)
    await first.db.run(_schedule_many, site, 6, soon)
    job = next(j for j in first.runtime.jobs if j.name == "announcements")
    due = soon + timedelta(minutes=1)
    # Both instances run the job at the same moment, twice (no slot lease: only the per-announcement claim decides).
    for _ in range(2):
        await asyncio.gather(
            first.db.run(run_job, job, site, due, first.runtime.outbox.write),
            second.db.run(run_job, job, second.runtime.site, due, second.runtime.outbox.write),
        )
    await first.settle()  # one sender delivers what both instances wrote (the outbox is shared)
    bodies = assert_valid_multicasts(first.fake)
    for n in range(1, 7):
        unit = f"announce_{n}"
        reached = [uid for b in bodies if b["customAggregationUnits"] == [unit] for uid in b["to"]]
        assert sorted(reached) == sorted(fans), unit  # every fan once, nobody twice
    with first.db.session() as session:
        assert {a.status for a in session.exec(select(Announcement))} == {"sent"}
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "announcement")).all()
        assert len(rows) == 6 * 3 and {r.status for r in rows} == {"sent"}


# ---- LINE's figures per announcement -------------------------------------------------------------------------------


async def test_lines_statistics_per_unit_reach_the_digest(make_line_bot, tmp_path):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN, CITY_CONFIG=city_file(tmp_path, budget_toml(30000)))
    await bot.db.run(seed_members, 40, "fan", "fan")
    await say(bot, ADMIN, "/announce 朝市を開きます")
    await say(bot, ADMIN, "なし")
    await say(bot, ADMIN, "なし")
    await say(bot, ADMIN, "ファン")
    await say(bot, ADMIN, "今すぐ送る")
    stats = UnitStatistics(bot.fake.url, bot.fake.token, bot.db)
    try:
        assert await stats.refresh() == 1  # LINE has not aggregated yet: empty figures, read again later
        with bot.db.session() as session:
            assert session.get(Announcement, 1).opened is None
        bot.fake.unit_statistics["announce_1"] = {"uniqueImpression": 31, "uniqueClick": 7}
        stats.clock = lambda: utcnow() + timedelta(hours=7)
        assert await stats.refresh() == 1
    finally:
        await stats.close()
    calls = bot.fake.requests(UNIT_STATISTICS)
    assert [c.status for c in calls] == [200, 200]
    today = datetime.now(TOKYO).strftime("%Y%m%d")
    assert calls[0].query == {"customAggregationUnit": "announce_1", "from": today, "to": today}
    with bot.db.session() as session:
        row = session.get(Announcement, 1)
        assert (row.opened, row.clicked) == (31, 7)
        text = digest.build(session, bot.runtime.site, datetime.now(TOKYO) + timedelta(days=7)).text
    assert "■ お知らせ配信と LINE の配信枠" in text
    assert "対象 40人・40通 ・開封 31人・クリック 7人" in text


def test_the_statistics_period_ends_today_or_after_thirty_days():
    now = datetime(2026, 11, 30, 3, 0, tzinfo=TOKYO)
    assert period_end("20261125", now) == "20261130"
    assert period_end("20261001", now) == "20261030"


# ---- segments ----------------------------------------------------------------------------------------------------


def test_typed_segments_read_as_keys(make_settings):
    from storage.db import Database
    from storage.migrate import upgrade

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        parse = lambda text: db.call(segments.parse, text)  # noqa: E731
        assert parse("全員") == "all"
        assert parse("ファン") == "relation:fan" and parse("Natives") == "relation:native"
        assert parse("出身・以前住んでいた") == "relation:native"  # the relation's own label
        assert parse("LINE") == "platform:line"
        assert parse("子育て") == "childcare" and parse("子育て 0-2歳") == "childcare:0-2"
        assert parse("Parents 3-5") == "childcare:3-5" and parse("妊娠中") == "childcare:prenatal"
        with pytest.raises(Problem):
            parse("子育て 5-2")
        with pytest.raises(Problem):
            parse("イベント NOPE99")
        assert segments.label("childcare:0-2", "ja") == "子育て中の保護者（子ども0〜2歳）"
    finally:
        db.close()


def test_the_budget_keeps_each_kinds_reserve_from_the_kinds_after_it():
    month = budget.Month(
        "2026-11",
        cap=1000,
        used=100,
        queued=0,
        by_kind={"checkup": 40},
        reserve={"checkup": 100, "reminder": 10, "nudge": 50, "tip": 30, "staff": 20, "event_news": 5},
    )
    assert month.room("checkup") == 900
    assert month.room("reminder") == 900 - 60
    assert month.room("nudge") == 900 - 60 - 10
    assert month.room("staff") == 900 - 60 - 10 - 50 - 30
    assert month.room("event_news") == 900 - 60 - 10 - 50 - 30 - 20
    assert month.remaining == 900 - 60 - 10 - 50 - 30 - 20 - 5
    assert json.dumps(month.reserve)
    assert re.fullmatch(r"\d{4}-\d{2}", month.label)


# ---- Discord, and forgetting -------------------------------------------------------------------------------------


def test_on_discord_an_announcement_is_one_post_in_the_announcement_channel(make_settings, tmp_path):
    from community.city import load_city
    from handlers.features import site_for
    from storage.db import Database
    from storage.migrate import upgrade

    channel = "[discord]\nannouncements_channel = 123456789012345678\n"
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8").replace("[discord]\n", channel, 1)
    settings = make_settings()
    city = load_city(_write(tmp_path / "discord.toml", text))
    site = site_for(city, "https://example.jp", TOKYO, {"line", "discord"})
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        db.call(seed_members, 3, "fan", "fan")

        def send(session, segment: str) -> Postbox:
            now = datetime.now(TOKYO)
            box = Postbox()
            created = announce.create(session, site, Draft("花火大会", segment), now, None, now)
            announce.deliver(session, site, created, now, box)
            return box

        everyone = db.call(send, "all")
        fans_only = db.call(send, "relation:fan")
    finally:
        db.close()
    [line, discord_post] = everyone.items
    assert (line.platform, line.method, len(line.target), line.unit) == ("line", "multicast", 3, "announce_1")
    assert (discord_post.platform, discord_post.target, discord_post.kind) == (
        "discord",
        "123456789012345678",
        "announcement",
    )
    assert discord_post.messages[0].text.startswith("花火大会\n\n― このチャンネルのお知らせは")
    assert [item.platform for item in fans_only.items] == ["line"]  # a segment: one by one, not the channel


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


async def test_forget_me_removes_the_stops_and_the_authors_name(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    [hana] = await bot.db.run(seed_members, 1, "fan", "forget")
    await say(bot, hana, "/announce stop")
    await say(bot, ADMIN, "/announce 朝市")
    await say(bot, ADMIN, "なし")
    await say(bot, ADMIN, "なし")
    await say(bot, ADMIN, "全員")
    await say(bot, ADMIN, "今すぐ送る")
    for user in (hana, ADMIN):
        await say(bot, user, "/forget-me confirm")
    with bot.db.session() as session:
        assert session.exec(select(AnnounceOptOut)).all() == []
        assert session.get(Announcement, 1).created_by is None


def _spend(session, cost: int) -> None:
    """LINE messages the city sent this month by other means (e.g. from LINE Official Account Manager)."""
    now = utcnow()
    session.add(
        OutboxMessage(
            platform="line",
            method="push",
            target=lp.user_id("elsewhere"),
            messages="[]",
            retry_key=str(now.timestamp()),
            status="sent",
            created_at=now,
            next_attempt_at=now,
            sent_at=now,
            cost=cost,
            kind="",
        )
    )


async def test_a_scheduled_announcement_that_no_longer_fits_is_held_and_its_author_told(make_line_bot, tmp_path):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN, CITY_CONFIG=city_file(tmp_path, budget_toml(10)))
    await bot.db.run(seed_members, 5, "fan", "held")
    later = (datetime.now(TOKYO) + timedelta(minutes=5)).replace(second=0, microsecond=0)
    for step in ("/announce 臨時休館のお知らせ", "なし", "なし", "ファン"):
        await say(bot, ADMIN, step)
    [scheduled] = await say(bot, ADMIN, later.strftime("%Y-%m-%d %H:%M"))
    assert "（5通分）" in scheduled
    await bot.db.run(_spend, 8)  # meanwhile the month's room shrank to 2
    job = next(j for j in bot.runtime.jobs if j.name == "announcements")
    await bot.db.run(run_job, job, bot.runtime.site, later + timedelta(minutes=1), bot.runtime.outbox.write)
    await bot.settle()
    assert multicast_calls(bot.fake) == []
    [notice] = [m["text"] for p in bot.fake.pushes(to=ADMIN) for m in p["messages"]]
    assert notice.startswith(
        "予約していたお知らせ #1（5通分）は、今月の残りに収まらなくなったため送らずに保留しました。"
    )
    [listed] = await say(bot, ADMIN, "/announce list")
    assert "保留（枠不足）" in listed


# ---- segments of the living-in-the-town and events issues ---------------------------------------------------------


def _register_areas(session) -> None:
    from community import areas

    now = utcnow()
    for name, district, school in (
        ("小川1区", "小川", "小川小学校"),
        ("小川2区", "小川", "小川小学校"),
        ("竹原3区", "美野里", "竹原小学校"),
    ):
        areas.add_area(session, name, district, school, now)


async def test_an_announcement_reaches_the_people_of_a_ku_or_a_school_district(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    await bot.db.run(_register_areas)
    first, second, takehara = [await bot.db.run(seed_members, 2, "resident", ku) for ku in ("ku1", "ku2", "ku3")]
    nowhere = await bot.db.run(seed_members, 1, "resident", "nowhere")
    for users, ku in ((first, "小川1区"), (second, "小川2区"), (takehara, "竹原3区")):
        for user in users:
            [recorded] = await say(bot, user, f"/area mine {ku}")
            assert ku in recorded

    async def announce_to(segment_words: str) -> set[str]:
        before = len(multicast_calls(bot.fake))
        for step in ("/announce 草刈りの日程が変わりました", "なし", "なし"):
            await say(bot, ADMIN, step)
        preview = await say(bot, ADMIN, segment_words)
        assert "対象:" in preview[-1], preview
        await say(bot, ADMIN, "今すぐ送る")
        await bot.settle()
        return {uid for call in multicast_calls(bot.fake)[before:] for uid in call.json["to"]}

    assert await announce_to("区 小川1区") == set(first)
    assert await announce_to("小学校区 小川小学校") == set(first + second)
    assert await announce_to("学区 竹原") == set(takehara)  # one school starts so: that one
    assert set(nowhere + first + takehara) <= await announce_to("全員")  # those without a 区 only here
    assert segments.label("area:小川1区", "ja").startswith("小川1区に住む人")
    await say(bot, ADMIN, "/announce 確認")
    for step in ("なし", "なし"):
        await say(bot, ADMIN, step)
    [refused] = await say(bot, ADMIN, "区 どこにもない区")
    assert "どこにもない区" in refused


def test_people_registered_for_an_event_are_among_its_participants(make_settings):
    from community import events
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.models.events import EventRegistration

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)

    def register(session) -> tuple[set[int], set[int]]:
        seed_members(session, 3, "fan", "event")
        people = session.exec(select(Member)).all()
        from community.city import load_city

        event = events.create_event(
            session,
            load_city(DEFAULT_CITY_CONFIG),
            title="収穫祭",
            starts_at=datetime(2026, 12, 5, 10, tzinfo=TOKYO),
            location="みの〜れ",
            organizer_id=people[0].id,
            now=utcnow(),
        )
        for member, status in zip(people, ("registered", "waiting", "cancelled"), strict=True):
            session.add(
                EventRegistration(
                    event_id=event.id, member_id=member.id, platform="line", status=status, registered_at=utcnow()
                )
            )
        session.flush()
        found = set(session.exec(segments.member_ids(session, f"event:{event.code}", utcnow().date())).all())
        return found, {people[0].id, people[1].id}

    try:
        found, expected = db.call(register)
    finally:
        db.close()
    assert found == expected  # registered and waiting; not who cancelled
