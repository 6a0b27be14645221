"""Burst benchmark (issue 18): a crowd sends /help at once. Is every one answered exactly once, and how fast?

Every figure in the table comes from one run. Each server is measured in its own process(es), against the project's
fake LINE Messaging API (tests/fake_line.py) in its own process, which answers every call after --latency-ms, checks
every request body (the SDK model round trip and LINE's rules always; the OpenAPI schema on every request unless
--openapi-sample N says one in N) and counts the accepted replies per reply token and pushes per user.

Servers (--servers, comma-separated):
  sqlite  ours: `python -m bot serve` on a throwaway SQLite file
  pg1     ours on a throwaway PostgreSQL database, one instance
  pg2     ours, two instances on one PostgreSQL database; webhook requests alternate between them
  inline  the peer most LINE bots are, written as line-bot-sdk's aiohttp example: verify, parse with WebhookParser,
          await AsyncMessagingApi.reply_message for each message event in turn, then answer 200; no storage
PostgreSQL: --postgres-url or TEST_POSTGRES_URL (a fresh database is created there per measurement and dropped), else
a throwaway cluster started like .ci/run does.

Load shapes (--shapes): each a fresh server (fresh database) and fresh counts at the fake.
  burst   --events /help text events at --rate events/s (default 10,000 at 2,000/s)
  steady  --steady-seconds of /help at --steady-rate events/s (default 60 s at 500/s); not in the default run: no
          server here answers 500/s (see below), so each takes 2-4 minutes to drain it and the four would not fit the
          default run's 5 minutes
Every event has its own webhookEventId, replyToken and user id, and is sent in signed requests of --per-request
events, open loop (on schedule whatever the server does; ack latency counts from the scheduled moment), by an aiohttp
client in another process. The event's timestamp is its scheduled moment: LINE counts a reply token's age from then,
and the fake refuses a reply token older than --token-ttl seconds (LINE's tokens last about a minute).

Figures per server and shape: seconds from the first request to the last answer accepted by the fake; events answered
per second over that span; answers sent as replies and as pushes (ours turns a reply whose token is older than 50 s into
a push); webhook ack latency p50/p99/max; webhook answers other than 200 (and requests with no answer); lost (events
never answered, as of the end of the wait) and duplicated (events answered more than once), both must be 0; the sum of
the server processes' (and their children's) peak resident memory (VmHWM; PostgreSQL's own processes not included).
Each measurement's progress line adds the CPU the server processes and the fake used (share of one core).

After the last webhook request the harness polls the fake until every event is answered (for ours, also until the
database's inbox and outbox are empty, so a late second answer would be counted), giving up when nothing has moved
for --drain-timeout seconds (the inline peer answers before its acks: it gets one second).

Both ours and the inline peer send through line-bot-sdk's AsyncApiClient, whose aiohttp pool allows cpu_count() * 5
connections to the API by default: 10 on 2 cores, so at most 10 / latency answers a second per process (333/s at 30 ms).

    python bench/burst.py                          # the burst on all four (about 4 minutes on 2 cores)
    python bench/burst.py --shapes burst,steady    # and 60 s of steady load (about 15 minutes)
    python bench/burst.py --quick                  # a smoke run (about 45 s)
    python bench/burst.py --servers sqlite,inline --events 2000 --latency-ms 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.postgres import free_port, fresh_database, throwaway_cluster  # noqa: E402

SECRET = "bench-burst-channel-secret"
ACCESS_TOKEN = "bench-burst-access-token"
STAFF_TOKEN = "bench-burst-staff-token"  # /healthz shows the backlog only with it
CALLBACK = "/callback/line"
SERVERS = {
    "sqlite": "ours, SQLite",
    "pg1": "ours, PostgreSQL x1",
    "pg2": "ours, PostgreSQL x2",
    "inline": "inline (SDK example)",
}
SHAPES = ("burst", "steady")
# What the inline peer answers: a command list of about the size of ours.
INLINE_HELP = (
    "使えるコマンド:\n"
    + "\n".join(
        f"/{name} … {what}"
        for name, what in [
            ("help", "使えるコマンドの一覧"),
            ("lang", "表示言語を変える (ja / en)"),
            ("join", "イベントのグループに参加する"),
            ("event list", "これからのイベント"),
            ("child", "健診のお知らせを受け取る"),
            ("hiroba", "子育て広場のアンケートに答える"),
            ("community join", "コミュニティに参加する"),
            ("profile", "登録内容を見る・変える"),
            ("board", "掲示板の新着スレッド"),
            ("post", "スレッドに投稿する"),
            ("donate", "ふるさと納税で応援する"),
            ("forget-me", "自分のデータを削除する"),
        ]
    )
    + "\n詳しくは「/help コマンド名」と送ってください。"
)


def http_json(url: str, body: dict | None = None, timeout: float = 30, token: str | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST", headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def openapi_dir(explicit: str | None) -> Path | None:
    """Where LINE's OpenAPI documents are: --openapi-dir, else where tests/openapi_schema.py looks (the copy in
    tests/line-openapi), else ../shared next to the main checkout when this is a git worktree."""
    from tests import openapi_schema

    candidates = [Path(explicit)] if explicit else [openapi_schema.OPENAPI_DIR]
    if not explicit:
        try:
            common = subprocess.run(
                ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
            if common:
                candidates.append(Path(common).parent.parent / "shared" / "line-openapi")
        except OSError:
            pass
    for candidate in candidates:
        if (candidate / "messaging-api.yml").is_file():
            return candidate
    return None


# ---- the fake LINE API (child process) --------------------------------------------------------------------------


def serve_fake(spec_dir: str | None) -> None:
    """A control app on a free port (printed as "port N"): each measurement gets a fresh FakeLineApi on its own port."""
    from aiohttp import web

    from tests import openapi_schema
    from tests.fake_line import MULTICAST, PUSH, REPLY, FakeLineApi

    if spec_dir:
        openapi_schema.OPENAPI_DIR = Path(spec_dir)

    class BenchFake(FakeLineApi):
        """FakeLineApi that knows the run's events: counts accepted answers per event (reply token or user id)."""

        def __init__(self, plan: dict, token_ttl: float, **options):
            super().__init__(ACCESS_TOKEN, **options)
            events = plan["events"]
            self.by_token = {token: i for i, (_eid, token, _user) in enumerate(events)}
            self.by_user = {user: i for i, (_eid, _token, user) in enumerate(events)}
            self.answers = [0] * len(events)
            self.answered = self.duplicated = self.replies = self.pushes = self.other = 0
            self.rejected: Counter[str] = Counter()
            self.first_answer = self.last_answer = None
            self.requests_seen = 0
            for _eid, token, _user in events:
                self.issue_reply_token(token)
            self.plan, self.token_ttl = plan, token_ttl
            self.expiry: deque[tuple[float, str]] = deque()
            self.expired = 0
            self._housekeeping: asyncio.Task | None = None

        def go(self, t0: float) -> None:
            """The load starts at t0: each reply token expires token_ttl after its event's timestamp."""
            per, rate = self.plan["per_request"], self.plan["rate"]
            if self.token_ttl > 0:
                self.expiry = deque(
                    (t0 + (i // per) * per / rate + self.token_ttl, token)
                    for i, (_eid, token, _user) in enumerate(self.plan["events"])
                )

        async def start(self):
            await super().start()
            self._housekeeping = asyncio.create_task(self._tidy())
            return self

        async def stop(self):
            if self._housekeeping is not None:
                self._housekeeping.cancel()
            await super().stop()

        async def _tidy(self):
            while True:
                await asyncio.sleep(0.25)
                now = time.time()
                while self.expiry and self.expiry[0][0] <= now:
                    self.expire_reply_token(self.expiry.popleft()[1])
                    self.expired += 1
                # Answers are counted as they are accepted (below): the call log would only grow (and slow the GC).
                self.calls.clear()

        async def _handle(self, request):
            response = await super()._handle(request)
            path = request.path
            if path not in (REPLY, PUSH, MULTICAST):
                return response
            self.requests_seen += 1
            if response.status != 200:
                self.rejected[f"{path.rsplit('/', 1)[-1]} {response.status}"] += 1
                return response
            now = time.time()
            body = json.loads(await request.read())
            index = (
                self.by_token.get(body.get("replyToken"))
                if path == REPLY
                else self.by_user.get(body.get("to"))
                if path == PUSH
                else None
            )  # no multicast answers a /help
            if index is None:
                self.other += 1
                return response
            if path == REPLY:
                self.replies += 1
            else:
                self.pushes += 1
            self.answers[index] += 1
            if self.answers[index] == 1:
                self.answered += 1
            elif self.answers[index] == 2:
                self.duplicated += 1
            self.first_answer = self.first_answer or now
            self.last_answer = now
            return response

        def counts(self, detail: bool = False) -> dict:
            out = {
                "events": len(self.answers),
                "answered": self.answered,
                "duplicated": self.duplicated,
                "replies": self.replies,
                "pushes": self.pushes,
                "other_answers": self.other,
                "rejected": dict(self.rejected),
                "first_answer": self.first_answer,
                "last_answer": self.last_answer,
                "requests": self.requests_seen,
                "openapi": self.use_openapi,
                "openapi_checked": self.openapi_checked,
                "tokens_expired": self.expired,
            }
            if detail:
                out["unanswered_sample"] = [i for i, n in enumerate(self.answers) if n == 0][:10]
                out["extra_answers"] = sum(n - 1 for n in self.answers if n > 1)
            return out

    state: dict = {"fake": None}

    async def phase(request):
        spec = await request.json()
        if state["fake"] is not None:
            await state["fake"].stop()
        plan = json.loads(Path(spec["plan"]).read_text())
        fake = BenchFake(plan, spec["token_ttl"], latency=spec["latency"], openapi_one_in=spec["openapi_one_in"])
        if spec.get("slow_fraction"):
            # Issue 13.7: some calls answered only after slow_seconds (accepted at once: only the answer is late).
            fake.random_faults(
                seed=13, pslow=spec["slow_fraction"], slow_seconds=spec["slow_seconds"], paths=(REPLY, PUSH)
            )
        state["fake"] = await fake.start()
        return web.json_response({"url": fake.url, "openapi": fake.use_openapi})

    async def go(request):
        state["fake"].go((await request.json())["t0"])
        return web.json_response({})

    async def counts(request):
        if state["fake"] is None:
            return web.json_response({"error": "no phase"}, status=404)
        return web.json_response(state["fake"].counts(detail="detail" in request.query))

    async def end(_request):
        fake, state["fake"] = state["fake"], None
        if fake is None:
            return web.json_response({})
        result = fake.counts(detail=True)
        await fake.stop()
        return web.json_response(result)

    async def main() -> None:
        if openapi_schema.available():
            # Build the validators once, before any measurement (FakeLineApi.start would per instance otherwise).
            await asyncio.to_thread(lambda: openapi_schema.messaging_api().errors("ReplyMessageRequest", {}))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/phase", phase)
        app.router.add_post("/go", go)
        app.router.add_get("/counts", counts)
        app.router.add_post("/end", end)
        runner = web.AppRunner(app, handle_signals=True)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        import gc

        gc.collect()
        gc.freeze()
        print(f"port {site._server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


class FakeProcess:
    def __init__(self, workdir: Path, spec_dir: Path | None):
        command = [sys.executable, __file__, "--serve-fake"] + (["--openapi-dir", str(spec_dir)] if spec_dir else [])
        self.log = open(workdir / "fake.log", "w")
        self.process = subprocess.Popen(
            command,
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )
        line = self.process.stdout.readline()
        if not line.startswith("port "):
            raise SystemExit(f"the fake LINE API did not start: {(workdir / 'fake.log').read_text()[-2000:]}")
        self.control = f"http://127.0.0.1:{int(line.split()[1])}"

    def phase(self, plan_path: Path, args) -> dict:
        return http_json(
            self.control + "/phase",
            {
                "plan": str(plan_path),
                "latency": args.latency_ms / 1000,
                "token_ttl": args.token_ttl,
                "openapi_one_in": args.openapi_sample,
                "slow_fraction": args.slow_fraction,
                "slow_seconds": args.slow_seconds,
            },
        )

    def go(self, t0: float) -> None:
        http_json(self.control + "/go", {"t0": t0})

    def cpu_seconds(self) -> float:
        """User + system CPU time the fake has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def counts(self) -> dict:
        return http_json(self.control + "/counts")

    def end(self) -> dict:
        return http_json(self.control + "/end", {})

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# ---- the inline peer (child process) ----------------------------------------------------------------------------


def serve_inline(port: int, api_url: str, pool: int | None = None) -> None:
    """line-bot-sdk's aiohttp example, replying with a command list instead of an echo."""
    from aiohttp import web
    from linebot.v3 import WebhookParser
    from linebot.v3.exceptions import InvalidSignatureError
    from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration, ReplyMessageRequest, TextMessage
    from linebot.v3.webhooks import MessageEvent, TextMessageContent

    async def main() -> None:
        # As the example: the SDK's defaults (its aiohttp pool allows cpu_count() * 5 connections to the API).
        configuration = Configuration(host=api_url, access_token=ACCESS_TOKEN)
        if pool:  # --inline-pool: what a larger pool would change (the example keeps the default)
            configuration.connection_pool_maxsize = pool
        line_bot_api = AsyncMessagingApi(AsyncApiClient(configuration))
        parser = WebhookParser(SECRET)

        async def callback(request: web.Request) -> web.Response:
            signature = request.headers["X-Line-Signature"]
            body = await request.text()
            try:
                events = parser.parse(body, signature)
            except InvalidSignatureError:
                return web.Response(status=400, text="Invalid signature")
            for event in events:
                if not isinstance(event, MessageEvent) or not isinstance(event.message, TextMessageContent):
                    continue
                await line_bot_api.reply_message(
                    ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text=INLINE_HELP)])
                )
            return web.Response(text="OK\n")

        async def health(_request):
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post(CALLBACK, callback)
        app.router.add_get("/healthz", health)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


