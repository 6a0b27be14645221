"""The events feature: events with a code, their LINE groups and Discord channels, facilitators (世話人), the
quiet-groups nudges and the after-event tips."""
from __future__ import annotations

from sqlalchemy import delete

from community import events as ev
from community.privacy import Forget
from handlers.events import chat
from handlers.feature import Feature
from handlers.feature_legacy import legacy_routes
from scheduler.jobs import Job, JobContext
from storage.models.events import Event, EventSpace, EventSpaceMember, FacilitatorOptOut


def quiet_groups(ctx: JobContext) -> str:
    """Facilitators of event spaces quiet for [events] quiet_days get a 1:1 nudge; ones without are reported to staff."""
    return ev.run_quiet_groups(ctx)


def after_event(ctx: JobContext) -> str:
    """Once per ended event: the venue's nearby spots and shop incentives, posted in its spaces."""
    return ev.run_after_event(ctx)


def erase(forget: Forget) -> dict[str, int]:
    member_id = forget.member.id
    forget.session.execute(delete(EventSpaceMember).where(EventSpaceMember.member_id == member_id))
    forget.session.execute(delete(FacilitatorOptOut).where(FacilitatorOptOut.member_id == member_id))
    return {}


FEATURE = Feature(
    "events",
    chat=legacy_routes("events", chat.register),
    jobs=(
        Job("quiet-groups", {"hour": "10", "minute": "30"}, quiet_groups),
        Job("after-event", {"hour": "18", "minute": "0"}, after_event),
    ),
    tables=(Event, EventSpace, EventSpaceMember, FacilitatorOptOut),
    erase=erase,
    kpis=(ev.KPIS,),
    digest=ev.digest_section,
)
