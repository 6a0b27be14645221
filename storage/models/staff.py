"""SQLModel tables for staff: referral codes, imported donations, sent digests and one-time dashboard logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReferralCode(SQLModel, table=True):
    """A furusato-nozei referral code: one per owner (a member, a thread, an event), reused on every request."""

    __tablename__ = "referral_code"
    __table_args__ = (
        UniqueConstraint("code", name="uq_referral_code"),
        UniqueConstraint("kind", "owner_ref", name="uq_referral_owner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12)
    kind: str = Field(max_length=12)  # member, thread, event
    owner_ref: str = Field(max_length=40)  # Member.public_id, thread id, event code
    created_at: datetime


class Donation(SQLModel, table=True):
    """One row of a donation portal export. The donor's name and message are not kept: only date, amount, code."""

    __tablename__ = "donation"
    __table_args__ = (
        UniqueConstraint("row_hash", name="uq_donation_row_hash"),
        Index("ix_donation_donated_at", "donated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    row_hash: str = Field(max_length=64)  # sha256 of the row's cells: a re-import adds nothing twice
    donated_at: datetime
    amount: int
    code: str | None = Field(default=None, max_length=12)  # the referral code it is attributed to
    attributed_by: str = Field(default="", max_length=12)  # code, reason, keyword, "" (not attributed)
    imported_at: datetime


class SentDigest(SQLModel, table=True):
    """A weekly digest delivered to a staff space; unique so a re-run of the job sends nothing twice."""

    __tablename__ = "sent_digest"
    __table_args__ = (UniqueConstraint("week", "space_id", name="uq_sent_digest_week_space"),)

    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(max_length=10)  # ISO week, 2026-W15
    space_id: int = Field(foreign_key="space.id")
    sent_at: datetime


class DashboardLogin(SQLModel, table=True):
    """Dashboard access, stored hashed: a one-time link (/dashboard, short-lived, used once) or the browser
    session cookie it is exchanged for (hours)."""

    __tablename__ = "dashboard_login"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_dashboard_login_token"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64)
    member_id: int = Field(foreign_key="member.id")
    purpose: str = Field(default="link", max_length=8)  # link, session
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class SigningKey(SQLModel, table=True):
    """A random secret that signs links handed out without a login (the weekly chart's address in the digest), made
    on first use and shared by every process of the city. Holds nothing about a person."""

    __tablename__ = "signing_key"
    __table_args__ = (UniqueConstraint("purpose", name="uq_signing_key_purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=20)  # chart
    secret: str = Field(max_length=64)  # 32 random bytes, hex
    created_at: datetime
