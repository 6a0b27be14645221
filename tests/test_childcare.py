"""The childcare app at every touchpoint: tracked QR codes, scans, pushes, checkup notices, opt-out, the 子育て広場
survey, figures for staff and the qr / touchpoints CLI."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import zxingcpp
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image, ImageDraw, ImageFont
from sqlmodel import select
from yarl import URL

from bot.app import RUNTIME, create_app
from bot.console import ConsoleChat
from bot.queues.outbox import OutboxWriter
from community import childcare, fonts, hiroba, periods, qr
from community.messages import POSTBACK
from handlers.childcare import sheet as handlers_sheet
from handlers.childcare.cli import run_qr, run_touchpoints
from handlers.features import all_jobs
from scheduler.runner import run_job
from storage.models import DialogueState, Engagement, PlatformAccount
from storage.models.childcare import ChildcareChild, ChildcareNotice, HirobaSurvey
from tests.conftest import plain_chat

REPO = Path(__file__).resolve().parents[1]
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
EVERY_ID = [
    "boshi-techo",
    "hello-baby",
    "birth-registration",
    "baby-visit",
    "checkup-4m",
    "consult-10m",
    "checkup-1y6m",
    "dental-2y",
    "checkup-3y",
    "checkup-5y",
    "kosodate-hiroba",
]


@pytest.fixture
async def web(make_settings):
    settings = make_settings()
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as client:
        yield client, settings, app[RUNTIME]


@pytest.fixture
async def staff_group(make_settings):
    session = ConsoleChat(make_settings(), user="staff-sato", group="子育て支援課", staff=True)
    await session.start()
    yield session
    await session.stop()


def figures_now(runtime, settings):
    start, end = periods.bounds(
        settings.tz, *periods.fiscal_year_range(periods.fiscal_year_of(datetime.now(settings.tz).date()))
    )
    return runtime.db.call(lambda s: childcare.touchpoint_figures(s, settings.city, start, end))


def engagement_rows(runtime, kind):
    return runtime.db.call(lambda s: list(s.exec(select(Engagement).where(Engagement.kind == kind))))


# ---- QR images and the tracked link ------------------------------------------------------------------------------


async def test_served_png_decodes_to_the_tracked_url(web):
    client, settings, _ = web
    response = await client.get("/qr/checkup-1y6m.png")
    assert response.status == 200 and response.content_type == "image/png"
    image = Image.open(io.BytesIO(await response.read()))
    assert min(image.size) >= 1000
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == "https://tsunagaru.example.jp/go/checkup-1y6m" == settings.public_url("/go/checkup-1y6m")


async def test_served_svg_is_the_same_code(web):
    client, _, _ = web
    response = await client.get("/qr/boshi-techo.svg")
    assert response.status == 200 and response.content_type == "image/svg+xml"
    body = await response.text()
    assert "<svg" in body and "https://tsunagaru.example.jp/go/boshi-techo" in body  # the title names the URL


@pytest.mark.parametrize(
    "agent, device, key",
    [
        (IPHONE, "ios", "ios_url"),
        (ANDROID, "android", "android_url"),
        (DESKTOP, "other", "web_url"),
        ("", "other", "web_url"),
    ],
)
async def test_go_redirects_by_device_and_records_the_scan(web, agent, device, key):
    client, settings, runtime = web
    response = await client.get("/go/checkup-4m", headers={"User-Agent": agent}, allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == getattr(settings.city.app, key)
    assert "Set-Cookie" not in response.headers
    [scan] = engagement_rows(runtime, "qr_scan")
    assert (scan.space, scan.detail, scan.member) == ("touchpoint:checkup-4m", device, None)


async def test_scan_counts_per_touchpoint(web):
    client, settings, runtime = web
    for agent in (IPHONE, ANDROID, DESKTOP):
        await client.get("/go/checkup-4m", headers={"User-Agent": agent}, allow_redirects=False)
    await client.get("/go/boshi-techo", headers={"User-Agent": IPHONE}, allow_redirects=False)
    await client.head("/go/boshi-techo", allow_redirects=False)  # a link checker, not a scan
    figures = figures_now(runtime, settings)
    assert list(figures) == EVERY_ID
    assert figures["checkup-4m"] == {"scans": 3, "pushes": 0}
    assert figures["boshi-techo"] == {"scans": 1, "pushes": 0}
    assert sum(f["scans"] for f in figures.values()) == 4
    start, end = periods.bounds(settings.tz, *periods.fiscal_year_range(periods.fiscal_year_of(date.today())))
    devices = runtime.db.call(lambda s: childcare.scans_by_device(s, start, end))
    assert devices == {"ios": 2, "android": 1, "other": 1}


async def test_unknown_touchpoint_gets_a_japanese_404_page(web):
    client, _, runtime = web
    response = await client.get("/go/no-such-place", allow_redirects=False)
    assert response.status == 404
    assert response.content_type == "text/html"
    body = await response.text()
    assert '<html lang="ja">' in body and "ページが見つかりません" in body
    assert engagement_rows(runtime, "qr_scan") == []


@pytest.mark.parametrize(
    "path",
    [
        "/go/..%2f..%2fetc%2fpasswd",
        "/go/..%2f..",
        "/go/checkup-4m%2f..",
        "/go/checkup-4m/extra",
        "/go/CHECKUP-4M",
        "/go/checkup-4m.png",
        "/go/https:%2f%2fevil.example",
        "/go/%2e%2e",
        "/go/",
        "/go/checkup-4m%00",
        "/qr/x.png.svg",
        "/qr/checkup-4m.png.svg",
        "/qr/checkup-4m.gif",
        "/qr/checkup-4m",
        "/qr/..%2fcheckup-4m.png",
        "/qr/checkup-4m%2f.png",
        "/qr/.png",
        "/qr/checkup-4m.PNG",
    ],
)
async def test_path_tricks_are_not_found(web, path):
    client, _, runtime = web
    response = await client.get(URL(path, encoded=True), allow_redirects=False)
    assert response.status == 404
    assert "Location" not in response.headers
    assert "ページが見つかりません" in await response.text()
    assert engagement_rows(runtime, "qr_scan") == []


def test_device_family():
    assert childcare.device_family(IPHONE) == "ios"
    assert childcare.device_family("Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X)") == "ios"
    assert childcare.device_family(ANDROID) == "android"
    assert childcare.device_family(DESKTOP) == "other"
    assert childcare.device_family(None) == "other"


# ---- staff hand the QR card out in chat ---------------------------------------------------------------------------


async def test_staff_push_the_qr_card_to_the_group(staff_group):
    answers = await staff_group.say("/touchpoint checkup-4m")
    card = next(a for a in answers if "[QR]" in a)
    assert "おみたま子育て" in card and "4か月児健診" in card
    assert "https://tsunagaru.example.jp/qr/card/checkup-4m.png" in card  # the chat-card size (LINE: <= 1024 px)
    assert "https://tsunagaru.example.jp/go/checkup-4m" in card
    assert "健診の日程や予防接種のお知らせ" in card  # [app] why
    assert any("このグループに送りました" in a for a in answers)
    pushes = [(method, target) for method, target, text in staff_group.said if "[QR]" in text]
    assert pushes == [("push", "子育て支援課")]
    [push] = engagement_rows(staff_group.runtime, "qr_push")
    assert (push.space, push.detail) == ("touchpoint:checkup-4m", "group")


async def test_staff_push_the_qr_card_to_a_mentioned_member(staff_group):
    answers = await staff_group.send("/touchpoint kosodate-hiroba @hanako", mentions=("hanako",))
    assert any("1人に1:1で送りました" in a for a in answers)
    to_hanako = [text for method, target, text in staff_group.said if target == "hanako"]
    assert len(to_hanako) == 2
    assert "子育て広場" in to_hanako[0] and "/go/kosodate-hiroba" in to_hanako[0]
    assert to_hanako[1].endswith("\n  2) アンケートに答える")  # a plaza visit invites the survey
    assert ("アンケートに答える", "hiroba:start") in staff_group.buttons()
    assert not any("[QR]" in text for _, target, text in staff_group.said if target == "子育て支援課")
    [push] = engagement_rows(staff_group.runtime, "qr_push")
    assert (push.space, push.detail) == ("touchpoint:kosodate-hiroba", "direct")


async def test_unknown_touchpoint_lists_the_valid_ids(staff_group):
    [answer] = await staff_group.say("/touchpoint checkup-9m")
    assert "「checkup-9m」という接点IDはありません" in answer
    for touchpoint_id in EVERY_ID:
        assert touchpoint_id in answer
    assert engagement_rows(staff_group.runtime, "qr_push") == []


async def test_residents_cannot_hand_out_cards(staff_group):
    [answer] = await staff_group.say("/touchpoint checkup-4m", as_user="someone")
    assert "市の職員だけ" in answer
    assert engagement_rows(staff_group.runtime, "qr_push") == []


# ---- parents opt in; the daily checkup-notices job ---------------------------------------------------------------


def run_notices(chat: ConsoleChat, day: date) -> str:
    job = next(j for j in all_jobs() if j.name == "checkup-notices")
    at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=chat.settings.tz)
    return chat.runtime.db.call(lambda s: run_job(s, job, chat.settings.site, at, OutboxWriter().write))


async def notices_sent(chat: ConsoleChat, day: date) -> list[str]:
    start = len(chat.said)
    run_notices(chat, day)
    await chat.runtime.sender.drain()
    return [text for method, target, text in chat.said[start:] if target == "hanako"]


async def test_checkup_notices_come_exactly_once_on_the_day(chat):
    today = datetime.now(chat.settings.tz).date()
    born = childcare.add_months(today, -3)  # a three-month-old: the 4-month checkup is a month away
    [answer] = await chat.say(f"/child {born.isoformat()}")
    assert f"{childcare.date_text(born)}を登録しました" in answer and "4か月児健診" in answer
    checkup = childcare.add_months(born, 4)
    notice_day = checkup - timedelta(days=14)

    assert await notices_sent(chat, notice_day - timedelta(days=1)) == []
    sent = await notices_sent(chat, notice_day)
    assert len(sent) == 2  # the notice text and the QR card
    assert "4か月児健診" in sent[0] and f"{checkup.year}年{checkup.month}月{checkup.day}日" in sent[0]
    assert f"{born.year}年{born.month}月{born.day}日" in sent[0] and "（予定）" not in sent[0]  # born months ago
    assert "https://tsunagaru.example.jp/qr/card/checkup-4m.png" in sent[1]
    assert "https://tsunagaru.example.jp/go/checkup-4m" in sent[1]
    assert await notices_sent(chat, notice_day) == []  # run twice the same day
    assert await notices_sent(chat, checkup) == []  # and later in the window

    consult = childcare.add_months(born, 10) - timedelta(days=14)
    assert await notices_sent(chat, consult - timedelta(days=1)) == []
    sent = await notices_sent(chat, consult)
    assert "10か月児相談" in sent[0] and "/go/consult-10m" in sent[1]
    pushes = engagement_rows(chat.runtime, "qr_push")
    assert sorted((p.space, p.detail) for p in pushes) == [
        ("touchpoint:checkup-4m", "notice"),
        ("touchpoint:consult-10m", "notice"),
    ]


async def test_a_late_job_catches_up_but_never_announces_a_past_checkup(chat):
    today = datetime.now(chat.settings.tz).date()
    baby = childcare.add_months(today, -3)
    older = childcare.add_months(today, -37)  # the 3-year checkup was a month ago; the 5-year one is far off
    await chat.say(f"/child {baby.isoformat()}")
    await chat.say(f"/child {older.isoformat()}")
    late = childcare.add_months(baby, 4) - timedelta(days=10)  # the job missed four days
    sent = await notices_sent(chat, late)
    assert len(sent) == 2 and "4か月児健診" in sent[0]
    assert await notices_sent(chat, today) == []
    assert await notices_sent(chat, childcare.add_months(baby, 4) + timedelta(days=1)) == []  # already sent
    notices = chat.runtime.db.call(lambda s: [n.touchpoint for n in s.exec(select(ChildcareNotice))])
    assert notices == ["checkup-4m"]


async def test_child_list_and_several_children(chat):
    today = datetime.now(chat.settings.tz).date()
    due = today + timedelta(days=60)
    born = childcare.add_months(today, -20)
    await chat.say(f"/child {due.isoformat()}")
    await chat.say(f"/child {born.isoformat()}")
    [answer] = await chat.say(f"/child {born.isoformat()}")
    assert "すでに登録されています" in answer
    [listing] = await chat.say("/child list")
    assert childcare.date_text(due) in listing and childcare.date_text(born) in listing and "2歳児歯科健診" in listing
    optins = engagement_rows(chat.runtime, "childcare_optin")
    assert len(optins) == 2 and all(o.member.startswith("m-") for o in optins)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("future", "先すぎます"),
        ("past", "6年以上前"),
        ("2026-13-01", "日付として読めません"),
        ("あした", "日付として読めません"),
    ],
)
async def test_implausible_dates_are_refused(chat, text, expected):
    today = datetime.now(chat.settings.tz).date()
    if text == "future":
        text = childcare.add_months(today, 11).isoformat()
    elif text == "past":
        text = (childcare.add_months(today, -72) - timedelta(days=1)).isoformat()
    [answer] = await chat.say(f"/child {text}")
    assert expected in answer and "使い方" in answer
    assert chat.runtime.db.call(lambda s: s.exec(select(ChildcareChild)).all()) == []


async def test_full_width_dates_are_read(chat):
    today = datetime.now(chat.settings.tz).date()
    due = today + timedelta(days=30)
    wide = due.strftime("%Y/%m/%d").translate(str.maketrans("0123456789/", "０１２３４５６７８９／"))
    [answer] = await chat.say(f"/child {wide}")
    assert f"{childcare.date_text(due)}を登録しました" in answer


async def test_child_is_only_for_a_one_to_one_chat(staff_group):
    [answer] = await staff_group.say("/child 2026-01-01")
    assert "1:1トーク" in answer


async def test_opting_out_deletes_the_dates_and_stops_notices(chat):
    today = datetime.now(chat.settings.tz).date()
    born = childcare.add_months(today, -3)
    await chat.say(f"/child {born.isoformat()}")
    await chat.say(f"/child {(today + timedelta(days=30)).isoformat()}")
    notice_day = childcare.add_months(born, 4) - timedelta(days=14)
    assert len(await notices_sent(chat, notice_day)) == 2
    [answer] = await chat.say("/child stop")
    assert "2件" in answer and "削除しました" in answer
    with chat.runtime.db.session() as session:
        assert session.exec(select(ChildcareChild)).all() == []
        assert session.exec(select(ChildcareNotice)).all() == []
    consult = childcare.add_months(born, 10) - timedelta(days=14)
    assert await notices_sent(chat, consult) == []
    [listing] = await chat.say("/child list")
    assert "登録はありません" in listing


def test_add_months_keeps_to_the_month_end():
    assert childcare.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert childcare.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert childcare.add_months(date(2026, 5, 10), 18) == date(2027, 11, 10)
    assert childcare.add_months(date(2026, 3, 15), -72) == date(2020, 3, 15)


# ---- the 子育て広場 survey ------------------------------------------------------------------------------------------


async def postback(chat: ConsoleChat, data: str) -> list[str]:
    return await chat.send(None, kind=POSTBACK, postback=data)


async def test_survey_by_quick_reply_and_aggregate_per_plaza(chat, staff_chat):
    [choose] = await chat.say("/hiroba")
    assert "どの子育て広場" in choose and "1) 小川子育て広場  2) 美野里子育て広場" in choose
    [ease] = await postback(chat, "hiroba:plaza:1")
    assert "美野里子育て広場" in ease and "入りやすさ" in ease and "5) 5" in ease
    [again] = await postback(chat, "hiroba:ease:4")
    assert "また来たい" in again and "1) また来たい  2) たぶん  3) 来ないと思う" in again
    [comment] = await postback(chat, "hiroba:again:yes")
    assert comment.endswith("\n  1) スキップ")
    [thanks] = await chat.say("おもちゃが多くて楽しかったです")
    assert "ありがとうございました" in thanks
    assert plain_chat(await chat.say("これは普通のメッセージ"))  # the survey is over: plain chat again

    [ease] = await chat.say("/hiroba 小川")
    assert "小川子育て広場" in ease
    await postback(chat, "hiroba:ease:2")
    await postback(chat, "hiroba:again:maybe")
    [thanks] = await postback(chat, "hiroba:skip")
    assert "ありがとうございました" in thanks
    [stale] = await postback(chat, "hiroba:ease:5")
    assert "終了しています" in stale

    await chat.say("/hiroba 小川子育て広場", as_user="taro")
    await chat.send(None, kind=POSTBACK, postback="hiroba:ease:5", as_user="taro")
    await chat.send(None, kind=POSTBACK, postback="hiroba:again:no", as_user="taro")  # and never comments

    settings = chat.settings
    start, end = periods.bounds(
        settings.tz, *periods.fiscal_year_range(periods.fiscal_year_of(datetime.now(settings.tz).date()))
    )
    figures = chat.runtime.db.call(lambda s: hiroba.survey_figures(s, settings.city, start, end))
    assert figures["美野里子育て広場"]["responses"] == 1
    assert figures["美野里子育て広場"]["ease_average"] == 4
    assert figures["美野里子育て広場"]["again"] == {"yes": 1, "maybe": 0, "no": 0}
    assert figures["美野里子育て広場"]["comments"] == 1
    assert figures["小川子育て広場"]["responses"] == 2
    assert figures["小川子育て広場"]["ease_average"] == 3.5
    assert figures["小川子育て広場"]["again"] == {"yes": 0, "maybe": 1, "no": 1}
    assert figures["小川子育て広場"]["comments"] == 0
    comments = chat.runtime.db.call(lambda s: hiroba.survey_comments(s, "美野里子育て広場", start, end))
    assert comments == ["おもちゃが多くて楽しかったです"]
    finished = chat.runtime.db.call(
        lambda s: s.exec(select(HirobaSurvey).where(HirobaSurvey.completed_at.is_not(None))).all()
    )
    assert len(finished) == 2 and all(survey.member_id is None for survey in finished)  # anonymous once done

    [stats] = await staff_chat.say("/childcare stats")
    assert "年度" in stats
    assert "【小川子育て広場】回答 2件・入りやすさ平均 3.5" in stats
    assert "【美野里子育て広場】回答 1件・入りやすさ平均 4.0・また来たい 1" in stats


async def test_unknown_plaza_is_named(chat):
    [answer] = await chat.say("/hiroba 月面広場")
    assert "「月面広場」という広場は見つかりません" in answer and "小川子育て広場" in answer


async def test_survey_started_from_a_group_invitation_continues_one_to_one(staff_group):
    await staff_group.send("/touchpoint kosodate-hiroba @hanako", mentions=("hanako",))
    start = len(staff_group.said)
    await staff_group.send(None, kind=POSTBACK, postback="hiroba:start", as_user="hanako")
    [(method, target, text)] = staff_group.said[start:]
    assert (method, target) == ("push", "hanako") and "どの子育て広場" in text


async def test_survey_by_typed_answers(chat):
    """Typing a button's label or number answers as well as pressing it."""
    [choose] = await chat.say("/hiroba")
    assert "どの子育て広場" in choose
    [ease] = await chat.say("美野里子育て広場")
    assert "【美野里子育て広場】1/3" in ease
    [again] = await chat.say("４")  # a full-width number is the button "4"
    assert "2/3" in again
    [comment] = await chat.say("たぶん")
    assert "3/3" in comment
    [thanks] = await chat.say("スキップ")
    assert "ありがとうございました" in thanks

    await chat.say("/hiroba")
    [ease] = await chat.say("小川")  # part of a plaza's name, no button's label
    assert "【小川子育て広場】1/3" in ease
    await chat.say("5")
    await chat.say("はい")  # "would you come again?" yes
    [thanks] = await chat.say("なし")
    assert "ありがとうございました" in thanks
    surveys = chat.runtime.db.call(lambda s: s.exec(select(HirobaSurvey).order_by(HirobaSurvey.id)).all())
    assert [(x.plaza, x.ease, x.again, x.comment, x.member_id) for x in surveys] == [
        ("美野里子育て広場", 4, "maybe", None, None),
        ("小川子育て広場", 5, "yes", None, None),
    ]


