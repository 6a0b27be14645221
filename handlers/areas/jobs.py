"""The area communities' scheduled job (its name and schedule are an operator contract)."""

from __future__ import annotations

from community import area_spaces
from scheduler.jobs import Job, JobContext


def quiet_areas(ctx: JobContext) -> str:
    """Facilitators of area communities quiet for [events] quiet_days get a 1:1 nudge; those with none go to staff."""
    return area_spaces.quiet_areas(ctx.session, ctx.site, ctx.now, ctx.postbox)


QUIET_AREAS = Job("quiet-areas", {"hour": "10", "minute": "45"}, quiet_areas)
