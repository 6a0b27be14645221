"""KPI and digest benchmark (issue 6): are the fiscal-year KPIs and the weekly digest fast on a full-size database?

Fills a throwaway database with the city's 3-year target size, spread over two fiscal years (FY2025 and FY2026, with
more activity later as the community grows):
  66,000 members (52,000 joined the community, with member_joined rows; some left, some joined twice),
  33,000 board posts in 1,200 threads (3% hidden by staff), 500 events each with a bound LINE group or Discord
  channel (some detached), 1-3 facilitators (some opted out), 1,000,000 engagement rows of every kind the KPIs count
  (event messages, QR scans and pushes per touchpoint, referral clicks with and without a code, ...) and 20,000
  imported donations (attributed by code or keyword, or not at all).
Then times kpi.report(session, settings, fiscal_year) and digest.build(session, settings, now): one warm-up, then the
median of --runs runs, each in a fresh session. Target: under 1 second each.

Then a region (広域, issue 14) of five cities with every feature on, each with its own database (a SQLite file, or a
PostgreSQL schema) filled with a fifth of that size (66,000 members in all), and times the region's KPIs: as
GET /api/kpi?region= reads them (each city on its own database thread at the same time) and as
`python -m bot kpi --region` does (one city after another). Target: under 1 second.

Databases: a throwaway SQLite file, and PostgreSQL: --postgres-url or TEST_POSTGRES_URL (a fresh database is created
there and dropped afterwards), else a throwaway cluster started like .ci/run does (skipped, with the reason, when
PostgreSQL's binaries are not installed). The schema comes from the Alembic migrations (storage.migrate.upgrade).

    python bench/kpi.py                    # SQLite and PostgreSQL (about 2-3 minutes on 2 cores)
    python bench/kpi.py --backends sqlite  # SQLite only
    python bench/kpi.py --explain          # also print the query plans of the KPI queries
    python bench/kpi.py --region-only      # only the region of five cities
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

import storage.all_models  # noqa: E402,F401  (every table on the metadata)
from bench.postgres import fresh_database, throwaway_cluster  # noqa: E402
from bot.config import DEFAULT_CITY_CONFIG, load_settings  # noqa: E402
from community import digest, kpi, region_kpi  # noqa: E402
from community.events import CODE_ALPHABET  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Engagement, Member, Role, Space  # noqa: E402
from storage.models.childcare import AppDownloadMonth  # noqa: E402
from storage.models.community import BoardPost, BoardThread, CommunityMember  # noqa: E402
from storage.models.events import Event, EventSpace, FacilitatorOptOut  # noqa: E402
from storage.models.quota import LineQuotaReading  # noqa: E402
from storage.models.staff import Donation, ReferralCode  # noqa: E402

TARGET_SECONDS = 1.0
FISCAL_YEAR = 2026
JST = timezone(timedelta(hours=9))
START = datetime(2025, 4, 1, tzinfo=JST)  # FY2025 starts
NOW = datetime(2027, 2, 10, 9, 0, tzinfo=JST)  # a Wednesday late in FY2026: the digest covers the week before
SPAN = (NOW - START).total_seconds()
START_TS = START.timestamp()

MEMBERS = 66_000
COMMUNITY_MEMBERS = 52_000
REJOINS = 1_000
THREADS = 1_200
POSTS = 33_000
HIDDEN_SHARE = 0.03
EVENTS = 500
ENGAGEMENT_ROWS = 1_000_000
DONATIONS = 20_000
REFERRAL_CODES = 800
# Engagement rows per kind; event_message takes what is left of ENGAGEMENT_ROWS.
EVENT_JOINS = 40_000
REACTIONS = 60_000
QR_SCANS = 230_000
QR_PUSHES = 90_000
OPTINS = 12_000
REFERRAL_CLICKS = 60_000


@dataclass(frozen=True)
class Sizes:
    """How much fill() writes: the city's 3-year target size by default; scaled() for one city of a region."""

    MEMBERS: int = MEMBERS
    COMMUNITY_MEMBERS: int = COMMUNITY_MEMBERS
    REJOINS: int = REJOINS
    THREADS: int = THREADS
    POSTS: int = POSTS
    EVENTS: int = EVENTS
    ENGAGEMENT_ROWS: int = ENGAGEMENT_ROWS
    DONATIONS: int = DONATIONS
    REFERRAL_CODES: int = REFERRAL_CODES
    EVENT_JOINS: int = EVENT_JOINS
    REACTIONS: int = REACTIONS
    QR_SCANS: int = QR_SCANS
    QR_PUSHES: int = QR_PUSHES
    OPTINS: int = OPTINS
    REFERRAL_CLICKS: int = REFERRAL_CLICKS

    def scaled(self, share: float) -> Sizes:
        return Sizes(**{f.name: max(1, round(getattr(self, f.name) * share)) for f in fields(self)})


