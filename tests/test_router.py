"""The chat mechanism every feature uses, through the real path (inbox, dispatcher, router, outbox): postback
routes with typed parameters, dialogues whose state is in the database (a restart continues), typed answers that
press a question's buttons, and one Problem type answered in the person's language with its changes undone."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.console import ConsoleChat
from community.messages import Action, Text
from community.problems import Problem
from handlers.context import DIRECT_PLACE, Context
from handlers.feature import Feature
from handlers.features import FEATURES
from handlers.router import ChatRoutes, PostbackRoute
from storage.models import DialogueState, Space
from tests.conftest import plain_chat

demo = ChatRoutes("demo")
seen: list[tuple] = []


@demo.postback("demo:item:{item_id:int}", "demo:item:{item_id:int}:page:{page:int}")
def demo_item(ctx: Context, item_id: int, page: int = 1) -> None:
    seen.append(("item", item_id, page))
    ctx.reply(f"item {item_id} page {page}")


@demo.command("demo ask", summary=("demo", "demo"), usage="/demo ask", places={DIRECT_PLACE})
def demo_ask(ctx: Context) -> None:
    ctx.ask(
        "demo",
        "name",
        Text(
            "name?",
            quick_replies=(
                Action(label="Hanako", data="demo:pick:hanako"),
                Action(label="Jiro", data="demo:pick:jiro"),
            ),
        ),
    )


@demo.postback("demo:pick:{name}")
def demo_pick(ctx: Context, name: str) -> None:
    ctx.end_dialogue()
    ctx.reply(f"picked {name}")


@demo.step("demo", "name")
def demo_name(ctx: Context, text: str) -> None:
    if text == "bad":
        raise Problem("lang.usage")  # any catalogue key: the person gets it in their language
    ctx.end_dialogue()
    ctx.reply(f"hello {text}")


@demo.command("demo confirm", summary=("demo", "demo"), usage="/demo confirm")
def demo_confirm(ctx: Context) -> None:
    ctx.reply(
        Text(
            "sure?",
            quick_replies=(
                Action(label="Delete", data="demo:yes", means="yes"),
                Action(label="Keep", data="demo:no", means="no"),
            ),
        )
    )


@demo.postback("demo:yes", "demo:no")
def demo_answer(ctx: Context) -> None:
    ctx.reply("answer " + (ctx.inbound.postback_data or ""))


@demo.command("demo break", summary=("demo", "demo"), usage="/demo break THING")
def demo_break(ctx: Context) -> None:
    ctx.session.add(Space(platform="console", kind="group", platform_space_id="made-then-undone", created_at=ctx.now))
    ctx.session.flush()
    ctx.reply("this reply is taken back")
    raise Problem("lang.usage")


FEATURES_WITH_DEMO = (*FEATURES, Feature("demo", chat=demo))


@pytest.fixture
async def demo_chat(make_settings):
    chat = ConsoleChat(make_settings(), user="hanako", features=FEATURES_WITH_DEMO)
    await chat.start()
    yield chat
    await chat.stop()


def test_postback_patterns_convert_and_match_whole_data():
    route = PostbackRoute.build("board:thread:{thread_id:int}:page:{page:int}", lambda ctx, **kw: None)
    assert route.match("board:thread:12:page:3") == {"thread_id": 12, "page": 3}
    assert route.match("board:thread:12") is None
    assert route.match("board:thread:12:page:3:extra") is None
    assert route.match("board:thread:x:page:3") is None
    named = PostbackRoute.build("event-join:{code}", lambda ctx, **kw: None)
    assert named.match("event-join:ABC234") == {"code": "ABC234"}
    assert named.match("event-join:a:b") is None  # a parameter never spans a separator


async def test_postback_routes_get_typed_parameters(demo_chat):
    seen.clear()
    assert await demo_chat.send(None, kind="postback", postback="demo:item:7:page:2") == ["item 7 page 2"]
    assert await demo_chat.send(None, kind="postback", postback="demo:item:8") == ["item 8 page 1"]
    assert seen == [("item", 7, 2), ("item", 8, 1)]


async def test_a_dialogue_continues_after_a_restart(make_settings):
    settings = make_settings()
    first = ConsoleChat(settings, user="hanako", features=FEATURES_WITH_DEMO)
    await first.start()
    assert await first.say("/demo ask") == ["name?\n  1) Hanako  2) Jiro"]
    await first.stop()
    second = ConsoleChat(settings, user="hanako", features=FEATURES_WITH_DEMO)  # a new process on the same database
    await second.start()
    try:
        assert await second.say("Sakura") == ["hello Sakura"]
        with second.runtime.db.session() as session:
            assert session.exec(select(DialogueState)).all() == []  # the dialogue ended
        assert plain_chat(await second.say("Sakura"))  # plain chat again: nobody asked anything
    finally:
        await second.stop()


@pytest.mark.parametrize(
    "typed, expected",
    [("Jiro", "picked jiro"), ("ｊｉｒｏ", "picked jiro"), ("2", "picked jiro"), ("１", "picked hanako")],
)
async def test_typing_a_label_or_number_presses_the_button(demo_chat, typed, expected):
    await demo_chat.say("/demo ask")
    assert await demo_chat.say(typed) == [expected]


@pytest.mark.parametrize(
    "typed, expected",
    [("はい", "answer demo:yes"), ("yes", "answer demo:yes"), ("いいえ", "answer demo:no"), ("Keep", "answer demo:no")],
)
async def test_yes_and_no_press_the_buttons_that_mean_them(demo_chat, typed, expected):
    await demo_chat.say("/demo confirm")
    assert await demo_chat.say(typed) == [expected]


async def test_another_command_clears_the_question(demo_chat):
    await demo_chat.say("/demo confirm")
    await demo_chat.say("/help")
    assert plain_chat(await demo_chat.say("はい"))  # "yes" no longer answers the earlier question


async def test_a_problem_in_a_step_keeps_the_dialogue_waiting(demo_chat):
    await demo_chat.say("/demo ask")
    [problem] = await demo_chat.say("bad")
    assert "/lang ja" in problem
    assert await demo_chat.say("Sakura") == ["hello Sakura"]


async def test_a_cancel_word_ends_the_dialogue(demo_chat):
    await demo_chat.say("/demo ask")
    assert await demo_chat.say("やめる") == ["取り消しました。"]
    assert plain_chat(await demo_chat.say("Sakura"))


async def test_a_problem_undoes_the_handlers_changes_and_answers_with_usage(demo_chat):
    answer = await demo_chat.say("/demo break now")
    assert answer == ["「/lang ja」または「/lang en」と送ってください。\n使い方: /demo break THING"]
    with demo_chat.runtime.db.session() as session:
        assert session.exec(select(Space).where(Space.platform_space_id == "made-then-undone")).first() is None
    await demo_chat.say("/lang en")
    assert await demo_chat.say("/demo break now") == ['Send "/lang ja" or "/lang en".\nUsage: /demo break THING']


@demo.command("demo write", summary=("demo", "demo"), usage="/demo write", places={DIRECT_PLACE})
def demo_write(ctx: Context) -> None:
    ctx.ask("demo", "text", Text("write it", quick_replies=(Action(label="やめる", text="やめる"),)))


@demo.step("demo", "text")
def demo_text(ctx: Context, text: str) -> None:
    ctx.end_dialogue()
    ctx.reply(f"posted {text}")


@pytest.mark.parametrize("typed", ["1", "いいえ", "no"])
async def test_under_a_free_text_question_a_number_or_no_is_the_answer_itself(demo_chat, typed):
    """One button (cancel) under a question that wants text: only its own label presses it."""
    await demo_chat.say("/demo write")
    assert await demo_chat.say(typed) == [f"posted {typed}"]


async def test_a_button_that_sends_words_works_as_typing_them(demo_chat):
    await demo_chat.say("/demo write")
    assert await demo_chat.say("やめる") == ["取り消しました。"]


async def test_usage_lines_follow_the_persons_language(chat):
    await chat.say("/lang en")
    [answer] = await chat.say("/help lang")
    assert "Usage: /lang ja|en" in answer
    [answer] = await chat.say("/child 2026-99-99")
    assert "Usage: /child" in answer and "YYYY" in answer
    [answer] = await chat.say("/event new x")
    assert answer == '"/event new" is only for organizers, city staff.'  # no Japanese separator in English
