"""The Discord adapter against a fake Discord REST API (no network).

How discord.py reaches the fake: only documented constructor options. DiscordBot passes `connector=` through to
discord.Client; the test connector resolves discord.com to the fake's loopback port and trusts the fake's throwaway
TLS certificate. Routes, URLs and the webhook/followup paths stay exactly as discord.py builds them, and nothing in
the library is patched. The gateway is never started: `client.login()` does the REST part of startup (and runs
setup_hook, which syncs the slash commands to the fake).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import socket
from dataclasses import dataclass, field
from datetime import timedelta

import aiohttp
import discord
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver
from sqlmodel import select

from bot.app import Runtime
from bot.discord import wiring
from bot.discord.adapter import DiscordBot
from bot.discord.commands import Invoked, command_text, slash_commands
from bot.discord.render import render
from bot.discord.translate import inbound_from_interaction, inbound_from_message
from bot.queues.delivery import PermanentFailure, ReplyTokenExpired, TransientFailure
from community import messages as m
from handlers.router import Router
from storage.models import InboxEvent
from tests.discord_helpers import GUILD, GUILD_ID, served

APP_ID = 700000000000000001
BOT_USER_ID = 700000000000000002
CHANNEL_ID = 700000000000000020
USER_ID = 700000000000000030
FACILITATOR_ID = 700000000000000031
STRANGER_ID = 700000000000000032


# ---- the fake Discord --------------------------------------------------------------------------------------------


class LoopbackResolver(AbstractResolver):
    """discord.com -> the fake's port on 127.0.0.1; any other host is a test bug."""

    def __init__(self, port: int):
        self.port = port

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        assert host == "discord.com", f"unexpected host {host}"
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": self.port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        pass


def _user(user_id: int, name: str, bot: bool = False) -> dict:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": None, "avatar": None, "bot": bot}


def rate_limit_headers(path: str = "") -> dict[str, str]:
    """What Discord sends with every answer: the route's bucket and what is left of it (plenty, here)."""
    bucket = "fake-" + (path.strip("/").split("/")[2] if path.count("/") > 2 else "bucket")
    return {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "4",
        "X-RateLimit-Reset": f"{dt.datetime.now(dt.UTC).timestamp() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": bucket,
    }


def _json(payload, status: int = 200, headers: dict | None = None, path: str = "") -> web.Response:
    # discord.py decodes a body as JSON only when Content-Type is exactly application/json, as Discord sends it.
    return web.Response(
        body=json.dumps(payload).encode(),
        status=status,
        headers={"Content-Type": "application/json", **rate_limit_headers(path), **(headers or {})},
    )


def _iso(when: dt.datetime) -> str:
    return when.isoformat()


