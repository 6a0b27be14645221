"""The catalogue of scheduled jobs. Names are an operator contract (README): do not rename them.

A job is a plain function run(ctx) inside one transaction; what it sends goes through the outbox with its changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import update
from sqlmodel import Session

from community.childcare import send_checkup_notices
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


def checkup_notices(ctx: JobContext) -> str:
    """Checkup notices [childcare] notice_days_before days ahead, once per child and checkup (community.childcare)."""
    return send_checkup_notices(ctx.session, ctx.settings, ctx.now, ctx.postbox)


def weekly_digest(ctx: JobContext) -> str:
    """Last week's KPI digest to every staff space, once per week and space (community.digest)."""
    from community.digest import send_weekly

    week, sent, skipped = send_weekly(ctx.session, ctx.settings, ctx.now, ctx.postbox)
    return f"digest {week}: sent to {sent} staff spaces, {skipped} already had it"


def quiet_groups(ctx: JobContext) -> str:
    """Facilitators of event spaces quiet for [events] quiet_days get a 1:1 nudge; ones without are reported to staff."""
    from community.events import run_quiet_groups

    return run_quiet_groups(ctx)


def after_event(ctx: JobContext) -> str:
    """Once per ended event: the venue's nearby spots and shop incentives, posted in its spaces (community.events)."""
    from community.events import run_after_event

    return run_after_event(ctx)


def build_jobs() -> list[Job]:
    """Every scheduled job, in the order `job --list` shows them."""
    jobs = [
        Job("purge-raw", {"hour": "3", "minute": "30"}, "毎日 03:30", "raw webhook payloads past the retention period are deleted", purge_raw),
        Job("checkup-notices", {"hour": "10", "minute": "0"}, "毎日 10:00", "parents who opted in get each checkup notice with the app QR card", checkup_notices),
        Job("weekly-digest", {"day_of_week": "mon", "hour": "9", "minute": "0"}, "毎週月曜 09:00", "last week's KPIs, quiet groups, QR scans and donations to the staff groups", weekly_digest, period="week"),
        Job("quiet-groups", {"hour": "10", "minute": "30"}, "毎日 10:30", "facilitators of event groups quiet for [events] quiet_days get a gentle nudge; groups without one go to staff", quiet_groups),
        Job("after-event", {"hour": "18", "minute": "0"}, "毎日 18:00", "after an event ends, its groups get the venue's nearby spots and shop offers (once)", after_event),
    ]
    return jobs
