"""Several cities in one process (issue #14): each its own LINE channel, webhook, public pages, staff and data.
Nothing of one city is visible to, or changed by, anything in the other — through the webhook, the web, the console
and the command line — on SQLite and on PostgreSQL (each city in a schema of its own)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot.app import RUNTIME, create_app
from bot.cli import main as cli_main
from bot.cli.cities import placeholders
from bot.config import DEFAULT_CITY_CONFIG, load_settings
from bot.console import ConsoleChat
from community import kpi
from community.city import load_city, parse_city
from storage.migrate import upgrade
from storage.models import Member, Role, Space
from storage.models.audit import AuditEntry
from storage.models.community import BoardPost, CommunityMember
from storage.models.events import Event, EventSpace
from tests import line_payloads as lp
from tests.fake_line import CHANNEL_SECRET, REPLY

KASHIMA_SECRET = "kashima-channel-secret-0123456789"
KASHIMA_TOKEN = "kashima-channel-access-token"
STAFF_TOKEN, KASHIMA_STAFF_TOKEN = "omitama-staff-token", "kashima-staff-token"
ROOT = Path(__file__).resolve().parents[1]
KASHIMA_FILE = DEFAULT_CITY_CONFIG.parent / "kashima.toml"  # the shipped file: board, kpi and staff only
REGION_TOKEN = "region-staff-token"
HANAKO = lp.user_id("hanako")  # the same LINE id string in both channels: the cities must still keep her apart


def region_file(folder: Path, cities: tuple[str, ...], targets: dict[str, int] | None = None) -> Path:
    path = folder / "region.toml"
    text = f"""
