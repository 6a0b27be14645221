"""`python -m bot` as an operator runs it: job list and runs, db upgrade, and the server's health and shutdown."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from bot.config import load_settings
from bot.queues.inbox import store_events
from handlers.features import all_jobs
from storage.db import Database, as_utc
from storage.migrate import upgrade
from storage.models import InboxEvent
from tests.reliability_helpers import free_port

ROOT = Path(__file__).resolve().parents[1]
SETTING_NAMES = (
    "LINE_CHANNEL_SECRET",
    "LINE_CHANNEL_ACCESS_TOKEN",
    "LINE_API_BASE_URL",
    "LINE_DATA_API_BASE_URL",
    "DISCORD_BOT_TOKEN",
    "DISCORD_GUILD_ID",
    "DATABASE_URL",
    "PUBLIC_BASE_URL",
    "HOST",
    "PORT",
    "ADMIN_LINE_USER_IDS",
    "ADMIN_DISCORD_USER_IDS",
    "STAFF_API_TOKEN",
    "CITY_CONFIG",
    "TZ",
)


@pytest.fixture
def bot_env(tmp_path):
    """The process environment for `python -m bot`: no inherited settings, a throwaway SQLite database."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/bot.db", PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return env


def run_bot(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    # cwd is a temporary directory, so a developer's .env is not read.
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def start_serve(env: dict[str, str], cwd: Path) -> subprocess.Popen:
    """`python -m bot serve` in the background, its output kept for the test to read."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# ---- job -------------------------------------------------------------------------------------------------------


def test_job_list_shows_each_job_with_its_schedule(bot_env, tmp_path):
    result = run_bot(["job", "--list"], bot_env, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    purge = [line for line in lines if line.split()[0] == "purge-raw"]
    assert len(purge) == 1 and "毎日 03:30" in purge[0]
    for job in all_jobs():
        assert any(line.split()[0] == job.name and job.schedule() in line for line in lines), job.name


def test_unknown_job_lists_the_jobs_and_exits_2(bot_env, tmp_path):
    result = run_bot(["job", "purge-everything"], bot_env, tmp_path)
    assert result.returncode == 2
    assert "purge-everything" in result.stderr
    listed = {line.split()[0] for line in result.stderr.splitlines()[1:] if line.strip()}
    assert listed == {job.name for job in all_jobs()}


def test_bad_at_time_is_refused(bot_env, tmp_path):
    result = run_bot(["job", "purge-raw", "--at", "next tuesday"], bot_env, tmp_path)
    assert result.returncode == 2
    assert "--at" in result.stderr and "Traceback" not in result.stderr


def test_purge_raw_empties_only_payloads_past_retention(bot_env, tmp_path):
    settings = load_settings(bot_env, dotenv=False)
    retention = settings.city.raw_retention_days
    at = datetime(2026, 11, 23, 3, 30, tzinfo=settings.tz)
    old, recent = at - timedelta(days=retention, hours=1), at - timedelta(days=retention - 1)
    upgrade(settings.database_url)
    db = Database(settings.database_url)

    def seed(session):
        store_events(session, "line", [("old-done", "message", False, '{"a": 1}')], as_utc(old))
        store_events(session, "line", [("old-pending", "message", False, '{"a": 2}')], as_utc(old))
        store_events(session, "line", [("recent-done", "message", False, '{"a": 3}')], as_utc(recent))
        for row in session.exec(select(InboxEvent).where(InboxEvent.event_id != "old-pending")):
            row.status = "done"
            session.add(row)

    db.call(seed)
    result = run_bot(["job", "purge-raw", "--at", at.replace(tzinfo=None).isoformat()], bot_env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "受信データ 1件" in result.stdout
    with db.session() as session:
        payloads = {e.event_id: e.payload for e in session.exec(select(InboxEvent))}
    db.close()
    # Not yet handled events keep their payload whatever their age: the worker still needs it.
    assert payloads == {"old-done": None, "old-pending": '{"a": 2}', "recent-done": '{"a": 3}'}


# ---- db upgrade ------------------------------------------------------------------------------------------------


def test_db_upgrade_creates_a_fresh_sqlite_database(bot_env, tmp_path):
    path = tmp_path / "new" / "place" / "bot.db"
    bot_env["DATABASE_URL"] = f"sqlite:///{path}"
    result = run_bot(["db", "upgrade"], bot_env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database is up to date" in result.stdout
    db = Database(bot_env["DATABASE_URL"])
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    db.close()
    assert {"alembic_version", "inbox_event", "outbox_message", "member", "job_run"} <= tables
    again = run_bot(["db", "upgrade"], bot_env, tmp_path)
    assert again.returncode == 0, again.stderr


# ---- serve -----------------------------------------------------------------------------------------------------


def get_json(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for_health(
    process: subprocess.Popen, url: str, deadline_seconds: float = 60, token: str | None = None
) -> tuple[int, dict]:
    """Poll until the server answers (start-up runs migrations); fail at once if it exits."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}: {process.stderr.read()}")
        try:
            return get_json(url, token)
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                pytest.fail("server did not answer /healthz in time")
            time.sleep(0.1)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_answers_healthz_and_stops_on_signal(bot_env, tmp_path, stop_signal):
    port = free_port()
    bot_env.update(
        PORT=str(port),
        LINE_CHANNEL_SECRET="test-secret",
        LINE_CHANNEL_ACCESS_TOKEN="test-token",
        LINE_API_BASE_URL="http://127.0.0.1:9",
        LINE_DATA_API_BASE_URL="http://127.0.0.1:9",
        STAFF_API_TOKEN="serve-staff-token",
    )
    process = start_serve(bot_env, tmp_path)
    try:
        status, body = wait_for_health(process, f"http://127.0.0.1:{port}/healthz", token="serve-staff-token")
        assert status == 200
        assert body["ok"] is True and body["database"] == "ok"
        assert body["platforms"] == {"line": True, "discord": False}
        assert body["inbox"] == {"backlog": 0, "parked": 0}
        assert body["outbox"] == {"backlog": 0, "parked": 0}
        assert body["parked"] == 0
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


