"""Bad input, generated: webhook bodies from LINE's official webhook.yml (plus types LINE may add, huge texts, emoji
and zero-width characters), signed and unsigned; and every command's arguments through the console adapter.

Never a 5xx, never a crash: unsigned bodies are never stored, signed ones are handled or skipped (never parked),
and every answer to a command is a short Japanese message, never an exception text.

Example counts: FUZZ_EXAMPLES (default 30) per generated test, so CI time stays modest; raise it locally.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re

import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlmodel import select

from storage.models import InboxEvent, OutboxMessage
from tests import line_payloads as lp
from tests import openapi_schema

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = hsettings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
# What an exception leaking into a chat would look like.
LEAK = re.compile(r"Traceback|File \"|Error\b|Exception\b|sqlalchemy|psycopg|NoneType|object has no attribute")

# ---- nasty text ---------------------------------------------------------------------------------------------------

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"]
CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\r", "\n", "\t", "\u2028", "\u202e", "\u0085"]
EMOJI = ["😀", "👨‍👩‍👧‍👦", "🇯🇵", "🏳️‍🌈", "👍🏽", "🧑‍🍼", "\U0001f9d1\u200d\U0001f4bb"]
FULL_WIDTH = ["／", "＠", "｜", "ｈｅｌｐ", "１２３", "　", "ＡＢＣ", "＃"]
PLAIN = ["あ", "ア", "漢", "a", "1", " ", "-", "|", "@", "#", ":", "2026-12-05", "14:00", "confirm", "stop", "list"]
PIECES = ZERO_WIDTH + CONTROL + EMOJI + FULL_WIDTH + PLAIN

nasty_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.tuples(st.sampled_from(PIECES), st.integers(1000, 6000)).map(lambda p: p[0] * p[1]),  # huge
    st.tuples(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.text(max_size=20)).map(
        lambda p: " | ".join(p)
    ),
)


# ---- webhook bodies from the official schema ----------------------------------------------------------------------


@functools.cache
def _event_strategy():
    """One strategy per event type in webhook.yml (a discriminated base becomes a choice of its subtypes)."""
    from hypothesis_jsonschema import from_schema

    schemas = openapi_schema.webhook()
    components = schemas.document["components"]["schemas"]
    defs = copy.deepcopy(schemas.defs)

    def subtypes(name: str) -> tuple[str, list[tuple[str, str]]]:
        discriminator = components[name]["discriminator"]
        mapping = [(value, ref.rsplit("/", 1)[1]) for value, ref in discriminator.get("mapping", {}).items()]
        return discriminator["propertyName"], mapping

    def branch(prop: str, value: str, target: str) -> dict:
        return {"allOf": [{"$ref": f"#/$defs/{target}"}, {"properties": {prop: {"const": value}}, "required": [prop]}]}

    for name in schemas.discriminated:
        prop, mapping = subtypes(name)
        defs[name] = {"anyOf": [branch(prop, value, target) for value, target in mapping]}
    prop, mapping = subtypes("Event")
    per_type = [from_schema({"$defs": defs, **branch(prop, value, target)}) for value, target in mapping]
    return st.one_of(per_type)


def _unknown_type(event: dict, new_type: str) -> dict:
    return {**event, "type": new_type}


def _unknown_message(event: dict, new_type: str) -> dict:
    return {**event, "message": {"id": "1", "type": new_type, "quoteToken": "q", "future": {"x": [1, 2]}}}


@functools.cache
def webhook_events():
    user = st.sampled_from([lp.user_id(n) for n in ("hanako", "taro", "jiro")])
    group = st.one_of(st.none(), st.sampled_from([lp.group_id("g1"), lp.group_id("g2")]))
    command = st.sampled_from(
        [
            "/help",
            "/event list",
            "/join",
            "/child",
            "/hiroba",
            "/profile",
            "/lang",
            "/donate",
            "/community join",
            "/event new",
            "/",
            "／ヘルプ",
            "hi",
        ]
    )
    text_message = st.builds(
        lambda cmd, text, uid, gid: lp.text_event(f"{cmd} {text}"[:6000], uid, gid), command, nasty_text, user, group
    )
    mentioning = st.builds(
        lambda text, uid, gid, index, length: lp.text_event(
            text, uid, gid, mentions=[(lp.user_id("taro"), index, length)]
        ),
        nasty_text,
        user,
        group,
        st.integers(-5, 200),
        st.integers(-5, 200),
    )
    postback = st.builds(
        lambda data, uid, gid: lp.postback_event(data, uid, gid),
        st.one_of(
            nasty_text.map(lambda t: t[:300]),
            st.sampled_from(
                [
                    "hiroba:",
                    "hiroba:plaza:x",
                    "hiroba:plaza:99",
                    "hiroba:ease:9",
                    "board:thread:0",
                    "board:page:0",
                    "board:react:999999999",
                    "community:relation:x",
                    "join:",
                    "join:ZZZZ",
                    "profile:nickname",
                ]
            ),
        ),
        user,
        group,
    )
    known = _event_strategy()
    odd = st.one_of(
        st.builds(_unknown_type, known, st.text(min_size=1, max_size=30)),
        st.builds(_unknown_message, text_message, st.sampled_from(["hologram", "", "text2", "🙂"])),
        st.builds(
            lambda e, ts: {**e, "timestamp": ts},
            text_message,
            st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=5), st.none()),
        ),
        st.builds(
            lambda e, src: {**e, "source": src},
            text_message,
            st.one_of(st.none(), st.just({}), st.just({"type": "group"}), st.just({"type": "moon", "userId": 1})),
        ),
    )
    # "live" events look like what LINE really sends (now, a known user, a reply token we can answer).
    live = st.one_of(text_message, mentioning, postback).map(lambda e: ("live", e))
    generated = st.one_of(known, odd).map(lambda e: ("generated", e))
    return st.one_of(live, generated)


@pytest.fixture
async def webhook_bot(make_line_bot, database_url):
    """The service against the fake LINE API, on SQLite and on PostgreSQL."""
    return await make_line_bot(DATABASE_URL=database_url)


def _assert_inbox_healthy(bot) -> None:
    rows = bot.inbox()
    problems = [
        (r.event_type, r.status, r.attempts, r.last_error)
        for r in rows
        if r.status not in ("done", "skipped") or r.attempts or (r.last_error and r.status != "skipped")
    ]
    assert problems == [], problems


@pytest.mark.skipif(not openapi_schema.available(), reason=openapi_schema.UNAVAILABLE)
@FUZZ
# deferred: the schema is read on the first draw, never at collection (a missing spec copy skips, it does not error)
@given(
    batch=st.lists(st.deferred(lambda: webhook_events()), min_size=0, max_size=4),
    signature=st.sampled_from(["valid", "valid", "valid", "missing", "bad", "garbage"]),
)
async def test_generated_webhooks_never_fail_and_unsigned_ones_are_never_stored(webhook_bot, batch, signature):
    line_bot = webhook_bot
    events = [event for _, event in batch]
    raw = json.dumps(lp.callback(events), ensure_ascii=False).encode("utf-8")
    before = len(line_bot.inbox())
    forged = {"valid": None, "missing": "missing", "bad": "bad", "garbage": "not base64 at all!"}
    response = await line_bot.post(*events, raw=raw, signature=forged[signature])
    assert response.status < 500, await response.text()
    if signature != "valid":
        assert response.status == 400
        assert len(line_bot.inbox()) == before
        return
    assert response.status == 200, await response.text()
    await line_bot.settle()
    _assert_inbox_healthy(line_bot)
    live_ids = {e["webhookEventId"] for kind, e in batch if kind == "live"}
    if live_ids:
        # What "live" events made us send was accepted by LINE (the fake checks it like the real API).
        with line_bot.db.session() as session:
            sources = {r.id for r in session.exec(select(InboxEvent).where(InboxEvent.event_id.in_(live_ids)))}
            parked = session.exec(
                select(OutboxMessage).where(OutboxMessage.source_event_id.in_(sources), OutboxMessage.status != "sent")
            ).all()
        assert [(p.method, p.last_error) for p in parked] == []


def test_the_event_generator_follows_the_official_schema():
    """The generated known events are valid LINE events (so the fuzzing covers what LINE can really send)."""
    if not openapi_schema.available():
        pytest.skip(openapi_schema.UNAVAILABLE)
    schemas = openapi_schema.webhook()
    seen: set[str] = set()

    @hsettings(max_examples=max(FUZZ_EXAMPLES, 20), deadline=None, suppress_health_check=list(HealthCheck))
    @given(_event_strategy())
    def check(event):
        seen.add(event["type"])
        assert schemas.errors("Event", event) == []

    check()
    assert len(seen) >= 3


# ---- command arguments through the console ------------------------------------------------------------------------


@pytest.fixture
async def console_places(make_settings, database_url):
    """A resident and a staff member, each in a 1:1 chat and in a group, on one database (SQLite and PostgreSQL:
    PostgreSQL refuses some text SQLite stores, such as NUL characters)."""
    from bot.console import ConsoleChat

    settings = make_settings(DATABASE_URL=database_url)
    chats = {
        ("resident", "direct"): ConsoleChat(settings, user="hanako"),
        ("resident", "group"): ConsoleChat(settings, user="hanako", group="fuzz-group"),
        ("staff", "direct"): ConsoleChat(settings, user="staff-sato", staff=True),
        ("staff", "group"): ConsoleChat(settings, user="staff-sato", group="fuzz-staff-group", staff=True),
    }
    for chat in chats.values():
        await chat.start()
    yield chats
    for chat in chats.values():
        await chat.stop()


def _command_names():
    from handlers.features import build_router

    return sorted(build_router().commands)


def _inbox_problems(chat) -> list:
    with chat.runtime.db.session() as session:
        rows = session.exec(select(InboxEvent)).all()
    return [(r.status, r.attempts, r.last_error) for r in rows if r.status not in ("done", "skipped") or r.last_error]


async def _say_and_check(chat, text: str, mentions: tuple[str, ...] = ()) -> list[str]:
    answers = await chat.send(text, mentions=mentions)
    assert answers, f"no answer to {text[:80]!r}"
    for answer in answers:
        assert JAPANESE.search(answer), (text[:80], answer[:300])
        assert not LEAK.search(answer), (text[:80], answer[:300])
    assert _inbox_problems(chat) == [], text[:80]
    return answers


# Every kind of bad input at once (test_roles sends each command with no arguments; the random test below, huge ones).
NASTY_ARGS = (
    "\u200bｈｅｌｐ　１２３ 😀👨‍👩‍👧‍👦🇯🇵 あ\u202e\x00\x07\n | | | @jiro -1 99999999999999999999 2026-02-30 <b>&amp;"
)


async def test_every_command_with_bad_arguments_as_resident_and_staff_in_1to1_and_group(console_places):
    for name in _command_names():
        for chat in console_places.values():
            await _say_and_check(chat, f"/{name} {NASTY_ARGS}", mentions=("jiro",))


# Arguments that pass a command's own checks and reach the database with a NUL or a bidi control in them.
STORED_TEXTS = [
    ("staff", "direct", "/event new 芋掘り\x00体験 | 2099-12-05 14:00 | 四季文化館\x00"),
    ("staff", "direct", "/event new \u202e芋掘り\u200b | 2099-12-05 14:00 | 😀" + "あ" * 200),
    ("staff", "direct", "/event invite ZZZZZZ https://line.me/R/ti/g/\x00abc"),
    ("resident", "direct", "/hiroba 小川子育て広場\x00"),
    ("resident", "direct", "/child 2025-01-01\x00"),
    ("resident", "direct", "/profile nickname はな\x00こ"),
    ("staff", "group", "/touchpoint boshi-techo\x00"),
]


@pytest.mark.parametrize("who,where,text", STORED_TEXTS)
async def test_text_that_would_be_stored_is_checked_first(console_places, who, where, text):
    await _say_and_check(console_places[(who, where)], text)


@FUZZ
@given(data=st.data())
async def test_random_command_arguments_get_a_japanese_answer(console_places, data):
    name = data.draw(st.sampled_from(_command_names()), label="command")
    who = data.draw(st.sampled_from(sorted(console_places)), label="who/where")
    args = data.draw(nasty_text, label="args")
    mentions = data.draw(
        st.lists(st.sampled_from(["jiro", "staff-sato", "hanako", "@", "\u200b", "😀"]), max_size=3), label="mentions"
    )
    assume(not (name == "lang" and args.strip().lower() == "en"))  # English answers are right for that one
    await _say_and_check(console_places[who], f"/{name} {args}", tuple(mentions))


async def test_plain_chat_may_go_unanswered_but_never_fails(console_places):
    for chat in console_places.values():
        for text in ["こんにちは", "\u200b", "😀" * 3000, "／", "/", "//help", "@jiro"]:
            for answer in await chat.send(text):
                assert JAPANESE.search(answer) and not LEAK.search(answer), answer[:200]
            assert _inbox_problems(chat) == []
