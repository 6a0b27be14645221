"""What /forget-me erases of the events feature: where the member was present, and their nudge opt-outs. Their
facilitator and organizer roles go with the core's roles; the engagement counts stay, pseudonymous."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col

from community.privacy import Forget
from storage.models.events import EventSpaceMember, FacilitatorOptOut


def erase(forget: Forget) -> dict[str, int]:
    member_id = forget.member.id
    forget.session.execute(delete(EventSpaceMember).where(col(EventSpaceMember.member_id) == member_id))
    forget.session.execute(delete(FacilitatorOptOut).where(col(FacilitatorOptOut.member_id) == member_id))
    return {}
