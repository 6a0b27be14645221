"""What happens in an event space: every message is counted (never kept), members joining and leaving are
recorded, and a channel a platform made for an event (Discord) is bound to it and opened to the event's people."""

from __future__ import annotations

from community import event_registration as reg
from community import events as ev
from community.messages import DIRECT, MEMBER_JOINED, MEMBER_LEFT, MESSAGE, SPACE_CREATED
from community.problems import Problem
from community.spaces import get_or_create_space
from handlers.context import Context
from handlers.events.chat import binding_here, chat, when
from handlers.router import normalise_command_text


@chat.on(MESSAGE)
def count_event_message(ctx: Context) -> None:
    # Engagement only: the time and the pseudonymous member, never the text. Bot commands are not conversation.
    inbound = ctx.inbound
    if inbound.place.kind == DIRECT or not inbound.sender_id:
        return
    if inbound.text and normalise_command_text(inbound.text) is not None:
        return
    binding = binding_here(ctx)
    if binding is not None:
        ev.record_message(ctx.session, binding[0], binding[1], inbound.platform, inbound.sender_id, ctx.now)


@chat.on(MEMBER_JOINED)
def members_joined(ctx: Context) -> None:
    binding = binding_here(ctx)
    if binding is not None:
        ev.record_members_joined(
            ctx.session, binding[0], binding[1], ctx.inbound.platform, ctx.inbound.member_ids, ctx.now
        )


@chat.on(MEMBER_LEFT)
def members_left(ctx: Context) -> None:
    binding = binding_here(ctx)
    if binding is not None:
        ev.record_members_left(ctx.session, binding[0], ctx.inbound.platform, ctx.inbound.member_ids, ctx.now)


@chat.on(SPACE_CREATED)
def space_created(ctx: Context) -> None:
    # A platform (Discord) made the channel /event new asked for: bind it to the event.
    event = ev.find_event(ctx.session, ev.normalise_code(ctx.inbound.text or "") or "")
    if event is None:
        return
    space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name)
    try:
        ev.bind_space(ctx.session, event, space, ctx.now)
    except Problem:
        return  # already bound (a repeated report) or closed meanwhile: nothing to do
    # The channel is private: its organizer, facilitators, staff and everyone registered so far are let in.
    reg.open_space(ctx.session, ctx.postbox, event, space.platform_space_id)
    ctx.say("event.space_ready", title=event.title, when=when(ctx, event), place=event.location)
