"""Issue #13 in the KPI and dashboard area, each point as the attack or problem that found it.

13.2  The public weekly chart stalled the webhook: charts are signed, cached per week, drawn off the database thread,
      and weeks without data are refused.
13.8  The dashboard's one-time link worked more than once under concurrent POSTs (PostgreSQL).
13.10 500s that should be 4xx: year-1 and year-9999 charts, superscript digits in ?fy=.
13.11 The KPI downloads are never cached (Cache-Control: no-store).
13.12 The audit log: role grants, CSV downloads and donation imports are recorded; staff read it with /audit and on
      the dashboard; nobody edits or deletes an entry.
12.15 The donations KPI says it counts referrals only (紹介経由), with the total imported beside it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import RUNTIME, create_app
from bot.cli import main as cli_main
from bot.console import ConsoleChat
from community import audit, charts, dashboard, digest, engagement, kpi, members
from storage.db import utcnow
from storage.models import Member
from storage.models.audit import AuditEntry
from storage.models.staff import DashboardLogin
from tests.fixtures.cities import city_with_targets

TOKYO = ZoneInfo("Asia/Tokyo")
TOKEN = "staff-secret-token"
SECRET_PLATFORM_ID = "U0123456789abcdef0123456789abcdef"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def seed(session) -> None:
    """Activity from 2026-04-07 (week 2026-W15) on, with donations through a referral and not."""
    rec = engagement.record
    rec(session, "member_joined", at("2026-04-07T10:00"), member="m-aaa", space="community")
    rec(session, "referral_click", at("2026-04-09T10:00"), detail="abcdefg")
    rec(session, "donation", at("2026-04-10T12:00"), detail="abcdefg", amount=10000)
    rec(session, "donation", at("2026-04-10T12:00"), detail="unattributed", amount=99000)
    rec(session, "donation", at("2026-05-05T12:00"), detail="keyword", amount=3000)


@pytest.fixture
async def web(make_settings, tmp_path):
    settings = make_settings(STAFF_API_TOKEN=TOKEN, CITY_CONFIG=str(city_with_targets(tmp_path)))
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as client:
        await client.app[RUNTIME].db.run(seed)
        yield client


def entries(db) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))


def this_week_label() -> str:
    return digest.week_label(datetime.now(TOKYO).date())


# ---- 13.2: the weekly chart --------------------------------------------------------------------------------------


async def signed(web, week: str) -> str:
    return "/" + await web.app[RUNTIME].db.run(digest.chart_path, week)


async def test_the_chart_answers_only_at_its_signed_address(web):
    good = await signed(web, "2026-W15")
    other = await signed(web, "2026-W16")
    assert (await web.get(good)).status == 200
    assert (await web.get(good, headers={"Authorization": "Bearer nope"})).status == 200  # the signature suffices
    assert (await web.get("/charts/weekly-2026-W15.png", headers=auth())).status == 200  # so does the staff token
    for path in (
        "/charts/weekly-2026-W15.png",  # unsigned
        "/charts/weekly-2026-W15.png?sig=" + "0" * 32,  # wrongly signed
        "/charts/weekly-2026-W15.png?sig=" + other.split("sig=")[1],  # another week's signature
        good[:-1],  # cut short
        "/charts/weekly-2026-W15.png?sig=%C2%B2" + "0" * 30,
    ):  # not even ASCII
        response = await web.get(path)
        assert response.status == 404, path
        assert response.headers["Content-Type"].startswith("text/plain")


async def test_weeks_without_data_are_refused(web):
    """Before the first record, the running week, the future, and years whose weeks are not dates: 404, never 500,
    and never a chart of zeros."""
    for week in ("2026-W10", "2026-W14", this_week_label(), "2999-W01", "0001-W01", "9999-W52", "2026-W99"):
        for headers in ({}, auth()):
            path = f"/charts/weekly-{week}.png" if headers else await signed(web, week)
            response = await web.get(path, headers=headers)
            assert response.status == 404, (week, headers)
    assert (await web.get(await signed(web, "2026-W15"))).status == 200  # the first week with data


async def test_the_chart_is_drawn_off_the_database_thread_once_per_week(web, monkeypatch):
    """Twenty requests at once for the same week: one database call for the figures, one drawing on a thread that
    is not the database's, and while it draws the database answers others at once. Later requests: no database
    call at all."""
    db = web.app[RUNTIME].db
    path = await signed(web, "2026-W15")
    drawing_started, go_on = threading.Event(), threading.Event()
    drawn_on: list[str] = []
    real_draw = charts.draw_chart

    def slow_draw(weeks):
        drawn_on.append(threading.current_thread().name)
        drawing_started.set()
        assert go_on.wait(10)
        return real_draw(weeks)

    db_calls: list[str] = []
    real_run = db.run

    async def counting_run(fn, *args):
        db_calls.append(getattr(fn, "__name__", repr(fn)))
        return await real_run(fn, *args)

    monkeypatch.setattr(charts, "draw_chart", slow_draw)
    monkeypatch.setattr(db, "run", counting_run)
    requests = [asyncio.ensure_future(web.get(path)) for _ in range(20)]
    assert await asyncio.to_thread(drawing_started.wait, 10)
    # The drawing holds its thread; the database (one thread on SQLite) still answers at once.
    started = time.monotonic()
    assert await real_run(lambda session: 1) == 1
    assert time.monotonic() - started < 1.0
    go_on.set()
    responses = await asyncio.gather(*requests)
    bodies = {await response.read() for response in responses}
    assert [response.status for response in responses] == [200] * 20 and len(bodies) == 1
    assert len(drawn_on) == 1 and drawn_on[0].startswith("chart") and not drawn_on[0].startswith("db")
    assert db_calls.count("chart_weeks") == 1

    db_calls.clear()
    again = await web.get(path)
    assert again.status == 200 and await again.read() in bodies
    assert db_calls == [] and len(drawn_on) == 1  # from memory: no database call, no drawing


async def test_many_weeks_at_once_do_not_hold_the_database(web, monkeypatch):
    """The attack's shape: many weeks asked at once. Unsigned ones cost no database work; signed ones are figured in
    one short call each and drawn one at a time off the database's thread."""
    db = web.app[RUNTIME].db
    db_calls: list[str] = []
    real_run = db.run

    async def counting_run(fn, *args):
        db_calls.append(getattr(fn, "__name__", repr(fn)))
        return await real_run(fn, *args)

    await web.get("/charts/weekly-2026-W15.png")  # reads the signing key once
    monkeypatch.setattr(db, "run", counting_run)
    weeks = [digest.week_label(date(2026, 4, 13) + timedelta(weeks=n)) for n in range(10)]
    responses = await asyncio.gather(*(web.get(f"/charts/weekly-{week}.png") for week in weeks * 5))
    assert {response.status for response in responses} == {404}
    assert db_calls == []


