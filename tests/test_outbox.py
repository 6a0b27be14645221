"""The outbox against the fake LINE API: retries with the same retry key, exactly-once delivery across lost answers,
batching to LINE's limits, reply-token fallback, parking. Also checks that the fake itself refuses what LINE refuses.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import aiohttp
import pytest

from bot.queues.outbox import enqueue
from community.messages import Action, Card, Image, Postbox, Text
from storage.db import utcnow
from tests import line_payloads as lp
from tests import openapi_schema
from tests.fake_line import MULTICAST, PUSH, REPLY, FakeLineApi

HANAKO = lp.user_id("hanako")
TARO = lp.user_id("taro")


async def send(bot, build) -> list[int]:
    """Write what `build(postbox)` asks for into the outbox, as a handler or job would."""
    box = Postbox()
    build(box)

    def write(session):
        rows = [row for item in box.items for row in enqueue(session, item, utcnow())]
        session.flush()
        return [row.id for row in rows]

    return await bot.db.run(write)


def rows_by_id(bot):
    return {row.id: row for row in bot.outbox()}


# ---- retries reuse the retry key -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_transient_failure_is_retried_with_the_same_retry_key(line_bot, fake_line, status):
    fake_line.fail_next(PUSH, status, times=2)
    [row_id] = await send(line_bot, lambda box: box.push("line", HANAKO, Text("お知らせです")))
    await line_bot.settle()
    calls = fake_line.requests(PUSH)
    assert [c.status for c in calls] == [status, status, 200]
    keys = {c.retry_key for c in calls}
    row = rows_by_id(line_bot)[row_id]
    assert keys == {row.retry_key}
    assert fake_line.accepted_by_retry_key[row.retry_key] == 1
    assert row.status == "sent" and row.attempts == 3
    assert fake_line.texts(to=HANAKO) == ["お知らせです"]


async def test_retry_after_is_respected(line_bot, fake_line):
    fake_line.fail_next(PUSH, 429, retry_after=30)
    [row_id] = await send(line_bot, lambda box: box.push("line", HANAKO, Text("a")))
    await line_bot.runtime.sender.drain()
    row = rows_by_id(line_bot)[row_id]
    assert row.status == "pending"
    wait = (row.next_attempt_at - line_bot.clock()).total_seconds()
    assert 29 <= wait <= 30
    await line_bot.runtime.sender.drain()  # not due yet: nothing is sent
    assert len(fake_line.requests(PUSH)) == 1
    await line_bot.settle()
    assert rows_by_id(line_bot)[row_id].status == "sent"


async def test_a_known_retry_key_409_counts_as_sent(line_bot, fake_line):
    """The answer to an accepted push is lost; the retry is recognised by LINE (409) and not sent twice."""
    fake_line.drop_next(PUSH)  # accepted, then the connection closes without an answer
    [row_id] = await send(line_bot, lambda box: box.push("line", HANAKO, Text("一度だけ")))
    await line_bot.settle()
    calls = fake_line.requests(PUSH)
    assert [(c.status, c.fault) for c in calls] == [(200, "dropped"), (409, None)]
    assert calls[1].answer == {"message": "The retry key is already accepted"}
    row = rows_by_id(line_bot)[row_id]
    assert row.status == "sent" and "409" in (row.last_error or "")
    assert fake_line.accepted_by_retry_key[row.retry_key] == 1
    assert fake_line.texts(to=HANAKO) == ["一度だけ"]


async def test_409_answer_names_the_accepted_request(fake_line):
    key = str(uuid.uuid4())
    body = {"to": HANAKO, "messages": [{"type": "text", "text": "x"}]}
    first = await _post(fake_line, PUSH, body, retry_key=key)
    second = await _post(fake_line, PUSH, body, retry_key=key)
    assert first[0] == 200 and second[0] == 409
    assert second[2]["x-line-accepted-request-id"] == first[2]["x-line-request-id"]
    assert fake_line.accepted_by_retry_key[key] == 1


async def test_dropped_before_accepting_is_retried_and_delivered_once(line_bot, fake_line):
    fake_line.drop_next(PUSH, accept=False)
    [row_id] = await send(line_bot, lambda box: box.push("line", HANAKO, Text("届いた")))
    await line_bot.settle()
    assert [c.status for c in fake_line.requests(PUSH)] == [0, 200]
    row = rows_by_id(line_bot)[row_id]
    assert row.status == "sent" and fake_line.accepted_by_retry_key[row.retry_key] == 1


async def test_timeout_then_retry_is_delivered_once(make_line_bot, fake_line):
    bot = await make_line_bot(line_timeout=0.2)
    fake_line.hang_next(PUSH, seconds=30)  # accepted, answered too late for the client
    [row_id] = await send(bot, lambda box: box.push("line", HANAKO, Text("遅い返事")))
    await bot.settle()
    first, *retries = fake_line.requests(PUSH)
    assert (first.status, first.fault) == (200, "slow")
    assert retries and all(c.status == 409 for c in retries)  # (a loaded machine may time out a retry too)
    row = rows_by_id(bot)[row_id]
    assert row.status == "sent"
    assert fake_line.accepted_by_retry_key[row.retry_key] == 1
    fake_line.release_hangs()


async def test_reply_whose_answer_was_lost_is_not_sent_again(line_bot, fake_line):
    """The reply went through but the answer was dropped; the retry meets a spent token: that means delivered."""
    fake_line.drop_next(REPLY)
    event = lp.text_event("/help", HANAKO)
    await line_bot.post(event)
    await line_bot.settle()
    assert [(c.status, c.fault) for c in fake_line.requests(REPLY)] == [(200, "dropped"), (400, None)]
    assert fake_line.requests(PUSH) == []  # no duplicate by push
    [row] = line_bot.outbox()
    assert row.status == "sent" and "spent" in row.last_error
    assert fake_line.accepted_by_retry_key[f"reply:{event['replyToken']}"] == 1


async def test_random_faults_still_deliver_everything_exactly_once(make_line_bot, fake_line):
    bot = await make_line_bot(line_timeout=0.2)
    fake_line.random_faults(seed=7, p429=0.2, p500=0.2, pdrop=0.15, pslow=0.05, slow_seconds=5)
    people = [lp.user_id(f"resident-{i}") for i in range(40)]
    await send(bot, lambda box: [box.push("line", p, Text(f"お知らせ {i}")) for i, p in enumerate(people)])
    await bot.settle()
    fake_line.release_hangs()
    rows = bot.outbox()
    assert {r.status for r in rows} == {"sent"}
    assert all(fake_line.accepted_by_retry_key[r.retry_key] == 1 for r in rows)
    assert sorted(b["to"] for b in fake_line.pushes()) == sorted(people)
    faults = {c.fault for c in fake_line.calls}
    assert {"injected", "dropped"} <= faults  # the seed really produced faults


# ---- limits ---------------------------------------------------------------------------------------------------------


async def test_multicast_over_500_recipients_is_batched(line_bot, fake_line):
    people = [lp.user_id(f"r{i}") for i in range(1200)]
    ids = await send(line_bot, lambda box: box.multicast("line", people, Text("市からのお知らせ")))
    assert len(ids) == 3
    await line_bot.settle()
    batches = fake_line.multicasts()
    assert sorted(len(b["to"]) for b in batches) == [200, 500, 500]  # batches go out in parallel
    assert sorted(u for b in batches for u in b["to"]) == sorted(people)
    keys = [c.retry_key for c in fake_line.requests(MULTICAST)]
    assert len(set(keys)) == 3 and all(fake_line.accepted_by_retry_key[k] == 1 for k in keys)
    assert fake_line.consumption() == 1200


async def test_more_than_five_messages_are_split_in_order(line_bot, fake_line):
    messages = [Text(f"{i}番目") for i in range(1, 8)]
    await send(line_bot, lambda box: box.push("line", HANAKO, *messages))
    await line_bot.settle()
    assert [len(p["messages"]) for p in fake_line.pushes(to=HANAKO)] == [5, 2]
    assert fake_line.texts(to=HANAKO) == [m.text for m in messages]


async def test_multicast_of_many_messages_to_many_people(line_bot, fake_line):
    people = [lp.user_id(f"m{i}") for i in range(600)]
    await send(line_bot, lambda box: box.multicast("line", people, *[Text(str(i)) for i in range(6)]))
    await line_bot.settle()
    assert sorted((len(b["to"]), len(b["messages"])) for b in fake_line.multicasts()) == [
        (100, 1),
        (100, 5),
        (500, 1),
        (500, 5),
    ]


async def test_long_reply_goes_out_as_reply_then_push(line_bot, fake_line):
    @line_bot.runtime.router.command("many", summary=("テスト用", "test"))
    def many(ctx):
        ctx.reply(*[f"{i}" for i in range(7)])

    await line_bot.post(lp.text_event("/many", HANAKO))
    await line_bot.settle()
    [reply] = fake_line.replies()
    assert len(reply["messages"]) == 5
    [push] = fake_line.pushes(to=HANAKO)
    assert [m["text"] for m in push["messages"]] == ["5", "6"]


# ---- reply tokens -----------------------------------------------------------------------------------------------


async def test_expired_reply_token_falls_back_to_a_push(line_bot, fake_line):
    event = lp.text_event("/help", HANAKO)
    await line_bot.post(event)
    fake_line.expire_reply_token(event["replyToken"])
    await line_bot.settle()
    [refused] = fake_line.requests(REPLY)
    assert refused.status == 400 and refused.answer == {"message": "Invalid reply token"}
    [push] = fake_line.pushes(to=HANAKO)
    assert push["messages"][0]["text"].startswith("使えるコマンド")
    [row] = line_bot.outbox()
    assert row.status == "sent" and row.method == "push" and row.target == HANAKO


async def test_old_reply_token_is_not_tried(line_bot, fake_line):
    await line_bot.post(lp.text_event("/help", HANAKO))
    await line_bot.runtime.worker.drain()
    line_bot.clock.advance(120)
    await line_bot.settle()
    assert fake_line.requests(REPLY) == []
    assert len(fake_line.pushes(to=HANAKO)) == 1


async def test_group_reply_falls_back_to_the_group(line_bot, fake_line):
    group = lp.group_id("g1")
    event = lp.text_event("/help", HANAKO, group)
    await line_bot.post(event)
    fake_line.expire_reply_token(event["replyToken"])
    await line_bot.settle()
    assert [p["to"] for p in fake_line.pushes()] == [group]


# ---- permanent failures -------------------------------------------------------------------------------------------


async def test_permanent_400_is_parked_not_retried(line_bot, fake_line):
    [row_id] = await send(line_bot, lambda box: box.push("line", "not-a-line-id", Text("x")))
    await line_bot.settle()
    [call] = fake_line.requests(PUSH)
    assert call.status == 400 and "not a user, group or room id" in json.dumps(call.answer, ensure_ascii=False)
    row = rows_by_id(line_bot)[row_id]
    assert row.status == "parked" and row.attempts == 1 and row.last_error.startswith("400")
    health = await line_bot.healthz()
    assert health["outbox"] == {"backlog": 0, "parked": 1} and health["parked"] == 1


async def test_giving_up_after_max_attempts_parks(make_line_bot, fake_line):
    bot = await make_line_bot(sender_options={"max_attempts": 3})
    fake_line.fail_next(PUSH, 500, times=10)
    [row_id] = await send(bot, lambda box: box.push("line", HANAKO, Text("x")))
    await bot.settle()
    row = rows_by_id(bot)[row_id]
    assert row.status == "parked" and row.attempts == 3 and "gave up" in row.last_error
    assert len(fake_line.requests(PUSH)) == 3


async def test_rich_messages_render_to_valid_line_messages(line_bot, fake_line):
    """Cards, images and quick replies pass the SDK models, the OpenAPI schema and LINE's extra rules."""
    card = Card(
        title="春のまつり",
        text="4月1日 10:00 駅前広場",
        actions=(Action("参加する", data="rsvp=1"), Action("地図", url="https://example.jp/map")),
        image_url="https://tsunagaru.example.jp/img/a.png",
    )
    quick = Text("どれにしますか？", quick_replies=tuple(Action(f"選択{i}", text=f"/pick {i}") for i in range(15)))
    image = Image(url="https://tsunagaru.example.jp/qr.png")
    await send(line_bot, lambda box: box.push("line", HANAKO, card, quick, image, Text("x" * 6000)))
    await line_bot.settle()
    [push] = fake_line.pushes(to=HANAKO)
    types = [m["type"] for m in push["messages"]]
    assert types == ["flex", "text", "image", "text"]
    assert len(push["messages"][1]["quickReply"]["items"]) == 13
    assert len(push["messages"][3]["text"]) == 5000


