"""The events feature: events with a code, their LINE groups and Discord channels, facilitators (世話人),
registrations with a waiting list, reminders, check-in at the venue and 交流人口, the public event pages and
calendar feed, the quiet-groups nudges and the after-event tips.

chat.py holds the organizers' and facilitators' commands, rsvp.py taking part (/join, /event cancel, /checkin,
/event news), spaces.py what happens inside an event space (all register on the one `chat`), web.py the public pages,
cli.py the visitor counts, jobs.py the scheduled jobs, privacy.py what /forget-me erases."""

from __future__ import annotations

from community import event_checkin
from community import events as ev
from handlers.events import rsvp, spaces, status  # noqa: F401 - register their commands and hooks on `chat`
from handlers.events.chat import chat
from handlers.events.cli import COMMANDS
from handlers.events.data import DATA
from handlers.events.jobs import AFTER_EVENT, EVENT_REMINDERS, QUIET_GROUPS
from handlers.events.privacy import erase
from handlers.events.web import ROUTES
from handlers.feature import Feature
from storage.models.events import (
    Event,
    EventAttendance,
    EventNewsSubscriber,
    EventRegistration,
    EventSpace,
    EventSpaceMember,
    FacilitatorOptOut,
    VenueCount,
)

FEATURE = Feature(
    "events",
    chat=chat,
    web=ROUTES,
    cli=COMMANDS,
    jobs=(QUIET_GROUPS, AFTER_EVENT, EVENT_REMINDERS),
    tables=(
        Event,
        EventSpace,
        EventSpaceMember,
        FacilitatorOptOut,
        EventRegistration,
        EventAttendance,
        VenueCount,
        EventNewsSubscriber,
    ),
    data=DATA,
    erase=erase,
    kpis=(ev.KPIS, event_checkin.KPIS),
    digest=ev.digest_section,
)
