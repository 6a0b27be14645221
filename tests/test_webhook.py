"""The LINE webhook end to end: signature, limits, the inbox (store, dedupe, crash, retry, park) and /healthz.

Every request our service makes goes to tests/fake_line.py, which checks it like the real Messaging API.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from community import members
from community.texts import t
from storage.models import InboxEvent
from tests import line_payloads as lp
from tests import openapi_schema
from tests.fake_line import REPLY

HANAKO = lp.user_id("hanako")
TARO = lp.user_id("taro")
GROUP = lp.group_id("omitama-walk")


def _statuses(bot) -> list[str]:
    return [row.status for row in bot.inbox()]


# ---- the payload builders are real LINE events ------------------------------------------------------------------


def test_the_official_line_openapi_copy_is_in_the_repository():
    """Schema checks skip without tests/line-openapi; the repository carries it, so losing it fails here instead."""
    assert openapi_schema.available(), openapi_schema.UNAVAILABLE
    assert (openapi_schema.OPENAPI_DIR / "LICENSE").is_file() and (openapi_schema.OPENAPI_DIR / "SOURCE").is_file()


@pytest.mark.skipif(not openapi_schema.available(), reason=openapi_schema.UNAVAILABLE)
def test_payload_builders_match_the_official_webhook_schema():
    schemas = openapi_schema.webhook()
    events = [
        lp.text_event("/help", HANAKO),
        lp.text_event("hi @taro", HANAKO, GROUP, mentions=[TARO]),
        lp.image_event(HANAKO),
        lp.follow_event(HANAKO),
        lp.unfollow_event(HANAKO),
        lp.join_event(GROUP),
        lp.leave_event(GROUP),
        lp.member_joined_event(GROUP, [HANAKO, TARO]),
        lp.member_left_event(GROUP, [TARO]),
        lp.postback_event("action=rsvp&event=ab12", HANAKO, params={"date": "2025-04-01"}),
    ]
    assert schemas.errors("CallbackRequest", lp.callback(events)) == []
    assert len({e["webhookEventId"] for e in events}) == len(events)
    # The validator is not a rubber stamp: a missing required field and an unknown type are caught.
    broken = lp.text_event("x", HANAKO)
    del broken["message"]["quoteToken"]
    assert any("quoteToken" in e for e in schemas.errors("Event", broken))
    assert any("futureFeature" in e for e in schemas.errors("Event", lp.unknown_event(HANAKO)))
    wrong_destination = lp.callback([], destination="bot")
    assert schemas.errors("CallbackRequest", wrong_destination)


def test_signature_is_hmac_sha256_base64():
    from linebot.v3.webhook import SignatureValidator

    body = lp.body([lp.text_event("こんにちは", HANAKO)])
    assert SignatureValidator("s3cret").validate(body.decode(), lp.sign(body, "s3cret"))
    assert not SignatureValidator("s3cret").validate(body.decode(), lp.sign(body, "other"))


# ---- what the webhook accepts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("signature", ["bad", "missing"])
async def test_forged_or_missing_signature_is_rejected_and_nothing_stored(line_bot, fake_line, signature):
    response = await line_bot.post(lp.text_event("/help", HANAKO), signature=signature)
    assert response.status == 400
    await line_bot.settle()
    assert line_bot.inbox() == []
    assert fake_line.calls == []


async def test_body_over_one_mebibyte_is_refused(line_bot):
    event = lp.text_event("あ" * 10, HANAKO)
    event["padding"] = "x" * (1024 * 1024)
    response = await line_bot.post(raw=lp.body([event]))
    assert response.status == 413
    assert line_bot.inbox() == []


async def test_malformed_json_with_a_valid_signature_is_400(line_bot):
    response = await line_bot.post(raw=b'{"destination": "U0", "events": [')
    assert response.status == 400
    response = await line_bot.post(raw=b'{"destination": "U0"}')  # JSON, but no events array
    assert response.status == 400
    assert line_bot.inbox() == []


async def test_empty_events_is_the_verify_button(line_bot, fake_line):
    response = await line_bot.post()
    assert response.status == 200
    assert await response.json() == {}
    await line_bot.settle()
    assert line_bot.inbox() == [] and fake_line.calls == []


async def test_webhook_without_line_configured_is_404(make_settings):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app

    app = create_app(make_settings(), run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        response = await client.post("/callback/line", data=b"{}", headers={"X-Line-Signature": "x"})
        assert response.status == 404


# ---- the inbox -----------------------------------------------------------------------------------------------------


async def test_a_command_is_answered_by_reply(line_bot, fake_line):
    event = lp.text_event("/help", HANAKO)
    response = await line_bot.post(event)
    assert response.status == 200
    # The webhook only stores: nothing is sent before the worker runs.
    assert _statuses(line_bot) == ["pending"] and fake_line.calls == []
    await line_bot.settle()
    [reply] = fake_line.replies()
    assert reply["replyToken"] == event["replyToken"]
    assert reply["messages"][0]["text"].startswith("使えるコマンド")
    assert _statuses(line_bot) == ["done"]


async def test_redelivered_event_is_handled_once(line_bot, fake_line):
    event = lp.text_event("/help", HANAKO)
    assert (await line_bot.post(event)).status == 200
    await line_bot.settle()
    assert (await line_bot.post(lp.redelivered(event))).status == 200
    assert (await line_bot.post(event, lp.text_event("/help", TARO))).status == 200  # same id within a new batch
    await line_bot.settle()
    rows = line_bot.inbox()
    assert [r.event_id for r in rows].count(event["webhookEventId"]) == 1
    assert len(rows) == 2
    assert len(fake_line.replies()) == 2  # hanako once, taro once
    assert all(c.path == REPLY and c.status == 200 for c in fake_line.calls)


async def test_unknown_event_type_is_stored_and_skipped(line_bot, fake_line):
    event = lp.unknown_event(HANAKO)
    assert (await line_bot.post(event)).status == 200
    await line_bot.settle()
    [row] = line_bot.inbox()
    assert row.event_type == "futureFeature"
    assert row.status == "skipped"
    assert json.loads(row.payload)["webhookEventId"] == event["webhookEventId"]
    assert fake_line.calls == []


async def test_standby_mode_events_are_not_answered(line_bot, fake_line):
    await line_bot.post(lp.text_event("/help", HANAKO, mode="standby"))
    await line_bot.settle()
    assert _statuses(line_bot) == ["skipped"]
    assert fake_line.calls == []


async def test_crash_after_ack_before_processing_is_handled_by_the_next_process(line_bot, fake_line):
    event = lp.text_event("/help", HANAKO)
    assert (await line_bot.post(event)).status == 200
    await line_bot.restart()  # the first runtime stops without having processed anything
    assert _statuses(line_bot) == ["pending"]
    await line_bot.settle()
    assert _statuses(line_bot) == ["done"]
    assert len(fake_line.replies()) == 1


async def test_crash_while_processing_is_taken_over_after_the_lease(line_bot, fake_line):
    from bot.queues.inbox import claim_due

    await line_bot.post(lp.text_event("/help", HANAKO))
    # The old process claimed the event (with a two-minute lease, so the reply token is stale by the time the
    # lease ends) and died before finishing it.
    [_claimed] = await line_bot.db.run(claim_due, line_bot.clock(), ["line"], 10, timedelta(minutes=2))
    await line_bot.restart()
    assert _statuses(line_bot) == ["processing"]
    await line_bot.settle()  # moves the clock past the lease
    assert _statuses(line_bot) == ["done"]
    # Two minutes on, the reply token is past its life: the answer is pushed instead, without a wasted reply.
    assert fake_line.replies() == []
    [push] = fake_line.pushes(to=HANAKO)
    assert push["messages"][0]["text"].startswith("使えるコマンド")
    assert [c.path for c in fake_line.calls] == ["/v2/bot/message/push"]


async def test_handler_error_is_retried_then_parked_and_the_person_told(line_bot, fake_line):
    calls = []

    @line_bot.runtime.router.command("boom", summary=("テスト用", "test"))
    def boom(ctx):
        calls.append(ctx.args)
        raise RuntimeError("handler bug")

    event = lp.text_event("/boom now", HANAKO)
    await line_bot.post(event)
    await line_bot.settle()
    from bot.queues.inbox import MAX_ATTEMPTS

    assert len(calls) == MAX_ATTEMPTS
    [row] = line_bot.inbox()
    assert row.status == "parked" and row.attempts == MAX_ATTEMPTS
    assert "RuntimeError: handler bug" in row.last_error
    # The person hears, in Japanese, that it failed; nothing the failing handler did was sent.
    assert fake_line.texts() == [t("ja", "failed")]
    health = await line_bot.healthz()
    assert health["inbox"]["parked"] == 1 and health["parked"] == 1
    assert health["ok"] is True


async def test_a_transient_handler_error_succeeds_on_retry(line_bot, fake_line):
    failures = [RuntimeError("database blip")]

    @line_bot.runtime.router.command("flaky", summary=("テスト用", "test"))
    def flaky(ctx):
        if failures:
            raise failures.pop()
        ctx.reply("できました")

    await line_bot.post(lp.text_event("/flaky", HANAKO))
    await line_bot.settle()
    [row] = line_bot.inbox()
    assert row.status == "done" and row.attempts == 1
    assert fake_line.texts() == ["できました"]


async def test_healthz_shape(line_bot):
    public = await line_bot.get("/healthz")
    assert public.status == 200 and await public.json() == {"ok": True}  # liveness only: no backlog, no quota
    wrong = await line_bot.get("/healthz", headers={"Authorization": "Bearer not-the-token"})
    assert await wrong.json() == {"ok": True}
    body = await line_bot.healthz()  # with the staff token
    line_quota = body.pop("line_quota")  # tests/test_quota.py covers it
    assert (line_quota["limit"], line_quota["used"], line_quota["warning"]) == (1000, 0, False)
    assert body == {
        "ok": True,
        "database": "ok",
        "platforms": {"line": True, "discord": False},
        "inbox": {"backlog": 0, "parked": 0},
        "outbox": {"backlog": 0, "parked": 0},
        "parked": 0,
    }
    await line_bot.post(lp.text_event("/help", HANAKO), lp.text_event("/help", TARO))
    body = await line_bot.healthz()
    assert body["inbox"] == {"backlog": 2, "parked": 0}
    await line_bot.settle()
    body = await line_bot.healthz()
    assert body["inbox"]["backlog"] == 0 and body["outbox"] == {"backlog": 0, "parked": 0}


# ---- commands and events through the webhook --------------------------------------------------------------------


async def test_help_depends_on_role(make_line_bot, fake_line):
    staff = lp.user_id("staff-sato")
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=staff)

    @bot.runtime.router.command("staffcheck", summary=("職員向けの確認", "staff check"), roles={members.STAFF})
    def staffcheck(ctx):
        ctx.reply("ok")

    resident_event, staff_event = lp.text_event("/help", HANAKO), lp.text_event("/help", staff)
    await bot.post(resident_event, staff_event)
    await bot.settle()
    [resident_help] = fake_line.reply_texts(resident_event["replyToken"])
    [staff_help] = fake_line.reply_texts(staff_event["replyToken"])
    assert resident_help.startswith("使えるコマンド") and staff_help.startswith("使えるコマンド")
    assert "/staffcheck" not in resident_help
    assert "/staffcheck … 職員向けの確認" in staff_help
    # A resident trying the staff command is told who may use it, in Japanese.
    await bot.post(lp.text_event("/staffcheck", HANAKO))
    await bot.settle()
    assert fake_line.texts()[-1] == "「/staffcheck」は市の職員だけが使えるコマンドです。"


async def test_admin_helper_grants_staff(line_bot, fake_line):
    @line_bot.runtime.router.command("staffcheck", summary=("職員向けの確認", "staff check"), roles={members.STAFF})
    def staffcheck(ctx):
        ctx.reply("職員です")

    await line_bot.admin(TARO)
    await line_bot.post(lp.text_event("/staffcheck", TARO))
    await line_bot.settle()
    assert fake_line.texts() == ["職員です"]


async def test_unknown_command_through_the_webhook(line_bot, fake_line):
    await line_bot.post(lp.text_event("/dance", HANAKO))
    await line_bot.settle()
    [answer] = fake_line.texts()
    assert "「/dance」というコマンドはありません" in answer and "/help" in answer


async def test_plain_chat_gets_one_reply_then_quiet(line_bot, fake_line):
    await line_bot.post(lp.text_event("こんにちは", HANAKO))
    await line_bot.post(lp.text_event("こんにちは", HANAKO))
    await line_bot.settle()
    assert _statuses(line_bot) == ["done", "done"]
    assert [c.path for c in fake_line.calls] == [REPLY]  # one greeting, as a (free) reply; then quiet


async def test_follow_is_greeted_in_japanese(line_bot, fake_line):
    await line_bot.post(lp.follow_event(HANAKO))
    await line_bot.settle()
    [greeting] = fake_line.texts()
    assert greeting.startswith("友だち追加ありがとうございます")


async def test_join_uses_the_group_name_from_the_api(line_bot, fake_line):
    fake_line.set_group_summary(GROUP, "おおたま散歩の会")
    await line_bot.post(lp.join_event(GROUP))
    await line_bot.settle()
    assert [c.path for c in fake_line.calls] == [f"/v2/bot/group/{GROUP}/summary", "/v2/bot/message/reply"]
    [greeting] = fake_line.texts()
    assert "「おおたま散歩の会」に招待ありがとうございます" in greeting


async def test_join_greets_without_a_name_when_the_summary_fails(line_bot, fake_line):
    await line_bot.post(lp.join_event(GROUP))  # the fake knows no summary: 404
    await line_bot.settle()
    [greeting] = fake_line.texts()
    assert greeting.startswith("このグループに招待ありがとうございます")


async def test_event_rows_keep_redelivery_flag_and_type(line_bot):
    event = lp.redelivered(lp.follow_event(HANAKO))
    await line_bot.post(event)
    [row] = line_bot.inbox()
    assert row.is_redelivery is True and row.event_type == "follow"


async def test_parked_count_in_healthz_comes_from_the_database(line_bot):
    await line_bot.post(lp.unfollow_event(HANAKO))

    def park_all(session):
        session.execute(update(InboxEvent).values(status="parked"))

    await line_bot.db.run(park_all)
    health = await line_bot.healthz()
    assert health["inbox"] == {"backlog": 0, "parked": 1}
    assert health["parked"] == 1