async def test_an_answer_that_is_no_button_asks_again(chat):
    await chat.say("/hiroba 小川")
    [again] = await chat.say("とても入りやすかった")
    assert "ボタンから選んでください" in again and "1/3" in again and "5) 5" in again
    await chat.say("3")
    [again] = await chat.say("わからない")
    assert "ボタンから選んでください" in again and "2/3" in again
    await chat.say("2")  # the second button: たぶん
    [thanks] = await chat.say("また行きます")
    assert "ありがとうございました" in thanks
    survey = chat.runtime.db.call(lambda s: s.exec(select(HirobaSurvey)).one())
    assert (survey.ease, survey.again, survey.comment) == (3, "maybe", "また行きます")


async def test_a_restart_in_the_middle_of_the_survey_continues(make_settings):
    settings = make_settings()
    first = ConsoleChat(settings, user="hanako")
    await first.start()
    try:
        await first.say("/hiroba 美野里")
        await first.say("4")
    finally:
        await first.stop()
    second = ConsoleChat(settings, user="hanako")
    await second.start()
    try:
        with second.runtime.db.session() as session:
            [state] = session.exec(select(DialogueState)).all()
            assert (state.dialogue, state.step) == ("hiroba", "again")
        [comment] = await second.say("また来たい")
        assert "3/3" in comment
        [thanks] = await second.say("絵本がたくさんありました")
        assert "ありがとうございました" in thanks
        with second.runtime.db.session() as session:
            survey = session.exec(select(HirobaSurvey)).one()
            assert (survey.plaza, survey.ease, survey.again, survey.comment) == (
                "美野里子育て広場",
                4,
                "yes",
                "絵本がたくさんありました",
            )
            assert survey.member_id is None and survey.completed_at is not None
            assert session.exec(select(DialogueState)).all() == []
    finally:
        await second.stop()


