"""The community board on Discord: a forum mirrors the board, both ways, against the fake Discord of test_discord.py
(same connector approach: discord.com resolves to the fake on loopback, nothing in discord.py is patched) and the
fake LINE API. LINE posts reach the forum thread through the forum's webhook under the nickname; forum messages are
board posts that LINE reads; edits, deletions and staff /hide follow; nothing is copied back (no echo).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import aiohttp
import discord
import pytest
from aiohttp import web
from sqlmodel import select

from bot.discord.adapter import DiscordBot
from bot.discord.forum import BOARD_WEBHOOK_NAME, webhook_username
from bot.discord.mirror import RecentLinks
from bot.discord.ports import ForumLink
from community import board, members
from community import messages as m
from storage.db import as_utc, utcnow
from storage.models import InboxEvent, OutboxMessage
from storage.models.community import BoardLink, BoardPost, BoardThread
from tests import line_payloads as lp
from tests.discord_helpers import GUILD, served
from tests.test_discord import (
    BOT_USER_ID,
    GUILD_ID,
    USER_ID,
    FakeDiscord,
    LoopbackResolver,
    _json,
    _user,
    discord_on,
    logged_in_bot,
    make_bot,
)

FORUM_NAME = "関係人口-board"
HANAKO = lp.user_id("hanako")  # a LINE resident
SATO = lp.user_id("sato")  # LINE city staff


class FakeForumDiscord(FakeDiscord):
    """FakeDiscord plus forums, forum threads and channel webhooks (requests recorded with their query string)."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: dict[int, dict] = {}
        self.webhooks: dict[int, dict] = {}
        self.deleted: list[tuple[str, str | None]] = []  # (message id, thread id) of deleted messages

    def thread(self, forum_id: int, name: str, tags: list[str], owner_id: int) -> dict:
        thread_id = self.new_id()
        data = {
            "id": thread_id,
            "type": 11,
            "guild_id": str(GUILD_ID),
            "parent_id": str(forum_id),
            "name": name,
            "owner_id": str(owner_id),
            "message_count": 1,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "locked": False,
                "archive_timestamp": datetime.now(UTC).isoformat(),
            },
            "applied_tags": tags,
            "flags": 0,
        }
        self.threads[int(thread_id)] = data
        return data

    def guild_channels(self) -> list[dict]:
        return [c for c in self.channels.values() if c["type"] != 1]  # not the DMs opened on the side

    def forum_id(self) -> int:
        [forum] = [c for c in self.channels.values() if c["type"] == 15]
        return int(forum["id"])

    def tag_id(self, name: str) -> str:
        forum = self.channels[self.forum_id()]
        return next(t["id"] for t in forum["available_tags"] if t["name"] == name)

    def webhook_posts(self) -> list[tuple[str, dict]]:
        """(thread id, body) of every webhook message sent."""
        return [
            (path.split("thread_id=")[1].split("&")[0], body)
            for verb, path, body in self.requests
            if verb == "POST" and path.startswith("/api/v10/webhooks/") and int(path.split("/")[4]) in self.webhooks
        ]

    async def handle(self, request: web.Request) -> web.Response:
        parts = request.path[len("/api/v10") :].strip("/").split("/")
        method = request.method
        mine = parts[0] in ("channels", "webhooks") or parts == ["guilds", str(GUILD_ID), "channels"]
        if not mine:
            return await super().handle(request)  # it reads the body itself (a body is read once)
        text = await request.text() if request.can_read_body else ""
        body = json.loads(text) if text else None

        def record():
            self.requests.append((method, request.path_qs, body))

        if method == "POST" and parts == ["guilds", str(GUILD_ID), "channels"]:
            record()
            data = self.channel(int(self.new_id()), body["name"], body.get("type", 0), topic=body.get("topic"))
            data["available_tags"] = [
                {"id": self.new_id(), "name": t["name"], "moderated": False, "emoji_id": None, "emoji_name": None}
                for t in body.get("available_tags", [])
            ]
            return _json(data, 201)
        if method == "GET" and parts == ["guilds", str(GUILD_ID), "channels"]:
            record()
            return _json(self.guild_channels())
        if parts[0] == "channels" and len(parts) == 2 and method == "GET":
            record()
            found = self.threads.get(int(parts[1])) or self.channels.get(int(parts[1]))
            return _json(found) if found else _json({"message": "Unknown Channel", "code": 10003}, 404)
        if parts[0] == "channels" and parts[2:] == ["threads"] and method == "POST":
            record()
            thread = self.thread(int(parts[1]), body["name"], body.get("applied_tags", []), BOT_USER_ID)
            starter = self.message(thread["id"], body["message"])
            starter["id"] = thread["id"]  # a forum post's first message has the thread's id
            return _json(dict(thread, message=starter), 201)
        if parts[0] == "channels" and parts[2:] == ["webhooks"]:
            record()
            if method == "GET":
                return _json([h for h in self.webhooks.values() if h["channel_id"] == parts[1]])
            hook = {
                "id": self.new_id(),
                "type": 1,
                "guild_id": str(GUILD_ID),
                "channel_id": parts[1],
                "name": body["name"],
                "avatar": None,
                "token": "hook-token",
                "application_id": None,
                "user": _user(BOT_USER_ID, "tsunagaru", True),
            }
            self.webhooks[int(hook["id"])] = hook
            return _json(hook)
        if parts[0] == "webhooks" and int(parts[1]) in self.webhooks:
            record()
            thread_id = request.query.get("thread_id")
            if method == "POST":
                message = self.message(thread_id, body, author={**_user(int(parts[1]), body["username"], True)})
                message["webhook_id"] = parts[1]
                return _json(message)
            if method == "DELETE" and parts[3] == "messages":
                self.deleted.append((parts[4], thread_id))
                return web.Response(status=204)
        if parts[0] == "channels" and len(parts) == 4 and parts[2] == "messages" and method == "DELETE":
            record()
            self.deleted.append((parts[3], parts[1]))
            return web.Response(status=204)
        if parts[0] == "channels" and parts[2:] == ["messages"] and method == "POST":
            record()
            if int(parts[1]) not in self.channels:
                return _json({"message": "Unknown Channel", "code": 10003}, 404)
            return _json(self.message(parts[1], body))
        if parts[0] == "webhooks" and method == "POST":  # an interaction followup
            record()
            return _json(self.message(parts[1], body))
        record()
        return _json({"message": f"fake Discord has no route {method} {request.path}", "code": 0}, 404)


