"""The childcare feature: the app's tracked QR code at every touchpoint (chat, /qr and /go, the qr CLI), checkup
notices for parents who opt in, the 子育て広場 survey and the figures per touchpoint."""

from __future__ import annotations

from community import childcare
from community.privacy import Forget
from handlers.childcare import cli, web
from handlers.childcare.chat import chat
from handlers.childcare.data import DATA
from handlers.feature import Feature
from scheduler.jobs import Job, JobContext
from storage.models.childcare import AppDownloadMonth, ChildcareChild, ChildcareNotice, HirobaSurvey


def checkup_notices(ctx: JobContext) -> str:
    """Checkup notices [childcare] notice_days_before days ahead, once per child and checkup."""
    return childcare.send_checkup_notices(ctx.session, ctx.site, ctx.now, ctx.postbox)


def erase(forget: Forget) -> dict[str, int]:
    """The member's children and their notice marks; their unfinished surveys lose the link to them."""
    assert forget.member.id is not None
    return {"children": childcare.opt_out(forget.session, forget.member.id)}


FEATURE = Feature(
    "childcare",
    chat=chat,
    web=web.ROUTES,
    cli=cli.COMMANDS,
    jobs=(Job("checkup-notices", {"hour": "10", "minute": "0"}, checkup_notices),),
    tables=(ChildcareChild, ChildcareNotice, HirobaSurvey, AppDownloadMonth),
    data=DATA,
    erase=erase,
    kpis=(childcare.KPIS,),
    report=(childcare.PER_TOUCHPOINT,),
    digest=childcare.digest_section,
)
