"""What the benchmarks share: a free loopback port, a throwaway PostgreSQL cluster (started as .ci/run starts one) and a
throwaway database on a server, dropped afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path:
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3].split(".")[0]))
    found = shutil.which("initdb")
    if not bins and found:
        bins = [Path(found)]
    if not bins:
        raise LookupError("no PostgreSQL binaries (initdb) found; install postgresql or pass --postgres-url")
    return bins[-1].parent


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A PostgreSQL cluster on loopback in a temporary directory, removed afterwards; yields its server URL."""
    pg_bin = _postgres_bin()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # PostgreSQL refuses to run as root
    pg_dir = Path(tempfile.mkdtemp(prefix="tsunagaru-bench-pg."))
    if as_pg:
        shutil.chown(pg_dir, "postgres")
    data, log = pg_dir / "data", pg_dir / "postgres.log"
    started = False

    def run(*command: str) -> None:
        subprocess.run(as_pg + list(command), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    try:
        initdb = [str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]
        run(*initdb, "--auth-local=trust", "--auth-host=trust")
        run("mkdir", str(pg_dir / "sock"))
        port = None
        for _ in range(5):  # the free port could be taken before PostgreSQL binds it
            candidate = free_port()
            # Durability off, as in .ci/run: the cluster is deleted afterwards. Two servers of ours need connections.
            options = (
                f"-c listen_addresses=127.0.0.1 -p {candidate} -k {pg_dir / 'sock'} -c max_connections=200 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                run(str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start", "-o", options)
            except subprocess.CalledProcessError:
                continue
            port, started = candidate, True
            break
        if port is None:
            raise RuntimeError("PostgreSQL did not start: " + log.read_text()[-2000:])
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            stop = [*as_pg, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
            subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(pg_dir, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new database on the server, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


def drop_database(admin: Engine, name: str, attempts: int = 30) -> None:
    """DROP ... WITH (FORCE) ends our own sessions, but not an autovacuum worker (the superuser's) that the bulk of rows
    just written woke: when one is on the database, wait for it to finish and try again."""
    for attempt in range(attempts):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError as exc:
            if attempt == attempts - 1:
                print(f"warning: database {name} left behind: {exc.orig}", file=sys.stderr)
                return
            time.sleep(1)