@pytest.fixture
async def fake(tmp_path):
    async with served(FakeForumDiscord(), tmp_path) as fake:
        yield fake


@dataclasses.dataclass
class Service:
    line: object  # tests.fake_line.LineBot
    bot: DiscordBot
    fake_line: object

    @property
    def runtime(self):
        return self.line.runtime

    async def line_says(self, user: str, text: str | None = None, postback: str | None = None) -> str:
        """A LINE event from user; returns everything the bot replied to it, as JSON text."""
        event = lp.postback_event(postback, user) if postback else lp.text_event(text, user)
        await self.line.post(event)
        await self.line.settle()
        return json.dumps(
            [r for r in self.fake_line.replies() if r["replyToken"] == event["replyToken"]], ensure_ascii=False
        )

    def rows(self, model, *where):
        with self.runtime.db.session() as session:
            return list(session.exec(select(model).where(*where)))


@pytest.fixture
async def service(make_line_bot, fake_line, fake):
    """Our service with LINE on (fake LINE) and Discord on (fake Discord), as Runtime.start() wires a token."""
    line = await make_line_bot(DISCORD_GUILD_ID=str(GUILD_ID), ADMIN_LINE_USER_IDS=SATO)
    discord_on(line.runtime)
    bot = await logged_in_bot(line.runtime, fake)
    service = Service(line, bot, fake_line)
    await join_on_line(service, HANAKO, "みかん")
    yield service
    await bot.close()


async def join_on_line(service: Service, user: str, nickname: str) -> None:
    await service.line_says(user, "/community join")
    await service.line_says(user, postback="community:agree")
    await service.line_says(user, nickname)
    assert f"ようこそ、{nickname}さん" in await service.line_says(user, postback="community:relation:fan")


async def join_on_discord(service: Service, user_id: int, nickname: str) -> None:
    def join(session):
        member = members.get_or_create_member(session, "discord", str(user_id), utcnow())
        board.join(session, member, "discord", nickname, "native", utcnow())

    await service.runtime.db.run(join)


