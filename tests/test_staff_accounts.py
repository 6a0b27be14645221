"""Staff accounts without a restart (issue 15): a staff admin (ADMIN_* ids) adds and removes staff with LINE mentions
(`@name` on the console) or public ids, staff list them, every change is in the audit log, and the role works (or
stops working) at once. Staff admins come only from the settings, read again at every start."""

from __future__ import annotations

import re

from sqlmodel import select

from bot.console import ConsoleChat
from community import members
from storage.models import Member, PlatformAccount
from storage.models.audit import AuditEntry
from tests import line_payloads as lp
from tests.announce_helpers import say

ADMIN = lp.user_id("admin-sato")
JIRO = lp.user_id("jiro")
GROUP = lp.group_id("staff room")


def _member(session, user: str) -> Member:
    return session.exec(select(Member).join(PlatformAccount).where(PlatformAccount.platform_user_id == user)).one()


async def test_an_admin_adds_and_removes_staff_by_mention_and_each_change_is_audited(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    [before] = await say(bot, JIRO, "/announce list")
    assert "市の職員" in before  # a resident may not
    [added] = await say(bot, ADMIN, "/staff add", group=GROUP, mentions=[JIRO])
    assert added.startswith("職員にしました: ")
    [now_staff] = await say(bot, JIRO, "/announce list")  # at once, without a restart
    assert now_staff == "予約中・保留中のお知らせはありません。"
    [again] = await say(bot, ADMIN, "/staff add", group=GROUP, mentions=[JIRO])
    assert again.startswith("すでに職員です: ")
    [listed] = await say(bot, JIRO, "/staff list")
    assert listed.startswith("職員（2人）") and "管理者" in listed
    assert JIRO not in listed and ADMIN not in listed  # names and public ids, never a platform id
    [refused] = await say(bot, JIRO, f"/staff add {_public_id(bot, ADMIN)}")
    assert "職員の管理者" in refused  # only admins manage staff
    [admin_kept] = await say(bot, ADMIN, "/staff remove", group=GROUP, mentions=[ADMIN])
    assert "管理者（ADMIN_*）は設定で決まる" in admin_kept
    [removed] = await say(bot, ADMIN, f"/staff remove {_public_id(bot, JIRO)}")
    assert removed.startswith("職員から外しました: ")
    [after] = await say(bot, JIRO, "/announce list")
    assert "市の職員" in after
    with bot.db.session() as session:
        jiro, admin = _member(session, JIRO), _member(session, ADMIN)
        logged = [(e.actor_member_id, e.action, e.target, e.detail) for e in session.exec(select(AuditEntry))]
    assert logged == [
        (None, "role.grant", f"member:{admin.public_id}", "staff config:line"),
        (admin.id, "role.grant", f"member:{jiro.public_id}", "staff chat"),
        (admin.id, "role.revoke", f"member:{jiro.public_id}", "staff"),
    ]


def _public_id(bot, user: str) -> str:
    with bot.db.session() as session:
        return _member(session, user).public_id


async def test_an_id_taken_out_of_the_settings_is_no_longer_an_admin_after_a_restart(make_line_bot):
    bot = await make_line_bot(ADMIN_LINE_USER_IDS=ADMIN)
    await bot.admin(JIRO)  # made an admin outside the settings (as a test helper does)
    with bot.db.session() as session:
        assert members.has_role(session, _member(session, JIRO).id, members.ADMIN)
    await bot.restart()
    with bot.db.session() as session:
        jiro = _member(session, JIRO)
        assert not members.has_role(session, jiro.id, members.ADMIN)
        assert members.has_role(session, jiro.id, members.STAFF)  # still staff until an admin removes them
        assert members.has_role(session, _member(session, ADMIN).id, members.ADMIN)


async def test_the_console_names_people_with_at(make_settings):
    settings = make_settings()
    admin = ConsoleChat(settings, user="sato", staff=True)  # --staff: the console's ADMIN_* stand-in
    await admin.start()
    jiro = ConsoleChat(settings, user="jiro")
    await jiro.start()
    try:
        await jiro.say("/help")
        [added] = await admin.enter("/staff add @jiro")
        assert added == "職員にしました: jiro"
        [listed] = await admin.say("/staff list")
        assert re.search(r"・jiro（m-[a-z0-9]{10}）", listed)
        [refused] = await admin.enter("/staff add")
        assert "@で名前を付けるか" in refused
    finally:
        await jiro.stop()
        await admin.stop()
