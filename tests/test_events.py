"""Events with a community space: the LINE flow through the console and the signed webhook, the jobs, the figures."""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.console import ConsoleChat
from bot.queues.inbox import Dispatcher
from bot.queues.outbox import OutboxWriter
from community import event_jobs, members
from community import events as ev
from community.messages import (
    GROUP,
    LEAVE,
    MEMBER_JOINED,
    MEMBER_LEFT,
    MESSAGE,
    POSTBACK,
    SPACE_CREATED,
    ArchiveSpace,
    CreateSpace,
    Inbound,
    Place,
    Postbox,
    SpaceAccess,
)
from community.privacy import Forget
from community.problems import Problem
from community.spaces import get_or_create_space
from community.texts import has, t
from handlers.context import Context
from handlers.events import FEATURE
from handlers.events.rsvp import join_button, join_command
from handlers.events.status import event_status
from handlers.features import all_jobs, build_router
from handlers.router import Router
from scheduler.runner import run_job
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Engagement, Member, OutboxMessage
from storage.models.events import Event, EventSpace, EventSpaceMember, FacilitatorOptOut
from tests import line_payloads as lp

TOKYO = ZoneInfo("Asia/Tokyo")
INVITE = "https://line.me/ti/g2/AbCdEf123_-x?utm_source=invitation&utm_medium=link_copy"


def future(days: int = 10, hour: int = 14) -> str:
    moment = (datetime.now(TOKYO) + timedelta(days=days)).replace(hour=hour, minute=0)
    return moment.strftime("%Y-%m-%d %H:%M")


def code_in(text: str) -> str:
    match = re.search(r"イベントコード: ([2-9A-HJ-NP-Z]{6})", text)
    assert match, text
    return match.group(1)


def bind_code_in(text: str) -> str:
    """The secret bind code the organizer is given (10 characters: never taken for the public code)."""
    match = re.search(r"/event bind ([2-9A-HJ-NP-Z]{10})", text)
    assert match, text
    return match.group(1)


def job(name: str):
    return next(j for j in all_jobs() if j.name == name)


@pytest.fixture
async def people(make_settings):
    """Console chats on one database: staff (1:1), the facilitator's group, an attendee (1:1)."""
    settings = make_settings()
    chats = {
        "staff": ConsoleChat(settings, user="sato", staff=True),
        "group": ConsoleChat(settings, user="taro", group="秋祭りの会"),
        "attendee": ConsoleChat(settings, user="hanako"),
    }
    await chats["staff"].start()  # migrates before the others start
    await chats["attendee"].start()
    yield chats
    for chat in chats.values():
        await chat.stop()


async def create_event(
    staff: ConsoleChat, title: str = "秋の交流会", place: str = "四季文化館みの〜れ 大ホール", days: int = 10
) -> str:
    code, _ = await create_event_with_bind_code(staff, title, place, days)
    return code


async def create_event_with_bind_code(
    staff: ConsoleChat, title: str = "秋の交流会", place: str = "四季文化館みの〜れ 大ホール", days: int = 10
) -> tuple[str, str]:
    [answer] = await staff.say(f"/event new {title} | {future(days)} | {place}")
    return code_in(answer), bind_code_in(answer)


async def bound_group(people, **kwargs) -> str:
    """The event, its group bound by taro (who becomes its facilitator: nobody was named before)."""
    code, bind = await create_event_with_bind_code(people["staff"], **kwargs)
    await people["group"].start()  # the bot is invited: join
    guide, answer = await people["group"].say(f"/event bind {bind}")
    assert "交流グループにしました" in answer and "あなたがこのグループの世話人になりました" in answer
    assert "世話人になりました" in guide and bind in guide  # 1:1 to taro
    assert [target for _, target, _ in people["group"].said[-2:]] == ["taro", "秋祭りの会"]
    return code


def member_of(chat: ConsoleChat, user: str, platform: str = "console") -> Member:
    with chat.runtime.db.session() as session:
        member = members.find_member(session, platform, user)
    assert member is not None, user
    return member


def rows(chat: ConsoleChat, model, *where):
    with chat.runtime.db.session() as session:
        return list(session.exec(select(model).where(*where)))


async def run(chat: ConsoleChat, name: str, at: datetime) -> tuple[str, list[tuple[str, str, str]]]:
    start = len(chat.said)
    detail = await chat.runtime.db.run(run_job, job(name), chat.settings.site, at, OutboxWriter().write)
    await chat.runtime.sender.drain()
    return detail, chat.said[start:]


# ---- creating an event --------------------------------------------------------------------------------------------


async def test_staff_creates_event_with_readable_code_and_next_steps(people):
    [answer] = await people["staff"].say(f"/event new 秋の交流会 | {future()} | 四季文化館みの〜れ")
    code, bind = code_in(answer), bind_code_in(answer)
    assert len(code) == 6 and not set(code) & set("01OI") and len(bind) == 10 and not set(bind) & set("01OI")
    assert f"/event bind {bind}" in answer and "/event facilitator" in answer and f"/join {code}" in answer
    assert f"/event bind {code}" not in answer and "LINEグループを作って" in answer
    [event] = rows(people["staff"], Event)
    assert event.code == code and event.venue == "minore" and event.starts_at.tzinfo is not None


@pytest.mark.parametrize(
    "args, expected",
    [
        ("秋の交流会 | 2026-12-05 14:00", "「|」で区切って"),
        ("秋の交流会 |  | みの〜れ", "「|」で区切って"),
        ("秋の交流会 | 来週の土曜 | みの〜れ", "日時「来週の土曜」が読めません"),
        ("秋の交流会 | 2020-01-01 10:00 | みの〜れ", "もう過ぎています"),
    ],
)
async def test_event_new_bad_input_gets_one_japanese_line_and_creates_nothing(people, args, expected):
    [answer] = await people["staff"].say(f"/event new {args}")
    assert expected in answer and "使い方: /event new" in answer
    assert rows(people["staff"], Event) == []