async def open_thread_on_line(service: Service, title: str = "花火大会の思い出") -> int:
    answer = await service.line_says(SATO, f"/thread new 地域ネタ {title}")
    assert f"「{title}」を立てました" in answer
    [thread] = service.rows(BoardThread, BoardThread.title == title)
    return thread.id


def forum_thread_id(service: Service, board_thread_id: int) -> int:
    [link] = service.rows(BoardLink, BoardLink.kind == "thread", BoardLink.board_id == board_thread_id)
    return int(link.platform_id)


def discord_thread(service: Service, fake: FakeForumDiscord, thread_id: int) -> discord.Thread:
    """The thread as the gateway hands it over: its guild knows the forum (so applied tags resolve)."""
    state = service.bot.client._connection
    guild = discord.Guild(data=dict(GUILD, channels=fake.guild_channels()), state=state)
    return discord.Thread(guild=guild, state=state, data=fake.threads[thread_id])


def discord_message(
    service,
    fake,
    thread: discord.Thread,
    content: str,
    author_id: int = USER_ID,
    message_id: int | None = None,
    bot: bool = False,
    **extra,
) -> discord.Message:
    data = fake.message(thread.id, {"content": content}, _user(author_id, "sora", bot))
    data.update(guild_id=str(GUILD_ID), **extra)
    if message_id is not None:
        data["id"] = str(message_id)
    return discord.Message(state=service.bot.client._connection, channel=thread, data=data)


async def written_on_discord(service, fake, thread: discord.Thread, content: str, **options) -> discord.Message:
    message = discord_message(service, fake, thread, content, **options)
    await service.bot.accept_message(message)
    await service.line.settle()
    return message


# ---- LINE -> Discord ----------------------------------------------------------------------------------------------


async def test_a_line_thread_and_post_appear_in_the_forum_under_the_nickname(service, fake):
    thread_id = await open_thread_on_line(service)

    # The forum did not exist: made once, with a tag per category; the board thread is a forum post with its tag.
    [made] = [
        body for verb, path, body in fake.requests if verb == "POST" and path == f"/api/v10/guilds/{GUILD_ID}/channels"
    ]
    assert (made["name"], made["type"]) == (FORUM_NAME, 15)
    assert [t["name"] for t in made["available_tags"]] == ["地域ネタ", "観光スポット", "グルメ", "市からの質問"]
    [opened] = fake.calls("POST", f"/channels/{fake.forum_id()}/threads")
    assert opened["name"] == "花火大会の思い出" and opened["applied_tags"] == [fake.tag_id("地域ネタ")]
    assert f"掲示板 #{thread_id}" in opened["message"]["content"]
    forum_thread = forum_thread_id(service, thread_id)

    answer = await service.line_says(HANAKO, f"/post {thread_id} 去年の花火はきれいでした @everyone")
    assert "投稿しました" in answer
    [hook] = fake.webhooks.values()
    assert hook["name"] == BOARD_WEBHOOK_NAME and hook["channel_id"] == str(fake.forum_id())
    [(into, sent)] = fake.webhook_posts()
    assert into == str(forum_thread)
    assert sent["username"] == "みかん" and sent["content"] == "去年の花火はきれいでした @everyone"
    assert sent["allowed_mentions"]["parse"] == []  # text from LINE never pings the server

    [post] = service.rows(BoardPost)
    [link] = service.rows(BoardLink, BoardLink.kind == "post")
    assert (link.board_id, link.place_id, link.origin) == (post.id, str(forum_thread), False)

    # A retried outbox row finds the copy and sends nothing again.
    await service.bot.delivery.send(
        m.PUSH,
        "board",
        [
            m.MirrorThread(thread_id, "地域ネタ", "花火大会の思い出"),
            m.MirrorPost(thread_id, post.id, "みかん", post.text),
        ],
        "k",
        None,
    )
    assert len(fake.webhook_posts()) == 1 and len(fake.calls("POST", f"/channels/{fake.forum_id()}/threads")) == 1


