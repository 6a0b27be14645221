"""Inbound events and commands. build_router() wires every handler module explicitly."""
from handlers.router import Context, Router, UsageError


def build_router() -> Router:
    from handlers import childcare, community, core, events, staff

    router = Router()
    for module in (core, events, childcare, community, staff):
        module.register(router)
    return router


__all__ = ["Context", "Router", "UsageError", "build_router"]
