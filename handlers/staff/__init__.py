"""The staff feature: staff groups (/staff here|off), where the weekly digest goes; the audit log (/audit); staff
accounts a staff admin manages from chat (/staff add|remove|list, issue 15)."""

from __future__ import annotations

from handlers.feature import Feature
from handlers.staff import accounts  # noqa: F401 - registers /staff add|remove|list on `chat`
from handlers.staff.chat import chat

FEATURE = Feature("staff", chat=chat)
