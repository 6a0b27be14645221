"""The city file, typed: one pydantic model of the TOML a city is configured by, validated once at start.

A typo in a city file stops the process with one line naming the file and the key (`CityFileError`), instead of
turning up at run time. The domain receives these typed objects (and a `Site`: where this city runs), never raw
dictionaries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from community.texts import t

if TYPE_CHECKING:
    from community.digest import DigestWeek
    from community.kpi import KpiSource, ReportSection
    from community.privacy import Forget


class CityFileError(Exception):
    """A city file cannot be used; the message names the file and the key, in one line."""


class Section(BaseModel):
    # Unknown keys are refused: a misspelt key is a setting silently ignored otherwise.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _whole_number(value: Any) -> Any:
    if isinstance(value, bool) or (isinstance(value, str) and not value.strip().isdigit()):
        raise ValueError("must be a whole number")
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]


SLUG = r"^[a-z][a-z0-9-]{0,30}$"


class CityInfo(Section):
    # A short ASCII id: the webhook path /callback/line/<id>, `--city <id>`, the database of the city.
    # Default: the file's name without .toml.
    id: str | None = Field(default=None, pattern=SLUG)
    name: str = Field(min_length=1)
    name_en: str = ""
    bot_name: str = "tsunagaru"
    # The features this city uses (handlers/features.py names); "core" is always on. Default: every feature.
    features: tuple[str, ...] | None = None
    # The city's public https address; the first city defaults to PUBLIC_BASE_URL.
    public_base_url: str = ""
    # Raw webhook payloads are deleted after this many days (job purge-raw).
    raw_retention_days: WholeNumber = Field(default=30, ge=1)
    # The audit log of staff actions is kept this long (job purge-raw).
    audit_retention_days: WholeNumber = Field(default=365, ge=30)


class AppLinks(Section):
    """The childcare app: where the tracked QR link sends each device."""

    name: str = ""
    ios_url: str = ""
    android_url: str = ""
    web_url: str = ""
    why: str = ""
    # Downloads before the figures staff record monthly (`appstats`): the app's count at the end of baseline_month.
    downloads_baseline: WholeNumber = Field(default=0, ge=0)
    downloads_baseline_month: str = Field(default="", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")  # "2026-03"


class ChildcareSettings(Section):
    notice_days_before: WholeNumber = Field(default=14, ge=0, le=365)
    plazas: tuple[str, ...] = ()


class Touchpoint(Section):
    id: str
    name: str = ""
    kind: Literal["contact", "checkup"] = "contact"
    age_months: int | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not value or not value.isascii() or not all(c.isalnum() or c == "-" for c in value):
            raise ValueError(f"needs an ASCII slug id (letters, digits, -), got {value!r}")
        return value

    @field_validator("age_months", mode="before")
    @classmethod
    def _age(cls, value: Any) -> Any:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError("a checkup needs an integer age_months")
        return value

    @model_validator(mode="after")
    def _checkup_age(self) -> Touchpoint:
        if self.kind == "checkup" and self.age_months is None:
            raise ValueError(f"checkup touchpoint {self.id!r} needs an integer age_months")
        if not self.name:
            object.__setattr__(self, "name", self.id)
        return self


class Tip(Section):
    """A nearby spot or a shop's offer, shown after an event at a venue."""

    name: str
    note: str = ""
    offer: str = ""
    url: str = ""