# ---- servers (child processes) ----------------------------------------------------------------------------------


class Server:
    """One server process: ours (`python -m bot serve`) or the inline peer."""

    def __init__(
        self,
        kind: str,
        name: str,
        workdir: Path,
        api_url: str,
        database_url: str | None,
        inline_pool: int | None = None,
    ):
        self.kind, self.name, self.workdir = kind, name, workdir
        self.port = free_port()
        self.log_path = workdir / f"{name}.log"
        if kind == "inline":
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            command = [sys.executable, __file__, "--serve-inline", "--port", str(self.port), "--api", api_url]
            if inline_pool:
                command += ["--inline-pool", str(inline_pool)]
        else:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "ADMIN_"))}
            env.update(
                LINE_CHANNEL_SECRET=SECRET,
                LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
                LINE_API_BASE_URL=api_url,
                LINE_DATA_API_BASE_URL=api_url,
                DATABASE_URL=database_url,
                PORT=str(self.port),
                HOST="127.0.0.1",
                PUBLIC_BASE_URL="https://bench.example.jp",
                PYTHONPATH=str(ROOT),
                STAFF_API_TOKEN=STAFF_TOKEN,
            )
            command = [sys.executable, "-m", "bot", "serve"]
        with open(self.log_path, "w") as log:
            # cwd is the throwaway directory, so no developer .env is read.
            self.process = subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"{self.name} did not answer /healthz in {timeout:.0f} s:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.1)

    def health(self) -> dict | None:
        try:
            return http_json(self.url + "/healthz", timeout=10, token=STAFF_TOKEN)
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class ProcessSampler:
    """Peak resident memory and CPU time of some processes and their descendants: each process's VmHWM, summed, and
    its user + system time since the sampler started (sampled, so a child that lives less than one interval can be
    missed)."""

    def __init__(self, pids: list[int], interval: float = 0.2):
        self.roots = pids
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.cpu_start: dict[int, float] = {}
        self.cpu_last: dict[int, float] = {}
        self.roles: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ProcessSampler:
        self.started = time.monotonic()
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sample()
        self.seconds = time.monotonic() - self.started
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in self._tree():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]))
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / ticks
                self.cpu_start.setdefault(pid, cpu if pid in self.roots else 0.0)
                self.cpu_last[pid] = cpu
                if pid not in self.roles:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    self.roles[pid] = "queue process" if "queue_process" in command else "web process"
            except (OSError, IndexError, ValueError):
                pass

    def _tree(self) -> list[int]:
        seen, todo = [], list(self.roots)
        while todo:
            pid = todo.pop()
            seen.append(pid)
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    todo += [int(c) for c in children.read_text().split()]
                except OSError:
                    pass
        return seen

    @property
    def peak_mb(self) -> float:
        return sum(self.peaks.values()) / 1024

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_last[pid] - self.cpu_start[pid] for pid in self.cpu_last)

    def by_role(self) -> dict[str, dict[str, float]]:
        """Peak memory (MB, summed over the role's processes) and CPU seconds per kind of process."""
        out: dict[str, dict[str, float]] = {}
        for pid in self.cpu_last:
            role = out.setdefault(self.roles.get(pid, "web process"), {"peak_mb": 0.0, "cpu_s": 0.0, "processes": 0})
            role["peak_mb"] += self.peaks.get(pid, 0) / 1024
            role["cpu_s"] += self.cpu_last[pid] - self.cpu_start[pid]
            role["processes"] += 1
        return out


