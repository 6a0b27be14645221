"""The announcements job: every minute, what is due goes out (each announcement once, whichever instance claims it:
community.announce), and held automated pushes the month now has room for are released."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import col

from community import announce
from scheduler.jobs import Job, JobContext
from storage.db import utcnow
from storage.models import JobRun

NAME = "announcements"
KEEP_RUNS = timedelta(days=2)  # a lease row a minute: the old ones are no use to anyone


def send_announcements(ctx: JobContext) -> str:
    detail = announce.send_due(ctx.session, ctx.site, ctx.now, ctx.postbox)
    ctx.session.execute(
        delete(JobRun).where(col(JobRun.job_name) == NAME, col(JobRun.started_at) < utcnow() - KEEP_RUNS)
    )
    return detail


ANNOUNCEMENTS = Job(NAME, {"minute": "*"}, send_announcements, period="minute")
