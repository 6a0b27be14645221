"""行政区 (issue 17.1 and 17.2): the register (CSV and CLI), representatives and the profile dialogue (typed answers
and buttons), 公開 / 非公開 (nothing of a 非公開 区 ever shown, in chat or on the web), the searchable card list with
paging, the public pages and filters, the staff-side form, area communities (bind, facilitators, quiet nudges), the
member's own 区 for announcements, and the KPIs and digest. Through the signed LINE webhook and the fake LINE API."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bot import cli
from community import area_spaces, areas, digest
from storage.db import utcnow
from storage.models import Member, OutboxMessage, PlatformAccount
from storage.models.areas import Area, AreaSpace
from storage.models.audit import AuditEntry
from tests.living import Line, bubbles, buttons, pressing, quick_replies, shown, with_staff

# The answers of a 区 that stays 非公開: none of these may appear anywhere a reader looks.
SECRET = {
    "entry_fee": "入会金は秘密の三万円",
    "dues": "区費は秘密の月千円",
    "garbage": "ゴミ当番は秘密の輪番",
    "cleanup": "草刈りは秘密の年六回",
    "social": "秘密の葬儀手伝い",
    "notes": "秘密のメモ書きです",
}
PUBLIC = {
    "entry_fee": "入会金なし",
    "dues": "区費は月500円",
    "garbage": "集積所の当番は年1回",
    "cleanup": "草刈りは年4回",
    "social": "冠婚葬祭の手伝いは班ごと",
    "notes": "秋祭りがあります",
}
REGISTER = [("小川1区", "小川", "小川小学校"), ("小川2区", "小川", "小川小学校"), ("美野里3区", "美野里", "竹原小学校")]


async def seed(bot, register=REGISTER) -> dict[str, int]:
    def add(session):
        return {name: areas.add_area(session, name, d, s, utcnow())[0].id for name, d, s in register}

    return await bot.db.run(add)


async def fill(bot, area_id: int, answers: dict[str, str], *, newcomers: bool | None, publish: bool) -> None:
    def save(session):
        area = session.get(Area, area_id)
        areas.save_profile(
            session, area, {**answers, "newcomers": newcomers, "publish": publish}, utcnow(), by=None, via="test"
        )

    await bot.db.run(save)


@pytest.fixture
async def line(make_line_bot):
    bot = await make_line_bot()
    return await with_staff(bot)


# ---- the register ----------------------------------------------------------------------------------------------


def test_staff_register_the_areas_from_a_csv_and_the_command_line(make_settings, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/areas.db")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://tsunagaru.example.jp")
    register = tmp_path / "gyoseiku.csv"
    register.write_bytes("区名,地区,小学校区\n小川1区,小川,小川小学校\n小川２区,小川,小川小学校\n\n".encode("cp932"))
    assert cli.main(["areas", "import", str(register)]) == 0
    assert "追加 2区、更新 0区" in capsys.readouterr().out
    assert cli.main(["areas", "import", str(register)]) == 0  # again: nothing twice
    assert "追加 0区、更新 2区" in capsys.readouterr().out
    assert cli.main(["areas", "add", "美野里3区", "--district", "美野里", "--school", "竹原小学校"]) == 0
    assert "追加しました: 美野里3区" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("name,district\n" + "x" * 50 + ",小川\n玉里4区,玉里\n", encoding="utf-8")
    assert cli.main(["areas", "import", str(bad)]) == 1  # one good row, one too long
    out = capsys.readouterr().out
    assert "2行目" in out and "追加 1区" in out
    assert cli.main(["areas", "list"]) == 0
    listed = capsys.readouterr().out
    # Full-width digits are folded: "小川２区" is stored as "小川2区".
    assert all(name in listed for name in ("小川1区", "小川2区", "美野里3区", "玉里4区")) and "非公開" in listed
    nothing = tmp_path / "none.csv"
    nothing.write_text("地区\n小川\n", encoding="utf-8")
    assert cli.main(["areas", "import", str(nothing)]) == 2
    assert "区名" in capsys.readouterr().out


# ---- representatives and the profile dialogue ------------------------------------------------------------------


async def test_a_representative_answers_by_typing_and_pressing_and_publishes(make_line_bot, database_url):
    """On SQLite and on PostgreSQL."""
    line = Line(await make_line_bot(DATABASE_URL=database_url))
    await line.bot.admin(line.uid("staff"))
    ids = await seed(line.bot)
    named = await line.say("staff", "/area rep 小川1区", group="役場の部屋", mentions=("hana",))
    assert "「小川1区」の代表者にしました" in shown(named)
    [guide] = line.pushes("hana")
    assert "代表者になりました" in guide["text"] and "/area edit" in guide["text"]

    [q1] = await line.say("hana", "/area edit")
    assert "(1/8)" in q1["text"] and "入会金" in q1["text"]
    assert [a["label"] for a in quick_replies(q1)] == ["空欄にする"]  # one button: a typed "1" is an answer
    [q2] = await line.say("hana", PUBLIC["entry_fee"])  # typed
    assert "(2/8)" in q2["text"] and "区費" in q2["text"]
    [q3] = await line.say("hana", PUBLIC["dues"])
    [q4] = await line.press("hana", pressing(q3, "空欄にする"))  # pressed: ゴミ出し left blank
    assert "(4/8)" in q4["text"]
    [q5] = await line.say("hana", PUBLIC["cleanup"])
    [q6] = await line.say("hana", PUBLIC["social"])
    assert "(5/8)" in q5["text"] and "(6/8)" in q6["text"]
    [q7] = await line.say("hana", PUBLIC["notes"])
    assert "(7/8)" in q7["text"] and [a["label"] for a in quick_replies(q7)] == [
        "歓迎します",
        "特に表明しない",
        "やめる",
    ]
    [again] = await line.say("hana", "よくわからない")  # neither button: asked again, nothing lost
    assert "ボタンから選ぶか" in again["text"] and "(7/8)" in again["text"]
    [q8] = await line.say("hana", "1")  # a button's number presses it: 歓迎します
    assert "(8/8)" in q8["text"] and "いまの答え: 非公開" in q8["text"]

    # Until the representative chooses, nothing is public (the answers are not even saved yet).
    before = shown(await line.say("jiro", "/area 小川1区"))
    assert "非公開" in before and PUBLIC["dues"] not in before

    [done] = await line.press("hana", pressing(q8, "公開する"))
    assert "公開しました" in done["text"] and f"https://tsunagaru.example.jp/areas/{ids['小川1区']}" in done["text"]
    after = shown(await line.say("jiro", "/area 小川"))
    assert "移住者歓迎" in after and PUBLIC["entry_fee"] in after and PUBLIC["dues"] in after
    page = await (await line.bot.get(f"/areas/{ids['小川1区']}")).text()
    assert (
        all(PUBLIC[k] in page for k in ("entry_fee", "dues", "cleanup", "social", "notes")) and "ゴミ出し" not in page
    )

    # A second pass keeps what is not changed ("そのまま", pressed or typed) and can make it private again.
    [r1] = await line.say("hana", "/area edit 小川1区")
    assert "いまの答え: 入会金なし" in r1["text"] and quick_replies(r1)[0]["label"] == "そのまま"
    await line.press("hana", pressing(r1, "そのまま"))
    for _ in range(5):
        await line.say("hana", "そのまま")
    [last] = await line.say("hana", "そのまま")  # 移住者 kept as 歓迎します
    assert "(8/8)" in last["text"]
    [private] = await line.say("hana", "非公開")  # typed, not pressed
    assert "保存しました（非公開）" in private["text"]
    with line.bot.db.session() as session:
        area = session.get(Area, ids["小川1区"])
        assert (area.entry_fee, area.dues, area.newcomers, area.published) == (
            "入会金なし",
            "区費は月500円",
            True,
            False,
        )
        actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert {"area.publish", "area.unpublish", "area.edit", "role.grant"} <= set(actions)


async def test_only_staff_name_representatives_and_only_representatives_edit_their_own_area(line):
    ids = await seed(line.bot)
    refused = shown(await line.say("jiro", "/area rep 小川1区"))
    assert "市の職員だけが使えるコマンドです" in refused
    # By public id in a 1:1 chat.
    await line.say("hana", "こんにちは")
    with line.bot.db.session() as session:
        hana = session.exec(
            select(Member).join(PlatformAccount).where(PlatformAccount.platform_user_id == line.uid("hana"))
        ).one()
    assert "代表者にしました" in shown(await line.say("staff", f"/area rep 小川1区 {hana.public_id}"))
    assert "「小川1区」の代表者: " in shown(await line.say("staff", "/area rep 小川1区"))
    assert "代表者ではないので変えられません" in shown(await line.say("hana", "/area edit 小川2区"))
    assert "代表者ではないので変えられません" in shown(await line.say("hana", "/area publish 美野里3区"))
    assert "だけが使えるコマンドです" in shown(await line.say("jiro", "/area edit"))
    assert "という区は登録されていません" in shown(await line.say("staff", "/area rep 存在しない区 m-abc"))
    cleared = shown(await line.say("staff", "/area rep 小川1区 clear"))
    assert "代表者 1人を外しました" in cleared
    assert "だけが使えるコマンドです" in shown(await line.say("hana", "/area edit"))
    with line.bot.db.session() as session:
        assert areas.reps_of(session, session.get(Area, ids["小川1区"])) == []


# ---- 非公開 means nothing of the 区 is shown ---------------------------------------------------------------------


async def test_a_private_area_shows_nothing_but_its_name_in_chat_and_on_the_web(line):
    ids = await seed(line.bot)
    await fill(line.bot, ids["小川1区"], SECRET, newcomers=True, publish=False)
    await fill(line.bot, ids["小川2区"], PUBLIC, newcomers=False, publish=True)

    chat = shown(await line.say("jiro", "/area"))
    assert "小川1区" in chat and "非公開" in chat and PUBLIC["dues"] in chat
    for path in ("/areas", "/areas?district=小川", "/areas?school=小川小学校", f"/areas/{ids['小川1区']}"):
        response = await line.bot.get(path)
        html = await response.text()
        assert response.status == 200 and "小川1区" in html and "非公開" in html, path
        assert not [secret for secret in SECRET.values() if secret in html], path
    assert not [secret for secret in SECRET.values() if secret in chat]
    # A private 区 never wears the welcome mark either (it answered 歓迎 privately).
    private_page = await (await line.bot.get(f"/areas/{ids['小川1区']}")).text()
    assert "移住者歓迎" not in private_page

    await line.say("staff", "/area publish 小川1区")  # staff may act on the 区's word
    now_public = await (await line.bot.get(f"/areas/{ids['小川1区']}")).text()
    assert all(secret in now_public for secret in SECRET.values()) and "移住者歓迎" in now_public


async def test_the_card_list_pages_by_twelve_and_welcoming_areas_come_first(line):
    register = [(f"小川{n}区", "小川" if n % 2 else "玉里", "小川小学校") for n in range(1, 16)]
    ids = await seed(line.bot, register)
    await fill(line.bot, ids["小川9区"], PUBLIC, newcomers=True, publish=True)
    await fill(line.bot, ids["小川3区"], PUBLIC, newcomers=False, publish=True)

    intro, carousel = await line.say("jiro", "/area")
    assert "15件" in intro["text"]
    first = bubbles(carousel)
    assert len(first) == 12  # 11 区 and "more": LINE's limit
    titles = [flex for bubble in first for flex in [bubble["body"]["contents"][0]["text"]]]
    assert titles[:2] == ["小川9区", "小川3区"]  # 移住者歓迎 first, then the other public one
    [more] = buttons(first[-1])
    assert more["type"] == "postback" and more["data"] == "area:more:2"
    _, rest = await line.press("jiro", more)
    assert len(bubbles(rest)) == 4
    # Searching narrows the list; the search words travel with the next page's button.
    intro, found = await line.say("jiro", "/area 玉里")
    assert "「玉里」の区 7件" in intro["text"] and len(bubbles(found)) == 7
    none = shown(await line.say("jiro", "/area 存在しない"))
    assert "当てはまる区はありません" in none

    html = await (await line.bot.get("/areas?district=玉里")).text()
    assert "小川2区" in html and "小川9区" not in html
    everything = await (await line.bot.get("/areas")).text()
    assert everything.index("小川9区") < everything.index("小川3区") < everything.index("小川1区")


# ---- the staff-side form -----------------------------------------------------------------------------------------


async def test_the_staff_side_form_saves_answers_given_on_paper(line):
    ids = await seed(line.bot)
    path = f"/dashboard/areas/{ids['美野里3区']}"
    assert (await line.bot.get(path)).status == 401
    assert (await line.bot.client.post(path, data={"dues": "x"})).status == 401
    auth = {"Authorization": "Bearer line-bot-staff-token"}
    index = await line.bot.get("/dashboard/areas", headers=auth)
    assert index.status == 200 and "美野里3区" in await index.text()
    form = await line.bot.get(path, headers=auth)
    assert form.status == 200 and 'name="entry_fee"' in await form.text()

    too_long = {**PUBLIC, "notes": "あ" * 1001, "newcomers": "yes", "published": "on"}
    refused = await line.bot.client.post(path, data=too_long, headers=auth)
    assert refused.status == 400 and "1000字まで" in await refused.text()
    with line.bot.db.session() as session:
        assert session.get(Area, ids["美野里3区"]).published is False  # nothing saved

    saved = await line.bot.client.post(path, data={**PUBLIC, "newcomers": "yes", "published": "on"}, headers=auth)
    assert saved.status == 200 and "保存しました" in await saved.text()
    page = await (await line.bot.get(f"/areas/{ids['美野里3区']}")).text()
    assert PUBLIC["garbage"] in page and "移住者歓迎" in page
    with line.bot.db.session() as session:
        edits = session.exec(select(AuditEntry).where(AuditEntry.action == "area.edit")).all()
    assert [e.detail.split()[0] for e in edits] == ["via=form"]


# ---- area communities --------------------------------------------------------------------------------------------


async def test_an_area_community_gets_a_facilitator_and_the_quiet_nudges(line):
    ids = await seed(line.bot)
    await line.say("staff", "/area rep 小川1区", group="役場の部屋", mentions=("hana",))
    await line.say("staff", "/area rep 美野里3区", group="役場の部屋", mentions=("ken",))
    group = "小川1区のみんな"

    assert "だけが使えるコマンドです" in shown(await line.say("jiro", "/area bind 小川1区", group=group))
    assert "その区の代表者だけです" in shown(await line.say("ken", "/area bind 小川1区", group=group))
    bound = shown(await line.say("hana", "/area bind 小川1区", group=group))
    assert "「小川1区」の地域コミュニティにしました" in bound
    assert "もう「小川1区」のコミュニティです" in shown(await line.say("hana", "/area bind 小川1区", group=group))
    named = shown(await line.say("hana", "/area facilitator", group=group, mentions=("jiro",)))
    assert "世話人にしました" in named
    assert any("世話人になりました" in m["text"] for m in line.pushes("jiro"))

    # A 小学校区 community bound by staff, with no facilitator.
    school = shown(await line.say("staff", "/area bind 竹原小学校", group="竹原の子育て"))
    assert "「竹原小学校区」の地域コミュニティにしました" in school

    await line.say("jiro", "今日は草刈りお疲れさまでした", group=group)  # counted as "last spoken", never kept
    with line.bot.db.session() as session:
        rows = session.exec(select(AreaSpace)).all()
        assert [r.area_id for r in rows] == [ids["小川1区"], None] and rows[0].last_message_at is not None
    tokyo = line.bot.settings.tz
    detail = await line.run_job("quiet-areas", datetime.now(tokyo) + timedelta(days=3))
    assert "世話人 0人" in detail and "0件" in detail
    detail = await line.run_job("quiet-areas", datetime.now(tokyo) + timedelta(days=8))
    assert "世話人 1人" in detail and "1件" in detail
    nudges = [m["text"] for m in line.pushes("jiro") if "静かです" in m["text"]]
    assert len(nudges) == 1 and "小川1区" in nudges[0]
    kinds = await line.bot.db.run(
        lambda session: {row.kind for row in session.exec(select(OutboxMessage)) if "静かです" in row.messages}
    )
    assert kinds == {"nudge"}  # a paid push with its place in the LINE budget's priorities
    staff_report = [m["text"] for m in line.pushes("staff") if "世話人のいない静かな地域コミュニティ" in m["text"]]
    assert len(staff_report) == 1 and "竹原小学校" in staff_report[0]
    again = await line.run_job("quiet-areas", datetime.now(tokyo) + timedelta(days=9))
    assert "世話人 0人" in again  # once per quiet period

    stopped = shown(await line.say("jiro", "/area facilitator stop", group=group))
    assert "世話人をやめました" in stopped
    unbound = shown(await line.say("hana", "/area unbind", group=group))
    assert "登録をやめました" in unbound


async def test_members_record_their_area_for_announcements_and_clear_it(line):
    ids = await seed(line.bot)
    assert "登録されていません" in shown(await line.say("hana", "/area mine"))
    saved = shown(await line.say("hana", "/area mine 小川1区"))
    assert "あなたの区を「小川1区」にしました" in saved
    await line.say("jiro", "/area mine 小川1区")
    await line.say("ken", "/area mine 美野里3区")
    assert "あなたの区: 小川1区" in shown(await line.say("hana", "/area mine"))

    def who(session):
        return (
            area_spaces.members_of_area(session, ids["小川1区"]),
            area_spaces.members_of_school(session, "小川小学校"),
            area_spaces.members_of_school(session, "竹原小学校"),
        )

    of_area, of_school, other_school = await line.bot.db.run(who)
    assert len(of_area) == 2 and sorted(of_area) == sorted(of_school) and len(other_school) == 1
    assert "消しました" in shown(await line.say("hana", "/area mine clear"))
    of_area, _, _ = await line.bot.db.run(who)
    assert len(of_area) == 1
    assert "1:1トーク" in shown(await line.say("hana", "/area mine 小川1区", group="どこかのグループ"))


# ---- KPIs and the digest -----------------------------------------------------------------------------------------


async def test_areas_published_and_its_share_are_in_the_kpis_and_the_digest(line):
    ids = await seed(line.bot)
    await fill(line.bot, ids["小川2区"], PUBLIC, newcomers=True, publish=True)
    await fill(line.bot, ids["小川1区"], SECRET, newcomers=True, publish=False)
    auth = {"Authorization": "Bearer line-bot-staff-token"}
    response = await line.bot.get("/api/kpi", headers=auth)
    kpis = json.loads(await response.text())["kpis"]
    assert kpis["areas_published"] == {"value": 1, "target": None}
    assert kpis["areas_total"] == {"value": 3, "target": None}
    assert "areas_published_percent" not in kpis  # shown beside the KPI for people, not part of the JSON
    csv_text = (await (await line.bot.get("/api/kpi.csv", headers=auth)).read()).decode("utf-8-sig")
    assert "公開している区の割合(%),areas_published_percent,33" in csv_text
    with line.bot.db.session() as session:
        weekly = digest.build(session, line.bot.runtime.site, datetime.now(line.bot.settings.tz) + timedelta(days=7))
    assert "公開している区: 1 / 3区（33%）" in weekly.text and "「移住者歓迎」の区: 1" in weekly.text
    assert not [secret for secret in SECRET.values() if secret in weekly.text]