[region]
id = "test-area"
name = "テスト広域"
cities = {list(cities)!r}
staff_token_env = "REGION_STAFF_API_TOKEN"
"""
    if targets:
        text += f"\n[targets.{current_fy()}]\n" + "".join(f"{k} = {v}\n" for k, v in targets.items())
    path.write_text(text.replace("'", '"'), encoding="utf-8")
    return path


def current_fy() -> int:
    return kpi.fiscal_year_of(datetime.now(ZoneInfo("Asia/Tokyo")))


def city_env(tmp_path, database_url, fake_line, region: Path | None = None) -> dict[str, str]:
    shutil.copy(DEFAULT_CITY_CONFIG, tmp_path / "omitama.toml")
    shutil.copy(KASHIMA_FILE, tmp_path / "kashima.toml")
    files = [tmp_path / "omitama.toml", tmp_path / "kashima.toml", *([region] if region else [])]
    return {
        "CITY_CONFIG": ",".join(str(f) for f in files),
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": "https://tsunagaru.example.jp",
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": fake_line.token,
        "LINE_API_BASE_URL": fake_line.url,
        "LINE_DATA_API_BASE_URL": fake_line.url,
        "KASHIMA_LINE_CHANNEL_SECRET": KASHIMA_SECRET,
        "KASHIMA_LINE_CHANNEL_ACCESS_TOKEN": KASHIMA_TOKEN,
        "STAFF_API_TOKEN": STAFF_TOKEN,
        "KASHIMA_STAFF_API_TOKEN": KASHIMA_STAFF_TOKEN,
        "REGION_STAFF_API_TOKEN": REGION_TOKEN,
        "ADMIN_LINE_USER_IDS": lp.user_id("omitama-staff"),
    }


@pytest.fixture
async def make_cities(tmp_path, database_url, fake_line):
    """Omitama (every feature) and Kashima (the shipped kashima.toml) in one process, optionally with a region."""
    started = []

    async def make(region: Path | None = None):
        fake_line.other_channels.add(KASHIMA_TOKEN)
        env = city_env(tmp_path, database_url, fake_line, region)
        settings = load_settings(env, dotenv=False)
        app = create_app(settings, run_workers=False, run_scheduler=False)
        client = TestClient(TestServer(app, host="127.0.0.1", port=0))
        await client.start_server()
        client.settings, client.env, client.fake = settings, env, fake_line
        started.append(client)
        return client

    yield make
    for client in started:
        await client.close()


@pytest.fixture
async def two_cities(make_cities):
    return await make_cities()


async def post(client, path: str, secret: str, *events: dict):
    for event in events:
        if event.get("replyToken"):
            client.fake.issue_reply_token(event["replyToken"])
    body = lp.body(events)
    return await client.post(
        path, data=body, headers={"Content-Type": "application/json", "X-Line-Signature": lp.sign(body, secret)}
    )


async def settle(client) -> None:
    for city in client.app[RUNTIME].cities.values():
        for _ in range(5):
            if not await city.worker.drain() + await city.sender.drain():
                break


async def join_and_post(client, path, secret, nickname, text):
    await post(client, path, secret, lp.text_event("/community join", HANAKO))
    await post(client, path, secret, lp.postback_event("community:agree", HANAKO))
    await post(client, path, secret, lp.text_event(nickname, HANAKO))
    await post(client, path, secret, lp.postback_event("community:relation:fan", HANAKO))
    await settle(client)


@pytest.fixture
def fake(fake_line, two_cities):
    two_cities.fake = fake_line
    return fake_line


async def test_each_city_has_its_own_channel_board_staff_and_kpis(two_cities, fake):
    client = two_cities
    # Each channel's webhook checks its own secret: a body signed for one city is refused by the other.
    wrong = await post(client, "/callback/line/kashima", CHANNEL_SECRET, lp.text_event("/help", HANAKO))
    assert wrong.status == 400
    # The same LINE id joins both cities' communities, under two nicknames.
    await join_and_post(client, "/callback/line/omitama", CHANNEL_SECRET, "おみたまハナ", "")
    await join_and_post(client, "/callback/line/kashima", KASHIMA_SECRET, "かしまハナ", "")
    await post(client, "/callback/line", CHANNEL_SECRET, lp.text_event("/thread new グルメ 小美玉の朝ごはん", HANAKO))
    await post(client, "/callback/line/kashima", KASHIMA_SECRET, lp.text_event("/thread new 観光 鹿島神宮の朝", HANAKO))
    await settle(client)
    # Answers went out through each city's own channel.
    channels = {call.channel for call in fake.requests(REPLY)}
    assert channels == {fake.token, KASHIMA_TOKEN}
    # Two boards: each city's web board shows only its own thread.
    omitama_board = await (await client.get("/board")).text()
    kashima_board = await (await client.get("/kashima/board")).text()
    assert "小美玉の朝ごはん" in omitama_board and "鹿島神宮" not in omitama_board
    assert "鹿島神宮の朝" in kashima_board and "小美玉" not in kashima_board
    # Features per city: Kashima has no childcare pages and no /child.
    assert (await client.get("/kashima/qr/boshi-techo.png")).status == 404
    assert (await client.get("/qr/boshi-techo.png")).status == 200
    # KPIs per city, each behind its own staff token.
    omitama = await (await client.get("/api/kpi", headers={"Authorization": f"Bearer {STAFF_TOKEN}"})).json()
    kashima = await (
        await client.get("/kashima/api/kpi", headers={"Authorization": f"Bearer {KASHIMA_STAFF_TOKEN}"})
    ).json()
    assert omitama["kpis"]["participants"]["value"] == 1 and kashima["kpis"]["participants"]["value"] == 1
    assert "childcare_optins" in omitama["kpis"] and "childcare_optins" not in kashima["kpis"]
    assert "per_touchpoint" not in kashima
    crossed = await client.get("/kashima/api/kpi", headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert crossed.status == 401  # one city's staff token reads nothing of the other


async def test_forget_me_in_one_city_leaves_the_other_alone(two_cities, fake):
    client = two_cities
    await join_and_post(client, "/callback/line/omitama", CHANNEL_SECRET, "おみたまハナ", "")
    await join_and_post(client, "/callback/line/kashima", KASHIMA_SECRET, "かしまハナ", "")
    await post(client, "/callback/line/kashima", KASHIMA_SECRET, lp.text_event("/forget-me confirm", HANAKO))
    await settle(client)
    runtime = client.app[RUNTIME]
    with runtime.city("kashima").db.session() as session:
        assert session.exec(select(Member).where(Member.forgotten_at.is_not(None))).first() is not None
    with runtime.city("omitama").db.session() as session:
        assert session.exec(select(Member).where(Member.forgotten_at.is_not(None))).first() is None
        assert session.exec(select(CommunityMember)).one().nickname == "おみたまハナ"


async def test_staff_of_one_city_are_not_staff_of_the_other(two_cities, fake):
    client = two_cities
    staff = lp.user_id("omitama-staff")
    await post(client, "/callback/line/omitama", CHANNEL_SECRET, lp.text_event("/dashboard", staff))
    await post(client, "/callback/line/kashima", KASHIMA_SECRET, lp.text_event("/dashboard", staff))
    await settle(client)
    texts = {call.channel: call.json["messages"][0]["text"] for call in fake.requests(REPLY)}
    assert "dashboard/login/" in texts[fake.token]
    assert "市の職員だけ" in texts[KASHIMA_TOKEN]  # refused in Kashima


async def test_the_console_and_the_command_line_take_a_city(two_cities, monkeypatch, capsys, tmp_path):
    client = two_cities
    kashima = ConsoleChat(client.settings, user="sato", city="kashima")
    await kashima.start()
    try:
        [answer] = await kashima.say("/child 2026-08-01")  # no childcare in Kashima
        assert "「/child」というコマンドはありません" in answer
        [help_text] = await kashima.say("/help")
        assert "/board" in help_text and "/child" not in help_text and "/event" not in help_text
    finally:
        await kashima.stop()
    for name, value in dict(
        CITY_CONFIG=f"{tmp_path / 'omitama.toml'},{tmp_path / 'kashima.toml'}",
        DATABASE_URL=client.settings.database_url,
        PUBLIC_BASE_URL="https://tsunagaru.example.jp",
    ).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert await asyncio.to_thread(cli_main, ["kpi", "--city", "kashima", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "per_touchpoint" not in data and "participants" in data["kpis"]
    with pytest.raises(SystemExit) as stopped:
        await asyncio.to_thread(cli_main, ["kpi", "--city", "nowhere"])
    assert stopped.value.code == 2 and "omitama, kashima" in capsys.readouterr().err


def test_a_one_city_deployment_keeps_its_settings_and_database(make_settings):
    settings = make_settings()
    [city] = settings.cities
    assert city.id == "omitama" and city.database_url == settings.database_url and city.database_schema is None
    assert city.public_base_url == settings.public_base_url and city.site is settings.site
    assert Path(city.path) == DEFAULT_CITY_CONFIG
    posts = BoardPost  # (the same tables: nothing in the one-city schema changed for cities)
    assert posts.__tablename__ == "board_post"


# ---- regions (広域): the member cities summed, each city's report beside, a token of the region's own ---------------


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def seed_events(session) -> None:
    """Two events this fiscal year in Omitama: one with a bound group and a facilitator, one with neither."""
    now = datetime.now(ZoneInfo("Asia/Tokyo"))
    organizer = Member(public_id="m-organizer", created_at=now)
    facilitator = Member(public_id="m-facilitator", created_at=now)
    session.add_all([organizer, facilitator])
    session.flush()
    for code in ("AAAAAA", "BBBBBB"):
        session.add(Event(code=code, title=code, starts_at=now, location="", organizer_id=organizer.id, created_at=now))
    session.flush()
    event = session.exec(select(Event).where(Event.code == "AAAAAA")).one()
    space = Space(platform="line", kind="group", platform_space_id="C-a", purpose="event", created_at=now)
    session.add(space)
    session.flush()
    session.add(EventSpace(event_id=event.id, space_id=space.id, bound_at=now))
    session.add(Role(member_id=facilitator.id, role="facilitator", scope="AAAAAA", created_at=now))


async def region_activity(client) -> None:
    await join_and_post(client, "/callback/line/omitama", CHANNEL_SECRET, "おみたまハナ", "")
    await join_and_post(client, "/callback/line/kashima", KASHIMA_SECRET, "かしまハナ", "")
    await client.get("/go/boshi-techo", allow_redirects=False)  # a QR scan in Omitama
    await client.app[RUNTIME].city("omitama").db.run(seed_events)


async def test_a_region_sums_its_cities_and_shows_each(make_cities, tmp_path):
    client = await make_cities(region_file(tmp_path, ("omitama", "kashima"), {"participants_at_fy_end": 100}))
    await region_activity(client)
    omitama = await (await client.get("/api/kpi", headers=auth(STAFF_TOKEN))).json()
    kashima = await (await client.get("/kashima/api/kpi", headers=auth(KASHIMA_STAFF_TOKEN))).json()
    response = await client.get("/api/kpi?region=test-area", headers=auth(REGION_TOKEN))
    assert response.status == 200
    region = await response.json()
    # A city's shape, plus each member's own report exactly as its city serves it.
    assert list(region) == ["fiscal_year", "from", "to", "kpis", "per_touchpoint", "per_occasion", "cities"]
    assert region["cities"] == {"omitama": omitama, "kashima": kashima}
    assert (region["fiscal_year"], region["from"], region["to"]) == (
        omitama["fiscal_year"],
        omitama["from"],
        omitama["to"],
    )
    assert list(region["kpis"]) == list(omitama["kpis"])  # Kashima's KPIs are a part of Omitama's, in that order
    for name, figure in region["kpis"].items():
        if name != "events_with_group_and_facilitator_percent":
            assert figure["value"] == sum(c["kpis"][name]["value"] for c in (omitama, kashima) if name in c["kpis"])
    assert region["kpis"]["participants"]["value"] == 2 and region["kpis"]["participants_at_fy_end"]["value"] == 2
    assert region["kpis"]["childcare_optins"] == {"value": omitama["kpis"]["childcare_optins"]["value"], "target": None}
    # A share is recomputed from the summed part and whole, never added up.
    assert region["kpis"]["events_held"]["value"] == 2
    assert region["kpis"]["events_with_group_and_facilitator"]["value"] == 1
    assert region["kpis"]["events_with_group_and_facilitator_percent"]["value"] == 50
    # The region's own targets; a KPI without one has none (the cities' targets stay theirs).
    assert region["kpis"]["participants_at_fy_end"]["target"] == 100
    assert region["kpis"]["app_downloads"]["target"] is None
    assert region["per_touchpoint"]["boshi-techo"] == {"scans": 1, "pushes": 0}
    # The same JSON, byte for byte, from the command line.
    body = await (await client.get("/api/kpi?region=test-area", headers=auth(REGION_TOKEN))).read()
    output = await asyncio.to_thread(run_cli, client.env, ["kpi", "--region", "test-area", "--json"])
    assert output == body.decode("utf-8") + "\n"
    table = await asyncio.to_thread(run_cli, client.env, ["kpi", "--region", "test-area"])
    assert "テスト広域 広域KPI" in table and "小美玉市 KPI" in table and "鹿嶋市 KPI" in table


def run_cli(env: dict[str, str], argv: list[str]) -> str:
    """`python -m bot ARGV` in a child process with env: its stdout (it must exit 0)."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_a_region_token_reads_the_regions_kpis_and_nothing_else(make_cities, tmp_path):
    client = await make_cities(region_file(tmp_path, ("omitama", "kashima")))
    await region_activity(client)
    region = auth(REGION_TOKEN)
    for path in ("/api/kpi", "/kashima/api/kpi", "/api/kpi?city=kashima", "/kashima/api/kpi?city=omitama"):
        assert (await client.get(path, headers=region)).status == 200, path
    csv_response = await client.get("/api/kpi.csv?region=test-area", headers=region)
    assert csv_response.status == 200
    text = (await csv_response.read()).decode("utf-8-sig")
    assert text.startswith("テスト広域 ") and "\r\n小美玉市,omitama" in text and "\r\n鹿嶋市,kashima" in text
    assert (await client.get("/api/kpi.csv?city=kashima", headers=region)).status == 200
    # Each city's audit log names the region's token as the way its data left.
    for city in ("omitama", "kashima"):
        with client.app[RUNTIME].city(city).db.session() as session:
            details = [e.detail for e in session.exec(select(AuditEntry)).all()]
        assert details.count("via=region:test-area") == (2 if city == "kashima" else 1), (city, details)
    # No dashboard, no chart, no board moderation: only the KPIs.
    for path in ("/dashboard", "/kashima/dashboard", "/dashboard/kpi.csv", "/charts/weekly-2026-W15.png"):
        assert (await client.get(path, headers=region)).status in (401, 404), path
    # A city's token reads its own city only, never the region or the other city.
    assert (await client.get("/api/kpi?region=test-area", headers=auth(STAFF_TOKEN))).status == 401
    assert (await client.get("/api/kpi?city=kashima", headers=auth(STAFF_TOKEN))).status == 401
    assert (await client.get("/kashima/api/kpi?city=omitama", headers=auth(KASHIMA_STAFF_TOKEN))).status == 401
    assert (await client.get("/api/kpi?city=omitama", headers=auth(STAFF_TOKEN))).status == 200
    # Unknown names and odd queries.
    assert (await client.get("/api/kpi?region=nowhere", headers=region)).status == 404
    assert (await client.get("/api/kpi?city=nowhere", headers=region)).status == 404
    both = await client.get("/api/kpi?city=omitama&region=test-area", headers=region)
    assert both.status == 400 and "not both" in (await both.json())["error"]


