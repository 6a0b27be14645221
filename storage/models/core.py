"""SQLModel tables. Times are aware UTC (see storage.db.utcnow); the city's zone is applied only for display and
schedules.

Personal data kept here is the least the service needs: platform ids (to reach a member), a display name the member
chose, and roles. Exports and digests use Member.public_id, never a platform id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class InboxEvent(SQLModel, table=True):
    """One inbound platform event, stored before the webhook answers 200."""

    __tablename__ = "inbox_event"
    __table_args__ = (
        UniqueConstraint("platform", "event_id", name="uq_inbox_platform_event"),
        Index("ix_inbox_status_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    event_id: str = Field(max_length=64)
    event_type: str = Field(max_length=40)
    is_redelivery: bool = False
    redeliveries: int = 0
    received_at: datetime
    # Raw payload (JSON); emptied by the purge-raw job after the retention period.
    payload: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(default="pending", max_length=12)  # pending, processing, done, skipped, parked
    attempts: int = 0
    next_attempt_at: datetime
    lease_until: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    processed_at: datetime | None = None


class OutboxMessage(SQLModel, table=True):
    """One platform API request to make (a reply, a push, one multicast batch), written before it is attempted."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
        Index("ix_outbox_sent_at", "sent_at"),  # the month's billed messages (community.budget)
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    method: str = Field(max_length=12)  # reply, push, multicast
    # reply: the reply token; push: the platform space/user id; multicast: JSON list of user ids.
    target: str = Field(sa_column=Column(Text, nullable=False))
    # Where a reply goes as a push when its token has expired.
    fallback_to: str | None = Field(default=None, max_length=80)
    messages: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of neutral outbound messages
    retry_key: str = Field(max_length=36)
    status: str = Field(default="pending", max_length=12)  # pending, sending, sent, parked, cancelled, held
    attempts: int = 0
    # A reply attempt ended without a definite answer (timeout, dropped connection): a later
    # "invalid reply token" then means our earlier attempt consumed it, so it is delivered.
    outcome_unknown: bool = False
    created_at: datetime
    reply_token_at: datetime | None = None
    next_attempt_at: datetime
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    source_event_id: int | None = Field(default=None, index=True)
    # What a paid push is for (community.budget: checkup, nudge, tip, staff, announcement; "" for answers), what the
    # request costs on the platform's bill (LINE: one message per recipient; replies are free), and the LINE
    # aggregation unit an announcement's multicasts carry. A push the month's budget cannot take is "held".
    kind: str = Field(default="", max_length=16)
    cost: int = 0
    unit: str = Field(default="", max_length=30)


class Member(SQLModel, table=True):
    """A person, across platforms. public_id is the pseudonymous id used in logs, exports and digests."""

    __tablename__ = "member"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=16, unique=True)
    display_name: str | None = Field(default=None, max_length=40)
    lang: str = Field(default="ja", max_length=5)
    created_at: datetime
    forgotten_at: datetime | None = None
    greeted_at: datetime | None = None  # the last "what can I do here" answer to a message nothing else took


class PlatformAccount(SQLModel, table=True):
    __tablename__ = "platform_account"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id", name="uq_account_platform_user"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(max_length=16)
    platform_user_id: str = Field(max_length=80)
    followed: bool = True  # LINE: false after unfollow (blocked), so no pushes are attempted


class Role(SQLModel, table=True):
    """staff (city-wide), organizer (may create events), facilitator (scope = event id)."""

    __tablename__ = "member_role"
    __table_args__ = (UniqueConstraint("member_id", "role", "scope", name="uq_role_member_role_scope"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    role: str = Field(max_length=16)
    scope: str = Field(default="", max_length=40)
    created_at: datetime


class Space(SQLModel, table=True):
    """A place the bot talks in: a 1:1 chat, a LINE group or room, a Discord channel, a console chat."""

    __tablename__ = "space"
    __table_args__ = (UniqueConstraint("platform", "platform_space_id", name="uq_space_platform_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=12)  # user, group, room, channel
    platform_space_id: str = Field(max_length=80)
    name: str | None = Field(default=None, max_length=100)
    purpose: str = Field(default="", max_length=12)  # "", staff, event
    created_at: datetime
    bot_present: bool = True
    detached_at: datetime | None = None


class JobRun(SQLModel, table=True):
    """A scheduled job's run for one slot (e.g. a day). The unique key is the lease between instances."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job_name", "slot", name="uq_job_slot"),)

    id: int | None = Field(default=None, primary_key=True)
    job_name: str = Field(max_length=40)
    slot: str = Field(max_length=40)
    started_at: datetime
    finished_at: datetime | None = None
    status: str = Field(default="running", max_length=12)  # running, done, failed
    detail: str | None = Field(default=None, sa_column=Column(Text))


class Engagement(SQLModel, table=True):
    """The append-only engagement log every part writes to (see community.engagement). No platform ids, no text."""

    __tablename__ = "engagement"
    __table_args__ = (
        Index("ix_engagement_kind_at", "kind", "at"),
        Index("ix_engagement_space_at", "space", "at"),
        # Participants and QR counts per touchpoint from the index alone (migration 0009).
        Index("ix_engagement_kind_space_at_member", "kind", "space", "at", "member"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    # member_joined, post, event_message, reaction, qr_scan, qr_push, referral_click, donation, childcare_optin
    kind: str = Field(max_length=24)
    member: str | None = Field(default=None, max_length=16, index=True)  # Member.public_id (pseudonymous)
    platform: str = Field(default="", max_length=16)
    space: str = Field(default="", max_length=60)  # "event:<code>", "touchpoint:<id>", "thread:<id>", ...
    detail: str = Field(default="", max_length=60)  # device family, referral code, category, ...
    amount: int | None = None  # yen, for donations


class DialogueState(SQLModel, table=True):
    """Where a member is in a conversation with the bot (handlers.dialogues): the dialogue and step that takes their
    next plain message, and the buttons of the last question they were shown. One row per member, short-lived."""

    __tablename__ = "dialogue_state"

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    dialogue: str = Field(default="", max_length=40)
    step: str = Field(default="", max_length=40)
    data: str | None = Field(default=None, sa_column=Column(Text))  # JSON
    choices: str | None = Field(default=None, sa_column=Column(Text))  # JSON [[label, data, text, means], ...]
    updated_at: datetime
