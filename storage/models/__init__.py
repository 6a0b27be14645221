"""SQLModel tables, one module per feature; the core tables (inbox, outbox, members, spaces, jobs, engagement) are
re-exported here. Times are aware UTC (storage.db.utcnow)."""

from storage.models.core import (
    DialogueState,
    Engagement,
    InboxEvent,
    JobRun,
    Member,
    OutboxMessage,
    PlatformAccount,
    Role,
    Space,
)

__all__ = [
    "DialogueState",
    "Engagement",
    "InboxEvent",
    "JobRun",
    "Member",
    "OutboxMessage",
    "PlatformAccount",
    "Role",
    "Space",
]
