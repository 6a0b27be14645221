"""Issue 18: text messages and postbacks are read straight from the JSON (bot.line.translate.read_plain_event) when
they have exactly the shape line-bot-sdk's models accept. Whatever the quick road reads must be what the SDK's road
reads, and whatever it is unsure of it must leave to the SDK, which reads or refuses it exactly as before."""

from __future__ import annotations

import copy
import itertools
import json

import pytest

from bot.line.translate import _SLOW, LineTranslator, read_plain_event, read_with_sdk
from bot.queues.inbox import NeedsLoop
from community import messages as m
from tests import line_payloads as lp

HANAKO = lp.user_id("hanako")
GROUP = lp.group_id("salon")

# Values a field may be sent with, right or wrong: the SDK's strict types refuse most of them.
ODD_VALUES = [None, "", "x", 0, 1, 1.5, True, False, [], {}, ["x"], {"a": 1}, "standby", "active", "text", "user"]


def base_events() -> list[dict]:
    room = lp.text_event("/help", HANAKO)
    room["source"] = {"type": "room", "roomId": "R" + "2" * 32, "userId": HANAKO}
    return [
        lp.text_event("/help", HANAKO),
        lp.text_event("こんにちは😀", HANAKO, GROUP),
        lp.text_event("/help", None, GROUP),
        room,
        lp.postback_event("board:thread:7", HANAKO),
        lp.postback_event("rsvp=1", HANAKO, GROUP),
    ]


def field_paths(event: dict) -> list[tuple[str, ...]]:
    paths = []
    for key, value in event.items():
        paths.append((key,))
        if isinstance(value, dict):
            paths += [(key, inner) for inner in value]
    return [*paths, ("message", "emojis"), ("message", "mention"), ("postback", "params"), ("source", "groupId")]


def variants() -> list[dict]:
    """Every base event with each of its fields (and a few it lacks) set to each odd value, or removed."""
    out = []
    for event in base_events():
        out.append(event)
        for path, value in itertools.product(field_paths(event), [*ODD_VALUES, "<removed>"]):
            changed = copy.deepcopy(event)
            where = changed
            for key in path[:-1]:
                where = where.get(key) if isinstance(where, dict) else None
            if not isinstance(where, dict):
                continue
            if value == "<removed>":
                where.pop(path[-1], None)
            else:
                where[path[-1]] = value
            out.append(changed)
    return out


def without_time(inbound: object) -> object:
    """An impossible timestamp reads as "now" on both roads: compare the rest."""
    return (inbound.__dict__ | {"occurred_at": None}) if isinstance(inbound, m.Inbound) else inbound


def test_the_quick_road_reads_what_the_sdk_reads_and_leaves_it_the_rest():
    quick_reads = sdk_only = 0
    for event in variants():
        raw = json.loads(json.dumps(event))
        quick = read_plain_event(raw)
        sdk = read_with_sdk(json.loads(json.dumps(event)))
        if quick is _SLOW:
            sdk_only += 1
            continue
        quick_reads += 1
        assert without_time(quick) == without_time(sdk), event
    # Both roads were really taken, and every plain event of the kinds read quickly took the quick one.
    assert quick_reads > 100 and sdk_only > 100
    for event in base_events():
        assert read_plain_event(event) is not _SLOW, event


def test_standby_mode_and_events_of_other_kinds():
    standby = lp.text_event("/help", HANAKO, mode="standby")
    assert read_plain_event(standby) is None and read_with_sdk(standby) is None
    for event in (
        lp.follow_event(HANAKO),
        lp.image_event(HANAKO),
        lp.text_event("@taro hi", HANAKO, GROUP, mentions=[lp.user_id("taro")]),
        lp.join_event(GROUP),
        lp.unknown_event(HANAKO),
    ):
        assert read_plain_event(event) is _SLOW, event["type"]


async def test_translate_now_is_translate_except_for_a_join():
    translator = LineTranslator(None)
    for event in [*base_events(), lp.follow_event(HANAKO), lp.image_event(HANAKO), lp.unknown_event(HANAKO)]:
        payload = json.dumps(event)
        assert translator.translate_now(payload) == await translator.translate(payload)
    with pytest.raises(NeedsLoop):
        translator.translate_now(json.dumps(lp.join_event(GROUP)))
    joined = await translator.translate(json.dumps(lp.join_event(GROUP)))
    assert joined is not None and joined.kind == m.JOIN and joined.place_name is None  # no API: no name
