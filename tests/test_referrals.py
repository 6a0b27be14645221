"""Referral links (/donate, GET /r/<code>) and the donation CSV import."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import func, select

from bot.app import RUNTIME, create_app
from bot.cli import main as cli_main
from bot.config import DEFAULT_CITY_CONFIG
from community.donations import import_donations
from community.referrals import create_referral, donation_page
from storage.db import utcnow
from storage.models import Engagement
from storage.models.staff import Donation, ReferralCode

DONATION_URL = "https://www.furusato-tax.jp/city/product/08236"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
async def web(make_settings):
    app = create_app(make_settings(), run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as client:
        yield client


def clicks(db) -> dict[str, int]:
    with db.session() as session:
        rows = session.exec(
            select(Engagement.detail, func.count())
            .where(Engagement.kind == "referral_click")
            .group_by(Engagement.detail)
        ).all()
    return dict(rows)


async def test_donate_gives_the_same_personal_link_every_time(chat):
    [first] = await chat.say("/donate")
    link = re.search(r"https://tsunagaru\.example\.jp/r/([a-z2-9]+)", first)
    assert link, first
    assert "ふるさと納税" in first
    [second] = await chat.say("/donate")
    assert link.group(0) in second
    with chat.runtime.db.session() as session:
        codes = session.exec(select(ReferralCode)).all()
    assert [(c.kind, c.code) for c in codes] == [("member", link.group(1))]
    assert codes[0].owner_ref.startswith("m-")  # the member's public id, not the platform id "hanako"


async def test_donate_is_for_the_one_to_one_chat(make_settings):
    from bot.console import ConsoleChat

    group = ConsoleChat(make_settings(), user="hanako", group="子育てサークル")
    await group.start()
    try:
        [answer] = await group.say("/donate")
    finally:
        await group.stop()
    assert "1:1トーク" in answer


async def test_threads_and_events_get_their_own_codes(make_settings):
    from storage.db import Database
    from storage.migrate import upgrade

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        thread = db.call(lambda s: create_referral(s, "thread", "42").code)
        event = db.call(lambda s: create_referral(s, "event", "42").code)
        again = db.call(lambda s: create_referral(s, "thread", "42").code)
        with pytest.raises(ValueError):
            db.call(lambda s: create_referral(s, "nonsense", "42"))
    finally:
        db.close()
    assert thread == again and thread != event


async def test_known_code_redirects_with_tracking_parameter_and_counts(web):
    db = web.app[RUNTIME].db
    code = await db.run(lambda s: create_referral(s, "member", "m-abc").code)
    response = await web.get(f"/r/{code}", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == f"{DONATION_URL}?ref={code}"
    upper = await web.get(f"/r/{code.upper()}", allow_redirects=False)
    assert upper.headers["Location"] == f"{DONATION_URL}?ref={code}"
    assert clicks(db) == {code: 2}


@pytest.mark.parametrize(
    "path",
    [
        "/r/zzzzzzz",  # well-formed, unknown
        "/r/abc",  # too short
        "/r/",
        "/r",
        "/r/%3Cscript%3E",
        "/r/" + "a" * 200,
        "/r//evil.example/x",
        "/r/https:%2F%2Fevil.example",
        "/r/%2F%2Fevil.example",
        "/r/..%2F..%2Fapi%2Fkpi",
        "/r/abcdefg?ref=https://evil.example",
        "/r/abcdefg/extra",
    ],
)
async def test_unknown_or_malformed_codes_still_reach_the_donation_page(web, path):
    db = web.app[RUNTIME].db
    response = await web.get(path, allow_redirects=False)
    assert response.status == 302, path
    assert response.headers["Location"] == DONATION_URL
    assert clicks(db) == {"unattributed": 1}


async def test_head_request_redirects_without_counting(web):
    response = await web.head("/r/zzzzzzz", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == DONATION_URL
    assert clicks(web.app[RUNTIME].db) == {}


def test_tracking_parameter_replaces_an_existing_one(make_settings, tmp_path):
    config = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8").replace(
        f'url = "{DONATION_URL}"', f'url = "{DONATION_URL}?lang=ja&ref=old"'
    )
    path = tmp_path / "city.toml"
    path.write_text(config, encoding="utf-8")
    settings = make_settings(CITY_CONFIG=str(path))
    assert donation_page(settings.site, "abcdefg") == f"{DONATION_URL}?lang=ja&ref=abcdefg"
    assert donation_page(settings.site) == f"{DONATION_URL}?lang=ja&ref=old"


# ---- donation import ----------------------------------------------------------------------------------------------

HEADER = "受付番号,寄附日,寄附金額,紹介コード,寄附のきっかけ,お名前\n"


def portal_csv(code: str) -> str:
    return HEADER + (
        f'1001,2026/05/03,"10,000",{code},,山田太郎\n'  # code column
        f"1002,2026-05-04,5000円,,LINEで見ました {code} です,佐藤花子\n"  # code in the reason text
        "1003,2026年5月5日,3000,,つながる小美玉のグループで知りました,鈴木一郎\n"  # keyword
        "1004,2026/05/06,20000,,返礼品が魅力,田中次郎\n"  # not ours
        "1005,2026/05/07,たくさん,,,高橋三郎\n"  # bad amount: line 6
        '1006,"2026/05/08",8000,,"複数行の\n理由",伊藤\n'  # a quoted cell over two lines
        "1007,2026/13/40,1000,,,渡辺\n"  # impossible date: line 9
    )


def seed_code(settings) -> str:
    from storage.db import Database
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        return db.call(lambda s: create_referral(s, "member", "m-owner").code)
    finally:
        db.close()


def stored(settings):
    from storage.db import Database

    db = Database(settings.database_url)
    try:
        with db.session() as session:
            donations = session.exec(select(Donation).order_by(Donation.id)).all()
            logged = session.exec(select(Engagement).where(Engagement.kind == "donation").order_by(Engagement.id)).all()
    finally:
        db.close()
    return donations, logged


def run_cli(monkeypatch, settings, *argv: str) -> int:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PUBLIC_BASE_URL", settings.public_base_url)
    for name in (
        "CITY_CONFIG",
        "STAFF_API_TOKEN",
        "LINE_CHANNEL_SECRET",
        "LINE_CHANNEL_ACCESS_TOKEN",
        "DISCORD_BOT_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    return cli_main(list(argv))


@pytest.mark.parametrize("encoding,bom", [("utf-8", True), ("utf-8", False), ("shift_jis", False)])
def test_import_from_cli_attributes_reports_bad_rows_and_reimports_nothing(
    make_settings, tmp_path, monkeypatch, capsys, encoding, bom
):
    settings = make_settings()
    code = seed_code(settings)
    path = tmp_path / "export.csv"
    data = portal_csv(code).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)

    assert run_cli(monkeypatch, settings, "donations", "import", str(path)) == 1
    out = capsys.readouterr().out
    assert "取り込み: 5件 (うち紹介経由 3件・18,000円)" in out
    assert "6行目" in out and "たくさん" in out
    assert "9行目" in out and "2026/13/40" in out

    donations, logged = stored(settings)
    assert [(d.amount, d.code, d.attributed_by) for d in donations] == [
        (10000, code, "code"),
        (5000, code, "reason"),
        (3000, None, "keyword"),
        (20000, None, ""),
        (8000, None, ""),
    ]
    assert [(e.amount, e.detail) for e in logged] == [
        (10000, code),
        (5000, code),
        (3000, "keyword"),
        (20000, "unattributed"),
        (8000, "unattributed"),
    ]
    # The date is the city's date: 2026-05-03 in Tokyo.
    assert logged[0].at.astimezone(TOKYO).date().isoformat() == "2026-05-03"

    assert run_cli(monkeypatch, settings, "donations", "import", str(path)) == 1
    out = capsys.readouterr().out
    assert "取り込み: 0件" in out and "省略: 5件" in out
    assert len(stored(settings)[0]) == 5


def test_import_names_a_missing_column(make_settings):
    from storage.db import Database
    from storage.migrate import upgrade

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        result = db.call(import_donations, settings.site, "日付,金額\n2026/05/03,1000\n".encode(), utcnow())
    finally:
        db.close()
    assert result.added == 0
    assert result.errors and result.errors[0][0] == 1 and "寄附日" in str(result.errors[0][1])


def test_cli_import_of_a_missing_file_fails_cleanly(make_settings, monkeypatch, capsys, tmp_path):
    assert run_cli(monkeypatch, make_settings(), "donations", "import", str(tmp_path / "nope.csv")) == 2
    assert "ファイルを読めません" in capsys.readouterr().err


def test_each_bad_row_is_a_problem_named_by_its_line_in_both_languages(make_settings):
    from handlers.kpi.cli import summary
    from storage.db import Database
    from storage.migrate import upgrade

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        result = db.call(import_donations, settings.site, portal_csv("zzzzzzz").encode("utf-8"), utcnow())
        nothing = db.call(import_donations, settings.site, b"", utcnow())
        not_text = db.call(import_donations, settings.site, b"\xff\xfe\x00\x81", utcnow())
    finally:
        db.close()
    assert [(line, problem.key) for line, problem in result.errors] == [
        (6, "donations.bad_amount"),
        (9, "donations.impossible_date"),
    ]
    assert summary(result).splitlines() == [
        "取り込み: 5件 (うち紹介経由 1件・3,000円) / imported 5 (1 attributed, ¥3,000)",
        "取り込み済みのため省略: 0件 / already imported, skipped: 0",
        "エラー: 2行 / rows with errors: 2",
        "  6行目 / line 6: 金額が読めません / unreadable amount: 'たくさん'",
        "  9行目 / line 9: ありえない日付です / impossible date: '2026/13/40'",
    ]
    assert [str(problem) for _, problem in nothing.errors] == ["空のファイルです"]
    assert [problem.text("en") for _, problem in not_text.errors] == ["not UTF-8 or Shift_JIS"]


async def test_donate_speaks_the_members_language(chat):
    await chat.say("/lang en")
    [answer] = await chat.say("/donate")
    url = re.search(r"https://tsunagaru\.example\.jp/r/[a-z2-9]+", answer).group(0)
    assert answer == (
        "Support the city with furusato nozei\nYou can support 小美玉市 with furusato nozei. This is your "
        f"own referral link (always the same):\n{url}\n  1) Open the donation page <{url}>"
    )


async def test_without_a_donation_page_there_is_no_link_and_no_redirect(make_settings, tmp_path):
    from bot.console import ConsoleChat

    path = tmp_path / "city.toml"
    path.write_text(
        DEFAULT_CITY_CONFIG.read_text(encoding="utf-8").replace(f'url = "{DONATION_URL}"', 'url = ""'), encoding="utf-8"
    )
    settings = make_settings(CITY_CONFIG=str(path))
    chat = ConsoleChat(settings, user="hanako")
    await chat.start()
    try:
        assert await chat.say("/寄附") == ["ふるさと納税のページがまだ設定されていません。"]
    finally:
        await chat.stop()
    async with TestClient(TestServer(create_app(settings, run_workers=False, run_scheduler=False))) as client:
        response = await client.get("/r/abcdefg", allow_redirects=False)
        assert response.status == 404 and "ふるさと納税のページはまだ設定されていません。" in await response.text()
        assert response.headers["Cache-Control"] == "no-store"
        assert clicks(client.app[RUNTIME].db) == {}
