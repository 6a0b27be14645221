"""Shared fixtures: settings on a throwaway database, the console `testbot`, and a guard against real network calls."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid

import pytest

from bot.config import Settings, load_settings


@pytest.fixture(autouse=True)
def no_real_network(monkeypatch):
    """Any connection to a non-loopback address fails the test: tests talk to local fakes only."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def check(address):
        if isinstance(address, tuple) and address:
            host = address[0]
            try:
                if not ipaddress.ip_address(host).is_loopback:
                    raise AssertionError(f"test tried to reach the network: {address!r}")
            except ValueError:
                if host not in ("localhost",):
                    raise AssertionError(f"test tried to reach the network: {address!r}") from None

    def guarded_connect(self, address):
        check(address)
        return real_connect(self, address)

    def guarded_connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)


def postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL")


def fresh_postgres_database(base_url: str) -> str:
    """A new empty database on the test server, so tests never see each other's rows."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def postgres_database() -> str:
    """A fresh database on the test PostgreSQL; the test is skipped without TEST_POSTGRES_URL (it fails in CI)."""
    base = postgres_url()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("TEST_POSTGRES_URL not set (run .ci/run for PostgreSQL)")
    return fresh_postgres_database(base)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """Both backends: storage tests take this fixture and run twice."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/tsunagaru.db"
    return postgres_database()


@pytest.fixture
def make_settings(tmp_path):
    """Settings from an environment dict (no .env, no os.environ), on a throwaway SQLite file by default."""

    def make(**env: str) -> Settings:
        base = {"DATABASE_URL": f"sqlite:///{tmp_path}/tsunagaru.db", "PUBLIC_BASE_URL": "https://tsunagaru.example.jp"}
        base.update(env)
        return load_settings(base, dotenv=False)

    return make


@pytest.fixture
async def chat(make_settings):
    """errbot-style testbot: `await chat.say('/help')` returns the bot's answers as text."""
    from bot.console import ConsoleChat

    session = ConsoleChat(make_settings(), user="hanako")
    await session.start()
    yield session
    await session.stop()


@pytest.fixture
async def staff_chat(make_settings):
    from bot.console import ConsoleChat

    session = ConsoleChat(make_settings(), user="staff-sato", staff=True)
    await session.start()
    yield session
    await session.stop()


# ---- LINE: the fake Messaging API and our service against it (tests/fake_line.py) -------------------------------


@pytest.fixture
async def fake_line():
    """A local LINE Messaging API that validates requests like the real one (see tests/fake_line.py)."""
    from tests.fake_line import FakeLineApi

    fake = FakeLineApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def make_line_bot(make_settings, fake_line):
    """Start our app against fake_line with extra env, e.g. `await make_line_bot(ADMIN_LINE_USER_IDS=uid)`."""
    from tests.fake_line import CHANNEL_SECRET, LineBot

    started = []

    async def make(sender_options: dict | None = None, line_timeout: float = 5.0, **env: str):
        env.setdefault("STAFF_API_TOKEN", "line-bot-staff-token")  # /healthz shows its detail to staff only
        settings = make_settings(
            LINE_CHANNEL_SECRET=CHANNEL_SECRET,
            LINE_CHANNEL_ACCESS_TOKEN=fake_line.token,
            LINE_API_BASE_URL=fake_line.url,
            LINE_DATA_API_BASE_URL=fake_line.url,
            **env,
        )
        bot = LineBot(settings, fake_line, line_timeout=line_timeout, sender_options=sender_options)
        await bot.start()
        started.append(bot)
        return bot

    yield make
    for bot in started:
        await bot.stop()


@pytest.fixture
async def line_bot(make_line_bot):
    """Our service on aiohttp's test server, LINE pointed at fake_line, workers off: post(), settle(), admin()."""
    return await make_line_bot()


def plain_chat(answers: list[str]) -> bool:
    """Nothing took the message as an answer or a command: silence, or the once-in-a-while greeting with the main
    actions that a plain 1:1 message gets (handlers/core/chat.py)."""
    return answers == [] or (len(answers) == 1 and answers[0].startswith("こんにちは！") and "1) ヘルプ" in answers[0])
