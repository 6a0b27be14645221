"""The events feature: events with a code, their LINE groups and Discord channels, facilitators (世話人), the
quiet-groups nudges and the after-event tips.

chat.py holds the commands and the join button, spaces.py what happens inside an event space (both register on the
one `chat`), jobs.py the scheduled jobs, privacy.py what /forget-me erases."""

from __future__ import annotations

from community import events as ev
from handlers.events import spaces  # noqa: F401 - registers the event-space hooks on `chat`
from handlers.events.chat import chat
from handlers.events.data import DATA
from handlers.events.jobs import AFTER_EVENT, QUIET_GROUPS
from handlers.events.privacy import erase
from handlers.feature import Feature
from storage.models.events import Event, EventSpace, EventSpaceMember, FacilitatorOptOut

FEATURE = Feature(
    "events",
    chat=chat,
    jobs=(QUIET_GROUPS, AFTER_EVENT),
    tables=(Event, EventSpace, EventSpaceMember, FacilitatorOptOut),
    data=DATA,
    erase=erase,
    kpis=(ev.KPIS,),
    digest=ev.digest_section,
)
