"""The console adapter goes through the same inbox, handlers and outbox as LINE."""
from sqlmodel import select

from storage.models import InboxEvent, OutboxMessage


async def test_help_lists_commands_in_japanese(chat):
    [answer] = await chat.say("/help")
    assert answer.startswith("使えるコマンド")
    assert "/help" in answer and "/lang" in answer


async def test_unknown_command_says_what_to_type(chat):
    [answer] = await chat.say("/dance")
    assert "「/dance」というコマンドはありません" in answer
    assert "/help" in answer


async def test_plain_chat_gets_the_greeting_once_in_a_while(chat):
    [greeting] = await chat.say("こんにちは")
    assert greeting.startswith("こんにちは！") and "[ヘルプ]" in greeting
    assert await chat.say("こんにちは") == []  # not chatty: once in a while


async def test_full_width_slash_and_japanese_alias(chat):
    [answer] = await chat.say("／ヘルプ")
    assert answer.startswith("使えるコマンド")


async def test_english_on_request(chat):
    assert await chat.say("/lang en") == ["Language set to English."]
    [answer] = await chat.say("/help")
    assert answer.startswith("Commands you can use")


async def test_bad_argument_gets_usage_and_changes_nothing(chat):
    [answer] = await chat.say("/lang klingon")
    assert "/lang ja" in answer and "使い方" in answer
    [answer] = await chat.say("/help")
    assert answer.startswith("使えるコマンド")  # still Japanese


async def test_console_uses_inbox_and_outbox(chat):
    await chat.say("/help")
    with chat.runtime.db.session() as session:
        events = session.exec(select(InboxEvent)).all()
        sent = session.exec(select(OutboxMessage)).all()
    assert [e.status for e in events] == ["done"]
    assert [o.status for o in sent] == ["sent"]