# ---- load generator (child process) --------------------------------------------------------------------------------


def make_requests(plan: dict) -> list[tuple[float, bytes, str]]:
    """(scheduled moment, body, signature) per webhook request; each event's timestamp is its request's moment."""
    from tests import line_payloads as lp

    per, t0, rate, events = plan["per_request"], plan["t0"], plan["rate"], plan["events"]
    out = []
    for start in range(0, len(events), per):
        moment = t0 + start / rate
        batch = [
            lp.text_event("/help", user, reply_token=token, event_id=eid, timestamp=int(moment * 1000))
            for eid, token, user in events[start : start + per]
        ]
        body = lp.body(batch)
        out.append((moment, body, lp.sign(body, SECRET)))
    return out


async def run_load(plan: dict) -> dict:
    import aiohttp

    requests = make_requests(plan)
    urls = plan["urls"]
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    send_lag = 0.0
    loop = asyncio.get_running_loop()
    offset = time.time() - loop.time()  # wall clock = loop clock + offset

    async def post(session, url: str, scheduled: float, body: bytes, signature: str) -> None:
        try:
            async with session.post(
                url, data=body, headers={"X-Line-Signature": signature, "Content-Type": "application/json"}
            ) as response:
                await response.read()
                statuses[str(response.status)] += 1
        except TimeoutError:
            statuses["timeout"] += 1
        except aiohttp.ClientError as exc:
            statuses[type(exc).__name__] += 1
        latencies.append(time.time() - scheduled)

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=plan["ack_timeout"])
    tasks = []
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        first_sent = None
        for n, (moment, body, signature) in enumerate(requests):
            delay = moment - offset - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.time()
            first_sent = first_sent or now
            send_lag = max(send_lag, now - moment)
            tasks.append(asyncio.create_task(post(session, urls[n % len(urls)], moment, body, signature)))
        last_sent = time.time()
        await asyncio.gather(*tasks)
    latencies.sort()
    cut = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(requests),
        "first_sent": first_sent,
        "last_sent": last_sent,
        "last_ack": time.time(),
        "p50_ms": cut[49] * 1000,
        "p99_ms": cut[98] * 1000,
        "max_ms": latencies[-1] * 1000,
        "statuses": dict(statuses),
        "send_lag_ms": send_lag * 1000,
    }


