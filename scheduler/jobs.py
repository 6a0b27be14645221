"""The catalogue of scheduled jobs. Names are an operator contract (README): do not rename them.

A job is a plain function run(ctx) inside one transaction; what it sends goes through the outbox with its changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import update
from sqlmodel import Session

from community.messages import Postbox
from storage.db import as_utc
from storage.models import InboxEvent


@dataclass
class JobContext:
    session: Session
    settings: Any
    now: datetime  # aware, city time zone: "as if the clock read this"
    postbox: Postbox = field(default_factory=Postbox)


@dataclass(frozen=True)
class Job:
    name: str
    cron: dict[str, str]  # APScheduler CronTrigger fields, in the city's time zone
    schedule: str  # the same, for people
    description: str
    run: Callable[[JobContext], str]
    period: str = "day"  # the slot a lease covers: one run per day / week

    def slot(self, at: datetime) -> str:
        if self.period == "week":
            year, week, _ = at.isocalendar()
            return f"{year}-W{week:02d}"
        return at.date().isoformat()


def purge_raw(ctx: JobContext) -> str:
    """Empty raw webhook payloads older than the city's retention period (the processed facts stay)."""
    days = ctx.settings.city.raw_retention_days
    cutoff = as_utc(ctx.now - timedelta(days=days))
    result = ctx.session.execute(
        update(InboxEvent)
        .where(InboxEvent.received_at < cutoff, InboxEvent.payload.is_not(None),
               InboxEvent.status.in_(("done", "skipped", "parked")))
        .values(payload=None)
    )
    return f"purged {result.rowcount} raw payloads older than {days} days"


def build_jobs() -> list[Job]:
    """Every scheduled job, in the order `job --list` shows them."""
    jobs = [
        Job("purge-raw", {"hour": "3", "minute": "30"}, "毎日 03:30", "raw webhook payloads past the retention period are deleted", purge_raw),
    ]
    return jobs
