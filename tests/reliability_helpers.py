"""Helpers for tests/test_reliability.py: the real server in its own process, a PostgreSQL cluster the test can stop,
a webhook client that signs like LINE, and exactly-once accounting at the fake LINE API.

Also a small command for the scheduler race: `python -m tests.reliability_helpers fire --at ISO` builds the job
catalogue on DATABASE_URL, prints "ready", waits for a line on stdin, fires every job for that moment through the
scheduler's fire path and prints {job: detail or null} as JSON.
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def scale(default: float = 0.1) -> float:
    """RELIABILITY_SCALE: 1 runs the sizes named in issue 7; the default keeps CI short."""
    return float(os.environ.get("RELIABILITY_SCALE", default))


def sized(full: int, minimum: int = 1) -> int:
    return max(minimum, round(full * scale()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_until(check, timeout: float, what: str, interval: float = 0.1):
    """Poll `await check()` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(interval)


# ---- the service as a process ----------------------------------------------------------------------------------


STAFF_TOKEN = "reliability-staff-token"  # /healthz shows the backlog to staff only


class BotServer:
    """`python -m bot serve` in a child process, LINE pointed at a FakeLineApi in the test process."""

    def __init__(self, workdir: Path, database_url: str, fake, secret: str, name: str = "bot"):
        self.workdir = workdir
        self.database_url = database_url
        self.fake = fake
        self.secret = secret
        self.name = name
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}-{self.starts}.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "ADMIN_"))}
        env.update(
            DATABASE_URL=self.database_url,
            LINE_CHANNEL_SECRET=self.secret,
            LINE_CHANNEL_ACCESS_TOKEN=self.fake.token,
            LINE_API_BASE_URL=self.fake.url,
            LINE_DATA_API_BASE_URL=self.fake.url,
            PUBLIC_BASE_URL="https://tsunagaru.example.jp",
            HOST="127.0.0.1",
            PORT=str(self.port),
            PYTHONPATH=str(ROOT),
            STAFF_API_TOKEN=STAFF_TOKEN,
        )
        return env

    async def start(self, session, timeout: float = 60) -> BotServer:
        for _ in range(5):  # a free port can be taken by someone else before the server binds it
            self.port = free_port()
            self.starts += 1
            log = open(self.log_path, "w")
            # cwd is a throwaway directory, so no developer .env is read.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"],
                env=self.env(),
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()

            async def ready():
                if self.process.poll() is not None:
                    return "exited"
                try:
                    async with session.get(self.url + "/healthz") as response:
                        return "up" if response.status in (200, 503) else None
                except OSError:
                    return None

            if await wait_until(ready, timeout, f"{self.name} to answer /healthz") == "up":
                return self
            if "address already in use" not in self.log_path.read_text().lower():
                break
        raise AssertionError(f"{self.name} did not start:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye, exactly what a crash looks like."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    async def health(self, session) -> dict | None:
        try:
            async with session.get(
                self.url + "/healthz", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}
            ) as response:
                return await response.json()
        except (OSError, ValueError):
            return None


async def wait_drained(server: BotServer, session, timeout: float) -> dict:
    """Until the inbox and the outbox have nothing pending or in flight (as /healthz reads the database)."""

    async def drained():
        body = await server.health(session)
        if body and body.get("ok") and body["inbox"]["backlog"] == 0 and body["outbox"]["backlog"] == 0:
            return body
        return None

    return await wait_until(drained, timeout, f"{server.name} to drain its inbox and outbox", interval=0.25)


# ---- LINE's side of the webhook --------------------------------------------------------------------------------


@dataclass
class Conversation:
    """One webhook event that asks for an answer: a /help from its own user, so every answer is attributable."""

    index: int
    user: str
    reply_token: str
    event: dict


def conversations(fake, count: int, text: str = "/help", prefix: str = "resident") -> list[Conversation]:
    from tests import line_payloads as lp

    out = []
    for i in range(count):
        user = lp.user_id(f"{prefix}-{i}")
        token = fake.issue_reply_token()
        out.append(Conversation(i, user, token, lp.text_event(text, user, reply_token=token)))
    return out


