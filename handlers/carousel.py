"""A long list of cards in chat, a carousel a page at a time (areas, circles, listings)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from community.messages import Action, Card
from handlers.context import Context

T = TypeVar("T")
PER_PAGE = 11  # cards per carousel; a 12th card (LINE's limit) leads to the next page


def page_cards(
    ctx: Context, found: Sequence[T], page: int, card: Callable[[Context, T], Card], key: str, query: str = ""
) -> list[Card]:
    """`page`'s cards, and a last card leading to the next page when more were found; none past the end.
    key names the feature's texts and postbacks: "area" -> area.more_button, area:more:2[:query]."""
    start = (max(page, 1) - 1) * PER_PAGE
    cards = [card(ctx, item) for item in found[start : start + PER_PAGE]]
    if cards and start + PER_PAGE < len(found):
        data = f"{key}:more:{page + 1}:{query}" if query else f"{key}:more:{page + 1}"
        more = Action(label=ctx.t(f"{key}.more_button"), data=data[:300])
        text = ctx.t(f"{key}.more_text", count=len(found))
        cards.append(Card(title=ctx.t(f"{key}.more_title"), text=text, actions=(more,)))
    return cards
