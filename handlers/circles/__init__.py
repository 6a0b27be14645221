"""The circles feature (issue 17): a directory of 子育てサークル and other circles, submitted by members and approved
by staff (/circles in chat, /circles on the web); a circle without a link is reached by a message the bot relays to
its submitter (the listings feature's conversations)."""

from __future__ import annotations

from community import circles
from community.privacy import Forget
from handlers.circles.chat import chat
from handlers.circles.data import DATA
from handlers.circles.web import ROUTES
from handlers.feature import Feature
from storage.models.circles import Circle


def erase(forget: Forget) -> dict[str, int]:
    """The circles the member submitted, and the conversations about them."""
    for circle in circles.of_submitter(forget.session, forget.member.id or 0):
        forget.traces.update(text for text in (circle.name, circle.activity, circle.join_url) if len(text) >= 4)
    return {"circles": circles.erase_member(forget.session, forget.member)}


FEATURE = Feature(
    "circles",
    chat=chat,
    web=ROUTES,
    tables=(Circle,),
    data=DATA,
    erase=erase,
    kpis=(circles.KPIS,),
    digest=circles.digest_lines,
)