async def test_full_width_separators_and_digits_are_understood(people):
    when = future().translate(str.maketrans("0123456789-: ", "０１２３４５６７８９－：　"))
    [answer] = await people["staff"].say(f"/event new 交流会｜{when}｜アピオス")
    code_in(answer)
    assert rows(people["staff"], Event)[0].venue == "apios"


async def test_residents_cannot_create_events_and_staff_must_use_1_to_1(people):
    [answer] = await people["attendee"].say(f"/event new 交流会 | {future()} | 公民館")
    assert "主催者・市の職員だけ" in answer
    await people["group"].start()
    await members_make_staff(people["group"], "taro")
    [answer] = await people["group"].say(f"/event new 交流会 | {future()} | 公民館")
    assert "1:1トーク" in answer
    assert rows(people["staff"], Event) == []


async def members_make_staff(chat: ConsoleChat, user: str) -> None:
    from storage.db import utcnow

    await chat.runtime.db.run(members.ensure_admins, "console", (user,), utcnow())


async def test_staff_names_an_organizer_who_can_create_but_not_close_others_events(people):
    [my_id] = await people["attendee"].say("/event id")
    public_id = re.search(r"m-[a-z0-9]{10}", my_id).group()
    staff_code = await create_event(people["staff"])
    said = await people["staff"].say(f"/organizer {public_id}")
    assert any("主催者にしました" in s for s in said)
    assert any("/event new" in text for method, target, text in people["staff"].said if target == "hanako")
    [answer] = await people["attendee"].say(f"/event new 親子の会 | {future(5)} | 公民館")
    own_code = code_in(answer)
    [answer] = await people["attendee"].say(f"/event close {staff_code}")
    assert "主催者だけ" in answer
    [answer] = await people["attendee"].say(f"/event close {own_code}")
    assert answer == "イベント「親子の会」を終了しました。"
    [answer] = await people["staff"].say("/organizer m-nobody0000")
    assert "見つかりません" in answer


async def test_organizer_command_is_in_help_for_staff_only(people):
    [staff_help] = await people["staff"].say("/help")
    [resident_help] = await people["attendee"].say("/help")
    assert "/organizer" in staff_help and "/event new" in staff_help
    assert "/organizer" not in resident_help and "/join" in resident_help


# ---- binding a group ----------------------------------------------------------------------------------------------


async def test_bind_wrong_code_duplicate_bind_and_wrong_place(people):
    first, first_bind = await create_event_with_bind_code(people["staff"])
    second, second_bind = await create_event_with_bind_code(people["staff"], title="冬の会")
    group = people["group"]
    await group.start()
    [greeting] = group.said[-1:]
    assert "「秋祭りの会」に招待ありがとうございます" in greeting[2]
    [answer] = await group.say("/event bind ABCDE")
    assert "登録用コード「ABCDE」が見つかりません" in answer
    [answer] = await group.say(f"/event bind {first}")  # the public code binds nothing, and says so
    assert f"「{first}」は参加用のイベントコードです" in answer
    assert rows(people["staff"], EventSpace) == []
    _, answer = await group.say(f"/event bind {first_bind.lower()}")  # lower case is fine (taro gets the guide)
    assert "秋の交流会" in answer
    [answer] = await group.say(f"/event bind {second_bind}")
    assert "すでにイベント「秋の交流会」" in answer
    [answer] = await people["attendee"].say(f"/event bind {first_bind}")
    assert "グループの中で送ってください" in answer
    [bound] = rows(people["staff"], EventSpace)
    assert bound.event_id == rows(people["staff"], Event, Event.code == first)[0].id
    assert second


# ---- facilitators ---------------------------------------------------------------------------------------------------


async def test_facilitator_by_mention_gets_a_1_to_1_guide(people):
    code = await bound_group(people)
    group = people["group"]
    # saburo is nobody: no such command for him
    said = await group.say("/event facilitator @jiro", as_user="saburo", mentions=("jiro",))
    assert said == ["「/event facilitator」は世話人・主催者・市の職員だけが使えるコマンドです。"]
    assert rows(group, Member, Member.display_name == "jiro") == []  # refused before anything was done
    said = await group.say("/event facilitator @jiro", mentions=("jiro",))  # taro facilitates since he bound
    assert "jiro さんを「秋の交流会」の世話人にしました。" in said
    guide = [text for method, target, text in group.said if target == "jiro"]
    assert len(guide) == 1 and "世話人になりました" in guide[0] and f"/event facilitator stop {code}" in guide[0]
    # a current facilitator may name another one; naming twice says so
    said = await group.say("/event facilitator @ken @jiro", as_user="jiro", mentions=("ken", "jiro"))
    assert any("ken さん" in s for s in said) and any("jiro さんはすでに世話人" in s for s in said)


