"""The board's forum on another platform (Discord): a message written in one of its threads is a board post (a new
forum thread a board thread), its edits and deletion follow, and the platform reports where our copies went
(MIRROR_LINKED). What cannot go on the board is told privately to the writer, never in the thread everyone reads."""

from __future__ import annotations

from collections.abc import Callable

from community import board_mirror
from community.messages import MESSAGE_DELETED, MESSAGE_EDITED, MIRROR_LINKED, Text
from community.problems import Problem
from handlers.board.chat import chat, config, require_participant
from handlers.context import Context


def _or_tell_writer(ctx: Context, action: Callable[[], object], key: str) -> None:
    """Run action; when the board refuses it, undo what it changed and tell the writer why, privately."""
    savepoint = ctx.session.begin_nested()
    try:
        action()
        savepoint.commit()
    except Problem as exc:
        savepoint.rollback()
        if ctx.inbound.sender_id:
            ctx.postbox.push(ctx.inbound.platform, ctx.inbound.sender_id, Text(ctx.t(key, problem=exc.text(ctx.lang))))


@chat.on_chat
def on_forum_message(ctx: Context) -> bool:
    """It is in the forum already, so it is not copied back."""
    inbound = ctx.inbound
    if inbound.forum_thread is None or not inbound.message_id:
        return False
    forum_thread, message_id = inbound.forum_thread, inbound.message_id

    def post() -> None:
        member = require_participant(ctx)
        board_mirror.post_from_platform(
            ctx.session,
            config(ctx),
            member,
            inbound.platform,
            inbound.place.id,
            message_id,
            forum_thread,
            inbound.text,
            ctx.now,
            exempt_from_rate=ctx.is_staff,
        )

    _or_tell_writer(ctx, post, "board.not_on_board")
    return True


@chat.on(MESSAGE_EDITED)
def on_message_edited(ctx: Context) -> None:
    inbound = ctx.inbound
    message_id = inbound.message_id
    if not message_id:
        return
    member_id = ctx.member.id if ctx.member else None

    def edit() -> None:
        board_mirror.edit_from_platform(ctx.session, config(ctx), member_id, inbound.platform, message_id, inbound.text)

    _or_tell_writer(ctx, edit, "board.edit_not_applied")


@chat.on(MESSAGE_DELETED)
def on_message_deleted(ctx: Context) -> None:
    if ctx.inbound.message_id:
        board_mirror.delete_from_platform(ctx.session, ctx.inbound.platform, ctx.inbound.message_id, ctx.now)


@chat.on(MIRROR_LINKED)
def on_mirror_linked(ctx: Context) -> None:
    """A platform copied a board thread or post (or took a copy down): remember where it lives there."""
    link = ctx.inbound.mirror
    if link is None:
        return
    if link.platform_id:
        board_mirror.set_link(
            ctx.session, ctx.inbound.platform, link.kind, link.board_id, link.platform_id, link.place_id
        )
    else:
        board_mirror.drop_link(ctx.session, ctx.inbound.platform, link.kind, link.board_id)