# ---- the fake refuses what LINE refuses -------------------------------------------------------------------------


async def _post(fake: FakeLineApi, path: str, body, *, retry_key: str | None = None, token: str | None = None):
    headers = {"Authorization": f"Bearer {token or fake.token}", "Content-Type": "application/json"}
    if retry_key is not None:
        headers["X-Line-Retry-Key"] = retry_key
    async with (
        aiohttp.ClientSession() as session,
        session.post(fake.url + path, data=json.dumps(body), headers=headers) as response,
    ):
        return response.status, await response.json(), dict(response.headers)


def _text(text="こんにちは", **extra):
    return {"type": "text", "text": text, **extra}


@pytest.mark.parametrize(
    "path, body, fragment",
    [
        (PUSH, {"to": HANAKO, "messages": []}, "at least 1"),
        (PUSH, {"to": HANAKO, "messages": [_text()] * 6}, ""),
        (PUSH, {"to": HANAKO, "messages": [{"type": "text"}]}, "text"),
        (PUSH, {"to": HANAKO, "messages": [{"type": "hologram"}]}, "hologram"),
        (PUSH, {"to": HANAKO, "messages": [_text(colour="red")]}, "colour"),
        (PUSH, {"to": HANAKO, "messages": [_text("x" * 5001)]}, "5000"),
        (PUSH, {"to": "someone", "messages": [_text()]}, "not a user"),
        (
            PUSH,
            {
                "to": HANAKO,
                "messages": [
                    _text(
                        quickReply={
                            "items": [{"type": "action", "action": {"type": "message", "label": "a", "text": "a"}}] * 14
                        }
                    )
                ],
            },
            "13",
        ),
        (MULTICAST, {"to": [HANAKO] * 501, "messages": [_text()]}, "500"),
        (
            PUSH,
            {
                "to": HANAKO,
                "messages": [
                    {"type": "image", "originalContentUrl": "http://x/a.png", "previewImageUrl": "http://x/a.png"}
                ],
            },
            "https",
        ),
    ],
)
async def test_fake_rejects_what_line_rejects(fake_line, path, body, fragment):
    status, answer, _ = await _post(fake_line, path, body, retry_key=str(uuid.uuid4()))
    assert status == 400
    assert fragment in json.dumps(answer, ensure_ascii=False)
    assert sum(fake_line.accepted_by_retry_key.values()) == 0


