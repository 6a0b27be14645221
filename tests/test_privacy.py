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
    assert after == before  # the KPI counts stay
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
