"""Several cities in one process (issue #14): each its own LINE channel, webhook, public pages, staff and data.
Nothing of one city is visible to, or changed by, anything in the other — through the webhook, the web, the console
and the command line — on SQLite and on PostgreSQL (each city in a schema of its own)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import RUNTIME, create_app
from bot.cli import main as cli_main
from bot.config import DEFAULT_CITY_CONFIG, load_settings
from bot.console import ConsoleChat
from storage.models import Member
from storage.models.community import BoardPost, CommunityMember
from tests import line_payloads as lp
from tests.fake_line import CHANNEL_SECRET, REPLY

KASHIMA_SECRET = "kashima-channel-secret-0123456789"
KASHIMA_TOKEN = "kashima-channel-access-token"
STAFF_TOKEN, KASHIMA_STAFF_TOKEN = "omitama-staff-token", "kashima-staff-token"
KASHIMA = """
[city]
id = "kashima"
name = "鹿嶋市"
bot_name = "つながる鹿嶋"
features = ["board", "kpi"]
public_base_url = "https://tsunagaru.example.jp/kashima"

[line]
channel_secret_env = "KASHIMA_LINE_CHANNEL_SECRET"
channel_access_token_env = "KASHIMA_LINE_CHANNEL_ACCESS_TOKEN"

[staff]
api_token_env = "KASHIMA_STAFF_API_TOKEN"