@pytest.mark.skipif(not openapi_schema.available(), reason=openapi_schema.UNAVAILABLE)
async def test_fake_checks_bodies_against_the_openapi_schema(fake_line):
    # No SDK model is wired for rich menu aliases in the fake: only the official schema can refuse this body.
    status, answer, _ = await _post(fake_line, "/v2/bot/richmenu/alias", {"richMenuAliasId": "main"})
    assert status == 400
    assert "'richMenuId' is a required property" in json.dumps(answer)
    status, _, _ = await _post(fake_line, "/v2/bot/richmenu/alias", {"richMenuAliasId": "main", "richMenuId": "rm-1"})
    assert status == 200
    # An endpoint the official spec does not have is a 404, as on the real API.
    status, _, _ = await _post(fake_line, "/v2/bot/richmenu/teleport", {})
    assert status == 404


@pytest.mark.skipif(not openapi_schema.available(), reason=openapi_schema.UNAVAILABLE)
def test_openapi_discriminators_dispatch_to_the_subtype():
    schemas = openapi_schema.messaging_api()
    push = {"to": HANAKO, "messages": [{"type": "text", "text": "a"}]}
    assert schemas.errors("PushMessageRequest", push) == []
    assert schemas.errors("PushMessageRequest", {**push, "messages": [{"type": "sticker", "packageId": "1"}]}) == [
        "messages/0: 'stickerId' is a required property"
    ]
    action = {"type": "uri", "label": "a", "uri": "https://x"}
    assert schemas.errors("Action", action) == []
    assert schemas.errors("Action", {**action, "type": "teleport"})
    assert schemas.errors("PushMessageRequest", {**push, "notificationDisabled": None})  # not nullable