@dataclass
class FakeDiscord:
    """Discord's REST API for the calls the adapter makes. Records every request; unknown routes answer 404."""

    requests: list[tuple[str, str, dict | list | None]] = field(default_factory=list)
    channels: dict[int, dict] = field(default_factory=dict)
    scheduled_events: list[dict] = field(default_factory=list)
    fail_next: list[tuple[int, dict, dict]] = field(default_factory=list)  # (status, body, headers) for next calls
    next_id: int = 800000000000000000

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def calls(self, method: str, prefix: str) -> list[dict | list | None]:
        return [body for verb, path, body in self.requests if verb == method and path.startswith("/api/v10" + prefix)]

    def channel(
        self, channel_id: int, name: str, kind: int = 0, parent_id: int | None = None, topic: str | None = None
    ) -> dict:
        data = {
            "id": str(channel_id),
            "type": kind,
            "guild_id": str(GUILD_ID),
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": [],
            "parent_id": str(parent_id) if parent_id else None,
            "nsfw": False,
            "topic": topic,
        }
        self.channels[channel_id] = data
        return data

    def message(self, channel_id: int | str, body: dict, author: dict | None = None) -> dict:
        return {
            "id": self.new_id(),
            "channel_id": str(channel_id),
            "author": author or _user(BOT_USER_ID, "tsunagaru", True),
            "content": body.get("content") or "",
            "timestamp": _iso(dt.datetime.now(dt.UTC)),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "components": body.get("components") or [],
            "nonce": body.get("nonce"),
        }

    async def handle(self, request: web.Request) -> web.Response:
        body = None
        if request.can_read_body:
            text = await request.text()
            body = json.loads(text) if text else None
        path = request.path
        self.requests.append((request.method, path, body))
        if self.fail_next:
            status, payload, headers = self.fail_next.pop(0)
            return _json(payload, status, headers)
        assert path.startswith("/api/v10/"), path
        route = path[len("/api/v10") :]
        parts = route.strip("/").split("/")
        method = request.method

        def ok(payload=None, status=200):
            return (
                web.Response(status=204, headers=rate_limit_headers(path))
                if payload is None
                else _json(payload, status, path=path)
            )

        def not_found(code: int, message: str):
            return _json({"message": message, "code": code}, 404)

        if method == "GET" and route == "/users/@me":
            return ok(_user(BOT_USER_ID, "tsunagaru", True))
        if method == "GET" and route == "/oauth2/applications/@me":
            return ok(
                {
                    "id": str(APP_ID),
                    "name": "tsunagaru",
                    "description": "",
                    "icon": None,
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "owner": _user(1, "owner"),
                    "verify_key": "00",
                    "flags": 0,
                }
            )
        if method == "PUT" and parts[:1] == ["applications"] and parts[-1] == "commands":
            return ok(
                [
                    dict(c, id=self.new_id(), application_id=str(APP_ID), version="1", default_member_permissions=None)
                    for c in body
                ]
            )
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            flags = (body.get("data") or {}).get("flags", 0)
            return ok(
                {
                    "interaction": {
                        "id": parts[1],
                        "type": 2,
                        "response_message_loading": body["type"] == 5,
                        "response_message_ephemeral": bool(flags & 64),
                    },
                    "resource": {"type": body["type"]},
                }
            )
        if method == "POST" and parts[0] == "webhooks":
            return ok(self.message(CHANNEL_ID, body))
        if method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            channel_id = int(parts[1])
            if channel_id not in self.channels:
                return not_found(10003, "Unknown Channel")
            return ok(self.message(channel_id, body))
        if method == "GET" and parts[0] == "users" and len(parts) == 2:
            if int(parts[1]) in (USER_ID, FACILITATOR_ID):
                return ok(_user(int(parts[1]), "hanako"))
            return not_found(10013, "Unknown User")
        if method == "POST" and route == "/users/@me/channels":
            dm_id = int(body["recipient_id"]) + 1
            self.channels[dm_id] = {"id": str(dm_id), "type": 1}
            return ok(
                {
                    "id": str(dm_id),
                    "type": 1,
                    "recipients": [_user(int(body["recipient_id"]), "hanako")],
                    "last_message_id": None,
                }
            )
        if parts[:2] == ["guilds", str(GUILD_ID)]:
            rest = parts[2:]
            if method == "GET" and not rest:
                return ok(GUILD)
            if rest == ["channels"] and method == "GET":
                return ok(list(self.channels.values()))
            if rest == ["channels"] and method == "POST":
                parent = int(body["parent_id"]) if body.get("parent_id") else None
                data = self.channel(int(self.new_id()), body["name"], body.get("type", 0), parent, body.get("topic"))
                data["permission_overwrites"] = body.get("permission_overwrites") or []
                return ok(data, 201)
            if rest[:1] == ["members"] and method == "GET":
                if int(rest[1]) != FACILITATOR_ID:
                    return not_found(10007, "Unknown Member")
                return ok(
                    {
                        "user": _user(FACILITATOR_ID, "facilitator"),
                        "roles": [],
                        "joined_at": _iso(dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
                        "deaf": False,
                        "mute": False,
                        "flags": 0,
                    }
                )
            if rest == ["scheduled-events"] and method == "GET":
                return ok(self.scheduled_events)
            if rest == ["scheduled-events"] and method == "POST":
                event = {
                    "id": self.new_id(),
                    "guild_id": str(GUILD_ID),
                    "channel_id": None,
                    "creator_id": str(BOT_USER_ID),
                    "name": body["name"],
                    "description": body.get("description"),
                    "scheduled_start_time": body["scheduled_start_time"],
                    "scheduled_end_time": body.get("scheduled_end_time"),
                    "privacy_level": body["privacy_level"],
                    "status": 1,
                    "entity_type": body["entity_type"],
                    "entity_id": None,
                    "entity_metadata": body.get("entity_metadata"),
                }
                self.scheduled_events.append(event)
                return ok(event)
        if parts[0] == "channels" and len(parts) == 4 and parts[2] == "permissions" and method == "PUT":
            return ok()
        if parts[0] == "channels" and len(parts) == 2 and method == "PATCH":
            data = self.channels[int(parts[1])]
            if "parent_id" in body:
                data["parent_id"] = body["parent_id"]
            return ok(data)
        return not_found(0, f"fake Discord has no route {method} {route}")


@pytest.fixture
async def fake_discord(tmp_path):
    async with served(FakeDiscord(), tmp_path) as fake:
        yield fake


@pytest.fixture
async def runtime(make_settings):
    settings = make_settings(DISCORD_GUILD_ID=str(GUILD_ID))  # no token: Runtime leaves Discord to the test
    runtime = Runtime(settings, run_workers=False, run_scheduler=False)
    await runtime.start()
    yield runtime
    await runtime.stop()


def make_bot(runtime: Runtime, connector: aiohttp.BaseConnector | None = None) -> DiscordBot:
    """The adapter built as Runtime.start() builds it when DISCORD_BOT_TOKEN is set."""
    return wiring.discord_bot(
        runtime.settings, runtime.db, runtime.router, runtime.worker.wake.set, connector=connector
    )


async def logged_in_bot(runtime: Runtime, fake) -> DiscordBot:
    """A DiscordBot logged in (REST only) to the fake and wired into the runtime as Runtime.start() does with a
    token; the caller closes it."""
    connector = aiohttp.TCPConnector(resolver=LoopbackResolver(fake.port), ssl=fake.client_tls)
    bot = make_bot(runtime, connector)
    await bot.client.login("test-token")
    runtime.worker.translators["discord"] = bot.translator
    runtime.sender.deliveries["discord"] = bot.delivery
    return bot


def discord_on(runtime: Runtime) -> None:
    """Discord turned on for the handlers of a runtime started without a token (so it did not dial discord.com)."""
    runtime.settings = dataclasses.replace(runtime.settings, discord_bot_token="test-token")
    runtime.default.site = runtime.worker.dispatcher.site = dataclasses.replace(
        runtime.site, platforms=runtime.site.platforms | {"discord"}
    )


@pytest.fixture
async def discord_bot(runtime, fake_discord):
    bot = await logged_in_bot(runtime, fake_discord)
    yield bot
    await bot.close()


def _interaction(bot: DiscordBot, data: dict, *, kind: int = 2, guild: bool = True) -> discord.Interaction:
    # Snowflakes carry their time: the id says the interaction happened just now (reply tokens age from it).
    interaction_id = discord.utils.time_snowflake(dt.datetime.now(dt.UTC))
    user = _user(USER_ID, "hanako")
    payload = {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "token": "tok-" + str(interaction_id),
        "version": 1,
        "data": data,
        "locale": "ja",
        "attachment_size_limit": 8388608,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "app_permissions": "0",
    }
    if guild:
        payload.update(
            guild_id=str(GUILD_ID),
            channel_id=str(CHANNEL_ID),
            guild_locale="ja",
            context=0,
            channel={
                "id": str(CHANNEL_ID),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "雑談",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
            member={
                "user": user,
                "roles": [],
                "joined_at": "2024-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "permissions": "1024",
                "flags": 0,
            },
        )
    else:
        dm = USER_ID + 1
        payload.update(
            channel_id=str(dm), context=1, channel={"id": str(dm), "type": 1, "recipients": [user]}, user=user
        )
    # discord.py parses gateway payloads with the client's connection state; this is the one it uses at runtime.
    return discord.Interaction(data=payload, state=bot.client._connection)


async def _inbox(runtime) -> list[tuple[str, str, str]]:
    def read(session):
        rows = session.exec(select(InboxEvent).where(InboxEvent.platform == "discord").order_by(InboxEvent.id))
        return [(r.event_id, r.event_type, r.payload) for r in rows]

    return await runtime.db.run(read)


def _router() -> Router:
    router = Router()

    def handler(ctx):
        ctx.reply("ok")

    router.command("help", summary=("使えるコマンドの一覧", "list"), usage="/help [コマンド名]", aliases=("ヘルプ",))(
        handler
    )
    router.command("event new", summary=("イベントを作る", "new event"), usage="/event new 題名 | 日時 | 場所")(handler)
    router.command("event bind", summary=("このチャンネルをイベントに結びつける", "bind"))(handler)
    router.command("child", summary=("子どもの登録", "child"))(handler)
    router.command("child list", summary=("登録した子どもの一覧", "children"))(handler)
    return router


# ---- slash commands -------------------------------------------------------------------------------------------------


async def test_slash_commands_mirror_router_commands_as_groups_and_subcommands():
    invoked = []

    async def on_command(interaction, parsed):
        invoked.append((interaction, parsed))

    items = {item.name: item for item in slash_commands(_router(), on_command)}
    assert invoked == []
    assert set(items) == {"help", "event", "child"}
    assert isinstance(items["help"], discord.app_commands.Command)
    assert items["help"].description == "使えるコマンドの一覧"
    [option] = items["help"].parameters
    assert (option.display_name, option.required, option.type) == ("引数", False, discord.AppCommandOptionType.string)
    assert "/help [コマンド名]" in option.description
    event = items["event"]
    assert isinstance(event, discord.app_commands.Group)
    assert {c.name: c.description for c in event.commands} == {
        "new": "イベントを作る",
        "bind": "このチャンネルをイベントに結びつける",
    }
    assert [c.qualified_name for c in event.commands] == ["event new", "event bind"]
    # Discord cannot invoke a group: "/child" next to "/child list" becomes "/child 実行", which reads back as "/child".
    assert {c.qualified_name for c in items["child"].commands} == {"child list", "child 実行"}
    assert items["child"].get_command("実行").description == "子どもの登録"
    assert (
        command_text(
            {
                "name": "child",
                "options": [
                    {"name": "実行", "type": 1, "options": [{"name": "引数", "type": 3, "value": "2024-04-01"}]}
                ],
            }
        )
        == "/child 2024-04-01"
    )
    # Invoking a slash command hands the interaction and what the library parsed of it to the adapter.
    await items["event"].get_command("new").callback("the interaction", "題名")
    assert invoked == [("the interaction", Invoked("event new", "題名"))]
    assert invoked[0][1].text == "/event new 題名"


async def test_login_syncs_the_routers_commands_to_the_configured_guild(discord_bot, fake_discord, runtime):
    [synced] = fake_discord.calls("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    names = {c["name"] for c in synced}
    top_level = {name.split()[0] for name in runtime.router.commands}
    assert names == top_level and "help" in names
    assert {c.name for c in discord_bot.synced} == top_level
    assert not fake_discord.calls("PUT", f"/applications/{APP_ID}/commands")  # nothing global when a guild is set


# ---- inbound ------------------------------------------------------------------------------------------------------


def test_command_text_joins_subcommands_and_the_argument():
    assert command_text({"name": "help"}) == "/help"
    assert command_text({"name": "help", "options": [{"name": "引数", "type": 3, "value": "event"}]}) == "/help event"
    data = {
        "name": "event",
        "options": [
            {
                "name": "new",
                "type": 1,
                "options": [{"name": "引数", "type": 3, "value": "清掃活動 | 2030-05-01 10:00 | 公民館"}],
            }
        ],
    }
    assert command_text(data) == "/event new 清掃活動 | 2030-05-01 10:00 | 公民館"
    assert (
        command_text({"name": "a", "options": [{"name": "b", "type": 2, "options": [{"name": "c", "type": 1}]}]})
        == "/a b c"
    )


async def test_interactions_become_neutral_inbound(discord_bot):
    slash = _interaction(
        discord_bot, {"id": "1", "name": "lang", "type": 1, "options": [{"name": "引数", "type": 3, "value": "en"}]}
    )
    inbound = inbound_from_interaction(slash)
    assert inbound.platform == "discord" and inbound.kind == m.MESSAGE
    assert inbound.place == m.Place("discord", m.CHANNEL, str(CHANNEL_ID))
    assert inbound.sender_id == str(USER_ID) and inbound.text == "/lang en" and inbound.place_name == "雑談"
    assert inbound.reply_token == f"interaction:{APP_ID}:tok-{slash.id}"
    assert inbound.occurred_at == discord.utils.snowflake_time(slash.id)
    assert m.Inbound.from_json(inbound.to_json()) == inbound

    in_dm = inbound_from_interaction(_interaction(discord_bot, {"id": "1", "name": "help", "type": 1}, guild=False))
    assert in_dm.place == m.Place("discord", m.DIRECT, str(USER_ID)) and in_dm.text == "/help"

    button = inbound_from_interaction(
        _interaction(discord_bot, {"custom_id": "event-join:AB12", "component_type": 2}, kind=3)
    )
    assert (button.kind, button.postback_data, button.text) == (m.POSTBACK, "event-join:AB12", None)
    say = inbound_from_interaction(_interaction(discord_bot, {"custom_id": "say:/help", "component_type": 2}, kind=3))
    assert (say.kind, say.text) == (m.MESSAGE, "/help")


async def test_a_slash_command_is_deferred_stored_handled_and_answered_by_followup(discord_bot, fake_discord, runtime):
    interaction = _interaction(discord_bot, {"id": "1", "name": "help", "type": 1})
    await discord_bot.accept_interaction(interaction)

    [callback] = fake_discord.calls("POST", f"/interactions/{interaction.id}/tok-{interaction.id}/callback")
    assert callback["type"] == 5  # deferred channel message: "thinking…" until the worker answers
    [(event_id, kind, payload)] = await _inbox(runtime)
    assert (event_id, kind) == (f"interaction:{interaction.id}", m.MESSAGE)
    assert await discord_bot.translator.translate(payload) == inbound_from_interaction(interaction)

    await runtime.worker.drain()
    await runtime.sender.drain()
    [followup] = fake_discord.calls("POST", f"/webhooks/{APP_ID}/tok-{interaction.id}")
    assert "/help" in followup["content"] and "/lang" in followup["content"]


async def test_buttons_in_a_channel_are_acknowledged_privately(discord_bot, fake_discord, runtime):
    await discord_bot.accept_interaction(
        _interaction(discord_bot, {"custom_id": "event-join:AB12", "component_type": 2}, kind=3)
    )
    [callback] = fake_discord.calls("POST", "/interactions/")
    assert callback["type"] == 5 and callback["data"]["flags"] == 64  # ephemeral
    [(_, kind, payload)] = await _inbox(runtime)
    assert kind == m.POSTBACK and m.Inbound.from_json(payload).postback_data == "event-join:AB12"


async def test_plain_channel_messages_are_chat_and_typed_commands_are_not(discord_bot, fake_discord):
    guild = await discord_bot.client.fetch_guild(GUILD_ID)
    state = discord_bot.client._connection
    channel = discord.TextChannel(state=state, guild=guild, data=fake_discord.channel(CHANNEL_ID, "雑談"))

    def message(content: str, author=None) -> discord.Message:
        return discord.Message(
            state=state,
            channel=channel,
            data=fake_discord.message(CHANNEL_ID, {"content": content}, author or _user(USER_ID, "hanako")),
        )

    chat = inbound_from_message(message("こんにちは"))
    assert (chat.kind, chat.text, chat.reply_token, chat.message_kind) == (m.MESSAGE, "こんにちは", None, "text")
    assert chat.place == m.Place("discord", m.CHANNEL, str(CHANNEL_ID)) and chat.sender_id == str(USER_ID)
    assert inbound_from_message(message("/help")) is None
    assert inbound_from_message(message("hi", author=_user(5, "otherbot", bot=True))) is None

    # In a DM the place is the user, and a typed "/help" stays a command (guild-scoped slash commands miss DMs).
    dm = discord.DMChannel(
        me=discord_bot.client.user,
        state=state,
        data={"id": str(USER_ID + 1), "type": 1, "recipients": [_user(USER_ID, "hanako")]},
    )
    typed = inbound_from_message(
        discord.Message(
            state=state,
            channel=dm,
            data=fake_discord.message(USER_ID + 1, {"content": "/help"}, _user(USER_ID, "hanako")),
        )
    )
    assert (typed.place, typed.text) == (m.Place("discord", m.DIRECT, str(USER_ID)), "/help")


# ---- rendering ----------------------------------------------------------------------------------------------------


def _buttons(rendered) -> list[tuple]:
    return [
        (b["label"], b.get("custom_id"), b.get("url"), b["style"])
        for row in rendered.view.to_components()
        for b in row["components"]
    ]


async def test_text_with_quick_replies_renders_content_and_buttons():
    rendered = render(
        [
            m.Text(
                "参加しますか？",
                quick_replies=(
                    m.Action("参加", data="event-join:AB12"),
                    m.Action("ヘルプ", text="/help"),
                    m.Action("参加", data="event-join:AB12"),
                ),
            )
        ]
    )
    assert rendered.content == "参加しますか？" and rendered.embeds == []
    assert _buttons(rendered) == [("参加", "event-join:AB12", None, 1), ("ヘルプ", "say:/help", None, 2)]


async def test_cards_images_qr_and_carousels_render_as_embeds():
    card = m.Card(
        "清掃活動",
        "5月1日 10:00",
        actions=(m.Action("詳しく", url="https://example.jp/e/1"),),
        image_url="https://example.jp/i.png",
    )
    rendered = render([card])
    [embed] = rendered.embeds
    assert (embed.title, embed.description, embed.image.url) == ("清掃活動", "5月1日 10:00", "https://example.jp/i.png")
    assert _buttons(rendered) == [("詳しく", None, "https://example.jp/e/1", 5)]

    image = render([m.Image("https://example.jp/map.png", alt="地図")])
    assert image.embeds[0].image.url == "https://example.jp/map.png" and image.view is None

    qr = render([m.QrCard("アプリ", "https://example.jp/qr.png", "https://example.jp/r/x", "健診のお知らせが届きます")])
    assert (
        qr.embeds[0].image.url == "https://example.jp/qr.png" and qr.embeds[0].description == "健診のお知らせが届きます"
    )
    assert _buttons(qr) == [("アプリを開く", None, "https://example.jp/r/x", 5)]

    cards = tuple(
        m.Card(f"イベント{i}", "説明", actions=(m.Action("参加", data=f"event-join:E{i}"),)) for i in range(12)
    )
    carousel = render([m.Carousel(cards)])
    assert [e.title for e in carousel.embeds] == [f"イベント{i}" for i in range(10)]
    assert len(_buttons(carousel)) == 12  # buttons of every card, up to Discord's 25

    with pytest.raises(TypeError):
        render([m.CreateSpace("AB12", "t", "2030-01-01T10:00:00+09:00", "")])


# ---- delivery -----------------------------------------------------------------------------------------------------


async def test_push_to_a_channel_and_to_a_user(discord_bot, fake_discord):
    fake_discord.channel(CHANNEL_ID, "雑談")
    await discord_bot.delivery.send(
        m.PUSH, str(CHANNEL_ID), [m.Text("お知らせ")], "1b4e28ba-2fa1-11d2-883f-0016d3cca427", None
    )
    [sent] = fake_discord.calls("POST", f"/channels/{CHANNEL_ID}/messages")
    assert (
        sent["content"] == "お知らせ" and sent["nonce"] == "1b4e28ba2fa111d2883f0016d" and sent["enforce_nonce"] is True
    )

    fake_discord.requests.clear()
    await discord_bot.delivery.send(
        m.PUSH, str(USER_ID), [m.Text("DMです")], "2b4e28ba-2fa1-11d2-883f-0016d3cca427", None
    )
    assert fake_discord.calls("POST", f"/channels/{USER_ID}/messages")  # tried as a channel: Unknown Channel
    [opened] = fake_discord.calls("POST", "/users/@me/channels")
    assert opened == {"recipient_id": USER_ID}
    [dm] = fake_discord.calls("POST", f"/channels/{USER_ID + 1}/messages")
    assert dm["content"] == "DMです"


async def test_replies_go_to_the_interaction_followup_until_the_token_is_old(discord_bot, fake_discord):
    target = f"interaction:{APP_ID}:tok-1"
    await discord_bot.delivery.send(m.REPLY, target, [m.Text("はい")], "k", 3.0)
    [followup] = fake_discord.calls("POST", f"/webhooks/{APP_ID}/tok-1")
    assert followup["content"] == "はい"

    fake_discord.requests.clear()
    with pytest.raises(ReplyTokenExpired):
        await discord_bot.delivery.send(m.REPLY, target, [m.Text("はい")], "k", 15 * 60.0)
    assert fake_discord.requests == []

    fake_discord.fail_next.append((404, {"message": "Unknown Webhook", "code": 10015}, {}))
    with pytest.raises(ReplyTokenExpired):
        await discord_bot.delivery.send(m.REPLY, target, [m.Text("はい")], "k", 3.0)


async def test_http_errors_are_classified_for_the_sender(discord_bot, fake_discord):
    fake_discord.channel(CHANNEL_ID, "雑談")
    fake_discord.fail_next.append(
        (
            429,
            {"message": "You are being rate limited.", "retry_after": 120.0, "global": False},
            {"Retry-After": "120", "Via": "1.1 google"},
        )
    )
    with pytest.raises(TransientFailure) as limited:
        await discord_bot.delivery.send(m.PUSH, str(CHANNEL_ID), [m.Text("x")], "k", None)
    assert limited.value.retry_after == 120.0 and not limited.value.outcome_unknown

    fake_discord.fail_next.append((503, {"message": "unavailable", "code": 0}, {}))
    with pytest.raises(TransientFailure) as unavailable:
        await discord_bot.delivery.send(m.PUSH, str(CHANNEL_ID), [m.Text("x")], "k", None)
    assert unavailable.value.outcome_unknown

    fake_discord.fail_next.append((403, {"message": "Missing Access", "code": 50001}, {}))
    with pytest.raises(PermanentFailure, match="50001"):
        await discord_bot.delivery.send(m.PUSH, str(CHANNEL_ID), [m.Text("x")], "k", None)


async def test_a_429_is_retried_after_the_delay_discord_asks_for(discord_bot, fake_discord):
    fake_discord.channel(CHANNEL_ID, "雑談")
    # Longer than discord.py waits itself: the row comes back after the body's retry_after.
    fake_discord.fail_next.append(
        (429, {"message": "You are being rate limited.", "retry_after": 45.5, "global": False}, {"Via": "1.1 google"})
    )
    with pytest.raises(TransientFailure) as limited:
        await discord_bot.delivery.send(m.PUSH, str(CHANNEL_ID), [m.Text("x")], "k", None)
    assert limited.value.retry_after == 45.5 and not limited.value.outcome_unknown

    # A 429 from Discord's edge (no Via: not the API's rate limiter) carries the delay in Retry-After only.
    fake_discord.fail_next.append((429, {"message": "You are being blocked.", "code": 0}, {"Retry-After": "7"}))
    with pytest.raises(TransientFailure) as blocked:
        await discord_bot.delivery.send(m.PUSH, str(CHANNEL_ID), [m.Text("x")], "k", None)
    assert blocked.value.retry_after == 7.0 and not blocked.value.outcome_unknown
    assert fake_discord.calls("POST", f"/channels/{CHANNEL_ID}/messages") and not fake_discord.fail_next


async def test_missing_permissions_is_a_permanent_failure(discord_bot, fake_discord):
    fake_discord.channel(CHANNEL_ID, "雑談")
    fake_discord.fail_next.append((403, {"message": "Missing Permissions", "code": 50013}, {}))
    with pytest.raises(PermanentFailure, match="50013"):
        await discord_bot.delivery.send(m.PUSH, str(CHANNEL_ID), [m.Text("x")], "k", None)

    # The same for an operation: an event channel the bot may not make.
    fake_discord.fail_next.append((403, {"message": "Missing Permissions", "code": 50013}, {}))
    op = m.CreateSpace("AB12", "清掃活動", "2030-01-01T10:00:00+09:00", "公民館")
    with pytest.raises(PermanentFailure, match="50013"):
        await discord_bot.delivery.send(m.PUSH, "events", [op], "k", None)


async def test_a_closed_client_is_a_transient_failure(runtime):
    bot = make_bot(runtime)  # never logged in
    with pytest.raises(TransientFailure):
        await bot.delivery.send(m.PUSH, str(CHANNEL_ID), [m.Text("x")], "k", None)
    await bot.close()


# ---- event spaces -------------------------------------------------------------------------------------------------


async def test_create_space_makes_channel_event_permissions_and_join_card(discord_bot, fake_discord, runtime):
    starts = (dt.datetime.now(dt.UTC) + timedelta(days=7)).replace(microsecond=0)
    op = m.CreateSpace(
        "AB12", "清掃活動", starts.isoformat(), "公民館", facilitator_ids=(str(FACILITATOR_ID), str(STRANGER_ID))
    )
    await discord_bot.delivery.send(m.PUSH, "events", [op], "3b4e28ba-2fa1-11d2-883f-0016d3cca427", None)

    created = fake_discord.calls("POST", f"/guilds/{GUILD_ID}/channels")
    assert [(c["name"], c["type"]) for c in created] == [("events", 4), ("清掃活動-AB12", 0), ("イベント案内", 0)]
    category = next(c for c in fake_discord.channels.values() if c["type"] == 4)
    channel, lobby = (
        next(c for c in fake_discord.channels.values() if c["name"] == n) for n in ("清掃活動-AB12", "イベント案内")
    )
    assert str(created[1]["parent_id"]) == category["id"] and channel["topic"].startswith("[AB12] 清掃活動")
    # private: hidden from @everyone, the bot sees it; the lobby is public but read-only
    hidden = {str(o["id"]): o for o in created[1]["permission_overwrites"]}
    assert int(hidden[str(GUILD_ID)]["deny"]) & discord.Permissions(view_channel=True).value
    assert int(hidden[str(BOT_USER_ID)]["allow"]) & discord.Permissions(view_channel=True).value
    [everyone] = created[2]["permission_overwrites"]
    assert (
        int(everyone["deny"])
        == discord.Permissions(send_messages=True, create_public_threads=True, add_reactions=True).value
    )

    [overwrite] = fake_discord.calls("PUT", f"/channels/{channel['id']}/permissions/")
    assert int(overwrite["allow"]) & discord.Permissions(manage_messages=True).value and overwrite["type"] == 1
    assert [p for v, p, _ in fake_discord.requests if v == "PUT" and "permissions" in p] == [
        f"/api/v10/channels/{channel['id']}/permissions/{FACILITATOR_ID}"
    ]  # the stranger is not in the server

    [event] = fake_discord.calls("POST", f"/guilds/{GUILD_ID}/scheduled-events")
    assert (
        event["entity_type"] == 3 and event["entity_metadata"] == {"location": "公民館"} and event["name"] == "清掃活動"
    )
    assert dt.datetime.fromisoformat(event["scheduled_start_time"]) == starts
    assert dt.datetime.fromisoformat(event["scheduled_end_time"]) == starts + timedelta(hours=2)

    [card] = fake_discord.calls("POST", f"/channels/{lobby['id']}/messages")  # the join card: where all see it
    [button] = card["components"][0]["components"]
    assert button["custom_id"] == "event-join:AB12" and button["label"] == "参加する"
    [welcome] = fake_discord.calls("POST", f"/channels/{channel['id']}/messages")
    assert "参加登録した人・世話人・職員だけ" in welcome["embeds"][0]["description"] and not welcome["components"]

    [(event_id, kind, payload)] = await _inbox(runtime)
    reported = m.Inbound.from_json(payload)
    assert kind == m.SPACE_CREATED and event_id == f"space:AB12:{channel['id']}"
    assert (reported.text, reported.place) == ("AB12", m.Place("discord", m.CHANNEL, channel["id"]))

    # A retried row finds the channel and the scheduled event instead of making them again.
    fake_discord.requests.clear()
    await discord_bot.delivery.send(m.PUSH, "events", [op], "3b4e28ba-2fa1-11d2-883f-0016d3cca427", None)
    assert fake_discord.calls("POST", f"/guilds/{GUILD_ID}/channels") == []
    assert fake_discord.calls("POST", f"/guilds/{GUILD_ID}/scheduled-events") == []
    assert len(await _inbox(runtime)) == 1


async def test_archive_space_moves_the_channel_and_makes_it_read_only(discord_bot, fake_discord):
    events = fake_discord.channel(int(fake_discord.new_id()), "events", kind=4)
    channel = fake_discord.channel(
        int(fake_discord.new_id()), "清掃活動-ab12", parent_id=int(events["id"]), topic="[AB12] 清掃活動"
    )
    await discord_bot.delivery.send(m.PUSH, "events", [m.ArchiveSpace("AB12", channel["id"])], "k", None)

    [archive] = fake_discord.calls("POST", f"/guilds/{GUILD_ID}/channels")
    assert (archive["name"], archive["type"]) == ("archive", 4)
    archive_category = next(c for c in fake_discord.channels.values() if c["name"] == "archive")
    [moved] = fake_discord.calls("PATCH", f"/channels/{channel['id']}")
    assert str(moved["parent_id"]) == archive_category["id"] != events["id"]
    [everyone] = fake_discord.calls("PUT", f"/channels/{channel['id']}/permissions/{GUILD_ID}")
    assert int(everyone["deny"]) & discord.Permissions(send_messages=True).value and everyone["type"] == 0

    with pytest.raises(PermanentFailure):
        await discord_bot.delivery.send(m.PUSH, "events", [m.ArchiveSpace("ZZ99", "123")], "k", None)
