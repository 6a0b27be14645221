"""Settings from the environment (and `.env`), and the city's TOML configuration.

Setting names are an operator contract (README, `.env.example`): do not rename them.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import find_dotenv, load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from community import city as city_file
from community.city import CityConfig, RegionConfig, Site
from handlers.feature import Feature
from handlers.features import enabled_features, site_for, unknown_features

DEFAULT_CITY_CONFIG = Path(__file__).parent / "cities" / "omitama.toml"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name


@dataclass(frozen=True)
class CitySettings:
    """One city as this deployment runs it: its file, id, public address, LINE channel, Discord server, staff and
    database. The first city takes the global settings (LINE_CHANNEL_SECRET, DATABASE_URL, ...) where its file is
    silent, so a one-city deployment is configured exactly as before."""

    id: str
    config: CityConfig
    path: Path
    public_base_url: str
    line_channel_secret: str | None
    line_channel_access_token: str | None
    discord_guild_id: int | None
    admin_line_user_ids: tuple[str, ...]
    admin_discord_user_ids: tuple[str, ...]
    staff_api_token: str | None
    database_url: str  # the city's own data: a SQLite file, or a PostgreSQL schema (database_schema)
    database_schema: str | None
    tz: ZoneInfo
    discord_on: bool

    @property
    def line_enabled(self) -> bool:
        return bool(self.line_channel_secret and self.line_channel_access_token)

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(name for name, on in (("line", self.line_enabled), ("discord", self.discord_on)) if on)

    def public_url(self, path: str) -> str:
        return self.public_base_url.rstrip("/") + "/" + path.lstrip("/")

    @cached_property
    def features(self) -> tuple[Feature, ...]:
        return enabled_features(self.config)

    @cached_property
    def site(self) -> Site:
        return site_for(self.config, self.public_base_url, self.tz, self.platforms, self.features, self.id)


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
    cities: tuple[CitySettings, ...] = ()
    regions: tuple[RegionConfig, ...] = ()
    # (region id, its staff token from the variable [region] staff_token_env names, None when unset)
    region_staff_tokens: tuple[tuple[str, str | None], ...] = ()

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

    @property
    def default_city(self) -> CitySettings:
        """The first city: the only one of a one-city deployment, and the one /callback/line serves."""
        return self.cities[0]

    @property
    def site(self) -> Site:
        """The first city as it runs here, with its features' contributions."""
        return self.default_city.site

    def city_settings(self, city_id: str | None) -> CitySettings:
        """A city by id (None: the first); raises ConfigError naming the ids there are."""
        if city_id is None:
            return self.default_city
        for city in self.cities:
            if city.id == city_id:
                return city
        raise ConfigError("--city", f"no city {city_id!r}; the cities are: {', '.join(c.id for c in self.cities)}")

    def region(self, region_id: str) -> RegionConfig:
        """A region by id; raises ConfigError naming the regions there are."""
        for region in self.regions:
            if region.id == region_id:
                return region
        there = ", ".join(r.id for r in self.regions) or "(none: a region file in CITY_CONFIG adds one)"
        raise ConfigError("--region", f"no region {region_id!r}; the regions are: {there}")

    def region_staff_token(self, region_id: str) -> str | None:
        """The token that reads a region's and its member cities' KPIs (and nothing else); None when unset."""
        return dict(self.region_staff_tokens).get(region_id)


def _url(name: str, value: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ConfigError(name, f"must be a {'/'.join(schemes)} URL, got {value!r}")
    return value.rstrip("/")


def _database_url(value: str) -> str:
    """SQLite or PostgreSQL (psycopg 3). Hosts hand out postgres:// URLs: those get the psycopg driver."""
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
    city_paths = _city_paths(get("CITY_CONFIG", str(DEFAULT_CITY_CONFIG)) or "")
    city_path = city_paths[0]
    public_base_url = _url("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL", f"http://{host}:{port}"))
    settings = Settings(
        line_channel_secret=get("LINE_CHANNEL_SECRET"),
        line_channel_access_token=get("LINE_CHANNEL_ACCESS_TOKEN"),
        line_api_base_url=_url("LINE_API_BASE_URL", get("LINE_API_BASE_URL", "https://api.line.me")),
        line_data_api_base_url=_url(
            "LINE_DATA_API_BASE_URL", get("LINE_DATA_API_BASE_URL", "https://api-data.line.me")
        ),
        discord_bot_token=get("DISCORD_BOT_TOKEN"),
        discord_guild_id=int(guild_text) if guild_text else None,
        database_url=database_url,
        public_base_url=public_base_url,
        host=host,
        port=port,
        admin_line_user_ids=_ids(get("ADMIN_LINE_USER_IDS")),
        admin_discord_user_ids=_ids(get("ADMIN_DISCORD_USER_IDS")),
        staff_api_token=get("STAFF_API_TOKEN"),
        city_config_path=city_path,
        tz_name=tz_name,
        city=load_city(city_path),
    )
    cities, regions = _load_cities(city_paths, settings, get)
    tokens = tuple((r.id, get(r.info.staff_token_env) if r.info.staff_token_env else None) for r in regions)
    return dataclasses.replace(
        settings, city=cities[0].config, cities=cities, regions=regions, region_staff_tokens=tokens
    )


