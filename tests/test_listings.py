"""貸畑 and 空き家 listings (issue 17.3): the owner's dialogue (typed answers and buttons; never an address), staff
approval before anything is public, 「問い合わせ」 relayed both ways without either account (replies to the writer,
pushes of kind "relay" to the other), closing and expiry, the staff's view of inquiries, the public page, and
/forget-me. Through the signed LINE webhook and the fake LINE API."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import String, Text
from sqlmodel import SQLModel, select

from community import listings
from community.city import Site, parse_city
from storage.db import utcnow
from storage.models import Member, OutboxMessage, PlatformAccount
from storage.models.areas import AreaResident
from storage.models.listings import Inquiry, Listing
from tests.living import Line, bubbles, buttons, pressing, quick_replies, said, shown, with_staff

CONDITIONS = "農薬を使わずに育ててくれる方"
PHOTO = "https://photos.example.jp/hatake-123.jpg"


@pytest.fixture
async def line(make_line_bot):
    bot = await make_line_bot()
    return await with_staff(bot)


async def offer(line: Line, owner: str = "hana", conditions: str = CONDITIONS) -> int:
    """The owner's whole dialogue, typing some answers and pressing other buttons; returns the listing's id."""
    [kind] = await line.say(owner, "/listing new")
    assert "(1/7)" in kind["text"] and [a["label"] for a in quick_replies(kind)][:3] == [
        "貸畑",
        "空き家",
        "畑付き空き家",
    ]
    [place] = await line.press(owner, pressing(kind, "畑付き空き家"))
    assert "(2/7)" in place["text"]
    [refused] = await line.say(owner, "小川1-2-3")  # an address: refused, the question stays
    assert "番地や丁目は書かないでください" in refused["text"] and "(2/7)" in refused["text"]
    [size] = await line.say(owner, "小川地区")
    assert "(3/7)" in size["text"]
    [price] = await line.say(owner, "約100坪")
    [cond] = await line.press(owner, pressing(price, "無料"))
    assert "(5/7)" in cond["text"] and [a["label"] for a in quick_replies(cond)] == ["なし", "やめる"]
    [photo] = await line.say(owner, conditions)
    assert "(6/7)" in photo["text"]
    [bad] = await line.say(owner, "http://insecure.example.jp/a.jpg")
    assert "https://" in bad["text"] and "(6/7)" in bad["text"]
    [confirm] = await line.say(owner, PHOTO)
    assert "(7/7)" in confirm["text"] and "約100坪" in confirm["text"] and "無料" in confirm["text"]
    [done] = await line.say(owner, "申し込む")  # typed, as the button says
    assert "受け付けました" in done["text"]
    with line.bot.db.session() as session:
        listing = session.exec(select(Listing).order_by(Listing.id.desc())).first()
    assert (listing.kind, listing.place, listing.price, listing.status) == ("farmhouse", "小川地区", "無料", "pending")
    return listing.id


async def test_a_listing_is_offered_in_a_dialogue_and_public_only_once_staff_approve_it(line):
    listing_id = await offer(line)
    # Staff hear of it (no staff group: 1:1 to each staff member).
    assert any(f"/listing approve {listing_id}" in m["text"] for m in line.pushes("staff"))
    assert "いま掲載中" in shown(await line.say("jiro", "/listings"))
    assert CONDITIONS not in await (await line.bot.get("/listings")).text()
    assert "市の職員だけ" in shown(await line.say("hana", f"/listing approve {listing_id}"))

    pending = shown(await line.say("staff", "/listing pending"))
    assert "承認待ち 1件" in pending and CONDITIONS in pending
    approved = shown(await line.say("staff", f"/listing approve {listing_id}"))
    assert "公開しました" in approved and "90日間" in approved
    assert any("掲載が公開されました" in m["text"] for m in line.pushes("hana"))
    assert "承認待ちではありません" in shown(await line.say("staff", f"/listing approve {listing_id}"))

    intro, carousel = await line.say("jiro", "/listings")
    assert "1件" in intro["text"]
    [card] = bubbles(carousel)
    assert "畑付き空き家・小川地区" in shown([carousel]) and CONDITIONS in shown([carousel])
    ask, photo = buttons(card)
    assert ask["data"] == f"listing:ask:{listing_id}" and photo["uri"] == PHOTO
    html = await (await line.bot.get("/listings")).text()
    assert CONDITIONS in html and "小川地区" in html and PHOTO in html
    # The owner's account appears nowhere the public looks.
    assert line.uid("hana") not in html + shown([intro, carousel])

    mine = shown(await line.say("hana", "/listing mine"))
    assert "公開中" in mine and "問い合わせ0件" in mine
    assert "あなたの掲載ではありません" in shown(await line.say("jiro", f"/listing close {listing_id}"))
    assert "掲載を終えました" in shown(await line.say("hana", f"/listing close {listing_id}"))
    assert CONDITIONS not in await (await line.bot.get("/listings")).text()


async def test_a_rejected_listing_tells_its_owner_why(line):
    listing_id = await offer(line)
    rejected = shown(await line.say("staff", f"/listing reject {listing_id} 写真が確認できませんでした"))
    assert "見送りました" in rejected
    assert any("写真が確認できませんでした" in m["text"] for m in line.pushes("hana"))
    assert "見送り" in shown(await line.say("hana", "/listing mine"))


async def test_an_inquiry_is_relayed_both_ways_without_either_account(line):
    listing_id = await offer(line)
    await line.say("staff", f"/listing approve {listing_id}")
    await line.say("jiro", "こんにちは")  # jiro is known (and greeted) before asking
    own = shown(await line.tap("hana", f"listing:ask:{listing_id}"))
    assert "自分の掲載には問い合わせできません" in own

    [question] = await line.tap("jiro", f"listing:ask:{listing_id}")
    assert "最初のメッセージを送ってください" in question["text"]
    first = "週末に見学できますか？"
    [sent] = await line.say("jiro", first)
    assert "伝えました" in sent["text"]  # a reply: free
    [relayed] = [m for m in line.pushes("hana") if first in m.get("text", "")]
    assert "問い合わせが届きました" in relayed["text"] and line.uid("jiro") not in relayed["text"]
    [reply_button] = quick_replies(relayed)
    assert reply_button["type"] == "postback" and reply_button["data"].startswith("relay:reply:")

    [ask_answer] = await line.press("hana", reply_button)
    assert "返信を送ってください" in ask_answer["text"]
    answer = "土曜の午前ならどうぞ"
    await line.say("hana", answer)
    [back] = [m for m in line.pushes("jiro") if answer in m.get("text", "")]
    assert "持ち主から" in back["text"] and line.uid("hana") not in back["text"]

    inquiry_id = reply_button["data"].rsplit(":", 1)[1]
    sends = line.record_outgoing()
    thanks = "ありがとうございます、伺います"
    assert "伝えました" in shown(await line.say("jiro", f"/inquiry {inquiry_id} {thanks}"))  # typed, no button
    assert any(thanks in m.get("text", "") for m in line.pushes("hana"))
    assert "問い合わせ #999 はありません" in shown(await line.say("ken", "/inquiry 999 こんにちは"))
    assert f"問い合わせ #{inquiry_id} はありません" in shown(await line.say("ken", f"/inquiry {inquiry_id} 横入り"))

    # The relayed message is the one push, of kind "relay"; the confirmation is a (free) reply.
    [push] = [s for s in sends if s.method == "push"]
    assert push.kind == "relay" and thanks in said(push) and push.target == line.uid("hana")
    [reply] = [s for s in sends if s.method == "reply" and "伝えました" in said(s)]
    assert thanks not in said(reply) and reply.kind == ""
    with line.bot.db.session() as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.method == "push")).all()
    relays = [r for r in rows if any(text in r.messages for text in (first, answer, thanks))]
    assert len(relays) == 3 and not any("伝えました" in r.messages for r in rows)

    seen = shown(await line.say("staff", f"/listing inquiries {listing_id}"))
    assert "問い合わせ 1件" in seen and "問い合わせた人 2通／持ち主 1通" in seen
    assert first not in seen and answer not in seen  # staff see the conversation's shape, never its text
    with line.bot.db.session() as session:
        [inquiry] = session.exec(select(Inquiry)).all()
    assert (inquiry.from_asker, inquiry.from_owner) == (2, 1)
    # The KPI counts the conversation once.
    kpis = json.loads(await (await line.bot.get("/api/kpi", headers=_auth())).text())["kpis"]
    assert kpis["listing_inquiries"]["value"] == 1 and kpis["listings_published"]["value"] == 1


def _auth() -> dict[str, str]:
    return {"Authorization": "Bearer line-bot-staff-token"}


async def test_a_listing_expires_after_the_configured_days(tmp_path):
    city = parse_city(
        '[city]\nname = "テスト市"\n[listings]\ndays = 30\n', "test.toml"
    )  # a shorter life than the default 90
    site = Site(city=city, public_base_url="https://x.example.jp", tz=ZoneInfo("Asia/Tokyo"))
    from storage.db import Database
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path}/x.db"
    upgrade(url)
    db = Database(url)
    try:
        now = utcnow()

        def scenario(session):
            owner = Member(public_id="m-owner00000", created_at=now)
            session.add(owner)
            session.flush()
            answers = {"place": "玉里地区", "size": "30坪", "price": "年5,000円", "conditions": "", "photo_url": ""}
            listing = listings.submit(session, owner, "plot", answers, now)
            listings.approve(session, site, listing, now, by=None)
            return (
                [x.id for x in listings.open_listings(session, now + timedelta(days=29))],
                [x.id for x in listings.open_listings(session, now + timedelta(days=31))],
                listings.state(listing, now + timedelta(days=31)),
            )

        open_before, open_after, state = db.call(scenario)
    finally:
        db.close()
    assert open_before == [1] and open_after == [] and state == "expired"


async def test_forget_me_erases_the_members_listings_area_and_inquiries(make_line_bot, database_url):
    """On SQLite and on PostgreSQL."""
    line = Line(await make_line_bot(DATABASE_URL=database_url))
    await line.bot.admin(line.uid("staff"))
    await line.bot.db.run(_register)
    hana_listing = await offer(line, "hana", conditions="ハナ専用の秘密の条件です")
    jiro_listing = await offer(line, "jiro", conditions="ジロウの畑の条件です")
    for listing_id in (hana_listing, jiro_listing):
        await line.say("staff", f"/listing approve {listing_id}")
    await line.say("hana", "/area mine 小川1区")
    # jiro asks about hana's listing; hana asks about jiro's.
    await line.tap("jiro", f"listing:ask:{hana_listing}")
    await line.say("jiro", "ジロウからハナへの質問です")
    await line.tap("hana", f"listing:ask:{jiro_listing}")
    await line.say("hana", "ハナからジロウへの質問です")
    with line.bot.db.session() as session:
        assert len(session.exec(select(Inquiry)).all()) == 2

    await line.say("hana", "/forget-me")
    await line.say("hana", "/forget-me confirm")
    with line.bot.db.session() as session:
        assert [x.id for x in session.exec(select(Listing)).all()] == [jiro_listing]
        assert session.exec(select(Inquiry)).all() == []
        assert session.exec(select(AreaResident)).all() == []
        assert (
            session.exec(select(PlatformAccount).where(PlatformAccount.platform_user_id == line.uid("hana"))).first()
            is None
        )
        left = _texts_containing(session, ("ハナ専用の秘密の条件です", "ハナからジロウへの質問です", line.uid("hana")))
    assert left == []
    # jiro's own listing and the public page go on without hers.
    html = await (await line.bot.get("/listings")).text()
    assert "ジロウの畑の条件です" in html and "ハナ専用" not in html


def _register(session) -> None:
    from community import areas

    areas.add_area(session, "小川1区", "小川", "小川小学校", utcnow())


def _texts_containing(session, traces) -> list[tuple[str, str]]:
    found = []
    for name, table in SQLModel.metadata.tables.items():
        columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        for row in session.execute(table.select()).mappings():
            found += [(name, c.name) for c in columns for trace in traces if row[c.name] and trace in str(row[c.name])]
    return found