async def test_facilitator_in_1_to_1_by_public_id_and_errors(people):
    code = await bound_group(people)
    [my_id] = await people["attendee"].say("/event id")
    public_id = re.search(r"m-[a-z0-9]{10}", my_id).group()
    [answer] = await people["staff"].say(f"/event facilitator {code}")
    assert "公開ID" in answer
    said = await people["staff"].say(f"/event facilitator {code} {public_id}")
    assert f"{public_id} さんを「秋の交流会」の世話人にしました。" in said
    assert any("世話人になりました" in text for _, target, text in people["staff"].said if target == "hanako")
    with people["staff"].runtime.db.session() as session:
        hanako = session.exec(select(Member).where(Member.public_id == public_id)).one()
        assert members.has_role(session, hanako.id, members.FACILITATOR, code)
    # hanako now facilitates: in the group, a name without a mention attached is explained
    [answer] = await people["group"].say("/event facilitator @jiro", as_user="hanako")
    assert "/event facilitator @名前" in answer


# ---- invite link and /join ------------------------------------------------------------------------------------------


async def test_invite_link_is_checked_and_join_sends_card_and_link(people):
    code = await bound_group(people)
    group = people["group"]  # taro facilitates: he bound the group
    card, pending = await people["attendee"].say(f"/join {code}")
    assert card.startswith("秋の交流会") and "参加登録しました" in pending and "まだ準備中" in pending
    [answer] = await group.say("/event invite https://example.com/join")
    assert "LINEグループの招待リンク" in answer
    [answer] = await group.say(f"/event invite {INVITE}")
    assert "招待リンクを登録しました" in answer
    card, link = await people["attendee"].say(f"/join {code}")
    assert card.startswith("秋の交流会") and "場所: 四季文化館みの〜れ 大ホール" in card and INVITE in card
    assert link.splitlines()[:2] == ["「秋の交流会」にはもう参加登録しています。", f"参加用リンク: {INVITE}"]
    [answer] = await people["attendee"].say("/join ZZZZZZ")
    assert "見つかりません" in answer
    [answer] = await people["attendee"].say("/event list")
    assert code in answer and "秋の交流会" in answer


async def test_invite_from_someone_without_a_role_is_refused(people):
    await bound_group(people)
    [answer] = await people["group"].say(f"/event invite {INVITE}", as_user="stranger")
    assert answer == "「/event invite」は世話人・主催者・市の職員だけが使えるコマンドです。"
    assert rows(people["staff"], Event)[0].invite_url is None


# ---- engagement, membership, status ---------------------------------------------------------------------------------


async def test_messages_are_counted_not_stored_and_status_shows_them(people):
    code = await bound_group(people)
    group = people["group"]
    assert await group.say("こんにちは！", as_user="jiro") == []  # plain chat is not answered
    await group.say("楽しかったです", as_user="ken")
    logged = rows(group, Engagement, Engagement.kind == "event_message")
    assert len(logged) == 2
    assert {e.space for e in logged} == {f"event:{code}"}
    assert all(e.member.startswith("m-") and e.detail == "" for e in logged)  # pseudonymous, no text
    [answer] = await people["staff"].say(f"/event status {code}")
    assert "今週のメッセージ2件" in answer and "メンバー3人" in answer  # taro (bound), jiro, ken
    assert (
        f"世話人: {member_of(group, 'taro').public_id}" in answer and "jiro" not in answer
    )  # taro bound it: he facilitates


async def test_member_joined_and_left_and_bot_removed_show_in_status(people):
    code = await bound_group(people)
    group = people["group"]
    await send_raw(group, MEMBER_JOINED, member_ids=("a1", "a2"))
    await send_raw(group, MEMBER_LEFT, member_ids=("a1",))
    joined = rows(group, Engagement, Engagement.kind == "member_joined")
    assert len(joined) == 2 and all(e.space == f"event:{code}" for e in joined)
    await send_raw(group, LEAVE)
    [answer] = await people["staff"].say(f"/event status {code}")
    assert "メンバー2人" in answer  # taro and a2
    assert "ボットがグループから退出しました" in answer


async def send_raw(chat: ConsoleChat, kind: str, member_ids: tuple[str, ...] = ()) -> None:
    """A group event the console has no shortcut for (member_joined / member_left / leave)."""
    import uuid

    from bot.queues.inbox import store_events
    from storage.db import utcnow

    inbound = Inbound(
        platform="console",
        kind=kind,
        place=chat.place,
        occurred_at=datetime.now(UTC),
        member_ids=member_ids,
        place_name=chat.group,
    )
    await chat.runtime.db.run(store_events, "console", [(uuid.uuid4().hex, kind, False, inbound.to_json())], utcnow())
    await chat.runtime.worker.drain()
    await chat.runtime.sender.drain()


async def test_status_is_only_for_managers_and_needs_a_code_in_1_to_1(people):
    await bound_group(people)
    [answer] = await people["attendee"].say("/event status")
    assert "だけが使えるコマンド" in answer
    [answer] = await people["staff"].say("/event status")
    assert "/event status コード" in answer
    await members_make_staff(people["group"], "taro")
    [answer] = await people["group"].say("/event status")  # in the group: its event
    assert "秋の交流会" in answer


# ---- quiet groups ---------------------------------------------------------------------------------------------------


