"""Referrals, KPIs and the digest: /donate links and /r/ redirects, the donation import, the KPI report and API,
the weekly staff digest, the LINE quota it reports and the staff dashboard."""

from __future__ import annotations

from community import dashboard, referrals
from community.privacy import Forget
from handlers.feature import Feature
from handlers.kpi.chat import chat
from handlers.kpi.cli import COMMANDS
from handlers.kpi.data import DATA
from handlers.kpi.jobs import WEEKLY_DIGEST
from handlers.kpi.web import ROUTES
from storage.models.quota import LineQuotaReading
from storage.models.staff import DashboardLogin, Donation, ReferralCode, SentDigest, SigningKey


def erase(forget: Forget) -> dict[str, int]:
    """The member's referral code and dashboard logins; clicks and donations stay as counts."""
    forget.traces.update(referrals.codes_of(forget.session, forget.member.public_id))  # their /donate links quote them
    referrals.forget_member(forget.session, forget.member.public_id)
    if forget.member.id is not None:
        dashboard.forget_member(forget.session, forget.member.id)
    return {}


FEATURE = Feature(
    "kpi",
    chat=chat,
    web=ROUTES,
    cli=COMMANDS,
    jobs=(WEEKLY_DIGEST,),
    tables=(ReferralCode, Donation, SentDigest, DashboardLogin, LineQuotaReading, SigningKey),
    data=DATA,
    erase=erase,
    kpis=(referrals.KPIS,),
    digest=referrals.digest_section,
)
