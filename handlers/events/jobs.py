"""The events feature's scheduled jobs (names and schedules are an operator contract): thin wrappers that hand the
job's transaction, city, time and postbox to the domain functions in community.event_jobs."""

from __future__ import annotations

from community import event_jobs, event_registration
from scheduler.jobs import Job, JobContext


def quiet_groups(ctx: JobContext) -> str:
    """Facilitators of event spaces quiet for [events] quiet_days get a 1:1 nudge; spaces without one go to staff."""
    return event_jobs.quiet_groups(ctx.session, ctx.site, ctx.now, ctx.postbox)


def after_event(ctx: JobContext) -> str:
    """Once per ended event: the venue's nearby spots and shop incentives, posted in its spaces."""
    return event_jobs.after_event(ctx.session, ctx.site, ctx.now, ctx.postbox)


def event_reminders(ctx: JobContext) -> str:
    """Everyone registered for an event that starts tomorrow gets one reminder (a push of kind "reminder")."""
    return event_registration.send_reminders(ctx.session, ctx.site, ctx.now, ctx.postbox)


QUIET_GROUPS = Job("quiet-groups", {"hour": "10", "minute": "30"}, quiet_groups)
AFTER_EVENT = Job("after-event", {"hour": "18", "minute": "0"}, after_event)
EVENT_REMINDERS = Job("event-reminders", {"hour": "18", "minute": "0"}, event_reminders)
