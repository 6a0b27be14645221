"""`python -m bot` / `tsunagaru`: serve (default), console, job, db, richmenu, and the subcommands each feature adds
(`Feature.cli`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from bot.app import Runtime
from bot.cli import cities as cities_cli
from bot.cli.serve import serve
from bot.cli.settings import settings_or_exit
from bot.config import CitySettings, ConfigError, Settings
from bot.console import run_console
from bot.line import richmenu as richmenu_cli
from community.city import RegionConfig, Site
from community.texts import t
from handlers.cli import CliCommand
from handlers.features import FEATURES
from scheduler.jobs import Job, collect_jobs
from scheduler.runner import run_job
from storage.db import Database
from storage.migrate import upgrade

# `--city ID` on every command that works on one city's data (default: the first city of CITY_CONFIG).
CITY_OPTION = argparse.ArgumentParser(add_help=False)
CITY_OPTION.add_argument("--city", help="the city to work on (its [city] id; default: the first city)")


def _parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(prog="tsunagaru", description=t("en", "cli.description"))
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the web server, workers, scheduler and Discord client (default)")
    serve.add_argument("--host", help="listen address (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="listen port (default: PORT or 8080)")
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log every HTTP request (off by default: PaaS routers log requests already, and it "
        "costs about a tenth of the webhook's throughput)",
    )

    console = sub.add_parser(
        "console", help="chat with the bot locally (no LINE or Discord account needed)", parents=[CITY_OPTION]
    )
    console.add_argument("--as", dest="as_user", default="you", help="your name in the chat")
    console.add_argument("--group", help="talk inside this named group instead of 1:1")
    console.add_argument("--staff", action="store_true", help="give yourself the staff role")

    job = sub.add_parser("job", help="run one scheduled job once", parents=[CITY_OPTION])
    job.add_argument("name", nargs="?", help="job name (see --list)")
    job.add_argument("--list", action="store_true", help="list every scheduled job")
    job.add_argument("--at", help="run as if the clock read this ISO-8601 time (city time zone if no offset)")

    db = sub.add_parser("db", help="database maintenance (every city's)")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply Alembic migrations")
    return parser, sub


class Services:
    """What feature subcommands are given (handlers.cli.CliServices): one city's (--city) site and database."""

    def __init__(self, city: str | None = None) -> None:
        self._settings: Settings | None = None
        self.city_id = city

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = settings_or_exit()
        return self._settings

    @property
    def city(self) -> CitySettings:
        try:
            return self.settings.city_settings(self.city_id)
        except ConfigError as exc:
            print(f"{t('ja', 'config.error')} / {t('en', 'config.error')}: {exc}", file=sys.stderr)
            raise SystemExit(2) from None

    def site(self) -> Site:
        return self.city.site

    def region(self, region_id: str) -> RegionConfig:
        try:
            return self.settings.region(region_id)
        except ConfigError as exc:
            print(f"{t('ja', 'config.error')} / {t('en', 'config.error')}: {exc}", file=sys.stderr)
            raise SystemExit(2) from None

    def for_city(self, city_id: str) -> Services:
        other = Services(city_id)
        other._settings = self.settings
        return other

    @contextmanager
    def database(self) -> Iterator[Database]:
        logging.getLogger("alembic").setLevel(logging.WARNING)  # keep the command's own output readable
        city = self.city
        upgrade(city.database_url, "head", city.database_schema)
        db = Database(city.database_url, city.database_schema)
        try:
            yield db
        finally:
            db.close()

    def with_runtime(self, work: Callable[[Runtime], Awaitable[int]]) -> int:
        city_id = self.city.id

        async def run() -> int:
            runtime = Runtime(self.settings, run_workers=False, run_scheduler=False, city=city_id)
            await runtime.start()
            try:
                code = await work(runtime)
                await runtime.sender.drain()
                return code
            finally:
                await runtime.stop()

        return asyncio.run(run())


def _feature_commands(sub: argparse._SubParsersAction) -> dict[str, CliCommand]:
    commands: dict[str, CliCommand] = {}
    for feature in FEATURES:
        for command in feature.cli:
            command.configure(sub.add_parser(command.name, help=command.help, parents=[CITY_OPTION]))
            commands[command.name] = command
    return commands


def main(argv: list[str] | None = None) -> int:
    parser, sub = _parser()
    features = _feature_commands(sub)
    legacy = {}
    # The LINE rich menu and the city files: the platform's and the deployment's commands, not a feature's.
    for module in (richmenu_cli, cities_cli):
        legacy.update(module.add_commands(sub))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-start plugin chatter hides our own lines
    # One "Adding job tentatively" and one "Added job" line per job and city at every start: the same chatter.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    command = args.command or "serve"
    if command == "job":
        return _job(args)
    if command in features:
        return features[command].run(args, Services(args.city))
    if command in legacy:
        return legacy[command](args)
    settings = settings_or_exit()
    if command == "serve":
        return serve(settings, args.host or settings.host, args.port or settings.port, args.access_log)
    if command == "console":
        logging.getLogger().setLevel(logging.WARNING)
        city = Services(args.city).city
        return asyncio.run(run_console(settings, args.as_user, args.group, args.staff, city.id))
    if command == "db":
        for city in settings.cities:
            upgrade(city.database_url, "head", city.database_schema)
        print("database is up to date")
        return 0
    return 2


def _job(args: argparse.Namespace) -> int:
    jobs = collect_jobs(FEATURES)
    names = {job.name: job for job in jobs}

    def listing(stream) -> None:
        for job in jobs:
            print(f"{job.name:<16} {job.schedule():<16} {job.description()}", file=stream)

    if args.list or not args.name:
        listing(sys.stdout)
        return 0 if args.list else 2
    if args.name not in names:
        print(f"unknown job {args.name!r}; the jobs are:", file=sys.stderr)
        listing(sys.stderr)
        return 2
    services = Services(args.city)
    settings = services.settings
    try:
        at = datetime.fromisoformat(args.at) if args.at else datetime.now(settings.tz)
    except ValueError:
        print(f"--at: not an ISO-8601 time: {args.at!r} (example: 2026-11-23T09:00)", file=sys.stderr)
        return 2
    if at.tzinfo is None:
        at = at.replace(tzinfo=settings.tz)
    job: Job = names[args.name]

    async def run_once(runtime: Runtime) -> int:
        """The job's function now (no lease: a manual run is deliberate); the sender then delivers what it queued."""
        detail = await runtime.db.run(run_job, job, runtime.site, at, runtime.outbox.write)
        print(f"{job.name} at {at.isoformat()}: {detail}")
        return 0

    return services.with_runtime(run_once)
