"""Roles and personal data.

Every registered command × role (resident, facilitator, organizer, staff) × place (1:1, an event group, the staff
group, a Discord channel): the table is derived from router.commands, so a new command is covered without editing
this file. Allowed ones answer in Japanese; forbidden ones get the router's Japanese refusal and change nothing
(every table is dumped before and after). A few key cases are spelled out as well.

Exports and digests never contain a platform user id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text as sql
from sqlmodel import SQLModel

import storage.all_models  # noqa: F401  (every table on SQLModel.metadata)
from bot.console import ConsoleChat
from community import board, childcare, digest, engagement, members
from community import events as ev
from community.messages import CHANNEL, MESSAGE, Inbound, Place, plain_text
from community.spaces import get_or_create_space
from community.texts import t
from handlers.features import build_router
from handlers.router import DIRECT_PLACE, GROUP_PLACE
from storage.db import utcnow
from tests import line_payloads as lp

ROLES = ("resident", "facilitator", "organizer", "staff")
PLACES = ("1:1", "event group", "staff group", "discord")
PLACE_KIND = {"1:1": DIRECT_PLACE, "event group": GROUP_PLACE, "staff group": GROUP_PLACE, "discord": GROUP_PLACE}
# The roles a person in each row holds (everyone is a resident).
HELD = {
    "resident": {members.RESIDENT},
    "facilitator": {members.RESIDENT, members.FACILITATOR},
    "organizer": {members.RESIDENT, members.ORGANIZER},
    "staff": {members.RESIDENT, members.STAFF},
}
CONSOLE_USER = {"resident": "hanako", "facilitator": "fumi", "organizer": "oga", "staff": "sato"}
DISCORD_USER = {role: f"7000000000000000{i}" for i, role in enumerate(ROLES)}
EVENT_GROUP, STAFF_GROUP, DISCORD_CHANNEL = "event-group", "staff-group", "700000000000000099"
# Tables that record the conversation itself (the refused command and its refusal), not a change it made.
TRAFFIC_TABLES = {"inbox_event", "outbox_message"}


@dataclass
class World:
    chat: ConsoleChat
    event_code: str
    event_title: str

    @property
    def db(self):
        return self.chat.runtime.db

    async def say(self, role: str, place: str, text: str) -> list[str]:
        if place == "discord":
            return await self._discord(role, text)
        # One console session speaking as each person: the place follows the user (1:1) or the group.
        self.chat.user = CONSOLE_USER[role]
        self.chat.group = {"1:1": None, "event group": EVENT_GROUP, "staff group": STAFF_GROUP}[place]
        return await self.chat.send(text)

    async def _discord(self, role: str, text: str) -> list[str]:
        """A Discord channel message, as the Discord translator hands it to the inbox worker (Dispatcher.handle)."""
        inbound = Inbound(
            platform="discord",
            kind=MESSAGE,
            place=Place("discord", CHANNEL, DISCORD_CHANNEL),
            occurred_at=datetime.now(UTC),
            sender_id=DISCORD_USER[role],
            text=text,
            place_name="event-channel",
        )
        runtime = self.chat.runtime
        postbox = await self.db.run(runtime.worker.dispatcher.handle, inbound)
        return [plain_text(m) for item in postbox.items for m in item.messages]

    def dump(self) -> dict[str, list]:
        with self.db.session() as session:
            return {
                name: sorted(map(repr, session.execute(sql(f'SELECT * FROM "{name}"')).all()))
                for name in SQLModel.metadata.tables
                if name not in TRAFFIC_TABLES
            }


def _setup(session, settings):
    now = utcnow()
    people = {}
    for role in ROLES:
        console = members.get_or_create_member(session, "console", CONSOLE_USER[role], now)
        discord = members.get_or_create_member(session, "discord", DISCORD_USER[role], now)
        people[role] = (console, discord)
    for console, discord in (people["staff"],):
        members.grant(session, console.id, members.STAFF, now)
        members.grant(session, discord.id, members.STAFF, now)
    for member in people["organizer"]:
        members.grant(session, member.id, members.ORGANIZER, now)
    event = ev.create_event(
        session,
        settings.city,
        title="芋掘り体験",
        starts_at=now + timedelta(days=30),
        location="四季文化館みの〜れ",
        organizer_id=people["organizer"][0].id,
        now=now,
    )
    for member in people["facilitator"]:
        ev.assign_facilitator(session, event, member, now)
    # Named as each place reports its name (the console: the group's name; Discord: the channel's).
    for place, name in (
        (Place("console", "group", EVENT_GROUP), EVENT_GROUP),
        (Place("discord", CHANNEL, DISCORD_CHANNEL), "event-channel"),
    ):
        ev.bind_space(session, event, get_or_create_space(session, place, now, name=name), now)
    staff_space = get_or_create_space(session, Place("console", "group", STAFF_GROUP), now, name=STAFF_GROUP)
    staff_space.purpose = digest.STAFF_PURPOSE
    session.add(staff_space)
    return event.code, event.title


@pytest.fixture
async def world(make_settings):
    chat = ConsoleChat(make_settings(), user="hanako")
    await chat.start()
    code, title = await chat.runtime.db.run(_setup, chat.settings)
    yield World(chat, code, title)
    await chat.stop()


def _refusal(cmd, role: str, place: str) -> str | None:
    """The router's answer when this role or place may not use the command (None when it may)."""
    label = "/" + cmd.name
    if not cmd.roles & HELD[role]:
        roles = "・".join(t("ja", f"role.{r}") for r in sorted(cmd.roles))
        return t("ja", "forbidden", name=label, roles=roles)
    if PLACE_KIND[place] not in cmd.places:
        return t("ja", "place.direct" if DIRECT_PLACE in cmd.places else "place.group", name=label)
    return None


