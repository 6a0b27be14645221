"""Storage on both backends: migrations, the inbox's idempotent insert and claim, the scheduler's job lease."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, select

import storage.all_models  # noqa: F401  (every table on SQLModel.metadata)
from bot.queues.inbox import InboxWriter, claim_due, store_events
from bot.queues.outbox import OutboxWriter
from scheduler.jobs import Job, JobContext
from scheduler.runner import run_leased
from storage.db import Database, make_engine
from storage.migrate import current_heads, upgrade
from storage.models import InboxEvent, JobRun
from tests.conftest import postgres_database

WRITE = OutboxWriter().write

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(database_url):
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.close()


@pytest.fixture
def postgres_db():
    """PostgreSQL only: row locks between concurrent sessions are what these tests are about."""
    url = postgres_database()
    upgrade(url)
    database = Database(url)
    yield database
    database.close()


def _rows(*ids: str) -> list[tuple[str, str, bool, str]]:
    return [(event_id, "message", False, f'{{"webhookEventId": "{event_id}"}}') for event_id in ids]


# ---- migrations ------------------------------------------------------------------------------------------------


def test_migrations_upgrade_an_empty_database_to_head(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert set(current) == set(current_heads(database_url))
    assert {"inbox_event", "outbox_message", "member", "job_run", "engagement"} <= tables


def test_upgrade_twice_is_harmless(database_url):
    upgrade(database_url)
    upgrade(database_url)  # the server upgrades on every start


def test_migrations_create_exactly_the_models(database_url):
    """Guards every feature's hand-written migration: autogenerate must find nothing left to do."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == [], "migrations and models differ:\n" + "\n".join(map(repr, differences))


# ---- inbox -----------------------------------------------------------------------------------------------------


def test_store_events_ignores_a_duplicate_event_id(db):
    assert db.call(store_events, "line", _rows("e1", "e2"), T0) == 2
    assert db.call(store_events, "line", _rows("e2", "e3"), T0 + timedelta(seconds=5)) == 1
    # The same id on another platform is another event.
    assert db.call(store_events, "discord", _rows("e1"), T0) == 1
    with db.session() as session:
        line_ids = session.exec(
            select(InboxEvent.event_id).where(InboxEvent.platform == "line").order_by(InboxEvent.event_id)
        ).all()
        first = session.exec(select(InboxEvent).where(InboxEvent.event_id == "e2")).one()
    assert line_ids == ["e1", "e2", "e3"]
    assert first.received_at == T0  # the first delivery's row is kept, untouched
    assert first.received_at.tzinfo is not None


def test_claimed_rows_are_not_claimed_again_while_leased(db):
    db.call(store_events, "line", _rows(*(f"e{i}" for i in range(5))), T0)
    lease = timedelta(minutes=2)
    first = db.call(claim_due, T0, ["line"], 3, lease)
    second = db.call(claim_due, T0 + timedelta(seconds=1), ["line"], 3, lease)
    assert len(first) == 3 and len(second) == 2
    assert {r.event_id for r in first}.isdisjoint(r.event_id for r in second)
    # Past the lease, an unfinished row is due again (its worker died).
    again = db.call(claim_due, T0 + lease + timedelta(seconds=2), ["line"], 10, lease)
    assert {r.event_id for r in again} == {f"e{i}" for i in range(5)}


def test_claim_due_takes_only_the_given_platforms(db):
    db.call(store_events, "line", _rows("l1"), T0)
    db.call(store_events, "discord", _rows("d1"), T0)
    claimed = db.call(claim_due, T0, ["discord"], 10, timedelta(minutes=2))
    assert [(r.platform, r.event_id) for r in claimed] == [("discord", "d1")]


