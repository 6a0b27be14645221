"""KPIs from the engagement log: fiscal years, the operator contract JSON, /api/kpi (+ CSV) and `kpi --json`."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.app import RUNTIME, create_app
from bot.cli import main as cli_main
from community import appstats, digest, engagement, events, kpi, region_kpi
from community.city import RegionConfig
from community.messages import POSTBACK
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Member, Role, Space
from storage.models.audit import AuditEntry
from storage.models.events import Event, EventSpace, FacilitatorOptOut
from tests.fixtures.board import thread_with_posts
from tests.fixtures.cities import city_with_targets
from tests.test_childcare import EVERY_ID

# The KPI names of the operator contract, in the JSON's order (README). Issue 14 added participants_at_fy_end
# (Kashima's stock), events_held / events_with_group_and_facilitator[_percent] (Omitama's rule) and app_downloads
# (Omitama's app), each at the end of its feature's KPIs.
CONTRACT_KPIS = (
    "participants",
    "participants_total",
    "posts",
    "posts_cumulative",
    "participants_at_fy_end",
    "donations_yen",
    "donations_count",
    "referral_clicks",
    "referral_clicks_unattributed",
    "event_spaces",
    "event_spaces_with_active_facilitator",
    "event_messages",
    "events_held",
    "events_with_group_and_facilitator",
    "events_with_group_and_facilitator_percent",
    "event_registrations",  # issue 16: places taken, check-ins at the venue, 交流人口 (check-ins + venue counts)
    "event_attendance",
    "visitors",
    "childcare_optins",
    "app_downloads",
    "areas_published",
    "areas_total",
    "listings_published",
    "listing_inquiries",
    "circles_listed",
    "occasion_signups",
)

TOKYO = ZoneInfo("Asia/Tokyo")
TOKEN = "staff-secret-token"

NUMBER = {"type": "integer", "minimum": 0}
CONTRACT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fiscal_year", "from", "to", "kpis", "per_touchpoint", "per_occasion"],
    "properties": {
        "fiscal_year": {"type": "integer"},
        "from": {"type": "string", "pattern": r"^\d{4}-04-01$"},
        "to": {"type": "string", "pattern": r"^\d{4}-03-31$"},
        "kpis": {
            "type": "object",
            "additionalProperties": False,
            "required": list(CONTRACT_KPIS),
            "properties": {
                name: {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["value", "target"],
                    "properties": {"value": NUMBER, "target": {"type": ["integer", "null"]}},
                }
                for name in CONTRACT_KPIS
            },
        },
        "per_touchpoint": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["scans", "pushes"],
                "properties": {"scans": NUMBER, "pushes": NUMBER},
            },
        },
        "per_occasion": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "scans", "signups"],
                "properties": {"name": {"type": "string"}, "scans": NUMBER, "signups": NUMBER},
            },
        },
    },
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


def seed(session) -> None:
    """Rows on both sides of the FY 2026 boundary (2026-04-01 00:00 in Tokyo is 2026-03-31 15:00 UTC)."""
    rec = engagement.record
    # Participants: members who joined the community (Kashima's definition).
    rec(session, "member_joined", at("2026-03-31T23:59"), member="m-old", space="community")  # FY 2025
    for name, when in (("m-aaa", "2026-04-01T00:00"), ("m-bbb", "2026-09-01T10:00"), ("m-ddd", "2027-03-31T23:59")):
        rec(session, "member_joined", at(when), member=name, space="community")
    rec(session, "member_joined", at("2027-04-01T00:00"), member="m-ccc", space="community")  # FY 2027
    # Participants at the fiscal year's end (a stock): m-bbb leaves in FY 2026.
    rec(session, "member_left", at("2026-12-01T10:00"), member="m-bbb", space="community")
    # Posts: visible board posts; a post staff hid as spam does not count.
    author = Member(public_id="m-aaa", created_at=at("2026-01-01T00:00"))
    session.add(author)
    session.flush()
    posts = [
        (at("2026-03-31T23:59"), None),
        (at("2026-04-01T00:00"), None),
        (at("2026-04-01T08:30"), None),
        (at("2026-05-01T08:30"), at("2026-05-01T08:30")),
        (at("2027-03-31T23:59"), None),
        (at("2027-04-01T00:00"), None),
    ]
    thread_with_posts(session, author, "グルメ", "おすすめの店", at("2026-03-01T00:00"), posts)
    rec(session, "event_message", at("2026-06-01T12:00"), member="m-bbb", space="event:abc")
    rec(session, "childcare_optin", at("2026-07-01T12:00"), member="m-ddd")
    rec(session, "qr_scan", at("2026-07-01T12:00"), space="touchpoint:checkup-4m", detail="ios")
    rec(session, "qr_scan", at("2026-07-02T12:00"), space="touchpoint:checkup-4m", detail="android")
    rec(session, "qr_push", at("2026-07-02T12:00"), member="m-ddd", space="touchpoint:checkup-4m")
    rec(session, "qr_scan", at("2026-03-30T12:00"), space="touchpoint:checkup-4m", detail="ios")  # FY 2025
    rec(session, "referral_click", at("2026-05-01T10:00"), detail="abcdefg")
    rec(session, "referral_click", at("2026-05-01T11:00"), detail="unattributed")
    rec(session, "donation", at("2026-05-03T12:00"), detail="abcdefg", amount=10000)
    rec(session, "donation", at("2026-05-04T12:00"), detail="keyword", amount=3000)
    rec(session, "donation", at("2026-05-05T12:00"), detail="unattributed", amount=50000)  # not ours
    rec(session, "donation", at("2026-03-31T12:00"), detail="abcdefg", amount=7000)  # FY 2025


def test_fiscal_year_helpers():
    assert kpi.fiscal_year_of(date(2026, 3, 31)) == 2025
    assert kpi.fiscal_year_of(date(2026, 4, 1)) == 2026
    assert kpi.fiscal_year_of(date(2027, 3, 31)) == 2026
    assert kpi.fiscal_year_of(at("2027-01-15T09:00")) == 2026
    assert kpi.fiscal_year_range(2026) == (date(2026, 4, 1), date(2027, 3, 31))
    assert kpi.week_range(date(2026, 4, 15)) == (date(2026, 4, 13), date(2026, 4, 19))


@pytest.fixture
async def web(make_settings, tmp_path):
    """The shipped Omitama file with FY 2026-2028 targets on participants, posts and donations."""
    city_config = str(city_with_targets(tmp_path))
    app = create_app(
        make_settings(STAFF_API_TOKEN=TOKEN, CITY_CONFIG=city_config), run_workers=False, run_scheduler=False
    )
    async with TestClient(TestServer(app)) as client:
        await client.app[RUNTIME].db.run(seed)
        client.city_config = city_config
        yield client


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_fiscal_year_2026_values_from_the_log(web):
    response = await web.get("/api/kpi?fy=2026", headers=auth())
    assert response.status == 200
    data = await response.json()
    jsonschema.validate(data, CONTRACT)
    assert (data["fiscal_year"], data["from"], data["to"]) == (2026, "2026-04-01", "2027-03-31")
    values = {name: item["value"] for name, item in data["kpis"].items()}
    assert values == {
        "participants": 3,  # m-aaa, m-bbb, m-ddd joined in FY 2026
        "participants_total": 4,  # + m-old
        "posts": 3,
        "posts_cumulative": 4,
        "donations_yen": 13000,
        "donations_count": 2,
        "referral_clicks": 2,
        "referral_clicks_unattributed": 1,
        "event_spaces": 0,
        "event_spaces_with_active_facilitator": 0,
        "event_messages": 1,
        "event_registrations": 0,
        "event_attendance": 0,
        "visitors": 0,
        "childcare_optins": 1,
        "areas_published": 0,
        "areas_total": 0,
        "listings_published": 0,
        "listing_inquiries": 0,
        "circles_listed": 0,
        "occasion_signups": 0,
        "participants_at_fy_end": 3,  # m-old, m-aaa, m-ddd: m-bbb left before the year's end
        "events_held": 0,
        "events_with_group_and_facilitator": 0,
        "events_with_group_and_facilitator_percent": 0,
        "app_downloads": 456,  # Omitama's baseline, nothing recorded yet
    }
    targets = {name: item["target"] for name, item in data["kpis"].items()}
    assert targets["participants"] == 22000 and targets["posts_cumulative"] == 6000
    assert targets["donations_yen"] == 800000 and targets["posts"] is None
    assert list(data["kpis"]) == list(CONTRACT_KPIS)
    assert list(data["per_touchpoint"]) == EVERY_ID  # every configured touchpoint, zeros included
    assert data["per_touchpoint"]["checkup-4m"] == {"scans": 2, "pushes": 1}
    assert data["per_touchpoint"]["boshi-techo"] == {"scans": 0, "pushes": 0}


async def test_neighbouring_fiscal_years(web):
    fy2025 = await (await web.get("/api/kpi?fy=2025", headers=auth())).json()
    assert fy2025["kpis"]["posts"]["value"] == 1
    assert fy2025["kpis"]["donations_yen"] == {"value": 7000, "target": None}
    assert fy2025["per_touchpoint"]["checkup-4m"] == {"scans": 1, "pushes": 0}
    fy2027 = await (await web.get("/api/kpi?fy=2027", headers=auth())).json()
    assert fy2027["kpis"]["posts"]["value"] == 1
    assert fy2027["kpis"]["posts_cumulative"] == {"value": 5, "target": 15000}
    assert fy2025["kpis"]["participants_at_fy_end"]["value"] == 1  # m-old
    assert fy2027["kpis"]["participants_at_fy_end"]["value"] == 4  # + m-ccc


async def test_default_is_the_current_fiscal_year(web):
    data = await (await web.get("/api/kpi", headers=auth())).json()
    assert data["fiscal_year"] == kpi.fiscal_year_of(datetime.now(TOKYO))


async def test_api_needs_the_bearer_token(web):
    assert (await web.get("/api/kpi")).status == 401
    assert (await web.get("/api/kpi", headers=auth("wrong"))).status == 401
    assert (await web.get("/api/kpi", headers={"Authorization": TOKEN})).status == 401
    assert (await web.get("/api/kpi.csv")).status == 401
    bad = await web.get("/api/kpi?fy=twenty", headers=auth())
    assert bad.status == 400 and "fy" in (await bad.json())["error"]


async def test_api_is_disabled_without_a_token(make_settings):
    app = create_app(make_settings(), run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/api/kpi", headers=auth())).status == 404
        assert (await client.get("/api/kpi.csv", headers=auth())).status == 404


async def test_csv_has_a_bom_and_japanese_headers(web):
    response = await web.get("/api/kpi.csv?fy=2026", headers=auth())
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = await response.read()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1] == ["指標", "指標名", "実績", "目標", "達成率(%)"]
    by_name = {row[1]: row for row in rows if len(row) > 2}
    assert by_name["participants"][2:] == ["3", "22000", "0.0"]
    assert by_name["donations_yen"][2:] == ["13000", "800000", "1.6"]
    assert by_name["checkup-4m"][2:4] == ["2", "1"]


async def test_cli_json_equals_the_api_json(web, monkeypatch, capsys):
    settings = web.app[RUNTIME].settings
    api = await (await web.get("/api/kpi?fy=2026", headers=auth())).json()
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CITY_CONFIG", web.city_config)
    assert cli_main(["kpi", "--json", "--fy", "2026"]) == 0
    assert json.loads(capsys.readouterr().out) == api

    assert cli_main(["kpi", "--fy", "2026"]) == 0
    table = capsys.readouterr().out
    assert "2026年度" in table and "参加者数" in table and "0.0%" in table and "4か月児健診" in table


async def test_cli_json_is_the_api_body_byte_for_byte(web, monkeypatch, capsys):
    settings = web.app[RUNTIME].settings
    for query, argv in (("?fy=2026", ["--fy", "2026"]), ("?fy=2025", ["--fy", "2025"]), ("", [])):
        body = await (await web.get(f"/api/kpi{query}", headers=auth())).read()
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        monkeypatch.setenv("CITY_CONFIG", web.city_config)
        assert cli_main(["kpi", "--json", *argv]) == 0
        assert capsys.readouterr().out.encode("utf-8") == body + b"\n"


def test_cli_refuses_a_fiscal_year_out_of_range(make_settings, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", make_settings().database_url)
    monkeypatch.delenv("CITY_CONFIG", raising=False)
    assert cli_main(["kpi", "--fy", "1999"]) == 2
    assert capsys.readouterr().err == (  # 1999 is a year: the message says what there is, not how to write one
        "--fy: まだデータがありません（今年度は 2026年度です） / --fy: there is no data yet (this fiscal year is FY2026)\n"
    )
    assert cli_main(["kpi", "--fy", "19999"]) == 2
    assert capsys.readouterr().err == (
        "--fy: 年度は 2026 のように西暦4桁で指定してください（19999） / --fy: a fiscal year like 2026, got 19999\n"
    )


def test_cli_names_the_years_that_have_data(make_settings, monkeypatch, capsys):
    settings = make_settings()
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.delenv("CITY_CONFIG", raising=False)
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    db.call(lambda s: engagement.record(s, "post", datetime(2024, 6, 1, tzinfo=TOKYO)))
    db.close()
    assert cli_main(["kpi", "--fy", "1999"]) == 2
    err = capsys.readouterr().err
    assert "1999年度のデータはありません" in err and "2024〜2026年度" in err and "FY2024 to FY2026" in err
    assert cli_main(["kpi", "--fy", "2025"]) == 0  # a year inside the data answers


async def test_head_answers_as_get_does(web):
    """HEAD is routed wherever GET is (as aiohttp's add_get did): 200, 401 and 404 as for GET, without a body."""
    ok = await web.head("/api/kpi?fy=2026", headers=auth())
    assert ok.status == 200 and await ok.read() == b""
    assert (await web.head("/api/kpi")).status == 401
    assert (await web.head("/api/kpi.csv", headers=auth())).status == 200
    assert (await web.head("/dashboard")).status == 401
    assert (await web.head("/dashboard", headers=auth())).status == 200
    assert (await web.head("/dashboard/kpi.csv")).status == 401
    assert (await web.head("/dashboard/login/abc")).status == 200
    assert (await web.head("/charts/weekly-2999-W01.png")).status == 404


async def test_a_bad_fiscal_year_on_the_dashboard_goes_back_to_this_year(web):
    response = await web.get("/dashboard?fy=x", headers=auth(), allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/dashboard"
    assert (await web.get("/dashboard/kpi.csv?fy=1999", headers=auth())).status == 400


def test_the_kpi_feature_declares_its_routes_commands_and_job():
    from handlers.kpi import FEATURE

    routes = {(route.method, route.path) for route in FEATURE.web}
    for path in (
        "/r",
        r"/r/{code:[\s\S]*}",
        "/api/kpi",
        "/api/kpi.csv",
        r"/charts/weekly-{week:\d{4}-W\d{2}}.png",
        "/dashboard",
        "/dashboard/kpi.csv",
        "/dashboard/login/{token}",
    ):
        assert {("GET", path), ("HEAD", path)} <= routes, path
    assert ("POST", "/dashboard/login/{token}") in routes
    assert [command.name for command in FEATURE.cli] == ["kpi", "donations"]
    assert [(job.name, job.schedule("en")) for job in FEATURE.jobs] == [("weekly-digest", "Mondays 09:00")]
    assert {command.name for command in FEATURE.chat.commands} == {"donate", "digest", "dashboard"}


# ---- Omitama's own indicators (issue 14) ---------------------------------------------------------------------------


async def test_omitamas_file_carries_its_own_targets_and_not_kashimas(make_settings):
    app = create_app(make_settings(STAFF_API_TOKEN=TOKEN), run_workers=False, run_scheduler=False)
    async with TestClient(TestServer(app)) as client:
        data = await (await client.get("/api/kpi?fy=2026", headers=auth())).json()
    jsonschema.validate(data, CONTRACT)
    targets = {name: item["target"] for name, item in data["kpis"].items() if item["target"] is not None}
    assert targets == {"app_downloads": 5000, "events_with_group_and_facilitator_percent": 100, "visitors": 1000000}
    assert data["kpis"]["app_downloads"]["value"] == 456  # the plan's starting point


def appstats_cli(monkeypatch, capsys, settings, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.delenv("CITY_CONFIG", raising=False)
    code = cli_main(["appstats", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_app_downloads_are_recorded_monthly_and_counted_from_the_baseline(make_settings, monkeypatch, capsys):
    settings = make_settings()
    code, out, _ = appstats_cli(
        monkeypatch, capsys, settings, "record", "--month", "2026-04", "--ios", "120", "--android", "80"
    )
    assert code == 0 and "2026-04: iOS 120 / Android 80" in out and "656" in out  # 456 + 200
    csv_file = settings_dir(settings) / "stores.csv"
    csv_file.write_text(
        'month,ios,android\n2026-05,1,2\n2026/06,"1,000",500\n2026-13,1,1\n2026-07,x,1\n', encoding="utf-8"
    )
    code, out, err = appstats_cli(monkeypatch, capsys, settings, "import", str(csv_file))
    assert code == 1  # two rows recorded, two refused by their line
    assert "2026-05: iOS 1 / Android 2" in out and "2026-06: iOS 1,000 / Android 500" in out
    assert "line 4:" in err and "2026-13" in err and "line 5:" in err and "'x'" in err
    # A month recorded again takes the store's revised figures.
    code, out, _ = appstats_cli(
        monkeypatch, capsys, settings, "record", "--month", "2026-04", "--ios", "100", "--android", "80"
    )
    assert code == 0 and "replaced iOS 120 / Android 80" in out
    # Months the baseline already counts, and months to come, are refused.
    code, _, err = appstats_cli(
        monkeypatch, capsys, settings, "record", "--month", "2026-03", "--ios", "1", "--android", "1"
    )
    assert code == 2 and "baseline month 2026-03" in err
    code, _, err = appstats_cli(
        monkeypatch, capsys, settings, "record", "--month", "2999-01", "--ios", "1", "--android", "1"
    )
    assert code == 2 and "has not come yet" in err
    code, out, _ = appstats_cli(monkeypatch, capsys, settings, "list")
    assert code == 0 and out.index("2026-04") < out.index("2026-05") < out.index("2026-06")

    db = Database(settings.database_url)
    try:
        site = settings.site
        # Cumulative: the baseline and every month up to the period's end.
        values = db.call(lambda s: kpi.compute(s, site, date(2026, 4, 1), date(2026, 5, 31)))
        assert values["app_downloads"] == 456 + 180 + 3
        report = db.call(lambda s: kpi.report(s, site, 2026))
        assert (report.kpis["app_downloads"].value, report.kpis["app_downloads"].target) == (456 + 180 + 3 + 1500, 5000)
        entries = db.call(lambda s: s.exec(select(AuditEntry.action)).all())
        assert entries.count("appstats.record") == 4
    finally:
        db.close()


def settings_dir(settings):
    return Path(make_url(settings.database_url).database).parent


def test_the_digest_shows_app_downloads_against_the_target_and_asks_for_last_month(make_settings):
    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        site = settings.site
        db.call(lambda s: appstats.record(s, site, "2026-04", 300, 200, at("2026-05-02T10:00")))
        text = db.call(lambda s: digest.build(s, site, at("2026-06-08T09:00")).text)
    finally:
        db.close()
    assert "子育てアプリのダウンロード数(累計): 956 / 5,000 (19.1%)" in text  # the fiscal year so far
    assert "・2026-04: iOS 300 / Android 200（累計 956）" in text
    assert "2026-05のストアの数値が未記録です" in text  # last month is not in yet


# ---- Omitama's rule: every event has a LINE group with a 世話人 --------------------------------------------------------


def test_events_with_a_group_and_a_facilitator_and_their_share(make_settings):
    settings = make_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)

    def seed_events(session) -> None:
        organizer, kept, stopped = (Member(public_id=f"m-{n}", created_at=at("2026-04-01T00:00")) for n in "abc")
        session.add_all([organizer, kept, stopped])
        session.flush()
        for code, when in (
            ("AAAAAA", "2026-05-01T10:00"),
            ("BBBBBB", "2026-06-01T10:00"),
            ("CCCCCC", "2026-07-01T10:00"),
            ("DDDDDD", "2027-04-01T10:00"),
        ):
            event = Event(
                code=code,
                title=code,
                starts_at=at(when),
                location="",
                organizer_id=organizer.id,
                created_at=at("2026-04-01T00:00"),
            )
            session.add(event)
            session.flush()
            if code != "CCCCCC":  # C has no group
                space = Space(
                    platform="line",
                    kind="group",
                    platform_space_id=f"C{code}",
                    purpose="event",
                    created_at=at("2026-04-01T00:00"),
                )
                session.add(space)
                session.flush()
                session.add(EventSpace(event_id=event.id, space_id=space.id, bound_at=at("2026-04-02T00:00")))
            facilitator = kept if code in ("AAAAAA", "CCCCCC", "DDDDDD") else stopped
            session.add(
                Role(member_id=facilitator.id, role="facilitator", scope=code, created_at=at("2026-04-02T00:00"))
            )
            if facilitator is stopped:  # B's only facilitator asked to stop: B has none
                session.add(FacilitatorOptOut(event_id=event.id, member_id=stopped.id, at=at("2026-04-03T00:00")))

    try:
        db.call(seed_events)
        figures = db.call(lambda s: events.event_rule_figures(s, at("2026-04-01T00:00"), at("2027-04-01T00:00")))
    finally:
        db.close()
    assert figures == {
        "events_held": 3,  # D is held in FY 2027
        "events_with_group_and_facilitator": 1,  # A only
        "events_with_group_and_facilitator_percent": 33,  # rounded down: 100 means every one
    }


# ---- regions: summing reports ----------------------------------------------------------------------------------------


def test_a_region_sums_kpis_recomputes_shares_and_adds_sections(make_settings, tmp_path):
    site = make_settings().site
    region = RegionConfig.model_validate(
        {"region": {"id": "r", "name": "広域", "cities": ["a", "b"]}, "targets": {2026: {"posts": 10}}}
    )

    def report(values: dict[str, int], scans: int) -> kpi.Report:
        return kpi.Report(
            2026,
            date(2026, 4, 1),
            date(2027, 3, 31),
            {name: kpi.Figure(value, 99) for name, value in values.items()},
            {"per_touchpoint": {"checkup-4m": {"scans": scans, "pushes": 1}}},
            {"donations_yen": ("donations_imported_yen", scans * 10)},
        )

    a = region_kpi.CityReport(
        dataclasses.replace(site, id="a"),
        report(
            {
                "posts": 1,
                "events_held": 3,
                "events_with_group_and_facilitator": 3,
                "events_with_group_and_facilitator_percent": 100,
                "donations_yen": 5,
            },
            2,
        ),
    )
    b = region_kpi.CityReport(
        dataclasses.replace(site, id="b"),
        report(
            {
                "posts": 2,
                "donations_yen": 7,
                "events_held": 1,
                "events_with_group_and_facilitator": 0,
                "events_with_group_and_facilitator_percent": 0,
                "childcare_optins": 4,
            },
            3,
        ),
    )
    summed = region_kpi.region_report(region, 2026, [a, b])
    values = {name: figure.value for name, figure in summed.total.kpis.items()}
    assert values == {
        "posts": 3,
        "events_held": 4,
        "events_with_group_and_facilitator": 3,
        "events_with_group_and_facilitator_percent": 75,  # 3 of 4, not 100 + 0
        "donations_yen": 12,
        "childcare_optins": 4,  # only b has it
    }
    assert list(values) == [  # b's childcare_optins goes right after the name it follows in b
        "posts",
        "events_held",
        "events_with_group_and_facilitator",
        "events_with_group_and_facilitator_percent",
        "childcare_optins",
        "donations_yen",
    ]
    assert summed.total.kpis["posts"].target == 10 and summed.total.kpis["donations_yen"].target is None
    assert summed.total.sections == {"per_touchpoint": {"checkup-4m": {"scans": 5, "pushes": 2}}}
    assert summed.total.beside == {"donations_yen": ("donations_imported_yen", 50)}
    data = summed.as_json()
    assert list(data) == ["fiscal_year", "from", "to", "kpis", "per_touchpoint", "cities"]
    assert data["cities"]["a"]["kpis"]["posts"] == {"value": 1, "target": 99}
    assert region_kpi.merged_order([["a", "c"], ["a", "b", "c"], ["d", "a"]]) == ["d", "a", "b", "c"]


# ---- Kashima's KPI①: participants at the end of the fiscal year (a stock) -----------------------------------------


async def test_participants_at_the_years_end_count_who_joined_and_stayed(chat):
    async def join(nickname: str) -> None:
        await chat.say("/community join")
        await chat.send(None, kind=POSTBACK, postback="community:agree")
        await chat.say(nickname)
        await chat.send(None, kind=POSTBACK, postback="community:relation:fan")

    def figures(session) -> dict[str, int]:
        return kpi.compute(
            session, chat.settings.site, *kpi.fiscal_year_range(kpi.current_fiscal_year(chat.settings.site))
        )

    await join("はなこ")
    assert (await chat.runtime.db.run(figures))["participants_at_fy_end"] == 1
    await chat.say("/community leave")
    left = await chat.runtime.db.run(figures)
    assert left["participants_at_fy_end"] == 0 and left["participants"] == 1  # she joined this year, and left
    await join("はなこ")  # joining again makes her a member again
    assert (await chat.runtime.db.run(figures))["participants_at_fy_end"] == 1
