"""A new user's first hour (issue #12): nobody meets silence on a first message, /help tells the truth, and the
first answers offer the main actions as buttons — without the bot becoming chatty or pushing (pushes cost money)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from storage.db import utcnow
from storage.models import Member
from tests import line_payloads as lp
from tests.fake_line import PUSH, REPLY

HANAKO = lp.user_id("hanako")


@pytest.mark.parametrize("first", ["こんにちは", "/", "よろしくお願いします"])
async def test_a_first_message_gets_a_short_answer_with_the_main_actions(line_bot, fake_line, first):
    await line_bot.post(lp.text_event(first, HANAKO))
    await line_bot.settle()
    [reply] = fake_line.requests(REPLY)
    [message] = reply.json["messages"]
    assert "こんにちは" in message["text"] and len(message["text"]) < 120
    labels = [item["action"]["label"] for item in message["quickReply"]["items"]]
    assert "ヘルプ" in labels
    assert fake_line.requests(PUSH) == []  # an answer is a reply (free), never a push


async def test_the_greeting_is_not_repeated_for_a_while(line_bot, fake_line):
    for text in ("こんにちは", "まだいますか", "おーい"):
        await line_bot.post(lp.text_event(text, HANAKO))
    await line_bot.settle()
    assert len(fake_line.requests(REPLY)) == 1
    # ... but it comes again after a while
    with line_bot.db.session() as session:
        member = session.exec(select(Member)).one()
        member.greeted_at = utcnow() - timedelta(days=1)
        session.add(member)
        session.commit()
    await line_bot.post(lp.text_event("こんにちは", HANAKO))
    await line_bot.settle()
    assert len(fake_line.requests(REPLY)) == 2


@pytest.mark.parametrize("word", ["ヘルプ", "help", "使い方"])
async def test_help_typed_without_the_slash_is_help(line_bot, fake_line, word):
    await line_bot.post(lp.text_event(word, HANAKO))
    await line_bot.settle()
    [reply] = fake_line.requests(REPLY)
    assert reply.json["messages"][0]["text"].startswith("使えるコマンド")


async def test_chat_in_a_group_gets_no_greeting(line_bot, fake_line):
    group = lp.group_id("neighbours")
    await line_bot.post(lp.join_event(group))
    await line_bot.settle()
    replies_after_join = len(fake_line.requests(REPLY))
    await line_bot.post(lp.text_event("こんにちは", HANAKO, group))
    await line_bot.settle()
    assert len(fake_line.requests(REPLY)) == replies_after_join


async def test_a_follow_gets_a_welcome_with_the_same_buttons(line_bot, fake_line):
    await line_bot.post(lp.follow_event(HANAKO))
    await line_bot.settle()
    [reply] = fake_line.requests(REPLY)
    message = reply.json["messages"][0]
    assert "友だち追加ありがとうございます" in message["text"]
    assert "ヘルプ" in [item["action"]["label"] for item in message["quickReply"]["items"]]


async def test_help_explains_any_command_with_who_and_where(chat, staff_chat):
    [answer] = await chat.say("/help /touchpoint")  # a staff command, asked by a resident in 1:1
    assert answer.startswith("/touchpoint: ")
    assert "使える人: 市の職員" in answer and "使う場所: グループの中" in answer
    assert "あなたはこのコマンドを使えません" in answer
    [answer] = await staff_chat.say("/help touchpoint")
    assert "ここでは使えません" in answer and "あなたは" not in answer  # staff may, but in a group
    [answer] = await chat.say("/help ヘルプ")  # an alias names its command
    assert answer.startswith("/help: ") and "使う場所: 1:1トークでもグループでも" in answer
    [answer] = await chat.say("/help /nosuch")
    assert "「/nosuch」というコマンドはありません" in answer


async def test_help_lists_only_what_the_asker_may_use_here(chat, staff_chat):
    [resident] = await chat.say("/help")
    [staff] = await staff_chat.say("/help")
    assert "/touchpoint" not in resident and "/touchpoint" not in staff  # a group command, asked in 1:1
    assert "/dashboard" in staff and "/dashboard" not in resident


def test_richmenu_deploy_refuses_a_local_public_address(tmp_path, monkeypatch, capsys):
    from bot.cli import main as cli_main

    for name, value in dict(
        LINE_CHANNEL_SECRET="s", LINE_CHANNEL_ACCESS_TOKEN="t", DATABASE_URL=f"sqlite:///{tmp_path}/m.db"
    ).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli_main(["richmenu", "deploy"]) == 2  # nothing reached LINE (the API address is unset: api.line.me)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "PUBLIC_BASE_URL" in err[0] and "--allow-local" in err[0]


def test_richmenu_image_draws_the_japanese_labels_when_a_font_is_found(make_settings):
    from bot.line.richmenu import draw_image
    from community.fonts import japanese_font

    if japanese_font() is None:
        pytest.skip("no Japanese font on this machine (CI installs fonts-noto-cjk)")
    city = make_settings().city
    image, japanese = draw_image(city)
    assert japanese and image.startswith(b"\x89PNG")


async def test_events_typed_as_the_web_page_is_called_lists_the_events(chat):
    """/events (the public page's name) and /イベント are /event list, not an unknown command."""
    listed = await chat.say("/event list")
    assert await chat.say("/events") == listed and await chat.say("/イベント") == listed
    assert "コマンドはありません" not in listed[0]