async def test_quiet_groups_nudges_facilitator_rotates_starters_and_respects_opt_out(people):
    code = await bound_group(people)
    group = people["group"]
    await members_make_staff(group, "taro")
    [answer] = await group.say("/event facilitator stop")  # taro facilitates (he bound it) but wants no nudges
    assert "案内を止めました" in answer
    await group.say("/event facilitator @jiro", mentions=("jiro",))
    await group.say("最初のあいさつ", as_user="jiro")
    now = datetime.now(TOKYO)
    starters = group.settings.city.events.conversation_starters

    detail, sent = await run(group, "quiet-groups", now + timedelta(days=3))
    assert sent == [] and "世話人 0人に声かけを送りました" in detail  # not quiet yet

    detail, sent = await run(group, "quiet-groups", now + timedelta(days=8))
    assert detail.startswith("世話人 1人に声かけを送りました")
    assert [(m, target) for m, target, _ in sent] == [("push", "jiro")]
    assert starters[0] in sent[0][2] and "静か" in sent[0][2]

    _, sent = await run(group, "quiet-groups", now + timedelta(days=9))
    assert sent == []  # nudged once per quiet period, not daily

    _, sent = await run(group, "quiet-groups", now + timedelta(days=16))
    assert len(sent) == 1 and starters[1] in sent[0][2]  # the next conversation starter

    [answer] = await group.say("/event facilitator stop", as_user="jiro")
    assert "案内を止めました" in answer
    _, sent = await run(group, "quiet-groups", now + timedelta(days=30))
    # jiro opted out: nobody to nudge, so staff hear about it (1:1 to staff: sato and taro)
    assert {target for _, target, _ in sent} == {"sato", "taro"}
    assert all(code in text and "世話人のいない" in text for _, _, text in sent)
    [status] = await people["staff"].say(f"/event status {code}")
    assert "jiro (案内停止中)" in status


async def test_quiet_space_without_facilitator_is_reported_to_the_staff_space(people, make_settings):
    code = await bound_group(people)
    await people["group"].say("/event facilitator stop")  # the only facilitator (taro, who bound it) opts out
    staff_room = ConsoleChat(people["staff"].settings, user="sato", group="職員室")
    await staff_room.start()
    try:
        [answer] = await staff_room.say("/staff here")
        assert "職員" in answer
        _, sent = await run(staff_room, "quiet-groups", datetime.now(TOKYO) + timedelta(days=8))
        assert [(m, target) for m, target, _ in sent] == [("push", "職員室")]
        assert code in sent[0][2]
    finally:
        await staff_room.stop()


# ---- closing, after the event ---------------------------------------------------------------------------------------


async def test_after_event_posts_venue_tips_once_after_the_end(people):
    code = await bound_group(people, days=2)
    group = people["group"]
    event = rows(group, Event)[0]
    start = event.starts_at.astimezone(TOKYO)
    detail, sent = await run(group, "after-event", start + timedelta(hours=1))
    assert sent == [] and detail == "イベント後のおすすめを 0か所に投稿しました"  # still going
    detail, sent = await run(group, "after-event", start + timedelta(hours=4))
    assert detail == "イベント後のおすすめを 1か所に投稿しました"
    assert len(sent) == 1 and sent[0][1] == "秋祭りの会"
    assert "希望ヶ丘公園" in sent[0][2] and "ドリンク50円引き" in sent[0][2]
    _, sent = await run(group, "after-event", start + timedelta(hours=30))
    assert sent == []  # once
    [answer] = await people["staff"].say(f"/event close {code}")
    assert "終了しました" in answer
    [answer] = await people["staff"].say(f"/event close {code}")
    assert "すでに終了" in answer
    [answer] = await people["attendee"].say(f"/join {code}")
    assert "終了しています" in answer


# ---- Discord: neutral CreateSpace / ArchiveSpace, SPACE_CREATED, join buttons ---------------------------------------


@pytest.fixture
def domain(make_settings):
    """The router on a migrated database with Discord switched on in settings (no Discord client runs)."""
    settings = make_settings(DISCORD_BOT_TOKEN="token-not-used")
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    router = build_router()

    def send(inbound: Inbound):
        return db.call(Dispatcher(router, settings.site, OutboxWriter()).handle, inbound)

    yield db, send
    db.close()


def inbound(kind: str, place: Place, sender: str | None = "u1", **fields) -> Inbound:
    return Inbound(
        platform=place.platform, kind=kind, place=place, occurred_at=datetime.now(UTC), sender_id=sender, **fields
    )


def test_discord_space_is_requested_bound_counted_and_archived(domain):
    db, send = domain
    dm = Place("discord", "user", "d-staff")
    channel = Place("discord", "channel", "c-1")
    from storage.db import utcnow

    db.call(members.ensure_admins, "discord", ("d-staff",), utcnow())
    box = send(inbound(MESSAGE, dm, "d-staff", text=f"/event new 交流会 | {future()} | アピオス"))
    [create] = [item for item in box.items if item.platform == "discord" and item.target == "events"]
    [request] = create.messages
    assert isinstance(request, CreateSpace) and request.title == "交流会" and request.location == "アピオス"
    code = request.event_code
    assert datetime.fromisoformat(request.starts_at).tzinfo is not None

    box = send(inbound(SPACE_CREATED, channel, None, text=code, place_name="交流会"))
    [welcome] = [item for item in box.items if item.target == "c-1"]
    assert "交流の場" in welcome.messages[0].text
    # the channel is private: its organizer (also staff) is let in at once
    let_in = [m for item in box.items for m in item.messages if isinstance(m, SpaceAccess)]
    assert let_in == [SpaceAccess(code, "c-1", "d-staff", allow=True, manage=False)]
    box = send(inbound(SPACE_CREATED, channel, None, text=code))  # reported twice: still one binding
    assert box.items == []
    send(inbound(MESSAGE, channel, "d-user", text="よろしく"))

    box = send(inbound(POSTBACK, channel, "d-user", postback_data=f"event-join:{code}"))
    [card, status] = next(item for item in box.items if item.target == "c-1").messages
    assert card.title == "交流会" and "参加登録しました" in status.text and "チャンネルが見られる" in status.text
    assert [m for item in box.items for m in item.messages if isinstance(m, SpaceAccess)] == [
        SpaceAccess(code, "c-1", "d-user", allow=True)
    ]

    box = send(inbound(MESSAGE, dm, "d-staff", text=f"/event close {code}"))
    archive = [m for item in box.items for m in item.messages if isinstance(m, ArchiveSpace)]
    assert archive == [ArchiveSpace(event_code=code, space_id="c-1")]
    with db.session() as session:
        assert len(session.exec(select(EventSpace)).all()) == 1
        figures = ev.event_space_figures(
            session, datetime.now(UTC) - timedelta(days=1), datetime.now(UTC) + timedelta(minutes=1)
        )
    assert figures == {"event_spaces": 1, "event_spaces_with_active_facilitator": 0}