# ---- start-up problems: one line each, exit 2, never "listening" ----------------------------------------------


def _start_fails(env: dict[str, str], cwd: Path, *named: str) -> str:
    result = run_bot(["serve"], env, cwd)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr  # one line, not a 40-line traceback
    assert "Traceback" not in result.stderr and "listening" not in result.stderr + result.stdout
    assert all(word in lines[0] for word in named), lines[0]
    assert " / " in lines[0]  # Japanese, then English
    return lines[0]


def test_a_port_in_use_is_one_line(bot_env, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        bot_env["PORT"] = str(taken.getsockname()[1])
        _start_fails(bot_env, tmp_path, "PORT", bot_env["PORT"])


def test_an_impossible_host_is_one_line(bot_env, tmp_path):
    bot_env.update(HOST="999.1.1.1", PORT=str(free_port()))
    _start_fails(bot_env, tmp_path, "HOST", "999.1.1.1")


def test_a_sqlite_file_that_cannot_be_created_is_one_line(bot_env, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database's folder would go")
    bot_env.update(DATABASE_URL=f"sqlite:///{blocker}/db/tsunagaru.db", PORT=str(free_port()))
    _start_fails(bot_env, tmp_path, "DATABASE_URL")


def test_an_unreachable_postgresql_is_one_line_without_its_password(bot_env, tmp_path):
    bot_env.update(DATABASE_URL=f"postgresql+psycopg://bot:hunter2@127.0.0.1:{free_port()}/city", PORT=str(free_port()))
    line = _start_fails(bot_env, tmp_path, "DATABASE_URL", "127.0.0.1")
    assert "hunter2" not in line


def test_serve_says_which_database_and_listens_only_when_it_does(bot_env, tmp_path):
    port = free_port()
    bot_env.update(PORT=str(port), STAFF_API_TOKEN="serve-staff-token")
    process = start_serve(bot_env, tmp_path)
    try:
        wait_for_health(process, f"http://127.0.0.1:{port}/healthz")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    database = err.index(f"database: sqlite:///{tmp_path}/bot.db")
    listening = err.index(f"listening on http://127.0.0.1:{port}")
    assert database < listening
