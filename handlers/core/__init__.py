"""The core feature: /help, /lang, /forget-me, greetings, and the raw-payload retention job. Every city has it."""

from community.privacy import erase_core
from handlers.core.chat import chat
from handlers.core.data import DATA
from handlers.core.jobs import PURGE_RAW
from handlers.feature import Feature
from storage.models import (
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
from storage.models.audit import AuditEntry

FEATURE = Feature(
    "core",
    chat=chat,
    jobs=(PURGE_RAW,),
    tables=(
        InboxEvent,
        OutboxMessage,
        Member,
        PlatformAccount,
        Role,
        Space,
        JobRun,
        Engagement,
        DialogueState,
        AuditEntry,
    ),
    data=DATA,
    erase=erase_core,
)