[community]
categories = ["地域ネタ", "観光", "グルメ"]
rules = "相手を尊重してください。"
"""
HANAKO = lp.user_id("hanako")  # the same LINE id string in both channels: the cities must still keep her apart


@pytest.fixture
async def two_cities(tmp_path, database_url, fake_line):
    shutil.copy(DEFAULT_CITY_CONFIG, tmp_path / "omitama.toml")
    (tmp_path / "kashima.toml").write_text(KASHIMA, encoding="utf-8")
    fake_line.other_channels.add(KASHIMA_TOKEN)
    settings = load_settings(
        {
            "CITY_CONFIG": f"{tmp_path / 'omitama.toml'},{tmp_path / 'kashima.toml'}",
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "https://tsunagaru.example.jp",
            "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": fake_line.token,
            "LINE_API_BASE_URL": fake_line.url,
            "LINE_DATA_API_BASE_URL": fake_line.url,
            "KASHIMA_LINE_CHANNEL_SECRET": KASHIMA_SECRET,
            "KASHIMA_LINE_CHANNEL_ACCESS_TOKEN": KASHIMA_TOKEN,
            "STAFF_API_TOKEN": STAFF_TOKEN,
            "KASHIMA_STAFF_API_TOKEN": KASHIMA_STAFF_TOKEN,
            "ADMIN_LINE_USER_IDS": lp.user_id("omitama-staff"),
        },
        dotenv=False,
    )
    app = create_app(settings, run_workers=False, run_scheduler=False)
    client = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    client.settings = settings
    yield client
    await client.close()


async def post(client, path: str, secret: str, *events: dict):
    for event in events:
        if event.get("replyToken"):
            client.fake.issue_reply_token(event["replyToken"])
    body = lp.body(events)
    return await client.post(
        path, data=body, headers={"Content-Type": "application/json", "X-Line-Signature": lp.sign(body, secret)}
    )


async def settle(client) -> None:
    for city in client.app[RUNTIME].cities.values():
        for _ in range(5):
            if not await city.worker.drain() + await city.sender.drain():
                break


async def join_and_post(client, path, secret, nickname, text):
    await post(client, path, secret, lp.text_event("/community join", HANAKO))
    await post(client, path, secret, lp.postback_event("community:agree", HANAKO))
    await post(client, path, secret, lp.text_event(nickname, HANAKO))
    await post(client, path, secret, lp.postback_event("community:relation:fan", HANAKO))
    await settle(client)


@pytest.fixture
def fake(fake_line, two_cities):
    two_cities.fake = fake_line
    return fake_line


async def test_each_city_has_its_own_channel_board_staff_and_kpis(two_cities, fake):
    client = two_cities
    # Each channel's webhook checks its own secret: a body signed for one city is refused by the other.
    wrong = await post(client, "/callback/line/kashima", CHANNEL_SECRET, lp.text_event("/help", HANAKO))
    assert wrong.status == 400
    # The same LINE id joins both cities' communities, under two nicknames.
    await join_and_post(client, "/callback/line/omitama", CHANNEL_SECRET, "おみたまハナ", "")
    await join_and_post(client, "/callback/line/kashima", KASHIMA_SECRET, "かしまハナ", "")
    await post(client, "/callback/line", CHANNEL_SECRET, lp.text_event("/thread new グルメ 小美玉の朝ごはん", HANAKO))
    await post(client, "/callback/line/kashima", KASHIMA_SECRET, lp.text_event("/thread new 観光 鹿島神宮の朝", HANAKO))
    await settle(client)
    # Answers went out through each city's own channel.
    channels = {call.channel for call in fake.requests(REPLY)}
    assert channels == {fake.token, KASHIMA_TOKEN}
    # Two boards: each city's web board shows only its own thread.
    omitama_board = await (await client.get("/board")).text()
    kashima_board = await (await client.get("/kashima/board")).text()
    assert "小美玉の朝ごはん" in omitama_board and "鹿島神宮" not in omitama_board
    assert "鹿島神宮の朝" in kashima_board and "小美玉" not in kashima_board
    # Features per city: Kashima has no childcare pages and no /child.
    assert (await client.get("/kashima/qr/boshi-techo.png")).status == 404
    assert (await client.get("/qr/boshi-techo.png")).status == 200
    # KPIs per city, each behind its own staff token.
    omitama = await (await client.get("/api/kpi", headers={"Authorization": f"Bearer {STAFF_TOKEN}"})).json()
    kashima = await (
        await client.get("/kashima/api/kpi", headers={"Authorization": f"Bearer {KASHIMA_STAFF_TOKEN}"})
    ).json()
    assert omitama["kpis"]["participants"]["value"] == 1 and kashima["kpis"]["participants"]["value"] == 1
    assert "childcare_optins" in omitama["kpis"] and "childcare_optins" not in kashima["kpis"]
    assert "per_touchpoint" not in kashima
    crossed = await client.get("/kashima/api/kpi", headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert crossed.status == 401  # one city's staff token reads nothing of the other


async def test_forget_me_in_one_city_leaves_the_other_alone(two_cities, fake):
    client = two_cities
    await join_and_post(client, "/callback/line/omitama", CHANNEL_SECRET, "おみたまハナ", "")
    await join_and_post(client, "/callback/line/kashima", KASHIMA_SECRET, "かしまハナ", "")
    await post(client, "/callback/line/kashima", KASHIMA_SECRET, lp.text_event("/forget-me confirm", HANAKO))
    await settle(client)
    runtime = client.app[RUNTIME]
    with runtime.city("kashima").db.session() as session:
        assert session.exec(select(Member).where(Member.forgotten_at.is_not(None))).first() is not None
    with runtime.city("omitama").db.session() as session:
        assert session.exec(select(Member).where(Member.forgotten_at.is_not(None))).first() is None
        assert session.exec(select(CommunityMember)).one().nickname == "おみたまハナ"


async def test_staff_of_one_city_are_not_staff_of_the_other(two_cities, fake):
    client = two_cities
    staff = lp.user_id("omitama-staff")
    await post(client, "/callback/line/omitama", CHANNEL_SECRET, lp.text_event("/dashboard", staff))
    await post(client, "/callback/line/kashima", KASHIMA_SECRET, lp.text_event("/dashboard", staff))
    await settle(client)
    texts = {call.channel: call.json["messages"][0]["text"] for call in fake.requests(REPLY)}
    assert "dashboard/login/" in texts[fake.token]
    assert "市の職員だけ" in texts[KASHIMA_TOKEN]  # refused in Kashima


async def test_the_console_and_the_command_line_take_a_city(two_cities, monkeypatch, capsys, tmp_path):
    client = two_cities
    kashima = ConsoleChat(client.settings, user="sato", city="kashima")
    await kashima.start()
    try:
        [answer] = await kashima.say("/child 2026-08-01")  # no childcare in Kashima
        assert "「/child」というコマンドはありません" in answer
        [help_text] = await kashima.say("/help")
        assert "/board" in help_text and "/child" not in help_text and "/event" not in help_text
    finally:
        await kashima.stop()
    for name, value in dict(
        CITY_CONFIG=f"{tmp_path / 'omitama.toml'},{tmp_path / 'kashima.toml'}",
        DATABASE_URL=client.settings.database_url,
        PUBLIC_BASE_URL="https://tsunagaru.example.jp",
    ).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert await asyncio.to_thread(cli_main, ["kpi", "--city", "kashima", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "per_touchpoint" not in data and "participants" in data["kpis"]
    with pytest.raises(SystemExit) as stopped:
        await asyncio.to_thread(cli_main, ["kpi", "--city", "nowhere"])
    assert stopped.value.code == 2 and "omitama, kashima" in capsys.readouterr().err


def test_a_one_city_deployment_keeps_its_settings_and_database(make_settings):
    settings = make_settings()
    [city] = settings.cities
    assert city.id == "omitama" and city.database_url == settings.database_url and city.database_schema is None
    assert city.public_base_url == settings.public_base_url and city.site is settings.site
    assert Path(city.path) == DEFAULT_CITY_CONFIG
    posts = BoardPost  # (the same tables: nothing in the one-city schema changed for cities)
    assert posts.__tablename__ == "board_post"