def _router_refusals(cmd) -> set[str]:
    label = "/" + cmd.name
    roles = "・".join(t("ja", f"role.{r}") for r in sorted(cmd.roles))
    return {
        t("ja", "forbidden", name=label, roles=roles),
        t("ja", "place.direct", name=label),
        t("ja", "place.group", name=label),
        t("ja", "unknown", name=label),
    }


def _table():
    router = build_router()
    return [
        (cmd, role, place, _refusal(cmd, role, place))
        for cmd in router.commands.values()
        for role in ROLES
        for place in PLACES
    ]


def test_the_table_covers_every_command_and_has_both_outcomes():
    table = _table()
    names = {cmd.name for cmd, *_ in table}
    assert names == set(build_router().commands)
    assert len(table) == len(names) * len(ROLES) * len(PLACES)
    assert any(r is None for *_, r in table) and any(r is not None for *_, r in table)


async def test_every_command_role_and_place(world):
    refused = allowed = 0
    for cmd, role, place, refusal in _table():
        text = f"/{cmd.name}"
        if refusal is not None:
            before = world.dump()
            answers = await world.say(role, place, text)
            assert answers == [refusal], (cmd.name, role, place, answers)
            assert world.dump() == before, f"{text} as {role} in {place} was refused but changed data"
            refused += 1
        else:
            answers = await world.say(role, place, text)
            assert answers, (cmd.name, role, place)
            for answer in answers:
                assert answer not in _router_refusals(cmd), (cmd.name, role, place, answer)
                assert answer != t("ja", "failed"), (cmd.name, role, place)  # the apology after a crash
            allowed += 1
    assert refused and allowed


KEY_CASES = [
    # (role, place, command text, expected: "refused" or a piece of the answer)
    ("resident", "1:1", "/organizer m-xxxxxxxxxx", "refused"),
    ("facilitator", "event group", "/event close", "refused"),
    ("organizer", "staff group", "/digest", "refused"),
    ("resident", "discord", "/staff here", "refused"),
    ("staff", "1:1", "/touchpoint boshi-techo", "グループの中で"),
    ("staff", "staff group", "/dashboard", "1:1トーク"),
    ("organizer", "event group", "/event new 田植え | 2026-12-05 14:00 | アピオス", "1:1トーク"),
    ("organizer", "1:1", "/event new 田植え | 2099-12-05 14:00 | アピオス", "田植え"),
    ("facilitator", "event group", "/event status", "{title}"),
    ("facilitator", "discord", "/event status", "{title}"),
    ("resident", "event group", "/event status", "refused"),
    ("staff", "staff group", "/staff here", t("ja", "staff.already")),
    ("staff", "1:1", "/digest", "週間レポート"),
    ("resident", "1:1", "/join {code}", "{title}"),
]


@pytest.mark.parametrize(
    "role,place,text,expected", KEY_CASES, ids=[f"{r}-{p}-{x.split()[0]}" for r, p, x, _ in KEY_CASES]
)
async def test_key_cases(world, role, place, text, expected):
    text = text.format(code=world.event_code)
    before = world.dump()
    answers = await world.say(role, place, text)
    joined = "\n".join(answers)
    if expected == "refused":
        assert any("だけが使えるコマンドです" in a for a in answers), joined
        assert world.dump() == before
    else:
        assert expected.format(title=world.event_title) in joined, joined


