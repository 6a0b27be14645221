"""Issue 7, "Prove it holds": faults, a crash, a database outage and two instances, each counted at the fake LINE API.

Sizes scale with RELIABILITY_SCALE (default 0.1; 1 is the issue's full size: 2,000 pushes and 50 multicasts of 1,200
recipients under random faults, 10,000 webhook events across a SIGKILL). Each test prints its figures (pytest -s).
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import pwd
import random
import signal
import sys
import time
from collections import Counter

import aiohttp
import pytest

from bot.queues.outbox import enqueue
from community.messages import Postbox, Text
from storage.db import utcnow
from tests import line_payloads as lp
from tests.conftest import postgres_database
from tests.fake_line import CHANNEL_SECRET, MULTICAST, PUSH, REPLY
from tests.reliability_helpers import (
    ROOT,
    BotServer,
    Deliveries,
    PostgresCluster,
    accepted_key,
    conversations,
    deliver,
    fault_counts,
    in_batches,
    postgres_bin,
    read_rows,
    sized,
    tally_conversations,
    wait_drained,
    wait_until,
)


def report(title: str, **figures) -> None:
    print(f"\n[{title}] " + ", ".join(f"{k}={v}" for k, v in figures.items()), file=sys.stderr)


def counted(tally, elapsed: float) -> dict:
    """The figures every run reports: rows written, and what the fake LINE API found lost and duplicated."""
    return {
        "outbox_rows": tally.outbox_rows,
        "lost": tally.lost,
        "duplicates": tally.duplicates,
        "seconds": round(elapsed, 1),
    }


def drain_seconds(events: int) -> float:
    """A bound on catching up, generous for a slow machine: SQLite has one writer, and at the full size most replies
    are past their token's life and go out as pushes (about 30 events/s handled and answered on 2 cores)."""
    return 90 + events / 20


async def redeliver_until_stored(session, url_for, batches, record: Deliveries, rounds: int = 20) -> None:
    """LINE sends an unacknowledged webhook again (with backoff); here: until every one is acknowledged."""
    for _ in range(rounds):
        if not batches:
            return
        batches = await deliver(session, url_for, CHANNEL_SECRET, batches, record)
    assert not batches, f"{len(batches)} webhook requests were never acknowledged"


def assert_exactly_once(tally) -> None:
    assert tally.problems == []
    assert (tally.lost, tally.duplicates, tally.strays) == (0, 0, 0)
    assert tally.handled == tally.events == tally.inbox_rows
    assert tally.sent == tally.outbox_rows >= tally.events


# ---- faults: 429, 500, slow answers and dropped connections at random ----------------------------------------------


@pytest.mark.slow
async def test_random_faults_every_push_and_multicast_is_accepted_exactly_once(make_line_bot, fake_line, database_url):
    pushes, multicasts, recipients = sized(2000, 50), sized(50, 3), 1200
    bot = await make_line_bot(DATABASE_URL=database_url, line_timeout=0.3)
    # slow_seconds beyond the client's timeout: a slow answer is a lost answer to a request LINE accepted.
    fake_line.random_faults(
        seed=2026, p429=0.08, p500=0.08, pslow=0.02, pdrop=0.05, slow_seconds=2.0, paths=(PUSH, MULTICAST)
    )
    people = [lp.user_id(f"resident-{i}") for i in range(pushes)]
    audience = [lp.user_id(f"supporter-{j}") for j in range(recipients)]

    def write(session):
        box = Postbox()
        for i, person in enumerate(people):
            box.push("line", person, Text(f"お知らせ {i}"))
        for k in range(multicasts):
            box.multicast("line", audience, Text(f"一斉連絡 {k}"))
        now = utcnow()
        for item in box.items:
            enqueue(session, item, now)

    started = time.monotonic()
    await bot.db.run(write)
    await bot.settle(max_rounds=2000)
    fake_line.release_hangs()
    elapsed = time.monotonic() - started

    rows = bot.outbox()
    assert len(rows) == pushes + multicasts * 3  # 1,200 recipients: batches of 500, 500 and 200
    assert Counter(r.status for r in rows) == {"sent": len(rows)}
    per_row = Counter(fake_line.accepted_by_retry_key[accepted_key(r)] for r in rows)
    assert per_row == {1: len(rows)}, f"accepted count per row: {per_row}"
    assert sum(fake_line.accepted_by_retry_key.values()) == len(rows)
    # Per person and message: each push text once to its person, each multicast once to every recipient.
    pushed = Counter((b["to"], m["text"]) for b in fake_line.pushes() for m in b["messages"])
    assert pushed == Counter({(p, f"お知らせ {i}"): 1 for i, p in enumerate(people)})
    reached = Counter((to, m["text"]) for b in fake_line.multicasts() for to in b["to"] for m in b["messages"])
    assert len(reached) == recipients * multicasts and set(reached.values()) == {1}
    faults = fault_counts(fake_line)
    assert faults["429"] and faults["500"] and faults["dropped"] and faults["slow"], faults
    conflicts = sum(1 for c in fake_line.calls if c.status == 409)
    assert conflicts > 0  # retries after lost answers really were answered "already accepted"
    report(
        "faults",
        backend=database_url.split(":")[0],
        pushes=pushes,
        multicasts=f"{multicasts}x{recipients}",
        requests=len(fake_line.calls),
        faults=dict(faults),
        retry_key_409=conflicts,
        messages_delivered=len(pushed) + len(reached),
        lost=0,
        duplicates=0,
        seconds=round(elapsed, 1),
    )