async def test_a_region_token_does_not_read_a_city_outside_the_region(make_cities, tmp_path):
    client = await make_cities(region_file(tmp_path, ("kashima",)))
    region = auth(REGION_TOKEN)
    assert (await client.get("/kashima/api/kpi", headers=region)).status == 200
    assert (await client.get("/api/kpi?region=test-area", headers=region)).status == 200
    assert (await client.get("/api/kpi", headers=region)).status == 401
    assert (await client.get("/api/kpi.csv?city=omitama", headers=region)).status == 401
    data = await (await client.get("/api/kpi?region=test-area", headers=region)).json()
    assert list(data["cities"]) == ["kashima"] and "per_touchpoint" not in data


# ---- a database from before several cities (14.7) ----------------------------------------------------------------

OLD_DATABASE = ROOT / "tests" / "fixtures" / "pre-cities-1fecfca.db"  # tests/fixtures/README.md: how it was made


def load_old_database(database_url: str, tmp_path: Path) -> None:
    """The fixture's rows where DATABASE_URL points: the file itself on SQLite; on PostgreSQL, the schema of that
    commit (migrations up to 0010) filled with the same rows, as that code would have left it there."""
    if database_url.startswith("sqlite"):
        shutil.copy(OLD_DATABASE, make_url(database_url).database)
        return
    upgrade(database_url, "0010")
    source, target = create_engine(f"sqlite:///{OLD_DATABASE}"), create_engine(database_url)
    old, new = MetaData(), MetaData()
    old.reflect(source)
    new.reflect(target)
    with source.connect() as reading, target.begin() as writing:
        for table in new.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(row._mapping) for row in reading.execute(old.tables[table.name].select())]
            if rows:
                writing.execute(table.insert(), rows)
                writing.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
                    )
                )
    source.dispose()
    target.dispose()