def city_config_paths(env: Mapping[str, str] | None = None) -> list[Path]:
    """The files CITY_CONFIG names (cities and regions), as load_settings reads them; for `city check`."""
    if env is None:
        load_dotenv(find_dotenv(usecwd=True), override=False)
        env = os.environ
    value = (env.get("CITY_CONFIG") or "").strip() or str(DEFAULT_CITY_CONFIG)
    return _city_paths(value)


def _city_paths(value: str) -> list[Path]:
    """CITY_CONFIG: one file, several separated by commas, or a folder of them (regions are files too)."""
    paths: list[Path] = []
    for part in (p.strip() for p in value.split(",") if p.strip()):
        path = Path(part)
        paths.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    if not paths:
        raise ConfigError("CITY_CONFIG", f"no city file in {value!r}")
    return paths


def _load_cities(
    paths: list[Path], settings: Settings, get: Callable[[str], str | None]
) -> tuple[tuple[CitySettings, ...], tuple[RegionConfig, ...]]:
    cities: list[CitySettings] = []
    regions: list[RegionConfig] = []
    for path in paths:
        try:
            if city_file.is_region_file(path):
                regions.append(city_file.load_region(path))
                continue
        except city_file.CityFileError as exc:
            raise ConfigError("CITY_CONFIG", str(exc)) from None
        cities.append(_city_settings(path, load_city(path), not cities, settings, get))
    if not cities:
        raise ConfigError("CITY_CONFIG", "no [city] file among " + ", ".join(str(p) for p in paths))
    ids = [city.id for city in cities]
    if len(ids) != len(set(ids)):
        raise ConfigError("CITY_CONFIG", f"two city files have the same id: {ids}")
    region_ids = [region.id for region in regions]
    if len(region_ids) != len(set(region_ids)):
        raise ConfigError("CITY_CONFIG", f"two region files have the same id: {region_ids}")
    for region in regions:
        missing = [c for c in region.info.cities if c not in ids]
        if missing:
            raise ConfigError("CITY_CONFIG", f"region {region.id!r} names cities that are not configured: {missing}")
    return tuple(cities), tuple(regions)


def _city_settings(
    path: Path, config: CityConfig, first: bool, settings: Settings, get: Callable[[str], str | None]
) -> CitySettings:
    """One city's settings: its file's values, the global settings for the first city where the file is silent."""
    city_id = config.info.id or path.stem.lower()
    if not re.fullmatch(city_file.SLUG, city_id):
        raise ConfigError(
            "CITY_CONFIG", f"{path}: the city id {city_id!r} must be lowercase letters, digits and - (set [city] id)"
        )
    unknown = unknown_features(config)
    if unknown:
        raise ConfigError("CITY_CONFIG", f"{path}: [city] features: unknown {unknown}")

    def from_env(name: str, fallback: str | None) -> str | None:
        if name:
            return get(name)
        return fallback if first else None

    guild = config.discord.guild_id or (settings.discord_guild_id if first else None)
    url, schema = _city_database(settings.database_url, city_id, first)
    public = config.info.public_base_url or (settings.public_base_url if first else "")
    if not public:
        raise ConfigError("CITY_CONFIG", f"{path}: [city] public_base_url is needed for a second city")
    return CitySettings(
        id=city_id,
        config=config,
        path=path,
        public_base_url=_url("CITY_CONFIG", public),
        line_channel_secret=from_env(config.line.channel_secret_env, settings.line_channel_secret),
        line_channel_access_token=from_env(config.line.channel_access_token_env, settings.line_channel_access_token),
        discord_guild_id=guild,
        admin_line_user_ids=_ids(
            from_env(config.staff.admin_line_user_ids_env, ",".join(settings.admin_line_user_ids))
        ),
        admin_discord_user_ids=_ids(
            from_env(config.staff.admin_discord_user_ids_env, ",".join(settings.admin_discord_user_ids))
        ),
        staff_api_token=from_env(config.staff.api_token_env, settings.staff_api_token),
        database_url=url,
        database_schema=schema,
        tz=settings.tz,
        discord_on=(settings.discord_enabled and guild is not None) or (first and settings.discord_enabled),
    )


def _city_database(database_url: str, city_id: str, first: bool) -> tuple[str, str | None]:
    """Each city keeps its data apart: the first city in DATABASE_URL itself (as a one-city deployment always did),
    another in a SQLite file beside it ("tsunagaru-kashima.db") or a PostgreSQL schema of its own ("kashima")."""
    if first:
        return database_url, None
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "tsunagaru.db")
        return url.set(database=str(path.with_name(f"{path.stem}-{city_id}{path.suffix}"))).render_as_string(
            hide_password=False
        ), None
    return database_url, city_id.replace("-", "_")
