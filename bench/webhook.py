"""LINE webhook benchmark: how fast is the ack, compared with a bare aiohttp handler and the SDK's parser?

Three servers, each in its own process on a free loopback port, measured in the same run:
  bare  an aiohttp handler that answers 200 at once (the ceiling on this machine)
  sdk   an aiohttp handler that verifies and parses with line-bot-sdk's WebhookParser (what the SDK examples do)
  ours  `python -m bot serve` with LINE settings and a throwaway SQLite database: every event is stored before the 200

The load generator is an aiohttp client in another process. Every request is a signed webhook of --events events with
fresh webhookEventIds; bodies are generated and signed before timing. Measured per server:
  throughput  requests/s for --requests requests at --concurrency requests in flight
  latency     p50/p99 ack latency at a fixed --rate requests/s for --rate-seconds (open loop, from the scheduled time)
  memory      ours only: VmRSS after --rss-events events have been stored

    python bench/webhook.py                      # the full run (about 2 minutes on 2 cores)
    python bench/webhook.py --rss-events 20000   # smaller
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-channel-secret"
STAFF_TOKEN = "bench-staff-token"
CALLBACK = "/callback/line"


# ---- servers (child processes) --------------------------------------------------------------------------------


def serve_reference(kind: str, port: int) -> None:
    from aiohttp import web

    app = web.Application(client_max_size=1024 * 1024)
    if kind == "bare":

        async def callback(request: web.Request) -> web.Response:
            await request.read()
            return web.Response(text="OK")

    else:
        from linebot.v3 import WebhookParser
        from linebot.v3.exceptions import InvalidSignatureError

        parser = WebhookParser(SECRET)

        async def callback(request: web.Request) -> web.Response:
            body = await request.text()
            try:
                parser.parse(body, request.headers["X-Line-Signature"])
            except InvalidSignatureError:
                return web.Response(status=400, text="invalid signature")
            return web.Response(text="OK")

    async def health(_request):
        return web.json_response({"ok": True})

    app.router.add_post(CALLBACK, callback)
    app.router.add_get("/healthz", health)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


def start_server(kind: str, port: int, workdir: Path) -> subprocess.Popen:
    if kind == "ours":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_"))}
        env.update(
            DATABASE_URL=f"sqlite:///{workdir}/bench.db",
            LINE_CHANNEL_SECRET=SECRET,
            LINE_CHANNEL_ACCESS_TOKEN="bench-token",
            # Replies would go here: nothing listens, and plain chat gets no reply anyway.
            LINE_API_BASE_URL="http://127.0.0.1:9",
            LINE_DATA_API_BASE_URL="http://127.0.0.1:9",
            PUBLIC_BASE_URL="https://bench.invalid",
            PORT=str(port),
            PYTHONPATH=str(ROOT),
            STAFF_API_TOKEN=STAFF_TOKEN,
        )
        command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"]
    else:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        command = [sys.executable, __file__, "--serve", kind, "--port", str(port)]
    log = open(workdir / f"{kind}.log", "w")
    # cwd is the throwaway directory, so no developer .env is read.
    return subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(process: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit("server did not start in time") from None
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process and of each of its descendants (ours: the web process and its queue process),
    and their sums ("VmRSS", "VmHWM")."""
    fields = {"VmRSS": 0, "VmHWM": 0, "processes": []}
    for one in [pid, *descendants(pid)]:
        figures = {}
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                figures[name] = int(value.split()[0])
        command = Path(f"/proc/{one}/cmdline").read_bytes()
        figures["role"] = "queue process" if b"queue_process" in command else "web process"
        fields["processes"].append(figures)
        fields["VmRSS"] += figures["VmRSS"]
        fields["VmHWM"] += figures["VmHWM"]
    return fields