# ---- 13.8: the one-time link, spent once however many use it at the same time -----------------------------------


async def test_eight_concurrent_logins_with_one_link_make_one_session(make_settings, database_url):
    """Eight POSTs of the same link at once, five links in a row (the race was won 2-8 times on PostgreSQL): each
    link gives exactly one session."""
    settings = make_settings(DATABASE_URL=database_url, PUBLIC_BASE_URL="http://127.0.0.1:8080")
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as client:
        db = app[RUNTIME].db
        now = utcnow()

        def staff_link(session) -> str:
            member = members.get_or_create_member(session, "console", "staff-sato", now)
            members.grant(session, member.id, members.STAFF, now)
            return dashboard.create_login(session, member.id, now)

        rounds = []
        for _ in range(5):
            path = f"/dashboard/login/{await db.run(staff_link)}"
            responses = await asyncio.gather(*(client.post(path, allow_redirects=False) for _ in range(8)))
            rounds.append(sorted(response.status for response in responses))
        with db.session() as session:
            sessions = session.exec(select(DashboardLogin).where(DashboardLogin.purpose == dashboard.SESSION)).all()
    assert rounds == [[303] + [401] * 7] * 5
    assert len(sessions) == 5


# ---- 13.10: 4xx, not 500 -------------------------------------------------------------------------------------------


