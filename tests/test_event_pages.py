"""Events reach people (issue 16.5): the upcoming events on the public web board with a page each, the iCalendar feed
(/events.ics, checked with the `icalendar` parser and against RFC 5545's line rules), and the notice of a new event
to the people who opted in (LINE, through the signed webhook and the fake LINE API)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from community import event_calendar
from community.city import Site
from tests import line_payloads as lp
from tests.test_event_rsvp import STAFF, Story

TOKYO = ZoneInfo("Asia/Tokyo")
FAN, QUIET = lp.user_id("pages-fan"), lp.user_id("pages-quiet")
TRICKY = '秋祭り; 夜店, 花火\\ と "音楽" ライブ — 小美玉の夏をもう一度たのしむ会（長いタイトルの折り返しを確かめる）'


@pytest.fixture
async def story(make_line_bot, fake_line):
    bot = await make_line_bot()
    await bot.admin(STAFF)
    return Story(bot, fake_line)


async def create(story: Story, title: str, days: int) -> str:
    when = (datetime.now(TOKYO) + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")
    [answer] = await story.say(STAFF, f"/event new {title} | {when} | 四季文化館みの〜れ, 大ホール")
    return re.search(r"イベントコード: ([2-9A-HJ-NP-Z]{6})", answer).group(1)


async def test_the_calendar_feed_is_valid_rfc_5545(story):
    first = await create(story, TRICKY, 3)
    second = await create(story, "冬の集い", 20)
    await story.say(STAFF, f"/event close {second}")  # called off before it began
    response = await story.bot.get("/events.ics")
    assert response.status == 200 and response.content_type == "text/calendar" and response.charset == "utf-8"
    raw = await response.read()
    # RFC 5545 3.1: CRLF line ends, no line longer than 75 octets, continuations start with a space
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    raw.decode("utf-8")  # a fold never splits a character

    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == event_calendar.PRODUCT
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{first}@tsunagaru.example.jp", f"{second}@tsunagaru.example.jp"}
    tricky = events[f"{first}@tsunagaru.example.jp"]
    assert str(tricky["SUMMARY"]) == TRICKY and str(tricky["LOCATION"]) == "四季文化館みの〜れ, 大ホール"
    start = tricky.decoded("DTSTART")
    assert start.tzinfo is not None and start.astimezone(TOKYO).hour == datetime.now(TOKYO).hour
    assert tricky.decoded("DTEND") - start == timedelta(hours=3)  # [events] duration_hours
    assert (
        str(tricky["URL"]) == f"https://tsunagaru.example.jp/events/{first}"
        and f"/join {first}" in tricky["DESCRIPTION"]
    )
    assert str(events[f"{second}@tsunagaru.example.jp"]["STATUS"]) == "CANCELLED"
    for event in events.values():
        assert "DTSTAMP" in event


def test_folding_and_escaping_follow_the_rfc():
    assert event_calendar.escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = event_calendar.fold("SUMMARY:" + "あ" * 40)
    assert [len(part.encode()) for part in folded] == [74, 55] and folded[1].startswith(" ")
    assert "".join(part.removeprefix(" ") for part in folded) == "SUMMARY:" + "あ" * 40


async def test_upcoming_events_on_the_web_board_with_a_page_each(story):
    code = await create(story, "<b>秋の会</b>", 3)
    board = await (await story.bot.get("/board")).text()
    assert "これからのイベント" in board and f'href="/events/{code}"' in board
    assert "&lt;b&gt;秋の会&lt;/b&gt;" in board and "<b>秋の会</b>" not in board  # escaped
    listing = await (await story.bot.get("/events")).text()
    assert f'href="/events/{code}"' in listing and 'href="/events.ics"' in listing
    page = await (await story.bot.get(f"/events/{code}")).text()
    assert f"/join {code}" in page and "四季文化館みの〜れ" in page
    bind = story.rows(__import__("storage.models.events", fromlist=["Event"]).Event)[0].bind_code
    assert bind not in page and bind not in board and bind not in listing  # the secret never shows
    for path in ("/events/ZZZZZZ", "/events/ab", "/events/x/y/z", f"/events/{code.lower()}x"):
        missing = await story.bot.get(path)
        assert missing.status == 404 and "イベントが見つかりません" in await missing.text(), path


async def test_new_events_reach_those_who_opted_in(story, fake_line):
    [question] = await story.say(FAN, "/event news")
    assert "お知らせしましょうか" in question
    [answer] = await story.say(FAN, "はい")  # the question's button, typed
    assert "お知らせします" in answer
    await story.say(STAFF, "/event news on")  # the organizer does not hear of their own event
    before = len(fake_line.multicasts())
    code = await create(story, "新米まつり", 5)
    [notice] = fake_line.multicasts()[before:]
    assert notice["to"] == [FAN] and notice["messages"][0]["altText"].startswith("新しいイベント: 新米まつり")
    assert f"event-join:{code}" in str(notice)
    [answer] = await story.say(FAN, "/event news off")
    assert "止めました" in answer
    await create(story, "次の会", 6)
    assert len(fake_line.multicasts()) == before + 1


def test_the_notice_is_a_push_of_kind_event_news(make_settings):
    from community import event_news, members
    from community import events as ev
    from community.messages import Postbox
    from storage.db import Database
    from storage.migrate import upgrade

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    now = datetime.now(UTC)
    try:
        with db.session() as session:
            fan = members.get_or_create_member(session, "line", FAN, now)
            english = members.get_or_create_member(session, "line", QUIET, now)
            english.lang = "en"
            event_news.subscribe(session, fan, "line", now)
            event_news.subscribe(session, english, "line", now)
            event = ev.create_event(
                session,
                settings.city,
                title="会",
                starts_at=now + timedelta(days=2),
                location="館",
                organizer_id=fan.id,
                now=now,
            )
            box = Postbox()
            assert event_news.announce(session, settings.site, box, event) == 2
            assert {(item.method, item.kind, item.target) for item in box.items} == {
                ("multicast", "event_news", (FAN,)),
                ("multicast", "event_news", (QUIET,)),
            }
            assert {item.messages[0].actions[0].label for item in box.items} == {"参加する", "Join"}
            assert isinstance(settings.site, Site)
    finally:
        db.close()
