"""The inbox worker and the outbox sender of every city in a process of their own (issue 18): handling and answering
events takes the second core, and the web process's one interpreter lock is left to the webhook's acks.

`python -m bot serve` starts it (QueueProcess, below) once the databases are migrated, and starts it again if it dies.
It handles the events of LINE and the console and sends LINE's outbox rows; Discord's events and sends stay with the
web process, whose gateway client reads and writes them. Nothing about exactly-once changes: the child claims rows
with the same leases, an event's handling and its outbox rows commit in one transaction there as they would here, and
it dies with its parent (PR_SET_PDEATHSIG), so a kill -9 of the server is a kill -9 of both.

Between the two, over the child's stdin and stdout: the settings (once, pickled: the same objects, not read again),
then "w <city>" when a webhook stored events (wake that city's worker) and "o <city>" when a job queued sends (wake its
sender); back, "ready", and "s <city>" when events produced rows for a platform the web process sends (Discord).

On SQLite one writer at a time holds the file, and a writer that finds it taken sleeps 1, 2, 5, 10 ms... before
trying again. The web process's only writes on the hot path are the webhook's; it marks in a shared page while one is
on its way, and the child, before each event and each of the sender's writes, waits (at most 20 ms) until that write is
done: an ack waits for the one event in progress at most, not for a run of them. PostgreSQL locks rows, not the
database, and needs none of this.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import dataclasses
import gc
import logging
import mmap
import os
import pickle
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import AsyncMessagingApi

from bot.line.deliver import LineDelivery
from bot.line.translate import LineTranslator
from bot.queues.inbox import ConsoleTranslator, Dispatcher, InboxWorker
from bot.queues.outbox import Limits, OutboxWriter
from bot.queues.sender import OutboxSender
from handlers.features import build_router
from storage.db import Database

log = logging.getLogger(__name__)

PLATFORMS = frozenset({"line", "console"})  # what the child handles (Discord's events stay with the gateway client)
GIVE_WAY_SECONDS = 0.02
RESTART_SECONDS = (1.0, 30.0)  # after the child dies: the first wait, the longest
# The shared page, per city: [a webhook write is on its way, webhook writes done (a counter)].
_FLAGS_PER_CITY, _DONE = 2, 1


@dataclass
class _Spec:
    settings: Any  # bot.config.Settings
    cities: list[str]
    limits: dict[str, dict[str, Limits]]  # per city: what one request of each platform may carry
    tell_sent: list[str]  # cities whose web process sends some platform itself: say when rows were written
    sender_options: dict[str, Any]
    parent: int
    flags_fd: int | None


def _without_caches(settings: Any) -> Any:
    """The settings without their computed parts (features, site), which the child computes again."""
    return dataclasses.replace(settings, cities=tuple(dataclasses.replace(city) for city in settings.cities))


class Elsewhere:
    """What the web process sees of a city's inbox worker when it runs in the queue process: wake.set() wakes it there.
    (give_way is set by the web app for a worker in this process; the queue process gives way by the shared page.)"""

    def __init__(self, ring: Callable[[], None]):
        self.wake = _Bell(ring)
        self.give_way: Callable[[], Awaitable[None]] | None = None


class _Bell:
    def __init__(self, ring: Callable[[], None]):
        self.set = ring


class QueueProcess:
    """The parent's side: starts and supervises the child, wakes its workers and senders, hears when they wrote rows
    for a platform sent from here."""

    def __init__(
        self,
        settings: Any,
        limits: dict[str, dict[str, Limits]],
        on_sent: Callable[[str], None],
        *,
        tell_sent: frozenset[str] = frozenset(),
        sqlite_cities: frozenset[str] = frozenset(),
        sender_options: dict[str, Any] | None = None,
    ):
        self.settings = settings
        self.cities = list(limits)
        self.limits = limits
        self.on_sent = on_sent
        self.tell_sent = tell_sent
        self.sqlite_cities = sqlite_cities
        self.sender_options = sender_options or {}
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        # Closed in stop(): it lives as long as a child may read it.
        self._flags_file = tempfile.TemporaryFile() if sqlite_cities else None  # noqa: SIM115
        self._flags: mmap.mmap | None = None
        if self._flags_file is not None:
            self._flags_file.truncate(mmap.PAGESIZE)
            self._flags = mmap.mmap(self._flags_file.fileno(), mmap.PAGESIZE)
        self._lines: set[bytes] = set()
        self._stopping = False
        self._supervisor: asyncio.Task | None = None
        self._ready: asyncio.Future | None = None

    async def start(self, timeout: float = 120) -> None:
        """Start the child and wait until its workers run (a problem there is raised here, at start-up)."""
        self._ready = asyncio.get_running_loop().create_future()
        self._supervisor = asyncio.create_task(self._supervise(), name="queue-process")
        done, _ = await asyncio.wait(
            [self._ready, self._supervisor], timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if self._ready not in done or self._ready.exception() is not None:
            await self.stop()
            raise RuntimeError("the queue process did not start (see its log lines above)")

    def wake_inbox(self, city_id: str) -> None:
        """A webhook stored events: wake the city's worker."""
        self._say(b"w %d\n" % self.cities.index(city_id))

    def wake_sender(self, city_id: str) -> None:
        """A job queued sends: wake the city's sender."""
        self._say(b"o %d\n" % self.cities.index(city_id))

    def _say(self, line: bytes) -> None:
        """Lines said within one loop pass go in one write, each once."""
        if not self._lines:
            asyncio.get_running_loop().call_soon(self._flush_lines)
        self._lines.add(line)

    def _flush_lines(self) -> None:
        lines, self._lines = self._lines, set()
        process = self.process
        if process is None or process.stdin is None or process.returncode is not None:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):  # the child is gone: the supervisor restarts it
            process.stdin.write(b"".join(sorted(lines)))

    def busy(self, city_id: str) -> Callable[[bool], None] | None:
        """The on_busy of a city's webhook writer (bot.queues.inbox.InboxWriter): marks its write as on the way, then
        counts it done. None when the city's database is not SQLite (PostgreSQL has no one-writer lock)."""
        flags = self._flags
        if flags is None or city_id not in self.sqlite_cities:
            return None
        base = _FLAGS_PER_CITY * self.cities.index(city_id)

        def mark(writing: bool) -> None:
            flags[base] = 1 if writing else 0
            if not writing:
                flags[base + _DONE] = (flags[base + _DONE] + 1) % 256

        return mark

    async def stop(self, timeout: float = 15) -> None:
        self._stopping = True
        process = self.process
        if process is not None and process.returncode is None:
            if process.stdin is not None:
                process.stdin.close()  # end of input: the child finishes what it holds and exits
            try:
                await asyncio.wait_for(process.wait(), timeout)
            except TimeoutError:
                log.warning("queue process did not stop in %.0f s: killed", timeout)
                process.kill()
                await process.wait()
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
        if self._flags is not None:
            self._flags.close()
            self._flags = None
        if self._flags_file is not None:
            self._flags_file.close()

    async def _supervise(self) -> None:
        pause = RESTART_SECONDS[0]
        while not self._stopping:
            await self._run_once()
            if self._stopping:
                return
            if self._ready is not None and not self._ready.done():
                self._ready.set_exception(RuntimeError("the queue process exited while starting"))
                return
            code = self.process.returncode if self.process is not None else None
            log.error("queue process exited with %s: starting it again in %.0f s", code, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, RESTART_SECONDS[1])

    async def _run_once(self) -> None:
        flags_fd = self._flags_file.fileno() if self._flags_file is not None else None
        spec = _Spec(
            _without_caches(self.settings),
            self.cities,
            self.limits,
            sorted(self.tell_sent),
            self.sender_options,
            os.getpid(),
            flags_fd,
        )
        payload = pickle.dumps(spec)
        self.starts += 1
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.queues.queue_process",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            pass_fds=(flags_fd,) if flags_fd is not None else (),
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"%d\n" % len(payload) + payload)
        async for line in self.process.stdout:
            kind, _, rest = line.strip().partition(b" ")
            if kind == b"s":
                self.on_sent(self.cities[int(rest)])
            elif kind == b"ready" and self._ready is not None and not self._ready.done():
                log.info("queue process %d handles %s", self.process.pid, ", ".join(self.cities))
                self._ready.set_result(None)
        await self.process.wait()