def test_event_space_figures_and_quiet_spaces(domain):
    db, send = domain
    from storage.db import utcnow

    db.call(members.ensure_admins, "line", ("U-staff",), utcnow())
    dm = Place("line", "user", "U-staff")

    def new_event(title: str) -> tuple[str, str]:
        box = send(inbound(MESSAGE, dm, "U-staff", text=f"/event new {title} | {future()} | 公民館"))
        [reply] = [item for item in box.items if item.platform == "line"]
        return code_in(reply.messages[0].text), bind_code_in(reply.messages[0].text)

    (code, bind), (code_b, bind_b) = new_event("交流会"), new_event("別の会")
    group_a, group_b = Place("line", GROUP, "C-a"), Place("line", GROUP, "C-b")
    send(inbound(MESSAGE, group_a, "U-fac", text=f"/event bind {bind}"))  # U-fac facilitates both: they bound them
    send(inbound(MESSAGE, group_b, "U-fac", text=f"/event bind {bind_b}"))
    send(inbound(MESSAGE, dm, "U-staff", text="/event id"))
    with db.session() as session:
        fac = members.find_member(session, "line", "U-fac")
    send(inbound(MESSAGE, dm, "U-staff", text=f"/event facilitator {code} {fac.public_id}"))
    send(inbound(MESSAGE, dm, "U-staff", text=f"/event facilitator {code_b} {fac.public_id}"))
    send(inbound(MESSAGE, group_a, "U-fac", text="写真です"))
    send(inbound(MESSAGE, group_b, "U-other", text="どうも"))
    now = datetime.now(UTC)
    with db.session() as session:
        figures = ev.event_space_figures(session, now - timedelta(hours=1), now + timedelta(minutes=1))
        later = ev.event_space_figures(session, now + timedelta(days=1), now + timedelta(days=2))
        before = ev.event_space_figures(session, now - timedelta(days=2), now - timedelta(days=1))
        quiet_now = ev.quiet_spaces(session, now, 7)
        quiet_later = ev.quiet_spaces(session, now + timedelta(days=8), 7)
    assert figures == {"event_spaces": 2, "event_spaces_with_active_facilitator": 1}
    assert later == {"event_spaces": 2, "event_spaces_with_active_facilitator": 0}
    assert before == {"event_spaces": 0, "event_spaces_with_active_facilitator": 0}
    assert quiet_now == []
    assert sorted(q.event_code for q in quiet_later) == sorted([code, code_b])
    assert all(q.quiet_days == 8 and q.facilitators == (fac.public_id,) for q in quiet_later)
    assert not any("U-" in repr(q) for q in quiet_later)  # no platform ids for the digest


def test_invite_url_shapes():
    assert ev.valid_invite_url("https://line.me/R/ti/g/AbC123xyz")
    assert ev.valid_invite_url(INVITE)
    for bad in (
        "http://line.me/R/ti/g/abc",
        "https://line.me/R/ti/p/@bot",
        "https://evil.example/ti/g2/x",
        "https://line.me/ti/g2/",
        "https://line.me/ti/g2/abc def",
    ):
        assert not ev.valid_invite_url(bad), bad


def test_codes_avoid_look_alikes_and_normalise():
    assert ev.normalise_code(" k7p-9qx ") == "K7P9QX"
    assert ev.normalise_code("ＫＹＰ９ＱＸ") == "KYP9QX"
    assert ev.normalise_code("K0P9QX") is None and ev.normalise_code("K7P9Q") is None
    assert set(ev.CODE_ALPHABET).isdisjoint("01OI")


# ---- the whole LINE story through the signed webhook and the fake LINE API ------------------------------------------


