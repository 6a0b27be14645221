"""childcare commands and events (see the childcare issue)."""
from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """Registers nothing yet."""
