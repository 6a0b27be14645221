"""The console adapter goes through the same inbox, handlers and outbox as LINE; it shows buttons as numbered
choices and prints each session's pushes in that session."""

import asyncio
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from bot.console import ConsoleChat, database_line
from bot.queues.outbox import OutboxWriter
from community.messages import POSTBACK, Action, Inbound, Postbox, Text
from storage.db import utcnow
from storage.models import InboxEvent, OutboxMessage
from tests.conftest import plain_chat

ROOT = Path(__file__).resolve().parent.parent


def rows(chat: ConsoleChat, model, *where):
    with chat.runtime.db.session() as session:
        return list(session.exec(select(model).where(*where)))


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
    assert greeting.startswith("こんにちは！") and "1) ヘルプ" in greeting
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


# ---- buttons: numbered choices, pressed by number or label (issue #12, item 8) ---------------------------------------


async def join_up_to_the_welcome(chat: ConsoleChat) -> str:
    await chat.enter("/community join")
    await chat.enter("1")  # 同意する
    await chat.enter("みかん")
    [welcome] = await chat.enter("4")  # ファン・応援している
    return welcome


async def test_buttons_are_numbered_choices_never_postback_data(chat):
    [rules] = await chat.say("/community join")
    assert rules.endswith("\n  1) 同意する  2) やめる")
    assert "community:" not in rules
    assert [(a.label, a.data) for a in chat.choices] == [
        ("同意する", "community:agree"),
        ("やめる", "community:cancel"),
    ]
    await chat.send(None, kind=POSTBACK, postback="community:agree")
    await chat.say("みかん")
    [welcome] = await chat.send(None, kind=POSTBACK, postback="community:relation:fan")
    # A URL button shows its URL (it is opened, not sent).
    assert welcome.endswith("\n  1) 掲示板を見る  2) Webで見る <https://tsunagaru.example.jp/board>")
    [profile] = await chat.say("/profile")
    assert profile.endswith("\n  1) ニックネームを変える  2) 関わり方を変える  3) 退会する")
    assert "community:leave" not in profile and "profile:" not in profile


async def test_the_buttons_of_every_card_of_a_carousel_are_numbered_on(chat, staff_chat):
    for title in ("花火大会の思い出", "おすすめの店"):
        await staff_chat.say(f"/thread new 地域ネタ {title}")
    await join_up_to_the_welcome(chat)
    [board] = await chat.enter("1")  # 掲示板を見る
    first, second = board.split("\n---\n")[:2]
    numbers = [re.findall(r"(\d+)\) ", card.splitlines()[-1]) for card in (first, second)]
    assert numbers[0] and numbers[1][0] == str(len(numbers[0]) + 1)  # the second card's buttons are numbered on
    assert ":" not in "".join(card.splitlines()[-1] for card in (first, second))  # no postback data anywhere
    assert len(chat.choices) == int(re.findall(r"(\d+)\) ", board)[-1])


async def test_a_number_presses_a_postback_button_and_shows_its_display_text(make_settings):
    out = io.StringIO()
    chat = ConsoleChat(make_settings(), user="hanako", echo=True, out=out)
    await chat.start()
    try:
        await chat.enter("/community join")
        [ask] = await chat.enter("1")
        assert "ニックネーム" in ask
        assert "hanako> 同意する\n" in out.getvalue()  # as LINE shows a postback's display text
        with chat.runtime.db.session() as session:
            last = session.exec(select(InboxEvent).order_by(InboxEvent.id.desc())).first()
        pressed = Inbound.from_json(last.payload)
        assert (pressed.kind, pressed.postback_data, pressed.text) == (POSTBACK, "community:agree", None)
    finally:
        await chat.stop()


async def test_an_exact_label_presses_its_button(chat):
    await chat.enter("/community join")
    await chat.enter("同意する")
    await chat.enter("みかん")
    [welcome] = await chat.enter("ファン・応援している")
    assert "ようこそ、みかんさん" in welcome