async def test_fake_requires_the_access_token(fake_line):
    status, answer, _ = await _post(fake_line, PUSH, {"to": HANAKO, "messages": [_text()]}, token="wrong")
    assert status == 401 and "access token" in answer["message"]


async def test_fake_retry_key_must_be_a_uuid(fake_line):
    status, answer, _ = await _post(fake_line, PUSH, {"to": HANAKO, "messages": [_text()]}, retry_key="again-1")
    assert status == 400 and "X-Line-Retry-Key" in answer["message"]


async def test_fake_reply_tokens_are_single_use_and_issued_only(fake_line):
    token = fake_line.issue_reply_token()
    body = {"replyToken": token, "messages": [_text()]}
    assert (await _post(fake_line, REPLY, body))[0] == 200
    assert (await _post(fake_line, REPLY, body))[1] == {"message": "Invalid reply token"}
    made_up = {"replyToken": uuid.uuid4().hex, "messages": [_text()]}
    assert (await _post(fake_line, REPLY, made_up))[0] == 400
    expired = fake_line.issue_reply_token()
    fake_line.expire_reply_token(expired)
    assert (await _post(fake_line, REPLY, {"replyToken": expired, "messages": [_text()]}))[0] == 400
    assert len(fake_line.replies()) == 1


async def test_fake_read_endpoints_through_the_sdk(fake_line):
    from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration

    group = lp.group_id("g")
    fake_line.set_group_summary(group, "子育てサロン")
    fake_line.set_profile(TARO, None)
    async with AsyncApiClient(Configuration(host=fake_line.url, access_token=fake_line.token)) as client:
        api = AsyncMessagingApi(client)
        assert (await api.get_group_summary(group)).group_name == "子育てサロン"
        assert (await api.get_profile(HANAKO)).user_id == HANAKO
        assert (await api.get_group_member_profile(group, HANAKO)).display_name
        assert (await api.get_message_quota()).value == fake_line.quota
        assert (await api.get_message_quota_consumption()).total_usage == 0
        from linebot.v3.messaging import ApiException

        with pytest.raises(ApiException) as missing:
            await api.get_profile(TARO)
        assert missing.value.status == 404


