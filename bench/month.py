"""A month of a city on LINE, simulated (issue 15): what does it cost, and does it fit the budget?

A city of Kashima's scale — 66,000 community members on LINE (residents, natives, visitors, fans) — with Omitama's
childcare flow (about 300 births a year, 60 % of parents opted in to checkup notices, 6 checkups per child) runs one
month (November 2026) through the real code: handlers (Dispatcher.handle, as the inbox worker calls it), the real jobs
(checkup-notices, quiet-groups, after-event, weekly-digest, announcements) at their times, the outbox writer that keeps
the [budget], the sender, and LINE's quota endpoints, against the fake LINE API (tests/fake_line.py, in process, on a
loopback port; it checks every request against LINE's OpenAPI copy and bills as LINE does: one message per recipient,
a group push per member). The month's activity:

  - 8 events, each with a LINE group of 40 members and 2 facilitators (named by staff: their guides are pushed);
    3 of the groups go quiet (their facilitators are nudged); each group gets the venue's tips after its event;
  - 1,500 board posts and 20 reports (each new report is pushed to the 5 staff), 15 new /child opt-ins;
  - one announcement to the 20,000 fans (the /announce dialogue, sent at once), one scheduled to parents of 0-2 year
    olds, and an attempt to announce to all 66,000 (refused: over the budget); 1 % of fans then stop announcements;
  - the weekly digest to the staff group (8 members) every Monday.

It prints the billable messages per kind and in total against the cap, what the budget held back, and whether every
requested checkup notice was delivered. A simulated clock drives the handlers, jobs, sender and quota readings.

    python bench/month.py                 # cap 30,000 (about a minute)
    python bench/month.py --cap 12000                # a smaller plan: the announcement to the fans is refused
    python bench/month.py --cap 20500 --override     # an admin sends it anyway: what the budget then holds back
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import col, func, select  # noqa: E402

import bot.queues.inbox as inbox_module  # noqa: E402
from bot.app import Runtime  # noqa: E402
from bot.config import DEFAULT_CITY_CONFIG, load_settings  # noqa: E402
from community import budget, childcare, events, members  # noqa: E402
from community.members import new_public_id  # noqa: E402
from community.messages import DIRECT, GROUP, MEMBER_JOINED, MESSAGE, Inbound, Mention, Place  # noqa: E402
from community.texts import t  # noqa: E402
from scheduler.jobs import JobContext  # noqa: E402
from storage.db import as_utc  # noqa: E402
from storage.models import Member, OutboxMessage, PlatformAccount, Space  # noqa: E402
from storage.models.announce import Announcement  # noqa: E402
from storage.models.childcare import ChildcareChild, ChildcareNotice  # noqa: E402
from storage.models.community import CommunityMember  # noqa: E402
from storage.models.events import Event  # noqa: E402
from tests import line_payloads as lp  # noqa: E402
from tests.fake_line import FakeLineApi  # noqa: E402

TOKYO = ZoneInfo("Asia/Tokyo")
MONTH_START = datetime(2026, 11, 1, 0, 0, tzinfo=TOKYO)
DAYS = 30
RELATIONS = {"resident": 22_000, "native": 12_000, "visitor": 12_000, "fan": 20_000}  # 66,000
BIRTHS_PER_YEAR = 300
OPT_IN = 0.6
STAFF_COUNT = 5
STAFF_GROUP_SIZE = 8
EVENT_DAYS = (3, 7, 10, 14, 17, 21, 24, 28)
GROUP_MEMBERS = 40
QUIET_EVENTS = 3  # groups nobody writes in after the first days: their facilitators are nudged
POSTS = 1_500
REPORTS = 20
NEW_OPT_INS = 15
STOP_SHARE = 0.01
KIND_ORDER = ("checkup", "nudge", "tip", "staff", "announcement", "")
ADMIN = lp.user_id("admin-city")


class SimClock:
    """The simulated time, as aware UTC (what utcnow() returns)."""

    def __init__(self, start: datetime) -> None:
        self.now = as_utc(start)

    def __call__(self) -> datetime:
        return self.now

    def set(self, local: datetime) -> None:
        self.now = max(self.now, as_utc(local))

    @property
    def local(self) -> datetime:
        return self.now.astimezone(TOKYO)


# ---- the city before the month -------------------------------------------------------------------------------------


def seed_city(session, rng: random.Random) -> dict:
    """66,000 community members on LINE, 5 staff, parents with children born over six years, the staff group."""
    joined = as_utc(MONTH_START - timedelta(days=200))
    ids: dict[str, list[str]] = {}
    member_ids: dict[str, list[int]] = {}
    for relation, count in RELATIONS.items():
        publics = [new_public_id() for _ in range(count)]
        session.execute(insert(Member), [{"public_id": p, "created_at": joined, "lang": "ja"} for p in publics])
        rows = session.exec(select(Member.id).where(col(Member.public_id).in_(publics))).all()
        users = [lp.user_id(f"{relation}-{n}") for n in range(count)]
        session.execute(
            insert(PlatformAccount),
            [
                {"member_id": m, "platform": "line", "platform_user_id": u, "followed": True}
                for m, u in zip(rows, users, strict=True)
            ],
        )
        session.execute(
            insert(CommunityMember),
            [{"member_id": m, "relation": relation, "platform": "line", "joined_at": joined} for m in rows],
        )
        ids[relation], member_ids[relation] = users, list(rows)
    staff = [ADMIN, *ids["resident"][: STAFF_COUNT - 1]]  # the admin (ADMIN_LINE_USER_IDS) and four more
    for member_id in member_ids["resident"][: STAFF_COUNT - 1]:
        members.grant(session, member_id, members.STAFF, joined)
    _seed_children(session, member_ids["resident"][STAFF_COUNT:] + member_ids["native"], rng)
    session.add(
        Space(
            platform="line",
            kind=GROUP,
            platform_space_id=lp.group_id("staff"),
            name="staff",
            purpose="staff",
            created_at=joined,
        )
    )
    return {"ids": ids, "staff": staff}


def _seed_children(session, parents: list[int], rng: random.Random) -> None:
    """Six years of births (and the expecting), 60 % opted in; notices before the month count as sent then."""
    start = MONTH_START.date()
    children = []
    day = start - timedelta(days=6 * 365)
    end = start + timedelta(days=240)  # due dates up to eight months ahead
    per_day = BIRTHS_PER_YEAR / 365
    parent = iter(rng.sample(parents, len(parents)))
    while day < end:
        for _ in range(_poisson(rng, per_day)):
            if rng.random() < OPT_IN:
                children.append({"member_id": next(parent), "born_on": day})
        day += timedelta(days=1)
    session.execute(insert(ChildcareChild), children)
    settings_days = 14
    checkups = [(tp_id, months) for tp_id, months in CHECKUPS]
    rows = session.exec(select(ChildcareChild.id, ChildcareChild.born_on)).all()
    before = [
        {"child_id": child_id, "touchpoint": tp_id, "sent_at": as_utc(MONTH_START)}
        for child_id, born_on in rows
        for tp_id, months in checkups
        if childcare.add_months(born_on, months) - timedelta(days=settings_days) < start
    ]
    if before:
        session.execute(insert(ChildcareNotice), before)


CHECKUPS = (("checkup-4m", 4), ("consult-10m", 10), ("checkup-1y6m", 18), ("dental-2y", 24), ("checkup-3y", 36))
CHECKUPS += (("checkup-5y", 60),)


def _poisson(rng: random.Random, mean: float) -> int:
    count, limit, product = 0, pow(2.718281828459045, -mean), rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def requested_notices(session, city) -> int:
    """Checkup notices whose window opens in the month, for the children opted in by its end: what parents asked."""
    start = MONTH_START.date()
    end = start + timedelta(days=DAYS)
    days = childcare.notice_days(city)
    found = 0
    for (born_on,) in session.execute(select(ChildcareChild.born_on)).all():
        for _, checkup_on in childcare.checkup_dates(city, born_on):
            if start <= checkup_on - timedelta(days=days) < end:
                found += 1
    return found


# ---- the month ------------------------------------------------------------------------------------------------------


class Month:
    def __init__(
        self,
        runtime: Runtime,
        fake: FakeLineApi,
        clock: SimClock,
        city: dict,
        rng: random.Random,
        override: bool = False,
    ):
        self.runtime, self.fake, self.clock, self.city, self.rng = runtime, fake, clock, city, rng
        self.override = override  # the admin confirms the fans' announcement even over the remaining budget
        self.db = runtime.db
        self.site = runtime.site
        self.jobs = {job.name: job for job in runtime.jobs}
        self.admin = city["staff"][0]
        self.events: list[tuple[str, str, list[str]]] = []  # (code, group id, its members)
        self.answers: list[str] = []  # what the bot answered the admin's announcement steps
        self.refusals: list[tuple[str, str]] = []  # (which, what the bot said)
        self.posts = 0

    async def say(self, user: str, text: str, group: str | None = None, mentions: tuple[str, ...] = ()) -> list[str]:
        """One LINE message, handled as the inbox worker would (Dispatcher.handle), then sent."""
        token = self.fake.issue_reply_token()
        place = Place("line", GROUP, group) if group else Place("line", DIRECT, user)
        inbound = Inbound(
            "line",
            MESSAGE,
            place,
            self.clock.now,
            sender_id=user,
            text=text,
            mentions=tuple(Mention(m, "@x") for m in mentions),
            reply_token=token,
            message_kind="text",
        )
        await self.db.run(self.runtime.worker.dispatcher.handle, inbound)
        await self.runtime.sender.drain()
        return self.fake.reply_texts(token)

    async def joined(self, group: str, users: list[str]) -> None:
        inbound = Inbound("line", MEMBER_JOINED, Place("line", GROUP, group), self.clock.now, member_ids=tuple(users))
        await self.db.run(self.runtime.worker.dispatcher.handle, inbound)

    async def job(self, name: str) -> str:
        """A job at the simulated time, as the scheduler runs it (its transaction writes through the budget)."""
        job = self.jobs[name]

        def run(session) -> str:
            ctx = JobContext(session=session, site=self.site, now=self.clock.local)
            detail = job.run(ctx)
            self.runtime.outbox.write(session, ctx.postbox.items, self.clock.now)
            return detail

        detail = await self.db.run(run)
        await self.runtime.sender.drain()
        return detail

    async def at(self, day: int, hour: int, minute: int = 0) -> None:
        self.clock.set(MONTH_START + timedelta(days=day - 1, hours=hour, minutes=minute))

    # ---- what happens ----
    async def prepare_event(self, day: int, index: int) -> None:
        starts = MONTH_START + timedelta(days=day - 1, hours=14)
        venue = "四季文化館みの〜れ" if index % 2 == 0 else "小川文化センターアピオス"
        [created] = await self.say(self.admin, f"/event new 体験会{index} | {starts:%Y-%m-%d %H:%M} | {venue}")
        code = created.split("イベントコード: ")[1].split()[0] if "イベントコード: " in created else ""
        group = lp.group_id(f"event-{index}")
        pool = self.city["ids"]["visitor"] + self.city["ids"]["resident"][STAFF_COUNT:]
        people = self.rng.sample(pool, GROUP_MEMBERS)
        self.fake.group_sizes[group] = GROUP_MEMBERS + 1  # with the bot's facilitator
        bind = await self.db.run(_bind_code, code)  # the secret one the organizer is given (issue 16)
        await self.say(people[0], f"/event bind {bind}", group=group)
        await self.joined(group, people)
        publics = await self.db.run(_public_ids, people[:2])
        await self.say(self.admin, f"/event facilitator {code} {' '.join(publics)}")
        self.events.append((code, group, people))

    async def chat_in_groups(self) -> None:
        """Every group but the quiet ones hears a little every day (counted, never kept)."""
        for _code, group, people in self.events[QUIET_EVENTS:]:
            for user in self.rng.sample(people, 2):
                await self.say(user, "楽しみです！", group=group)

    async def post(self, threads: int, posts: int) -> None:
        users = self.city["ids"]["fan"] + self.city["ids"]["native"]
        for _ in range(posts):
            await self.say(self.rng.choice(users), f"/post {self.rng.randint(1, threads)} {uuid.uuid4().hex[:12]}")
            self.posts += 1

    async def report(self, count: int) -> None:
        users = self.city["ids"]["visitor"]
        for post_id in self.rng.sample(range(1, self.posts + 1), count):
            await self.say(self.rng.choice(users), f"/report {post_id} 宣伝です")

    async def opt_in(self, count: int) -> None:
        for n in range(count):
            due = (self.clock.local + timedelta(days=30 + 7 * n)).date()
            await self.say(self.city["ids"]["native"][-1 - n], f"/child {due.isoformat()}")

    async def announce(self, steps: list[str]) -> list[str]:
        answers: list[str] = []
        for step in steps:
            answers = await self.say(self.admin, step)
        return answers


def _bind_code(session, code: str) -> str:
    return events.bind_code_of(session, session.exec(select(Event).where(Event.code == code)).one())


def _public_ids(session, users: list[str]) -> list[str]:
    return [members.find_member(session, "line", user).public_id for user in users]


async def simulate(month: Month) -> None:
    fans = month.city["ids"]["fan"]
    await month.at(1, 8)
    for index, day in enumerate(EVENT_DAYS):
        if day <= 7:
            await month.prepare_event(day, index)
    await month.say(month.admin, "/thread new 地域ネタ 今月の話題")
    await month.say(month.admin, "/thread new グルメ おすすめの店")
    await month.say(month.admin, "/voice new 駅前にほしいお店は？")
    for day in range(1, DAYS + 1):
        await month.at(day, 9)
        if month.clock.local.weekday() == 0:
            await month.job("weekly-digest")
        for index, event_day in enumerate(EVENT_DAYS):
            if event_day == day + 7:
                await month.prepare_event(event_day, index)
        await month.chat_in_groups()
        await month.post(3, POSTS // DAYS)
        if day % 3 == 0:
            await month.report(REPORTS // 10)
        if day % 2 == 0:
            await month.opt_in(1)
        await month.at(day, 10)
        await month.job("checkup-notices")
        await month.at(day, 10, 30)
        await month.job("quiet-groups")
        if day == 12:  # the month's big announcement, to the 20,000 fans, at once
            month.answers = await month.announce(
                [
                    "/announce 鹿嶋の秋の収穫祭、今年は11月23日です。",
                    "なし",
                    "くわしく https://www.city.kashima.ibaraki.jp/matsuri",
                    "ファン",
                    "今すぐ送る",
                ]
            )
            if month.answers and "監査ログ" in month.answers[0]:  # over the remaining budget: the admin decides
                if not month.override:
                    month.refusals.append(("the 20,000 fans", month.answers[0].splitlines()[0]))
                month.answers = await month.say(month.admin, "はい" if month.override else "やめる")
            for user in month.rng.sample(fans, int(len(fans) * STOP_SHARE)):
                await month.say(user, "/announce stop")  # the button under the announcement
        if day == 18:  # one scheduled for parents of young children, and one to everyone (over the budget)
            for which, text, segment, when in (
                ("parents of 0-2 year olds", "子育て広場の12月の予定です。", "子育て 0-2歳", "2026-11-20 09:00"),
                ("all 66,000", "年末年始の窓口のお知らせ", "全員", "今すぐ送る"),
            ):
                answer = await month.announce([f"/announce {text}", "なし", "なし", segment, when])
                if answer and "残りを超えるため送れません" in answer[0]:
                    month.refusals.append((which, answer[0].splitlines()[0]))
                    await month.say(month.admin, "やめる")
        for hour in (12, 15, 18):
            await month.at(day, hour)
            await month.job("announcements")
        await month.job("after-event")
        await month.at(day, 23)
        await month.runtime.line_quota.status()


# ---- the figures --------------------------------------------------------------------------------------------------


def figures(session, site, cap: int) -> dict:
    start, end = budget.month_bounds(MONTH_START)
    billed = budget.billed_by_kind(session, start, end)
    requests = dict(
        session.exec(
            select(OutboxMessage.kind, func.count())
            .where(OutboxMessage.status == "sent", OutboxMessage.platform == "line", OutboxMessage.cost > 0)
            .group_by(OutboxMessage.kind)
        ).all()
    )
    held = budget.held_between(session, start, end)
    checkups_sent = session.exec(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.kind == "checkup", OutboxMessage.status == "sent")
    ).one()
    announcements = session.exec(select(Announcement).order_by(Announcement.id)).all()
    return {
        "billed": billed,
        "requests": requests,
        "held": held,
        "checkups_requested": requested_notices(session, site.city),
        "checkups_sent": int(checkups_sent),
        "announcements": [(a.id, a.segment, a.status, a.recipients, a.billable) for a in announcements],
        "month": budget.month(session, site, MONTH_START + timedelta(days=DAYS - 1, hours=23)),
    }


def print_report(found: dict, cap: int, consumption: int, seconds: float, out=print) -> None:
    billed, requests = found["billed"], found["requests"]
    total = sum(billed.values())
    out(
        f"A month on LINE (November 2026): 66,000 community members, about {BIRTHS_PER_YEAR} births a year, cap {cap:,}"
    )
    out("")
    out(f"{'kind':<28}{'requests':>10}{'messages':>12}")
    for kind in KIND_ORDER:
        label = t("en", f"budget.kind.{kind or 'answer'}")
        out(f"{label:<28}{requests.get(kind, 0):>10,}{billed.get(kind, 0):>12,}")
    out(f"{'total':<28}{sum(requests.values()):>10,}{total:>12,}  of the cap {cap:,} ({100 * total / cap:.1f} %)")
    out(f"LINE's consumption as its quota endpoint reports it: {consumption:,}")
    held = found["held"]
    if held:
        for figure in held:
            label = t("en", f"budget.kind.{figure.kind or 'answer'}")
            out(f"held back by the budget: {label}: {figure.pushes:,} pushes ({figure.messages:,} messages)")
    else:
        out("held back by the budget: nothing")
    out(f"checkup notices parents asked for: {found['checkups_requested']:,}, delivered: {found['checkups_sent']:,}")
    for ident, segment, status, recipients, billable in found["announcements"]:
        out(f"announcement #{ident} to {segment}: {status}, {recipients:,} reached, {billable:,} messages")
    for which, refusal in found.get("refusals", ()):
        out(f"announcement to {which} refused: {refusal}")
    month = found["month"]
    out(
        f"left for announcements at the month's end: {month.remaining:,} (used {month.used:,}, queued {month.queued:,})"
    )
    out(f"simulated in {seconds:.0f} s")


async def run(cap: int, seed: int = 7, override: bool = False, out=print) -> dict:
    started = time.monotonic()
    rng = random.Random(seed)
    clock = SimClock(MONTH_START - timedelta(days=1))
    fake = FakeLineApi()
    fake.quota = None  # the plan's own limit is not what this measures: the city's cap is
    await fake.start()
    folder = Path(tempfile.mkdtemp(prefix="tsunagaru-month-"))
    city_file = folder / "city.toml"
    city_file.write_text(
        DEFAULT_CITY_CONFIG.read_text(encoding="utf-8") + f"\n[budget]\nmonthly_cap = {cap}\n", encoding="utf-8"
    )
    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{folder}/month.db",
            "PUBLIC_BASE_URL": "https://bench.example.jp",
            "CITY_CONFIG": str(city_file),
            "LINE_CHANNEL_SECRET": "bench-secret",
            "LINE_CHANNEL_ACCESS_TOKEN": fake.token,
            "LINE_API_BASE_URL": fake.url,
            "LINE_DATA_API_BASE_URL": fake.url,
            "ADMIN_LINE_USER_IDS": ADMIN,
        },
        dotenv=False,
    )
    inbox_module.utcnow = clock  # the handlers' clock: Dispatcher.handle reads the time here
    runtime = Runtime(
        settings, run_workers=False, run_scheduler=False, sender_options={"clock": clock, "jitter": lambda: 0.5}
    )
    await runtime.start()
    runtime.line_quota.clock = clock
    try:
        city = await runtime.db.run(seed_city, rng)
        fake.group_sizes[lp.group_id("staff")] = STAFF_GROUP_SIZE
        month = Month(runtime, fake, clock, city, rng, override)
        await simulate(month)
        found = await runtime.db.run(figures, runtime.site, cap)
        found["refusals"] = month.refusals
        print_report(found, cap, fake.consumption(), time.monotonic() - started, out)
        return found
    finally:
        await runtime.stop()
        await fake.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a month of LINE pushes against the budget")
    parser.add_argument("--cap", type=int, default=30_000, help="[budget] monthly_cap (default 30,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--override", action="store_true", help="the admin sends the fans' announcement even over the remaining budget"
    )
    args = parser.parse_args(argv)
    found = asyncio.run(run(args.cap, args.seed, args.override))
    ok = found["checkups_sent"] >= found["checkups_requested"] and any(
        segment == "relation:fan" and status == "sent" for _, segment, status, _, _ in found["announcements"]
    )
    return 0 if ok or args.cap != 30_000 else 1


if __name__ == "__main__":
    sys.exit(main())