async def test_line_story_through_the_webhook(line_bot, fake_line):
    staff, fac, attendee = lp.user_id("staff"), lp.user_id("facilitator"), lp.user_id("attendee")
    group = lp.group_id("秋祭り")
    fake_line.set_group_summary(group, "秋祭りの会")
    await line_bot.admin(staff)

    async def post(event: dict) -> None:
        response = await line_bot.post(event)
        assert response.status == 200
        await line_bot.settle()

    # 1. staff creates the event 1:1
    await post(lp.text_event(f"/event new 秋の交流会 | {future()} | 四季文化館みの〜れ", staff))
    code, bind = code_in(fake_line.texts()[-1]), bind_code_in(fake_line.texts()[-1])
    # 2. the bot joins the group (greeting uses the group summary); staff bind it naming the facilitator by a LINE
    # mention, who is told 1:1 what a facilitator does (staff, who named someone, do not become one)
    await post(lp.join_event(group))
    assert "「秋祭りの会」に招待ありがとうございます" in fake_line.texts()[-1]
    await post(lp.follow_event(fac))
    await post(lp.text_event(f"/event bind {bind}", staff, group, mentions=[fac]))
    answer = fake_line.replies()[-1]["messages"][0]["text"]
    assert "交流グループにしました" in answer and "世話人にしました" in answer and "/event invite" in answer
    [guide] = [m["text"] for p in fake_line.pushes(to=fac) for m in p["messages"]]
    assert "世話人になりました" in guide and bind in guide
    # 3. naming them again says so
    await post(lp.text_event("/event facilitator", staff, group, mentions=[fac]))
    assert "すでに世話人" in fake_line.replies()[-1]["messages"][0]["text"]
    # 4. the invite link is stored; an attendee joins by code and gets the card and the link
    await post(lp.text_event(f"/event invite {INVITE}", fac, group))
    assert "招待リンクを登録しました" in fake_line.texts()[-1]
    await post(lp.text_event(f"/join {code.lower()}", attendee))
    reply = fake_line.replies()[-1]["messages"]
    assert reply[0]["type"] == "flex" and reply[0]["altText"] == "秋の交流会"
    assert any(node.get("uri") == INVITE for node in _walk(reply[0]))
    assert reply[1]["text"].splitlines()[:2] == [
        "「秋の交流会」に参加登録しました。前日にお知らせが届きます。",
        f"参加用リンク: {INVITE}",
    ]
    # messages in the group are counted (not stored), members joining are recorded
    await post(lp.member_joined_event(group, [attendee]))
    await post(lp.text_event("よろしくお願いします", attendee, group))
    await post(lp.image_event(fac, group))
    with line_bot.db.session() as session:
        logged = session.exec(select(Engagement).where(Engagement.kind == "event_message")).all()
        outbox_text = " ".join(o.messages for o in session.exec(select(OutboxMessage)).all())
    assert len(logged) == 2 and {e.space for e in logged} == {f"event:{code}"}
    assert "よろしくお願いします" not in " ".join(f"{e.member}{e.detail}" for e in logged)
    assert attendee not in outbox_text and fac not in outbox_text  # platform ids only in targets, not texts
    await post(lp.text_event(f"/event status {code}", staff))
    status = fake_line.texts()[-1]
    assert "今週のメッセージ2件" in status and "メンバー" in status and fac not in status
    # the quiet-groups job nudges the facilitator 1:1 a week later
    pushes_before = len(fake_line.pushes(to=fac))
    detail = await line_bot.db.run(
        run_job,
        job("quiet-groups"),
        line_bot.settings.site,
        datetime.now(TOKYO) + timedelta(days=8),
        OutboxWriter().write,
    )
    await line_bot.settle()
    assert "世話人 1人に声かけを送りました" in detail
    [nudge] = fake_line.pushes(to=fac)[pushes_before:]
    assert "静か" in nudge["messages"][0]["text"]


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


# ---- the slice: module-level handlers, the join-button route, one Problem type, languages, jobs, erase ----------


@pytest.fixture
def world(make_settings):
    """A migrated database, the city's Site and a staff member and a resident, for calling handlers directly."""
    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    with db.session() as session:
        now = datetime.now(TOKYO)
        staff = members.get_or_create_member(session, "console", "sato", now)
        members.grant(session, staff.id, members.STAFF, now)
        resident = members.get_or_create_member(session, "console", "hanako", now)
        event = ev.create_event(
            session,
            settings.city,
            title="秋の交流会",
            starts_at=now + timedelta(days=3),
            location="四季文化館みの〜れ",
            organizer_id=staff.id,
            now=now,
        )
        yield Slice(session, settings.site, now, staff, resident, event)
    db.close()


@dataclasses.dataclass
class Slice:
    session: object
    site: object
    now: datetime
    staff: Member
    resident: Member
    event: Event

    def context(
        self, member: Member, text: str = "", *, kind: str = MESSAGE, group: str | None = None, **fields
    ) -> Context:
        place = Place("console", GROUP, group) if group else Place("console", "user", "hanako")
        inbound = Inbound(
            platform="console",
            kind=kind,
            place=place,
            occurred_at=datetime.now(UTC),
            sender_id="hanako",
            text=text or None,
            **fields,
        )
        roles = members.roles_of(self.session, member.id)
        return Context(session=self.session, site=self.site, inbound=inbound, now=self.now, member=member, roles=roles)


def replies(ctx) -> list:
    return [m for item in ctx.postbox.items for m in item.messages]


def test_join_handler_called_directly_answers_in_the_members_language(world):
    ctx = world.context(world.resident, f"/join {world.event.code}")
    ctx.args = world.event.code
    join_command(ctx)
    card, registered = replies(ctx)
    assert card.title == "秋の交流会" and card.text.startswith("日時: ") and "年" in card.text
    assert registered.text.splitlines() == [
        "「秋の交流会」に参加登録しました。前日にお知らせが届きます。",
        f"行けなくなったら「/event cancel {world.event.code}」と送ってください。",
    ]  # no group yet: nothing said of one

    space = get_or_create_space(world.session, Place("console", GROUP, "autumn"), world.now, name="autumn")
    ev.bind_space(world.session, world.event, space, world.now)  # a group, but no invite link stored yet
    world.resident.lang = "en"
    ctx = world.context(world.resident)
    ctx.args = world.event.code.lower()
    join_command(ctx)
    card, pending = replies(ctx)
    local = world.event.starts_at.astimezone(TOKYO)
    assert card.text == f"When: {local:%a %Y-%m-%d %H:%M}\nWhere: 四季文化館みの〜れ"
    assert pending.text.splitlines() == [
        'You are already registered for "秋の交流会".',
        f'The group link is not ready yet. Send "/join {world.event.code}" again later.',
        f'If you cannot come, send "/event cancel {world.event.code}".',
    ]


