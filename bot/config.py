"""Settings from the environment (and `.env`), and the city's TOML configuration.

Setting names are an operator contract (README, `.env.example`): do not rename them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Mapping
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from community import city as city_file
from community.city import CityConfig, Site
from handlers.features import site_for

DEFAULT_CITY_CONFIG = Path(__file__).parent / "cities" / "omitama.toml"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name


@dataclass(frozen=True)
class Settings:
    line_channel_secret: str | None
    line_channel_access_token: str | None
    line_api_base_url: str
    line_data_api_base_url: str
    discord_bot_token: str | None
    discord_guild_id: int | None
    database_url: str
    public_base_url: str
    host: str
    port: int
    admin_line_user_ids: tuple[str, ...]
    admin_discord_user_ids: tuple[str, ...]
    staff_api_token: str | None
    city_config_path: Path
    tz_name: str
    city: CityConfig

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def line_enabled(self) -> bool:
        return bool(self.line_channel_secret and self.line_channel_access_token)

    @property
    def discord_enabled(self) -> bool:
        return bool(self.discord_bot_token)

    def public_url(self, path: str) -> str:
        return self.public_base_url.rstrip("/") + "/" + path.lstrip("/")

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(name for name, on in (("line", self.line_enabled), ("discord", self.discord_enabled)) if on)

    @cached_property
    def site(self) -> Site:
        """The city as it runs here, with every feature's contributions."""
        return site_for(self.city, self.public_base_url, self.tz, self.platforms)


def _url(name: str, value: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ConfigError(name, f"must be a {'/'.join(schemes)} URL, got {value!r}")
    return value.rstrip("/")


def _database_url(value: str) -> str:
    """SQLite or PostgreSQL (psycopg 3). Hosts hand out postgres:// URLs: those get the psycopg driver."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    problem = f"must start with sqlite:/// or postgresql+psycopg://, got {_hide_password(value)!r}"
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError("DATABASE_URL", problem) from None
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return value
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ConfigError("DATABASE_URL", problem)


def _hide_password(value: str) -> str:
    scheme, sep, rest = value.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return value
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def load_city(path: Path) -> CityConfig:
    try:
        return city_file.load_city(path)
    except city_file.CityFileError as exc:
        raise ConfigError("CITY_CONFIG", str(exc)) from None


def load_settings(env: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings; raises ConfigError naming the first bad one."""
    if env is None:
        if dotenv:
            from dotenv import find_dotenv, load_dotenv

            # The .env of the directory the bot runs in (not of wherever the package is installed).
            load_dotenv(find_dotenv(usecwd=True), override=False)
        env = os.environ

    def get(name: str, default: str | None = None) -> str | None:
        value = env.get(name)
        return value.strip() if value and value.strip() else default

    port_text = get("PORT", "8080")
    try:
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        raise ConfigError("PORT", f"must be a number from 1 to 65535, got {port_text!r}") from None

    tz_name = get("TZ", "Asia/Tokyo")
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a tzdata directory such as "Asia"
        raise ConfigError("TZ", f"unknown time zone {tz_name!r} (example: Asia/Tokyo)") from None

    guild_text = get("DISCORD_GUILD_ID")
    if guild_text is not None and not (guild_text.isascii() and guild_text.isdigit()):
        raise ConfigError("DISCORD_GUILD_ID", f"must be a numeric Discord id, got {guild_text!r}")

    database_url = _database_url(get("DATABASE_URL", "sqlite:///./data/tsunagaru.db"))

    host = get("HOST", "127.0.0.1")
    city_path = Path(get("CITY_CONFIG", str(DEFAULT_CITY_CONFIG)))
    return Settings(
        line_channel_secret=get("LINE_CHANNEL_SECRET"),
        line_channel_access_token=get("LINE_CHANNEL_ACCESS_TOKEN"),
        line_api_base_url=_url("LINE_API_BASE_URL", get("LINE_API_BASE_URL", "https://api.line.me")),
        line_data_api_base_url=_url(
            "LINE_DATA_API_BASE_URL", get("LINE_DATA_API_BASE_URL", "https://api-data.line.me")
        ),
        discord_bot_token=get("DISCORD_BOT_TOKEN"),
        discord_guild_id=int(guild_text) if guild_text else None,
        database_url=database_url,
        public_base_url=_url("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL", f"http://{host}:{port}")),
        host=host,
        port=port,
        admin_line_user_ids=_ids(get("ADMIN_LINE_USER_IDS")),
        admin_discord_user_ids=_ids(get("ADMIN_DISCORD_USER_IDS")),
        staff_api_token=get("STAFF_API_TOKEN"),
        city_config_path=city_path,
        tz_name=tz_name,
        city=load_city(city_path),
    )