def descendants(pid: int) -> list[int]:
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def healthz(port: int) -> dict:
    """/healthz with its detail (the backlog needs the staff token)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


# ---- load generator (child process) ----------------------------------------------------------------------------


def make_bodies(count: int, events_per_request: int) -> list[tuple[bytes, str]]:
    """Signed webhook bodies, each event with a fresh webhookEventId (as LINE sends them)."""
    key = SECRET.encode()
    now_ms = int(time.time() * 1000)
    bodies = []
    for i in range(count):
        events = []
        for j in range(events_per_request):
            events.append(
                {
                    "type": "message",
                    "mode": "active",
                    "timestamp": now_ms + i,
                    # Chat in a group: stored, counted, never answered (a 1:1 message would get the first-time greeting).
                    "source": {"type": "group", "groupId": "C" + "1" * 32, "userId": "U" + uuid.uuid4().hex},
                    "webhookEventId": uuid.uuid4().hex[:26].upper(),
                    "deliveryContext": {"isRedelivery": False},
                    "replyToken": uuid.uuid4().hex,
                    "message": {
                        "id": str(10**17 + i * 10 + j),
                        "type": "text",
                        "quoteToken": uuid.uuid4().hex,
                        "text": "こんにちは、今日のイベントは何時からですか？",
                    },
                }
            )
        body = json.dumps({"destination": "U" + "0" * 32, "events": events}, ensure_ascii=False).encode()
        signature = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()
        bodies.append((body, signature))
    return bodies


async def run_load(url: str, plan: dict) -> dict:
    import aiohttp

    bodies = make_bodies(plan["warmup"] + plan["requests"] + plan["rate_requests"] + plan["fill"], plan["events"])
    cursor = iter(bodies)
    results: dict = {}
    failures = 0

    async def post(session, body: bytes, signature: str) -> None:
        nonlocal failures
        async with session.post(
            url, data=body, headers={"X-Line-Signature": signature, "Content-Type": "application/json"}
        ) as response:
            await response.read()
            if response.status != 200:
                failures += 1

    async def closed_loop(session, count: int, concurrency: int) -> tuple[float, list[float]]:
        latencies: list[float] = []
        remaining = iter(range(count))

        async def worker():
            for _ in remaining:
                body, signature = next(cursor)
                started = time.perf_counter()
                await post(session, body, signature)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies

    async def open_loop(session, count: int, rate: float) -> list[float]:
        """Requests go out on schedule whatever the server does; latency counts from the scheduled time."""
        latencies: list[float] = []

        async def one(body, signature, scheduled):
            await post(session, body, signature)
            latencies.append(time.perf_counter() - scheduled)

        tasks = []
        start = time.perf_counter() + 0.05
        for i in range(count):
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            body, signature = next(cursor)
            tasks.append(asyncio.create_task(one(body, signature, scheduled)))
        await asyncio.gather(*tasks)
        return latencies

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await closed_loop(session, plan["warmup"], plan["concurrency"])
        elapsed, latencies = await closed_loop(session, plan["requests"], plan["concurrency"])
        results["throughput"] = {
            "requests": plan["requests"],
            "seconds": elapsed,
            "rps": plan["requests"] / elapsed,
            **percentiles(latencies),
        }
        before = await backlog(session, url)
        started = time.perf_counter()
        latencies = await open_loop(session, plan["rate_requests"], plan["rate"])
        seconds = time.perf_counter() - started
        after = await backlog(session, url)
        results["fixed_rate"] = {"rate": plan["rate"], "requests": plan["rate_requests"], **percentiles(latencies)}
        if before is not None and after is not None:
            # Events the inbox worker handled meanwhile: the backlog it started with, plus what came in, minus what is left.
            handled = before + plan["rate_requests"] * plan["events"] - after
            results["fixed_rate"]["worker"] = {"backlog_before": before, "handled": handled, "per_s": handled / seconds}
        if plan["fill"]:
            elapsed, _ = await closed_loop(session, plan["fill"], plan["concurrency"])
            results["fill"] = {"requests": plan["fill"], "seconds": elapsed}
    results["failures"] = failures
    return results


async def backlog(session, callback_url: str) -> int | None:
    """The inbox backlog (/healthz with the staff token); None for a server without one."""
    try:
        async with session.get(
            callback_url.replace(CALLBACK, "/healthz"), headers={"Authorization": f"Bearer {STAFF_TOKEN}"}
        ) as response:
            body = await response.json()
    except Exception:  # the reference servers answer without the detail
        return None
    inbox = body.get("inbox") if isinstance(body, dict) else None
    return inbox.get("backlog") if isinstance(inbox, dict) else None


def percentiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000, "max_ms": max(latencies) * 1000}


def load_in_child(port: int, plan: dict) -> dict:
    command = [sys.executable, __file__, "--load", f"http://127.0.0.1:{port}{CALLBACK}", "--plan", json.dumps(plan)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"load generator failed:\n{result.stderr}")
    return json.loads(result.stdout)


# ---- the run ---------------------------------------------------------------------------------------------------


def measure(kind: str, args, workdir: Path) -> dict:
    port = free_port()
    server = start_server(kind, port, workdir)
    try:
        wait_ready(server, port)
        rate_requests = int(args.rate * args.rate_seconds)
        sent_so_far = args.warmup + args.requests + rate_requests
        fill = 0
        if kind == "ours":
            fill = max(0, -(-args.rss_events // args.events) - sent_so_far)
        plan = dict(
            events=args.events,
            warmup=args.warmup,
            requests=args.requests,
            concurrency=args.concurrency,
            rate=args.rate,
            rate_requests=rate_requests,
            fill=fill,
        )
        result = load_in_child(port, plan)
        if kind == "ours":
            result["events_sent"] = (sent_so_far + fill) * args.events
            result["memory_kib"] = memory_kib(server.pid)
            result["health"] = healthz(port)
            result["stored"] = stored_events(workdir / "bench.db")
        return result
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def stored_events(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM inbox_event").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", default="bare,sdk,ours", help="which servers to measure (default: all three)")
    parser.add_argument("--events", type=int, default=5, help="events per webhook request")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight for the throughput run")
    parser.add_argument("--requests", type=int, default=4000, help="requests in the throughput run")
    parser.add_argument("--warmup", type=int, default=300, help="requests before measuring")
    parser.add_argument("--rate", type=float, default=300, help="requests/s for the latency run")
    parser.add_argument("--rate-seconds", type=float, default=10, help="length of the latency run")
    parser.add_argument("--rss-events", type=int, default=100_000, help="events stored before reading our RSS")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON too")
    parser.add_argument("--serve", choices=["bare", "sdk"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_reference(args.serve, args.port)
        return 0
    if args.load:
        print(json.dumps(asyncio.run(run_load(args.load, json.loads(args.plan)))))
        return 0

    kinds = [k.strip() for k in args.servers.split(",") if k.strip()]
    print(
        f"{os.cpu_count()} cores; {args.events} events/request; throughput: {args.requests} requests at "
        f"concurrency {args.concurrency}; latency: {args.rate:g} req/s for {args.rate_seconds:g} s",
        flush=True,
    )
    results = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tsunagaru-bench-") as tmp:
        for kind in kinds:
            workdir = Path(tmp) / kind
            workdir.mkdir()
            results[kind] = measure(kind, args, workdir)
            r = results[kind]
            print(
                f"{kind:<5} {r['throughput']['rps']:8.0f} req/s  "
                f"(p50 {r['throughput']['p50_ms']:.1f} ms, p99 {r['throughput']['p99_ms']:.1f} ms at c={args.concurrency})"
                f"   at {args.rate:g} req/s: p50 {r['fixed_rate']['p50_ms']:.1f} ms, p99 {r['fixed_rate']['p99_ms']:.1f} ms"
                f"   non-200: {r['failures']}",
                flush=True,
            )
    if "ours" in results:
        ours = results["ours"]
        memory = ours["memory_kib"]
        each = ", ".join(f"{p['role']} {p['VmRSS'] / 1024:.0f} MB" for p in memory["processes"])
        print(
            f"ours: {ours['stored']} events stored of {ours['events_sent']} sent; RSS {memory['VmRSS'] / 1024:.0f} MB "
            f"in all ({each}; peak {memory['VmHWM'] / 1024:.0f} MB); inbox backlog {ours['health']['inbox']['backlog']}"
        )
        worker = ours["fixed_rate"].get("worker")
        if worker:
            print(
                f"ours: during the {args.rate:g} req/s run the inbox worker handled {worker['handled']:,} events "
                f"({worker['per_s']:,.0f}/s; backlog at its start {worker['backlog_before']:,})"
            )
        checks = [
            (f"p99 < 20 ms at {args.rate:g} req/s", ours["fixed_rate"]["p99_ms"] < 20),
            ("RSS < 150 MB (all processes)", memory["VmRSS"] < 150 * 1024),
            ("every event stored", ours["stored"] == ours["events_sent"] and ours["failures"] == 0),
        ]
        if "bare" in results:
            share = ours["throughput"]["rps"] / results["bare"]["throughput"]["rps"]
            print(f"ours / bare throughput: {share:.0%}")
            checks.insert(0, (">= 50% of bare throughput", share >= 0.5))
        for name, ok in checks:
            print(f"  {'PASS' if ok else 'MISS'}  {name}")
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
