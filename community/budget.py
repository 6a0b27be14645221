"""The month's LINE budget (issue 15): what pushes cost, what is left, and who may use it.

LINE bills one message per recipient of each push or multicast request (a push to a group: one per member); replies are
free. The city file caps the month (`[budget] monthly_cap`; LINE's own plan limit, when a quota reading has it, caps it
too). What was used is LINE's consumption as last read (community.quota, read from LINE's quota endpoints and cached),
plus what our outbox sent since that reading; what is queued is every unsent outbox row and every announcement scheduled
for the month.

Automated pushes respect the budget by priority — checkup notices first, then facilitator nudges, after-event tips and
staff notices. Each kind has a reserve for the month (`[budget] reserve`): what a kind has not yet used of its reserve
is out of reach of announcements and of every kind after it. A push that does not fit is written as a "held" outbox row
(never sent by the sender; released when room appears within a few days, else reported in the weekly digest).
Announcements are checked before staff confirm them (community.announce), answers (kind "") are never held.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from community import quota
from community.city import BUDGET_KINDS, CityConfig, Site
from community.messages import MULTICAST, PUSH
from storage.db import as_utc
from storage.models import OutboxMessage, Space
from storage.models.announce import Announcement
from storage.models.events import EventSpace, EventSpaceMember

CHECKUP, REMINDER, NUDGE, TIP, STAFF, EVENT_NEWS = BUDGET_KINDS  # automated pushes, most important first
ANNOUNCEMENT = "announcement"
ANSWER = ""  # what a person asked for: counted, never held
PRIORITY: tuple[str, ...] = BUDGET_KINDS
HOLDABLE = frozenset(PRIORITY)
BILLED = "line"  # the platform that bills per message
HELD = "held"
GROUP_SIZE = 20  # [budget] group_size's default
UNSENT = ("pending", "sending")
# A held push goes out when room appears (a new month, a higher cap) this soon after it was written, never later:
# a checkup notice or a tip a week late would only confuse.
RELEASE_WITHIN = timedelta(days=3)
# [budget] reserve unset: these shares of the cap (checkup notices are few and matter most; tips go to whole groups).
DEFAULT_RESERVE_SHARE = {CHECKUP: 0.02, REMINDER: 0.01, NUDGE: 0.01, TIP: 0.03, STAFF: 0.01, EVENT_NEWS: 0.0}


# ---- what a request costs ------------------------------------------------------------------------------------------


def space_size(session: Session, platform_space_id: str) -> int:
    """The members the bot knows in a group: those of an event group (community.events records who is in one)."""
    return int(
        session.exec(
            select(func.count())
            .select_from(EventSpaceMember)
            .join(EventSpace, col(EventSpace.id) == col(EventSpaceMember.event_space_id))
            .join(Space, col(Space.id) == col(EventSpace.space_id))
            .where(Space.platform_space_id == platform_space_id, col(EventSpaceMember.left_at).is_(None))
        ).one()
    )


def request_cost(session: Session, platform: str, method: str, target: str, group_size: int = GROUP_SIZE) -> int:
    """Billable messages of one API request: LINE pushes and multicasts, one per recipient (group_size: what a group
    the bot knows nothing of is taken to hold)."""
    if platform != BILLED:
        return 0
    if method == MULTICAST:
        return len(json.loads(target))
    if method != PUSH:
        return 0  # a reply
    if target.startswith(("C", "R")):  # a group or a room: every member is billed
        return space_size(session, target) or group_size
    return 1


# ---- the month ---------------------------------------------------------------------------------------------------


def month_bounds(local: datetime) -> tuple[datetime, datetime]:
    """[first moment of local's month, first moment of the next), aware UTC."""
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    days = calendar.monthrange(start.year, start.month)[1]
    return as_utc(start), as_utc((start + timedelta(days=days + 1)).replace(day=1))


def reserves(city: CityConfig) -> dict[str, int]:
    """Messages kept each month per kind: the city's [budget] reserve, else a share of the cap."""
    cap = city.budget.monthly_cap or 0
    if city.budget.reserve:
        return {kind: int(city.budget.reserve.get(kind, 0)) for kind in PRIORITY}
    return {kind: int(cap * DEFAULT_RESERVE_SHARE[kind]) for kind in PRIORITY}


def _rank(kind: str) -> int:
    return PRIORITY.index(kind) if kind in PRIORITY else len(PRIORITY)


@dataclass
class Month:
    """One month's budget as one transaction sees it; admit() keeps it current while a writer adds rows."""

    label: str  # "2026-11"
    cap: int | None  # None: nothing caps the month
    used: int  # LINE's reading plus what we sent since it
    queued: int  # written but not sent, and announcements scheduled in the month
    by_kind: dict[str, int]  # this month's messages per automated kind (sent or queued)
    reserve: dict[str, int]
    reading_at: datetime | None = None  # when LINE's figures were read (None: our own count only)
    held: dict[str, int] = field(default_factory=dict)  # held by this transaction, per kind

    def kept_for(self, kind: str) -> int:
        """What the kinds before `kind` have not used of their reserves: out of its reach."""
        return sum(max(0, self.reserve.get(k, 0) - self.by_kind.get(k, 0)) for k in PRIORITY if _rank(k) < _rank(kind))

    def room(self, kind: str = ANNOUNCEMENT) -> int | None:
        """What a push of this kind may still use this month (None: no cap)."""
        if self.cap is None:
            return None
        return max(0, self.cap - self.used - self.queued - self.kept_for(kind))

    @property
    def remaining(self) -> int | None:
        """What is left of the cap for anything (the figure staff see beside an announcement's cost)."""
        return self.room(ANNOUNCEMENT)

    def fits(self, kind: str, cost: int) -> bool:
        room = self.room(kind)
        return room is None or cost <= room

    def admit(self, kind: str, cost: int) -> bool:
        """Count a push that is being written; False (and nothing counted) when a holdable one does not fit."""
        if kind in HOLDABLE and not self.fits(kind, cost):
            self.held[kind] = self.held.get(kind, 0) + cost
            return False
        self.queued += cost
        if kind in HOLDABLE:
            self.by_kind[kind] = self.by_kind.get(kind, 0) + cost
        return True


def _sent_since(session: Session, since: datetime, until: datetime) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(OutboxMessage.cost), 0)).where(
                OutboxMessage.platform == BILLED,
                OutboxMessage.status == "sent",
                col(OutboxMessage.sent_at) >= as_utc(since),
                col(OutboxMessage.sent_at) < as_utc(until),
            )
        ).one()
    )