# ---- no platform ids in exports and digests -------------------------------------------------------------------------

LINE_IDS = [lp.user_id(n) for n in ("pii-hanako", "pii-taro", "pii-staff")]
LINE_GROUP = lp.group_id("pii-group")
CONSOLE_IDS = ["console-user-4f9a2c", "console-user-77b1e0"]
DISCORD_IDS = ["712345678901234567"]
PLATFORM_IDS = [*LINE_IDS, LINE_GROUP, *CONSOLE_IDS, *DISCORD_IDS]


def _activity(session, settings, now):
    """A week of activity by members known only by platform ids (no display names), in every feature."""
    cfg = board.CommunityConfig.from_city(settings.city)
    accounts = (
        [("line", u) for u in LINE_IDS] + [("console", u) for u in CONSOLE_IDS] + [("discord", u) for u in DISCORD_IDS]
    )
    people = [
        members.get_or_create_member(session, platform, uid, now - timedelta(days=8)) for platform, uid in accounts
    ]
    organizer = people[0]
    event = ev.create_event(
        session,
        settings.city,
        title="秋祭り",
        starts_at=now - timedelta(days=20),
        location="小川文化センターアピオス",
        organizer_id=organizer.id,
        now=now - timedelta(days=30),
    )
    space = get_or_create_space(session, Place("line", "group", LINE_GROUP), now - timedelta(days=29), name=None)
    bound = ev.bind_space(session, event, space, now - timedelta(days=29))
    for member in people[1:3]:
        ev.assign_facilitator(session, event, member, now - timedelta(days=29))
    for day in range(1, 8):
        moment = now - timedelta(days=day)
        for platform, uid in accounts[:3]:
            ev.record_message(session, bound, event, platform, uid, moment - timedelta(days=7))
        for member, (platform, _) in zip(people, accounts, strict=False):
            engagement.record(session, "qr_scan", moment, platform="web", space="touchpoint:boshi-techo", detail="ios")
            childcare.record_push(
                session, "boshi-techo", moment, platform=platform, how="direct", member_public_id=member.public_id
            )
    for i, (member, (platform, _)) in enumerate(zip(people, accounts, strict=False)):
        board.join(session, member, platform, f"ニック{i}", "fan", now - timedelta(days=6))
    thread = board.open_thread(session, cfg, people[0], cfg.categories[0], "おすすめの店", now - timedelta(days=5))
    for member, (platform, _) in zip(people, accounts, strict=False):
        board.add_post(session, cfg, member, thread.id, "こんにちは", now - timedelta(days=4), platform)
    members.grant(session, people[2].id, members.STAFF, now)


def _assert_no_ids(where: str, text: str) -> None:
    found = [uid for uid in PLATFORM_IDS if uid.lower() in text.lower()]
    assert found == [], f"{where} contains platform ids {found}"


async def test_digest_kpi_exports_and_dashboard_never_contain_platform_ids(make_line_bot):
    bot = await make_line_bot(STAFF_API_TOKEN="staff-token")
    settings = bot.settings
    now = datetime.now(settings.tz)
    await bot.db.run(_activity, settings, now)
    with bot.db.session() as session:
        # The activity is there (the exports below are not empty), under those ids.
        assert members.find_member(session, "line", LINE_IDS[0]) is not None
        weekly = digest.build(session, settings.site, now)
    assert "秋祭り" in weekly.text or "おすすめの店" in weekly.text
    _assert_no_ids("the weekly digest", weekly.text)

    auth = {"Authorization": "Bearer staff-token"}
    exports = {}
    for path in ("/api/kpi", "/api/kpi.csv", "/dashboard", "/dashboard/kpi.csv"):
        response = await bot.get(path, headers=auth)
        assert response.status == 200, path
        exports[path] = (await response.read()).decode("utf-8-sig")
        _assert_no_ids(path, exports[path])
    assert json.loads(exports["/api/kpi"])["kpis"]["participants"]["value"] > 0

    # /digest from a staff member on LINE: the reply is the digest, without ids.
    await bot.admin(LINE_IDS[2])
    event = lp.text_event("/digest", LINE_IDS[2])
    await bot.post(event)
    await bot.settle()
    replies = bot.fake.reply_texts(event["replyToken"])
    assert replies and "週間レポート" in replies[0]
    for text in replies:
        _assert_no_ids("the /digest reply", text)