def test_join_button_is_a_postback_route_and_a_bad_code_is_a_problem_in_the_members_language(world):
    assert [route.pattern for route in FEATURE.chat.postbacks] == ["event-join:{code}"]
    router = Router([FEATURE.chat])
    ctx = world.context(world.resident, kind=POSTBACK, postback_data=f"event-join:{world.event.code}")
    assert router.dispatch_postback(ctx, f"event-join:{world.event.code}")
    assert replies(ctx)[0].title == "秋の交流会"

    world.resident.lang = "en"
    ctx = world.context(world.resident, kind=POSTBACK)
    assert router.dispatch_postback(ctx, "event-join:ZZZZZZ")
    [answer] = replies(ctx)
    assert answer.text == 'No event has the code "ZZZZZZ". Please check the code.'
    with pytest.raises(Problem) as raised:
        join_button(world.context(world.resident), "ZZZZZZ")
    assert (raised.value.key, raised.value.values) == ("event.no_such_code", {"code": "ZZZZZZ"})


def test_domain_raises_the_one_problem_type():
    with pytest.raises(Problem) as raised:
        ev.parse_when("next saturday", TOKYO, datetime.now(TOKYO))
    assert raised.value.key == "event.bad_date" and raised.value.text("en").startswith("Cannot read the date")
    with pytest.raises(Problem) as raised:
        ev.parse_when("2020-01-01 10:00", TOKYO, datetime.now(TOKYO))
    assert raised.value.key == "event.past_date"
    assert not hasattr(ev, "EventProblem")


def test_commands_take_summary_and_usage_from_the_catalogue():
    assert {c.name for c in FEATURE.chat.commands} == {
        "organizer",
        "event new",
        "event bind",
        "event unbind",
        "event cancel",
        "event capacity",
        "event news",
        "checkin",
        "event facilitator",
        "event invite",
        "join",
        "event list",
        "event status",
        "event close",
        "event id",
    }
    for command in FEATURE.chat.commands:
        assert has(f"cmd.{command.name}") and has(f"usage.{command.name}"), command.name
        assert command.summary == (t("ja", f"cmd.{command.name}"), t("en", f"cmd.{command.name}"))
        assert command.usage == t("ja", f"usage.{command.name}") and command.feature == "events"


async def test_english_member_gets_english_answers_and_others_get_their_own_language(people):
    staff, attendee = people["staff"], people["attendee"]
    await staff.say("/lang en")
    [answer] = await staff.say("/event new Autumn meetup | next saturday | Apios")
    assert answer.startswith('Cannot read the date "next saturday"') and "Usage: /event new" in answer
    [answer] = await staff.say(f"/event new Autumn meetup | {future()} | Apios")
    code = re.search(r"Event code: ([2-9A-HJ-NP-Z]{6})", answer).group(1)
    assert re.search(r"When: (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d\d-\d\d 14:00", answer)
    [answer] = await staff.say("/event list")
    assert re.search(rf"^- {code}  \w{{3}} \d{{4}}-\d\d-\d\d 14:00  Autumn meetup @Apios$", answer, re.M)
    assert answer.startswith("Upcoming events:")
    [my_id] = await attendee.say("/event id")
    public_id = re.search(r"m-[a-z0-9]{10}", my_id).group()
    said = await staff.say(f"/event facilitator {code} {public_id}")
    assert f'{public_id} now facilitate "Autumn meetup".' in said
    [guide] = [text for _, target, text in staff.said if target == "hanako"]
    assert "世話人になりました" in guide  # hanako reads Japanese: the push is in her language
    [answer] = await staff.say(f"/event status {code}")
    assert f"Facilitators: {public_id}" in answer and "Groups: none yet" in answer


def test_jobs_are_domain_functions_and_nudge_each_facilitator_in_their_language(world):
    assert [(j.name, j.cron) for j in FEATURE.jobs] == [
        ("quiet-groups", {"hour": "10", "minute": "30"}),
        ("after-event", {"hour": "18", "minute": "0"}),
        ("event-reminders", {"hour": "18", "minute": "0"}),
    ]
    session, now = world.session, world.now
    space = get_or_create_space(session, Place("console", GROUP, "autumn"), now, name="autumn")
    ev.bind_space(session, world.event, space, now)
    world.resident.lang = "en"
    ev.assign_facilitator(session, world.event, world.resident, now)
    postbox = Postbox()
    detail = event_jobs.quiet_groups(session, world.site, now + timedelta(days=8), postbox)
    assert detail == "世話人 1人に声かけを送りました。世話人のいない静かなグループ 0件を職員に知らせました"
    [item] = postbox.items
    assert item.target == "hanako" and item.messages[0].text.startswith('"autumn" (event "秋の交流会") has been quiet')

    ev.opt_out(session, world.event, world.resident, now)
    postbox = Postbox()
    detail = event_jobs.quiet_groups(session, world.site, now + timedelta(days=30), postbox)
    assert detail == "世話人 0人に声かけを送りました。世話人のいない静かなグループ 1件を職員に知らせました"
    [item] = postbox.items
    assert item.target == "sato" and item.messages[0].text.startswith("世話人のいない静かなイベントグループ")


def test_forget_me_erases_the_members_event_presence_and_opt_outs_only(world):
    session, now = world.session, world.now
    space = get_or_create_space(session, Place("console", GROUP, "autumn"), now, name="autumn")
    bound = ev.bind_space(session, world.event, space, now)
    for member in (world.resident, world.staff):
        ev.mark_present(session, bound, member.id, now)
        ev.assign_facilitator(session, world.event, member, now)
        ev.opt_out(session, world.event, member, now)
    accounts = members.accounts_of(session, world.resident.id)
    assert FEATURE.erase(Forget(session, world.resident, accounts, now, Postbox(), world.site)) == {}
    left = {
        (type(row).__name__, row.member_id)
        for model in (EventSpaceMember, FacilitatorOptOut)
        for row in session.exec(select(model))
    }
    assert left == {("EventSpaceMember", world.staff.id), ("FacilitatorOptOut", world.staff.id)}