async def test_cancelling_the_survey_ends_it(chat):
    await chat.say("/hiroba 小川")
    [cancelled] = await chat.say("やめる")
    assert "取り消しました" in cancelled
    [stale] = await postback(chat, "hiroba:ease:3")
    assert "終了しています" in stale
    assert plain_chat(await chat.say("3"))  # no question is open: plain chat


async def test_opting_out_mid_survey_closes_it(chat):
    await chat.say("/hiroba 小川")
    await postback(chat, "hiroba:ease:4")
    await chat.say("/child stop")
    survey = chat.runtime.db.call(lambda s: s.exec(select(HirobaSurvey)).one())
    assert survey.member_id is None  # no longer linked to the parent
    [stale] = await chat.say("たぶん")
    assert "終了しています" in stale
    assert plain_chat(await chat.say("こんにちは"))  # the survey no longer takes their messages
    states = chat.runtime.db.call(lambda s: s.exec(select(DialogueState)).all())
    assert [
        state.dialogue for state in states if state.dialogue
    ] == []  # no dialogue open (the greeting's buttons may be)


async def test_survey_in_english(chat):
    await chat.say("/lang en")
    [ease] = await chat.say("/hiroba 小川")
    assert "1/3 How easy" in ease
    await chat.say("2")
    [comment] = await chat.say("Yes")
    assert "3/3 Any comment" in comment
    [thanks] = await chat.say("skip")
    assert thanks.startswith("Thank you!")
    survey = chat.runtime.db.call(lambda s: s.exec(select(HirobaSurvey)).one())
    assert (survey.ease, survey.again, survey.comment) == (2, "yes", None)


