"""The community board feature (関係人口): joining, threads, posts, reactions, reports, moderation, official
questions, the board's forum on another platform (Discord) and the public web board."""

from __future__ import annotations

from community import board
from handlers.board import web
from handlers.board.chat import chat
from handlers.board.privacy import erase
from handlers.feature import Feature
from storage.models.community import BoardLink, BoardPost, BoardReaction, BoardReport, BoardThread, CommunityMember

# The parts register their handlers on `chat` as they are imported, in this order: the order of /help.
from handlers.board import joining, posting, moderation, forum  # noqa: F401  isort: skip
from handlers.board.data import DATA

FEATURE = Feature(
    "board",
    chat=chat,
    web=web.ROUTES,
    tables=(CommunityMember, BoardThread, BoardPost, BoardReaction, BoardReport, BoardLink),
    data=DATA,
    erase=erase,
    kpis=(board.KPIS,),
    digest=board.digest_section,
)