OWNED_CODE = ("handlers/events", "community/events.py", "community/event_jobs.py")
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def test_no_japanese_in_the_events_code_outside_the_text_catalogue():
    root = Path(__file__).resolve().parents[1]
    files = [
        path
        for name in OWNED_CODE
        for path in ((root / name).rglob("*.py") if (root / name).is_dir() else [root / name])
    ]
    assert len(files) >= 6
    for path in files:
        for text in _code_strings(path):
            assert not JAPANESE.search(text), f"{path.relative_to(root)}: {text}"


def _code_strings(path: Path) -> list[str]:
    """Every string constant in the file (f-string parts included) except docstrings; comments are not strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


# ---- issue 12: /help, /event status, job results -----------------------------------------------------------------


async def test_help_lists_facilitator_and_invite_only_to_those_who_may_use_them(people):
    code = await bound_group(people)
    group, attendee, staff = people["group"], people["attendee"], people["staff"]
    for chat, user in ((attendee, "hanako"), (group, "jiro")):  # a resident, in 1:1 and in a group
        [resident_help] = await chat.say("/help", as_user=user)
        assert "/event facilitator" not in resident_help and "/event invite" not in resident_help
        assert "/event status" not in resident_help and "/join" in resident_help
    [staff_help] = await staff.say("/help")
    assert "/event facilitator" in staff_help and "/event invite" in staff_help
    # named a facilitator of this event: hanako now has the commands, and they work
    [my_id] = await attendee.say("/event id")
    await staff.say(f"/event facilitator {code} {re.search(r'm-[a-z0-9]{10}', my_id).group()}")
    [facilitator_help] = await attendee.say("/help")
    assert "/event facilitator" in facilitator_help and "/event invite" in facilitator_help
    [answer] = await group.say(f"/event invite {INVITE}", as_user="hanako")
    assert "招待リンクを登録しました" in answer


async def test_a_facilitator_of_another_event_is_still_refused_by_the_per_event_check(people):
    code = await bound_group(people)
    other = await create_event(people["staff"], title="冬の集い")
    [my_id] = await people["attendee"].say("/event id")
    public_id = re.search(r"m-[a-z0-9]{10}", my_id).group()
    await people["staff"].say(f"/event facilitator {other} {public_id}")  # hanako facilitates the other event
    not_allowed = "この操作は市の職員・このイベントの主催者・世話人だけができます。"
    assert await people["group"].say(f"/event invite {INVITE}", as_user="hanako") == [not_allowed]
    assert await people["group"].say("/event facilitator @jiro", as_user="hanako", mentions=("jiro",)) == [not_allowed]
    assert await people["attendee"].say(f"/event invite {code} {INVITE}") == [not_allowed]
    assert await people["attendee"].say(f"/event status {code}") == [not_allowed]
    assert rows(people["staff"], Event, Event.code == code)[0].invite_url is None


def status_of(world, at: datetime, lang: str = "ja") -> str:
    world.staff.lang = lang
    ctx = world.context(world.staff)
    ctx.now, ctx.args = at, world.event.code
    event_status(ctx)
    [answer] = replies(ctx)
    return answer.text


def test_status_says_upcoming_under_way_or_ended(world):
    session, event = world.session, world.event
    space = get_or_create_space(session, Place("console", GROUP, "autumn"), world.now, name="autumn")
    ev.bind_space(session, event, space, world.now)
    start = event.starts_at.astimezone(TOKYO)
    hours = world.site.city.events.duration_hours
    assert "状態: 開催予定\n" in status_of(world, world.now)
    assert "状態: 開催予定\n" in status_of(world, start - timedelta(minutes=1))
    assert "状態: 開催中\n" in status_of(world, start)
    assert "状態: 開催中\n" in status_of(world, start + timedelta(hours=hours) - timedelta(minutes=1))
    assert "状態: 終了\n" in status_of(world, start + timedelta(hours=hours))
    assert "State: under way\n" in status_of(world, start + timedelta(hours=1), "en")
    event.closed_at = world.now
    assert "状態: 終了\n" in status_of(world, world.now)  # closed before it began
    assert [ev.event_state(event, at, hours) for at in (world.now, start)] == [ev.ENDED, ev.ENDED]


def test_status_names_platforms_in_the_readers_language(world):
    space = get_or_create_space(world.session, Place("console", GROUP, "autumn"), world.now, name="autumn")
    ev.bind_space(world.session, world.event, space, world.now)
    line = get_or_create_space(world.session, Place("line", GROUP, "C123"), world.now, name="秋の会")
    ev.bind_space(world.session, world.event, line, world.now)
    answer = status_of(world, world.now)
    assert "・autumn（コンソール）: メンバー" in answer and "・秋の会（LINE）: メンバー" in answer
    assert "(console)" not in answer and "(line)" not in answer
    answer = status_of(world, world.now, "en")
    assert "- autumn (console): " in answer and "- 秋の会 (LINE): " in answer


def test_job_results_are_japanese_for_staff(world):
    detail = event_jobs.after_event(world.session, world.site, world.now + timedelta(days=4), Postbox())
    assert detail == "イベント後のおすすめを 0か所に投稿しました"
    detail = event_jobs.quiet_groups(world.session, world.site, world.now, Postbox())
    assert detail == "世話人 0人に声かけを送りました。世話人のいない静かなグループ 0件を職員に知らせました"