# ---- figures for staff ------------------------------------------------------------------------------------------------


async def test_figures_follow_the_fiscal_year_boundary(chat):
    settings, db = chat.settings, chat.runtime.db
    tz = settings.tz
    db.call(childcare.record_scan, "checkup-3y", datetime(2027, 3, 31, 23, 59, tzinfo=tz), "ios")
    db.call(childcare.record_scan, "checkup-3y", datetime(2027, 4, 1, 0, 0, tzinfo=tz), "android")
    db.call(
        lambda s: childcare.record_push(s, "checkup-3y", datetime(2027, 4, 2, tzinfo=tz), platform="line", how="group")
    )
    fy2026 = periods.bounds(tz, *periods.fiscal_year_range(2026))
    fy2027 = periods.bounds(tz, *periods.fiscal_year_range(2027))
    assert periods.fiscal_year_of(date(2027, 3, 31)) == 2026 and periods.fiscal_year_of(date(2027, 4, 1)) == 2027
    assert db.call(lambda s: childcare.touchpoint_figures(s, settings.city, *fy2026))["checkup-3y"] == {
        "scans": 1,
        "pushes": 0,
    }
    assert db.call(lambda s: childcare.touchpoint_figures(s, settings.city, *fy2027))["checkup-3y"] == {
        "scans": 1,
        "pushes": 1,
    }
    week = periods.bounds(tz, *periods.week_range(date(2027, 4, 1)))  # Thursday: Monday 29 March to Monday 5 April
    assert week == (datetime(2027, 3, 29, tzinfo=tz), datetime(2027, 4, 5, tzinfo=tz))
    assert db.call(lambda s: childcare.touchpoint_figures(s, settings.city, *week))["checkup-3y"] == {
        "scans": 2,
        "pushes": 1,
    }