def test_concurrent_claims_take_disjoint_rows_on_postgres(postgres_db):
    """Two workers (two sessions, both transactions open) never claim the same row: FOR UPDATE SKIP LOCKED."""
    postgres_db.call(store_events, "line", _rows(*(f"e{i}" for i in range(6))), T0)
    lease = timedelta(minutes=2)
    with Session(postgres_db.engine) as worker_a, Session(postgres_db.engine) as worker_b:
        claimed_a = claim_due(worker_a, T0, ["line"], 4, lease)
        worker_a.flush()
        # worker_a has not committed: its rows are locked, so worker_b skips them instead of waiting.
        claimed_b = claim_due(worker_b, T0, ["line"], 4, lease)
        worker_b.flush()
        ids_a = {r.event_id for r in claimed_a}
        ids_b = {r.event_id for r in claimed_b}
        worker_a.commit()
        worker_b.commit()
    assert len(ids_a) == 4 and len(ids_b) == 2
    assert ids_a.isdisjoint(ids_b)
    assert ids_a | ids_b == {f"e{i}" for i in range(6)}


class CountingDatabase(Database):
    """A real Database that counts its transactions."""

    def __init__(self, url: str):
        super().__init__(url)
        self.transactions = 0

    def call(self, fn, *args):
        self.transactions += 1
        return super().call(fn, *args)


async def test_inbox_writer_commits_concurrent_requests_together(database_url):
    upgrade(database_url)
    db = CountingDatabase(database_url)
    writer = InboxWriter(db)
    try:
        requests = [_rows(*(f"r{r}-e{e}" for e in range(5))) for r in range(40)]
        requests.append(_rows("r0-e0"))  # a redelivery inside the same batch is still stored once
        await asyncio.gather(*(writer.store("line", rows) for rows in requests))
        # Once store() has returned, the events are committed: another session sees them.
        with db.session() as session:
            stored = session.exec(select(func.count()).select_from(InboxEvent)).one()
    finally:
        db.close()
    assert stored == 40 * 5
    assert db.transactions < len(requests)  # group commit: requests shared transactions


async def test_inbox_writer_fails_every_request_of_a_failed_batch(db):
    writer = InboxWriter(db)
    db.call(lambda session: session.exec(text("DROP TABLE inbox_event")))
    results = await asyncio.gather(*(writer.store("line", _rows(f"e{i}")) for i in range(5)), return_exceptions=True)
    assert all(isinstance(result, SQLAlchemyError) for result in results), results


# ---- job lease -------------------------------------------------------------------------------------------------


def _counting_job(runs: list[datetime]) -> Job:
    lock = threading.Lock()

    def run(ctx: JobContext) -> str:
        with lock:
            runs.append(ctx.now)
        return f"run {len(runs)}"

    return Job("count-runs", {"hour": "3"}, run)


def test_job_lease_runs_a_slot_once(db, make_settings):
    settings = make_settings()
    runs: list[datetime] = []
    job = _counting_job(runs)
    at = datetime(2026, 11, 23, 3, 0, tzinfo=settings.tz)
    assert db.call(run_leased, job, settings.site, at, WRITE) == "run 1"
    assert db.call(run_leased, job, settings.site, at + timedelta(minutes=5), WRITE) is None  # same day: same slot
    assert db.call(run_leased, job, settings.site, at + timedelta(days=1), WRITE) == "run 2"  # next day's slot
    assert len(runs) == 2
    with db.session() as session:
        done = session.exec(select(JobRun).where(JobRun.job_name == job.name).order_by(JobRun.slot)).all()
    assert [(r.slot, r.status, r.detail) for r in done] == [
        ("2026-11-23", "done", "run 1"),
        ("2026-11-24", "done", "run 2"),
    ]


def test_job_lease_holds_between_concurrent_callers(db, make_settings):
    """Two scheduler instances firing at once: exactly one runs the slot."""
    settings = make_settings()
    runs: list[datetime] = []
    job = _counting_job(runs)
    at = datetime(2026, 11, 23, 3, 0, tzinfo=settings.tz)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: db.call(run_leased, job, settings.site, at, WRITE), range(2)))
    assert sorted(results, key=str) == [None, "run 1"]
    assert len(runs) == 1
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(JobRun)).one() == 1


# ---- SQLite ----------------------------------------------------------------------------------------------------


def test_sqlite_runs_in_wal_mode(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/wal.db")
    try:
        with database.session() as session:
            mode = session.exec(text("PRAGMA journal_mode")).one()[0]
            timeout = session.exec(text("PRAGMA busy_timeout")).one()[0]
    finally:
        database.close()
    assert mode == "wal"
    assert timeout >= 5000
