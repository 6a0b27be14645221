"""Forgetting a member (/forget-me): personal data goes on every platform, the KPI counts stay.

Each feature says what it erases (`Feature.erase`, collected on the Site in reverse feature order so the core's
eraser, which removes the platform accounts, runs last). What stays is pseudonymous and links to no one: the Member
row keeps only its public id (engagement rows carry that id, so participants and posts still count).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, update
from sqlmodel import Session, SQLModel, col, select

from community.messages import MULTICAST, Postbox
from storage.db import as_utc
from storage.models import DialogueState, InboxEvent, Member, OutboxMessage, PlatformAccount, Role

if TYPE_CHECKING:
    from community.city import Site


@dataclass
class Forget:
    """What an eraser is given: the member and their platform accounts (still there while the erasers run).

    traces: words an eraser removed that copies of messages may still hold (a nickname, a thread title, a referral
    code); the core's eraser, last, blanks the outbox rows that carry any of them."""

    session: Session
    member: Member
    accounts: list[PlatformAccount]
    now: datetime
    postbox: Postbox
    site: Site
    traces: set[str] = field(default_factory=set)


def forget_member(session: Session, member_id: int, now: datetime, postbox: Postbox, site: Site) -> dict[str, int]:
    """Delete the member's personal data everywhere; returns what was removed, per kind."""
    member = session.get(Member, member_id)
    if member is None:
        return {}
    accounts = list(session.exec(select(PlatformAccount).where(col(PlatformAccount.member_id) == member_id)))
    forget = Forget(session, member, accounts, now, postbox, site)
    removed: dict[str, int] = {}
    for erase in site.erasers:
        removed.update(erase(forget))
    return removed


def erase_core(forget: Forget) -> dict[str, int]:
    """The core's part, last: roles, a half-finished dialogue, raw payloads naming the person, the accounts."""
    session, member = forget.session, forget.member
    inbox = SQLModel.metadata.tables["inbox_event"].c  # typed columns for the queries below
    session.execute(delete(DialogueState).where(col(DialogueState.member_id) == member.id))
    session.execute(delete(Role).where(col(Role.member_id) == member.id))
    # What the bot sent because of their messages (answers, notices quoting them) loses its content.
    their_events = [
        row_id
        for account in forget.accounts
        for row_id in session.execute(
            select(inbox.id).where(inbox.platform == account.platform, inbox.payload.contains(account.platform_user_id))
        ).scalars()
    ]
    # Raw webhook payloads that name the member's platform ids go now, not after the retention period.
    for account in forget.accounts:
        session.execute(
            update(InboxEvent)
            .where(
                inbox.platform == account.platform,
                inbox.payload.contains(account.platform_user_id),
                inbox.status.in_(("done", "skipped", "parked")),
            )
            .values(payload=None, last_error=None)
        )
        session.delete(account)
    if member.display_name:
        forget.traces.add(member.display_name)
    erase_outbox(session, [a.platform_user_id for a in forget.accounts], forget.traces, their_events)
    member.display_name = None
    member.lang = "ja"
    member.forgotten_at = as_utc(forget.now)
    session.add(member)
    return {"accounts": len(forget.accounts)}


CANCELLED = "cancelled"  # an outbox row that must not go out any more (its recipient asked to be forgotten)


def erase_outbox(session: Session, user_ids: list[str], traces: set[str], source_events: list[int]) -> int:
    """Outbox rows addressed to the person lose their address and content (those not yet sent are cancelled); rows
    sent because of their messages, or to others quoting something of theirs, lose their content once delivered.
    Returns the rows changed."""
    changed = 0
    table = SQLModel.metadata.tables["outbox_message"].c
    addressed = [table.target.in_(user_ids), table.fallback_to.in_(user_ids)] if user_ids else []
    multicasts = [table.target.contains(json.dumps(uid)) for uid in user_ids]
    quoting = [table.messages.contains(word) for word in traces if len(word) >= 2]
    caused = [table.source_event_id.in_(source_events)] if source_events else []
    if not (addressed or multicasts or quoting or caused):
        return 0
    rows = session.exec(select(OutboxMessage).where(or_(*addressed, *multicasts, *quoting, *caused))).all()
    for row in rows:
        if row.status == "sending":
            continue  # on its way this moment: the retention purge blanks it later
        if row.method == MULTICAST and any(uid in row.target for uid in user_ids):
            recipients = [r for r in json.loads(row.target) if r not in user_ids]
            row.target = json.dumps(recipients)
            if not recipients and row.status == "pending":
                row.status = CANCELLED
        elif row.target in user_ids or row.fallback_to in user_ids:
            row.target, row.fallback_to = "", None
            if row.status == "pending":
                row.status = CANCELLED
        if row.status != "pending":
            row.messages, row.last_error = "[]", None
        session.add(row)
        changed += 1
    return changed