def _comparable(value):
    if isinstance(value, datetime):  # SQLite keeps naive UTC, PostgreSQL aware: the same moment either way
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return value


def rows_kept(engine) -> dict[str, int]:
    """Every row of the old database is in the upgraded one, with the same id and the same value in every column
    it had (columns added since are left out); returns the rows per table."""
    source = create_engine(f"sqlite:///{OLD_DATABASE}")
    old, new = MetaData(), MetaData()
    old.reflect(source)
    new.reflect(engine)
    kept = {}
    with source.connect() as reading, engine.connect() as upgraded:
        for name, table in old.tables.items():
            if name == "alembic_version":
                continue
            columns = [c.name for c in table.columns]
            key = [c.name for c in table.primary_key.columns]
            before = {tuple(getattr(row, k) for k in key): row for row in reading.execute(table.select())}
            after = {tuple(getattr(row, k) for k in key): row for row in upgraded.execute(new.tables[name].select())}
            for row_id, row in before.items():
                assert row_id in after, (name, row_id)
                for column in columns:
                    was, now = _comparable(getattr(row, column)), _comparable(getattr(after[row_id], column))
                    assert was == now, (name, row_id, column, was, now)
            kept[name] = len(before)
    source.dispose()
    return kept


async def test_a_database_from_before_cities_upgrades_into_the_first_city(make_cities, database_url, tmp_path):
    load_old_database(database_url, tmp_path)
    client = await make_cities()  # Omitama first, Kashima second: the old rows are Omitama's
    runtime = client.app[RUNTIME]
    kept = rows_kept(runtime.city("omitama").db.engine)
    assert kept["member"] == 4 and kept["board_post"] == 1 and kept["event"] == 1 and kept["childcare_child"] == 1
    assert kept["engagement"] == 9 and kept["member_role"] == 2 and kept["inbox_event"] == 18
    with runtime.city("omitama").db.session() as session:
        nicknames = sorted(m.nickname or "" for m in session.exec(select(CommunityMember)))
        assert nicknames == ["", "はなこ"]  # jiro left: his nickname was dropped then
    omitama = await (await client.get("/api/kpi?fy=2026", headers=auth(STAFF_TOKEN))).json()
    values = {name: figure["value"] for name, figure in omitama["kpis"].items()}
    assert values | {"app_downloads": 0} == {
        "participants": 2,
        "participants_total": 2,
        "posts": 1,
        "posts_cumulative": 1,
        "participants_at_fy_end": 1,  # jiro's leave, logged by migration 0015 from community_member.left_at
        "donations_yen": 10000,
        "donations_count": 1,
        "referral_clicks": 1,
        "referral_clicks_unattributed": 1,
        "event_spaces": 1,
        "event_spaces_with_active_facilitator": 1,
        "event_messages": 1,
        "events_held": 1,
        "events_with_group_and_facilitator": 1,
        "events_with_group_and_facilitator_percent": 100,
        "childcare_optins": 1,
        "app_downloads": 0,
        # What came after the old database: nothing of it yet.
        "event_registrations": 0,
        "event_attendance": 0,
        "visitors": 0,
        "areas_published": 0,
        "areas_total": 0,
        "listings_published": 0,
        "listing_inquiries": 0,
        "circles_listed": 0,
        "occasion_signups": 0,
    }
    assert omitama["per_touchpoint"]["boshi-techo"]["scans"] == 1
    assert omitama["per_touchpoint"]["checkup-4m"]["scans"] == 1
    assert "朝ごはんのおすすめ" in await (await client.get("/board")).text()
    # Kashima starts empty.
    kashima = await (await client.get("/kashima/api/kpi?fy=2026", headers=auth(KASHIMA_STAFF_TOKEN))).json()
    assert all(figure["value"] == 0 for figure in kashima["kpis"].values())
    assert "朝ごはんのおすすめ" not in await (await client.get("/kashima/board")).text()
    with runtime.city("kashima").db.session() as session:
        assert session.exec(select(Member)).all() == []


