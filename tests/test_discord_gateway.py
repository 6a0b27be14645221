"""The Discord path as Discord sends it (issue 16.8): raw gateway payloads (GUILD_CREATE, CHANNEL_CREATE,
INTERACTION_CREATE for slash commands with options and for buttons, THREAD_CREATE and MESSAGE_CREATE in the forum and
in a DM) go through discord.py's connection state parsers, so finding the command, parsing its options (a user
option included) and routing a button to its dynamic item are the library's own. The REST side is the fake Discord of
test_discord.py / test_discord_board.py, which answers with X-RateLimit-* headers, a 429 with retry_after when told,
and 50013 Missing Permissions for a permission the bot was not given.

The flows: an event made in a DM becomes a private channel, its organizer and staff are let in; /event facilitator
with a Discord user option names a facilitator who may moderate; the lobby's 「参加する」 registers and lets the person
in, the waiting list moves up on /event cancel; a forum thread's message is a board post; a missing permission parks
the row and staff hear, once, which permission to grant.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import discord
import pytest
from aiohttp import web
from sqlmodel import select

from community import messages as m
from storage.models import InboxEvent, OutboxMessage
from storage.models.community import BoardPost, BoardThread
from storage.models.events import Event, EventRegistration
from tests.discord_helpers import GUILD, served
from tests.test_discord import (
    APP_ID,
    BOT_USER_ID,
    GUILD_ID,
    LoopbackResolver,
    _json,
    _user,
    discord_on,
    logged_in_bot,
)
from tests.test_discord_board import FakeForumDiscord

TOKYO = ZoneInfo("Asia/Tokyo")
STAFF_ID, FAC_ID, ONE_ID, TWO_ID = (
    700000000000000110,
    700000000000000120,
    700000000000000130,
    700000000000000140,
)  # DM = id + 1
GENERAL_ID, FORUM_ID, TAG_ID = 700000000000000201, 700000000000000202, 700000000000000203
NAMES = {STAFF_ID: "sato", FAC_ID: "jiro", ONE_ID: "hanako", TWO_ID: "ken", BOT_USER_ID: "tsunagaru"}
# What each REST route needs (bot.discord.permissions): refused with 50013 when the bot was not given it.
NEEDS = (
    ("POST", ("guilds", "*", "channels"), "manage_channels"),
    ("PUT", ("channels", "*", "permissions", "*"), "manage_roles"),
    ("DELETE", ("channels", "*", "permissions", "*"), "manage_roles"),
    ("POST", ("guilds", "*", "scheduled-events"), "manage_events"),
)


def _matches(pattern: tuple[str, ...], parts: list[str]) -> bool:
    return len(pattern) == len(parts) and all(p in ("*", part) for p, part in zip(pattern, parts, strict=True))


class GatewayFake(FakeForumDiscord):
    """The forum fake plus the server's people, channel permission overwrites, refused permissions and 429s."""

    def __init__(self) -> None:
        super().__init__()
        self.denied: set[str] = set()
        self.rate_limited: list[float] = []  # retry_after of the next message sends answered 429

    async def handle(self, request: web.Request) -> web.Response:
        parts = request.path[len("/api/v10") :].strip("/").split("/")
        method = request.method
        for verb, pattern, permission in NEEDS:
            if verb == method and _matches(pattern, parts) and permission in self.denied:
                self.requests.append((method, request.path, None))
                return _json({"message": "Missing Permissions", "code": 50013}, 403, path=request.path)
        if method == "POST" and parts[0] == "channels" and parts[2:] == ["messages"] and self.rate_limited:
            self.requests.append((method, request.path, None))
            retry_after = self.rate_limited.pop(0)
            headers = {"Via": "1.1 google", "X-RateLimit-Scope": "user", "Retry-After": str(max(1, int(retry_after)))}
            body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
            return _json(body, 429, headers, path=request.path)
        if parts[0] == "channels" and parts[2:3] == ["permissions"] and method in ("PUT", "DELETE"):
            text = await request.text() if request.can_read_body else ""
            body = json.loads(text) if text else None
            self.requests.append((method, request.path, body))
            overwrites = self.channels[int(parts[1])]["permission_overwrites"]
            overwrites[:] = [o for o in overwrites if str(o["id"]) != parts[3]] + ([body] if body else [])
            return web.Response(status=204)
        if method == "GET" and parts[:3] == ["guilds", str(GUILD_ID), "members"] and int(parts[3]) in NAMES:
            self.requests.append((method, request.path, None))
            return _json(member(int(parts[3])), path=request.path)
        if (
            method == "GET"
            and parts[0] == "users"
            and len(parts) == 2
            and parts[1].isdigit()
            and int(parts[1]) in NAMES
        ):
            self.requests.append((method, request.path, None))
            return _json(_user(int(parts[1]), NAMES[int(parts[1])]), path=request.path)
        return await super().handle(request)

    def permission_calls(self) -> list[tuple[str, str, int, int]]:
        """(verb, target user id, allow, deny) of every channel permission change."""
        return [
            (verb, path.rsplit("/", 1)[1], int((body or {}).get("allow", 0)), int((body or {}).get("deny", 0)))
            for verb, path, body in self.requests
            if "/permissions/" in path and verb in ("PUT", "DELETE")
        ]


