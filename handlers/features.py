"""The features this service is made of, in order: this order is the order of /help, of the KPI report's JSON, of
the digest's sections and of `job --list`. A new feature is one new package under handlers/ plus one line here.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from community.city import CityConfig, Site
from handlers import (
    accounts,
    announce,
    areas,
    board,
    childcare,
    circles,
    core,
    events,
    exports,
    kpi,
    listings,
    occasions,
    staff,
)
from handlers.feature import Feature
from handlers.router import Router
from scheduler.jobs import Job, collect_jobs

# Always on, whatever a city file's [city] features says: what every member and every deployment needs.
ALWAYS_ON = ("core", "accounts")

FEATURES: tuple[Feature, ...] = (
    core.FEATURE,
    accounts.FEATURE,
    board.FEATURE,
    kpi.FEATURE,
    events.FEATURE,
    childcare.FEATURE,
    staff.FEATURE,
    areas.FEATURE,
    listings.FEATURE,
    circles.FEATURE,
    occasions.FEATURE,
    announce.FEATURE,
    exports.FEATURE,
)


def build_router(features: Iterable[Feature] = FEATURES) -> Router:
    return Router(feature.chat for feature in features)


def enabled_features(city: CityConfig, features: Iterable[Feature] = FEATURES) -> tuple[Feature, ...]:
    """The features a city file turns on ([city] features; every one when it does not say), in feature order."""
    wanted = city.info.features
    return tuple(f for f in features if wanted is None or f.name in ALWAYS_ON or f.name in wanted)


def unknown_features(city: CityConfig) -> list[str]:
    known = {feature.name for feature in FEATURES}
    return [name for name in city.info.features or () if name not in known]


def site_for(
    city: CityConfig,
    public_base_url: str,
    tz: ZoneInfo,
    platforms: Iterable[str],
    features: Iterable[Feature] = FEATURES,
    city_id: str = "city",
) -> Site:
    """The Site a city runs as, with what its features contribute to KPIs, the digest and /forget-me."""
    enabled = tuple(features)
    return Site(
        id=city_id,
        city=city,
        public_base_url=public_base_url,
        tz=tz,
        platforms=frozenset({"console", *platforms}),
        kpis=tuple(source for f in enabled for source in f.kpis),
        report_sections=tuple(section for f in enabled for section in f.report),
        digest_sections=tuple(f.digest for f in enabled if f.digest is not None),
        # Reverse order: the core's eraser, which removes the platform accounts, runs after every feature's.
        erasers=tuple(f.erase for f in reversed(enabled) if f.erase is not None),
    )


def all_jobs(features: Iterable[Feature] = FEATURES) -> list[Job]:
    return collect_jobs(features)