def _tip(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Venue(Section):
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    nearby_spots: tuple[Annotated[Tip, BeforeValidator(_tip)], ...] = ()
    shop_incentives: tuple[Annotated[Tip, BeforeValidator(_tip)], ...] = ()

    def matches(self, location: str) -> bool:
        return any(name and name in location for name in (self.name, *self.aliases))


class EventsSettings(Section):
    quiet_days: WholeNumber = Field(default=7, ge=1)
    conversation_starters: tuple[str, ...] = ()
    duration_hours: float = Field(default=3, gt=0)
    after_event_days: WholeNumber = Field(default=7, ge=0)
    venues: tuple[Venue, ...] = ()
    # The LINE official account's id ("@omitama"): an event's check-in page opens the bot with "/checkin CODE".
    line_account_id: str = Field(default="", pattern=r"^(@[A-Za-z0-9._-]{1,40})?$")

    def venue_for(self, location: str) -> Venue | None:
        return next((v for v in self.venues if v.matches(location)), None)

    def venue(self, venue_id: str) -> Venue | None:
        return next((v for v in self.venues if v.id == venue_id), None)


class RichMenu(Section):
    name: str = "tsunagaru-main"
    chat_bar_text: str = "Menu"
    labels: tuple[str, str, str, str] = ("Board", "Join", "Profile", "Help")
    labels_en: tuple[str, str, str, str] = ("Board", "Join", "Profile", "Help")
    font: str = ""


class CommunitySettings(Section):
    categories: tuple[str, ...] = ()
    rules: str = ""
    posts_per_hour: WholeNumber = Field(default=10, ge=1)
    threads_per_hour: WholeNumber = Field(default=3, ge=1)  # new threads per member (staff are not limited)
    reports_per_hour: WholeNumber = Field(default=10, ge=1)  # reports per member
    max_post_chars: WholeNumber = Field(default=1000, ge=1, le=5000)
    link_hosts: tuple[str, ...] = ()
    voice_category: str = ""
    line_url: str = ""
    discord_url: str = ""
    official_label: str = ""
    richmenu: RichMenu = RichMenu()

    @field_validator("link_hosts")
    @classmethod
    def _lower(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(h.lower() for h in hosts)


def _default_column(name: str) -> Any:
    return Field(default_factory=lambda: t("ja", f"donation.csv.{name}"))


class DonationCsv(Section):
    """Column headers of the donation portal's CSV export (defaults: the common portal's Japanese headers)."""

    date: str = _default_column("date")
    amount: str = _default_column("amount")
    code: str = _default_column("code")
    reason: str = _default_column("reason")


class DonationSettings(Section):
    url: str = ""
    tracking_param: str = "ref"
    keywords: tuple[str, ...] = ()
    csv: DonationCsv = DonationCsv()


class LineChannel(Section):
    """Which environment variables hold this city's LINE channel secret and access token (never a secret in a file).
    The first city defaults to LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN."""

    channel_secret_env: str = ""
    channel_access_token_env: str = ""


class StaffAccounts(Section):
    """Environment variables naming this city's staff from the start and its staff API token (first city: ADMIN_*,
    STAFF_API_TOKEN)."""

    admin_line_user_ids_env: str = ""
    admin_discord_user_ids_env: str = ""
    api_token_env: str = ""


class DiscordSettings(Section):
    guild_id: int | None = None  # the city's Discord server; the first city defaults to DISCORD_GUILD_ID
    events_category: str = "events"
    archive_category: str = "archive"
    event_hours: float = Field(default=2, gt=0)
    message_content: bool = False
    board_forum_id: int | None = None
    board_forum_name: str = Field(default_factory=lambda: t("ja", "discord.board_forum_name"))
    announcements_channel: int | None = None  # where announcements are posted on Discord (a channel id)


class ListingsSettings(Section):
    """貸畑 and 空き家 listings (issue 17): a listing closes by itself this many days after staff approve it."""

    days: WholeNumber = Field(default=90, ge=1, le=3650)


class OccasionsSettings(Section):
    """Sign-up QR codes for occasions (issue 17). line_id: the LINE account's basic id ("@omitama"), for the
    friend-add link and the link that opens the chat with the occasion's code typed in."""

    line_id: str = Field(default="", pattern=r"^(@[0-9A-Za-z._-]{1,40})?$")


class WebSettings(Section):
    public_requests_per_minute: float = Field(default=60, gt=0)
    public_burst: WholeNumber | None = Field(default=None, ge=1)
    trust_forwarded_for: bool = False


# What automated pushes are for, most important first (community.budget): what the budget holds back first is last.
# Automated pushes, most important first: notices people asked for (checkups; event reminders and waiting-list
# places), facilitator nudges, after-event tips, staff notices, news of new events to those who asked for it.
BUDGET_KINDS = ("checkup", "reminder", "nudge", "tip", "staff", "event_news")


class BudgetSettings(Section):
    """What the city pays LINE for: a monthly cap on billable messages (one per recipient of a push or multicast;
    replies are free), and how much of each month is kept for each kind of automated push."""

    monthly_cap: WholeNumber | None = Field(default=None, ge=0)  # None: no cap of the city's own (LINE's plan still)
    # Messages kept each month for a kind ("checkup", "nudge", "tip", "staff"): what a kind has not used of its
    # share yet is out of reach of announcements and of every kind after it. Unset: a share of the cap (budget.py).
    reserve: dict[str, WholeNumber] = {}
    # A push to a LINE group costs one message per member; the bot counts the members it knows of an event group,
    # and takes this for a group it knows nothing of.
    group_size: WholeNumber = Field(default=20, ge=1)

    @field_validator("reserve")
    @classmethod
    def _kinds(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(BUDGET_KINDS))
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r} (the kinds are {', '.join(BUDGET_KINDS)})")
        if any(n < 0 for n in value.values()):
            raise ValueError("a reserve cannot be negative")
        return value


class AnnounceSettings(Section):
    """Announcements: the topics members may stop one by one (/announce stop TOPIC); none: all or nothing."""

    topics: tuple[str, ...] = ()

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(topic.strip() for topic in value)
        if any(not topic or len(topic) > 20 or " " in topic for topic in cleaned):
            raise ValueError("a topic is one word of 1 to 20 characters")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("a topic appears twice")
        return cleaned


class OpenDataSettings(Section):
    """What the open data exports (the Digital Agency's standard datasets) say about the city itself."""

    code: str = Field(default="", pattern=r"^(\d{6})?$")  # 全国地方公共団体コード, six digits with the check digit
    prefecture: str = ""


class CityConfig(Section):
    """The whole city file. Section names are the TOML's; `[city]` is `info` here."""

    info: CityInfo = Field(alias="city")
    app: AppLinks = AppLinks()
    childcare: ChildcareSettings = ChildcareSettings()
    touchpoints: tuple[Touchpoint, ...] = ()
    events: EventsSettings = EventsSettings()
    community: CommunitySettings = CommunitySettings()
    donation: DonationSettings = DonationSettings()
    targets: dict[int, dict[str, WholeNumber]] = {}
    discord: DiscordSettings = DiscordSettings()
    web: WebSettings = WebSettings()
    line: LineChannel = LineChannel()
    staff: StaffAccounts = StaffAccounts()
    listings: ListingsSettings = ListingsSettings()
    occasions: OccasionsSettings = OccasionsSettings()
    budget: BudgetSettings = BudgetSettings()
    announce: AnnounceSettings = AnnounceSettings()
    opendata: OpenDataSettings = OpenDataSettings()

    @field_validator("touchpoints", mode="before")
    @classmethod
    def _tables(cls, value: Any) -> Any:
        if isinstance(value, list) and not all(isinstance(item, dict) for item in value):
            raise ValueError("each touchpoint must be a [[touchpoints]] table")
        return value

    @field_validator("touchpoints")
    @classmethod
    def _unique(cls, value: tuple[Touchpoint, ...]) -> tuple[Touchpoint, ...]:
        seen: set[str] = set()
        for touchpoint in value:
            if touchpoint.id in seen:
                raise ValueError(f"touchpoint id {touchpoint.id!r} appears twice")
            seen.add(touchpoint.id)
        return value

    # Short names for what nearly every caller wants.
    @property
    def name(self) -> str:
        return self.info.name

    @property
    def name_en(self) -> str:
        return self.info.name_en or self.info.name

    @property
    def bot_name(self) -> str:
        return self.info.bot_name

    @property
    def raw_retention_days(self) -> int:
        return self.info.raw_retention_days

    def touchpoint(self, touchpoint_id: str) -> Touchpoint | None:
        return next((t for t in self.touchpoints if t.id == touchpoint_id), None)

    def targets_for(self, fiscal_year: int) -> dict[str, int]:
        return self.targets.get(fiscal_year, {})


class RegionInfo(Section):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    name_en: str = ""
    cities: tuple[str, ...] = Field(min_length=1)  # the member cities' ids
    staff_token_env: str = ""  # reads the region's and its cities' KPIs, no personal data


class RegionConfig(Section):
    """A region (広域): cities that report together, with optional wide-area targets."""

    info: RegionInfo = Field(alias="region")
    targets: dict[int, dict[str, WholeNumber]] = {}

    @property
    def id(self) -> str:
        return self.info.id

    def targets_for(self, fiscal_year: int) -> dict[str, int]:
        return self.targets.get(fiscal_year, {})


def _key(location: tuple[Any, ...]) -> str:
    """('touchpoints', 2, 'age_months') -> 'touchpoints[2].age_months'; [city] keeps its TOML name."""
    parts: list[str] = []
    for item in location:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in ("function-before", "function-after") or str(item).startswith(("function-", "tagged-union")):
            continue
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def parse_city(text: str, source: str = "city file") -> CityConfig:
    """Parse and validate a city file's text; raises CityFileError with one line naming the key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CityFileError(f"{source} is not valid TOML: {exc}") from None
    city = raw.get("city")
    if not isinstance(city, dict) or not city.get("name"):
        raise CityFileError(f"{source} has no [city] name")
    try:
        return CityConfig.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (a typo?)"
        raise CityFileError(f"{source}: {_key(tuple(error['loc']))}: {message}") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CityFileError(f"file not found: {path}") from None
    except OSError as exc:  # a directory, no permission, ...
        raise CityFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CityFileError(f"{path} is not valid TOML: not UTF-8") from None


def load_city(path: Path) -> CityConfig:
    return parse_city(_read(path), str(path))


def is_region_file(path: Path) -> bool:
    try:
        return "region" in tomllib.loads(_read(path)) and "city" not in tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError:
        return False


def load_region(path: Path) -> RegionConfig:
    source = str(path)
    try:
        raw = tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise CityFileError(f"{source} is not valid TOML: {exc}") from None
    try:
        return RegionConfig.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = "unknown key (a typo?)" if error["type"] == "extra_forbidden" else str(error["msg"])
        raise CityFileError(f"{source}: {_key(tuple(error['loc']))}: {message.removeprefix('Value error, ')}") from None


@dataclass(frozen=True)
class Site:
    """A city as it runs here: its configuration, public address, time zone, the platforms that are on, and what
    its enabled features contribute to the KPI report, the digest and /forget-me (built by handlers.features)."""

    city: CityConfig
    public_base_url: str
    tz: ZoneInfo
    platforms: frozenset[str] = frozenset({"console"})
    id: str = "city"  # the city's id (bot.config.CitySettings.id)
    kpis: tuple[KpiSource, ...] = ()
    report_sections: tuple[ReportSection, ...] = ()
    digest_sections: tuple[Callable[[DigestWeek], list[str]], ...] = ()
    erasers: tuple[Callable[[Forget], Mapping[str, int]], ...] = ()

    def public_url(self, path: str) -> str:
        return self.public_base_url.rstrip("/") + "/" + path.lstrip("/")

    @property
    def mirrors(self) -> tuple[str, ...]:
        """Platforms that keep a copy of the board in a forum of their own (Discord, when it is on)."""
        return ("discord",) if "discord" in self.platforms else ()
