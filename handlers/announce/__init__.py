"""The announce feature (issue 15): staff tell a segment of members something within the month's LINE budget —
`/announce` in chat and the dashboard's form, `/announce list` / `cancel`, members' `/announce stop` / `start`, the
announcements job, and what each announcement achieved in the digest."""

from __future__ import annotations

from community import announce
from community.privacy import Forget
from handlers.announce.chat import chat
from handlers.announce.data import DATA
from handlers.announce.jobs import ANNOUNCEMENTS
from handlers.announce.web import ROUTES
from handlers.feature import Feature
from storage.models.announce import Announcement, AnnounceOptOut


def erase(forget: Forget) -> dict[str, int]:
    """Their stops, and their name on announcements they wrote as staff."""
    assert forget.member.id is not None
    return {"announce_stops": announce.forget_member(forget.session, forget.member.id)}


FEATURE = Feature(
    "announce",
    chat=chat,
    web=ROUTES,
    jobs=(ANNOUNCEMENTS,),
    tables=(Announcement, AnnounceOptOut),
    data=DATA,
    erase=erase,
    digest=announce.digest_section,
)
