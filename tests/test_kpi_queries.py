"""The set-based KPI queries (issue 6, bench/kpi.py) count what the per-row versions counted, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from community import board, events
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Engagement, Member, Role, Space
from storage.models.events import Event, EventSpace, FacilitatorOptOut
from tests.fixtures.board import thread_with_posts

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _member(session: Session, public_id: str, name: str | None = None) -> Member:
    member = Member(public_id=public_id, display_name=name, created_at=T0)
    session.add(member)
    session.flush()
    return member


def _event_space(session: Session, code: str, organizer: Member, platform: str = "line") -> tuple[Event, EventSpace]:
    event = Event(
        code=code, title=f"会 {code}", starts_at=T0, location="公民館", organizer_id=organizer.id, created_at=T0
    )
    space = Space(platform=platform, kind="group", platform_space_id=f"C-{code}", purpose="event", created_at=T0)
    session.add(event)
    session.add(space)
    session.flush()
    bound = EventSpace(event_id=event.id, space_id=space.id, bound_at=T0)
    session.add(bound)
    session.flush()
    return event, bound


def _said(session: Session, member: Member, code: str, at: datetime, platform: str = "line") -> None:
    session.add(
        Engagement(
            at=at, kind="event_message", member=member.public_id, platform=platform, space=events.space_key(code)
        )
    )


def test_an_opt_out_counts_only_for_its_own_event(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            organizer = _member(session, "m-org")
            shared = _member(session, "m-shared", "世話人A")
            other = _member(session, "m-other", "世話人B")
            _event_a, _ = _event_space(session, "AAAAAA", organizer)
            event_b, _ = _event_space(session, "BBBBBB", organizer)
            _event_c, _ = _event_space(session, "CCCCCC", organizer)
            for code in ("AAAAAA", "BBBBBB"):
                session.add(Role(member_id=shared.id, role="facilitator", scope=code, created_at=T0))
            session.add(Role(member_id=other.id, role="facilitator", scope="CCCCCC", created_at=T0))
            session.add(FacilitatorOptOut(event_id=event_b.id, member_id=shared.id, at=T0))
            _said(session, shared, "AAAAAA", T0 + timedelta(hours=1))
            _said(session, shared, "BBBBBB", T0 + timedelta(hours=1))
            _said(session, other, "CCCCCC", T0 + timedelta(hours=1), platform="discord")  # not where the space is
            _said(session, shared, "CCCCCC", T0 + timedelta(hours=1))  # not a facilitator of C
            session.commit()

            figures = events.event_space_figures(session, T0, T0 + timedelta(days=1))
            quiet = {q.event_code: q.facilitators for q in events.quiet_spaces(session, T0 + timedelta(days=10), 7)}
    finally:
        engine.dispose()
    assert figures == {"event_spaces": 3, "event_spaces_with_active_facilitator": 1}  # only A
    assert quiet == {"AAAAAA": ("世話人A",), "BBBBBB": (), "CCCCCC": ("世話人B",)}


def test_kpi_counts_match_the_figures_totals(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            author = _member(session, "m-author")
            posts = [
                (T0 + timedelta(hours=hours), T0 + timedelta(hours=40) if hidden else None)
                for hours, hidden in ((1, False), (2, True), (30, False))
            ]
            thread_with_posts(session, author, "地域ネタ", "t", T0, posts, last_post_at=T0)
            for public_id, hours, space in (
                ("m-a", 1, "community"),
                ("m-a", 2, "community"),
                ("m-b", 30, "community"),
                ("m-c", 1, "event:AAAAAA"),
            ):
                session.add(
                    Engagement(
                        at=T0 + timedelta(hours=hours),
                        kind="member_joined",
                        member=public_id,
                        platform="line",
                        space=space,
                        detail="fan",
                    )
                )
            session.commit()

            day = (T0, T0 + timedelta(days=1))
            counts = (
                board.participant_count(session, *day),
                board.participant_count(session, None, day[1]),
                board.post_count(session, *day),
                board.post_count(session, None, T0 + timedelta(days=2)),
            )
            totals = (
                board.participants(session, *day).total,
                board.participants_total(session, day[1]).total,
                board.posts(session, *day).total,
                board.posts_cumulative(session, T0 + timedelta(days=2)).total,
            )
    finally:
        engine.dispose()
    assert counts == totals == (1, 1, 1, 2)
