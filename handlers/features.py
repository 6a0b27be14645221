"""The features this service is made of, in order: this order is the order of /help, of the KPI report's JSON, of
the digest's sections and of `job --list`. A new feature is one new package under handlers/ plus one line here.
"""
from __future__ import annotations

from typing import Iterable
from zoneinfo import ZoneInfo

from community.city import CityConfig, Site
from handlers import board, childcare, core, events, kpi, staff
from handlers.feature import Feature
from handlers.router import Router
from scheduler.jobs import Job, collect_jobs

FEATURES: tuple[Feature, ...] = (
    core.FEATURE,
    board.FEATURE,
    kpi.FEATURE,
    events.FEATURE,
    childcare.FEATURE,
    staff.FEATURE,
)


def build_router(features: Iterable[Feature] = FEATURES) -> Router:
    return Router(feature.chat for feature in features)


def site_for(city: CityConfig, public_base_url: str, tz: ZoneInfo, platforms: Iterable[str],
             features: Iterable[Feature] = FEATURES) -> Site:
    """The Site a city runs as, with what its features contribute to KPIs, the digest and /forget-me."""
    enabled = tuple(features)
    return Site(
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
