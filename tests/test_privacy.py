"""/forget-me deletes a member's personal data everywhere while the KPI counts stay."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from community import kpi
from community.messages import POSTBACK
from storage.models import Member, PlatformAccount, Role
from storage.models.childcare import ChildcareChild
from storage.models.community import BoardPost, CommunityMember
from storage.models.staff import ReferralCode


async def join_community(chat, nickname="はなちゃん"):
    await chat.say("/community join")
    await chat.send(None, kind=POSTBACK, postback="community:agree")
    await chat.say(nickname)
    [welcome] = await chat.send(None, kind=POSTBACK, postback="community:relation:fan")
    assert nickname in welcome


async def test_forget_me_asks_first_and_cancel_keeps_everything(chat):
    [ask] = await chat.say("/forget-me")
    assert "削除してよろしいですか" in ask and ask.endswith("\n  1) 削除する  2) やめる")
    assert await chat.say("/forget-me cancel") == ["削除はしませんでした。"]
    with chat.runtime.db.session() as session:
        assert session.exec(select(PlatformAccount).where(PlatformAccount.platform_user_id == "hanako")).first()


async def test_forget_me_deletes_personal_data_and_keeps_counts(chat, staff_chat):
    await join_community(chat)
    await staff_chat.say("/thread new グルメ 朝ごはんの店")
    await chat.say("/post 1 駅前のパン屋さんがおいしいです")
    soon = (datetime.now(ZoneInfo("Asia/Tokyo")) + timedelta(days=30)).date().isoformat()
    await chat.say(f"/child {soon}")
    [link] = await chat.say("/donate")
    assert "/r/" in link

    def figures(session):
        fy = kpi.fiscal_year_of(datetime.now(ZoneInfo("Asia/Tokyo")))
        start, end = kpi.fiscal_year_range(fy)
        return kpi.compute(session, chat.settings.site, start, end)

    before = await chat.runtime.db.run(figures)
    assert before["participants"] == 1 and before["posts"] == 1 and before["childcare_optins"] == 1
    assert before["participants_at_fy_end"] == 1

    answer = await chat.say("/forget-me confirm")
    assert answer == ["削除しました。これまでありがとうございました。またいつでも /help から始められます。"]

    with chat.runtime.db.session() as session:
        assert session.exec(select(PlatformAccount).where(PlatformAccount.platform_user_id == "hanako")).first() is None
        assert session.exec(select(ChildcareChild)).all() == []
        assert session.exec(select(ReferralCode).where(ReferralCode.kind == "member")).all() == []
        [community_member] = session.exec(select(CommunityMember)).all()
        assert community_member.nickname is None
        post = session.exec(select(BoardPost)).one()
        assert "パン屋" not in post.text
        forgotten = session.exec(select(Member).where(Member.forgotten_at.is_not(None))).one()
        assert forgotten.display_name is None
        assert session.exec(select(Role).where(Role.member_id == forgotten.id)).all() == []
    after = await chat.runtime.db.run(figures)
    # The KPI counts stay; a person who is forgotten has left the community, so the stock of members is one less.
    assert after == before | {"participants_at_fy_end": 0}
    [web_text] = await chat.say("/thread 1")
    assert "パン屋" not in web_text


async def test_forget_me_is_only_for_a_one_to_one_chat(make_settings):
    from bot.console import ConsoleChat

    group = ConsoleChat(make_settings(), user="hanako", group="農業体験")
    await group.start()
    try:
        [answer] = await group.say("/forget-me")
        assert "1:1トーク" in answer
    finally:
        await group.stop()


# ---- every column says what it holds, and /forget-me leaves nothing of a person anywhere ----------------------------

import json  # noqa: E402

from sqlalchemy import String, Text  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import storage.all_models  # noqa: E402,F401 - every table on the metadata
from handlers.features import FEATURES  # noqa: E402
from tests import line_payloads as lp  # noqa: E402


def test_every_column_of_every_table_says_what_it_holds_about_a_person():
    declared = {}
    for feature in FEATURES:
        for table in feature.tables:
            name = table.__tablename__
            assert name in feature.data, f"{feature.name} declares no data rules for {name}"
            declared[name] = feature.data[name]
    for name, table in SQLModel.metadata.tables.items():
        columns = {column.name for column in table.columns}
        assert set(declared[name]) == columns, f"{name}: columns without a rule {columns - set(declared[name])}"


def _all_text(session) -> list[tuple[str, str, str]]:
    """Every stored text value: (table, column, value)."""
    found = []
    for name, table in SQLModel.metadata.tables.items():
        texts = [c for c in table.columns if isinstance(c.type, (String, Text))]
        for row in session.execute(table.select()).mappings():
            found += [(name, c.name, str(row[c.name])) for c in texts if row[c.name]]
    return found


async def test_forget_me_leaves_nothing_of_the_person_in_any_table(make_line_bot, fake_line):
    bot = await make_line_bot()
    hana, staff = lp.user_id("hana-forgets"), lp.user_id("staff-sato")
    await bot.admin(staff)
    nickname, title, text, reason = "みかん畑のハナ", "ハナの秘密のカフェ", "ハナの長い投稿です", "ハナの通報理由"

    async def say(user, words, **kwargs):
        await bot.post(lp.text_event(words, user, **kwargs))
        await bot.settle()

    async def press(user, data):
        await bot.post(lp.postback_event(data, user))
        await bot.settle()

    await say(hana, "/community join")
    await press(hana, "community:agree")
    await say(hana, nickname)
    await press(hana, "community:relation:fan")
    await say(hana, f"/thread new グルメ {title}")
    await say(hana, f"/post 1 {text}")
    await say(staff, "/thread new 地域ネタ 職員のスレッド")
    await say(staff, "/post 2 職員の投稿です")
    await say(hana, f"/report 2 {reason}")
    await say(hana, "/child 2027-01-23")
    await say(hana, "/donate")
    await say(hana, "/hiroba")
    await say(hana, "/organizer")  # refused: a resident (the refusal quotes nothing of theirs)
    with bot.db.session() as session:
        before = _all_text(session)
    code = (
        next(
            json.loads(v)[0]["text"] for t_, c, v in before if t_ == "outbox_message" and c == "messages" and "/r/" in v
        )
        .rsplit("/r/", 1)[1]
        .split()[0]
    )
    traces = {hana, nickname, title, text, reason, code, "2027-01-23", "2027年1月23日"}
    assert all(any(trace in value for _, _, value in before) for trace in traces), "the scenario stored every trace"

    await say(hana, "/forget-me")
    await say(hana, "/forget-me confirm")
    with bot.db.session() as session:
        left = [
            (table, column, trace) for table, column, value in _all_text(session) for trace in traces if trace in value
        ]
    assert left == []