async def test_hidden_posts_leave_discord_and_come_back_on_restore(service, fake):
    thread_id = await open_thread_on_line(service)
    await service.line_says(HANAKO, f"/post {thread_id} 怪しい勧誘です")
    [post] = service.rows(BoardPost)
    [link] = service.rows(BoardLink, BoardLink.kind == "post")

    assert "非表示" in await service.line_says(SATO, f"/hide {post.id}")
    assert fake.deleted == [(link.platform_id, str(forum_thread_id(service, thread_id)))]
    [deleted] = [path for verb, path, _ in fake.requests if verb == "DELETE"]
    assert deleted.startswith(f"/api/v10/webhooks/{next(iter(fake.webhooks))}/hook-token/messages/{link.platform_id}")
    assert service.rows(BoardLink, BoardLink.kind == "post") == []

    assert "表示に戻しました" in await service.line_says(SATO, f"/restore {post.id}")
    assert [(body["username"], body["content"]) for _, body in fake.webhook_posts()] == [
        ("みかん", "怪しい勧誘です")
    ] * 2
    [again] = service.rows(BoardLink, BoardLink.kind == "post")
    assert again.platform_id != link.platform_id


# ---- links: reported through the inbox, recorded by the board -------------------------------------------------------


def discord_inbox(service: Service, kind: str) -> list[m.Inbound]:
    rows = service.rows(InboxEvent, InboxEvent.platform == "discord", InboxEvent.event_type == kind)
    return [m.Inbound.from_json(row.payload) for row in sorted(rows, key=lambda row: row.id)]


async def line_command(service: Service, user: str, text: str) -> None:
    """A LINE command handled and its sends delivered, one pass each: what Discord reports back is not handled yet."""
    await service.line.post(lp.text_event(text, user))
    await service.runtime.worker.drain()
    await service.runtime.sender.drain()


async def test_copies_are_reported_through_the_inbox_and_recorded_by_the_board(service, fake):
    await line_command(service, SATO, "/thread new 地域ネタ 花火大会の思い出")
    [thread] = service.rows(BoardThread)
    [opened] = fake.threads.values()
    # The forum post exists; the adapter has only reported it, the board has not recorded it yet.
    assert service.rows(BoardLink) == []
    [reported] = discord_inbox(service, m.MIRROR_LINKED)
    assert reported.mirror == m.MirrorLink("thread", thread.id, opened["id"], str(fake.forum_id()))
    await service.runtime.worker.drain()
    [link] = service.rows(BoardLink)
    assert (link.kind, link.board_id, link.platform_id, link.place_id, link.origin) == (
        "thread",
        thread.id,
        opened["id"],
        str(fake.forum_id()),
        False,
    )

    await service.line_says(HANAKO, f"/post {thread.id} 去年の花火はきれいでした")
    [post] = service.rows(BoardPost)
    [copy] = service.rows(BoardLink, BoardLink.kind == "post")
    assert discord_inbox(service, m.MIRROR_LINKED)[1].mirror == m.MirrorLink(
        "post", post.id, copy.platform_id, opened["id"]
    )

    # Taken down: reported with no platform id, and the board forgets the link when it handles the report.
    await line_command(service, SATO, f"/hide {post.id}")
    assert fake.deleted == [(copy.platform_id, opened["id"])]
    assert [row.platform_id for row in service.rows(BoardLink, BoardLink.kind == "post")] == [copy.platform_id]
    assert discord_inbox(service, m.MIRROR_LINKED)[2].mirror == m.MirrorLink("post", post.id, "", opened["id"])
    await service.line.settle()
    assert service.rows(BoardLink, BoardLink.kind == "post") == []


async def test_a_burst_uses_the_links_it_just_made_before_the_board_records_them(service, fake):
    await open_thread_on_line(service)  # the forum exists
    delivery = service.bot.delivery
    await delivery.send(m.PUSH, "board", [m.MirrorThread(4242, "グルメ", "パン屋")], "k1", None)
    # The next row does not wait for the report to be recorded, and a retried row makes nothing twice.
    for key in ("k2", "k3"):
        await delivery.send(
            m.PUSH,
            "board",
            [m.MirrorThread(4242, "グルメ", "パン屋"), m.MirrorPost(4242, 4343, "みかん", "おいしい")],
            key,
            None,
        )
    [made] = [t for t in fake.threads.values() if t["name"] == "パン屋"]
    assert len(fake.calls("POST", f"/channels/{fake.forum_id()}/threads")) == 2  # the LINE thread and this one
    assert [(into, body["content"]) for into, body in fake.webhook_posts()] == [(made["id"], "おいしい")]

    await service.line.settle()
    [thread_link] = service.rows(BoardLink, BoardLink.kind == "thread", BoardLink.board_id == 4242)
    [post_link] = service.rows(BoardLink, BoardLink.kind == "post", BoardLink.board_id == 4343)
    assert (thread_link.platform_id, post_link.place_id) == (made["id"], made["id"])


