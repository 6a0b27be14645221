"""Spaces: the groups, rooms and channels the bot is in."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, SQLModel, select

from community.messages import Place
from storage.db import as_utc
from storage.models import Space


def find_space(session: Session, place: Place) -> Space | None:
    return session.exec(
        select(Space).where(Space.platform == place.platform, Space.platform_space_id == place.id)
    ).first()


def get_or_create_space(session: Session, place: Place, now: datetime, name: str | None = None) -> Space:
    space = find_space(session, place)
    if space is None:
        space = Space(
            platform=place.platform, kind=place.kind, platform_space_id=place.id, name=name, created_at=as_utc(now)
        )
        session.add(space)
        session.flush()
    elif name and space.name != name:
        space.name = name
    return space


def mark_bot_present(session: Session, place: Place, now: datetime, present: bool, name: str | None = None) -> Space:
    space = get_or_create_space(session, place, now, name)
    space.bot_present = present
    space.detached_at = None if present else as_utc(now)
    session.add(space)
    return space


def serve(session: Session, space: Space, purpose: str, binding: SQLModel) -> None:
    """The space serves `purpose` from now on, through `binding` (a 区's or an event's row)."""
    space.purpose = purpose
    session.add(space)
    session.add(binding)
    session.flush()


def release(session: Session, space: Space, purpose: str) -> None:
    """The space serves `purpose` no more; one that serves something else keeps it."""
    if space.purpose == purpose:
        space.purpose = ""
        session.add(space)