# ---- a crash: SIGKILL in the middle of a webhook burst, then a restart ---------------------------------------------


@pytest.mark.slow
async def test_sigkill_mid_burst_every_event_handled_and_answered_once(fake_line, tmp_path):
    count = sized(10000, 200)
    rng = random.Random(7)
    fake_line.random_faults(seed=7, p429=0.02, p500=0.02, pdrop=0.02, paths=(REPLY, PUSH))
    talks = conversations(fake_line, count)
    batches = in_batches([c.event for c in talks], rng)
    database_url = f"sqlite:///{tmp_path}/bot.db"
    server = BotServer(tmp_path, database_url, fake_line, CHANNEL_SECRET, "crashing")
    record = Deliveries()
    kill_at = count * 2 // 5
    acked_at_kill = 0
    started = time.monotonic()

    def crash_mid_burst(progress: Deliveries) -> None:
        nonlocal acked_at_kill
        if not acked_at_kill and len(progress.acknowledged) >= kill_at:
            acked_at_kill = len(progress.acknowledged)
            server.kill()

    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await server.start(session)
        try:
            unacknowledged = await deliver(
                session, lambda i: server.url, CHANNEL_SECRET, batches, record, after_each=crash_mid_burst
            )
            assert acked_at_kill, "the server was never killed"
            inbox, outbox, _ = await asyncio.to_thread(read_rows, database_url)
            at_kill = {
                "inbox": dict(Counter(r.status for r in inbox)),
                "outbox": dict(Counter(r.status for r in outbox)),
            }
            # The kill left work behind: events stored but not handled, or answers not yet sent.
            assert set(at_kill["inbox"]) - {"done"} or set(at_kill["outbox"]) - {"sent"}, at_kill
            refused = sum(len(b) for b in unacknowledged)
            assert refused > 0  # requests after the kill had no answer
            await server.start(session)  # the restart: same database, a new process
            await redeliver_until_stored(session, lambda i: server.url, unacknowledged, record)
            await wait_drained(server, session, drain_seconds(count))
        finally:
            await asyncio.to_thread(server.stop)
    elapsed = time.monotonic() - started
    assert record.acknowledged == {c.event["webhookEventId"] for c in talks}
    tally = await asyncio.to_thread(tally_conversations, fake_line, database_url, talks)
    assert_exactly_once(tally)
    report(
        "sigkill",
        events=count,
        webhook_requests=record.requests,
        acknowledged_before_kill=acked_at_kill,
        unacknowledged_events_redelivered=refused,
        state_at_kill=at_kill,
        faults=dict(fault_counts(fake_line)),
        **counted(tally, elapsed),
    )


# ---- the database goes away for a while ---------------------------------------------------------------------------


@pytest.fixture
def own_postgres():
    """A PostgreSQL cluster this test may stop and start (the shared TEST_POSTGRES_URL server must stay up)."""
    bin_dir = postgres_bin()
    problem = None
    if bin_dir is None:
        problem = "no PostgreSQL server binaries (initdb, pg_ctl) installed"
    elif os.getuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            problem = "running as root and there is no postgres user to own the cluster"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem}: CI must be able to run the database outage test")
        pytest.skip(problem)
    cluster = PostgresCluster(bin_dir).init()
    yield cluster
    cluster.destroy()


