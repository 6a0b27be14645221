"""`python -m bot serve`: check what can fail before anything is logged as running — the listen address, the port,
the database — and say each problem in one line (Japanese and English, naming the setting and what to do), exit 2.
"listening on …" is logged only once the server really listens."""

from __future__ import annotations

import errno
import logging
import socket
import sys
from pathlib import Path

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.app import create_app
from bot.config import Settings
from community.qr import is_local_address
from community.texts import t
from storage.migrate import upgrade

log = logging.getLogger("bot.serve")


class StartupProblem(Exception):
    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.line = f"{t('ja', key, **values)} / {t('en', key, **values)}"


def database_label(url: str) -> str:
    """Which database, for a person: the SQLite file's full path, or the server without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///{Path(parsed.database or '').resolve()}"
    return parsed.render_as_string(hide_password=True)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts, so a taken port or a bad HOST is said first."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        raise StartupProblem("startup.bad_host", host=host) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupProblem("startup.port_in_use", port=port) from None
        raise StartupProblem("startup.cannot_listen", host=host, port=port) from None
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def prepare_database(url: str) -> None:
    try:
        upgrade(url)
    except OSError:  # the SQLite file's folder cannot be made (no permission, a file in the way)
        raise StartupProblem("startup.sqlite_unwritable", where=database_label(url)) from None
    except SQLAlchemyError as exc:
        if make_url(url).get_backend_name() == "sqlite":
            raise StartupProblem("startup.sqlite_unwritable", where=database_label(url)) from None
        raise StartupProblem(
            "startup.database_unreachable", where=database_label(url), reason=type(exc.orig or exc).__name__
        ) from None


def serve(settings: Settings, host: str, port: int, access_log: bool) -> int:
    try:
        sock = bind(host, port)
        prepare_database(settings.database_url)
    except StartupProblem as problem:
        print(problem.line, file=sys.stderr)
        return 2
    log.info("database: %s", database_label(settings.database_url))
    if settings.line_enabled and is_local_address(settings.public_base_url):
        log.warning("%s", StartupProblem("startup.local_public_url", url=settings.public_base_url).line)

    def listening(_message: str) -> None:  # aiohttp calls this once the site is up
        log.info("listening on http://%s:%d", host, port)

    web.run_app(
        create_app(settings),
        sock=sock,
        print=listening,
        access_log=logging.getLogger("aiohttp.access") if access_log else None,
    )
    return 0