# ---- the shipped city files, and 横展開: city new / city check -------------------------------------------------------

CITIES = DEFAULT_CITY_CONFIG.parent


def test_the_shipped_files_say_each_citys_own_plan():
    omitama, kashima = load_city(CITIES / "omitama.toml"), load_city(CITIES / "kashima.toml")
    assert omitama.info.features == (
        "events",
        "childcare",
        "board",
        "kpi",
        "staff",
        "announce",
        "exports",
        "areas",
        "listings",
        "circles",
        "occasions",
    )
    assert kashima.info.features == ("board", "kpi", "staff", "announce", "exports")
    assert kashima.community.categories == ("地域ネタ", "観光", "グルメ")
    # Kashima's three KPIs in the years of its plan: participants at the fiscal year's end (a stock).
    assert kashima.targets == {
        2022: {"participants_at_fy_end": 22000, "posts_cumulative": 6000, "donations_yen": 800000},
        2023: {"participants_at_fy_end": 33000, "posts_cumulative": 15000, "donations_yen": 1600000},
        2024: {"participants_at_fy_end": 66000, "posts_cumulative": 33000, "donations_yen": 4200000},
    }
    # Omitama's own indicators, and none of Kashima's.
    assert {name for year in omitama.targets.values() for name in year} == {
        "app_downloads",
        "events_with_group_and_facilitator_percent",
        "visitors",
    }
    assert omitama.targets_for(2026) == {
        "app_downloads": 5000,
        "events_with_group_and_facilitator_percent": 100,
        "visitors": 1000000,
    }
    assert (omitama.app.downloads_baseline, omitama.app.downloads_baseline_month) == (456, "2026-03")
    assert [venue.id for venue in omitama.events.venues] == ["minore", "apios"]