async def test_a_post_whose_thread_link_is_not_recorded_yet_waits_and_is_copied_once(service, fake):
    await open_thread_on_line(service)  # the forum exists
    runtime = service.runtime
    # A process made the forum post for board thread 4242 and stopped before the board recorded the link.
    await service.bot.delivery.send(m.PUSH, "board", [m.MirrorThread(4242, "グルメ", "パン屋")], "k1", None)
    [made] = [t for t in fake.threads.values() if t["name"] == "パン屋"]
    restarted = make_bot(runtime, aiohttp.TCPConnector(resolver=LoopbackResolver(fake.port), ssl=fake.client_tls))
    await restarted.client.login("test-token")
    runtime.sender.deliveries["discord"] = restarted.delivery

    def copy_post(session) -> int:
        box = m.Postbox()
        box.push("discord", "board", m.MirrorPost(4242, 4343, "みかん", "おいしい"))
        runtime.outbox.write(session, box.items, utcnow())
        return session.exec(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())).first()

    row_id = await runtime.db.run(copy_post)
    await runtime.sender.drain()
    [row] = service.rows(OutboxMessage, OutboxMessage.id == row_id)
    assert row.status == "pending" and "no recorded forum post" in row.last_error
    assert 1 < (as_utc(row.next_attempt_at) - service.line.clock()).total_seconds() < 60  # shortly, not at once
    assert fake.webhook_posts() == []

    await service.line.settle()  # the link is recorded; the row comes back and copies the post into that thread
    [row] = service.rows(OutboxMessage, OutboxMessage.id == row_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert [(into, body["content"]) for into, body in fake.webhook_posts()] == [(made["id"], "おいしい")]
    assert len(fake.calls("POST", f"/channels/{fake.forum_id()}/threads")) == 2  # no second forum post
    await restarted.close()


# ---- Discord -> the board (and LINE) ------------------------------------------------------------------------------


async def test_forum_messages_are_board_posts_that_line_reads_and_are_not_copied_back(service, fake):
    thread_id = await open_thread_on_line(service)
    await join_on_discord(service, USER_ID, "そら")
    thread = discord_thread(service, fake, forum_thread_id(service, thread_id))

    message = await written_on_discord(service, fake, thread, "駅前の屋台がおすすめです")
    [post] = service.rows(BoardPost)
    assert (post.thread_id, post.text, post.platform) == (thread_id, "駅前の屋台がおすすめです", "discord")
    [link] = service.rows(BoardLink, BoardLink.kind == "post")
    assert (link.platform_id, link.origin) == (str(message.id), True)
    assert fake.webhook_posts() == []  # no echo into Discord

    on_line = await service.line_says(HANAKO, postback=f"board:thread:{thread_id}")
    assert "そら" in on_line and "駅前の屋台がおすすめです" in on_line

    # Our own webhook copies and other bots are not board posts.
    await service.line_says(HANAKO, f"/post {thread_id} 行きます")
    [(_, copy)] = fake.webhook_posts()
    # (The copy itself came back once, as the link to record: MIRROR_LINKED, not a message.)
    [reported] = service.rows(
        InboxEvent, InboxEvent.platform == "discord", InboxEvent.event_id.startswith("mirror:post:")
    )
    assert reported.event_type == m.MIRROR_LINKED
    before = len(service.rows(InboxEvent, InboxEvent.platform == "discord"))
    await service.bot.accept_message(discord_message(service, fake, thread, copy["content"], webhook_id="1"))
    await service.bot.accept_message(discord_message(service, fake, thread, "bot", author_id=BOT_USER_ID, bot=True))
    assert len(service.rows(InboxEvent, InboxEvent.platform == "discord")) == before
    assert [p.text for p in service.rows(BoardPost)] == ["駅前の屋台がおすすめです", "行きます"]


async def test_a_new_forum_post_on_discord_opens_a_board_thread_in_its_tags_category(service, fake):
    await open_thread_on_line(service)  # makes the forum
    await join_on_discord(service, USER_ID, "そら")
    forum = fake.forum_id()
    tagged = discord_thread(
        service, fake, int(fake.thread(forum, "おすすめのパン屋", [fake.tag_id("グルメ")], USER_ID)["id"])
    )
    await written_on_discord(service, fake, tagged, "小川のパン屋さんが好きです", message_id=tagged.id)
    untagged = discord_thread(service, fake, int(fake.thread(forum, "はじめまして", [], USER_ID)["id"]))
    await written_on_discord(service, fake, untagged, "よろしくお願いします", message_id=untagged.id)

    threads = {t.title: t for t in service.rows(BoardThread)}
    assert threads["おすすめのパン屋"].category == "グルメ"
    assert threads["はじめまして"].category == "地域ネタ"  # no matching tag: the first category
    [post] = service.rows(BoardPost, BoardPost.thread_id == threads["おすすめのパン屋"].id)
    assert post.text == "小川のパン屋さんが好きです"
    assert len(fake.calls("POST", f"/channels/{forum}/threads")) == 1  # only the LINE thread was made by us
    assert "おすすめのパン屋" in await service.line_says(HANAKO, "/board")


async def test_discord_edits_and_deletions_follow_through(service, fake):
    thread_id = await open_thread_on_line(service)
    await join_on_discord(service, USER_ID, "そら")
    thread = discord_thread(service, fake, forum_thread_id(service, thread_id))
    message = await written_on_discord(service, fake, thread, "花火は8月です")

    edited = discord_message(
        service, fake, thread, "花火は8月2日です", message_id=message.id, edited_timestamp=datetime.now(UTC).isoformat()
    )
    await service.bot.accept_edit(discord.RawMessageUpdateEvent(data={"content": edited.content}, message=edited))
    await service.line.settle()
    assert [p.text for p in service.rows(BoardPost)] == ["花火は8月2日です"]
    assert "花火は8月2日です" in await service.line_says(HANAKO, postback=f"board:thread:{thread_id}")

    # Discord unfolding a link also sends an update, without content: not an edit.
    inbox = len(service.rows(InboxEvent, InboxEvent.platform == "discord"))
    await service.bot.accept_edit(discord.RawMessageUpdateEvent(data={"embeds": []}, message=edited))
    assert len(service.rows(InboxEvent, InboxEvent.platform == "discord")) == inbox

    # An edit to a bad text keeps the post as it was and tells the writer privately.
    bad = discord_message(
        service,
        fake,
        thread,
        "https://spam.example.com/",
        message_id=message.id,
        edited_timestamp=datetime(2030, 1, 1, tzinfo=UTC).isoformat(),
    )
    await service.bot.accept_edit(discord.RawMessageUpdateEvent(data={"content": bad.content}, message=bad))
    await service.line.settle()
    assert [p.text for p in service.rows(BoardPost)] == ["花火は8月2日です"]
    [dm] = fake.calls("POST", f"/channels/{USER_ID + 1}/messages")
    assert "編集は掲示板に反映されませんでした" in dm["content"]

    await service.bot.accept_delete(
        discord.RawMessageDeleteEvent({"id": str(message.id), "channel_id": str(thread.id), "guild_id": str(GUILD_ID)})
    )
    await service.line.settle()
    [post] = service.rows(BoardPost)
    assert post.hidden_at is not None and post.hidden_by is None
    assert "花火は8月2日です" not in await service.line_says(HANAKO, postback=f"board:thread:{thread_id}")
    assert fake.deleted == []  # Discord removed it itself; nothing for us to delete


async def test_staff_hide_removes_a_post_written_on_discord(service, fake):
    thread_id = await open_thread_on_line(service)
    await join_on_discord(service, USER_ID, "そら")
    thread = discord_thread(service, fake, forum_thread_id(service, thread_id))
    message = await written_on_discord(service, fake, thread, "勧誘です")
    [post] = service.rows(BoardPost)
    await service.line_says(SATO, f"/hide {post.id}")
    assert fake.deleted == [(str(message.id), str(thread.id))]  # the bot deletes the user's message
    await service.line_says(SATO, f"/restore {post.id}")
    [(_, copy)] = fake.webhook_posts()
    assert (copy["username"], copy["content"]) == ("そら", "勧誘です")  # back, as a copy under the nickname


async def test_someone_who_has_not_joined_is_told_privately_and_nothing_is_posted(service, fake):
    thread_id = await open_thread_on_line(service)
    thread = discord_thread(service, fake, forum_thread_id(service, thread_id))
    await written_on_discord(service, fake, thread, "こんにちは")
    assert service.rows(BoardPost) == []
    [dm] = fake.calls("POST", f"/channels/{USER_ID + 1}/messages")
    assert "掲示板には載りませんでした" in dm["content"] and "参加" in dm["content"]
    assert fake.calls("POST", f"/channels/{thread.id}/messages") == []  # nothing said in the thread


async def test_forget_me_takes_the_members_copies_off_discord(service, fake):
    thread_id = await open_thread_on_line(service)
    await service.line_says(HANAKO, f"/post {thread_id} ひとつめ")
    await service.line_says(HANAKO, f"/post {thread_id} ふたつめ")
    await service.line_says(SATO, f"/post {thread_id} 市からです")
    hanako_links = {link.platform_id for link in service.rows(BoardLink, BoardLink.kind == "post")}
    sato_post = next(p.id for p in service.rows(BoardPost) if p.text == "市からです")
    [sato_link] = service.rows(BoardLink, BoardLink.kind == "post", BoardLink.board_id == sato_post)
    hanako_links.discard(sato_link.platform_id)

    assert "削除しました" in await service.line_says(HANAKO, "/forget-me confirm")
    assert {message_id for message_id, _ in fake.deleted} == hanako_links  # both of hanako's copies, not sato's
    assert [link.platform_id for link in service.rows(BoardLink, BoardLink.kind == "post")] == [sato_link.platform_id]


# ---- pieces ------------------------------------------------------------------------------------------------------


def test_mirror_operations_and_forum_threads_survive_the_outbox_and_inbox_json():
    ops = [m.MirrorThread(1, "グルメ", "パン"), m.MirrorPost(1, 2, "みかん", "本文"), m.UnmirrorPost(2)]
    assert m.load_messages(m.dump_messages(ops)) == ops
    inbound = m.Inbound(
        platform="discord",
        kind=m.MESSAGE,
        place=m.Place("discord", m.CHANNEL, "9"),
        occurred_at=datetime(2030, 1, 1, tzinfo=UTC),
        sender_id="5",
        text="t",
        message_id="10",
        forum_thread=m.ForumThread("パン", ("グルメ",)),
    )
    assert m.Inbound.from_json(inbound.to_json()) == inbound


async def test_recent_links_give_way_to_the_record_once_it_agrees_or_after_a_while():
    recorded: dict[tuple[str, int], ForumLink] = {}

    async def lookup(kind: str, board_id: int) -> ForumLink | None:
        return recorded.get((kind, board_id))

    now = [0.0]
    links = RecentLinks(lookup, keep_seconds=60, clock=lambda: now[0])
    made = ForumLink("10", "1")
    links.remember("thread", 1, made)
    assert await links.get("thread", 1) == made  # made here, not recorded yet
    recorded[("thread", 1)] = made
    assert await links.get("thread", 1) == made
    del recorded[("thread", 1)]  # once the record agreed it is the truth (e.g. the copy was deleted on Discord)
    assert await links.get("thread", 1) is None

    links.remember("post", 2, None)  # taken down here; the record still has it
    recorded[("post", 2)] = ForumLink("20", "10")
    assert await links.get("post", 2) is None
    now[0] = 61.0  # the report was never recorded: after a while the record wins again
    assert await links.get("post", 2) == ForumLink("20", "10")


def test_webhook_names_discord_refuses_are_made_acceptable():
    assert webhook_username("みかん") == "みかん"
    assert "discord" not in webhook_username("discordファン").lower()
    assert "clyde" not in webhook_username("Clyde").lower()
    assert webhook_username("everyone").lower() != "everyone"