def _unsent(session: Session) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(OutboxMessage.cost), 0)).where(
                OutboxMessage.platform == BILLED, col(OutboxMessage.status).in_(UNSENT)
            )
        ).one()
    )


def _by_kind(session: Session, start: datetime, end: datetime) -> dict[str, int]:
    rows = session.exec(
        select(OutboxMessage.kind, func.sum(OutboxMessage.cost))
        .where(
            OutboxMessage.platform == BILLED,
            col(OutboxMessage.kind).in_(PRIORITY),
            or_(
                col(OutboxMessage.status).in_(UNSENT),
                (col(OutboxMessage.status) == "sent")
                & (col(OutboxMessage.sent_at) >= start)
                & (col(OutboxMessage.sent_at) < end),
            ),
        )
        .group_by(OutboxMessage.kind)
    )
    return {kind: int(total or 0) for kind, total in rows}


def scheduled_cost(session: Session, start: datetime, end: datetime, but: int | None = None) -> int:
    """Messages of the announcements scheduled in [start, end) (`but`: leave that one out)."""
    stmt = select(func.coalesce(func.sum(Announcement.estimated), 0)).where(
        Announcement.status == "scheduled", col(Announcement.send_at) >= start, col(Announcement.send_at) < end
    )
    if but is not None:
        stmt = stmt.where(col(Announcement.id) != but)
    return int(session.exec(stmt).one())


