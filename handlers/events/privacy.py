"""What /forget-me erases of the events feature: where the member was present, their nudge opt-outs, registrations
and wish to hear of new events; their check-ins stay as anonymous visits (the counts stay). Their facilitator and
organizer roles go with the core's roles; the engagement counts stay, pseudonymous. A withdrawn registration frees
its place: the first waiting move up and hear so."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import col, select

from community import event_registration as reg
from community.privacy import Forget
from storage.models.events import (
    Event,
    EventAttendance,
    EventNewsSubscriber,
    EventRegistration,
    EventSpaceMember,
    FacilitatorOptOut,
)


def erase(forget: Forget) -> dict[str, int]:
    member_id = forget.member.id
    forget.session.execute(delete(EventSpaceMember).where(col(EventSpaceMember.member_id) == member_id))
    forget.session.execute(delete(FacilitatorOptOut).where(col(FacilitatorOptOut.member_id) == member_id))
    withdraw_registrations(forget)
    forget.session.execute(delete(EventNewsSubscriber).where(col(EventNewsSubscriber.member_id) == member_id))
    forget.session.execute(
        update(EventAttendance).where(col(EventAttendance.member_id) == member_id).values(member_id=None)
    )
    return {}


def withdraw_registrations(forget: Forget) -> None:
    session = forget.session
    rows = session.exec(select(EventRegistration).where(EventRegistration.member_id == forget.member.id)).all()
    for row in rows:
        session.delete(row)
    session.flush()
    for event_id in {row.event_id for row in rows}:
        event = session.get(Event, event_id)
        if event is not None:
            moved = reg.move_up(session, event, forget.now)
            reg.tell_moved_up(session, forget.postbox, forget.site, event, moved)
