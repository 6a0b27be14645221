"""The core's scheduled job: raw webhook payloads are emptied after the retention period."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import SQLModel

from community import audit
from community.texts import t
from scheduler.jobs import Job, JobContext
from storage.db import as_utc
from storage.models import InboxEvent, OutboxMessage

TABLES = SQLModel.metadata.tables


def purge_raw(ctx: JobContext) -> str:
    """Empty raw webhook payloads older than the city's retention period (the processed facts stay)."""
    days = ctx.site.city.raw_retention_days
    cutoff = as_utc(ctx.now - timedelta(days=days))
    inbox, outbox = TABLES["inbox_event"].c, TABLES["outbox_message"].c  # typed columns for the bulk updates
    purged: int = ctx.session.execute(  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount
        update(InboxEvent)
        .where(inbox.received_at < cutoff, inbox.payload.is_not(None), inbox.status.in_(("done", "skipped", "parked")))
        .values(payload=None)
    ).rowcount
    # What was sent keeps its row (the retry key, the time) but not whom it went to or what it said.
    ctx.session.execute(
        update(OutboxMessage)
        .where(
            outbox.created_at < cutoff,
            outbox.status.in_(("sent", "parked", "cancelled", "held")),
            outbox.messages != "[]",
        )
        .values(target="", fallback_to=None, messages="[]", last_error=None)
    )
    audit_days = ctx.site.city.info.audit_retention_days
    audited = audit.purge(ctx.session, ctx.now, audit_days)
    return t("ja", "job.purge-raw.done", count=purged, days=days, audited=audited, audit_days=audit_days)


PURGE_RAW = Job("purge-raw", {"hour": "3", "minute": "30"}, purge_raw)