def test_kashima_and_its_partners_run_as_one_region(tmp_path):
    settings = load_settings(
        {
            "CITY_CONFIG": f"{CITIES / 'kashima.toml'},{CITIES / 'rokko'}",
            "DATABASE_URL": f"sqlite:///{tmp_path}/tsunagaru.db",
            "ROKKO_STAFF_API_TOKEN": "rokko-token",
        },
        dotenv=False,
    )
    assert [c.id for c in settings.cities] == ["kashima", "hokota", "itako", "kamisu", "namegata"]
    region = settings.region("rokko")
    assert region.info.name == "鹿行広域" and region.info.cities == ("kashima", "itako", "kamisu", "namegata", "hokota")
    assert settings.region_staff_token("rokko") == "rokko-token"
    names = {c.id: c.config.name for c in settings.cities}
    assert names == {
        "kashima": "鹿嶋市",
        "itako": "潮来市",
        "kamisu": "神栖市",
        "namegata": "行方市",
        "hokota": "鉾田市",
    }
    assert settings.city_settings("itako").config.community.categories[0] == "水辺のまち"
    assert settings.city_settings("namegata").config.community.categories[0] == "地元の食"
    assert all(c.database_url != settings.database_url for c in settings.cities[1:])  # each town's data apart


def city_cli(monkeypatch, capsys, city_config: str, argv: list[str]) -> tuple[int, str]:
    monkeypatch.setenv("CITY_CONFIG", city_config)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code = cli_main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_city_new_writes_a_valid_commented_file_with_its_placeholders(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out = city_cli(monkeypatch, capsys, str(DEFAULT_CITY_CONFIG), ["city", "new", "itako", "--name", "潮来市"])
    assert code == 0
    text = (tmp_path / "itako.toml").read_text(encoding="utf-8")
    config = parse_city(text)  # the same model the service loads city files with
    assert (config.info.id, config.name, config.bot_name) == ("itako", "潮来市", "つながる潮来")
    assert config.info.public_base_url == "https://tsunagaru.example.jp/itako"
    assert config.line.channel_secret_env == "ITAKO_LINE_CHANNEL_SECRET"
    assert config.staff.api_token_env == "ITAKO_STAFF_API_TOKEN"
    assert config.info.features == ("board", "kpi", "staff", "announce", "exports")
    left = placeholders(text)
    keys = {p.key for p in left}
    assert {"city.name_en", "city.public_base_url", "line.channel_secret_env", "donation.url"} <= keys
    assert "12" in out and "line.channel_secret_env" in out and "city check itako" in out
    # Not over a file that exists, not with an id the webhook path cannot carry.
    assert city_cli(monkeypatch, capsys, str(DEFAULT_CITY_CONFIG), ["city", "new", "itako", "--name", "潮来市"])[0] == 2
    code, out = city_cli(monkeypatch, capsys, str(DEFAULT_CITY_CONFIG), ["city", "new", "Itako!", "--name", "x"])
    assert code == 2 and "lowercase" in out
    code, out = city_cli(
        monkeypatch, capsys, str(DEFAULT_CITY_CONFIG), ["city", "new", "x-y", "--name", 'a"b', "--out", "-"]
    )
    assert code == 0 and parse_city(out).name == 'a"b'


def test_city_check_lists_placeholders_and_exits_by_what_it_found(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    city_cli(monkeypatch, capsys, str(DEFAULT_CITY_CONFIG), ["city", "new", "itako", "--name", "潮来市"])
    itako = tmp_path / "itako.toml"
    both_files = f"{DEFAULT_CITY_CONFIG},{itako}"
    code, out = city_cli(monkeypatch, capsys, both_files, ["city", "check"])
    assert code == 1 and "omitama.toml (omitama)" in out and "itako.toml (itako)" in out
    assert "app.ios_url" in out and "childcare.plazas" in out and "events.venues[0].shop_incentives" in out
    assert "targets.2026" in out  # a TODO comment on a line of its own marks the table below it
    # Replaced: no TODO left in the new town's file, and checking it alone is clean.
    lines = [line.split("# TODO")[0].rstrip() for line in itako.read_text(encoding="utf-8").splitlines()]
    itako.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = city_cli(monkeypatch, capsys, both_files, ["city", "check", "itako"])
    assert code == 0 and "itako.toml (itako): ok" in out
    # A typo is named, with the file and the key.
    itako.write_text(itako.read_text(encoding="utf-8").replace("posts_per_hour", "post_per_hour"), encoding="utf-8")
    code, out = city_cli(monkeypatch, capsys, both_files, ["city", "check"])
    assert code == 2 and "community.post_per_hour: unknown key" in out
    code, out = city_cli(monkeypatch, capsys, both_files, ["city", "check", "nowhere"])
    assert code == 2 and "omitama, itako" in out


def test_city_check_finds_what_only_the_files_together_say(tmp_path, monkeypatch, capsys):
    second = tmp_path / "kashima-copy.toml"
    second.write_text(KASHIMA_FILE.read_text(encoding="utf-8"), encoding="utf-8")  # the same id twice
    code, out = city_cli(monkeypatch, capsys, f"{DEFAULT_CITY_CONFIG},{KASHIMA_FILE},{second}", ["city", "check"])
    assert code == 2 and "same id" in out
    region = region_file(tmp_path, ("omitama", "kashima"))
    code, out = city_cli(monkeypatch, capsys, f"{DEFAULT_CITY_CONFIG},{region}", ["city", "check"])
    assert code == 2 and "not configured" in out and "kashima" in out


def test_placeholders_are_found_where_toml_puts_them():
    text = """
[city]
name = "町"  # TODO: the name
bot_name = "# TODO: not a comment, a value"
# TODO: the table below
[[events.venues]]
id = "a"
shop_incentives = [
  { name = "x" },  # TODO: a shop
]
[[events.venues]]
aliases = ["#"]  # TODO: aliases
"""
    found = [(p.line, p.key, p.note) for p in placeholders(text)]
    assert found == [
        (3, "city.name", "the name"),
        (5, "events.venues[0]", "the table below"),
        (9, "events.venues[0].shop_incentives", "a shop"),
        (12, "events.venues[1].aliases", "aliases"),
    ]


async def test_each_city_deploys_its_rich_menu_on_its_own_channel(tmp_path, database_url, fake_line, monkeypatch):
    fake_line.other_channels.add(KASHIMA_TOKEN)
    for name, value in city_env(tmp_path, database_url, fake_line).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert await asyncio.to_thread(cli_main, ["richmenu", "deploy", "--city", "kashima"]) == 0
    [menu] = fake_line.rich_menus.values()
    assert menu["name"] == "tsunagaru-kashima"
    assert {call.channel for call in fake_line.requests("/v2/bot/richmenu")} == {KASHIMA_TOKEN}
    assert await asyncio.to_thread(cli_main, ["richmenu", "deploy", "--city", "nowhere"]) == 2


def test_kpi_takes_a_city_or_a_region_not_both(tmp_path, monkeypatch, capsys):
    region = region_file(tmp_path, ("omitama", "kashima"))
    monkeypatch.setenv("CITY_CONFIG", f"{DEFAULT_CITY_CONFIG},{KASHIMA_FILE},{region}")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/tsunagaru.db")
    monkeypatch.chdir(tmp_path)
    assert cli_main(["kpi", "--city", "kashima", "--region", "test-area"]) == 2
    assert "--city and --region cannot be used together" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        cli_main(["kpi", "--region", "nowhere"])
    assert stopped.value.code == 2 and "the regions are: test-area" in capsys.readouterr().err
    assert cli_main(["kpi", "--region", "test-area", "--fy", "1999"]) == 2  # no member city has data that year
    assert "no data yet" in capsys.readouterr().err