async def test_a_text_button_sends_its_text(chat):
    [ask] = await chat.enter("/forget-me")
    assert ask.endswith("  1) 削除する  2) やめる")
    assert await chat.enter("2") == ["削除はしませんでした。"]
    with chat.runtime.db.session() as session:
        last = session.exec(select(InboxEvent).order_by(InboxEvent.id.desc())).first()
    assert Inbound.from_json(last.payload).text == "/forget-me cancel"


async def test_a_url_button_prints_its_url_and_sends_nothing(make_settings):
    out = io.StringIO()
    chat = ConsoleChat(make_settings(), user="hanako", echo=True, out=out)
    await chat.start()
    try:
        await join_up_to_the_welcome(chat)
        events = len(rows(chat, InboxEvent))
        assert await chat.enter("2") == []
        assert "🔗 Webで見る: https://tsunagaru.example.jp/board" in out.getvalue()
        assert len(rows(chat, InboxEvent)) == events
    finally:
        await chat.stop()


async def test_numbering_resets_with_each_answer_and_other_typing_is_a_message(chat):
    await join_up_to_the_welcome(chat)
    [_profile] = await chat.enter("/profile")
    assert [a.label for a in chat.choices] == ["ニックネームを変える", "関わり方を変える", "退会する"]
    [question] = await chat.enter("2")  # 関わり方を変える: a new answer, numbered from 1 again
    assert question.endswith("  1) 住んでいる  2) 出身・以前住んでいた  3) 訪れたことがある  4) ファン・応援している")
    assert await chat.enter("1") == ["まちとの関わりを「住んでいる」にしました。"]
    # That answer had no buttons: numbers are ordinary messages again (plain chat gets at most the greeting).
    assert chat.choices == []
    assert plain_chat(await chat.enter("3"))
    with chat.runtime.db.session() as session:
        last = session.exec(select(InboxEvent).order_by(InboxEvent.id.desc())).first()
    assert Inbound.from_json(last.payload).text == "3"
    assert await chat.enter("こんにちは") == []
    assert await chat.enter("99") == []  # beyond the buttons: a message


# ---- pushes: delivered promptly to their own session only, marked (issue #12, item 9) --------------------------------