@dataclass
class Deliveries:
    """What LINE would do with webhook requests: 200 means stored; anything else is sent again later."""

    acknowledged: set[str] = field(default_factory=set)
    refused: Counter = field(default_factory=Counter)  # status (or "no answer") -> requests
    requests: int = 0


async def post_webhook(session, url: str, secret: str, events: list[dict]) -> int | None:
    """POST one signed webhook; the status, or None when the connection failed (no answer)."""
    import aiohttp

    from tests import line_payloads as lp

    data = lp.body(events)
    headers = {"Content-Type": "application/json", "X-Line-Signature": lp.sign(data, secret)}
    try:
        async with session.post(url + "/callback/line", data=data, headers=headers) as response:
            await response.read()
            return response.status
    except (TimeoutError, aiohttp.ClientError, OSError):
        return None


async def deliver(
    session, url_for, secret: str, batches: list[list[dict]], record: Deliveries, concurrency: int = 32, after_each=None
) -> list[list[dict]]:
    """Post every batch (url_for(i) picks the server); returns the batches not acknowledged, as LINE would redeliver
    them (same webhookEventId, isRedelivery true)."""
    from tests import line_payloads as lp

    semaphore = asyncio.Semaphore(concurrency)
    again: list[list[dict]] = []

    async def one(i: int, batch: list[dict]) -> None:
        async with semaphore:
            status = await post_webhook(session, url_for(i), secret, batch)
        record.requests += 1
        if status == 200:
            record.acknowledged.update(e["webhookEventId"] for e in batch)
        else:
            record.refused[status or "no answer"] += 1
            again.append([lp.redelivered(e) for e in batch])
        if after_each is not None:
            after_each(record)

    await asyncio.gather(*(one(i, b) for i, b in enumerate(batches)))
    return again


def in_batches(events: list[dict], rng, most: int = 3) -> list[list[dict]]:
    """LINE puts one or more events in a request."""
    batches, i = [], 0
    while i < len(events):
        n = rng.randint(1, most)
        batches.append(events[i : i + n])
        i += n
    return batches


# ---- exactly once, counted at the fake ---------------------------------------------------------------------------


def accepted_key(row) -> str:
    """The fake's accepted_by_retry_key key for an outbox row: a push/multicast's retry key, a reply's token."""
    return f"reply:{row.target}" if row.method == "reply" else row.retry_key


def read_rows(database_url: str):
    from sqlmodel import Session, select

    from storage.db import make_engine
    from storage.models import InboxEvent, JobRun, OutboxMessage

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            inbox = list(session.exec(select(InboxEvent)))
            outbox = list(session.exec(select(OutboxMessage)))
            runs = list(session.exec(select(JobRun)))
    finally:
        engine.dispose()
    return inbox, outbox, runs


@dataclass
class Tally:
    events: int
    inbox_rows: int
    handled: int
    outbox_rows: int
    sent: int
    lost: int
    duplicates: int
    strays: int
    problems: list[str]