CATEGORIES = ("地域ネタ", "観光スポット", "グルメ", "市からの質問")
RELATIONS = ("resident", "native", "visitor", "fan")
DEVICES = ("ios", "android", "other")


# ---- data ----------------------------------------------------------------------------------------------------


def growth_ts(rng: random.Random, earliest: float = START_TS) -> float:
    """A moment between earliest and NOW, denser later (the community grows)."""
    span = NOW.timestamp() - earliest
    return earliest + span * rng.random() ** 0.6


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class Filler:
    """Bulk inserts through SQLAlchemy core (executemany), in chunks, in one transaction per table."""

    CHUNK = 20_000

    def __init__(self, connection):
        self.connection = connection
        self.counts: dict[str, int] = {}

    def insert(self, model, rows) -> None:
        table = model.__table__
        batch = []
        total = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= self.CHUNK:
                self.connection.execute(table.insert(), batch)
                total += len(batch)
                batch = []
        if batch:
            self.connection.execute(table.insert(), batch)
            total += len(batch)
        self.counts[table.name] = self.counts.get(table.name, 0) + total


def fill(url: str, seed: int = 6, size: Sizes | None = None, schema: str | None = None) -> dict[str, int]:
    size = size or Sizes()
    rng = random.Random(seed)
    engine = make_engine(url, schema)
    settings_city = load_settings({"DATABASE_URL": url, "PUBLIC_BASE_URL": "https://bench.invalid"}, dotenv=False).city
    touchpoint_ids = [t.id for t in settings_city.touchpoints]
    log: list[tuple] = []  # engagement rows: (ts, kind, member, platform, space, detail, amount)

    with engine.begin() as connection:
        filler = Filler(connection)

        # Members: ids 1..size.MEMBERS in order of arrival.
        member_ts = sorted(growth_ts(rng) for _ in range(size.MEMBERS))
        public_ids = [f"{i:05x}{rng.getrandbits(44):011x}" for i in range(size.MEMBERS)]
        filler.insert(
            Member,
            (
                {
                    "id": i + 1,
                    "public_id": public_ids[i],
                    "display_name": f"会員{i + 1}",
                    "lang": "ja",
                    "created_at": utc(member_ts[i]),
                }
                for i in range(size.MEMBERS)
            ),
        )

        staff_ids = list(range(1, 6))
        roles = [{"member_id": m, "role": "staff", "scope": "", "created_at": utc(START_TS)} for m in staff_ids]

        # Community: a share of members join, some leave, a few join twice (one member_joined row each time).
        joined = sorted(rng.sample(range(1, size.MEMBERS + 1), size.COMMUNITY_MEMBERS))
        community_rows = []
        for member_id in joined:
            ts = member_ts[member_id - 1] + rng.random() * 86400 * 3
            ts = min(ts, NOW.timestamp() - 60)
            relation = rng.choices(RELATIONS, weights=(3, 2, 3, 2))[0]
            platform = "line" if rng.random() < 0.75 else "discord"
            left = rng.random() < 0.05
            community_rows.append(
                {
                    "member_id": member_id,
                    "nickname": None if left else f"ニック{member_id}",
                    "relation": relation,
                    "platform": platform,
                    "joined_at": utc(ts),
                    "left_at": utc(min(ts + 86400 * 30, NOW.timestamp() - 1)) if left else None,
                }
            )
            log.append((ts, "member_joined", public_ids[member_id - 1], platform, "community", relation, None))
            if left:
                left_ts = min(ts + 86400 * 30, NOW.timestamp() - 1)
                log.append((left_ts, "member_left", public_ids[member_id - 1], platform, "community", "", None))
        for member_id in rng.sample(joined, size.REJOINS):
            ts = growth_ts(rng, member_ts[member_id - 1])
            log.append((ts, "member_joined", public_ids[member_id - 1], "line", "community", "fan", None))
        filler.insert(CommunityMember, community_rows)

        # Board: threads, then posts in them (popular threads get more), 3% hidden by staff.
        thread_ts = sorted(growth_ts(rng) for _ in range(size.THREADS))
        threads = []
        for i, ts in enumerate(thread_ts):
            category = rng.choices(CATEGORIES, weights=(5, 3, 3, 1))[0]
            threads.append(
                {
                    "id": i + 1,
                    "category": category,
                    "title": f"スレッド{i + 1}",
                    "official": category == "市からの質問",
                    "author_member_id": rng.choice(joined),
                    "created_at": ts,
                    "last_post_at": ts,
                }
            )
        weights = [1 / (rank + 1) ** 0.8 for rank in range(size.THREADS)]
        rng.shuffle(weights)
        posts = []
        for thread in rng.choices(threads, weights=weights, k=size.POSTS):
            ts = thread["created_at"] + (NOW.timestamp() - thread["created_at"]) * rng.random() ** 2
            member_id = rng.choice(joined)
            platform = "line" if rng.random() < 0.7 else rng.choice(("discord", "web"))
            hidden = rng.random() < HIDDEN_SHARE
            thread["last_post_at"] = max(thread["last_post_at"], ts)
            posts.append((ts, thread["id"], member_id, platform, hidden))
            log.append(
                (ts, "post", public_ids[member_id - 1], platform, f"thread:{thread['id']}", thread["category"], None)
            )
        filler.insert(
            BoardThread,
            ({**t, "created_at": utc(t["created_at"]), "last_post_at": utc(t["last_post_at"])} for t in threads),
        )
        posts.sort()
        filler.insert(
            BoardPost,
            (
                {
                    "thread_id": thread_id,
                    "member_id": member_id,
                    "reply_to": None,
                    "text": f"投稿 {n}: 今日の小美玉は良い天気でした。",
                    "platform": platform,
                    "created_at": utc(ts),
                    "hidden_at": utc(ts + 3600) if hidden else None,
                    "hidden_by": staff_ids[0] if hidden else None,
                }
                for n, (ts, thread_id, member_id, platform, hidden) in enumerate(posts, 1)
            ),
        )
        for _ in range(size.REACTIONS):
            ts, thread_id, _member, platform, _hidden = rng.choice(posts)
            ts = min(ts + rng.random() * 86400 * 2, NOW.timestamp() - 1)
            log.append(
                (
                    ts,
                    "reaction",
                    public_ids[rng.choice(joined) - 1],
                    platform,
                    f"thread:{thread_id}",
                    threads[thread_id - 1]["category"],
                    None,
                )
            )

        # Events, each with one bound space; facilitators (some opted out, some events have none).
        codes = set()
        while len(codes) < size.EVENTS:
            codes.add("".join(rng.choice(CODE_ALPHABET) for _ in range(6)))
        codes = sorted(codes)
        event_ts = sorted(growth_ts(rng) for _ in range(size.EVENTS))
        events, spaces, bound, optouts = [], [], [], []
        event_pools = []
        for i, (code, created) in enumerate(zip(codes, event_ts, strict=False)):
            event_id = i + 1
            organizer = rng.choice(joined)
            roles.append({"member_id": organizer, "role": "organizer", "scope": "", "created_at": utc(created)})
            events.append(
                {
                    "id": event_id,
                    "code": code,
                    "title": f"イベント{event_id}",
                    "starts_at": utc(created + 86400 * 14),
                    "location": "小美玉市四季文化館",
                    "venue": "",
                    "organizer_id": organizer,
                    "invite_url": None,
                    "created_at": utc(created),
                    "closed_at": None,
                    "after_event_posted_at": None,
                }
            )
            platform = "line" if rng.random() < 0.8 else "discord"
            detached = rng.random() < 0.1
            spaces.append(
                {
                    "id": event_id,
                    "platform": platform,
                    "kind": "group" if platform == "line" else "channel",
                    "platform_space_id": f"C{uuid.UUID(int=rng.getrandbits(128)).hex}",
                    "name": f"イベント{event_id}の会",
                    "purpose": "event",
                    "created_at": utc(created),
                    "bot_present": not detached,
                    "detached_at": utc(growth_ts(rng, created)) if detached else None,
                }
            )
            pool = rng.sample(range(1, size.MEMBERS + 1), rng.randint(20, 200))
            facilitators = [] if rng.random() < 0.05 else pool[: rng.randint(1, 3)]
            for n, member_id in enumerate(facilitators):
                roles.append({"member_id": member_id, "role": "facilitator", "scope": code, "created_at": utc(created)})
                if n and rng.random() < 0.2:
                    optouts.append({"event_id": event_id, "member_id": member_id, "at": utc(created + 86400)})
            event_pools.append((code, platform, created, pool, facilitators, spaces[-1]["detached_at"]))
            bound.append(
                {
                    "id": event_id,
                    "event_id": event_id,
                    "space_id": event_id,
                    "bound_at": utc(created),
                    "last_message_at": None,
                    "nudged_at": None,
                    "nudges": 0,
                }
            )
        # Roles are unique per (member, role, scope): an organizer of several events holds the role once.
        roles = list({(r["member_id"], r["role"], r["scope"]): r for r in roles}.values())

        fixed = (
            len(log)
            + size.EVENT_JOINS
            + size.QR_SCANS
            + size.QR_PUSHES
            + size.OPTINS
            + size.REFERRAL_CLICKS
            + size.DONATIONS
        )
        messages = size.ENGAGEMENT_ROWS - fixed
        for _ in range(size.EVENT_JOINS):
            code, platform, created, pool, _f, _d = rng.choice(event_pools)
            ts = growth_ts(rng, created)
            log.append((ts, "member_joined", public_ids[rng.choice(pool) - 1], platform, f"event:{code}", "", None))
        last_message: dict[int, float] = {}
        event_weights = [rng.paretovariate(1.5) for _ in range(size.EVENTS)]
        for index in rng.choices(range(size.EVENTS), weights=event_weights, k=messages):
            code, platform, created, pool, facilitators, detached_at = event_pools[index]
            # Most talk happens in the weeks around the event; a long tail after.
            end = detached_at.timestamp() if detached_at else NOW.timestamp()
            ts = min(created + rng.expovariate(1 / (86400 * 30)), end - 1)
            speaker = rng.choice(facilitators) if facilitators and rng.random() < 0.15 else rng.choice(pool)
            log.append((ts, "event_message", public_ids[speaker - 1], platform, f"event:{code}", "", None))
            last_message[index] = max(last_message.get(index, 0.0), ts)
        for index, ts in last_message.items():
            bound[index]["last_message_at"] = utc(ts)

        filler.insert(Event, events)
        filler.insert(Space, spaces)
        filler.insert(EventSpace, bound)
        filler.insert(Role, roles)
        filler.insert(FacilitatorOptOut, optouts)

        # Childcare touchpoints: QR scans from the web (no member), pushes to members, opt-ins.
        tp_weights = [rng.uniform(0.2, 3) for _ in touchpoint_ids]
        for touchpoint in rng.choices(touchpoint_ids, weights=tp_weights, k=size.QR_SCANS):
            log.append(
                (
                    growth_ts(rng),
                    "qr_scan",
                    None,
                    "web",
                    f"touchpoint:{touchpoint}",
                    rng.choices(DEVICES, weights=(6, 3, 1))[0],
                    None,
                )
            )
        for touchpoint in rng.choices(touchpoint_ids, weights=tp_weights, k=size.QR_PUSHES):
            log.append(
                (growth_ts(rng), "qr_push", rng.choice(public_ids), "line", f"touchpoint:{touchpoint}", "", None)
            )
        for _ in range(size.OPTINS):
            log.append((growth_ts(rng), "childcare_optin", rng.choice(public_ids), "line", "", "", None))

        # Furusato nozei: referral codes, clicks on /r/ links, imported donations.
        referral = [
            {"code": f"R{n:05d}X", "kind": "member", "owner_ref": public_ids[n], "created_at": utc(START_TS)}
            for n in range(size.REFERRAL_CODES)
        ]
        filler.insert(ReferralCode, referral)
        for _ in range(size.REFERRAL_CLICKS):
            detail = "unattributed" if rng.random() < 0.3 else rng.choice(referral)["code"]
            log.append((growth_ts(rng), "referral_click", None, "", "", detail, None))
        donations = []
        for n in range(size.DONATIONS):
            ts = growth_ts(rng)
            day = utc(ts).astimezone(JST).replace(hour=12, minute=0, second=0, microsecond=0)
            amount = rng.choice((5000, 10000, 10000, 20000, 30000, 50000, 100000))
            roll = rng.random()
            if roll < 0.3:
                code, how, detail = rng.choice(referral)["code"], "code", None
            elif roll < 0.4:
                code, how, detail = None, "keyword", "keyword"
            else:
                code, how, detail = None, "", "unattributed"
            donations.append(
                {
                    "row_hash": f"{n:064x}",
                    "donated_at": day,
                    "amount": amount,
                    "code": code,
                    "attributed_by": how,
                    "imported_at": utc(NOW.timestamp()),
                }
            )
            log.append((day.timestamp(), "donation", None, "", "", detail or code, amount))
        filler.insert(Donation, donations)
        # The childcare app's monthly store figures (staff record them with `appstats`).
        filler.insert(
            AppDownloadMonth,
            (
                {
                    "month": f"{2025 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}",
                    "ios": rng.randint(50, 300),
                    "android": rng.randint(30, 200),
                    "source": "bench",
                    "recorded_at": utc(NOW.timestamp()),
                }
                for m in range(22)  # 2025-04 .. 2027-01
            ),
        )
        filler.insert(
            LineQuotaReading, [{"month": "2027-02", "quota": 15000, "used": 4200, "read_at": utc(NOW.timestamp())}]
        )

        # The log is append-only: rows arrive in time order.
        assert len(log) == size.ENGAGEMENT_ROWS, len(log)
        log.sort(key=lambda row: row[0])
        filler.insert(
            Engagement,
            (
                {
                    "at": utc(ts),
                    "kind": kind,
                    "member": member,
                    "platform": platform,
                    "space": space,
                    "detail": detail,
                    "amount": amount,
                }
                for ts, kind, member, platform, space, detail, amount in log
            ),
        )
        if engine.dialect.name == "postgresql":
            # Explicit ids above: move the sequences past them, as real inserts would have.
            for table in ("member", "board_thread", "event", "space", "event_space"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    if engine.dialect.name == "postgresql":
        # Autovacuum would have vacuumed and analysed tables this size in production (PostgreSQL 13 and later vacuum
        # after inserts too, which lets index-only scans skip the heap); do it now rather than during the timings.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return filler.counts


# ---- timing ----------------------------------------------------------------------------------------------------


def timed(database: Database, fn, runs: int) -> tuple[float, list[float]]:
    """One warm-up, then `runs` runs, each in a fresh session (nothing cached between runs)."""
    times = []
    for n in range(runs + 1):
        with database.session() as session:
            started = time.perf_counter()
            fn(session)
            elapsed = time.perf_counter() - started
            session.rollback()
        if n:
            times.append(elapsed)
    return statistics.median(times), times


def explain(database: Database, settings) -> None:
    """Print the plan of every statement kpi.report runs (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""
    from sqlalchemy import event

    engine = database.engine
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with database.session() as session:
            kpi.report(session, settings.site, FISCAL_YEAR)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    prefix = "EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN "
    seen = set()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            if statement in seen:
                continue
            seen.add(statement)
            cursor.execute(prefix + statement, parameters)
            print("   ", " ".join(statement.split())[:160])
            for row in cursor.fetchall():
                print("       ", row[-1])
    finally:
        raw.close()


def bench_backend(name: str, url: str, args) -> dict:
    started = time.perf_counter()
    upgrade(url)
    counts = fill(url)
    fill_seconds = time.perf_counter() - started
    settings = load_settings({"DATABASE_URL": url, "PUBLIC_BASE_URL": "https://bench.invalid"}, dotenv=False)
    database = Database(url)
    try:
        report_median, report_runs = timed(database, lambda s: kpi.report(s, settings.site, FISCAL_YEAR), args.runs)
        digest_median, digest_runs = timed(database, lambda s: digest.build(s, settings.site, NOW), args.runs)
        with database.session() as session:
            figures = kpi.report(session, settings.site, FISCAL_YEAR).as_json()["kpis"]
            week = digest.build(session, settings.site, NOW).week
        if args.explain:
            print(f"[{name}] query plans of kpi.report:")
            explain(database, settings)
    finally:
        database.close()
    return {
        "name": name,
        "fill_seconds": fill_seconds,
        "counts": counts,
        "report": (report_median, report_runs),
        "digest": (digest_median, digest_runs),
        "figures": figures,
        "week": week,
    }


# ---- a region of five cities (issue 14) ------------------------------------------------------------------------

REGION_CITIES = ("omitama", "town2", "town3", "town4", "town5")


def region_settings(folder: Path, url: str):
    """Five cities with every feature on (the shipped Omitama file, and four copies with their own id and address),
    and a region of all five; the first city's data at url, the others beside it (SQLite files) or in schemas."""
    folder.mkdir(parents=True, exist_ok=True)
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8")
    files = []
    for city_id in REGION_CITIES:
        path = folder / f"{city_id}.toml"
        own = f'id = "{city_id}"\npublic_base_url = "https://bench.invalid/{city_id}"'
        path.write_text(text.replace('id = "omitama"', own, 1), encoding="utf-8")
        files.append(path)
    region = folder / "region.toml"
    region.write_text(f'[region]\nid = "bench"\nname = "bench"\ncities = {list(REGION_CITIES)!r}\n'.replace("'", '"'))
    files.append(region)
    env = {"DATABASE_URL": url, "PUBLIC_BASE_URL": "https://bench.invalid", "CITY_CONFIG": ",".join(map(str, files))}
    return load_settings(env, dotenv=False)


def region_reports_parallel(databases: dict[str, Database], settings) -> region_kpi.RegionReport:
    """As GET /api/kpi?region= reads them: each city's report on its own database thread, at the same time."""

    async def gather() -> list[kpi.Report]:
        return await asyncio.gather(*(databases[c.id].run(kpi.report, c.site, FISCAL_YEAR) for c in settings.cities))

    reports = asyncio.run(gather())
    cities = [region_kpi.CityReport(c.site, r) for c, r in zip(settings.cities, reports, strict=True)]
    return region_kpi.region_report(settings.region("bench"), FISCAL_YEAR, cities)


def region_reports_serial(databases: dict[str, Database], settings) -> region_kpi.RegionReport:
    """As `python -m bot kpi --region` reads them: one city after another."""
    cities = [
        region_kpi.CityReport(c.site, databases[c.id].call(kpi.report, c.site, FISCAL_YEAR)) for c in settings.cities
    ]
    return region_kpi.region_report(settings.region("bench"), FISCAL_YEAR, cities)


def timed_region(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for n in range(runs + 1):
        started = time.perf_counter()
        fn()
        if n:
            times.append(time.perf_counter() - started)
    return statistics.median(times), times


def bench_region(name: str, url: str, folder: Path, args) -> dict:
    """Fill five cities with a fifth of the city-scale data each (66,000 members in all), then time the region's
    KPIs both ways."""
    started = time.perf_counter()
    settings = region_settings(folder, url)
    counts: dict[str, int] = {}
    share = 1 / len(REGION_CITIES)
    for n, city in enumerate(settings.cities):
        upgrade(city.database_url, "head", city.database_schema)
        for table, count in fill(city.database_url, 60 + n, Sizes().scaled(share), city.database_schema).items():
            counts[table] = counts.get(table, 0) + count
    fill_seconds = time.perf_counter() - started
    databases = {c.id: Database(c.database_url, c.database_schema) for c in settings.cities}
    try:
        parallel = timed_region(lambda: region_reports_parallel(databases, settings), args.runs)
        serial = timed_region(lambda: region_reports_serial(databases, settings), args.runs)
        figures = region_reports_parallel(databases, settings).as_json()
    finally:
        for database in databases.values():
            database.close()
    where = "SQLite files" if url.startswith("sqlite") else "PostgreSQL schemas"
    return {
        "name": name,
        "where": where,
        "fill_seconds": fill_seconds,
        "counts": counts,
        "parallel": parallel,
        "serial": serial,
        "figures": figures,
    }


def print_region(result: dict) -> list[tuple[str, bool]]:
    counts, figures = result["counts"], result["figures"]
    print(
        f"[{result['name']} region] filled in {result['fill_seconds']:.0f} s: {len(REGION_CITIES)} cities in "
        f"{result['where']}, {counts['member']:,} members, {counts['board_post']:,} posts, {counts['event']:,} events, "
        f"{counts['engagement']:,} engagement rows",
        flush=True,
    )
    print(
        f"[{result['name']} region] FY{FISCAL_YEAR}: participants {figures['kpis']['participants']['value']:,}, "
        f"at the year's end {figures['kpis']['participants_at_fy_end']['value']:,}, events with a group and a "
        f"facilitator {figures['kpis']['events_with_group_and_facilitator_percent']['value']}%"
    )
    checks = []
    for label, key in (("region (API)", "parallel"), ("region (CLI)", "serial")):
        median, runs = result[key]
        ok = median < TARGET_SECONDS
        if key == "parallel":
            checks.append((f"{result['name']} {label}", ok))
        print(
            f"  {result['name']:<10} {label:<13} median {median * 1000:7.0f} ms  "
            f"(runs: {', '.join(f'{r * 1000:.0f}' for r in runs)} ms)  {'PASS' if ok else 'MISS'} < {TARGET_SECONDS:g} s",
            flush=True,
        )
    return checks


# ---- the run ---------------------------------------------------------------------------------------------------


def print_result(result: dict) -> list[tuple[str, bool]]:
    counts = result["counts"]
    print(
        f"[{result['name']}] filled in {result['fill_seconds']:.0f} s: {counts['member']:,} members, "
        f"{counts['board_post']:,} posts, {counts['event']:,} events, {counts['engagement']:,} engagement rows, "
        f"{counts['donation']:,} donations",
        flush=True,
    )
    figures = result["figures"]
    print(
        f"[{result['name']}] FY{FISCAL_YEAR}: participants {figures['participants']['value']:,}, posts "
        f"{figures['posts']['value']:,}, event messages {figures['event_messages']['value']:,}, event spaces "
        f"{figures['event_spaces']['value']} ({figures['event_spaces_with_active_facilitator']['value']} with an "
        f"active facilitator); digest week {result['week']}"
    )
    checks = []
    for label, key in (("kpi.report", "report"), ("digest.build", "digest")):
        median, runs = result[key]
        ok = median < TARGET_SECONDS
        checks.append((f"{result['name']} {label}", ok))
        print(
            f"  {result['name']:<10} {label:<13} median {median * 1000:7.0f} ms  "
            f"(runs: {', '.join(f'{r * 1000:.0f}' for r in runs)} ms)  {'PASS' if ok else 'MISS'} < {TARGET_SECONDS:g} s",
            flush=True,
        )
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite, postgres or both (default)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL"),
        help="a PostgreSQL server to create a throwaway database on (default: TEST_POSTGRES_URL, "
        "else a throwaway cluster)",
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement (after one warm-up)")
    parser.add_argument("--explain", action="store_true", help="print the query plans of kpi.report")
    parser.add_argument("--region-only", action="store_true", help="only the region of five cities")
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    print(
        f"{os.cpu_count()} cores; FY{FISCAL_YEAR} KPIs and the digest at {NOW.isoformat()}; "
        f"median of {args.runs} runs after one warm-up",
        flush=True,
    )
    started = time.perf_counter()
    checks: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="tsunagaru-bench-") as tmp:
        if "sqlite" in backends:
            if not args.region_only:
                checks += print_result(bench_backend("sqlite", f"sqlite:///{tmp}/bench.db", args))
            checks += print_region(bench_region("sqlite", f"sqlite:///{tmp}/region.db", Path(tmp) / "cities", args))
        if "postgres" in backends:
            try:
                with nullcontext_url(args.postgres_url) if args.postgres_url else throwaway_cluster() as server:
                    if not args.region_only:
                        with fresh_database(server, "bench_kpi") as url:
                            checks += print_result(bench_backend("postgresql", url, args))
                    with fresh_database(server, "bench_kpi") as url:
                        checks += print_region(bench_region("postgresql", url, Path(tmp) / "pg-cities", args))
            except LookupError as exc:
                print(f"PostgreSQL skipped: {exc}")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0 if all(ok for _, ok in checks) else 1


@contextmanager
def nullcontext_url(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    raise SystemExit(main())
