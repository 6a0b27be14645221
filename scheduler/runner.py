"""Runs jobs: on a schedule (AsyncIOScheduler, city time zone) or once from the CLI.

Several instances may run the scheduler: a JobRun row unique on (job, slot) is the lease, so each slot runs once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community.city import Site
from community.messages import Outgoing
from scheduler.jobs import Job, JobContext
from storage.db import Database, utcnow
from storage.models import JobRun

log = logging.getLogger(__name__)

# Writes what a job sends to the outbox, in the job's transaction (bot.queues.outbox.OutboxWriter.write).
OutboxWrite = Callable[[Session, Iterable[Outgoing], datetime], None]


def run_job(session: Session, job: Job, site: Site, at: datetime, write: OutboxWrite) -> str:
    ctx = JobContext(session=session, site=site, now=at)
    detail = job.run(ctx)
    write(session, ctx.postbox.items, utcnow())
    return detail


def _take_lease(session: Session, job: Job, slot: str) -> bool:
    session.add(JobRun(job_name=job.name, slot=slot, started_at=utcnow()))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def run_leased(session: Session, job: Job, site: Site, at: datetime, write: OutboxWrite) -> str | None:
    """Run the job for at's slot unless another run (this instance or another) took that slot."""
    slot = job.slot(at)
    if not _take_lease(session, job, slot):
        return None
    detail = run_job(session, job, site, at, write)
    run = session.exec(select(JobRun).where(JobRun.job_name == job.name, JobRun.slot == slot)).one()
    run.finished_at, run.status, run.detail = utcnow(), "done", detail
    session.add(run)
    return detail


async def fire(
    db: Database,
    job: Job,
    site: Site,
    write: OutboxWrite,
    after_run: Callable[[], None] | None = None,
    at: datetime | None = None,
) -> str | None:
    """What the scheduler does when a job's time comes: run it under the slot's lease. None: the slot already ran."""
    at = at or datetime.now(site.tz)
    try:
        detail = await db.run(run_leased, job, site, at, write)
    except Exception:
        log.exception("job %s failed", job.name)
        return None
    log.info("job %s: %s", job.name, detail if detail is not None else "already ran for this slot")
    if after_run:
        after_run()
    return detail


def build_scheduler(tz: Any) -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=tz)


def schedule_jobs(
    scheduler: AsyncIOScheduler,
    db: Database,
    jobs: list[Job],
    site: Site,
    write: OutboxWrite,
    after_run: Callable[[], None] | None = None,
) -> None:
    """A city's jobs on the process's scheduler, in the city's time zone (ids "<city>:<job>")."""
    for job in jobs:
        scheduler.add_job(
            fire,
            CronTrigger(timezone=site.tz, **job.cron),
            args=(db, job, site, write, after_run),
            id=f"{site.id}:{job.name}",
            name=f"{site.id}:{job.name}",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
