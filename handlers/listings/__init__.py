"""The 貸畑 and 空き家 listings feature (issue 17): members offer a plot or a house, staff approve it, the open ones
are public (/listings in chat and on the web), and people interested write to the owner through the bot, neither
seeing the other's account (handlers.listings.conversations: also the circles' contact).

chat.py holds the listings and their dialogue, conversations.py the relayed conversations (both on the one `chat`)."""

from __future__ import annotations

from community import listings, relay
from community.privacy import Forget
from handlers.feature import Feature
from handlers.listings import conversations  # noqa: F401 - registers the conversations on `chat`
from handlers.listings.chat import chat
from handlers.listings.data import DATA
from handlers.listings.web import ROUTES
from storage.db import id_of
from storage.models.listings import Inquiry, Listing


def erase(forget: Forget) -> dict[str, int]:
    """The member's listings (and the conversations about them), and every conversation they asked or answered."""
    for listing in listings.of_owner(forget.session, id_of(forget.member)):
        # Their own words, which cards sent to others may still hold (the core blanks those outbox rows).
        forget.traces.update(text for text in (listing.conditions, listing.photo_url) if len(text) >= 8)
    removed = listings.erase_member(forget.session, forget.member)
    return {"listings": removed, "inquiries": relay.erase_member(forget.session, forget.member)}


FEATURE = Feature(
    "listings",
    chat=chat,
    web=ROUTES,
    tables=(Listing, Inquiry),
    data=DATA,
    erase=erase,
    kpis=(listings.KPIS,),
    digest=listings.digest_lines,
)
