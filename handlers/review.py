"""Staff's review of what members submit (circles, listings) in chat."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from handlers.context import Context

T = TypeVar("T")
SHOWN = 10  # submissions listed at once: staff review the oldest first


def pending_list(ctx: Context, key: str, waiting: Sequence[T], block: Callable[[T], str]) -> None:
    """The submissions waiting for review, each a block; key.none_pending when there are none."""
    if not waiting:
        ctx.say(f"{key}.none_pending")
        return
    header = ctx.t(f"{key}.pending_header", count=len(waiting))
    blocks = [header, *(block(row) for row in waiting[:SHOWN]), ctx.t(f"{key}.pending_footer")]
    ctx.reply("\n\n".join(blocks))