async def test_staff_stats_in_japanese(chat, staff_chat):
    today = datetime.now(chat.settings.tz).date()
    await chat.say(f"/child {childcare.add_months(today, -2).isoformat()}")
    chat.runtime.db.call(childcare.record_scan, "boshi-techo", datetime.now(chat.settings.tz), "ios")
    [stats] = await staff_chat.say("/childcare stats")
    assert f"{periods.fiscal_year_of(today)}年度" in stats
    assert "・母子手帳交付: 読み取り 1 / 配布 0" in stats
    assert "合計: 読み取り 1（iPhone 1・Android 0・その他 0）" in stats
    assert "今年度の登録 1件 / 現在 1人（お子さん1人）" in stats
    [refused] = await chat.say("/childcare stats")
    assert "市の職員だけ" in refused


# ---- the slice ---------------------------------------------------------------------------------------------------------


def test_the_feature_declares_its_contract():
    """Postback data on cards already sent, URLs, CLI commands and the job name are an operator contract."""
    from handlers.childcare import FEATURE

    assert [route.pattern for route in FEATURE.chat.postbacks] == [
        "hiroba:start",
        "hiroba:plaza:{index:int}",
        "hiroba:ease:{n:int}",
        "hiroba:again:{choice}",
        "hiroba:skip",
    ]
    assert [c.name for c in FEATURE.chat.commands] == ["touchpoint", "child", "hiroba", "childcare stats"]
    assert {(r.method, r.path) for r in FEATURE.web} == {
        (m, p) for m in ("GET", "HEAD") for p in (r"/qr/{name:[\s\S]*}", r"/go/{touchpoint:[\s\S]*}")
    }
    assert [c.name for c in FEATURE.cli] == ["qr", "touchpoints", "appstats"]
    [job] = FEATURE.jobs
    assert (job.name, job.cron) == ("checkup-notices", {"hour": "10", "minute": "0"})
    assert [s.name for s in FEATURE.report] == ["per_touchpoint"]
    assert [k.names for k in FEATURE.kpis] == [("childcare_optins", "app_downloads")]


