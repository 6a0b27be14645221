"""Scheduled jobs: what a job is and what it is given. Each feature declares its jobs (`Feature.jobs`); names are an
operator contract (README): do not rename them. When a job runs and what it does, for people, are in the text
catalogue (`job.<name>.schedule`, `job.<name>.description`).

A job is a plain function run(ctx) inside one transaction; what it sends goes through the outbox with its changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from community.city import Site
from community.messages import Postbox
from community.texts import t


@dataclass
class JobContext:
    session: Session
    site: Site
    now: datetime  # aware, city time zone: "as if the clock read this"
    postbox: Postbox = field(default_factory=Postbox)


@dataclass(frozen=True)
class Job:
    name: str
    cron: dict[str, str]  # APScheduler CronTrigger fields, in the city's time zone
    run: Callable[[JobContext], str]
    period: str = "day"  # the slot a lease covers: one run per day / week / minute

    def slot(self, at: datetime) -> str:
        if self.period == "minute":
            return at.strftime("%Y-%m-%dT%H:%M")
        if self.period == "week":
            year, week, _ = at.isocalendar()
            return f"{year}-W{week:02d}"
        return at.date().isoformat()

    def schedule(self, lang: str = "ja") -> str:
        return t(lang, f"job.{self.name}.schedule")

    def description(self, lang: str = "ja") -> str:
        return t(lang, f"job.{self.name}.description")


def collect_jobs(features: Iterable[object]) -> list[Job]:
    """Every scheduled job of the given features, in feature order (what `job --list` shows)."""
    return [job for feature in features for job in getattr(feature, "jobs", ())]
