"""The engagement log: one append-only table every feature writes to, read by the KPIs and the digest."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.db import as_utc
from storage.models import Engagement

KINDS = frozenset(
    {
        "member_joined",
        "member_left",  # space "community": a member left the community (the stock KPI participants_at_fy_end)
        "post",
        "event_message",
        "reaction",
        "qr_scan",
        "qr_push",
        "referral_click",
        "donation",
        "childcare_optin",
        # living in the town (issue 17): counts that stay when /forget-me removes the rows they came from
        "listing_published",
        "inquiry",
        "circle_listed",
        "occasion_scan",
        "occasion_signup",
    }
)


def record(
    session: Session,
    kind: str,
    at: datetime,
    *,
    member: str | None = None,
    platform: str = "",
    space: str = "",
    detail: str = "",
    amount: int | None = None,
) -> Engagement:
    """Append one row. member is a Member.public_id, never a platform id."""
    if kind not in KINDS:
        raise ValueError(f"unknown engagement kind {kind!r}")
    row = Engagement(
        at=as_utc(at), kind=kind, member=member, platform=platform, space=space[:60], detail=detail[:60], amount=amount
    )
    session.add(row)
    return row