async def test_fake_rich_menu_endpoints_through_the_sdk(fake_line):
    from linebot.v3.messaging import (
        AsyncApiClient,
        AsyncMessagingApi,
        AsyncMessagingApiBlob,
        Configuration,
        MessageAction,
        RichMenuArea,
        RichMenuBounds,
        RichMenuRequest,
        RichMenuSize,
    )

    menu = RichMenuRequest(
        size=RichMenuSize(width=2500, height=843),
        selected=True,
        name="main",
        chat_bar_text="メニュー",
        areas=[
            RichMenuArea(
                bounds=RichMenuBounds(x=0, y=0, width=2500, height=843),
                action=MessageAction(label="ヘルプ", text="/help"),
            )
        ],
    )
    async with AsyncApiClient(Configuration(host=fake_line.url, access_token=fake_line.token)) as client:
        api = AsyncMessagingApi(client)
        await api.validate_rich_menu_object(menu)
        menu_id = (await api.create_rich_menu(menu)).rich_menu_id
        await AsyncMessagingApiBlob(client).set_rich_menu_image(
            menu_id, body=b"\x89PNG fake", _headers={"Content-Type": "image/png"}
        )
        await api.set_default_rich_menu(menu_id)
    assert fake_line.default_rich_menu == menu_id
    assert fake_line.rich_menu_images[menu_id][0] == "image/png"
    assert fake_line.rich_menus[menu_id]["chatBarText"] == "メニュー"
    paths = [c.path for c in fake_line.calls]
    assert paths == [
        "/v2/bot/richmenu/validate",
        "/v2/bot/richmenu",
        f"/v2/bot/richmenu/{menu_id}/content",
        f"/v2/bot/user/all/richmenu/{menu_id}",
    ]


