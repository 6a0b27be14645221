"""The staff feature: staff groups (/staff here|off) and the staff's chat commands."""
from __future__ import annotations

from handlers.feature import Feature
from handlers.feature_legacy import legacy_routes
from handlers.staff import chat

FEATURE = Feature("staff", chat=legacy_routes("staff", chat.register))
