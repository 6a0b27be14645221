"""Referrals, KPIs and the digest: /donate links and /r/ redirects, the donation import, the KPI report and API,
the weekly staff digest and the staff dashboard."""
from __future__ import annotations

from sqlalchemy import delete

from community import digest, referrals
from community.privacy import Forget
from handlers.feature import Feature
from scheduler.jobs import Job, JobContext
from storage.models.quota import LineQuotaReading
from storage.models.staff import DashboardLogin, Donation, ReferralCode, SentDigest


def weekly_digest(ctx: JobContext) -> str:
    """Last week's KPI digest to every staff space, once per week and space."""
    week, sent, skipped = digest.send_weekly(ctx.session, ctx.site, ctx.now, ctx.postbox)
    return f"digest {week}: sent to {sent} staff spaces, {skipped} already had it"


def erase(forget: Forget) -> dict[str, int]:
    session = forget.session
    session.execute(delete(ReferralCode).where(ReferralCode.kind == "member",
                                               ReferralCode.owner_ref == forget.member.public_id))
    session.execute(delete(DashboardLogin).where(DashboardLogin.member_id == forget.member.id))
    return {}


FEATURE = Feature(
    "kpi",
    jobs=(Job("weekly-digest", {"day_of_week": "mon", "hour": "9", "minute": "0"}, weekly_digest, period="week"),),
    tables=(ReferralCode, Donation, SentDigest, DashboardLogin, LineQuotaReading),
    erase=erase,
    kpis=(referrals.KPIS,),
    digest=referrals.digest_section,
)
