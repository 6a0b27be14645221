"""The community board in chat: `chat`, the routes every part of the feature registers on, and what those parts share.

The parts: joining.py (joining, the profile, leaving), posting.py (reading the board, writing, reactions, reports),
moderation.py (staff: hiding posts and threads, the queue of reports, the city's questions), forum.py (the board's
forum on another platform). LINE residents use postbacks from the rich menu and cards; the same flows answer typed
commands on Discord and the console.

Postback data (an operator contract with deployed rich menus and cards): community:join|agree|cancel|help|leave,
community:relation:<key>, profile, profile:nickname, profile:relation, board, board:page:<n>,
board:thread:<id>[:page:<n>], board:post:<thread id>, board:reply:<post id>, board:react:<post id>,
board:report:<post id>.
"""

from __future__ import annotations

from datetime import datetime

from community import board
from community.board import CommunityConfig
from community.problems import Problem
from handlers import dialogues
from handlers.context import Context
from handlers.router import ChatRoutes
from storage.db import as_utc, id_of
from storage.models import DialogueState, Member

chat = ChatRoutes("board")

# Joining, renaming and writing a post after pressing a button are steps of this one dialogue (its rows in
# dialogue_state, and their step names, are the ones the board kept before: a conversation under way continues).
DIALOGUE = "community"


def config(ctx: Context) -> CommunityConfig:
    return CommunityConfig.from_city(ctx.city)


def local_time(ctx: Context, moment: datetime) -> str:
    return as_utc(moment).astimezone(ctx.site.tz).strftime("%-m/%-d %H:%M")


def number(text: str, what: str) -> int:
    """A thread, post, question or page number as typed ("12", "#12"); `what` names it in the problem's key."""
    text = text.strip().lstrip("#\uff03")  # also the full-width hash
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise Problem(f"board.number.{what}")
    return int(text)


def number_and_rest(args: str, what: str) -> tuple[int, str]:
    """ "12 some text" -> (12, "some text"); the number ends at any space (a Japanese keyboard's full-width one, a new
    line)."""
    parts = args.strip().split(maxsplit=1)
    if not parts:
        raise Problem(f"board.missing.{what}")
    return number(parts[0], what), parts[1].strip() if len(parts) > 1 else ""


def me(ctx: Context) -> Member:
    """Who pressed or typed this. Without a sender (a platform that did not say) nobody can take part."""
    if ctx.member is None or ctx.member.id is None:
        raise Problem("board.join_first", with_usage=False)
    return ctx.member


def my_id(ctx: Context) -> int:
    return id_of(me(ctx))


def require_participant(ctx: Context) -> Member:
    """Posting needs a joined member (or staff, who speak for the city)."""
    member = me(ctx)
    if board.active_member(ctx.session, id_of(member)) is None and not ctx.is_staff:
        raise Problem("board.join_first", with_usage=False)
    return member


def community_step(ctx: Context) -> DialogueState | None:
    """Where the person is in the board's dialogue (for a button pressed in the middle of it), if they are."""
    if ctx.member is None or ctx.member.id is None:
        return None
    state = dialogues.current(ctx.session, ctx.member.id, ctx.now)
    return state if state is not None and state.dialogue == DIALOGUE else None


def end_community(ctx: Context) -> None:
    """Leave the board's dialogue; another feature's conversation is not this feature's to end."""
    if community_step(ctx) is not None:
        ctx.end_dialogue()


def ask_again(ctx: Context, problem: Problem) -> Problem:
    """An answer that cannot be used: say why, and keep waiting for a better one (the router undoes the step)."""
    return Problem("board.send_again", problem=problem.text(ctx.lang))
