"""Engine, sessions and the thread pool that keeps blocking database calls off the event loop."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

T = TypeVar("T")


class HasId(Protocol):
    id: int | None


def id_of(row: HasId) -> int:
    """The id of a row that is in the database (added and flushed); SQLModel types every id as optional."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns store and return aware UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware time in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def make_engine(url: str, schema: str | None = None) -> Engine:
    """An engine for url; with schema (PostgreSQL), every connection works in that schema (search_path): a city's
    data lives in a schema of its own in a shared database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            # WAL lets readers work while the single writer commits; NORMAL is durable across process crashes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    connect_args = {"options": f"-c search_path={schema}"} if schema else {}
    return create_engine(url, pool_size=10, max_overflow=5, pool_pre_ping=True, connect_args=connect_args)


class Database:
    """Owns the engine and a small thread pool; async code calls `await db.run(fn, ...)` with fn(session)."""

    def __init__(self, url: str, schema: str | None = None):
        self.url = url
        self.schema = schema
        self.engine = make_engine(url, schema)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer at a time: one thread avoids lock contention inside the process.
        workers = 1 if self.is_sqlite else int(os.environ.get("DB_THREADS", "8"))
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="db")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def call(self, fn: Callable[..., T], *args) -> T:
        """Run fn(session, *args) in one transaction (committed when fn returns)."""
        with self.session() as session:
            result = fn(session, *args)
            session.commit()
            return result

    async def run(self, fn: Callable[..., T], *args) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.call, fn, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()