# ---- the child ----------------------------------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent dies (Linux); exit at once if the parent is already gone."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)


def _read_spec() -> _Spec:
    size = b""
    while not size.endswith(b"\n"):
        chunk = os.read(0, 1)
        if not chunk:
            raise SystemExit(0)  # the parent went away before saying anything
        size += chunk
    left, parts = int(size), []
    while left:
        chunk = os.read(0, left)
        if not chunk:
            raise SystemExit(0)
        parts.append(chunk)
        left -= len(chunk)
    return pickle.loads(b"".join(parts))


class _Child:
    def __init__(self, spec: _Spec, out_fd: int):
        self.spec = spec
        self.out_fd = out_fd
        self.flags = mmap.mmap(spec.flags_fd, mmap.PAGESIZE) if spec.flags_fd is not None else None
        self.workers: list[Any] = []
        self.senders: list[Any] = []
        self.closers: list[Callable[[], Any]] = []
        self._sent: set[int] = set()

    async def build(self) -> None:

        settings = self.spec.settings
        for index, city_id in enumerate(self.spec.cities):
            city = settings.city_settings(city_id)
            db = Database(city.database_url, city.database_schema)
            self.closers.append(db.close)
            translators: dict[str, Any] = {"console": ConsoleTranslator()}
            deliveries: dict[str, Any] = {}
            if city.line_enabled:
                client = await LineDelivery.open_client(settings.line_api_base_url, city.line_channel_access_token)
                self.closers.append(client.close)
                api = AsyncMessagingApi(client)
                translators["line"] = LineTranslator(api)
                deliveries["line"] = LineDelivery(api)
            sender = OutboxSender(db, deliveries, **self.spec.sender_options)
            site = city.site  # its enabled features, and its [budget], which the outbox writer keeps
            dispatcher = Dispatcher(
                build_router(city.features), site, OutboxWriter(self.spec.limits[city_id], site=site)
            )
            worker = InboxWorker(db, translators, dispatcher, batch=50, on_sent=self._sent_by(index, sender))
            worker.in_thread = True
            if self.flags is not None and db.is_sqlite:
                worker.give_way_now = self._give_way_now_for(index)
                sender.ledger.give_way = self._give_way_for(index)
            self.workers.append(worker)
            self.senders.append(sender)

    def _sent_by(self, index: int, sender: Any) -> Callable[[], None]:
        tell = self.spec.cities[index] in self.spec.tell_sent

        def sent() -> None:
            sender.wake.set()
            if tell:
                if not self._sent:
                    asyncio.get_running_loop().call_soon(self._tell_sent)
                self._sent.add(index)

        return sent

    def _tell_sent(self) -> None:
        sent, self._sent = self._sent, set()
        with contextlib.suppress(OSError):
            os.write(self.out_fd, b"".join(b"s %d\n" % index for index in sorted(sent)))

    def _give_way_for(self, index: int) -> Callable[[], Awaitable[None]]:
        """While a webhook write of the web process is on its way, wait until one is done (at most 20 ms), so the two
        take turns at the file's one write lock instead of the webhook's waiting out a run of events."""
        flags, base = self.flags, _FLAGS_PER_CITY * index
        assert flags is not None

        async def give_way() -> None:
            if not flags[base]:
                return
            loop = asyncio.get_running_loop()
            deadline, done = loop.time() + GIVE_WAY_SECONDS, flags[base + _DONE]
            while flags[base] and flags[base + _DONE] == done and loop.time() < deadline:
                await asyncio.sleep(0.001)

        return give_way

    def _give_way_now_for(self, index: int) -> Callable[[], None]:
        """_give_way_for, on the database thread (where the worker handles its batches)."""
        flags, base = self.flags, _FLAGS_PER_CITY * index
        assert flags is not None

        def give_way() -> None:
            if not flags[base]:
                return
            deadline, done = time.monotonic() + GIVE_WAY_SECONDS, flags[base + _DONE]
            while flags[base] and flags[base + _DONE] == done and time.monotonic() < deadline:
                time.sleep(0.0005)

        return give_way

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(0, "rb", buffering=0))
        await self.build()
        tasks = [asyncio.create_task(worker.run(stop), name="inbox") for worker in self.workers]
        tasks += [asyncio.create_task(sender.run(stop), name="outbox") for sender in self.senders]
        gc.collect()
        gc.freeze()  # as the web process does: the long-lived heap stays out of the cyclic GC's full passes
        os.write(self.out_fd, b"ready\n")
        listener = asyncio.create_task(self._listen(reader, stop))
        await stop.wait()
        listener.cancel()
        await asyncio.gather(*tasks, listener, return_exceptions=True)
        for close in reversed(self.closers):
            result = close()
            if asyncio.iscoroutine(result):
                await result

    async def _listen(self, reader: asyncio.StreamReader, stop: asyncio.Event) -> None:
        while line := await reader.readline():
            kind, _, rest = line.strip().partition(b" ")
            if kind == b"w":
                self.workers[int(rest)].wake.set()
            elif kind == b"o":
                self.senders[int(rest)].wake.set()
        stop.set()  # end of input: the parent is stopping (or gone)


def main() -> int:
    spec = _read_spec()
    _die_with_parent(spec.parent)
    # The protocol keeps the real stdout; anything printed goes to the log (stderr) instead.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_Child(spec, out_fd).run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