async def test_superscript_fiscal_years_are_refused_not_crashed(web):
    for path in ("/api/kpi", "/api/kpi.csv", "/dashboard/kpi.csv"):
        response = await web.get(path, params={"fy": "²²²²"}, headers=auth())
        assert response.status == 400, path
        assert "fy" in (await response.json())["error"]
    response = await web.get("/dashboard", params={"fy": "²²²²"}, headers=auth(), allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/dashboard"
    response = await web.get("/dashboard", params={"fy": "２０２６"}, headers=auth(), allow_redirects=False)
    assert response.status == 302  # full-width digits are not a year here either


async def test_charts_of_year_one_and_year_9999_are_not_found(web):
    for week in ("0001-W01", "9999-W52", "0001-W52", "9999-W01"):
        for headers in (auth(), {}):
            response = await web.get(f"/charts/weekly-{week}.png", headers=headers)
            assert response.status == 404, week
        assert (await web.get(await signed(web, week))).status == 404, week


# ---- 13.11: the KPI downloads are never cached -------------------------------------------------------------------


async def test_kpi_downloads_are_not_stored_by_caches(web):
    for path in ("/api/kpi?fy=2026", "/api/kpi.csv?fy=2026", "/dashboard/kpi.csv?fy=2026", "/dashboard?fy=2026"):
        response = await web.get(path, headers=auth())
        assert response.status == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


# ---- 13.12: the audit log ------------------------------------------------------------------------------------------


async def test_role_grants_are_in_the_audit_log_with_who_gave_them(make_settings):
    settings = make_settings()
    staff = ConsoleChat(settings, user="staff-sato", staff=True)
    await staff.start()
    resident = ConsoleChat(settings, user="hanako")
    await resident.start()
    try:
        [my_id] = await resident.say("/event id")
        public_id = re.search(r"m-[a-z0-9]{10}", my_id).group()
        await staff.say(f"/organizer {public_id}")
        await staff.say(f"/organizer {public_id}")  # already one: nothing new to record
        when = (datetime.now(TOKYO) + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
        [created] = await staff.say(f"/event new 秋の交流会 | {when} | 公民館")
        code = re.search(r"イベントコード: ([2-9A-HJ-NP-Z]{6})", created).group(1)
        await staff.say(f"/event facilitator {code} {public_id}")
        db = staff.runtime.db
        with db.session() as session:
            sato = session.exec(select(Member).where(Member.public_id != public_id)).one()
        logged = [(e.actor_member_id, e.action, e.target, e.detail) for e in entries(db)]
    finally:
        await resident.stop()
        await staff.stop()
    assert logged == [
        (None, "role.grant", f"member:{sato.public_id}", "staff config:console"),  # ADMIN_*_USER_IDS at start
        (sato.id, "role.grant", f"member:{public_id}", "organizer"),
        (sato.id, "role.grant", f"member:{public_id}", f"facilitator {code}"),
    ]


async def test_csv_downloads_are_in_the_audit_log_and_the_json_is_not(make_settings):
    settings = make_settings(STAFF_API_TOKEN=TOKEN, PUBLIC_BASE_URL="http://127.0.0.1:8080")
    chat = ConsoleChat(settings, user="staff-sato", staff=True)
    await chat.start()
    try:
        [answer] = await chat.say("/dashboard")
        db = chat.runtime.db
        with db.session() as session:
            sato = members.find_member(session, "console", "staff-sato")
    finally:
        await chat.stop()
    login = re.search(r"http://127\.0\.0\.1:8080(/dashboard/login/\S+)", answer).group(1)
    async with TestClient(TestServer(create_app(settings, run_workers=False, run_scheduler=False))) as web:
        db = web.app[RUNTIME].db
        before = len(entries(db))
        assert (await web.get("/api/kpi?fy=2026", headers=auth())).status == 200  # monitoring: not an export
        assert (await web.head("/api/kpi.csv?fy=2026", headers=auth())).status == 200  # no data sent
        assert (await web.get("/api/kpi.csv?fy=2026", headers=auth())).status == 200
        assert (await web.post(login, allow_redirects=False)).status == 303
        assert (await web.get("/dashboard/kpi.csv?fy=2025")).status == 200
        assert (await web.get("/api/kpi.csv?fy=2026")).status == 401  # refused: nothing exported, nothing logged
        logged = [(e.actor_member_id, e.action, e.target, e.detail) for e in entries(db)[before:]]
    assert logged == [
        (None, "export.kpi_csv", "fy:2026", "via=token"),
        (sato.id, "export.kpi_csv", "fy:2025", "via=dashboard"),
    ]


def test_donation_imports_are_in_the_audit_log(make_settings, monkeypatch, tmp_path, capsys):
    settings = make_settings()
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.delenv("CITY_CONFIG", raising=False)
    path = tmp_path / "portal-2026-05.csv"
    path.write_text(
        "寄附日,寄附金額,紹介コード,寄附のきっかけ\n2026/05/03,10000,,\n2026/05/04,3000,,\n", encoding="utf-8"
    )
    assert cli_main(["donations", "import", str(path)]) == 0
    assert cli_main(["donations", "import", str(path)]) == 0  # again: nothing added, but it was done
    capsys.readouterr()
    from storage.db import Database

    db = Database(settings.database_url)
    try:
        logged = [(e.actor_member_id, e.action, e.target, e.detail) for e in entries(db)]
    finally:
        db.close()
    assert logged == [
        (None, "donations.import", "file:portal-2026-05.csv", "added=2 attributed=0 yen=0 duplicates=0 errors=0"),
        (None, "donations.import", "file:portal-2026-05.csv", "added=0 attributed=0 yen=0 duplicates=2 errors=0"),
    ]


def _many_entries(session, count: int, actor_id: int | None = None) -> None:
    start = utcnow() - timedelta(hours=count)
    for n in range(count):
        audit.record(session, actor_id, audit.EXPORT_KPI_CSV, f"fy:{2000 + n}", "via=token", start + timedelta(hours=n))


async def test_staff_read_the_audit_log_with_a_chat_command(staff_chat, chat):
    db = staff_chat.runtime.db
    await db.run(_many_entries, 45)  # + the console's own staff grant: 46 entries, 3 pages
    [first] = await staff_chat.say("/audit")
    assert first.startswith("監査ログ（新しい順 1〜20件目 / 全46件）")
    assert "fy:2044" in first and "fy:2025" in first and "fy:2024" not in first  # the newest 20
    assert first.index("fy:2044") < first.index("fy:2043")  # newest first
    assert "システム" in first and "KPIのCSVをダウンロード" in first and "/audit more" in first
    assert "もっと古い記録" in staff_chat.buttons()[0][0]
    [second] = await staff_chat.say("/audit more")
    assert "21〜40件目" in second and "fy:2024" in second and "fy:2005" in second
    [third] = await staff_chat.say("/audit more")  # on from the page last shown
    assert "41〜46件目" in third and "fy:2000" in third and "役割を付与" in third and "staff-sato" not in third
    assert staff_chat.buttons() == []  # the oldest page: no more
    [by_number] = await staff_chat.say("/audit 2")
    assert by_number == second
    [pressed] = await staff_chat.enter("1")  # the button under page 2
    assert "41〜46件目" in pressed
    [beyond] = await staff_chat.say("/audit 9")
    assert beyond == "9ページ目はありません（最後は 3ページ目です）。"
    [bad] = await staff_chat.say("/audit delete 3")
    assert "数字で" in bad and "使い方: /audit" in bad
    assert await staff_chat.say("/lang en")
    [english] = await staff_chat.say("/audit")
    assert english.startswith("Audit log (newest first, 1 to 20 of 46)") and "downloaded the KPI CSV" in english
    [refused] = await chat.say("/audit")
    assert refused == "「/audit」は市の職員だけが使えるコマンドです。"
    assert await chat.send(None, kind="postback", postback="audit:page:2") == []  # a resident pressing: nothing
    assert len(await db.run(lambda s: s.exec(select(AuditEntry)).all())) == 46  # reading changed nothing


async def test_the_audit_command_is_for_the_one_to_one_chat(make_settings):
    group = ConsoleChat(make_settings(), user="staff-sato", group="職員室", staff=True)
    await group.start()
    try:
        [answer] = await group.say("/audit")
    finally:
        await group.stop()
    assert "1:1" in answer


async def test_the_audit_log_names_people_without_platform_ids(make_settings):
    """By display name, or by public id once there is none; never by a LINE/Discord/console user id."""
    chat = ConsoleChat(make_settings(), user=SECRET_PLATFORM_ID, staff=True)
    await chat.start()
    try:
        db = chat.runtime.db

        def name_and_act(session) -> str:
            member = members.find_member(session, "console", SECRET_PLATFORM_ID)
            _many_entries(session, 1, member.id)
            return member.public_id

        public_id = await db.run(name_and_act)
        [answer] = await chat.say("/audit")
        assert SECRET_PLATFORM_ID not in answer and f"{public_id}: KPIのCSVをダウンロード" in answer

        def rename(session) -> None:
            member = members.find_member(session, "console", SECRET_PLATFORM_ID)
            member.display_name = "佐藤（市民協働課）"
            session.add(member)

        await db.run(rename)
        [answer] = await chat.say("/audit")
    finally:
        await chat.stop()
    assert SECRET_PLATFORM_ID not in answer and "佐藤（市民協働課）: KPIのCSVをダウンロード" in answer


def _hostile_entries(session) -> None:
    now = utcnow()
    actor = members.get_or_create_member(session, "console", "staff-x", now)
    actor.display_name = "<script>alert(1)</script>" + "長" * 60
    session.add(actor)
    session.flush()
    audit.record(session, actor, "post.hide", "post:12", "reports=" + "9" * 150, now)
    audit.record(session, None, "thread.restore", "thread:<b>3</b>", "", now + timedelta(seconds=1))


async def test_the_dashboard_lists_the_newest_entries_escaped(web):
    await web.app[RUNTIME].db.run(_many_entries, 25)
    await web.app[RUNTIME].db.run(_hostile_entries)
    page = await (await web.get("/dashboard?fy=2026", headers=auth())).text()
    assert "監査ログ（新しい順）" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "thread:&lt;b&gt;3&lt;/b&gt;" in page and "<b>3</b>" not in page
    assert page.count('<li><small class="muted">') == 20  # the newest 20: both above and 18 of the 25
    assert "fy:2024" in page and "fy:2007" in page and "fy:2006" not in page
    assert page.index("thread:&lt;b&gt;3&lt;/b&gt;") < page.index("fy:2024")  # newest first


async def test_the_dashboard_audit_section_fits_a_phone(make_settings, tmp_path):
    from tests.chromium import Browser, require_chromium

    require_chromium()
    settings = make_settings(STAFF_API_TOKEN=TOKEN)
    app = create_app(settings, run_workers=False, run_scheduler=False)
    async with TestServer(app, host="127.0.0.1", port=0) as server:
        await app[RUNTIME].db.run(seed)
        await app[RUNTIME].db.run(_hostile_entries)
        async with Browser(tmp_path / "chromium", width=390, height=844) as browser:
            await browser.open(str(server.make_url("/dashboard?fy=2026")), headers=auth())
            text = await browser.evaluate("document.body.innerText")
            overflow = await browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            chart = await browser.evaluate(
                "(() => { const i = document.querySelector('img.chart');"
                " return i ? [i.complete, i.naturalWidth] : null })()"
            )
    assert "監査ログ" in text and "<script>alert(1)</script>" in text and "スレッドを再表示" in text
    assert chart is not None and chart[0] and chart[1] > 0  # the signed chart address loads in a browser
    assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"


def test_audit_entries_cannot_be_edited_or_deleted(make_settings):
    from storage.db import Database
    from storage.migrate import upgrade

    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        db.call(_many_entries, 3)

        def edit(session) -> None:
            entry = session.exec(select(AuditEntry)).first()
            entry.detail = "nothing happened"
            session.add(entry)
            session.flush()

        def remove(session) -> None:
            session.delete(session.exec(select(AuditEntry)).first())
            session.flush()

        for change in (edit, remove):
            with pytest.raises(audit.AuditEntryIsAppendOnly):
                db.call(change)
        assert [e.detail for e in entries(db)] == ["via=token"] * 3
        # Only the retention period removes entries: those older than it.
        assert db.call(audit.purge, utcnow() + timedelta(days=30) - timedelta(hours=2, minutes=30), 30) == 1
        assert len(entries(db)) == 2
    finally:
        db.close()


# ---- 12.15: donations through referrals, and all imported beside them --------------------------------------------


async def test_the_donations_kpi_says_referrals_and_shows_the_imported_total(web):
    data = await (await web.get("/api/kpi?fy=2026", headers=auth())).json()
    assert data["kpis"]["donations_yen"] == {"value": 13000, "target": 800000}  # the contract: unchanged
    assert "donations_imported_yen" not in data["kpis"] and "donations_imported_yen" not in data

    body = await (await web.get("/api/kpi.csv?fy=2026", headers=auth())).read()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    names = [row[1] for row in rows if len(row) > 2]
    assert names.index("donations_imported_yen") == names.index("donations_yen") + 1
    by_name = {row[1]: row for row in rows if len(row) > 2}
    assert by_name["donations_yen"][:3] == ["紹介経由のふるさと納税額(円)", "donations_yen", "13000"]
    assert by_name["donations_imported_yen"] == ["取り込んだ寄附の総額(円)", "donations_imported_yen", "112000", "", ""]

    page = await (await web.get("/dashboard?fy=2026", headers=auth())).text()
    assert "紹介経由のふるさと納税額(円)" in page and "取り込んだ寄附の総額(円): 112,000" in page

    def table(session) -> str:
        site = web.app[RUNTIME].settings.site
        return kpi.table_text(kpi.report(session, site, 2026), site)

    text = await web.app[RUNTIME].db.run(table)
    assert "紹介経由のふるさと納税額(円)" in text and "（取り込んだ寄附の総額(円): 112,000）" in text
    assert kpi.label("donations_yen", "en") == "Furusato-nozei donations via referrals (yen)"


async def test_the_digest_shows_the_imported_total_beside_the_referrals(web):
    def build(session) -> str:
        return digest.build(session, web.app[RUNTIME].settings.site, at("2026-04-13T09:00")).text

    text = await web.app[RUNTIME].db.run(build)
    assert "紹介経由のふるさと納税額(円): 10,000 / 800,000 (1.2%)" in text
    assert "（取り込んだ寄附の総額(円): 109,000）" in text  # the fiscal year so far
    assert "紹介経由の寄附: 1件 10,000円" in text and "取り込んだ寄附の総額: 109,000円" in text  # the week
    assert re.search(r"https://tsunagaru\.example\.jp/charts/weekly-2026-W15\.png\?sig=[0-9a-f]{32}", text)