async def until(condition, seconds: float = 10.0) -> None:
    """Wait for a condition, failing after a deadline (no fixed sleeps)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the condition did not come true in time"
        await asyncio.sleep(0.02)


def queue_push(chat: ConsoleChat, to: str, text: str) -> None:
    """What a job (in this or another process) does: write a push into the outbox, nothing else."""
    box = Postbox()
    box.push("console", to, Text(text, quick_replies=(Action(label="参加する", data="event:join:1"),)))
    chat.runtime.db.call(OutboxWriter().write, box.items, utcnow())


async def test_each_session_prints_its_own_pushes_promptly_and_no_one_elses(make_settings, database_url):
    settings = make_settings(DATABASE_URL=database_url)
    screens = {name: io.StringIO() for name in ("hanako", "jiro")}
    sessions = {
        name: ConsoleChat(settings, user=name, echo=True, out=screens[name], live=True, poll_seconds=0.1)
        for name in screens
    }
    for session in sessions.values():
        await session.start()
    try:
        queue_push(sessions["hanako"], "jiro", "明日は農業体験です")
        await until(lambda: "明日は農業体験です" in screens["jiro"].getvalue())
        assert "つながる小美玉> 📨 プッシュ: 明日は農業体験です\n  1) 参加する" in screens["jiro"].getvalue()
        assert [a.data for a in sessions["jiro"].choices] == ["event:join:1"]  # a push's buttons can be pressed
        queue_push(sessions["jiro"], "hanako", "はなこさんへのお知らせ")
        queue_push(sessions["jiro"], "saburo", "三郎さんへのお知らせ")  # nobody's session: it waits for his
        await until(lambda: "はなこさんへのお知らせ" in screens["hanako"].getvalue())
        # An answer is not a push, and shows in the session that asked.
        [answer] = await sessions["jiro"].enter("/help")
        assert (
            f"つながる小美玉> {answer}" in screens["jiro"].getvalue()
            and "プッシュ: 使える" not in screens["jiro"].getvalue()
        )
        await sessions["hanako"].runtime.sender.drain()
        await sessions["jiro"].runtime.sender.drain()
    finally:
        for session in sessions.values():
            await session.stop()
    assert "明日は農業体験です" not in screens["hanako"].getvalue()
    assert "はなこさんへのお知らせ" not in screens["jiro"].getvalue()
    assert "三郎さんへのお知らせ" not in screens["hanako"].getvalue() + screens["jiro"].getvalue()
    waiting = rows(sessions["hanako"], OutboxMessage, OutboxMessage.status != "sent")
    assert [(row.target, row.status) for row in waiting] == [("saburo", "pending")]


async def test_in_a_group_session_pushes_to_the_group_and_to_oneself_arrive_marked(make_settings):
    out = io.StringIO()
    chat = ConsoleChat(
        make_settings(), user="hanako", group="農業体験", echo=True, out=out, live=True, poll_seconds=0.1
    )
    await chat.start()
    try:
        queue_push(chat, "農業体験", "グループへのお知らせ")
        queue_push(chat, "hanako", "はなこさんだけへ")
        await until(lambda: "はなこさんだけへ" in out.getvalue() and "グループへのお知らせ" in out.getvalue())
    finally:
        await chat.stop()
    assert "📨 プッシュ: グループへのお知らせ" in out.getvalue()
    assert "📨 プッシュ（hanako さんへの1:1）: はなこさんだけへ" in out.getvalue()


async def test_a_job_push_is_marked_and_an_answer_is_not(make_settings):
    out = io.StringIO()
    chat = ConsoleChat(make_settings(), user="hanako", echo=True, out=out)
    await chat.start()
    try:
        await chat.say("/help")
        queue_push(chat, "hanako", "お知らせです")
        await chat.runtime.sender.drain()
    finally:
        await chat.stop()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("つながる小美玉> 使えるコマンド")
    assert "つながる小美玉> 📨 プッシュ: お知らせです" in lines


# ---- start-up and a session through stdin (issue #12, items 5 and the "Done when") -----------------------------------


def test_the_database_line_names_the_file_and_hides_a_password(make_settings, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    line = database_line(make_settings(DATABASE_URL="sqlite:///./data/tsunagaru.db"))
    assert line == f"データベース: sqlite:///{tmp_path}/data/tsunagaru.db（作業フォルダ {tmp_path}）"
    line = database_line(make_settings(DATABASE_URL="postgresql+psycopg://tsunagaru:s3cret@db.example:5432/town"))
    assert line.startswith("データベース: postgresql+psycopg://tsunagaru:***@db.example:5432/town（")
    assert "s3cret" not in line


def test_a_console_session_through_stdin(tmp_path):
    lines = ["/community join", "1", "みかん", "ファン・応援している", "2", "/profile", "3"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "ADMIN_"))}
    env.update(DATABASE_URL="sqlite:///./town.db", PUBLIC_BASE_URL="https://tsunagaru.example.jp", PYTHONPATH=str(ROOT))
    # cwd is a throwaway directory, so no developer .env is read.
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", "hanako"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(f"データベース: sqlite:///{tmp_path}/town.db（作業フォルダ {tmp_path}）\n")
    assert "  1) 同意する  2) やめる\n" in out
    assert "hanako> 同意する\n" in out  # "1" pressed the first button
    assert "ニックネーム" in out
    assert "hanako> ファン・応援している\n" in out  # a label pressed its button
    assert "ようこそ、みかんさん" in out
    assert "🔗 Webで見る: https://tsunagaru.example.jp/board" in out  # "2": a URL button
    assert "  1) ニックネームを変える  2) 関わり方を変える  3) 退会する\n" in out
    assert "hanako> 退会する\n" in out and "コミュニティから退会しました" in out
    assert "community:" not in out and "profile:" not in out and "Traceback" not in done.stderr
