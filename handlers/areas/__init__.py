"""The 行政区 feature (issue 17): the city's 区 and the rules each chooses to publish (/area, /areas on the web),
their representatives and the profile dialogue, area communities (groups bound to a 区 or 小学校区, with facilitators
and quiet nudges) and the 区 members record as theirs (announcements to a 区 or 小学校区: community.segments).

chat.py holds the search, representatives, the profile dialogue and /area mine; spaces.py the area communities
(both on the one `chat`); web.py the public pages and the staff-side form; cli.py the register."""

from __future__ import annotations

from community import area_spaces, areas
from community.digest import DigestWeek
from community.privacy import Forget
from handlers.areas import spaces  # noqa: F401 - registers the area-community commands on `chat`
from handlers.areas.chat import chat
from handlers.areas.cli import COMMANDS
from handlers.areas.data import DATA
from handlers.areas.jobs import QUIET_AREAS
from handlers.areas.web import ROUTES
from handlers.feature import Feature
from storage.db import id_of
from storage.models.areas import Area, AreaResident, AreaSpace


def erase(forget: Forget) -> dict[str, int]:
    """The 区 the member recorded as theirs (being a representative or a facilitator is a role: the core erases it)."""
    return {"area": area_spaces.clear_resident(forget.session, id_of(forget.member))}


def digest(week: DigestWeek) -> list[str]:
    return areas.digest_lines(week) + area_spaces.digest_lines(week)


FEATURE = Feature(
    "areas",
    chat=chat,
    web=ROUTES,
    cli=COMMANDS,
    jobs=(QUIET_AREAS,),
    tables=(Area, AreaSpace, AreaResident),
    data=DATA,
    erase=erase,
    kpis=(areas.KPIS,),
    digest=digest,
)