def member(user_id: int, with_user: bool = True) -> dict:
    data = {"roles": [], "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0}
    if with_user:
        data["user"] = _user(user_id, NAMES[user_id], bot=user_id == BOT_USER_ID)
    return data


def guild_create(fake: GatewayFake) -> dict:
    """GUILD_CREATE as the gateway sends it to a bot with the guilds intent (no member list beyond its own)."""
    return dict(
        GUILD,
        unavailable=False,
        large=False,
        member_count=len(NAMES),
        joined_at="2024-01-01T00:00:00+00:00",
        channels=[{k: v for k, v in c.items() if k != "guild_id"} for c in fake.guild_channels()],
        threads=[],
        members=[member(BOT_USER_ID)],
        voice_states=[],
        presences=[],
        stage_instances=[],
        guild_scheduled_events=[],
        soundboard_sounds=[],
    )


def interaction(kind: int, data: dict, user_id: int, channel: dict | None, message: dict | None = None) -> dict:
    """INTERACTION_CREATE's data, in a guild channel (or a DM when channel is None)."""
    interaction_id = discord.utils.time_snowflake(datetime.now(UTC))
    payload = {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"tok-{interaction_id}",
        "version": 1,
        "data": data,
        "locale": "ja",
        "attachment_size_limit": 8388608,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "app_permissions": "0",
    }
    if channel is not None:
        payload.update(
            guild_id=str(GUILD_ID),
            guild_locale="ja",
            channel_id=channel["id"],
            channel=channel,
            member=dict(member(user_id), permissions="1024"),
            context=0,
        )
    else:
        user = _user(user_id, NAMES[user_id])
        payload.update(channel_id=str(user_id + 1), channel={"id": str(user_id + 1), "type": 1, "recipients": [user]})
        payload.update(user=user, context=1)
    if message is not None:
        payload["message"] = message
    return payload


def slash(group: str, sub: str, options: list[dict], resolved: dict | None = None) -> dict:
    """Application command data for /group sub with the given options (names as Discord shows them)."""
    data = {
        "id": "900000000000000001",
        "name": group,
        "type": 1,
        "guild_id": str(GUILD_ID),
        "options": [{"name": sub, "type": 1, "options": options}],
    }
    if resolved:
        data["resolved"] = resolved
    return data


def person_option(user_id: int) -> tuple[dict, dict]:
    """A user option (type 6) and the resolved user and member Discord sends with it."""
    option = {"name": "相手", "type": 6, "value": str(user_id)}
    resolved = {
        "users": {str(user_id): _user(user_id, NAMES[user_id])},
        "members": {str(user_id): dict(member(user_id, with_user=False), nick=f"{NAMES[user_id]}さん")},
    }
    return option, resolved


def message_create(channel_id: int, author_id: int, content: str, guild: bool = True) -> dict:
    data = {
        "id": str(discord.utils.time_snowflake(datetime.now(UTC))),
        "channel_id": str(channel_id),
        "author": _user(author_id, NAMES[author_id]),
        "content": content,
        "timestamp": datetime.now(UTC).isoformat(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
        "components": [],
    }
    if guild:
        data.update(guild_id=str(GUILD_ID), member=member(author_id, with_user=False))
    return data


async def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait for something the library's dispatch tasks do, with a deadline (no fixed sleeps)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


@dataclasses.dataclass
class Gateway:
    line: object  # tests.fake_line.LineBot: the service (LINE unused here)
    bot: object  # bot.discord.adapter.DiscordBot
    fake: GatewayFake

    @property
    def state(self):
        return self.bot.client._connection

    def rows(self, model, *where):
        with self.line.runtime.db.session() as session:
            return list(session.exec(select(model).where(*where)))

    async def feed(self, event: str, data: dict, inbox_event_id: str | None = None) -> None:
        """One gateway dispatch through discord.py's parser; with an inbox id, wait for it and handle everything."""
        self.state.parsers[event](data)
        if inbox_event_id is not None:
            await until(lambda: self.rows(InboxEvent, InboxEvent.event_id == inbox_event_id), inbox_event_id)
            await self.line.settle()

    async def dm(self, user_id: int, text: str) -> None:
        data = message_create(user_id + 1, user_id, text, guild=False)
        await self.feed("MESSAGE_CREATE", data, f"message:{data['id']}")

    async def use(self, data: dict) -> None:
        await self.feed("INTERACTION_CREATE", data, f"interaction:{data['id']}")

    def followups(self, payload: dict) -> list[dict]:
        return self.fake.calls("POST", f"/webhooks/{APP_ID}/{payload['token']}")

    def dm_texts(self, user_id: int) -> list[str]:
        return [b["content"] or "" for b in self.fake.calls("POST", f"/channels/{user_id + 1}/messages")]


@pytest.fixture
async def fake(tmp_path):
    fake = GatewayFake()
    fake.channel(GENERAL_ID, "雑談")
    forum = fake.channel(FORUM_ID, "関係人口-board", kind=15)
    forum["available_tags"] = [
        {"id": str(TAG_ID), "name": "地域ネタ", "moderated": False, "emoji_id": None, "emoji_name": None}
    ]
    forum.update(flags=0, default_reaction_emoji=None, default_forum_layout=0, default_sort_order=None)
    async with served(fake, tmp_path):
        yield fake


@pytest.fixture
async def gateway(make_line_bot, fake):
    """Our service with Discord on: the adapter logs in over REST (syncing its slash commands), then the test is
    the gateway."""
    line = await make_line_bot(DISCORD_GUILD_ID=str(GUILD_ID), ADMIN_DISCORD_USER_IDS=str(STAFF_ID))
    discord_on(line.runtime)
    bot = await logged_in_bot(line.runtime, fake)
    gateway = Gateway(line, bot, fake)
    await gateway.feed("GUILD_CREATE", guild_create(fake))
    assert bot.client.get_guild(GUILD_ID) is not None and bot.client.get_channel(FORUM_ID) is not None
    yield gateway
    await bot.close()


async def new_event_in_a_dm(gateway: Gateway, capacity: str = "") -> tuple[Event, dict, dict]:
    """Staff make an event in a DM; returns the event, its private channel and the lobby's join card message."""
    when = (datetime.now(TOKYO) + timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
    await gateway.dm(STAFF_ID, f"/event new 清掃活動 | {when} | 公民館{capacity}")
    [event] = gateway.rows(Event)
    channel = next(c for c in gateway.fake.channels.values() if (c.get("topic") or "").startswith(f"[{event.code}]"))
    lobby = next(c for c in gateway.fake.channels.values() if c.get("name") == "イベント案内")
    # Discord tells the bot about the channels it made
    for made in (channel, lobby):
        await gateway.feed("CHANNEL_CREATE", made)
    [card_body] = gateway.fake.calls("POST", f"/channels/{lobby['id']}/messages")
    card = gateway.fake.message(lobby["id"], card_body)
    card.update(guild_id=str(GUILD_ID))
    return event, channel, card


def _everyone_hidden(fake: GatewayFake, channel: dict) -> bool:
    """The channel was made with @everyone (the guild's id) denied the view."""
    [made] = [c for c in fake.calls("POST", f"/guilds/{GUILD_ID}/channels") if c["name"] == channel["name"]]
    found = {str(o["id"]): o for o in made["permission_overwrites"]}
    return bool(int(found[str(GUILD_ID)]["deny"]) & discord.Permissions(view_channel=True).value)


VIEW = discord.Permissions(view_channel=True).value
MODERATE = discord.Permissions(manage_messages=True).value


# ---- the event's private channel, from a DM to the join button ---------------------------------------------------


async def test_an_event_made_in_a_dm_gets_a_private_channel_its_people_are_let_into(gateway, fake):
    event, channel, _ = await new_event_in_a_dm(gateway)
    [answer] = gateway.dm_texts(STAFF_ID)
    assert "Discordにこのイベントのチャンネルを作っています" in answer and "LINEグループ" not in answer
    assert event.bind_code not in answer  # nothing to bind on Discord: no secret to pass on
    assert _everyone_hidden(fake, channel)
    # the channel reported back through the inbox and bound; its organizer (staff) let in to see it
    assert gateway.rows(InboxEvent, InboxEvent.event_type == m.SPACE_CREATED)
    assert fake.permission_calls() == [
        ("PUT", str(STAFF_ID), VIEW | discord.Permissions(read_message_history=True).value, 0)
    ]


async def test_a_slash_command_with_a_user_option_names_a_facilitator_who_may_moderate(gateway, fake):
    event, channel, _ = await new_event_in_a_dm(gateway)
    option, resolved = person_option(FAC_ID)
    used = interaction(2, slash("event", "facilitator", [option], resolved), STAFF_ID, channel)
    await gateway.use(used)
    # the library found /event facilitator in the synced tree and parsed the user option into a mention
    [stored] = gateway.rows(InboxEvent, InboxEvent.event_id == f"interaction:{used['id']}")
    inbound = m.Inbound.from_json(stored.payload)
    assert inbound.text == "/event facilitator" and inbound.mentions == (m.Mention(str(FAC_ID), "@jiroさん"),)
    [callback] = fake.calls("POST", f"/interactions/{used['id']}/{used['token']}/callback")
    assert callback["type"] == 5
    [followup] = gateway.followups(used)
    assert "jiroさん さんを「清掃活動」の世話人にしました" in followup["content"]
    assert ("PUT", str(FAC_ID)) in [(verb, who) for verb, who, _, _ in fake.permission_calls()]
    [(_, _, allow, _)] = [c for c in fake.permission_calls() if c[1] == str(FAC_ID)]
    assert allow & VIEW and allow & MODERATE
    [guide] = gateway.dm_texts(FAC_ID)
    assert "世話人になりました" in guide and event.code in guide
    assert "LINEグループ" not in guide and event.bind_code not in guide  # on Discord there is no group to bind


async def test_the_lobby_join_button_registers_and_lets_in_and_the_waiting_list_moves_up(gateway, fake):
    event, channel, card = await new_event_in_a_dm(gateway, " | 定員 1")
    press = interaction(3, {"custom_id": f"event-join:{event.code}", "component_type": 2}, ONE_ID, channel, card)
    await gateway.use(press)  # routed by discord.py's view store to the dynamic button, then stored
    [callback] = fake.calls("POST", f"/interactions/{press['id']}/{press['token']}/callback")
    assert callback["data"]["flags"] == 64  # answered privately
    [followup] = gateway.followups(press)
    assert "参加登録しました" in followup["content"] and "チャンネルが見られるようになりました" in followup["content"]
    [(_, _, allow, _)] = [c for c in fake.permission_calls() if c[1] == str(ONE_ID)]
    assert allow & VIEW and not allow & MODERATE  # sees the channel; does not moderate it

    second = interaction(3, {"custom_id": f"event-join:{event.code}", "component_type": 2}, TWO_ID, channel, card)
    await gateway.use(second)
    [followup] = gateway.followups(second)
    assert "キャンセル待ち（1番目）" in followup["content"]
    assert str(TWO_ID) not in [who for _, who, _, _ in fake.permission_calls()]  # waiting: not let in

    cancel = interaction(
        2, slash("event", "cancel", [{"name": "引数", "type": 3, "value": event.code}]), ONE_ID, channel
    )
    await gateway.use(cancel)
    assert "参加登録を取り消しました" in gateway.followups(cancel)[0]["content"]
    changes = [(verb, who) for verb, who, _, _ in fake.permission_calls()][-2:]
    assert changes == [("DELETE", str(ONE_ID)), ("PUT", str(TWO_ID))]  # out, and the one who moved up in
    [moved] = gateway.dm_texts(TWO_ID)
    assert "参加できることになりました" in moved
    assert sorted(r.status for r in gateway.rows(EventRegistration)) == ["cancelled", "registered"]


# ---- the board's forum ---------------------------------------------------------------------------------------------


async def test_a_message_in_a_forum_thread_becomes_a_board_post(gateway, fake):
    thread = fake.thread(FORUM_ID, "花火大会の思い出", [str(TAG_ID)], STAFF_ID)
    await gateway.feed("THREAD_CREATE", dict(thread, newly_created=True))
    assert gateway.bot.client.get_channel(int(thread["id"])) is not None
    data = message_create(int(thread["id"]), STAFF_ID, "今年も見に行きました")
    await gateway.feed("MESSAGE_CREATE", data, f"message:{data['id']}")
    [board_thread] = gateway.rows(BoardThread)
    assert (board_thread.title, board_thread.category) == ("花火大会の思い出", "地域ネタ")
    [post] = gateway.rows(BoardPost)
    assert post.text == "今年も見に行きました"


# ---- what Discord refuses ------------------------------------------------------------------------------------------


async def test_a_missing_permission_parks_the_row_and_staff_hear_once_which_to_grant(gateway, fake):
    event, channel, card = await new_event_in_a_dm(gateway)
    fake.denied.add("manage_roles")
    for user_id in (ONE_ID, TWO_ID):
        press = interaction(3, {"custom_id": f"event-join:{event.code}", "component_type": 2}, user_id, channel, card)
        await gateway.use(press)
    parked = [r for r in gateway.rows(OutboxMessage, OutboxMessage.status == "parked")]
    assert len(parked) == 2 and all(r.attempts == 1 for r in parked)  # never retried
    assert all("missing permission manage_roles" in r.last_error and "50013" in r.last_error for r in parked)
    refused = gateway.rows(InboxEvent, InboxEvent.event_type == m.PERMISSION_MISSING)
    assert len(refused) == 1  # one report for the day, however many rows were refused
    notices = [text for text in gateway.dm_texts(STAFF_ID) if "権限がない" in text]
    assert notices == [
        "⚠ Discordのボットに「ロールの管理」の権限がないため、イベントのチャンネルへの参加者の出入りができませんでした。"
        "サーバー設定 → ロール → ボットのロールで「ロールの管理」をオンにしてください。"
        "（この送信は保留にしました。権限を付けたら、必要な操作をもう一度してください）"
    ]


async def test_rate_limits_are_honoured_by_the_library_before_the_outbox_sees_them(gateway, fake):
    fake.rate_limited.append(0.05)  # shorter than discord.py waits itself: it retries, the row is sent once
    await gateway.bot.delivery.send(
        m.PUSH, str(GENERAL_ID), [m.Text("お知らせ")], "5b4e28ba-2fa1-11d2-883f-0016d3cca427", None
    )
    tries = [
        path for verb, path, _ in fake.requests if verb == "POST" and path.endswith(f"/channels/{GENERAL_ID}/messages")
    ]
    assert len(tries) == 2
    [sent] = fake.calls("POST", f"/channels/{GENERAL_ID}/messages")[-1:]
    assert sent["content"] == "お知らせ"


# ---- several cities: each server goes to its own city ----------------------------------------------------------------

GUILD_B = 700000000000000011
KASHIMA = f"""
[city]
id = "kashima"
name = "鹿嶋市"
features = ["board", "kpi"]
public_base_url = "https://tsunagaru.example.jp/kashima"

[discord]
guild_id = {GUILD_B}

[community]
categories = ["地域ネタ", "観光", "グルメ"]
"""


@pytest.fixture
async def two_cities(tmp_path, fake, monkeypatch):
    """Omitama and Kashima in one process, each with its Discord server; the Runtime builds the one bot itself (the
    test connector put in, and the gateway left to the test)."""
    import shutil

    from bot.app import Runtime
    from bot.config import DEFAULT_CITY_CONFIG, load_settings
    from bot.discord import wiring

    shutil.copy(DEFAULT_CITY_CONFIG, tmp_path / "omitama.toml")
    (tmp_path / "kashima.toml").write_text(KASHIMA, encoding="utf-8")
    settings = load_settings(
        {
            "CITY_CONFIG": f"{tmp_path / 'omitama.toml'},{tmp_path / 'kashima.toml'}",
            "DATABASE_URL": f"sqlite:///{tmp_path}/tsunagaru.db",
            "PUBLIC_BASE_URL": "https://tsunagaru.example.jp",
            "DISCORD_BOT_TOKEN": "test-token",
            "DISCORD_GUILD_ID": str(GUILD_ID),
        },
        dotenv=False,
    )
    build = wiring.discord_bot_for

    def with_test_connector(settings, cities, connector=None):
        bot = build(
            settings, cities, connector=aiohttp.TCPConnector(resolver=LoopbackResolver(fake.port), ssl=fake.client_tls)
        )

        async def login_only() -> None:  # the REST part of starting; the test plays the gateway
            await bot.client.login("test-token")

        bot.run = login_only
        return bot

    monkeypatch.setattr(wiring, "discord_bot_for", with_test_connector)
    runtime = Runtime(settings, run_workers=False, run_scheduler=False)
    await runtime.start()
    await until(lambda: len(fake.calls("PUT", f"/applications/{APP_ID}/guilds/")) == 2, "both servers' commands")
    yield runtime
    await runtime.stop()


async def test_each_server_is_routed_to_its_city_and_dms_to_the_first(two_cities, fake):
    runtime = two_cities
    bot = runtime.discord
    state = bot.client._connection
    omitama, kashima = runtime.city("omitama"), runtime.city("kashima")
    # each server got its own city's commands: Kashima has no events feature, so no /event there
    synced = {
        path: {c["name"] for c in body} for verb, path, body in fake.requests if verb == "PUT" and "/commands" in path
    }
    assert "event" in synced[f"/api/v10/applications/{APP_ID}/guilds/{GUILD_ID}/commands"]
    assert "event" not in synced[f"/api/v10/applications/{APP_ID}/guilds/{GUILD_B}/commands"]
    assert omitama.deliveries["discord"].spaces.site.guild_id == GUILD_ID
    assert kashima.deliveries["discord"].spaces.site.guild_id == GUILD_B
    for guild_id in (GUILD_ID, GUILD_B):
        state.parsers["GUILD_CREATE"](dict(guild_create(fake), id=str(guild_id)))

    def inbox(city) -> list[str]:
        with city.db.session() as session:
            return [row.event_id for row in session.exec(select(InboxEvent))]

    channel_b = {
        "id": "700000000000000301",
        "type": 0,
        "guild_id": str(GUILD_B),
        "name": "雑談",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }
    used = interaction(2, {"id": "1", "name": "help", "type": 1, "guild_id": str(GUILD_B)}, ONE_ID, channel_b)
    used.update(guild_id=str(GUILD_B))
    state.parsers["INTERACTION_CREATE"](used)
    await until(lambda: f"interaction:{used['id']}" in inbox(kashima), "Kashima's inbox")
    assert f"interaction:{used['id']}" not in inbox(omitama)
    await kashima.worker.drain()
    await kashima.sender.drain()
    [followup] = fake.calls("POST", f"/webhooks/{APP_ID}/{used['token']}")
    assert "/board" in followup["content"] and "/event" not in followup["content"]  # Kashima's commands

    dm = message_create(ONE_ID + 1, ONE_ID, "/help", guild=False)
    state.parsers["MESSAGE_CREATE"](dm)
    await until(lambda: f"message:{dm['id']}" in inbox(omitama), "the first city's inbox")
    assert f"message:{dm['id']}" not in inbox(kashima)
