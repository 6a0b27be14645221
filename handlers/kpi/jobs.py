"""The weekly digest job: last week's KPI digest to every staff space, once per week and space."""

from __future__ import annotations

from community import digest
from community.texts import t
from scheduler.jobs import Job, JobContext


def weekly_digest(ctx: JobContext) -> str:
    week, sent, skipped = digest.send_weekly(ctx.session, ctx.site, ctx.now, ctx.postbox)
    return t("ja", "job.weekly-digest.done", week=week, sent=sent, skipped=skipped)


WEEKLY_DIGEST = Job("weekly-digest", {"day_of_week": "mon", "hour": "9", "minute": "0"}, weekly_digest, period="week")