def load_in_child(plan_path: Path, timeout: float) -> dict:
    command = [sys.executable, __file__, "--load", str(plan_path)]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=dict(os.environ, PYTHONPATH=str(ROOT))
    )
    if result.returncode != 0:
        raise SystemExit(f"load generator failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


# ---- one measurement ------------------------------------------------------------------------------------------------


def plan_events(count: int) -> list[list[str]]:
    from tests import line_payloads as lp

    return [[lp.webhook_event_id(), uuid.uuid4().hex, "U" + uuid.uuid4().hex] for _ in range(count)]


@contextmanager
def database_for(kind: str, workdir: Path, postgres: str | None) -> Iterator[str | None]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir}/{uuid.uuid4().hex[:8]}.db"
    elif kind in ("pg1", "pg2"):
        with fresh_database(postgres, "bench_burst") as url:
            yield url
    else:
        yield None


def measure(kind: str, shape: str, args, fake: FakeProcess, workdir: Path, postgres: str | None) -> dict:
    if shape == "burst":
        events, rate = args.events, args.rate
    else:
        events, rate = int(args.steady_seconds * args.steady_rate), args.steady_rate
    plan = {
        "events": plan_events(events),
        "per_request": args.per_request,
        "rate": float(rate),
        "ack_timeout": args.ack_timeout,
        "t0": 0.0,
        "urls": [],
    }
    plan_path = workdir / f"plan-{kind}-{shape}.json"
    plan_path.write_text(json.dumps(plan))
    with database_for(kind, workdir, postgres) as database_url:
        servers: list[Server] = []
        try:
            started = time.perf_counter()
            api_url = fake.phase(plan_path, args)["url"]  # fresh counts on a fresh port, the run's tokens issued
            for n in range(2 if kind == "pg2" else 1):
                # A second instance starts once the first has migrated the database (as a rolling deploy would).
                server = Server(kind, f"{kind}-{shape}-{n + 1}", workdir, api_url, database_url, args.inline_pool)
                servers.append(server)
                server.wait_ready()
            startup = time.perf_counter() - started
            plan["urls"] = [s.url + CALLBACK for s in servers]
            # The load generator starts (about 0.5 s) and signs every body (about 15 us an event) within this.
            plan["t0"] = time.time() + 1.0 + events * 30e-6
            plan_path.write_text(json.dumps(plan))
            fake.go(plan["t0"])
            fake_cpu, fake_wall = fake.cpu_seconds(), time.time()
            with ProcessSampler([s.process.pid for s in servers]) as processes:
                load = load_in_child(plan_path, timeout=args.ack_timeout + events / rate + 120)
                counts, wait, backlog = wait_for_answers(fake, servers, events, args.drain_timeout)
            fake_cpu, fake_wall = fake.cpu_seconds() - fake_cpu, time.time() - fake_wall
            counts = fake.end()
        finally:
            for server in servers:
                server.stop()
    first = load["first_sent"]
    last = counts["last_answer"] or load["last_ack"]
    span = max(last - first, 1e-9)
    return {
        "server": kind,
        "shape": shape,
        "events": events,
        "rate": rate,
        "startup_s": startup,
        "load": load,
        "counts": counts,
        "span_s": span,
        "answered_per_s": counts["answered"] / span,
        "lost": events - counts["answered"],
        "duplicated": counts["duplicated"],
        "wait_s": wait,
        "backlog": backlog,
        "peak_rss_mb": processes.peak_mb,
        "instances": len(servers),
        "server_cpu_s": processes.cpu_seconds,
        "server_busy": processes.cpu_seconds / processes.seconds,
        "server_processes": processes.by_role(),
        "fake_busy": fake_cpu / fake_wall,
    }