def month(session: Session, site: Site, now: datetime, *, at: datetime | None = None, but: int | None = None) -> Month:
    """The budget of the month `at` falls in (default: now's), as of now. but: an announcement to leave out of the
    queue (the one being decided)."""
    tz: tzinfo = site.tz
    local = (at or now).astimezone(tz)
    start, end = month_bounds(local)
    this_month = start <= as_utc(now) < end
    reading = quota.latest(session, now, tz)
    caps = [c for c in (site.city.budget.monthly_cap, reading.limit if reading else None) if c is not None]
    if not this_month:  # a month to come: nothing sent yet, only what is scheduled in it
        return Month(
            quota.month_key(local),
            min(caps) if caps else None,
            0,
            scheduled_cost(session, start, end, but),
            {},
            reserves(site.city),
        )
    if reading is not None:
        read_at = max(as_utc(reading.read_at), start)
        used = reading.used + _sent_since(session, read_at, end)
    else:
        used = _sent_since(session, start, end)
    return Month(
        quota.month_key(local),
        min(caps) if caps else None,
        used,
        _unsent(session) + scheduled_cost(session, start, end, but),
        _by_kind(session, start, end),
        reserves(site.city),
        reading_at=as_utc(reading.read_at) if reading else None,
    )


# ---- held pushes ---------------------------------------------------------------------------------------------------


def hold(rows: Iterable[OutboxMessage]) -> None:
    for row in rows:
        row.status = HELD


def release_held(session: Session, site: Site, now: datetime) -> int:
    """Send held pushes that fit now (most important first), if they are recent enough to still make sense."""
    held = list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.status == HELD, col(OutboxMessage.created_at) >= as_utc(now - RELEASE_WITHIN))
            .order_by(col(OutboxMessage.id))
        )
    )
    if not held:
        return 0
    budget = month(session, site, now)
    released = 0
    for row in sorted(held, key=lambda r: (_rank(r.kind), r.id or 0)):
        if budget.admit(row.kind, row.cost):
            session.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row.id, col(OutboxMessage.status) == HELD)
                .values(status="pending", next_attempt_at=as_utc(now))
            )
            released += 1
    return released


@dataclass(frozen=True)
class HeldFigures:
    kind: str
    pushes: int  # requests held back
    messages: int  # what they would have cost


def held_between(session: Session, since: datetime, until: datetime) -> list[HeldFigures]:
    """Pushes held back (and not released) among those written in [since, until), per kind in priority order."""
    rows = session.exec(
        select(OutboxMessage.kind, func.count(), func.coalesce(func.sum(OutboxMessage.cost), 0))
        .where(
            OutboxMessage.status == HELD,
            col(OutboxMessage.created_at) >= as_utc(since),
            col(OutboxMessage.created_at) < as_utc(until),
        )
        .group_by(OutboxMessage.kind)
    )
    found = [HeldFigures(kind, int(n), int(cost)) for kind, n, cost in rows]
    return sorted(found, key=lambda figure: _rank(figure.kind))


def billed_by_kind(session: Session, since: datetime, until: datetime) -> dict[str, int]:
    """LINE messages sent in [since, until) per kind ("" for answers that went as pushes)."""
    rows = session.exec(
        select(OutboxMessage.kind, func.coalesce(func.sum(OutboxMessage.cost), 0))
        .where(
            OutboxMessage.platform == BILLED,
            OutboxMessage.status == "sent",
            col(OutboxMessage.sent_at) >= as_utc(since),
            col(OutboxMessage.sent_at) < as_utc(until),
        )
        .group_by(OutboxMessage.kind)
    )
    return {kind: int(total) for kind, total in rows}