async def test_one_slow_call_holds_only_its_own_row(make_line_bot, fake_line):
    """A reply LINE answers slowly must not hold up replies to other people that arrive meanwhile (they would
    miss the reply token's window and become paid pushes): the sender keeps claiming and sending around it."""
    bot = await make_line_bot(line_timeout=30.0)
    runtime = bot.runtime
    runtime.sender.clock = runtime.worker.clock = utcnow  # real time: the workers run on their own here
    stop = asyncio.Event()
    workers = [
        asyncio.create_task(runtime.worker.run(stop, idle_seconds=0.05)),
        asyncio.create_task(runtime.sender.run(stop, idle_seconds=0.05)),
    ]
    try:
        fake_line.hang_next(REPLY, seconds=60)
        slow = lp.text_event("/help", lp.user_id("slow-answer"))
        await bot.post(slow)
        await _until(lambda: any(c.fault == "slow" for c in fake_line.requests(REPLY)))
        others = [lp.text_event("/help", lp.user_id(f"person-{i}")) for i in range(10)]
        for event in others:
            await bot.post(event)
        tokens = {event["replyToken"] for event in others}
        await _until(lambda: tokens <= {c.json["replyToken"] for c in fake_line.requests(REPLY) if c.status == 200})
        [slow_row] = [row for row in bot.outbox() if row.target == slow["replyToken"]]
        assert slow_row.status == "sending"  # its answer is still on the way: the others did not wait for it
        assert fake_line.requests(PUSH) == []  # every answer went out as a reply
    finally:
        fake_line.release_hangs()
        stop.set()
        await asyncio.gather(*workers, return_exceptions=True)


async def _until(condition, seconds: float = 10.0) -> None:
    """Wait for a condition the running workers bring about (fails the test after `seconds`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "the condition did not come true in time"
        await asyncio.sleep(0.02)


async def test_text_length_is_counted_as_line_does_in_utf16_units(line_bot, fake_line):
    """ "お知らせ😀" * 1500 is 5,000 characters but 6,000 UTF-16 units: LINE would refuse it (and it would be parked).
    The renderer clips by LINE's count; the fake refuses by it."""
    from bot.line.render import line_length

    long = "お知らせ😀" * 1500
    assert len(long) == 7500 and line_length(long) == 9000
    [row_id] = await send(line_bot, lambda box: box.push("line", HANAKO, Text("お知らせ😀" * 1000)))
    await line_bot.settle()
    [push] = fake_line.pushes(to=HANAKO)
    text = push["messages"][0]["text"]
    assert line_length(text) <= 5000 and text.endswith("…") and "\ud83d" not in text  # no half of an emoji
    assert rows_by_id(line_bot)[row_id].status == "sent"


async def test_the_fake_refuses_text_over_5000_utf16_units(fake_line):
    body = {"to": HANAKO, "messages": [{"type": "text", "text": "😀" * 2600}]}  # 2,600 characters, 5,200 units
    async with aiohttp.ClientSession() as session:
        response = await session.post(
            fake_line.url + PUSH,
            json=body,
            headers={
                "Authorization": f"Bearer {fake_line.token}",
                "X-Line-Retry-Key": "3b4e28ba-2fa1-11d2-883f-0016d3cca427",
            },
        )
    assert response.status == 400


# ---- issue 18: bounded calls per endpoint, LINE's rate, the sender's writes group-committed --------------------------


async def test_calls_in_flight_stay_within_each_endpoints_bound(line_bot, fake_line, monkeypatch):
    from bot.queues.delivery import Endpoint

    delivery = line_bot.runtime.sender.deliveries["line"]
    delivery.endpoints = {"push": Endpoint(in_flight=3, per_second=10_000)}
    fake_line.latency = 0.05
    in_flight, most = 0, 0
    send_one = delivery.send

    async def counting(*args):
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            return await send_one(*args)
        finally:
            in_flight -= 1

    monkeypatch.setattr(delivery, "send", counting)
    people = [lp.user_id(f"bound-{i}") for i in range(30)]
    await send(line_bot, lambda box: [box.push("line", p, Text("お知らせ")) for p in people])
    await line_bot.settle()
    assert sorted(b["to"] for b in fake_line.pushes()) == sorted(people)
    assert most == 3  # three at a time, never more (and the sender did keep three out)