def wait_for_answers(fake: FakeProcess, servers: list[Server], events: int, stall: float) -> tuple[dict, float, dict]:
    """Poll the fake until every event is answered and (ours) the database's inbox and outbox are empty; give up when
    nothing has moved for `stall` seconds. The inline peer answers before its acks, so it gets one second."""
    ours = servers[0].kind != "inline"
    stall = stall if ours else 1.0
    started = time.monotonic()
    last_change, last_seen = started, None
    while True:
        counts = fake.counts()
        backlog: dict = {}
        if ours:
            health = servers[0].health() or {}  # every instance shares the one database
            backlog = {
                "inbox": health.get("inbox", {}).get("backlog"),
                "outbox": health.get("outbox", {}).get("backlog"),
                "parked": health.get("parked"),
            }
        if counts["answered"] >= events and (not ours or (backlog["inbox"] == 0 and backlog["outbox"] == 0)):
            return counts, time.monotonic() - started, backlog
        seen = (counts["answered"], counts["replies"] + counts["pushes"], counts["requests"], tuple(backlog.values()))
        now = time.monotonic()
        if seen != last_seen:
            last_change, last_seen = now, seen
        elif now - last_change > stall:
            return counts, now - started, backlog
        time.sleep(0.25)


# ---- the table ---------------------------------------------------------------------------------------------------