@pytest.mark.slow
async def test_database_outage_webhook_answers_503_then_everything_catches_up(fake_line, tmp_path, own_postgres):
    count = sized(2000, 100)
    rng = random.Random(11)
    talks = conversations(fake_line, count)
    before, during = talks[: count // 2], talks[count // 2 :]
    server = BotServer(tmp_path, own_postgres.url(), fake_line, CHANNEL_SECRET, "outage")
    record = Deliveries()
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        await server.start(session)
        try:
            left = await deliver(
                session, lambda i: server.url, CHANNEL_SECRET, in_batches([c.event for c in before], rng), record
            )
            assert left == []
            # Stop the database while those events are being handled and answered.
            await asyncio.to_thread(own_postgres.stop)
            health = await server.health(session)
            assert health is not None and health["ok"] is False and health["database"] == "unavailable"
            outage = Deliveries()
            refused = await deliver(
                session, lambda i: server.url, CHANNEL_SECRET, in_batches([c.event for c in during], rng), outage
            )
            assert outage.acknowledged == set()
            assert set(outage.refused) == {503}, outage.refused  # "try again", so LINE redelivers
            await asyncio.to_thread(own_postgres.start)
            await redeliver_until_stored(session, lambda i: server.url, refused, record)
            await wait_drained(server, session, drain_seconds(count))
        finally:
            await asyncio.to_thread(server.stop)
    elapsed = time.monotonic() - started
    tally = await asyncio.to_thread(tally_conversations, fake_line, own_postgres.url(), talks)
    assert_exactly_once(tally)
    report(
        "database outage",
        events=count,
        refused_with_503=outage.refused[503],
        **counted(tally, elapsed),
    )


# ---- two instances on one PostgreSQL database ------------------------------------------------------------------------


@pytest.fixture
def shared_postgres() -> str:
    return postgres_database()


@pytest.mark.slow
async def test_two_instances_share_the_work_and_do_each_thing_once(fake_line, tmp_path, shared_postgres):
    count = sized(4000, 200)
    rng = random.Random(5)
    fake_line.random_faults(seed=5, p429=0.03, p500=0.03, pdrop=0.03, paths=(REPLY, PUSH))
    talks = conversations(fake_line, count)
    servers = [BotServer(tmp_path, shared_postgres, fake_line, CHANNEL_SECRET, name) for name in ("north", "south")]
    record = Deliveries()
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        try:
            # Both start at once on an empty database, as two dynos do.
            await asyncio.gather(*(s.start(session) for s in servers))
            left = await deliver(
                session, lambda i: servers[i % 2].url, CHANNEL_SECRET, in_batches([c.event for c in talks], rng), record
            )
            await redeliver_until_stored(session, lambda i: servers[i % 2].url, left, record)
            await wait_drained(servers[0], session, drain_seconds(count))
        finally:
            await asyncio.gather(*(asyncio.to_thread(s.stop) for s in servers))
    elapsed = time.monotonic() - started
    tally = await asyncio.to_thread(tally_conversations, fake_line, shared_postgres, talks)
    assert_exactly_once(tally)
    report(
        "two instances",
        events=count,
        webhook_requests=record.requests,
        faults=dict(fault_counts(fake_line)),
        **counted(tally, elapsed),
    )


@pytest.mark.slow
async def test_two_processes_firing_the_same_job_slots_run_each_once(tmp_path, shared_postgres):
    from handlers.features import all_jobs
    from storage.migrate import upgrade

    await asyncio.to_thread(upgrade, shared_postgres)
    moments = ["2026-03-02T09:00:00+09:00", "2026-03-09T09:00:00+09:00", "2026-03-16T09:00:00+09:00"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_"))}
    env.update(DATABASE_URL=shared_postgres, PUBLIC_BASE_URL="https://tsunagaru.example.jp", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "tests.reliability_helpers", "fire", *[f"--at={m}" for m in moments]]
    processes = [
        await asyncio.create_subprocess_exec(
            *command,
            env=env,
            cwd=tmp_path,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    try:
        for p in processes:
            line = await asyncio.wait_for(p.stdout.readline(), 60)
            assert line.strip() == b"ready", (line, await p.stderr.read())
        for p in processes:  # both go at once
            p.stdin.write(b"go\n")
        await asyncio.gather(*(p.stdin.drain() for p in processes))
        outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), 120)
    finally:
        for p in processes:
            if p.returncode is None:
                p.kill()
    for p, (_out, err) in zip(processes, outputs, strict=False):
        assert p.returncode == 0, err.decode()[-2000:]
    results = [json.loads(out.decode().strip().splitlines()[-1]) for out, _ in outputs]
    jobs = all_jobs()
    from datetime import datetime

    slots = {f"{job.name}@{job.slot(datetime.fromisoformat(m))}" for job in jobs for m in moments}
    assert set(results[0]) == set(results[1]) == slots
    ran = Counter(key for result in results for key, detail in result.items() if detail is not None)
    assert ran == Counter({key: 1 for key in slots}), ran  # each slot ran in exactly one of the two processes
    _, _, runs = await asyncio.to_thread(read_rows, shared_postgres)
    assert sorted(f"{r.job_name}@{r.slot}" for r in runs) == sorted(slots)
    assert {r.status for r in runs} == {"done"}
    split = [sum(1 for d in result.values() if d is not None) for result in results]
    report("job slots", slots=len(slots), ran_per_process=split, duplicates=0)


# ---- a reply's fate across a crash (the outbox's outcome_unknown mark) ---------------------------------------------

HANAKO = lp.user_id("hanako")


async def answered_help(bot) -> None:
    """Post /help and let the inbox worker handle it: one reply row waits in the outbox."""
    assert (await bot.post(lp.text_event("/help", HANAKO))).status == 200
    assert await bot.runtime.worker.drain() == 1


async def test_reply_claimed_but_never_tried_before_a_crash_is_still_delivered(line_bot, fake_line):
    from bot.queues.sender import claim_due

    await answered_help(line_bot)
    # A process claims the reply and dies before trying it.
    [row] = await line_bot.db.run(claim_due, line_bot.clock(), ["line"], 10, line_bot.runtime.sender.lease)
    await line_bot.restart()
    line_bot.clock.advance(60)  # the lease is over and the reply token past its life
    await line_bot.settle()
    # Never tried, so not "perhaps delivered": it goes out as a push, once.
    assert fake_line.replies() == []
    [push] = fake_line.pushes(to=HANAKO)
    assert push["messages"][0]["text"].startswith("使えるコマンド")
    [row] = line_bot.outbox()
    assert (row.status, row.method) == ("sent", "push")
    assert fake_line.accepted_by_retry_key[row.retry_key] == 1


async def test_reply_in_flight_when_the_process_died_is_not_sent_twice(line_bot, fake_line):
    await answered_help(line_bot)
    fake_line.hang_next(REPLY, seconds=30)  # LINE accepts the reply; the answer never comes back in time
    sending = asyncio.create_task(line_bot.runtime.sender.drain())

    async def reply_arrived():
        return any(c.path == REPLY and c.status == 200 for c in fake_line.calls)

    await wait_until(reply_arrived, 10, "the reply to reach the fake")
    sending.cancel()  # the process dies with the request out
    await asyncio.gather(sending, return_exceptions=True)
    await line_bot.restart()
    [row] = line_bot.outbox()
    assert (row.status, row.outcome_unknown) == ("sending", True)  # marked before the attempt
    line_bot.clock.advance(60)
    await line_bot.settle()
    fake_line.release_hangs()
    # The token is asked about even though it looks old: LINE says it is used, so the reply counts as sent.
    assert [c.status for c in fake_line.requests(REPLY)] == [200, 400]
    assert fake_line.pushes() == []
    [row] = line_bot.outbox()
    assert row.status == "sent" and "spent" in row.last_error
    assert fake_line.accepted_by_retry_key[accepted_key(row)] == 1


async def test_outbox_lease_is_renewed_while_a_send_is_out(make_line_bot, fake_line):
    from datetime import timedelta

    from bot.queues.sender import claim_due

    bot = await make_line_bot(sender_options={"lease_seconds": 0.9}, line_timeout=60)

    def write(session):
        box = Postbox()
        box.push("line", HANAKO, Text("ゆっくり届く"))
        [row] = enqueue(session, box.items[0], utcnow())
        return row.retry_key

    retry_key = await bot.db.run(write)
    fake_line.hang_next(PUSH, seconds=60)
    sending = asyncio.create_task(bot.runtime.sender.drain())
    try:

        async def claimed_lease():
            [row] = bot.outbox()
            return row.lease_until if any(c.path == PUSH for c in fake_line.calls) else None

        first = await wait_until(claimed_lease, 10, "the push to reach the fake")

        async def renewed():
            [row] = bot.outbox()
            return row.lease_until if row.lease_until > first + timedelta(seconds=0.5) else None

        await wait_until(renewed, 10, "the sender to renew its lease")
        # Another instance looking now finds nothing to take over.
        assert await bot.db.run(claim_due, bot.clock(), ["line"], 10, timedelta(seconds=0.9)) == []
    finally:
        fake_line.release_hangs()
        await sending
    [row] = bot.outbox()
    assert row.status == "sent" and row.lease_until is None
    assert fake_line.accepted_by_retry_key[retry_key] == 1


# ---- issue 18: the queue process (the inbox worker and the sender in a process of their own) ------------------------


def queue_process_pids(server: BotServer) -> list[int]:
    """The server's children: its queue process (python -m bot.queues.queue_process)."""
    pids = []
    for children in glob.glob(f"/proc/{server.process.pid}/task/*/children"):
        with open(children) as listing:
            pids += [int(pid) for pid in listing.read().split()]
    return [pid for pid in pids if b"queue_process" in open(f"/proc/{pid}/cmdline", "rb").read()]


@pytest.mark.slow
async def test_sigkill_of_the_queue_process_mid_burst_it_restarts_and_every_event_is_answered_once(fake_line, tmp_path):
    count = sized(4000, 200)
    rng = random.Random(18)
    fake_line.random_faults(seed=18, p429=0.02, p500=0.02, pdrop=0.02, paths=(REPLY, PUSH))
    talks = conversations(fake_line, count)
    database_url = f"sqlite:///{tmp_path}/bot.db"
    server = BotServer(tmp_path, database_url, fake_line, CHANNEL_SECRET, "queue-kill")
    record = Deliveries()
    killed: list[int] = []
    started = time.monotonic()

    def kill_queue_process(progress: Deliveries) -> None:
        if not killed and len(progress.acknowledged) >= count * 2 // 5:
            [pid] = queue_process_pids(server)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        await server.start(session)
        try:
            left = await deliver(
                session,
                lambda i: server.url,
                CHANNEL_SECRET,
                in_batches([c.event for c in talks], rng),
                record,
                after_each=kill_queue_process,
            )
            assert killed, "the queue process was never killed"
            await redeliver_until_stored(session, lambda i: server.url, left, record)

            async def restarted():
                return [pid for pid in queue_process_pids(server) if pid not in killed]

            [new_pid] = await wait_until(restarted, 30, "the server to start its queue process again")
            await wait_drained(server, session, drain_seconds(count))
        finally:
            await asyncio.to_thread(server.stop)
    elapsed = time.monotonic() - started
    assert record.acknowledged == {c.event["webhookEventId"] for c in talks}  # the webhook never stopped storing
    tally = await asyncio.to_thread(tally_conversations, fake_line, database_url, talks)
    assert_exactly_once(tally)
    assert "starting it again" in server.log_path.read_text()
    report(
        "queue process sigkill",
        events=count,
        acknowledged=len(record.acknowledged),
        refused=dict(record.refused),
        killed=killed[0],
        restarted_as=new_pid,
        faults=dict(fault_counts(fake_line)),
        **counted(tally, elapsed),
    )


@pytest.mark.slow
async def test_slow_line_calls_hold_only_themselves_every_answer_at_20_a_second_is_a_reply(fake_line, tmp_path):
    """Issue 13.7: with 2% of LINE's answers 15 s late (past the client's 10 s timeout: the call was accepted, only its
    answer is lost), events arriving at 20/s are all answered by reply; the late ones count as sent when their retry
    finds the token spent. Not one answer becomes a paid push."""
    count = sized(1200, 100)
    fake_line.random_faults(seed=1307, pslow=0.02, slow_seconds=15, paths=(REPLY, PUSH))
    talks = conversations(fake_line, count)
    server = BotServer(tmp_path, f"sqlite:///{tmp_path}/bot.db", fake_line, CHANNEL_SECRET, "slow-calls")
    record = Deliveries()
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        await server.start(session)
        try:
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            for i, talk in enumerate(talks):  # open loop, 20 a second, one event a request
                await asyncio.sleep(max(0.0, t0 + i / 20 - loop.time()))
                # LINE stamps an event when it happens, just before it sends it: the reply token's age counts from here
                # (stamped all at once before the loop, the last of 1,200 would be a minute old when sent).
                talk.event["timestamp"] = int(time.time() * 1000)
                assert not await deliver(session, lambda _: server.url, CHANNEL_SECRET, [[talk.event]], record)
            await wait_drained(server, session, drain_seconds(count) + 30)
        finally:
            fake_line.release_hangs()
            await asyncio.to_thread(server.stop)
    elapsed = time.monotonic() - started
    faults = fault_counts(fake_line)
    assert faults["slow"] >= 1, faults  # the seed really made some calls slow
    assert fake_line.pushes() == []  # no answer became a push
    tally = await asyncio.to_thread(tally_conversations, fake_line, f"sqlite:///{tmp_path}/bot.db", talks)
    assert_exactly_once(tally)
    assert tally.outbox_rows == count and len(fake_line.replies()) == count
    report(
        "slow calls",
        events=count,
        rate_per_s=20,
        slow_calls=faults["slow"],
        replies=len(fake_line.replies()),
        pushes=len(fake_line.pushes()),
        **counted(tally, elapsed),
    )


async def test_the_queue_process_answers_each_city_through_its_own_channel(tmp_path, fake_line, database_url):
    """Multi-city (issue 14) with the queue process: each city's events are handled on its own database and answered
    with its own channel's token, by the one queue process, as `serve` runs it."""
    import shutil

    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import RUNTIME, create_app
    from bot.config import DEFAULT_CITY_CONFIG, load_settings
    from tests.test_cities import KASHIMA_FILE, KASHIMA_SECRET, KASHIMA_TOKEN

    shutil.copy(DEFAULT_CITY_CONFIG, tmp_path / "omitama.toml")
    shutil.copy(KASHIMA_FILE, tmp_path / "kashima.toml")
    fake_line.other_channels.add(KASHIMA_TOKEN)
    settings = load_settings(
        {
            "CITY_CONFIG": f"{tmp_path / 'omitama.toml'},{tmp_path / 'kashima.toml'}",
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "https://tsunagaru.example.jp",
            "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": fake_line.token,
            "LINE_API_BASE_URL": fake_line.url,
            "LINE_DATA_API_BASE_URL": fake_line.url,
            "KASHIMA_LINE_CHANNEL_SECRET": KASHIMA_SECRET,
            "KASHIMA_LINE_CHANNEL_ACCESS_TOKEN": KASHIMA_TOKEN,
        },
        dotenv=False,
    )
    async with TestClient(TestServer(create_app(settings, run_scheduler=False), host="127.0.0.1", port=0)) as client:
        runtime = client.app[RUNTIME]
        assert runtime.queue_process is not None and runtime.queue_process.process.returncode is None
        asked = {}
        for path, secret, token in (
            ("/callback/line", CHANNEL_SECRET, fake_line.token),
            ("/callback/line/kashima", KASHIMA_SECRET, KASHIMA_TOKEN),
        ):
            events = [lp.text_event("/help", lp.user_id(f"{token}-{i}")) for i in range(5)]
            for event in events:
                fake_line.issue_reply_token(event["replyToken"])
                asked[event["replyToken"]] = token
            data = lp.body(events)
            headers = {"Content-Type": "application/json", "X-Line-Signature": lp.sign(data, secret)}
            assert (await client.post(path, data=data, headers=headers)).status == 200

        async def answered():
            replies = [c for c in fake_line.requests(REPLY) if c.status == 200]
            return replies if len(replies) == len(asked) else None

        replies = await wait_until(answered, 30, "both cities' replies")
        assert {c.json["replyToken"]: c.channel for c in replies} == asked  # each through its own channel
        assert fake_line.pushes() == []
        for city in runtime.cities.values():  # and each handled on its own database
            inbox, _, _ = await asyncio.to_thread(read_rows_of, city)
            assert len(inbox) == 5 and {r.status for r in inbox} == {"done"}


def read_rows_of(city):
    from sqlmodel import Session, select

    from storage.models import InboxEvent

    with Session(city.db.engine) as session:
        return list(session.exec(select(InboxEvent))), None, None