def tally_conversations(fake, database_url: str, talks: list[Conversation]) -> Tally:
    """Each event stored and handled once; each outbox row accepted exactly once; each event's answers all arrived."""
    from tests.fake_line import PUSH, REPLY

    inbox, outbox, _ = read_rows(database_url)
    problems: list[str] = []
    by_event_id = {row.event_id: row for row in inbox}
    wanted = {c.event["webhookEventId"] for c in talks}
    missing = wanted - set(by_event_id)
    if missing:
        problems.append(f"{len(missing)} events never stored, e.g. {sorted(missing)[:3]}")
    not_done = [(r.event_id, r.status, r.last_error) for r in inbox if r.status != "done"]
    if not_done:
        problems.append(f"{len(not_done)} inbox rows not done, e.g. {not_done[:3]}")
    unsent = [(r.id, r.method, r.status, r.last_error) for r in outbox if r.status != "sent"]
    if unsent:
        problems.append(f"{len(unsent)} outbox rows not sent, e.g. {unsent[:3]}")
    counts = [fake.accepted_by_retry_key[accepted_key(r)] for r in outbox]
    lost = sum(1 for n in counts if n == 0)
    duplicates = sum(n - 1 for n in counts if n > 1)
    strays = sum(fake.accepted_by_retry_key.values()) - sum(counts)
    # Per event: the answers addressed to its reply token or its user are exactly its outbox rows.
    rows_per_event = Counter(r.source_event_id for r in outbox)
    answers = Counter()
    for call in fake.calls:
        if call.status == 200 and call.path == REPLY:
            answers[("token", call.json["replyToken"])] += 1
        elif call.status == 200 and call.path == PUSH:
            answers[("user", call.json["to"])] += 1
    unanswered = []
    for c in talks:
        row = by_event_id.get(c.event["webhookEventId"])
        got = answers[("token", c.reply_token)] + answers[("user", c.user)]
        if row is None or rows_per_event[row.id] == 0 or got != rows_per_event[row.id]:
            unanswered.append((c.index, got, rows_per_event[row.id] if row else None))
    if unanswered:
        problems.append(
            f"{len(unanswered)} events whose answers did not arrive exactly once "
            f"(index, accepted, outbox rows), e.g. {unanswered[:5]}"
        )
    return Tally(
        len(talks),
        len(inbox),
        sum(1 for r in inbox if r.status == "done"),
        len(outbox),
        sum(1 for r in outbox if r.status == "sent"),
        lost,
        duplicates,
        strays,
        problems,
    )


def fault_counts(fake) -> Counter:
    """Injected faults by kind: "429", "500", "slow" (answer later than the client waits), "dropped"."""
    return Counter(str(c.status) if c.fault == "injected" else c.fault for c in fake.calls if c.fault)


# ---- a PostgreSQL cluster the test owns (so it can stop it) ------------------------------------------------------


def postgres_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: [int(x) for x in Path(p).parts[-3].split(".") if x.isdigit()],
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """initdb + pg_ctl on a free loopback port in a temporary directory (as the postgres user when run as root,
    as .ci/run does); stop() and start() keep the data and the port."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="tsunagaru-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.port = 0
        self.as_root = os.getuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> PostgresCluster:
        if self.as_root:
            shutil.chown(self.root, "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self._run("mkdir", str(self.sock))
        for _ in range(5):
            self.port = free_port()
            if self.start(check=False):
                break
        else:
            raise AssertionError(f"PostgreSQL did not start:\n{self.log()}")
        return self

    def start(self, check: bool = True) -> bool:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock} -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        done = self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "postgres.log"),
            "-w",
            "-t",
            "60",
            "start",
            "-o",
            options,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"PostgreSQL did not start again:\n{self.log()}")
        return done.returncode == 0

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        try:
            return (self.root / "postgres.log").read_text(errors="replace")[-3000:]
        except OSError:
            return "(no log)"

    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


# ---- the scheduler's fire path in a process of its own ----------------------------------------------------------


def _fire_main(argv: list[str]) -> int:
    import argparse
    from datetime import datetime

    from bot.config import load_settings
    from bot.queues.outbox import OutboxWriter
    from handlers.features import all_jobs
    from scheduler.runner import fire
    from storage.db import Database

    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["fire"])
    parser.add_argument("--at", action="append", required=True, help="ISO time; repeat for several slots")
    args = parser.parse_args(argv)
    settings = load_settings(dotenv=False)

    async def main() -> dict:
        db = Database(settings.database_url)
        try:
            print("ready", flush=True)
            await asyncio.to_thread(sys.stdin.readline)
            results: dict[str, str | None] = {}
            for at_text in args.at:
                at = datetime.fromisoformat(at_text)
                for job in all_jobs():
                    results[f"{job.name}@{job.slot(at)}"] = await fire(
                        db, job, settings.site, OutboxWriter().write, at=at
                    )
            return results
        finally:
            db.close()

    print(json.dumps(asyncio.run(main()), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(_fire_main(sys.argv[1:]))