COLUMNS = (
    "server",
    "load",
    "events",
    "first req→last answer",
    "answered/s",
    "replies",
    "pushes",
    "ack p50",
    "ack p99",
    "ack max",
    "non-200",
    "lost",
    "dup",
    "peak RSS",
)


def table(results: list[dict]) -> str:
    rows = []
    for r in results:
        load, counts = r["load"], r["counts"]
        non_200 = sum(n for status, n in load["statuses"].items() if status != "200")
        rows.append(
            (
                SERVERS[r["server"]],
                f"{r['shape']} {r['rate']:,.0f}/s",
                f"{r['events']:,}",
                f"{r['span_s']:.1f} s",
                f"{r['answered_per_s']:,.0f}",
                f"{counts['replies']:,}",
                f"{counts['pushes']:,}",
                _ms(load["p50_ms"]),
                _ms(load["p99_ms"]),
                _ms(load["max_ms"]),
                f"{non_200:,}",
                f"{r['lost']:,}",
                f"{r['duplicated']:,}",
                f"{r['peak_rss_mb']:.0f} MB",
            )
        )
    widths = [max(len(str(c)) for c in column) for column in zip(COLUMNS, *rows, strict=False)]
    lines = [
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(COLUMNS, widths, strict=False)))
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False)))
        )
    return "\n".join(lines)


