"""The staff feature: staff groups (/staff here|off), where the weekly digest goes."""

from __future__ import annotations

from handlers.feature import Feature
from handlers.staff.chat import chat

FEATURE = Feature("staff", chat=chat)
