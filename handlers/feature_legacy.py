"""Transitional: a feature whose chat handlers are still closures inside `register(router)` (being rewritten as
module-level handlers on a ChatRoutes)."""
from __future__ import annotations

from typing import Callable

from handlers.router import ChatRoutes


def legacy_routes(name: str, register: Callable[[ChatRoutes], None]) -> ChatRoutes:
    routes = ChatRoutes(name)
    register(routes)
    return routes