def _ms(value: float) -> str:
    return f"{value / 1000:.1f} s" if value >= 10_000 else f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def notes(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        name = f"{SERVERS[r['server']]}, {r['shape']}"
        load, counts = r["load"], r["counts"]
        roles = r.get("server_processes", {})
        if len(roles) > 1:
            out.append(
                f"{name}: "
                + "; ".join(
                    f"{role} peak {figures['peak_mb']:.0f} MB, CPU {figures['cpu_s']:.1f} s"
                    + (f" ({figures['processes']:.0f} processes)" if figures["processes"] > 1 else "")
                    for role, figures in sorted(roles.items(), reverse=True)
                )
                + f" ({r['server_cpu_s'] * 1000 / r['events']:.2f} ms of CPU per event in all)"
            )
        other = {k: v for k, v in load["statuses"].items() if k != "200"}
        if other:
            out.append(f"{name}: webhook answers other than 200: {other}")
        if counts["rejected"]:
            out.append(f"{name}: the fake refused {sum(counts['rejected'].values()):,} calls: {counts['rejected']}")
        if r["lost"]:
            out.append(
                f"{name}: {r['lost']:,} events never answered (the wait ended {r['wait_s']:.0f} s after the "
                f"last ack; server backlog then: {r['backlog'] or 'none, it answers inline'}; "
                f"e.g. event numbers {counts['unanswered_sample']})"
            )
        if counts["other_answers"]:
            out.append(f"{name}: {counts['other_answers']:,} accepted sends matched no event of the run")
        if r["fake_busy"] > 0.7:
            out.append(
                f"{name}: the fake LINE API was busy {r['fake_busy']:.0%} of a core: it may have held answers "
                "back (--openapi-sample N checks the OpenAPI schema on one request in N)"
            )
        if load["send_lag_ms"] > 50:
            out.append(
                f"{name}: the load generator fell up to {load['send_lag_ms']:.0f} ms behind its schedule "
                "(latency still counts from the scheduled moment)"
            )
    return out


# ---- the run ---------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--servers",
        help="which to measure, comma-separated: " + ", ".join(SERVERS) + " (default: all; --quick: sqlite,inline)",
    )
    parser.add_argument("--shapes", help="burst, steady or both (default: burst; --quick: both)")
    parser.add_argument("--events", type=int, help="events in the burst (default 10,000; --quick 1,000)")
    parser.add_argument("--rate", type=float, default=2000, help="events/s in the burst (default 2,000)")
    parser.add_argument("--steady-seconds", type=float, help="length of the steady load (default 60; --quick 10)")
    parser.add_argument("--steady-rate", type=float, help="events/s in the steady load (default 500; --quick 100)")
    parser.add_argument("--per-request", type=int, default=5, help="events per signed webhook request (default 5)")
    parser.add_argument(
        "--latency-ms", type=float, default=30, help="the fake LINE API answers after this (default 30)"
    )
    parser.add_argument(
        "--slow-fraction",
        type=float,
        default=0.0,
        metavar="F",
        help="this share of reply and push calls is answered only after --slow-seconds (the call itself is accepted "
        "at once; issue 13.7's slow-call case: --slow-fraction 0.02 --slow-seconds 15 --rate 20)",
    )
    parser.add_argument("--slow-seconds", type=float, default=15, help="how late a slow call is answered (default 15)")
    parser.add_argument(
        "--token-ttl",
        type=float,
        default=60,
        help="the fake refuses reply tokens older than this many seconds (default 60; 0: never)",
    )
    parser.add_argument(
        "--openapi-sample",
        type=int,
        default=1,
        metavar="N",
        help="check the OpenAPI schema on one request in N at the fake (default 1: every request)",
    )
    parser.add_argument("--openapi-dir", help="LINE's OpenAPI documents (default: the tests' copy, tests/line-openapi)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL"),
        help="a PostgreSQL server to create throwaway databases on (default: TEST_POSTGRES_URL, else "
        "a throwaway cluster)",
    )
    parser.add_argument(
        "--inline-pool",
        type=int,
        help="connections the inline peer's SDK client may open to the API (default: the SDK's, "
        "cpu_count() * 5, as in the example)",
    )
    parser.add_argument(
        "--ack-timeout", type=float, default=120, help="the load generator gives up on an ack after this"
    )
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=30,
        help="after the last ack, stop waiting for answers when nothing has moved for this many seconds (default 30)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run (about 45 s): ours on SQLite and the inline peer, a 1,000-event burst and "
        "10 s of steady load at 100 events/s",
    )
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON too")
    parser.add_argument("--keep", metavar="DIR", help="keep the servers' logs, the plans and the databases in DIR")
    parser.add_argument("--serve-fake", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-inline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # --quick changes only what was not given.
    if args.servers is None:
        args.servers = "sqlite,inline" if args.quick else ",".join(SERVERS)
    if args.shapes is None:
        args.shapes = "burst,steady" if args.quick else "burst"
    if args.events is None:
        args.events = 1000 if args.quick else 10_000
    if args.steady_seconds is None:
        args.steady_seconds = 10 if args.quick else 60
    if args.steady_rate is None:
        args.steady_rate = 100 if args.quick else 500
    args.kinds = [k.strip() for k in args.servers.split(",") if k.strip()]
    args.shape_list = [s.strip() for s in args.shapes.split(",") if s.strip()]
    for kind in args.kinds:
        if kind not in SERVERS:
            parser.error(f"unknown server {kind!r}; choose from {', '.join(SERVERS)}")
    for shape in args.shape_list:
        if shape not in SHAPES:
            parser.error(f"unknown load shape {shape!r}; choose from {', '.join(SHAPES)}")
    return args


def _print(line: str = "") -> None:
    print(line, flush=True)


def run(args: argparse.Namespace, out=_print) -> list[dict]:
    """Measure every selected server under every selected shape; prints progress, the table and its notes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:  # thousands of webhook requests can be in flight at once; children inherit this
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    spec = openapi_dir(args.openapi_dir)
    validation = (
        "off: LINE's OpenAPI documents not found (--openapi-dir)"
        if spec is None
        else "every request"
        if args.openapi_sample == 1
        else f"one request in {args.openapi_sample}"
    )
    slow = (
        f", {args.slow_fraction:.0%} of reply/push calls answered after {args.slow_seconds:g} s"
        if args.slow_fraction
        else ""
    )
    out(
        f"{os.cpu_count()} cores; fake LINE API answers after {args.latency_ms:g} ms{slow}, reply tokens refused after "
        f"{args.token_ttl:g} s, OpenAPI check: {validation}; {args.per_request} events per webhook request"
    )
    shapes = []
    if "burst" in args.shape_list:
        shapes.append(f"burst of {args.events:,} events at {args.rate:,g}/s")
    if "steady" in args.shape_list:
        shapes.append(f"steady {args.steady_seconds:g} s at {args.steady_rate:,g}/s")
    else:
        shapes.append("no steady load (--shapes burst,steady)")
    out("load: " + "; ".join(shapes))
    busy = _load_average()
    if busy is not None and busy > 1.0:
        out(
            f"warning: the machine is already busy (load average {busy:.1f} over the last minute): other processes "
            "share the cores, so these figures will be lower than on a quiet machine"
        )
    results: list[dict] = []
    started = time.perf_counter()
    with _given(args.keep) if args.keep else tempfile.TemporaryDirectory(prefix="tsunagaru-burst-") as tmp:
        workdir = Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        fake = FakeProcess(workdir, spec)
        try:
            needs_pg = any(k in ("pg1", "pg2") for k in args.kinds)
            with _given(args.postgres_url) if args.postgres_url or not needs_pg else throwaway_cluster() as pg:
                for kind in args.kinds:
                    for shape in args.shape_list:
                        result = measure(kind, shape, args, fake, workdir, pg)
                        results.append(result)
                        out(
                            f"  {SERVERS[kind]:<21} {shape:<6} {result['events']:>6,} events: last answer after "
                            f"{result['span_s']:.1f} s, {result['counts']['replies']:,} replies, "
                            f"{result['counts']['pushes']:,} pushes, lost {result['lost']}, "
                            f"duplicated {result['duplicated']} (start-up {result['startup_s']:.1f} s; CPU: "
                            f"{result['server_busy']:.0%} of a core for the server, {result['fake_busy']:.0%} for the "
                            f"fake)"
                        )
        finally:
            fake.stop()
    out("")
    for line in table(results).splitlines():
        out(line)
    for line in notes(results):
        out("  " + line)
    checked = sum(r["counts"]["openapi_checked"] for r in results)
    calls = sum(r["counts"]["requests"] for r in results)
    out(
        f"OpenAPI schema checked on {checked:,} of {calls:,} reply/push requests at the fake; "
        f"total {time.perf_counter() - started:.0f} s"
    )
    return results


def _load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


@contextmanager
def _given(url: str | None) -> Iterator[str | None]:
    yield url


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve_fake:
        serve_fake(args.openapi_dir)
        return 0
    if args.serve_inline:
        serve_inline(args.port, args.api, args.inline_pool)
        return 0
    if args.load:
        print(json.dumps(asyncio.run(run_load(json.loads(Path(args.load).read_text())))))
        return 0
    results = run(args)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    return 0 if all(r["lost"] == 0 and r["duplicated"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
