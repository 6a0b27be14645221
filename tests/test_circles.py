"""Circles (issue 17.4): a member submits a circle in a dialogue (typed answers and buttons), staff approve it, the
directory lists it in chat and on the web (子育てサークル first), people join by its LINE link or, without one, write
to its submitter through the bot. Through the signed LINE webhook and the fake LINE API."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models.circles import Circle
from tests.living import Line, bubbles, buttons, pressing, quick_replies, shown, with_staff

OPEN_CHAT = "https://line.me/ti/g2/AbCdEfGhIjKlMnOp"


@pytest.fixture
async def line(make_line_bot):
    bot = await make_line_bot()
    return await with_staff(bot)


async def submit(line: Line, who: str, name: str, *, kosodate: bool, link: str | None) -> int:
    [q_name] = await line.say(who, "/circle new")
    assert "(1/6)" in q_name["text"]
    [q_kind] = await line.say(who, name)
    assert [a["label"] for a in quick_replies(q_kind)] == ["子育てサークル", "サークル", "やめる"]
    if kosodate:
        [q_activity] = await line.press(who, pressing(q_kind, "子育てサークル"))
    else:
        [q_activity] = await line.say(who, "2")  # the second button, typed as its number
    assert "(3/6)" in q_activity["text"]
    [q_area] = await line.say(who, f"{name}の活動: 毎週水曜の午前に公民館で集まっています")
    assert "(4/6)" in q_area["text"]
    [q_join] = await line.say(who, "小川公民館")
    if link is None:
        [confirm] = await line.press(who, pressing(q_join, "ボットで連絡"))
    else:
        [bad] = await line.say(who, "https://example.com/not-line")
        assert "LINEのオープンチャット" in bad["text"] and "(5/6)" in bad["text"]
        [confirm] = await line.say(who, link)
    assert "(6/6)" in confirm["text"] and name in confirm["text"]
    [done] = await line.press(who, pressing(confirm, "申し込む"))
    assert "受け付けました" in done["text"]
    with line.bot.db.session() as session:
        return session.exec(select(Circle).where(Circle.name == name)).one().id


async def test_circles_are_submitted_approved_and_listed_with_parents_circles_first(line):
    knitting = await submit(line, "ken", "編み物の会", kosodate=False, link=OPEN_CHAT)
    mothers = await submit(line, "hana", "ひよこママの会", kosodate=True, link=None)
    assert "載っているサークルはまだありません" in shown(await line.say("jiro", "/circles"))
    assert "ひよこママの会" not in await (await line.bot.get("/circles")).text()
    assert "承認待ち 2件" in shown(await line.say("staff", "/circle pending"))
    for circle_id in (knitting, mothers):
        assert "載せました" in shown(await line.say("staff", f"/circle approve {circle_id}"))
    assert any("が載りました" in m["text"] for m in line.pushes("hana"))

    intro, carousel = await line.say("jiro", "/circles")
    assert "2件" in intro["text"]
    first, second = bubbles(carousel)
    assert first["body"]["contents"][0]["text"] == "ひよこママの会"  # 子育てサークル first
    [contact] = buttons(first)
    [join] = buttons(second)
    assert contact == {**contact, "type": "postback", "data": f"circle:contact:{mothers}"}
    assert join["type"] == "uri" and join["uri"] == OPEN_CHAT
    _, found = await line.say("jiro", "/circles 編み物")
    assert len(bubbles(found)) == 1

    html = await (await line.bot.get("/circles")).text()
    assert html.index("ひよこママの会") < html.index("編み物の会") and OPEN_CHAT in html
    assert line.uid("hana") not in html

    # Contacting a circle without a link: the first message goes to its submitter through the bot.
    [ask] = await line.press("jiro", contact)
    assert "最初のメッセージを送ってください" in ask["text"] and "ひよこママの会" in ask["text"]
    await line.say("jiro", "来週から参加してもいいですか？")
    [relayed] = [m for m in line.pushes("hana") if "来週から参加" in m.get("text", "")]
    assert "サークル「ひよこママの会」" in relayed["text"] and line.uid("jiro") not in relayed["text"]
    [reply] = quick_replies(relayed)
    await line.press("hana", reply)
    await line.say("hana", "どうぞ、お待ちしています")
    assert any("お待ちしています" in m.get("text", "") for m in line.pushes("jiro"))

    # The submitter (or staff) removes it; someone else cannot.
    assert "あなたが載せたサークルではありません" in shown(await line.say("jiro", f"/circle close {mothers}"))
    assert "掲載を終えました" in shown(await line.say("hana", f"/circle close {mothers}"))
    assert "ひよこママの会" not in await (await line.bot.get("/circles")).text()


async def test_a_rejected_circle_is_never_listed(line):
    circle_id = await submit(line, "ken", "謎の会", kosodate=False, link=OPEN_CHAT)
    assert "見送りました" in shown(await line.say("staff", f"/circle reject {circle_id} 活動内容が確認できません"))
    assert any("活動内容が確認できません" in m["text"] for m in line.pushes("ken"))
    assert "謎の会" not in shown(await line.say("jiro", "/circles"))
    assert "承認待ちではありません" in shown(await line.say("staff", f"/circle approve {circle_id}"))


async def test_forget_me_removes_the_circles_a_member_submitted(line):
    circle_id = await submit(line, "hana", "ハナの秘密サークル", kosodate=True, link=None)
    await line.say("staff", f"/circle approve {circle_id}")
    await line.say("hana", "/forget-me")
    await line.say("hana", "/forget-me confirm")
    with line.bot.db.session() as session:
        assert session.exec(select(Circle)).all() == []
    assert "ハナの秘密サークル" not in await (await line.bot.get("/circles")).text()