async def test_head_on_the_tracked_link_redirects_without_a_scan(web):
    client, settings, runtime = web
    response = await client.head("/go/boshi-techo", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == settings.city.app.web_url
    assert (await client.head("/qr/boshi-techo.png")).status == 200
    assert engagement_rows(runtime, "qr_scan") == []


# ---- CLI ---------------------------------------------------------------------------------------------------------------


class CliSite:
    """The CLI services the childcare commands use: the city's Site."""

    def __init__(self, settings):
        self.settings = settings

    def site(self):
        return self.settings.site


def test_qr_command_writes_print_ready_png_and_svg(make_settings, tmp_path):
    settings = make_settings()
    out = tmp_path / "qr"
    args = argparse.Namespace(touchpoint="dental-2y", all=False, out=str(out), font=None, allow_local=False)
    assert run_qr(args, CliSite(settings)) == 0
    assert sorted(p.name for p in out.iterdir()) == ["dental-2y.png", "dental-2y.svg"]
    image = Image.open(out / "dental-2y.png")
    assert min(image.size) >= 1000
    assert [c.text for c in zxingcpp.read_barcodes(image)] == ["https://tsunagaru.example.jp/go/dental-2y"]
    assert (out / "dental-2y.svg").read_text().lstrip().startswith("<?xml")
    bad = argparse.Namespace(touchpoint="dental-9y", all=False, out=str(out), font=None, allow_local=False)
    assert run_qr(bad, CliSite(settings)) == 2


def test_qr_all_writes_the_set_and_a_contact_sheet(tmp_path):
    env = {**os.environ, "PUBLIC_BASE_URL": "https://qr.example.jp", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "qr", "--all", "--out", str(tmp_path / "set")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    names = {p.name for p in (tmp_path / "set").iterdir()}
    assert names == {f"{i}.{ext}" for i in EVERY_ID for ext in ("png", "svg")} | {
        "contact-sheet.png",
        "contact-sheet.svg",
    }
    sheet = Image.open(tmp_path / "set" / "contact-sheet.png")
    decoded = sorted(code.text for code in zxingcpp.read_barcodes(sheet))
    assert decoded == sorted(f"https://qr.example.jp/go/{i}" for i in EVERY_ID)
    svg = (tmp_path / "set" / "contact-sheet.svg").read_text(encoding="utf-8")
    assert "母子手帳交付" in svg and "1歳6か月児健診（1歳6か月）" in svg


def test_touchpoints_json_lists_ids_names_and_ages(make_settings, capsys):
    assert run_touchpoints(argparse.Namespace(json=True), CliSite(make_settings())) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == EVERY_ID
    assert rows[0] == {"id": "boshi-techo", "name": "母子手帳交付", "age_months": None}
    ages = {r["id"]: r["age_months"] for r in rows if r["age_months"] is not None}
    assert ages == {
        "checkup-4m": 4,
        "consult-10m": 10,
        "checkup-1y6m": 18,
        "dental-2y": 24,
        "checkup-3y": 36,
        "checkup-5y": 60,
    }


def test_touchpoints_text_listing_by_subprocess(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "touchpoints"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 11 and lines[0].split()[:2] == ["boshi-techo", "母子手帳交付"]
    assert "月齢18か月" in next(line for line in lines if line.startswith("checkup-1y6m"))


async def test_child_without_a_date_explains_itself(chat):
    [answer] = await chat.say("/child")
    assert "/child 2026-05-01" in answer and "14日前" in answer


# ---- issue 12: a new user's first hour -----------------------------------------------------------------------------


def _era_forms(day: date) -> list[str]:
    """The ways people write a date: 年月日, 和暦 (令和), its short forms, and full-width digits."""
    reiwa = day.year - 2018
    wide = str.maketrans("0123456789/", "０１２３４５６７８９／")
    return [
        f"{day.year}年{day.month}月{day.day}日",
        f"令和{reiwa}年{day.month}月{day.day}日",
        f"R{reiwa}.{day.month}.{day.day}",
        f"令和{reiwa}/{day.month}/{day.day}",
        f"令和{reiwa}年{day.month}月{day.day}日".translate(wide),
        f"{day.year}/{day.month}/{day.day}".translate(wide),
        childcare.date_text(day),
    ]


@pytest.mark.parametrize("form", range(7))
async def test_child_accepts_japanese_dates_and_answers_in_the_same_style_as_events(chat, form):
    today = datetime.now(chat.settings.tz).date()
    due = today + timedelta(days=40)
    text = _era_forms(due)[form]
    [answer] = await chat.say(f"/child {text}")
    weekday = "月火水木金土日"[due.weekday()]
    assert answer.startswith(f"{due.year}年{due.month}月{due.day}日({weekday})を登録しました"), (text, answer)
    assert due.isoformat() not in answer  # one date style for people: 年月日, as /event list writes dates
    [child] = chat.runtime.db.call(lambda s: s.exec(select(ChildcareChild)).all())
    assert child.born_on == due


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026年8月1日", date(2026, 8, 1)),
        ("令和8年8月1日", date(2026, 8, 1)),
        ("R8.8.1", date(2026, 8, 1)),
        ("r8.8.1", date(2026, 8, 1)),
        ("令和8/8/1", date(2026, 8, 1)),
        ("令和８年８月１日", date(2026, 8, 1)),
        ("２０２６年８月１日（土）", date(2026, 8, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("H30.1.2", date(2018, 1, 2)),
        ("2026-05-01", date(2026, 5, 1)),
        ("2026/5/1", date(2026, 5, 1)),
        ("令和元年4月30日", None),
        ("令和0年1月1日", None),
        ("2026年13月1日", None),
        ("26/8/1", None),
        ("昭和60年1月1日", None),
        ("2026年8月", None),
        ("あした", None),
    ],
)
def test_parse_date_reads_western_and_japanese_era_dates(text, expected):
    assert childcare.parse_date(text) == expected


async def test_refusals_name_dates_in_the_same_style(chat):
    today = datetime.now(chat.settings.tz).date()
    far = childcare.add_months(today, 11)
    [answer] = await chat.say(f"/child {far.isoformat()}")
    assert answer.startswith(f"{childcare.date_text(far)}は先すぎます") and far.isoformat() not in answer
    await chat.say("/lang en")
    [answer] = await chat.say(f"/child {far.year}年{far.month}月{far.day}日")
    assert answer.startswith(f"{far:%a %Y-%m-%d} is too far ahead")


async def test_a_checkup_notice_says_due_only_while_the_date_is_ahead(chat):
    today = datetime.now(chat.settings.tz).date()
    due = today + timedelta(days=30)
    born = childcare.add_months(today, -3)
    await chat.say(f"/child {due.isoformat()}")
    await chat.say(f"/child {born.isoformat()}")
    city = chat.settings.city
    early = dataclasses.replace(
        chat.settings.site,
        city=city.model_copy(update={"childcare": city.childcare.model_copy(update={"notice_days_before": 200})}),
    )
    job = next(j for j in all_jobs() if j.name == "checkup-notices")
    at = datetime(today.year, today.month, today.day, 10, 0, tzinfo=chat.settings.tz)
    start = len(chat.said)
    chat.runtime.db.call(lambda s: run_job(s, job, early, at, OutboxWriter().write))
    await chat.runtime.sender.drain()
    notices = [text for _, _, text in chat.said[start:] if "のお知らせ" in text]
    assert any(f"{childcare.date_text(due)}生まれ（予定）のお子さん" in text for text in notices)  # not born yet
    born_notices = [text for text in notices if childcare.date_text(born) in text]
    assert born_notices and all(f"{childcare.date_text(born)}生まれのお子さん" in text for text in born_notices)


async def test_touchpoint_without_an_id_says_what_to_type_and_lists_the_ids(staff_group):
    [answer] = await staff_group.say("/touchpoint")
    assert "「」" not in answer and "/touchpoint 接点ID" in answer
    for touchpoint_id in EVERY_ID:
        assert touchpoint_id in answer
    assert engagement_rows(staff_group.runtime, "qr_push") == []


async def test_the_cards_image_is_a_scannable_code_within_lines_1024_px_limit(web, staff_group):
    client, settings, _ = web
    response = await client.get("/qr/card/checkup-1y6m.png")
    assert response.status == 200 and response.content_type == "image/png"
    image = Image.open(io.BytesIO(await response.read()))
    assert max(image.size) <= 1024 and min(image.size) >= 900
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [settings.public_url("/go/checkup-1y6m")]
    print_size = Image.open(io.BytesIO(await (await client.get("/qr/checkup-1y6m.png")).read()))
    assert min(print_size.size) >= 1000  # the print size stays at its address
    for path in ("/qr/card/checkup-1y6m.svg", "/qr/card/nowhere.png", "/qr/card/card/checkup-1y6m.png", "/qr/card"):
        assert (await client.get(path)).status == 404, path
    card = childcare.qr_card(settings.site, settings.city.touchpoint("checkup-1y6m"))
    assert card.image_url == "https://tsunagaru.example.jp/qr/card/checkup-1y6m.png"
    for touchpoint in settings.city.touchpoints:  # every code, even a long id, fits
        url = childcare.tracked_url(settings.site, touchpoint.id)
        assert max(Image.open(io.BytesIO(qr.card_png(url))).size) <= 1024


async def test_the_checkup_notices_job_reports_in_japanese(chat):
    today = datetime.now(chat.settings.tz).date()
    born = childcare.add_months(today, -3)
    await chat.say(f"/child {born.isoformat()}")
    await chat.say(f"/child {childcare.add_months(born, -6).isoformat()}")  # a sibling: the 10-month consult, same day
    await chat.say("/hiroba 小川")  # a survey left unfinished
    notice_day = childcare.add_months(born, 4) - timedelta(days=14)
    with chat.runtime.db.session() as session:  # hanako blocked the bot
        for account in session.exec(select(PlatformAccount)):
            account.followed = False
            session.add(account)
        session.commit()
    assert run_notices(chat, notice_day) == (  # two notices, one parent
        "健診のお知らせ 0件を送りました（届かない人 1人）。未完了のアンケート 1件を閉じました"
    )
    with chat.runtime.db.session() as session:
        for account in session.exec(select(PlatformAccount)):
            account.followed = True
            session.add(account)
        session.commit()
    assert run_notices(chat, notice_day) == "健診のお知らせ 2件を送りました"


@pytest.mark.parametrize(
    "address, local",
    [
        ("http://127.0.0.1:8080", True),
        ("http://localhost:8080", True),
        ("http://[::1]:8080", True),
        ("http://0.0.0.0:8080", True),
        ("http://tsunagaru.local", True),
        ("http://192.168.1.20:8080", True),
        ("http://10.0.0.5", True),
        ("http://172.20.1.1", True),
        ("http://[fe80::1]", True),
        ("http://[fd00::1]", True),
        ("http://raspberrypi:8080", True),
        ("localhost", True),
        ("", True),
        ("https://tsunagaru.example.jp", False),
        ("https://bot.city.example.jp/", False),
        ("http://8.8.8.8", False),
        ("bot.example.jp", False),
    ],
)
def test_is_local_address(address, local):
    assert qr.is_local_address(address) is local


def _qr_cli(tmp_path, *args: str, public: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    # Run from an empty folder (no .env), with this checkout's code.
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/x.db", HOST="127.0.0.1", PYTHONPATH=str(REPO))
    if public is not None:
        env["PUBLIC_BASE_URL"] = public
    return subprocess.run(
        [sys.executable, "-m", "bot", "qr", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("public", [None, "http://localhost:8080", "http://192.168.10.4"])
def test_qr_refuses_to_print_codes_for_a_local_address(tmp_path, public):
    out = tmp_path / "set"
    result = _qr_cli(tmp_path, "--all", "--out", str(out), public=public)
    assert result.returncode == 2 and not out.exists()
    [line] = result.stderr.strip().splitlines()
    assert "PUBLIC_BASE_URL" in line and "設定してください" in line and "set it" in line and "--allow-local" in line
    result = _qr_cli(tmp_path, "checkup-4m", "--out", str(out), "--allow-local", public=public)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["checkup-4m.png", "checkup-4m.svg"]


# ---- a font that draws Japanese ------------------------------------------------------------------------------------

JAPANESE_FONT = fonts.japanese_font()
NO_JAPANESE_FONT = "no font with Japanese glyphs on this machine (CI installs fonts-noto-cjk)"
LATIN_ONLY = next(
    (
        p
        for p in (
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        )
        if Path(p).is_file()
    ),
    None,
)


def _glyphs(font_path: str, text: str) -> bytes:
    image = Image.new("L", (200, 60), 0)
    ImageDraw.Draw(image).text((4, 4), text, font=ImageFont.truetype(font_path, 40), fill=255)
    return image.tobytes()


@pytest.mark.skipif(JAPANESE_FONT is None, reason=NO_JAPANESE_FONT)
def test_the_found_font_draws_japanese_not_tofu():
    assert fonts.draws_japanese(JAPANESE_FONT)
    # Two different kanji drawn differently: tofu (.notdef) would be the same box twice.
    assert _glyphs(JAPANESE_FONT, "健診") != _glyphs(JAPANESE_FONT, "広場")
    if LATIN_ONLY:
        assert not fonts.draws_japanese(LATIN_ONLY)
        assert fonts.japanese_font(LATIN_ONLY) == JAPANESE_FONT  # a configured font without Japanese is passed over
    assert fonts.japanese_font(JAPANESE_FONT) == JAPANESE_FONT
    assert fonts.japanese_font("/nowhere/font.ttc") == JAPANESE_FONT


@pytest.mark.skipif(
    JAPANESE_FONT is None or shutil.which("fc-match") is None, reason="needs fontconfig's fc-match and a Japanese font"
)
def test_fontconfig_finds_a_japanese_font_off_the_well_known_paths(monkeypatch):
    monkeypatch.setattr(fonts, "WELL_KNOWN", ())
    found = fonts.japanese_font()
    assert found is not None and fonts.draws_japanese(found)


def test_no_font_without_fontconfig_or_well_known_paths(monkeypatch):
    monkeypatch.setattr(fonts, "WELL_KNOWN", ())
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert fonts.japanese_font() is None
    assert fonts.japanese_font(LATIN_ONLY or "") is None


def _label_row(sheet: Image.Image, index: int) -> Image.Image:
    """The touchpoint-name line under the index-th code of the contact sheet."""
    x, y = handlers_sheet._corner(index)
    top = y + handlers_sheet.CODE + 6
    return sheet.crop((x, top, x + handlers_sheet.CELL, top + 36)).convert("L")


def _label_reference(font_path: str, text: str) -> bytes:
    """The label line as the contact sheet draws it (same size, anchor and offset) with the given font."""
    image = Image.new("RGB", (handlers_sheet.CELL, 36), "white")
    ImageDraw.Draw(image).text(
        (handlers_sheet.CELL // 2, 4), text, fill="black", font=ImageFont.truetype(font_path, 26), anchor="ma"
    )
    return image.convert("L").tobytes()


@pytest.mark.skipif(JAPANESE_FONT is None, reason=NO_JAPANESE_FONT)
def test_contact_sheet_draws_the_japanese_names(tmp_path, make_settings):
    """`qr --all`, even given a --font without Japanese, finds a Japanese font and draws the names with it."""
    font = ["--font", LATIN_ONLY] if LATIN_ONLY else []
    result = _qr_cli(tmp_path, "--all", "--out", str(tmp_path / "set"), *font, public="https://qr.example.jp")
    assert result.returncode == 0, result.stderr
    assert "no font with Japanese glyphs" not in result.stderr
    sheet = Image.open(tmp_path / "set" / "contact-sheet.png")
    for index, touchpoint in enumerate(make_settings().city.touchpoints):
        drawn = _label_row(sheet, index).tobytes()
        label = handlers_sheet.label(touchpoint)
        assert drawn == _label_reference(JAPANESE_FONT, label), touchpoint.id
        if LATIN_ONLY:
            assert drawn != _label_reference(LATIN_ONLY, label)  # what tofu would have looked like