def test_pace_keeps_an_endpoint_at_its_rate_after_a_short_burst():
    from bot.queues.sender import Pace

    pace = Pace(per_second=100)  # a tenth of a second's worth (10 calls, and the one now) may go at once
    waits = [pace.delay(now=0.0) for _ in range(111)]
    assert waits[:11] == [0.0] * 11
    assert waits[11:] == pytest.approx([0.01 * k for k in range(1, 101)])  # then one every 10 ms: 100 a second
    assert pace.delay(now=5.0) == 0.0  # after a quiet spell the burst is allowed again


async def claimed_pushes(bot, count: int):
    from bot.queues.sender import claim_due

    await send(bot, lambda box: [box.push("line", lp.user_id(f"ledger-{i}"), Text("x")) for i in range(count)])
    return await bot.db.run(claim_due, bot.clock(), ["line"], count, bot.runtime.sender.lease)


def sent_changes(row, when) -> dict:
    return {"status": "sent", "sent_at": when, "fallback_to": None, "last_error": None, "attempts": row.attempts + 1}


async def test_the_ledger_writes_whatever_is_waiting_in_one_transaction(line_bot, monkeypatch):
    ledger = line_bot.runtime.sender.ledger
    rows = await claimed_pushes(line_bot, 20)
    trips = []
    run = ledger.db.run

    async def counted(fn, *args):
        trips.append(len(args[0]))
        return await run(fn, *args)

    monkeypatch.setattr(ledger.db, "run", counted)
    now = utcnow()
    await asyncio.gather(*(ledger.record(row, sent_changes(row, now)) for row in rows))
    assert trips == [20]  # twenty outcomes, one transaction
    assert {r.status for r in line_bot.outbox()} == {"sent"}
    assert {r.lease_until for r in line_bot.outbox()} == {None}


async def test_one_bad_write_in_the_ledger_fails_alone(line_bot):
    ledger = line_bot.runtime.sender.ledger
    good, bad = await claimed_pushes(line_bot, 2)
    now = utcnow()
    results = await asyncio.gather(
        ledger.record(good, sent_changes(good, now)),
        ledger.record(bad, {"status": "sent", "no_such_column": 1}),
        return_exceptions=True,
    )
    assert results[0] is None and isinstance(results[1], Exception)
    by_id = rows_by_id(line_bot)
    assert by_id[good.id].status == "sent" and by_id[bad.id].status == "sending"  # retaken after its lease


async def test_a_renewal_written_with_a_mark_and_an_outcome_keeps_both(line_bot):
    from datetime import timedelta

    ledger = line_bot.runtime.sender.ledger
    marked, recorded, other = await claimed_pushes(line_bot, 3)
    until = marked.lease_until + timedelta(seconds=30)
    now = utcnow()
    was_marked, _, kept = await asyncio.gather(
        ledger.mark(marked),
        ledger.record(recorded, sent_changes(recorded, now)),
        ledger.renew([marked, recorded, other], until),
    )
    assert was_marked is True
    assert kept == {marked.id, other.id}  # the recorded row is no longer held, so not renewed
    assert marked.lease_until == other.lease_until == until
    by_id = rows_by_id(line_bot)
    assert by_id[recorded.id].status == "sent"
    assert by_id[marked.id].outcome_unknown and by_id[marked.id].lease_until == until
    # A write under the old lease no longer matches: the row is ours only under the renewed one.
    stale = by_id[other.id]
    stale.lease_until = until - timedelta(seconds=30)
    assert await ledger.mark(stale) is False


async def test_a_sender_with_nothing_to_send_here_waits_for_its_wake_instead_of_spinning(line_bot):
    """In `serve` the queue process sends LINE's rows; the web process's sender is left the other platforms. A wake
    it cannot act on must still be consumed, or its loop passes through every wait (it spun at a full core)."""
    sender = line_bot.runtime.sender
    sender.elsewhere = frozenset(sender.deliveries)  # every platform is sent by another process
    passes = 0
    claim = sender._claim_and_start

    async def counted(limit: int) -> int:
        nonlocal passes
        passes += 1
        return await claim(limit)

    sender._claim_and_start = counted
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop, idle_seconds=3600))
    try:
        sender.wake.set()  # e.g. a job queued sends
        for _ in range(200):  # loop turns, not time: a spinning sender would pass again on nearly every one
            await asyncio.sleep(0)
        assert passes <= 2 and not sender.wake.is_set()
    finally:
        stop.set()
        await running
