"""The LINE monthly message quota: read from the Messaging API (at most every N minutes, never on the webhook path),
projected to the month's end, shown in /healthz and warned about in the weekly digest. Replies are free, so a reply
is preferred over a push while the reply token is valid.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from community import digest, quota
from tests import line_payloads as lp
from tests.fake_line import PUSH, REPLY

JST = ZoneInfo("Asia/Tokyo")
QUOTA_PATHS = ("/v2/bot/message/quota", "/v2/bot/message/quota/consumption")
HANAKO = lp.user_id("hanako")


class FixedClock:
    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def _quota_calls(fake) -> int:
    return sum(len(fake.requests(path)) for path in QUOTA_PATHS)


# ---- the projection -------------------------------------------------------------------------------------------------


def test_projection_follows_the_pace_so_far():
    # 10 days into a 30-day month, 400 sent: 1,200 by the end.
    assert quota.project(400, datetime(2026, 11, 11, 0, 0, tzinfo=JST)) == 1200
    # The first hours of a month count as a whole day (no wild guess from a few pushes at 00:05).
    assert quota.project(50, datetime(2026, 11, 1, 0, 5, tzinfo=JST)) == 1500
    assert quota.project(0, datetime(2026, 2, 20, tzinfo=JST)) == 0
    assert quota.project(275, datetime(2026, 2, 28, 12, tzinfo=JST)) == 280  # 27.5 days of 28


def test_status_warns_only_when_the_projection_passes_a_limit():
    read = datetime(2026, 11, 11, tzinfo=UTC)
    assert quota.QuotaStatus(1000, 400, 1200, read).warning
    assert not quota.QuotaStatus(1000, 300, 900, read).warning
    assert not quota.QuotaStatus(None, 99999, 999999, read).warning  # no limit on this plan
    assert quota.QuotaStatus(1000, 400, 1200, read).as_dict() == {
        "limit": 1000,
        "used": 400,
        "projected": 1200,
        "warning": True,
        "read_at": "2026-11-11T00:00:00+00:00",
    }


# ---- reading from the Messaging API ----------------------------------------------------------------------------------


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 11, 11, 0, 0, tzinfo=JST).astimezone(UTC))


async def test_the_monitor_reads_quota_and_consumption_and_caches_them(line_bot, clock):
    fake = line_bot.fake
    fake.quota, fake.used_before = 1000, 400
    monitor = line_bot.runtime.line_quota
    monitor.clock = clock
    status = await monitor.status()
    assert (status.limit, status.used, status.projected, status.warning) == (1000, 400, 1200, True)
    assert [len(fake.requests(p, "GET")) for p in QUOTA_PATHS] == [1, 1]

    fake.used_before = 500
    clock.advance(minutes=29)
    assert (await monitor.status()).used == 400  # cached: LINE is not asked again yet
    assert _quota_calls(fake) == 2
    clock.advance(minutes=2)
    assert (await monitor.status()).used == 500
    assert _quota_calls(fake) == 4


async def test_healthz_shows_the_quota_and_asks_line_at_most_every_n_minutes(line_bot, clock):
    fake = line_bot.fake
    fake.quota, fake.used_before = 1000, 200
    line_bot.runtime.line_quota.clock = clock
    for _ in range(5):
        body = await line_bot.healthz()
    assert body["line_quota"] == {
        "limit": 1000,
        "used": 200,
        "projected": 600,
        "warning": False,
        "read_at": clock.now.isoformat(),
    }
    assert _quota_calls(fake) == 2

    fake.used_before = 900
    clock.advance(hours=1)
    body = await line_bot.healthz()
    assert body["line_quota"]["warning"] is True
    assert body["line_quota"]["projected"] == quota.project(900, clock.now.astimezone(JST)) == 2689
    assert body["ok"] is True  # a warning is for staff; the service itself is healthy


async def test_an_unlimited_plan_never_warns(line_bot, clock):
    line_bot.fake.quota, line_bot.fake.used_before = None, 10**6
    line_bot.runtime.line_quota.clock = clock
    body = await line_bot.healthz()
    assert body["line_quota"]["limit"] is None and body["line_quota"]["warning"] is False


async def test_when_line_cannot_answer_the_last_reading_stays(line_bot, clock):
    fake = line_bot.fake
    fake.used_before = 100
    line_bot.runtime.line_quota.clock = clock
    first = (await line_bot.healthz())["line_quota"]
    fake.fail_next("/v2/bot/message/quota", 500)
    clock.advance(hours=1)
    body = await line_bot.healthz()
    assert body["ok"] is True and body["line_quota"] == first


async def test_no_quota_reading_before_the_first_one(line_bot):
    line_bot.fake.fail_next("/v2/bot/message/quota", 500)
    body = await line_bot.healthz()
    assert body["ok"] is True and body["line_quota"] is None


async def test_the_webhook_path_never_reads_the_quota(line_bot):
    for i in range(5):
        await line_bot.post(lp.text_event(f"/help {i}", HANAKO), lp.follow_event(lp.user_id(f"new{i}")))
    await line_bot.settle()
    assert line_bot.fake.replies()
    assert _quota_calls(line_bot.fake) == 0


async def test_healthz_has_no_quota_while_line_is_off(make_settings):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app

    client = TestClient(TestServer(create_app(make_settings(), run_workers=False, run_scheduler=False), port=0))
    await client.start_server()
    try:
        body = await (await client.get("/healthz")).json()
        assert "line_quota" not in body
    finally:
        await client.close()


# ---- the digest warns staff ------------------------------------------------------------------------------------------


async def test_the_weekly_digest_warns_when_the_month_would_pass_the_limit(line_bot, clock):
    fake = line_bot.fake
    fake.quota, fake.used_before = 1000, 400
    line_bot.runtime.line_quota.clock = clock
    await line_bot.runtime.line_quota.status()
    settings = line_bot.settings
    with line_bot.db.session() as session:
        text = digest.build(session, settings.site, clock.now.astimezone(settings.tz)).text
    assert "■ LINEのメッセージ送信数 (今月)" in text
    assert "400通 / 上限 1,000通 (月末の見込み 約1,200通)" in text
    assert "上限を超えます" in text

    fake.used_before = 100
    clock.advance(hours=1)
    await line_bot.runtime.line_quota.status()
    with line_bot.db.session() as session:
        text = digest.build(session, settings.site, clock.now.astimezone(settings.tz)).text
    assert "100通 / 上限 1,000通" in text and "上限を超えます" not in text

    # Next month has no reading yet: no stale figures from the month before.
    with line_bot.db.session() as session:
        text = digest.build(session, settings.site, clock.now.astimezone(settings.tz) + timedelta(days=30)).text
    assert "LINEのメッセージ送信数" not in text


def test_digest_lines_are_empty_without_a_limit():
    read = datetime(2026, 11, 11, tzinfo=UTC)
    assert quota.digest_lines(None) == []
    assert quota.digest_lines(quota.QuotaStatus(None, 5, 15, read)) == []


# ---- replies are free: preferred while the token is valid -------------------------------------------------------------


async def test_a_fresh_reply_token_is_answered_by_a_reply_not_a_push(line_bot):
    fake = line_bot.fake
    event = lp.text_event("/help", HANAKO)
    await line_bot.post(event)
    await line_bot.settle()
    assert fake.reply_texts(event["replyToken"])
    assert fake.requests(PUSH) == [] and fake.consumption() == 0


async def test_an_old_reply_token_falls_back_to_a_counted_push(line_bot):
    fake = line_bot.fake
    two_minutes_ago = int((datetime.now(UTC) - timedelta(minutes=2)).timestamp() * 1000)
    event = lp.text_event("/help", HANAKO, timestamp=two_minutes_ago)
    await line_bot.post(event)
    await line_bot.settle()
    assert fake.requests(REPLY) == []  # not even tried: the token is too old to trust
    assert [p["to"] for p in fake.pushes()] == [HANAKO]
    assert fake.consumption() == 1
